package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tlsaccel.testutil.TestPki;
import io.tlsaccel.testutil.EnginePair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scattering unwrap and gathering wrap against SunJSSE with the same buffers: the destinations
 * are filled in order (Tomcat reads the HTTP/2 preface into 24, 9 and 16,384 bytes), the
 * sources drained in order. Every split of a record over 1-4 buffers of assorted sizes, both
 * versions; what each engine reports and leaves in each buffer must agree.
 */
class ScatterGatherTest {
    /** Buffer sizes: empty, tiny, Tomcat's, exactly a record, a whole record's worth. */
    static final int[] SIZES = {0, 1, 9, 24, 44, 16384};
    /** Record contents: one byte, Tomcat's preface record, a mid-size one, a nearly full one (SunJSSE puts 16,367 bytes in a TLS 1.3 record). */
    static final int[] RECORDS = {1, 44, 1000, 16000};
    /**
     * Source sizes for wrap: at most 16,000 bytes in all, as SunJSSE's TLS 1.3 records hold a
     * little less than 2^14 bytes of data (ours hold 2^14).
     */
    static final int[] SOURCE_SIZES = {0, 1, 9, 24, 44, 4000};
    /**
     * SunJSSE asks for room for the whole fragment (ciphertext, not plaintext) before it opens a
     * record; we ask for room for the plaintext. Cases with room in between are compared apart.
     */
    static final int SUNJSSE_SLACK = 256 + 16 + 8;

    static EnginePair established(boolean ours, String protocol) throws Exception {
        EnginePair p;
        if (protocol.equals("TLSv1.3")) {
            p = new EnginePair(EngineBehaviourTest.client(ours), EngineBehaviourTest.server(ours));
        } else {
            KeyManager[] km = TestPki.keyManagers(Tls12FailureTest.LEAF);
            TrustManager[] tm = TestPki.trustManagers(Tls12FailureTest.CA);
            SSLContext client = ours ? Tls12FailureTest.ours(new TlsContextSpi.Tls12(), new KeyManager[0], tm)
                    : Tls12FailureTest.jdk(new KeyManager[0], tm);
            SSLContext server = ours ? Tls12FailureTest.ours(new TlsContextSpi.Tls12(), km, tm)
                    : Tls12FailureTest.jdk(km, tm);
            p = new EnginePair(Tls12FailureTest.client(client), Tls12FailureTest.server(server));
        }
        p.handshake();
        assertNull(p.client.error);
        assertNull(p.server.error);
        assertEquals(protocol, p.client.engine.getSession().getProtocol());
        return p;
    }

