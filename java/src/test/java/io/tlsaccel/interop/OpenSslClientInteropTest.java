package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.interop.Peers.Proc;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code openssl s_client -tls1_3} against our server, sampled: every certificate type with and
 * without client authentication, and for each the three suites each paired with a group so
 * that across certificate types every suite meets every group.
 */
class OpenSslClientInteropTest {
    static final KeyType[] CERTS = {KeyType.EC_P256, KeyType.RSA, KeyType.ED25519};
    static final String[] GROUPS = {"X25519", "P-256", "P-384"};
    static Credential ca;

    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.newCa("Interop CA");
        Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
        for (KeyType t : CERTS) {
            Credential c = TestPki.issue(ca, t);
            Peers.writeCerts(dir.resolve("client-" + t + ".pem"), c.chain());
            Peers.writeKey(dir.resolve("client-" + t + ".key"), c.keyPair());
        }
    }

    static Stream<Arguments> sample() {
        List<Arguments> out = new ArrayList<>();
        for (int c = 0; c < CERTS.length; c++) {
            for (int s = 0; s < Peers.TLS13_SUITES.length; s++) {
                // client auth on for half the cases, each cert type getting both
                out.add(Arguments.of(CERTS[c], Peers.TLS13_SUITES[s], GROUPS[(s + c) % 3], (s + c) % 2 == 0));
            }
        }
        return out.stream();
    }

    static String tempKey(String group) {
        switch (group) {
            case "P-256": return "Server Temp Key: ECDH, prime256v1, 256 bits";
            case "P-384": return "Server Temp Key: ECDH, secp384r1, 384 bits";
            default: return "Server Temp Key: X25519, 253 bits";
        }
    }

    static String signatureType(KeyType t) {
        switch (t) {
            case RSA: return "Peer signature type: RSA-PSS";
            case ED25519: return "Peer signature type: ed25519";
            default: return "Peer signature type: ECDSA";
        }
    }

    @ParameterizedTest(name = "{0} cert, {1}, {2}, client auth {3}")
    @MethodSource("sample")
    void opensslClient(KeyType cert, String suite, String group, boolean clientAuth) throws Exception {
        String openssl = Peers.tool("openssl");
        Credential leaf = TestPki.issue(ca, cert, "localhost");
        SSLContext ctx = Peers.ours("TLS", TestPki.keyManagers(leaf), TestPki.trustManagers(ca));
        KeyType clientType = CERTS[(List.of(CERTS).indexOf(cert) + 1) % 3];
        try (SSLServerSocket ss = Interop.listen(ctx, clientAuth)) {
            var served = Interop.serveOnePong(ss);
            List<String> cmd = Proc.args(openssl, "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(),
                    "-tls1_3", "-ciphersuites", suite, "-groups", group, "-CAfile", "ca.pem",
                    "-servername", "localhost", "-verify_hostname", "localhost", "-verify_return_error", "-ign_eof");
            if (clientAuth) {
                cmd.addAll(List.of("-cert", "client-" + clientType + ".pem", "-key", "client-" + clientType + ".key"));
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
                assertTrue(out.contains("New, TLSv1.3, Cipher is " + suite), where);
                assertTrue(out.contains(tempKey(group)), where);
                assertTrue(out.toLowerCase().contains(signatureType(cert).toLowerCase()), where);
                assertTrue(out.contains("Verify return code: 0 (ok)"), where);
                assertEquals(suite, s.suite());
                Certificate[] peer = s.peerChain();
                if (clientAuth) {
                    assertEquals(TestPki.keyPair(clientType).getPublic(), peer[0].getPublicKey());
                } else {
                    assertNull(peer);
                }
            }
        }
    }
}
