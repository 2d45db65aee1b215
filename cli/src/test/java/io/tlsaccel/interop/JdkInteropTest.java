package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.cli.CliServer;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Against the JDK's own TLS: our client to a SunJSSE server and a SunJSSE client to our server
 * over real sockets (every suite, the three certificate types, client auth on and off), and the
 * JDK's {@link HttpClient} fetching a page from the CLI's {@code server}.
 */
class JdkInteropTest {
    static final KeyType[] CERTS = {KeyType.EC_P256, KeyType.RSA, KeyType.ED25519};
    static Credential ca;

    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.newCa("JDK interop CA");
        Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
        Credential server = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        Peers.writeCerts(dir.resolve("server.pem"), server.chain());
        Peers.writeKey(dir.resolve("server.key"), server.keyPair());
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (boolean ourServer : new boolean[] {false, true}) {
            for (int s = 0; s < 3; s++) {
                for (boolean auth : new boolean[] {false, true}) {
                    out.add(Arguments.of(ourServer ? "ours" : "SunJSSE", Peers.TLS13_SUITES[s],
                            CERTS[(s + (auth ? 1 : 0)) % 3], auth));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "server {0}, {1}, {2} cert, client auth {3}")
    @MethodSource("cases")
    void socketsAgainstSunJsse(String serverSide, String suite, KeyType cert, boolean clientAuth) throws Exception {
        boolean ourServer = serverSide.equals("ours");
        Credential leaf = TestPki.issue(ca, cert, "localhost");
        Credential client = TestPki.issue(ca, CERTS[(List.of(CERTS).indexOf(cert) + 2) % 3]);
        KeyManager[] clientKm = clientAuth ? TestPki.keyManagers(client) : new KeyManager[0];
        SSLContext serverCtx = ourServer ? Peers.ours("TLS", TestPki.keyManagers(leaf), TestPki.trustManagers(ca))
                : Peers.jdk("TLSv1.3", TestPki.keyManagers(leaf), TestPki.trustManagers(ca));
        SSLContext clientCtx = ourServer ? Peers.jdk("TLSv1.3", clientKm, TestPki.trustManagers(ca))
                : Peers.ours("TLSv1.3", clientKm, TestPki.trustManagers(ca));
        try (SSLServerSocket ss = Interop.listen(serverCtx, clientAuth)) {
            var served = Interop.serveOnePong(ss);
            try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory().createSocket("localhost", ss.getLocalPort())) {
                c.setSoTimeout(15_000);
                SSLParameters p = c.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setProtocols(new String[] {"TLSv1.3"});
                p.setCipherSuites(new String[] {suite});
                c.setSSLParameters(p);
                c.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
                c.getOutputStream().flush();
                String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertEquals("pong " + suite + " ping", line);
                assertEquals(suite, c.getSession().getCipherSuite());
                assertEquals("TLSv1.3", c.getSession().getProtocol());
                assertEquals(leaf.keyPair().getPublic(), c.getSession().getPeerCertificates()[0].getPublicKey());
            }
            Interop.Served s = served.get(20, TimeUnit.SECONDS);
            assertNull(s.error(), () -> "server: " + s.error());
            assertEquals(suite, s.suite());
            if (clientAuth) {
                assertEquals(client.keyPair().getPublic(), s.peerChain()[0].getPublicKey());
            } else {
                assertNull(s.peerChain());
            }
        }
    }

    /** java.net.http.HttpClient (on our SSLContext, or the JDK's) fetching the CLI server's page. */
    @ParameterizedTest(name = "HttpClient on {0}")
    @ValueSource(strings = {"ours", "SunJSSE"})
    void httpClientFetchesPageFromCliServer(String clientSide) throws Exception {
        SSLContext ctx = clientSide.equals("ours") ? Peers.ours("TLS", new KeyManager[0], TestPki.trustManagers(ca))
                : Peers.jdk("TLSv1.3", new KeyManager[0], TestPki.trustManagers(ca));
        try (CliServer server = CliServer.start("--port", "0", "--cert", dir.resolve("server.pem").toString(),
                "--key", dir.resolve("server.key").toString())) {
            HttpClient http = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < 3; i++) { // keep-alive: later requests reuse the connection
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/"))
                        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("<h1>Hello over TLSv1.3</h1>"), r.body());
                assertTrue(r.sslSession().isPresent());
                assertEquals("TLSv1.3", r.sslSession().get().getProtocol());
            }
            // the default version (HTTP/2 offered through ALPN; the server answers HTTP/1.1)
            HttpClient h2 = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/x"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        }
    }

