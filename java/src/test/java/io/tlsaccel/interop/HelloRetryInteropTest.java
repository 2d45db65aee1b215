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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A default {@code openssl s_client} that our server asks to retry (HelloRetryRequest): OpenSSL
 * sends its compatibility ChangeCipherSpec before the second ClientHello (RFC 8446 D.4), which
 * the server must accept.
 */
class HelloRetryInteropTest {
    @TempDir
    static Path dir;

    @Test
    void opensslClientSendsCompatibilityCcsAfterHelloRetryRequest() throws Exception {
        String openssl = Peers.tool("openssl");
        Credential ca = TestPki.newCa("HRR CA");
        Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
        Credential leaf = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        SSLContext ctx = Peers.ours("TLS", TestPki.keyManagers(leaf), TestPki.trustManagers(ca));
        try (SSLServerSocket ss = Interop.listen(ctx, false)) {
            var served = Interop.serveOnePong(ss);
            // X448 first: OpenSSL sends its only key share for it; we do not support X448 and
            // ask for x25519 with a HelloRetryRequest.
            List<String> cmd = Proc.args(openssl, "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(),
                    "-tls1_3", "-groups", "X448:X25519", "-CAfile", "ca.pem", "-servername", "localhost",
                    "-verify_return_error", "-ign_eof");
            try (Proc client = new Proc(cmd, dir)) {
                client.send("ping\n");
                client.closeInput();
                int exit = client.waitFor(20_000);
                String out = client.output();
                Interop.Served s = served.get(20, TimeUnit.SECONDS);
                String where = String.join(" ", cmd) + "\n" + out;
                assertNull(s.error(), () -> where + "\nserver error: " + s.error());
                assertEquals(0, exit, where);
                assertTrue(out.contains("pong " + s.suite() + " ping"), where);
                assertTrue(out.contains("Server Temp Key: X25519"), where);
            }
        }
    }
}
