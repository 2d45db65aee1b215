package io.tlsaccel.interop;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.interop.Peers.Proc;
import io.tlsaccel.interop.bcpeer.BcTlsPeer;
import io.tlsaccel.socket.EngineSocket;
import io.tlsaccel.tls.engine.HandshakeObserver;
import io.tlsaccel.tls.engine.TlsEngine;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * X25519MLKEM768 against another implementation: Bouncy Castle's bctls 1.83 (which offers and
 * prefers it by default), in a JVM of its own. Our client shows the group it negotiated; our
 * server is limited to the hybrid group, so a completed handshake used it (there is no other
 * group to fall back to, not even through a HelloRetryRequest). A wrong layout or secret order
 * would fail at the first Finished.
 */
class HybridInteropTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Pattern PORT = Pattern.compile("port (\\d+)");
    private static final Pattern RESULT = Pattern.compile("(OK .*|FAIL.*)");

    @TempDir
    static Path dir;
    static Credential ca;
    static Credential server;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.newCa("Hybrid CA");
        server = TestPki.issue(ca, KeyType.EC_P256, "localhost");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", server.keyPair().getPrivate(), PASSWORD, server.chain());
        try (OutputStream o = new FileOutputStream(dir.resolve("server.p12").toFile())) {
            keys.store(o, PASSWORD);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        try (OutputStream o = new FileOutputStream(dir.resolve("trust.p12").toFile())) {
            trust.store(o, PASSWORD);
        }
    }

    /** The peer's JVM: Bouncy Castle 1.83's jars and our test classes, nothing else. */
    static List<String> peerCommand(String... args) throws Exception {
        String peerDir = System.getProperty("bctls.peer.dir");
        Peers.require(peerDir != null && Files.isDirectory(Path.of(peerDir)), "bctls 1.83 not copied (bctls.peer.dir)");
        List<String> cp = new ArrayList<>();
        try (var jars = Files.list(Path.of(peerDir))) {
            jars.filter(p -> p.toString().endsWith(".jar")).forEach(p -> cp.add(p.toString()));
        }
        cp.add(Path.of(BcTlsPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, cp), BcTlsPeer.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Our SSLContext with only X25519MLKEM768 (jdk.tls.namedGroups is read when a context is made). */
    static SSLContext oursHybridOnly(boolean server) throws Exception {
        String old = System.getProperty("jdk.tls.namedGroups");
        System.setProperty("jdk.tls.namedGroups", "X25519MLKEM768");
        try {
            return server ? Peers.ours("TLSv1.3", TestPki.keyManagers(HybridInteropTest.server), TestPki.trustManagers(ca))
                    : Peers.ours("TLSv1.3", null, TestPki.trustManagers(ca));
        } finally {
            if (old == null) {
                System.clearProperty("jdk.tls.namedGroups");
            } else {
                System.setProperty("jdk.tls.namedGroups", old);
            }
        }
    }

    @Test
    void ourClientWithBouncyCastleServer() throws Exception {
        SSLContext ctx = Peers.ours("TLSv1.3", null, TestPki.trustManagers(ca)); // default groups: the hybrid first
        try (Proc peer = new Proc(peerCommand("server", dir.resolve("server.p12").toString(), new String(PASSWORD)), dir)) {
            int port = Integer.parseInt(peer.await(PORT, 30_000));
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
                s.setSoTimeout(15_000);
                StringBuilder events = new StringBuilder();
                ((TlsEngine) ((EngineSocket) s).engine()).setHandshakeObserver(new HandshakeObserver() {
                    @Override
                    public void message(boolean outbound, int type, int length) {
                    }

                    @Override
                    public void event(String description) {
                        events.append(description).append('\n');
                    }
                });
                s.startHandshake();
                assertTrue(events.toString().contains("key exchange X25519MLKEM768"), events::toString);
                s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertTrue(s.getInputStream().read() == 'p', "pong from Bouncy Castle");
            }
            String result = peer.await(RESULT, 20_000);
            assertTrue(result.startsWith("OK TLSv1.3"), () -> peer.output());
        }
    }

    @Test
    void bouncyCastleClientWithOurServer() throws Exception {
        SSLContext ctx = oursHybridOnly(true);
        try (SSLServerSocket ss = Interop.listen(ctx, false)) {
            var served = Interop.serveOnePong(ss);
            try (Proc peer = new Proc(peerCommand("client", Integer.toString(ss.getLocalPort()),
                    dir.resolve("trust.p12").toString(), new String(PASSWORD)), dir)) {
                String result = peer.await(RESULT, 30_000);
                assertTrue(result.startsWith("OK TLSv1.3"), () -> peer.output());
            }
            Interop.Served s = served.get(20, TimeUnit.SECONDS);
            assertNull(s.error());
        }
    }
}
