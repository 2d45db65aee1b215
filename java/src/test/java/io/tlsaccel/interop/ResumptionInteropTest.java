package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.interop.Peers.Proc;
import io.tlsaccel.tls.engine.TlsSession;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resumption against real peers, each case checking that the second connection really
 * resumed: OpenSSL's s_client (-sess_out / -sess_in) against our server, and our client
 * against OpenSSL's s_server.
 */
class ResumptionInteropTest {
    static Credential ca;
    static Credential server;
    static Credential client;

    @org.junit.jupiter.api.io.TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.newCa("Resumption interop CA");
        server = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        client = TestPki.issue(ca, KeyType.EC_P256);
        Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
        Peers.writeCerts(dir.resolve("server.pem"), server.chain());
        Peers.writeKey(dir.resolve("server.key"), server.keyPair());
        Peers.writeCerts(dir.resolve("client.pem"), client.chain());
        Peers.writeKey(dir.resolve("client.key"), client.keyPair());
    }

    /** One s_client connection to our server; returns its output and what our server saw. */
    private static Interop.Served opensslClient(SSLServerSocket ss, String session, boolean out, boolean clientAuth,
                                                StringBuilder output, String... versionArgs) throws Exception {
        var served = Interop.serveOnePong(ss);
        List<String> cmd = Proc.args(Peers.tool("openssl"), "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(),
                "-CAfile", "ca.pem", "-servername", "localhost", "-ign_eof", out ? "-sess_out" : "-sess_in", session);
        cmd.addAll(List.of(versionArgs));
        if (clientAuth) {
            cmd.addAll(List.of("-cert", "client.pem", "-key", "client.key"));
        }
        try (Proc c = new Proc(cmd, dir)) {
            c.send("ping\n");
            c.awaitText("pong", 20_000);
            c.closeInput();
            c.waitFor(20_000);
            output.append(c.output());
        }
        return served.get(20, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "client auth {0}")
    @ValueSource(booleans = {false, true})
    void opensslClientResumesWithOurServer(boolean clientAuth) throws Exception {
        SSLContext ctx = Peers.ours("TLS", TestPki.keyManagers(server), TestPki.trustManagers(ca));
        try (SSLServerSocket ss = Interop.listen(ctx, clientAuth)) {
            String session = "sess-" + clientAuth + ".pem";
            StringBuilder first = new StringBuilder();
            Interop.Served s1 = opensslClient(ss, session, true, clientAuth, first, "-tls1_3");
            assertNull(s1.error(), first::toString);
            assertFalse(s1.resumed());
            assertTrue(first.toString().contains("New, TLSv1.3"), first::toString);
            StringBuilder second = new StringBuilder();
            Interop.Served s2 = opensslClient(ss, session, false, clientAuth, second, "-tls1_3");
            assertNull(s2.error(), second::toString);
            assertTrue(second.toString().contains("Reused, TLSv1.3"), second::toString);
            assertTrue(s2.resumed(), "our server did not resume");
            if (clientAuth) {
                assertEquals(client.certificate(), s2.peerChain()[0], "the client's certificate survives resumption");
            }
        }
    }

    /** Our client against OpenSSL's s_server (-www), twice with one context: the second connection resumes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void ourClientResumesWithOpensslServer(String version) throws Exception {
        List<String> cmd = Proc.args(Peers.tool("openssl"), "s_server", "-accept", "127.0.0.1:0", version, "-www",
                "-naccept", "2", "-cert", "server.pem", "-key", "server.key");
        SSLContext ctx = Peers.ours("TLS", null, TestPki.trustManagers(ca));
        try (Proc server = new Proc(cmd, dir)) {
            int port = Integer.parseInt(server.await(OpenSslServerInteropTest.ACCEPT, 10_000));
            boolean[] resumed = new boolean[2];
            for (int i = 0; i < 2; i++) {
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
                    s.setSoTimeout(15_000);
                    s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    String status = r.readLine();
                    assertTrue(status != null && status.startsWith("HTTP/1.0 200"), String.valueOf(status));
                    while (r.readLine() != null) {
                        // the whole page, so that the tickets sent with it are read
                    }
                    assertEquals(version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2", s.getSession().getProtocol());
                    resumed[i] = ((TlsSession) s.getSession()).isResumed();
                }
            }
            assertFalse(resumed[0]);
            assertTrue(resumed[1], () -> "second connection not resumed; s_server said:\n" + server.output());
        }
    }

    /** TLS 1.2: with a ticket (RFC 5077) and, with -no_ticket, by session ID (RFC 5246 7.3); with and without client auth. */
    @ParameterizedTest(name = "tickets {0}, client auth {1}")
    @org.junit.jupiter.params.provider.CsvSource({"true, true", "false, true", "true, false", "false, false"})
    void opensslClientResumesTls12(boolean tickets, boolean clientAuth) throws Exception {
        SSLContext ctx = Peers.ours("TLS", TestPki.keyManagers(server), TestPki.trustManagers(ca));
        try (SSLServerSocket ss = Interop.listen(ctx, clientAuth)) {
            String session = "sess12-" + tickets + "-" + clientAuth + ".pem";
            String[] args = tickets ? new String[] {"-tls1_2"} : new String[] {"-tls1_2", "-no_ticket"};
            StringBuilder first = new StringBuilder();
            Interop.Served s1 = opensslClient(ss, session, true, clientAuth, first, args);
            assertNull(s1.error(), first::toString);
            assertTrue(first.toString().contains("New, TLSv1.2"), first::toString);
            StringBuilder second = new StringBuilder();
            Interop.Served s2 = opensslClient(ss, session, false, clientAuth, second, args);
            assertNull(s2.error(), second::toString);
            assertTrue(second.toString().contains("Reused, TLSv1.2"), second::toString);
            assertTrue(s2.resumed());
            if (clientAuth) {
                assertEquals(client.certificate(), s2.peerChain()[0]);
            }
        }
    }

    /**
     * gnutls-cli --resume against our server; in TLS 1.2 without the extended master secret
     * (RFC 7627 5.3, GnuTLS's %NO_SESSION_HASH) nothing resumes.
     */
    @ParameterizedTest(name = "{0}, extended master secret {1}")
    @org.junit.jupiter.params.provider.CsvSource({"TLS1.3, true", "TLS1.2, true", "TLS1.2, false"})
    void gnutlsClient(String version, boolean ems) throws Exception {
        String gnutls = Peers.tool("gnutls-cli");
        String old = System.getProperty("tlsaccel.tls12.requireExtendedMasterSecret");
        if (!ems) {
            System.setProperty("tlsaccel.tls12.requireExtendedMasterSecret", "false");
        }
        SSLContext ctx = Peers.ours("TLS", TestPki.keyManagers(server), TestPki.trustManagers(ca));
        try (SSLServerSocket ss = Interop.listen(ctx, false)) {
            var first = Interop.serveOnePong(ss);
            String priority = "NORMAL:-VERS-ALL:+VERS-" + version + (ems ? "" : ":%NO_SESSION_HASH");
            List<String> cmd = Proc.args(gnutls, "-p", Integer.toString(ss.getLocalPort()), "--x509cafile", "ca.pem",
                    "--resume", "--priority", priority, "localhost");
            if (version.equals("TLS1.3")) {
                cmd.add(cmd.size() - 1, "--waitresumption"); // the ticket comes after the handshake
            }
            try (Proc c = new Proc(cmd, dir)) {
                c.send("ping\n");
                Interop.Served s1 = first.get(20, TimeUnit.SECONDS);
                assertNull(s1.error(), c::output);
                var second = Interop.serveOnePong(ss);
                c.awaitText("Resume Handshake was completed", 20_000);
                c.send("ping\n");
                Interop.Served s2 = second.get(20, TimeUnit.SECONDS);
                c.closeInput();
                c.waitFor(20_000);
                assertNull(s2.error(), c::output);
                assertEquals(ems, c.output().contains("This is a resumed session"), c::output);
                assertEquals(ems, s2.resumed(), "our server resumed");
            }
        } finally {
            if (old == null) {
                System.clearProperty("tlsaccel.tls12.requireExtendedMasterSecret");
            } else {
                System.setProperty("tlsaccel.tls12.requireExtendedMasterSecret", old);
            }
        }
    }
}
