package io.tlsaccel.bench.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngineResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk data on an established TLS 1.3 TLS_AES_128_GCM_SHA256 session, one thread: each op the
 * client wraps {@code size} (16 KiB, one full record) of application data and the server
 * unwraps it, through direct buffers reused across ops. Throughput in ops/s; MB/s = ops/s x
 * size / 10^6. {@code impl}: tlsaccel (ours) or sunjsse.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Djdk.tls.namedGroups=x25519,secp256r1"})
@State(Scope.Benchmark)
public class TlsBulkBenchmark {
    @Param({"tlsaccel", "sunjsse"})
    public String impl;

    @Param({"TLSv1.3", "TLSv1.2"})
    public String protocol;

    /** Bytes of application data per op (the report derives MB/s from it). */
    @Param({"16384"})
    public int size;

    private TlsFixtures.Link link;
    private ByteBuffer src;
    private ByteBuffer net;
    private ByteBuffer dst;

    @Setup
    public void setup() throws Exception {
        link = new TlsFixtures.Link(TlsFixtures.contexts(impl), protocol);
        link.handshake();
        src = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            src.put(i, (byte) (i * 31));
        }
        net = ByteBuffer.allocateDirect(link.client.getSession().getPacketBufferSize() * 2);
        dst = ByteBuffer.allocateDirect(link.server.getSession().getApplicationBufferSize() * 2);
        // Check one op end to end: a full record on the wire that is not the plaintext, the
        // same bytes out. (The wire bytes are copied first: SunJSSE decrypts in place.)
        src.clear();
        net.clear();
        wrap();
        net.flip();
        byte[] wire = new byte[net.remaining()];
        net.get(net.position(), wire);
        dst.clear();
        if (unwrap() != size || wire.length <= size) {
            throw new IllegalStateException("one op: " + wire.length + " bytes on the wire, " + dst.position() + " out");
        }
        int same = 0;
        for (int i = 0; i < size; i++) {
            if (dst.get(i) != src.get(i)) {
                throw new IllegalStateException("byte " + i + " differs after wrap and unwrap");
            }
            same += wire[5 + i] == src.get(i) ? 1 : 0;
        }
        if (same > size / 16) {
            throw new IllegalStateException(same + " of " + size + " bytes on the wire are the plaintext");
        }
    }

    @Benchmark
    public int wrapUnwrap() throws Exception {
        src.clear();
        net.clear();
        dst.clear();
        wrap();
        net.flip();
        return unwrap();
    }

    private void wrap() throws Exception {
        while (src.hasRemaining()) {
            SSLEngineResult w = link.client.wrap(src, net);
            if (w.getStatus() != SSLEngineResult.Status.OK || w.bytesConsumed() == 0) {
                // (a KeyUpdate after 2^24 records would show up here: runs stay far below that)
                throw new IllegalStateException("wrap: " + w);
            }
        }
    }

    private int unwrap() throws Exception {
        int moved = 0;
        while (net.hasRemaining()) {
            SSLEngineResult u = link.server.unwrap(net, dst);
            if (u.getStatus() != SSLEngineResult.Status.OK) {
                throw new IllegalStateException("unwrap: " + u);
            }
            moved += u.bytesProduced();
        }
        return moved;
    }
}
