package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.testutil.Contexts;
import io.tlsaccel.testutil.EnginePair;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.Test;

/** SSLEngine contract details: buffer statuses, HelloRetryRequest, KeyUpdate, sessions. */
class EngineBehaviourTest {
    static final Credential CA = TestPki.newCa("Behaviour CA");
    static final Credential LEAF = TestPki.issue(CA, KeyType.EC_P256, "localhost");

    static SSLEngine client(boolean ours) {
        SSLContext ctx = ours ? Contexts.ours(new KeyManager[0], TestPki.trustManagers(CA))
                : Contexts.jdk(new KeyManager[0], TestPki.trustManagers(CA));
        SSLEngine e = ctx.createSSLEngine("localhost", 443);
        e.setUseClientMode(true);
        return e;
    }

    static SSLEngine server(boolean ours) {
        SSLContext ctx = ours ? Contexts.ours(TestPki.keyManagers(LEAF), TestPki.trustManagers(CA))
                : Contexts.jdk(TestPki.keyManagers(LEAF), TestPki.trustManagers(CA));
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        return e;
    }

    static EnginePair established(boolean oursClient, boolean oursServer) throws Exception {
        EnginePair p = new EnginePair(client(oursClient), server(oursServer));
        p.handshake();
        assertNull(p.client.error);
        assertNull(p.server.error);
        return p;
    }

    @Test
    void helloRetryRequestBetweenOurEngines() throws Exception {
        TlsEngine c = (TlsEngine) client(true);
        c.setNamedGroups(new String[] {"x25519", "secp384r1"});
        TlsEngine s = (TlsEngine) server(true);
        s.setNamedGroups(new String[] {"secp384r1"});
        int[] serverHellos = new int[1];
        s.setOutgoingHandshakeFilterForTesting(m -> {
            if (m[0] == 2) {
                serverHellos[0]++;
            }
            return m;
        });
        EnginePair p = new EnginePair(c, s);
        p.handshake();
        assertNull(p.client.error);
        assertNull(p.server.error);
        assertEquals(2, serverHellos[0], "HelloRetryRequest then ServerHello");
        assertArrayEquals(new byte[] {1, 2, 3}, p.send(p.client, new byte[] {1, 2, 3}));
    }

    @Test
    void statusesDuringAndAfterHandshake() throws Exception {
        SSLEngine c = client(true);
        assertEquals(SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING, c.getHandshakeStatus());
        c.beginHandshake();
        assertEquals(SSLEngineResult.HandshakeStatus.NEED_WRAP, c.getHandshakeStatus());
        assertEquals("NONE", c.getSession().getProtocol());
        assertEquals("SSL_NULL_WITH_NULL_NULL", c.getSession().getCipherSuite());
        ByteBuffer tiny = ByteBuffer.allocate(10);
        SSLEngineResult r = c.wrap(ByteBuffer.allocate(0), tiny);
        assertEquals(SSLEngineResult.Status.BUFFER_OVERFLOW, r.getStatus());
        ByteBuffer net = ByteBuffer.allocate(c.getSession().getPacketBufferSize());
        r = c.wrap(ByteBuffer.allocate(0), net);
        assertEquals(SSLEngineResult.Status.OK, r.getStatus());
        assertEquals(SSLEngineResult.HandshakeStatus.NEED_UNWRAP, r.getHandshakeStatus());
        assertTrue(r.bytesProduced() > 100);
        // Half a record: underflow, nothing consumed.
        SSLEngine s = server(true);
        net.flip();
        ByteBuffer half = ByteBuffer.wrap(Arrays.copyOf(net.array(), net.remaining() / 2));
        r = s.unwrap(half, ByteBuffer.allocate(s.getSession().getApplicationBufferSize()));
        assertEquals(SSLEngineResult.Status.BUFFER_UNDERFLOW, r.getStatus());
        assertEquals(0, r.bytesConsumed());
        assertEquals(16384, s.getSession().getApplicationBufferSize());
        assertEquals(16384 + 256 + 5, s.getSession().getPacketBufferSize());
    }

    @Test
    void bufferOverflowOnUnwrapLeavesTheRecordInPlace() throws Exception {
        EnginePair p = established(true, true);
        byte[] data = new byte[5000];
        Arrays.fill(data, (byte) 3);
        ByteBuffer net = ByteBuffer.allocate(p.server.engine.getSession().getPacketBufferSize());
        p.server.engine.wrap(ByteBuffer.wrap(data), net);
        net.flip();
        int before = net.remaining();
        SSLEngineResult r = p.client.engine.unwrap(net, ByteBuffer.allocate(100));
        assertEquals(SSLEngineResult.Status.BUFFER_OVERFLOW, r.getStatus());
        assertEquals(before, net.remaining());
        ByteBuffer app = ByteBuffer.allocate(16384);
        r = p.client.engine.unwrap(net, app);
        assertEquals(SSLEngineResult.Status.OK, r.getStatus());
        assertEquals(5000, r.bytesProduced());
        assertArrayEquals(data, Arrays.copyOf(app.array(), 5000));
    }

