package io.tlsaccel.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.provider.TlsAccelProvider;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ServiceLoader;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.ssl.ALPNProcessor;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Jetty 12 server with ALPN (h2, http/1.1) on our provider: without our processors Jetty finds
 * none for our engine and closes every connection after the ClientHello.
 */
class AlpnProcessorTest {
    private static Credential ca;
    private static JettyTestServer server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        ca = TestPki.newCa("Jetty ALPN test CA");
        Credential leaf = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        server = JettyTestServer.start(context(TlsAccelProvider.NAME, TestPki.keyManagers(leaf), TestPki.trustManagers(ca)),
                "TLSv1.3", "TLSv1.2");
        port = server.port();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static SSLContext context(String provider, KeyManager[] km, TrustManager[] tm) throws Exception {
        TlsAccelProvider.install();
        SSLContext c = SSLContext.getInstance("TLS", provider);
        c.init(km, tm, new SecureRandom());
        return c;
    }

    @Test
    void processorsAreJettyServices() {
        assertTrue(ServiceLoader.load(ALPNProcessor.Server.class).stream()
                .anyMatch(p -> p.type() == TlsAccelServerAlpnProcessor.class));
        assertTrue(ServiceLoader.load(ALPNProcessor.Client.class).stream()
                .anyMatch(p -> p.type() == TlsAccelClientAlpnProcessor.class));
    }

    /** The server processor, with the JDK's own client (SunJSSE) offering h2. */
    @Test
    void serverNegotiatesH2WithJdkClient() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(context("SunJSSE", new KeyManager[0], TestPki.trustManagers(ca))).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals("HTTP/2.0 TLSv1.3", r.body());
    }

    /** A client that sends no ALPN extension gets Jetty's default protocol, HTTP/1.1. */
    @Test
    void clientWithoutAlpnGetsHttp11() throws Exception {
        SSLContext jdk = context("SunJSSE", new KeyManager[0], TestPki.trustManagers(ca));
        try (SSLSocket s = (SSLSocket) jdk.getSocketFactory().createSocket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
            assertTrue(reply.endsWith("HTTP/1.1 TLSv1.3"), reply);
        }
    }

    /** The client processor: Jetty's HttpClient over HTTP/2 with our engine on both ends. */
    @Test
    void jettyClientOnOurProviderNegotiatesH2() throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(context(TlsAccelProvider.NAME, new KeyManager[0], TestPki.trustManagers(ca)));
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        org.eclipse.jetty.client.HttpClient client =
                new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        client.start();
        try {
            ContentResponse r = client.GET("https://localhost:" + port + "/");
            assertEquals(200, r.getStatus());
            assertEquals("HTTP/2.0 TLSv1.3", r.getContentAsString());
        } finally {
            client.stop();
        }
    }
}
