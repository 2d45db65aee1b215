package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.TestPki.Credential;
import io.tlsaccel.testutil.TestPki.KeyType;
import io.tlsaccel.testutil.Contexts;
import io.tlsaccel.testutil.EnginePair;
import java.nio.ByteBuffer;
import java.util.Random;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * Mutated handshake input never escapes as anything but an SSLException, and a failed engine
 * ends closed after sending its alert. Fixed seeds keep failures reproducible.
 */
class FuzzTest {
    static final Credential CA = TestPki.newCa("Fuzz CA");
    static final Credential LEAF = TestPki.issue(CA, KeyType.EC_P256, "localhost");
    static final SSLContext SERVER = Contexts.ours(TestPki.keyManagers(LEAF), TestPki.trustManagers(CA));
    static final SSLContext CLIENT = Contexts.ours(new KeyManager[0], TestPki.trustManagers(CA));

    private static TlsEngine client() {
        TlsEngine c = (TlsEngine) CLIENT.createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        return c;
    }

    private static SSLEngine server() {
        SSLEngine s = SERVER.createSSLEngine();
        s.setUseClientMode(false);
        return s;
    }

    private static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int kind = r.nextInt(4);
        if (kind == 0) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        } else if (kind == 1) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        } else if (kind == 2) {
            // Corrupt a length-looking position near the start of a structure.
            int i = 4 + r.nextInt(Math.max(1, Math.min(b.length - 4, 80)));
            b[Math.min(i, b.length - 1)] = (byte) (r.nextBoolean() ? 0xff : 0);
        } else {
            b = java.util.Arrays.copyOf(b, Math.max(4, r.nextInt(b.length)));
        }
        return b;
    }

    private static void assertFailedCleanly(EnginePair p) {
        for (EnginePair.Side side : new EnginePair.Side[] {p.client, p.server}) {
            if (side.error != null) {
                assertTrue(side.engine.isInboundDone() && side.engine.isOutboundDone(),
                        side.engine + " not closed after " + side.error);
            }
        }
    }

    @Test
    void mutatedClientHelloRecords() throws Exception {
        TlsEngine c = client();
        c.beginHandshake();
        ByteBuffer net = ByteBuffer.allocate(20000);
        c.wrap(ByteBuffer.allocate(0), net);
        net.flip();
        byte[] record = new byte[net.remaining()];
        net.get(record);
        Random r = new Random(1);
        for (int i = 0; i < 300; i++) {
            byte[] m = mutate(record, r);
            SSLEngine s = server();
            try {
                s.unwrap(ByteBuffer.wrap(m), ByteBuffer.allocate(20000));
            } catch (SSLException expected) {
                ByteBuffer out = ByteBuffer.allocate(20000);
                s.wrap(ByteBuffer.allocate(0), out);
                assertTrue(out.position() > 0, "alert sent");
                assertTrue(s.isInboundDone() && s.isOutboundDone());
            }
        }
    }

    @Test
    void mutatedHandshakeMessagesBothWays() throws Exception {
        Random r = new Random(2);
        for (int i = 0; i < 150; i++) {
            int victim = 1 + r.nextInt(20);
            int[] count = {0};
            Random mr = new Random(i);
            java.util.function.UnaryOperator<byte[]> f = m -> ++count[0] == victim ? mutate(m, mr) : m;
            TlsEngine c = client();
            TlsEngine s = (TlsEngine) server();
            if (r.nextBoolean()) {
                s.setOutgoingHandshakeFilterForTesting(f);
            } else {
                c.setOutgoingHandshakeFilterForTesting(f);
            }
            if (r.nextInt(3) == 0) {
                s.setNeedClientAuth(true);
            }
            EnginePair p = new EnginePair(c, s);
            p.handshake();
            assertFailedCleanly(p);
        }
    }
}