    /** TLS 1.2 against SunJSSE both ways: every TLS 1.2 suite both implement (and SunJSSE enables). */
    @ParameterizedTest(name = "TLS 1.2, server {0}")
    @ValueSource(strings = {"ours", "SunJSSE"})
    void tls12AgainstSunJsse(String serverSide) throws Exception {
        Peers.require(Peers.oursHasTls12(), "SSLContext.getInstance(\"TLSv1.2\", \"TlsAccel\") is not available yet");
        boolean ourServer = serverSide.equals("ours");
        Credential ec = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        Credential rsa = TestPki.issue(ca, KeyType.RSA, "localhost");
        Credential client = TestPki.issue(ca, KeyType.EC_P256);
        List<String> jdkSuites = List.of(Peers.jdk("TLSv1.2", null, TestPki.trustManagers(ca))
                .getDefaultSSLParameters().getCipherSuites());
        List<String> suites = new ArrayList<>();
        for (String s : Peers.ours("TLSv1.2", new KeyManager[0], TestPki.trustManagers(ca))
                .getSupportedSSLParameters().getCipherSuites()) {
            if (s.contains("_WITH_") && jdkSuites.contains(s)) {
                suites.add(s);
            }
        }
        Peers.require(!suites.isEmpty(), "no TLS 1.2 suite in common with SunJSSE");
        int i = 0;
        for (String suite : suites) {
            boolean clientAuth = i++ % 2 == 1;
            KeyManager[] clientKm = clientAuth ? TestPki.keyManagers(client) : new KeyManager[0];
            SSLContext serverCtx = ourServer ? Peers.ours("TLS", TestPki.keyManagers(ec, rsa), TestPki.trustManagers(ca))
                    : Peers.jdk("TLSv1.2", TestPki.keyManagers(ec, rsa), TestPki.trustManagers(ca));
            SSLContext clientCtx = ourServer ? Peers.jdk("TLSv1.2", clientKm, TestPki.trustManagers(ca))
                    : Peers.ours("TLSv1.2", clientKm, TestPki.trustManagers(ca));
            try (SSLServerSocket ss = Interop.listen(serverCtx, clientAuth)) {
                var served = Interop.serveOnePong(ss);
                try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory().createSocket("localhost", ss.getLocalPort())) {
                    c.setSoTimeout(15_000);
                    SSLParameters p = c.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    p.setProtocols(new String[] {"TLSv1.2"});
                    p.setCipherSuites(new String[] {suite});
                    c.setSSLParameters(p);
                    c.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
                    c.getOutputStream().flush();
                    String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    assertEquals("pong " + suite + " ping", line);
                    assertEquals("TLSv1.2", c.getSession().getProtocol());
                }
                Interop.Served s = served.get(20, TimeUnit.SECONDS);
                assertNull(s.error(), () -> suite + ": server: " + s.error());
                assertEquals(suite, s.suite());
                assertEquals(clientAuth, s.peerChain() != null, suite);
            }
        }
    }

    /** HttpClient on our SSLContext against the CLI server restricted to TLS 1.2 (--tls TLSv1.2). */
    @ParameterizedTest(name = "HttpClient over TLS 1.2 on {0}")
    @ValueSource(strings = {"ours", "SunJSSE"})
    void httpClientOverTls12(String clientSide) throws Exception {
        Peers.require(Peers.oursHasTls12(), "SSLContext.getInstance(\"TLSv1.2\", \"TlsAccel\") is not available yet");
        SSLContext ctx = clientSide.equals("ours") ? Peers.ours("TLS", new KeyManager[0], TestPki.trustManagers(ca))
                : Peers.jdk("TLS", new KeyManager[0], TestPki.trustManagers(ca));
        try (CliServer server = CliServer.start("--port", "0", "--tls", "TLSv1.2", "--cert", dir.resolve("server.pem").toString(),
                "--key", dir.resolve("server.key").toString())) {
            HttpClient http = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/"))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("<h1>Hello over TLSv1.2</h1>"), r.body());
            assertEquals("TLSv1.2", r.sslSession().orElseThrow().getProtocol());
        }
    }
}
