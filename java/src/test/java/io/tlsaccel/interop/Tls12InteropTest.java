package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.interop.Peers.Proc;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS 1.2 against {@code openssl s_server/s_client -tls1_2}: every TLS 1.2 suite our provider
 * offers, with and without client authentication. Skipped (with the reason printed) while the
 * provider has no {@code SSLContext.TLSv1.2}.
 */
class Tls12InteropTest {
    static Credential ca;
    static Credential ecLeaf;
    static Credential rsaLeaf;

    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.newCa("TLS 1.2 interop CA");
        ecLeaf = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        rsaLeaf = TestPki.issue(ca, KeyType.RSA, "localhost");
        Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
        Peers.writeCerts(dir.resolve("ec.pem"), ecLeaf.chain());
        Peers.writeKey(dir.resolve("ec.key"), ecLeaf.keyPair());
        Peers.writeCerts(dir.resolve("rsa.pem"), rsaLeaf.chain());
        Peers.writeKey(dir.resolve("rsa.key"), rsaLeaf.keyPair());
        Credential client = TestPki.issue(ca, KeyType.EC_P256);
        Peers.writeCerts(dir.resolve("client.pem"), client.chain());
        Peers.writeKey(dir.resolve("client.key"), client.keyPair());
    }

    static void requireTls12() {
        Peers.require(Peers.oursHasTls12(), "SSLContext.getInstance(\"TLSv1.2\", \"TlsAccel\") is not available yet");
    }

    /** The TLS 1.2 suites our provider supports (standard names). */
    static List<String> ourTls12Suites() throws Exception {
        SSLContext c = Peers.ours("TLSv1.2", new KeyManager[0], TestPki.trustManagers(ca));
        List<String> out = new ArrayList<>();
        for (String s : c.getSupportedSSLParameters().getCipherSuites()) {
            if (s.contains("_WITH_")) {
                out.add(s);
            }
        }
        assertFalse(out.isEmpty(), "no TLS 1.2 suite in " + Arrays.toString(c.getSupportedSSLParameters().getCipherSuites()));
        return out;
    }

    /** Standard suite name to OpenSSL's, from {@code openssl ciphers -stdname}. */
    static Map<String, String> opensslNames(String openssl) throws Exception {
        try (Proc p = Proc.start(dir, openssl, "ciphers", "-stdname", "ALL")) {
            p.waitFor(10_000);
            Map<String, String> m = new HashMap<>();
            for (String line : p.output().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3 && f[1].equals("-")) {
                    m.put(f[0], f[2]);
                }
            }
            return m;
        }
    }

    @ParameterizedTest(name = "our client, s_server -tls1_2, client auth {0}")
    @ValueSource(booleans = {false, true})
    void ourClientAgainstOpensslServer(boolean clientAuth) throws Exception {
        requireTls12();
        String openssl = Peers.tool("openssl");
        Map<String, String> names = opensslNames(openssl);
        List<String> cmd = Proc.args(openssl, "s_server", "-accept", "127.0.0.1:0", "-tls1_2", "-www",
                "-cert", "ec.pem", "-key", "ec.key", "-dcert", "rsa.pem", "-dkey", "rsa.key", "-cipher", "ALL");
        Credential client = null;
        if (clientAuth) {
            cmd.addAll(List.of("-Verify", "1", "-CAfile", "ca.pem", "-verify_return_error"));
            client = TestPki.issue(ca, KeyType.RSA);
        }
        SSLContext ctx = Peers.ours("TLSv1.2", client == null ? new KeyManager[0] : TestPki.keyManagers(client),
                TestPki.trustManagers(ca));
        try (Proc server = new Proc(cmd, dir)) {
            int port = Integer.parseInt(server.await(OpenSslServerInteropTest.ACCEPT, 10_000));
            for (String suite : ourTls12Suites()) {
                String page;
                try (Socket plain = new Socket()) {
                    plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    plain.setSoTimeout(10_000);
                    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true);
                    SSLParameters p = s.getSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.2"});
                    p.setCipherSuites(new String[] {suite});
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    p.setServerNames(List.of(new SNIHostName("localhost")));
                    s.setSSLParameters(p);
                    s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    s.getInputStream().transferTo(got);
                    page = got.toString(StandardCharsets.ISO_8859_1);
                    assertEquals(suite, s.getSession().getCipherSuite());
                    assertEquals("TLSv1.2", s.getSession().getProtocol());
                    s.close();
                }
                String where = suite + "\npage:\n" + page + "\nserver output:\n" + server.output();
                assertTrue(page.startsWith("HTTP/1.0 200 ok"), where);
                assertTrue(page.contains("New, TLSv1.2, Cipher is " + names.getOrDefault(suite, suite)), where);
                assertEquals(clientAuth, page.contains("Client certificate"), where);
            }
        }
    }

    @ParameterizedTest(name = "s_client -tls1_2 to our server, client auth {0}")
    @ValueSource(booleans = {false, true})
    void opensslClientAgainstOurServer(boolean clientAuth) throws Exception {
        requireTls12();
        String openssl = Peers.tool("openssl");
        Map<String, String> names = opensslNames(openssl);
        // One run on a TLS 1.2-only server, one on a 1.3+1.2 server: OpenSSL's ClientHello record says
        // {3, 1}, which a TLS 1.2-only server must accept (it used to answer protocol_version).
        SSLContext ctx = Peers.ours(clientAuth ? "TLSv1.2" : "TLS", TestPki.keyManagers(ecLeaf, rsaLeaf),
                TestPki.trustManagers(ca));
        for (String suite : ourTls12Suites()) {
            String name = names.get(suite);
            if (name == null) {
                System.out.println("openssl does not know " + suite + ": not tried");
                continue;
            }
            try (SSLServerSocket ss = Interop.listen(ctx, clientAuth)) {
                var served = Interop.serveOnePong(ss);
                List<String> cmd = Proc.args(openssl, "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(),
                        "-tls1_2", "-cipher", name, "-CAfile", "ca.pem", "-servername", "localhost",
                        "-verify_hostname", "localhost", "-verify_return_error", "-ign_eof");
                if (clientAuth) {
                    cmd.addAll(List.of("-cert", "client.pem", "-key", "client.key"));
                }
                try (Proc client = new Proc(cmd, dir)) {
                    client.send("ping\n");
                    client.closeInput();
                    int exit = client.waitFor(20_000);
                    String out = client.output();
                    Interop.Served s = served.get(20, TimeUnit.SECONDS);
                    String where = String.join(" ", cmd) + "\n" + out;
                    assertNull(s.error(), () -> where + "\nserver error: " + s.error());
                    assertEquals(0, exit, where);
                    assertTrue(out.contains("pong " + suite + " ping"), where);
                    assertTrue(out.contains("New, TLSv1.2, Cipher is " + name), where);
                    assertTrue(out.contains("Verify return code: 0 (ok)"), where);
                    assertEquals("TLSv1.2", s.protocol());
                    assertEquals(suite, s.suite());
                    assertEquals(clientAuth, s.peerChain() != null);
                }
            }
        }
    }

    /** gnutls-cli with TLS 1.2 only against our server (ECDSA and RSA certificates offered). */
    @ParameterizedTest(name = "gnutls-cli TLS 1.2, priority {0}")
    @ValueSource(strings = {"NORMAL", "NORMAL:-CIPHER-ALL:+CHACHA20-POLY1305:-KX-ALL:+ECDHE-RSA"})
    void gnutlsClientAgainstOurServer(String priority) throws Exception {
        requireTls12();
        String gnutls = Peers.tool("gnutls-cli");
        SSLContext ctx = Peers.ours("TLS", TestPki.keyManagers(ecLeaf, rsaLeaf), TestPki.trustManagers(ca));
        try (SSLServerSocket ss = Interop.listen(ctx, true)) {
            var served = Interop.serveOnePong(ss);
            List<String> cmd = Proc.args(gnutls, "127.0.0.1", "-p", Integer.toString(ss.getLocalPort()),
                    "--x509cafile", "ca.pem", "--sni-hostname", "localhost", "--verify-hostname", "localhost",
                    "--priority", priority + ":-VERS-ALL:+VERS-TLS1.2",
                    "--x509certfile", "client.pem", "--x509keyfile", "client.key");
            try (Proc client = new Proc(cmd, dir)) {
                client.send("ping\n");
                client.awaitText("pong ", 20_000);
                client.closeInput();
                client.waitFor(20_000);
                String out = client.output();
                Interop.Served s = served.get(20, TimeUnit.SECONDS);
                String where = String.join(" ", cmd) + "\n" + out;
                assertNull(s.error(), () -> where + "\nserver error: " + s.error());
                assertEquals("TLSv1.2", s.protocol());
                assertTrue(out.contains("pong " + s.suite() + " ping"), where);
                assertTrue(out.contains("- Description: (TLS1.2-X.509)-"), where);
                assertTrue(out.contains("- Status: The certificate is trusted."), where);
                if (priority.contains("CHACHA20")) {
                    assertEquals("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", s.suite(), where);
                }
                assertTrue(s.peerChain() != null);
            }
        }
    }
}
