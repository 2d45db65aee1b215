package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.nativelib.NativeLoader;
import io.tlsaccel.testutil.EnginePair;
import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.tls.message.KeyUpdate;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Three findings of the hardening review: records between the parts of a split handshake
 * message (RFC 8446 5.1, RFC 5246 6.2.1), KeyUpdate requests after our close_notify (RFC 8446
 * 4.6.3), and runtime exceptions from user callbacks.
 */
class InterleavingAndCallbacksTest {

    static byte[] record(int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(5 + body.length);
        b.put((byte) type).putShort((short) 0x0303).putShort((short) body.length).put(body);
        return b.array();
    }

    /** The client's first flight, as the handshake body of its first record. */
    static byte[] clientHelloBody(String protocol) throws Exception {
        SSLEngine c = HardeningTest.bothVersions(new KeyManager[0]).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        ByteBuffer net = ByteBuffer.allocate(c.getSession().getPacketBufferSize());
        c.wrap(ByteBuffer.allocate(0), net);
        net.flip();
        assertEquals(22, net.get(0));
        int len = net.getShort(3) & 0xffff;
        byte[] body = new byte[len];
        net.get(5, body);
        return body;
    }

    /** Feeds records to a fresh server: the exception it ends with, or null if it took them all. */
    static SSLException feedServer(String protocol, byte[]... records) throws Exception {
        SSLEngine s = HardeningTest.bothVersions(TestPki.keyManagers(TestPki.issue(HardeningTest.CA, KeyType.EC_P256,
                "localhost"))).createSSLEngine();
        s.setUseClientMode(false);
        s.setEnabledProtocols(new String[] {protocol});
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] r : records) {
            all.write(r);
        }
        ByteBuffer in = ByteBuffer.wrap(all.toByteArray());
        ByteBuffer app = ByteBuffer.allocate(s.getSession().getApplicationBufferSize());
        try {
            while (in.hasRemaining()) {
                SSLEngineResult r = s.unwrap(in, app);
                if (r.bytesConsumed() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            ByteBuffer out = ByteBuffer.allocate(s.getSession().getPacketBufferSize());
            s.wrap(ByteBuffer.allocate(0), out); // the alert goes out
            assertTrue(out.position() > 0, "an alert is sent");
            assertTrue(s.isInboundDone(), "closed for reading");
            return e;
        }
        return null;
    }

    @ParameterizedTest(name = "{0}, {1} between the parts")
    @CsvSource({"TLSv1.3, 23", "TLSv1.3, 21", "TLSv1.3, 20", "TLSv1.2, 23", "TLSv1.2, 21", "TLSv1.2, 20"})
    void recordsBetweenThePartsOfAHandshakeMessageAreRefused(String protocol, int type) throws Exception {
        byte[] body = clientHelloBody(protocol);
        byte[] first = java.util.Arrays.copyOf(body, 20);
        byte[] rest = java.util.Arrays.copyOfRange(body, 20, body.length);
        byte[] between = type == 21 ? new byte[] {1, 90} /* warning user_canceled */ : type == 20 ? new byte[] {1} : new byte[] {'x'};
        SSLException e = feedServer(protocol, record(22, first), record(type, between), record(22, rest));
        assertNotNull(e, "the interleaved record was accepted");
        assertTrue(e.getMessage().contains("unexpected_message"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLSv1.3", "TLSv1.2"})
    void aMessageSplitOverThreeRecordsIsFine(String protocol) throws Exception {
        byte[] body = clientHelloBody(protocol);
        int a = body.length / 3;
        int b = 2 * body.length / 3;
        SSLException e = feedServer(protocol, record(22, java.util.Arrays.copyOfRange(body, 0, a)),
                record(22, java.util.Arrays.copyOfRange(body, a, b)), record(22, java.util.Arrays.copyOfRange(body, b, body.length)));
        assertNull(e, () -> "refused: " + e);
    }

    /** After our close_notify, KeyUpdate(update_requested) gets no answer: no new keys, nothing queued. */
    @Test
    void keyUpdateRequestsAfterOurCloseAreNotAnswered() throws Exception {
        EnginePair p = EngineBehaviourTest.established(false, true); // SunJSSE client: it asks for updates
        SSLEngine client = p.client.engine;
        TlsEngine server = (TlsEngine) p.server.engine;
        server.closeOutbound();
        ByteBuffer toClient = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        server.wrap(ByteBuffer.allocate(0), toClient); // the server's close_notify, not delivered
        long before = NativeLoader.liveContexts();
        ByteBuffer toServer = ByteBuffer.allocate(1 << 20);
        int requests = 0;
        for (int i = 0; i < 100; i++) {
            client.beginHandshake(); // SunJSSE: KeyUpdate(update_requested)
            int at = toServer.position();
            client.wrap(ByteBuffer.allocate(0), toServer);
            requests += toServer.position() > at ? 1 : 0;
        }
        assertTrue(requests > 0, "the peer sent KeyUpdates");
        toServer.flip();
        ByteBuffer app = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        while (toServer.hasRemaining()) {
            SSLEngineResult r = server.unwrap(toServer, app);
            if (r.bytesConsumed() == 0) {
                break;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        SSLEngineResult r = server.wrap(ByteBuffer.allocate(0), out);
        assertEquals(0, r.bytesProduced(), "nothing after close_notify");
        if (before >= 0) {
            // each request read moved the read keys on (one context replaced by one); none was answered
            assertTrue(NativeLoader.liveContexts() <= before, NativeLoader.liveContexts() + " > " + before);
        }
    }

    // ---- runtime exceptions from user callbacks ----

    /** A key manager whose alias choice throws. */
    static final class FailingKeyManager extends X509ExtendedKeyManager {
        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            throw new IllegalStateException("key manager broke");
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            throw new IllegalStateException("key manager broke");
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return null;
        }
    }

    static void assertInternalError(EnginePair p, Class<? extends RuntimeException> cause) {
        assertNotNull(p.server.error, "the server failed");
        Throwable t = p.server.error;
        while (t != null && !cause.isInstance(t)) {
            t = t.getCause();
        }
        assertNotNull(t, () -> "cause kept: " + p.server.error);
        assertTrue(p.server.engine.isInboundDone() && p.server.engine.isOutboundDone(), "server closed");
        assertNotNull(p.client.error, "the client heard of it");
        assertTrue(p.client.error.getMessage().contains("internal_error"), p.client.error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLSv1.3", "TLSv1.2"})
    void keyManagerFailureIsInternalError(String protocol) throws Exception {
        SSLEngine c = HardeningTest.bothVersions(new KeyManager[0]).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = HardeningTest.bothVersions(new KeyManager[] {new FailingKeyManager()}).createSSLEngine();
        s.setUseClientMode(false);
        EnginePair p = new EnginePair(c, s);
        p.pump();
        assertInternalError(p, IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLSv1.3", "TLSv1.2"})
    void alpnSelectorFailureIsInternalError(String protocol) throws Exception {
        SSLEngine c = HardeningTest.bothVersions(new KeyManager[0]).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        javax.net.ssl.SSLParameters cp = c.getSSLParameters();
        cp.setApplicationProtocols(new String[] {"h2"});
        c.setSSLParameters(cp);
        SSLEngine s = HardeningTest.bothVersions(TestPki.keyManagers(TestPki.issue(HardeningTest.CA, KeyType.EC_P256,
                "localhost"))).createSSLEngine();
        s.setUseClientMode(false);
        s.setHandshakeApplicationProtocolSelector((engine, offered) -> {
            throw new UnsupportedOperationException("selector broke");
        });
        EnginePair p = new EnginePair(c, s);
        p.pump();
        assertInternalError(p, UnsupportedOperationException.class);
    }
}
