package io.tlsaccel.testutil;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates made at test time: an ECDSA P-256 CA issuing leaves with ECDSA P-256/P-384,
 * RSA (2048) or Ed25519 keys. Keys are cached per type so a test run generates few of them.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final Map<KeyType, KeyPair> KEYS = new ConcurrentHashMap<>();
    private static final char[] PASSWORD = "changeit".toCharArray();

    public enum KeyType { EC_P256, EC_P384, RSA, ED25519 }

    /** A CA or leaf: its key pair and certificate chain (leaf first). */
    public record Credential(KeyPair keyPair, X509Certificate[] chain) {
        public X509Certificate certificate() {
            return chain[0];
        }
    }

    private TestPki() {
    }

    public static KeyPair keyPair(KeyType type) {
        return KEYS.computeIfAbsent(type, TestPki::generate);
    }

    public static KeyPair freshKeyPair(KeyType type) {
        return generate(type);
    }

    private static KeyPair generate(KeyType type) {
        try {
            switch (type) {
                case EC_P256: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    return g.generateKeyPair();
                }
                case EC_P384: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp384r1"));
                    return g.generateKeyPair();
                }
                case RSA: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    return g.generateKeyPair();
                }
                default:
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed ECDSA P-256 CA with a fresh key. */
    public static Credential newCa(String cn) {
        KeyPair kp = freshKeyPair(KeyType.EC_P256);
        try {
            X500Name name = new X500Name("CN=" + cn);
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            return new Credential(kp, new X509Certificate[] {cert});
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf for the given DNS names valid from now-1d to now+30d. */
    public static Credential issue(Credential ca, KeyType type, String... dnsNames) {
        Instant now = Instant.now();
        return issue(ca, type, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), dnsNames);
    }

    public static Credential issue(Credential ca, KeyType type, Instant notBefore, Instant notAfter, String... dnsNames) {
        KeyPair kp = keyPair(type);
        try {
            X500Name issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
            X500Name subject = new X500Name("CN=" + (dnsNames.length > 0 ? dnsNames[0] : "client"));
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore), Date.from(notAfter), subject, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // RSA leaves may also carry a TLS 1.2 RSA key transport (RFC 5246 7.4.2: keyEncipherment).
            int usage = type == KeyType.RSA ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < names.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keyPair().getPrivate())));
            return new Credential(kp, new X509Certificate[] {cert, ca.certificate()});
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKIX key managers holding the given credentials. */
    public static KeyManager[] keyManagers(Credential... creds) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Credential c : creds) {
                ks.setKeyEntry("key" + (i++), c.keyPair().getPrivate(), PASSWORD, c.chain());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, PASSWORD);
            return kmf.getKeyManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKIX trust managers trusting the given CAs. */
    public static TrustManager[] trustManagers(Credential... cas) {
        return trustManagers(List.of(cas));
    }

    public static TrustManager[] trustManagers(List<Credential> cas) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Credential c : cas) {
                ks.setCertificateEntry("ca" + (i++), c.certificate());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
