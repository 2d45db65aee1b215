package io.tlsaccel.tls.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsaccel.testutil.Wycheproof;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every handshake signature path against Wycheproof's verification vectors: each file through
 * {@link SignatureScheme#verify} with each provider choice (the JDK's, Bouncy Castle's, ACCP's,
 * and the automatic one). Valid signatures must verify, invalid ones (BER encodings, wrong
 * lengths, r or s out of range, modified padding, ...) must be refused; "acceptable" ones may
 * go either way.
 */
class SignatureWycheproofTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * Valid signatures the JDK's own verifier (SunEC, JDK 17 and 25) refuses: an r whose point
     * had an x-coordinate of n or more. Tolerated only when the JDK is forced (never chosen by
     * default for ECDSA); a refusal anywhere else, or an acceptance of an invalid one, fails.
     */
    private static final java.util.Set<String> SUNEC_REFUSES = java.util.Set.of(
            "ecdsa_secp256r1_sha256_test.json#350", "ecdsa_secp256r1_sha256_test.json#479",
            "ecdsa_secp384r1_sha384_test.json#382", "ecdsa_secp384r1_sha384_test.json#499");

    @ParameterizedTest(name = "{0} ({2})")
    @CsvSource({
        "ecdsa_secp256r1_sha256_test.json, ECDSA_SECP256R1_SHA256, jdk",
        "ecdsa_secp256r1_sha256_test.json, ECDSA_SECP256R1_SHA256, bc",
        "ecdsa_secp256r1_sha256_test.json, ECDSA_SECP256R1_SHA256, accp",
        "ecdsa_secp256r1_sha256_test.json, ECDSA_SECP256R1_SHA256, auto",
        "ecdsa_secp384r1_sha384_test.json, ECDSA_SECP384R1_SHA384, jdk",
        "ecdsa_secp384r1_sha384_test.json, ECDSA_SECP384R1_SHA384, bc",
        "ecdsa_secp384r1_sha384_test.json, ECDSA_SECP384R1_SHA384, accp",
        "ecdsa_secp384r1_sha384_test.json, ECDSA_SECP384R1_SHA384, auto",
        "ed25519_test.json, ED25519, jdk",
        "ed25519_test.json, ED25519, bc",
        "ed25519_test.json, ED25519, auto",
        "rsa_pss_2048_sha256_mgf1_32_test.json, RSA_PSS_RSAE_SHA256, jdk",
        "rsa_pss_2048_sha256_mgf1_32_test.json, RSA_PSS_RSAE_SHA256, bc",
        "rsa_pss_2048_sha256_mgf1_32_test.json, RSA_PSS_RSAE_SHA256, accp",
        "rsa_pss_2048_sha256_mgf1_32_test.json, RSA_PSS_RSAE_SHA256, auto",
        "rsa_pss_3072_sha256_mgf1_32_test.json, RSA_PSS_RSAE_SHA256, accp",
        "rsa_pss_3072_sha256_mgf1_32_test.json, RSA_PSS_RSAE_SHA256, auto",
        "rsa_pss_2048_sha384_mgf1_48_test.json, RSA_PSS_RSAE_SHA384, jdk",
        "rsa_pss_2048_sha384_mgf1_48_test.json, RSA_PSS_RSAE_SHA384, accp",
        "rsa_pss_2048_sha384_mgf1_48_test.json, RSA_PSS_RSAE_SHA384, auto",
        "rsa_signature_2048_sha256_test.json, RSA_PKCS1_SHA256, jdk",
        "rsa_signature_2048_sha256_test.json, RSA_PKCS1_SHA256, bc",
        "rsa_signature_2048_sha256_test.json, RSA_PKCS1_SHA256, accp",
        "rsa_signature_2048_sha256_test.json, RSA_PKCS1_SHA256, auto",
        "rsa_signature_3072_sha256_test.json, RSA_PKCS1_SHA256, accp",
        "rsa_signature_3072_sha256_test.json, RSA_PKCS1_SHA256, auto",
    })
    void verifiesAsWycheproofSays(String file, SignatureScheme scheme, String mode) throws Exception {
        JsonNode root = Wycheproof.file(file);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        String old = System.getProperty(SignatureProviders.PROPERTY);
        System.setProperty(SignatureProviders.PROPERTY, mode);
        try {
            for (JsonNode group : root.get("testGroups")) {
                PublicKey key = publicKey(scheme, HEX.parseHex(group.get("publicKeyDer").asText()));
                for (JsonNode t : group.get("tests")) {
                    String result = t.get("result").asText();
                    if (result.equals("acceptable")) {
                        continue;
                    }
                    boolean ok = scheme.verify(key, HEX.parseHex(t.get("msg").asText()), HEX.parseHex(t.get("sig").asText()));
                    if (ok != result.equals("valid") && !(mode.equals("jdk") && !ok && SUNEC_REFUSES.contains(file + "#" + t.get("tcId").asInt()))) {
                        wrong.add("tcId " + t.get("tcId").asInt() + " (" + t.get("comment").asText() + "): " + (ok ? "accepted" : "refused"));
                    }
                    checked++;
                }
            }
        } finally {
            restore(old);
        }
        assertTrue(checked > 50, "too few cases in " + file + ": " + checked);
        assertEquals(List.of(), wrong, file + " with tlsaccel.sig=" + mode);
    }

    /** On Linux x86_64 the tests have ACCP, so its paths above really ran on it. */
    @Test
    void correttoIsUsedWhereItLoads() {
        boolean linuxX64 = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        if (!linuxX64) {
            return;
        }
        assertNotNull(CorrettoCrypto.provider(), CorrettoCrypto.status());
        String old = System.getProperty(SignatureProviders.PROPERTY);
        System.clearProperty(SignatureProviders.PROPERTY);
        try {
            assertEquals(CorrettoCrypto.provider(), SignatureProviders.forScheme(SignatureScheme.ECDSA_SECP256R1_SHA256));
            assertEquals(CorrettoCrypto.provider(), SignatureProviders.forScheme(SignatureScheme.RSA_PSS_RSAE_SHA256));
            assertEquals(BouncyCastle.provider(), SignatureProviders.forScheme(SignatureScheme.ED25519));
        } finally {
            restore(old);
        }
    }

    private static PublicKey publicKey(SignatureScheme scheme, byte[] spki) throws Exception {
        String alg = switch (scheme.keyType()) {
            case "EdDSA" -> "Ed25519";
            default -> scheme.keyType();
        };
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
    }

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty(SignatureProviders.PROPERTY);
        } else {
            System.setProperty(SignatureProviders.PROPERTY, old);
        }
    }
}
