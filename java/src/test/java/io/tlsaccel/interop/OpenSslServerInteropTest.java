package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our TLS 1.3 client against {@code openssl s_server -tls1_3 -www}: the full matrix of suite x
 * group x server certificate type, with and without client authentication. One s_server per
 * (certificate, group, client auth) accepts only that group (so an x25519-first client gets a
 * HelloRetryRequest for the NIST groups); the client enables one suite per connection.
 */
class OpenSslServerInteropTest {
    static final Pattern ACCEPT = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)");
    static Credential ca;
    static Path dir;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void pki() throws Exception {
        dir = tmp;
        ca = TestPki.newCa("Interop CA");
        Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
        for (KeyType t : new KeyType[] {KeyType.EC_P256, KeyType.RSA, KeyType.ED25519}) {
            Credential leaf = TestPki.issue(ca, t, "localhost");
            Peers.writeCerts(dir.resolve(t + ".pem"), leaf.chain());
            Peers.writeKey(dir.resolve(t + ".key"), leaf.keyPair());
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (KeyType cert : new KeyType[] {KeyType.EC_P256, KeyType.RSA, KeyType.ED25519}) {
            for (String group : new String[] {"x25519", "P-256", "P-384"}) {
                for (boolean auth : new boolean[] {false, true}) {
                    out.add(Arguments.of(cert, group, auth));
                }
            }
        }
        return out.stream();
    }

    static String opensslGroupName(String group) {
        switch (group) {
            case "P-256": return "secp256r1";
            case "P-384": return "secp384r1";
            default: return group;
        }
    }

    @ParameterizedTest(name = "{0} cert, {1}, client auth {2}")
    @MethodSource("matrix")
    void ourClientEverySuite(KeyType cert, String group, boolean clientAuth) throws Exception {
        String openssl = Peers.tool("openssl");
        List<String> cmd = Proc.args(openssl, "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-www",
                "-cert", cert + ".pem", "-key", cert + ".key", "-groups", group,
                "-ciphersuites", String.join(":", Peers.TLS13_SUITES), "-naccept", "3");
        // A client certificate of another type than the server's, so all types sign a CertificateVerify.
        Credential client = null;
        if (clientAuth) {
            cmd.addAll(List.of("-Verify", "1", "-CAfile", "ca.pem", "-verify_return_error"));
            KeyType ct = cert == KeyType.EC_P256 ? KeyType.ED25519 : cert == KeyType.RSA ? KeyType.EC_P256 : KeyType.RSA;
            client = TestPki.issue(ca, ct);
        }
        KeyManager[] km = client == null ? new KeyManager[0] : TestPki.keyManagers(client);
        SSLContext ctx = Peers.ours("TLSv1.3", km, TestPki.trustManagers(ca));
        try (Proc server = new Proc(cmd, dir)) {
            int port = Integer.parseInt(server.await(ACCEPT, 10_000));
            for (String suite : Peers.TLS13_SUITES) {
                String page;
                try (Socket plain = new Socket()) {
                    plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    plain.setSoTimeout(10_000);
                    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true);
                    SSLParameters p = s.getSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.3"});
                    p.setCipherSuites(new String[] {suite});
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    p.setServerNames(List.of(new SNIHostName("localhost")));
                    s.setSSLParameters(p);
                    s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = s.getInputStream().read(buf)) > 0) {
                        got.write(buf, 0, n);
                    }
                    page = got.toString(StandardCharsets.ISO_8859_1);
                    assertEquals(suite, s.getSession().getCipherSuite());
                    assertEquals("TLSv1.3", s.getSession().getProtocol());
                    assertEquals(TestPki.keyPair(cert).getPublic(), s.getSession().getPeerCertificates()[0].getPublicKey());
                    if (client != null) {
                        assertArrayEquals(client.chain(), s.getSession().getLocalCertificates());
                    }
                    s.close();
                }
                String where = suite + " against " + String.join(" ", cmd) + "\npage:\n" + page
                        + "\nserver output:\n" + server.output();
                assertTrue(page.startsWith("HTTP/1.0 200 ok"), where);
                assertTrue(page.contains("New, TLSv1.3, Cipher is " + suite), where);
                assertTrue(page.contains("Shared groups: " + opensslGroupName(group)), where);
                assertEquals(clientAuth, page.contains("Client certificate"), where);
            }
        }
    }
}
