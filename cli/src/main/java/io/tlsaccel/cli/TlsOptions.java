package io.tlsaccel.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import picocli.CommandLine.Option;

/** The options the server and client share: identities, trust, versions, suites. */
final class TlsOptions {

    @Option(names = "--cert", paramLabel = "PEM",
            description = "Certificate chain (PEM, leaf first). Repeat with --key for several identities.")
    List<Path> certs = new ArrayList<>();

    @Option(names = "--key", paramLabel = "PEM", description = "Private key (PEM, PKCS#8 or traditional) for the --cert at the same position.")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--ca", paramLabel = "PEM", description = "Trusted CA certificates (PEM).")
    List<Path> cas = new ArrayList<>();

    @Option(names = "--crl", paramLabel = "PEM", description = "CRLs: revocation of the peer's chain is checked against them.")
    List<Path> crls = new ArrayList<>();

    @Option(names = "--tls", split = ",", paramLabel = "VERSION",
            description = "Protocol versions to enable, e.g. TLSv1.3,TLSv1.2 (default: all the provider enables).")
    List<String> versions = new ArrayList<>();

    @Option(names = "--suites", split = ",", paramLabel = "SUITE", description = "Cipher suites to enable, in order of preference.")
    List<String> suites = new ArrayList<>();

    @Option(names = "--provider", hidden = true, defaultValue = "TlsAccel",
            description = "JSSE provider (for comparisons with SunJSSE).")
    String provider;

    List<Pki.Identity> identities() throws IOException, GeneralSecurityException {
        if (certs.size() != keys.size()) {
            throw new IllegalArgumentException("give one --key for each --cert (" + certs.size() + " certs, "
                    + keys.size() + " keys)");
        }
        List<Pki.Identity> ids = new ArrayList<>();
        for (int i = 0; i < certs.size(); i++) {
            ids.add(new Pki.Identity(Pki.readPrivateKey(keys.get(i)), Pki.readCertificates(certs.get(i))));
        }
        return ids;
    }

    List<X509Certificate> anchors() throws IOException, GeneralSecurityException {
        List<X509Certificate> all = new ArrayList<>();
        for (Path p : cas) {
            all.addAll(Pki.readCertificates(p));
        }
        return all;
    }

    List<X509CRL> revocations() throws IOException, GeneralSecurityException {
        List<X509CRL> all = new ArrayList<>();
        for (Path p : crls) {
            all.addAll(Pki.readCrls(p));
        }
        return all;
    }

    SSLContext context(KeyManager[] km, TrustManager[] tm) throws GeneralSecurityException {
        if (Security.getProvider(provider) == null) {
            // our provider is listed in META-INF/services; install it on first use
            for (java.security.Provider p : java.util.ServiceLoader.load(java.security.Provider.class)) {
                if (p.getName().equals(provider)) {
                    Security.addProvider(p);
                }
            }
        }
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS", provider);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("provider " + provider + " offers no SSLContext TLS: " + e.getMessage(), e);
        }
        ctx.init(km, tm, null);
        return ctx;
    }

    void apply(SSLParameters p) {
        if (!versions.isEmpty()) {
            p.setProtocols(versions.toArray(new String[0]));
        }
        if (!suites.isEmpty()) {
            p.setCipherSuites(suites.toArray(new String[0]));
            p.setUseCipherSuitesOrder(true);
        }
    }
}
