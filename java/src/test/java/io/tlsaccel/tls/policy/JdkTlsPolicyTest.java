package io.tlsaccel.tls.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.tls.policy.DisabledAlgorithms.SignatureUse;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class JdkTlsPolicyTest {

    private static final List<String> OUR_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384");

    private static DisabledAlgorithms parse(String value, Map<String, String> props) {
        return DisabledAlgorithms.parse(value, props::get);
    }

    @Test
    void theJdksOwnListRefusesWhatSunJsseRefuses() throws Exception {
        // SunJSSE's default parameters already have jdk.tls.disabledAlgorithms applied.
        SSLContext sun = SSLContext.getInstance("TLS", "SunJSSE");
        sun.init(null, null, null);
        List<String> sunDefaults = Arrays.asList(sun.getDefaultSSLParameters().getCipherSuites());
        List<String> sunProtocols = Arrays.asList(sun.getDefaultSSLParameters().getProtocols());
        DisabledAlgorithms jdk = DisabledAlgorithms.tls();
        for (String suite : OUR_SUITES) {
            assertEquals(sunDefaults.contains(suite), jdk.permitsCipherSuite(suite), suite);
        }
        for (String protocol : List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3")) {
            assertEquals(sunProtocols.contains(protocol), jdk.permitsProtocol(protocol), protocol);
        }
    }

    @Test
    void namesWildcardsAndSuiteParts() {
        DisabledAlgorithms d = parse("TLSv1.2, TLS_RSA_*, ChaCha20_Poly1305, x25519", Map.of());
        assertFalse(d.permitsProtocol("TLSv1.2"));
        assertTrue(d.permitsProtocol("TLSv1.3"));
        assertFalse(d.permitsCipherSuite("TLS_RSA_WITH_AES_128_GCM_SHA256"));
        assertTrue(d.permitsCipherSuite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        assertFalse(d.permitsCipherSuite("TLS_CHACHA20_POLY1305_SHA256"));
        assertFalse(d.permitsCipherSuite("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));
        assertFalse(d.permitsNamedGroup("x25519", null, 255));
        assertTrue(d.permitsNamedGroup("secp256r1", "EC", 256));

        DisabledAlgorithms ecdhe = parse("ECDHE, SHA384", Map.of());
        assertFalse(ecdhe.permitsCipherSuite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        assertTrue(ecdhe.permitsCipherSuite("TLS_RSA_WITH_AES_128_GCM_SHA256"));
        assertFalse(ecdhe.permitsCipherSuite("TLS_AES_256_GCM_SHA384"));
        assertTrue(ecdhe.permitsCipherSuite("TLS_AES_128_GCM_SHA256"));
        // ECDH (static) is not ECDHE
        assertTrue(parse("ECDH", Map.of()).permitsCipherSuite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    }

    @Test
    void keySizesIncludesAndUsages() throws Exception {
        DisabledAlgorithms d = parse("\"RSA keySize < 2048, include extra.curves, rsa_pkcs1_sha1 usage HandshakeSignature, MD5withRSA\"",
                Map.of("extra.curves", "secp384r1, EC keySize < 300"));
        assertFalse(d.permitsKey(rsa(1024)));
        assertTrue(d.permitsKey(rsa(2048)));
        assertFalse(d.permitsKey(ec("secp256r1")));
        assertTrue(d.permitsKey(ec("secp384r1")));
        assertFalse(d.permitsNamedGroup("secp384r1", "EC", 384));
        assertFalse(d.permitsNamedGroup("secp256r1", "EC", 256));
        assertFalse(d.permitsSignatureScheme("rsa_pkcs1_sha1", "SHA1withRSA", SignatureUse.HANDSHAKE));
        assertTrue(d.permitsSignatureScheme("rsa_pkcs1_sha1", "SHA1withRSA", SignatureUse.CERTIFICATE));
        assertFalse(d.permitsSignatureScheme("foo", "MD5withRSA", SignatureUse.CERTIFICATE));
        assertTrue(d.permitsSignatureScheme("rsa_pss_rsae_sha256", "RSASSA-PSS", SignatureUse.HANDSHAKE));
        // SHA1 and SHA-1 are one hash
        assertFalse(parse("SHA-1", Map.of()).permitsSignatureScheme("ecdsa_sha1", "SHA1withECDSA", SignatureUse.HANDSHAKE));
        // a property that includes itself is read once
        assertFalse(DisabledAlgorithms.parse("include a", p -> "include a, TLSv1.2").permitsProtocol("TLSv1.2"));
    }

    @Test
    void defaultsFollowTheSystemPropertiesThenTheDisabledList() {
        JdkTlsPolicy none = JdkTlsPolicy.none();
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), none.defaultProtocols(true, List.of("TLSv1.3", "TLSv1.2")));
        JdkTlsPolicy noTls12 = none.with(parse("TLSv1.2, TLS_RSA_*", Map.of()));
        assertEquals(List.of("TLSv1.3"), noTls12.defaultProtocols(false, List.of("TLSv1.3", "TLSv1.2")));
        assertFalse(noTls12.defaultCipherSuites(false, OUR_SUITES).contains("TLS_RSA_WITH_AES_128_GCM_SHA256"));
        assertEquals(OUR_SUITES.size() - 2, noTls12.defaultCipherSuites(false, OUR_SUITES).size());
        assertEquals(Map.of("AES/GCM/NOPADDING", 1L << 37, "CHACHA20-POLY1305", 1000L),
                JdkTlsPolicy.keyLimits("AES/GCM/NoPadding KeyUpdate 2^37, ChaCha20-Poly1305 KeyUpdate 1000, junk"));
        assertEquals(List.of("a", "b"), JdkTlsPolicy.list("\"a, b,\""));
    }

    private static PublicKey rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair().getPublic();
    }

    private static PublicKey ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec(curve));
        return g.generateKeyPair().getPublic();
    }
}
