package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.cli.CliServer;
import io.tlsaccel.interop.Peers.Proc;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI server with {@code --need-client-auth --ca --crl} against {@code openssl s_client}: a
 * client certificate on the CRL is refused with certificate_revoked, another one from the same
 * CA is accepted. TLS 1.3 always; TLS 1.2 once the provider has it.
 */
class RevocationInteropTest {
    static Credential ca;

    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.newCa("Revocation CA");
        Credential server = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        Credential good = TestPki.issue(ca, KeyType.EC_P256);
        Credential revoked = TestPki.issue(ca, KeyType.EC_P256);
        Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
        Peers.writeCerts(dir.resolve("server.pem"), server.chain());
        Peers.writeKey(dir.resolve("server.key"), server.keyPair());
        Peers.writeCerts(dir.resolve("good.pem"), good.chain());
        Peers.writeCerts(dir.resolve("revoked.pem"), revoked.chain());
        Peers.writeKey(dir.resolve("client.key"), revoked.keyPair()); // one key type, one cached key

        Instant now = Instant.now();
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                Date.from(now.minus(Duration.ofMinutes(5))));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        b.addCRLEntry(revoked.certificate().getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(5))), CRLReason.keyCompromise);
        X509CRLHolder crl = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keyPair().getPrivate()));
        Files.writeString(dir.resolve("crl.pem"), Peers.pem("X509 CRL", crl.getEncoded()), StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void revokedClientCertificateRejected(String version) throws Exception {
        if (version.equals("TLSv1.2")) {
            Peers.require(Peers.oursHasTls12(), "SSLContext.getInstance(\"TLSv1.2\", \"TlsAccel\") is not available yet");
        }
        String openssl = Peers.tool("openssl");
        String flag = version.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3";
        try (CliServer server = CliServer.start("--port", "0", "--echo", "--tls", version,
                "--cert", dir.resolve("server.pem").toString(), "--key", dir.resolve("server.key").toString(),
                "--need-client-auth", "--ca", dir.resolve("ca.pem").toString(), "--crl", dir.resolve("crl.pem").toString())) {
            for (String cert : List.of("good.pem", "revoked.pem")) {
                List<String> cmd = Proc.args(openssl, "s_client", "-connect", "127.0.0.1:" + server.port(), flag,
                        "-CAfile", "ca.pem", "-servername", "localhost", "-verify_return_error", "-ign_eof",
                        "-cert", cert, "-key", "client.key");
                try (Proc client = new Proc(cmd, dir)) {
                    client.send("ping-" + cert + "\n");
                    if (cert.equals("good.pem")) {
                        // the echo server answers and waits for more: stop the client once it has the echo
                        // (which OpenSSL may print in the middle of a line of its session dump)
                        client.await(java.util.regex.Pattern.compile("ping-good\\.pem"), 20_000);
                        String out = client.output();
                        assertTrue(out.contains("New, " + version + ", Cipher is "), out);
                        assertTrue(out.contains("Verify return code: 0 (ok)"), out);
                    } else {
                        client.closeInput();
                        client.waitFor(20_000);
                        String out = client.output();
                        String where = String.join(" ", cmd) + "\n" + out + "\nserver:\n" + server.output();
                        assertFalse(out.contains("ping-revoked.pem"), where);
                        assertTrue(out.contains("alert certificate revoked") || out.contains("alert number 44"), where);
                    }
                }
            }
        }
    }
}