    @Test
    void scatteringUnwrapAndGatheringWrap() throws Exception {
        EnginePair p = established(true, true);
        ByteBuffer[] srcs = {ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3, 4, 5})};
        ByteBuffer net = ByteBuffer.allocate(p.client.engine.getSession().getPacketBufferSize());
        SSLEngineResult r = p.client.engine.wrap(srcs, net);
        assertEquals(5, r.bytesConsumed());
        net.flip();
        ByteBuffer a = ByteBuffer.allocate(3);
        ByteBuffer b = ByteBuffer.allocate(3);
        r = p.server.engine.unwrap(net, new ByteBuffer[] {a, b});
        assertEquals(5, r.bytesProduced());
        assertArrayEquals(new byte[] {1, 2, 3}, a.array());
        assertArrayEquals(new byte[] {4, 5, 0}, b.array());
    }

    @Test
    void directBuffers() throws Exception {
        EnginePair p = established(true, true);
        ByteBuffer src = ByteBuffer.allocateDirect(20000);
        for (int i = 0; i < 20000; i++) {
            src.put((byte) i);
        }
        src.flip();
        ByteBuffer net = ByteBuffer.allocateDirect(p.client.engine.getSession().getPacketBufferSize());
        ByteBuffer app = ByteBuffer.allocateDirect(40000);
        while (src.hasRemaining()) {
            net.clear();
            p.client.engine.wrap(src, net);
            net.flip();
            p.server.engine.unwrap(net, app);
        }
        app.flip();
        assertEquals(20000, app.remaining());
        for (int i = 0; i < 20000; i++) {
            assertEquals((byte) i, app.get(i));
        }
    }

    @Test
    void usageLimitTriggersKeyUpdateAgainstOursAndJdk() throws Exception {
        for (boolean jdkServer : new boolean[] {false, true}) {
            TlsEngine c = (TlsEngine) client(true);
            c.setRecordLimitForTesting(3);
            EnginePair p = new EnginePair(c, server(!jdkServer));
            p.handshake();
            for (int i = 0; i < 10; i++) {
                byte[] d = {(byte) i};
                assertArrayEquals(d, p.send(p.client, d));
                assertArrayEquals(d, p.send(p.server, d));
            }
            assertNull(p.client.error);
            assertNull(p.server.error);
        }
    }

    @Test
    void keyUpdateRequestedByJdkPeers() throws Exception {
        for (boolean oursIsClient : new boolean[] {true, false}) {
            EnginePair p = established(oursIsClient, !oursIsClient);
            SSLEngine jdk = oursIsClient ? p.server.engine : p.client.engine;
            SSLEngine ours = oursIsClient ? p.client.engine : p.server.engine;
            jdk.beginHandshake();
            assertArrayEquals(new byte[] {1}, p.send(p.client, new byte[] {1}));
            assertArrayEquals(new byte[] {2}, p.send(p.server, new byte[] {2}));
            ours.beginHandshake();
            assertArrayEquals(new byte[] {3}, p.send(p.client, new byte[] {3}));
            assertArrayEquals(new byte[] {4}, p.send(p.server, new byte[] {4}));
            assertNull(p.client.error);
            assertNull(p.server.error);
        }
    }

    @Test
    void closeNotifyBothWaysWithJdk() throws Exception {
        for (boolean oursIsClient : new boolean[] {true, false}) {
            EnginePair p = established(oursIsClient, !oursIsClient);
            p.closeBoth();
            assertTrue(p.client.engine.isOutboundDone() && p.client.engine.isInboundDone());
            assertTrue(p.server.engine.isOutboundDone() && p.server.engine.isInboundDone());
            assertNull(p.client.error);
            assertNull(p.server.error);
            ByteBuffer out = ByteBuffer.allocate(100);
            assertEquals(SSLEngineResult.Status.CLOSED, p.client.engine.wrap(ByteBuffer.allocate(1), out).getStatus());
        }
    }

    @Test
    void handshakeSessionIsVisibleToTheTrustManager() throws Exception {
        EnginePair p = established(true, true);
        assertNull(p.client.engine.getHandshakeSession());
        assertEquals("TLSv1.3", p.client.engine.getSession().getProtocol());
        assertEquals("", p.client.engine.getApplicationProtocol());
        assertTrue(p.client.engine.getSession().isValid());
    }

    @Test
    void randomSizesBothWaysWithEveryPeer() throws Exception {
        java.util.Random r = new java.util.Random(7);
        int[] edges = {1, 16383, 16384, 16385, 32768, 32769, 50000};
        for (boolean[] impl : new boolean[][] {{true, true}, {true, false}, {false, true}}) {
            EnginePair p = established(impl[0], impl[1]);
            for (int i = 0; i < 30; i++) {
                int n = i < edges.length ? edges[i] : 1 + r.nextInt(40000);
                byte[] d = new byte[n];
                r.nextBytes(d);
                assertArrayEquals(d, p.send(i % 2 == 0 ? p.client : p.server, d));
            }
            assertNull(p.client.error);
            assertNull(p.server.error);
        }
    }
}
