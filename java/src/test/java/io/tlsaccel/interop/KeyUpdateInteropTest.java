package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.interop.Peers.Proc;
import io.tlsaccel.socket.EngineSocket;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.tls.engine.HandshakeObserver;
import io.tlsaccel.tls.engine.TlsEngine;
import io.tlsaccel.tls.message.HandshakeType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.3 KeyUpdate with OpenSSL both ways: the peer's (s_client / s_server commands {@code K},
 * update_requested, and {@code k}) and ours (record limit lowered so that our side rekeys every
 * few records), with application data continuing across every change of keys.
 */
class KeyUpdateInteropTest {
    static Credential ca;
    static Credential leaf;

    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.newCa("KeyUpdate CA");
        leaf = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        Peers.writeCerts(dir.resolve("ca.pem"), ca.certificate());
        Peers.writeCerts(dir.resolve("server.pem"), leaf.chain());
        Peers.writeKey(dir.resolve("server.key"), leaf.keyPair());
    }

    /** Counts KeyUpdate messages each way. */
    static final class KeyUpdates implements HandshakeObserver {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();

        @Override
        public void message(boolean outbound, int type, int length) {
            if (type == HandshakeType.KEY_UPDATE) {
                (outbound ? sent : received).incrementAndGet();
            }
        }

        @Override
        public void event(String description) {
        }
    }

    static TlsEngine engine(Socket s) {
        return (TlsEngine) ((EngineSocket) s).engine();
    }

    /**
     * Our engine rekeys after this many records per key (a package-private test hook; it applies
     * to keys installed after the call, so it is set before the handshake).
     */
    static void recordLimit(Socket s, long limit) throws Exception {
        Method m = TlsEngine.class.getDeclaredMethod("setRecordLimitForTesting", long.class);
        m.setAccessible(true);
        m.invoke(engine(s), limit);
    }

    @Test
    void opensslClientKeyUpdatesAndOurServerRekeying() throws Exception {
        String openssl = Peers.tool("openssl");
        SSLContext ctx = Peers.ours("TLSv1.3", TestPki.keyManagers(leaf), TestPki.trustManagers(ca));
        KeyUpdates seen = new KeyUpdates();
        try (SSLServerSocket ss = Interop.listen(ctx, false)) {
            // the server answers each line with "pong LINE"; after "burst" it sends 30 lines, one record
            // each, and rekeys every 8 records on its own
            CompletableFuture<Exception> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(20_000);
                    engine(s).setHandshakeObserver(seen);
                    recordLimit(s, 8);
                    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream o = s.getOutputStream();
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.equals("burst")) {
                            for (int i = 0; i < 30; i++) {
                                o.write(("burst line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                                o.flush();
                            }
                        } else {
                            o.write(("pong " + line + "\n").getBytes(StandardCharsets.UTF_8));
                            o.flush();
                        }
                    }
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            List<String> cmd = Proc.args(openssl, "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(), "-tls1_3",
                    "-CAfile", "ca.pem", "-servername", "localhost", "-verify_return_error");
            try (Proc client = new Proc(cmd, dir)) {
                client.awaitText("Verify return code: 0 (ok)", 20_000);
                client.send("ping0\n");
                client.awaitText("pong ping0", 20_000);
                // K: KeyUpdate with update_requested; the next line goes under the new keys
                client.send("K\n");
                client.awaitText("KEYUPDATE", 20_000);
                client.send("ping1\n");
                client.awaitText("pong ping1", 20_000);
                client.send("k\n");
                client.await(java.util.regex.Pattern.compile("KEYUPDATE[\\s\\S]*KEYUPDATE"), 20_000);
                client.send("ping2\n");
                client.awaitText("pong ping2", 20_000);
                assertEquals(2, seen.received.get(), client.output());
                assertEquals(1, seen.sent.get(), "one answer to update_requested, none to update_not_requested");

                client.send("burst\n");
                client.awaitText("burst line 29", 20_000);
                assertTrue(seen.sent.get() >= 1 + 3, "our server rekeyed " + seen.sent.get() + " times");
                for (int i = 0; i < 30; i++) {
                    assertTrue(client.output().contains("burst line " + i + "\n"), client.output());
                }
                client.closeInput(); // s_client quits at the end of its input
                client.waitFor(20_000);
            }
            assertNull(served.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void opensslServerKeyUpdateAndOurClientRekeying() throws Exception {
        String openssl = Peers.tool("openssl");
        List<String> cmd = Proc.args(openssl, "s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-naccept", "1",
                "-cert", "server.pem", "-key", "server.key");
        SSLContext ctx = Peers.ours("TLSv1.3", new KeyManager[0], TestPki.trustManagers(ca));
        KeyUpdates seen = new KeyUpdates();
        try (Proc server = new Proc(cmd, dir)) {
            int port = Integer.parseInt(server.await(OpenSslServerInteropTest.ACCEPT, 10_000));
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                plain.setSoTimeout(20_000);
                SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true);
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                engine(s).setHandshakeObserver(seen);
                recordLimit(s, 8); // our client rekeys every 8 records
                s.startHandshake();
                BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream o = s.getOutputStream();
                o.write("hello\n".getBytes(StandardCharsets.UTF_8));
                o.flush();
                server.awaitText("hello", 20_000);

                // s_server's K: KeyUpdate with update_requested, then a line under its new keys
                CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
                    try {
                        return r.readLine();
                    } catch (Exception e) {
                        return e.toString();
                    }
                });
                server.send("K\n");
                // s_server takes "K" as a command only when it reads the line alone: wait until our
                // reader has processed the KeyUpdate before giving s_server the next line
                long end = System.currentTimeMillis() + 20_000;
                while (seen.received.get() == 0 && System.currentTimeMillis() < end) {
                    Thread.sleep(10);
                }
                assertEquals(1, seen.received.get(), server.output());
                server.send("after the server's update\n");
                assertEquals("after the server's update", next.get(20, TimeUnit.SECONDS));
                // our answer went out before our next record: the server reads it under our new keys
                o.write("after our answer\n".getBytes(StandardCharsets.UTF_8));
                o.flush();
                server.awaitText("after our answer", 20_000);
                assertEquals(1, seen.sent.get());

                for (int i = 0; i < 30; i++) {
                    o.write(("client line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    o.flush();
                }
                server.awaitText("client line 29", 20_000);
                assertTrue(seen.sent.get() >= 1 + 3, "our client rekeyed " + seen.sent.get() + " times");
                for (int i = 0; i < 30; i++) {
                    assertTrue(server.output().contains("client line " + i + "\n"), server.output());
                }
                s.close();
            }
        }
    }
}
