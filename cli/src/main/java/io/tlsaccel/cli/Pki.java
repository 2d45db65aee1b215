package io.tlsaccel.cli;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates and keys for the CLI: PEM files (Bouncy Castle's PEM parser), a freshly
 * generated self-signed default, and the standard key and trust managers built from them
 * (PKIX, with CRL revocation checking when CRLs are given).
 */
public final class Pki {

    private static final char[] PASSWORD = "tlsaccel".toCharArray();

    /** A private key and its certificate chain (leaf first). */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private Pki() {
    }

    public static List<X509Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        try (var in = Files.newInputStream(pem)) {
            for (var c : cf.generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
        }
        if (certs.isEmpty()) {
            throw new IOException("no certificate in " + pem);
        }
        return certs;
    }

    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair kp) {
                    return converter.getKeyPair(kp).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException("no unencrypted private key in " + pem);
    }

    public static List<X509CRL> readCrls(Path pem) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509CRL> crls = new ArrayList<>();
        try (var in = Files.newInputStream(pem)) {
            for (var c : cf.generateCRLs(in)) {
                crls.add((X509CRL) c);
            }
        }
        return crls;
    }

    /** A new self-signed ECDSA P-256 certificate for the given host names, valid one day. */
    public static Identity selfSigned(String commonName, String... dnsNames) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        return new Identity(kp.getPrivate(), List.of(issue(commonName, kp, kp.getPrivate(), null, true, dnsNames)));
    }

    /**
     * Issues a certificate for {@code subject}'s key, signed by {@code issuerKey} (itself
     * when {@code issuer} is null).
     */
    public static X509Certificate issue(String commonName, KeyPair subject, PrivateKey issuerKey,
                                        X509Certificate issuer, boolean ca, String... dnsNames)
            throws GeneralSecurityException {
        try {
            X500Name name = new X500Name("CN=" + commonName);
            X500Name issuerName = issuer == null ? name
                    : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            long now = System.currentTimeMillis();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                    new Date(now - 300_000), new Date(now + 86_400_000L), name, subject.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = dnsNames[i].matches("[0-9.]+")
                            ? new GeneralName(GeneralName.iPAddress, dnsNames[i])
                            : new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            String alg = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
        } catch (org.bouncycastle.operator.OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("could not issue a certificate", e);
        }
    }

    public static String fingerprint(X509Certificate cert) throws GeneralSecurityException {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    }

    /** Key managers over one or more identities (the engine picks per handshake by key type). */
    public static KeyManager[] keyManagers(Collection<Identity> identities) throws GeneralSecurityException, IOException {
        return keyManagers(identities, "NewSunX509");
    }

    /**
     * Key managers of the given JDK algorithm: "NewSunX509" (PKIX: checks each chain when it is
     * chosen, and decrypts the PKCS#12 key, PBKDF2 and all, on every handshake) or "SunX509"
     * (reads the keys once: what the timed comparison uses, so it measures TLS, not PBKDF2).
     */
    public static KeyManager[] keyManagers(Collection<Identity> identities, String algorithm)
            throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (Identity id : identities) {
            ks.setKeyEntry("id" + i++, id.key(), PASSWORD, id.chain().toArray(new X509Certificate[0]));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(algorithm);
        kmf.init(ks, PASSWORD);
        return kmf.getKeyManagers();
    }

    /** PKIX trust managers over the given anchors; with CRLs, revocation is checked against them. */
    public static TrustManager[] trustManagers(Collection<X509Certificate> anchors, Collection<X509CRL> crls)
            throws GeneralSecurityException, IOException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (X509Certificate a : anchors) {
            ts.setCertificateEntry("ca" + i++, a);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        if (crls.isEmpty()) {
            tmf.init(ts);
        } else {
            PKIXBuilderParameters params = new PKIXBuilderParameters(ts, new X509CertSelector());
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            PKIXRevocationChecker checker = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX").getRevocationChecker();
            // CRLs only (no OCSP: nothing leaves this machine), and every certificate in the chain.
            checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                    PKIXRevocationChecker.Option.NO_FALLBACK));
            params.addCertPathChecker(checker);
            params.setRevocationEnabled(false); // the checker above does it
            params.setDate(new Date());
            tmf.init(new CertPathTrustManagerParameters(params));
        }
        return tmf.getTrustManagers();
    }
}
