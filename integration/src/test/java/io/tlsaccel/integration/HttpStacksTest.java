package io.tlsaccel.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tlsaccel.provider.TlsAccelProvider;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jetty 12, Tomcat 11 (HTTP/1.1 and h2) and Netty (HTTP/1.1) on our provider, TLS 1.3 and 1.2,
 * each fetched over loopback by curl, the JDK HttpClient, OkHttp and Apache HttpClient 5. The
 * server answers the HTTP and TLS versions it saw; the client must have seen the same HTTP version.
 */
class HttpStacksTest {
    private static final List<String> TLS_VERSIONS = List.of("TLSv1.3", "TLSv1.2");
    private static final Map<String, TestServer> SERVERS = new HashMap<>();
    private static Credential leaf;
    private static HttpClientKind.Trust trust;
    private static HttpClientKind.Trust ourTrust;

    @BeforeAll
    static void pki(@TempDir Path dir) throws Exception {
        Credential ca = TestPki.newCa("HTTP stacks test CA");
        leaf = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        TrustManager[] tm = TestPki.trustManagers(ca);
        SSLContext jdk = SSLContext.getInstance("TLS", "SunJSSE");
        jdk.init(null, tm, new SecureRandom());
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ca.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        trust = new HttpClientKind.Trust(jdk, (X509TrustManager) tm[0], pem);
        TlsAccelProvider.install();
        SSLContext ours = SSLContext.getInstance("TLS", TlsAccelProvider.NAME);
        ours.init(null, tm, new SecureRandom());
        ourTrust = new HttpClientKind.Trust(ours, (X509TrustManager) tm[0], pem);
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (TestServer s : SERVERS.values()) {
            s.close();
        }
        SERVERS.clear();
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (ServerKind server : ServerKind.values()) {
            for (String tls : TLS_VERSIONS) {
                for (String http : List.of("HTTP/2.0", "HTTP/1.1")) {
                    if (server == ServerKind.NETTY && http.equals("HTTP/2.0")) {
                        continue;
                    }
                    for (HttpClientKind client : HttpClientKind.values()) {
                        cases.add(Arguments.of(server, tls, http, client));
                    }
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} {1} {2} <- {3}")
    @MethodSource("cases")
    void clientFetchesPage(ServerKind kind, String tls, String http, HttpClientKind client) throws Exception {
        check(kind + " " + tls + " " + http + " <- " + client, server(kind, tls), tls, http, client, trust);
    }

    static Stream<Arguments> ourClientCases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String tls : TLS_VERSIONS) {
            for (String http : List.of("HTTP/2.0", "HTTP/1.1")) {
                for (HttpClientKind client : HttpClientKind.values()) {
                    if (client != HttpClientKind.CURL) {
                        cases.add(Arguments.of(tls, http, client));
                    }
                }
            }
        }
        return cases.build();
    }

    /** The Java clients on our provider too (the README's client recipes), against Jetty. */
    @ParameterizedTest(name = "JETTY {0} {1} <- {2} on TlsAccel")
    @MethodSource("ourClientCases")
    void clientOnOurProviderFetchesPage(String tls, String http, HttpClientKind client) throws Exception {
        check("JETTY " + tls + " " + http + " <- " + client + " on TlsAccel", server(ServerKind.JETTY, tls), tls, http, client, ourTrust);
    }

    /** Client and server both saw {@code http}, the server {@code tls}; the case is named in any failure. */
    private static void check(String name, TestServer server, String tls, String http, HttpClientKind client,
            HttpClientKind.Trust trust) {
        String got;
        try {
            got = client.fetch(URI.create("https://localhost:" + server.port() + "/"), http.equals("HTTP/2.0"), trust);
        } catch (Exception e) {
            throw new AssertionError(name + ": " + e, e);
        }
        assertEquals(http + " " + http + " " + tls, got, name);
    }

    private static TestServer server(ServerKind kind, String tls) throws Exception {
        String key = kind + " " + tls;
        TestServer s = SERVERS.get(key);
        if (s == null) {
            s = kind.start(leaf, tls);
            SERVERS.put(key, s);
        }
        return s;
    }
}