    /** Every list of 1 to 4 sizes from {@code SIZES}. */
    static List<int[]> splits(int[] sizesToUse) {
        List<int[]> out = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            int[] idx = new int[n];
            while (true) {
                int[] sizes = new int[n];
                for (int i = 0; i < n; i++) {
                    sizes[i] = sizesToUse[idx[i]];
                }
                out.add(sizes);
                int k = n - 1;
                while (k >= 0 && ++idx[k] == sizesToUse.length) {
                    idx[k--] = 0;
                }
                if (k < 0) {
                    break;
                }
            }
        }
        return out;
    }

    /** Status, bytes produced and each destination's contents after one unwrap of each case. */
    static List<String> unwrapOutcomes(boolean ours, String protocol) throws Exception {
        EnginePair p = established(ours, protocol);
        SSLEngine sender = p.client.engine;
        SSLEngine receiver = p.server.engine;
        List<String> out = new ArrayList<>();
        ByteBuffer net = ByteBuffer.allocate(sender.getSession().getPacketBufferSize());
        for (int length : RECORDS) {
            byte[] data = new byte[length];
            for (int i = 0; i < length; i++) {
                data[i] = (byte) (i * 31 + 7);
            }
            for (int[] sizes : splits(SIZES)) {
                net.clear();
                SSLEngineResult w = sender.wrap(ByteBuffer.wrap(data), net);
                assertEquals(length, w.bytesConsumed());
                net.flip();
                ByteBuffer[] dsts = new ByteBuffer[sizes.length];
                for (int i = 0; i < sizes.length; i++) {
                    dsts[i] = ByteBuffer.allocate(sizes[i]);
                }
                SSLEngineResult r = receiver.unwrap(net, dsts);
                int room = Arrays.stream(sizes).sum();
                if (room < length) {
                    assertEquals(SSLEngineResult.Status.BUFFER_OVERFLOW, r.getStatus(), Arrays.toString(sizes));
                }
                if (room < length + SUNJSSE_SLACK && r.getStatus() != SSLEngineResult.Status.OK) {
                    // Overflow (SunJSSE's wider rule included): the record stays; take it so both
                    // sides stay in step, and compare only cases where both rules agree.
                    assertEquals(SSLEngineResult.Status.OK, receiver.unwrap(net,
                            ByteBuffer.allocate(receiver.getSession().getApplicationBufferSize())).getStatus());
                }
                if (room < length + SUNJSSE_SLACK) {
                    continue;
                }
                StringBuilder b = new StringBuilder(length + " into " + Arrays.toString(sizes) + ": "
                        + r.getStatus() + " produced " + r.bytesProduced() + " filled");
                ByteBuffer all = ByteBuffer.allocate(length);
                for (ByteBuffer d : dsts) {
                    b.append(' ').append(d.position());
                    d.flip();
                    all.put(d);
                }
                out.add(b.toString());
                assertArrayEquals(data, all.array(), b.toString());
            }
        }
        return out;
    }

    /** Bytes consumed, and taken from each source, by one wrap of each case. */
    static List<String> wrapOutcomes(boolean ours, String protocol) throws Exception {
        EnginePair p = established(ours, protocol);
        SSLEngine sender = p.client.engine;
        SSLEngine receiver = p.server.engine;
        List<String> out = new ArrayList<>();
        ByteBuffer net = ByteBuffer.allocate(sender.getSession().getPacketBufferSize());
        ByteBuffer app = ByteBuffer.allocate(receiver.getSession().getApplicationBufferSize());
        for (int[] sizes : splits(SOURCE_SIZES)) {
            ByteBuffer[] srcs = new ByteBuffer[sizes.length];
            int total = 0;
            for (int i = 0; i < sizes.length; i++) {
                byte[] d = new byte[sizes[i]];
                Arrays.fill(d, (byte) (i + 1));
                srcs[i] = ByteBuffer.wrap(d);
                total += sizes[i];
            }
            if (total == 0) {
                continue;
            }
            net.clear();
            SSLEngineResult w = sender.wrap(srcs, net);
            StringBuilder b = new StringBuilder(Arrays.toString(sizes) + ": " + w.getStatus() + " consumed "
                    + w.bytesConsumed() + " taken");
            ByteBuffer expected = ByteBuffer.allocate(w.bytesConsumed());
            for (ByteBuffer s : srcs) {
                b.append(' ').append(s.position());
                s.flip();
                expected.put(s);
            }
            out.add(b.toString());
            net.flip();
            app.clear();
            SSLEngineResult r = receiver.unwrap(net, app);
            assertEquals(w.bytesConsumed(), r.bytesProduced(), b.toString());
            assertArrayEquals(expected.array(), Arrays.copyOf(app.array(), app.position()), b.toString());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void unwrapFillsDestinationsInOrderAsSunJsse(String protocol) throws Exception {
        assertSameOutcomes(unwrapOutcomes(false, protocol), unwrapOutcomes(true, protocol));
    }

    static void assertSameOutcomes(List<String> jdk, List<String> ours) {
        assertEquals(jdk.size(), ours.size());
        for (int i = 0; i < jdk.size(); i++) {
            assertEquals(jdk.get(i), ours.get(i));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void wrapDrainsSourcesInOrderAsSunJsse(String protocol) throws Exception {
        assertSameOutcomes(wrapOutcomes(false, protocol), wrapOutcomes(true, protocol));
    }
}
