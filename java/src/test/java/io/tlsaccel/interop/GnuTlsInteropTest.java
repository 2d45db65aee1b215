package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.interop.Peers.Proc;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gnutls-cli} (TLS 1.3) against our server: default, ChaCha20, client auth, other certificates and groups. */
class GnuTlsInteropTest {
    static Credential ca;

    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.newCa("GnuTLS interop CA");
        Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
        Credential client = TestPki.issue(ca, KeyType.EC_P256);
        Peers.writeCerts(dir.resolve("client.pem"), client.chain());
        Peers.writeKey(dir.resolve("client.key"), client.keyPair());
    }

    @ParameterizedTest(name = "{0}: {1} cert, priority {2}, client auth {3}")
    @CsvSource({
        "default,      EC_P256, NORMAL,                                                              false, TLS_AES_128_GCM_SHA256,       ECDHE-X25519",
        "chacha20,     EC_P256, NORMAL:-CIPHER-ALL:+CHACHA20-POLY1305,                                false, TLS_CHACHA20_POLY1305_SHA256, ECDHE-X25519",
        "client auth,  EC_P256, NORMAL,                                                              true,  TLS_AES_128_GCM_SHA256,       ECDHE-X25519",
        "aes128 P-256, RSA,     NORMAL:-CIPHER-ALL:+AES-128-GCM:-GROUP-ALL:+GROUP-SECP256R1,           true,  TLS_AES_128_GCM_SHA256,       ECDHE-SECP256R1",
        "P-384,        ED25519, NORMAL:-GROUP-ALL:+GROUP-SECP384R1,                                   false, TLS_AES_128_GCM_SHA256,       ECDHE-SECP384R1",
    })
    void gnutlsClient(String name, KeyType cert, String priority, boolean clientAuth, String suite, String group)
            throws Exception {
        String gnutls = Peers.tool("gnutls-cli");
        Credential leaf = TestPki.issue(ca, cert, "localhost");
        SSLContext ctx = Peers.ours("TLS", TestPki.keyManagers(leaf), TestPki.trustManagers(ca));
        try (SSLServerSocket ss = Interop.listen(ctx, clientAuth)) {
            var served = Interop.serveOnePong(ss);
            List<String> cmd = Proc.args(gnutls, "127.0.0.1", "-p", Integer.toString(ss.getLocalPort()),
                    "--x509cafile", "ca.pem", "--sni-hostname", "localhost", "--verify-hostname", "localhost",
                    "--priority", priority + ":-VERS-ALL:+VERS-TLS1.3");
            if (clientAuth) {
                cmd.addAll(List.of("--x509certfile", "client.pem", "--x509keyfile", "client.key"));
            }
            try (Proc client = new Proc(cmd, dir)) {
                client.send("ping\n");
                // gnutls-cli may stop reading at the end of its input: close it only after the answer
                client.awaitText("pong ", 20_000);
                client.closeInput();
                client.waitFor(20_000);
                String out = client.output();
                Interop.Served s = served.get(20, TimeUnit.SECONDS);
                String where = String.join(" ", cmd) + "\n" + out;
                assertNull(s.error(), () -> where + "\nserver error: " + s.error());
                assertTrue(out.contains("pong " + suite + " ping"), where);
                assertTrue(out.contains("- Status: The certificate is trusted."), where);
                assertTrue(out.contains("(TLS1.3-X.509)-(" + group + ")-"), where);
                assertEquals(suite, s.suite());
                assertEquals("TLSv1.3", s.protocol());
                assertEquals(clientAuth, s.peerChain() != null);
            }
        }
    }
}
