package io.tlsaccel.bench;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Native AES-128-GCM seal of 16 KiB records (the record path, auto implementation) on one
 * thread and on two, each thread with its own key and buffers: the ratio of
 * {@code twoThreads} to {@code oneThread} (JMH sums the threads' ops/s) shows how the
 * native path scales. Contexts share nothing, so on two free cores it should be near 2.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AesGcmThreadScalingBenchmark {

    public static final int SIZE = 16384;

    /** One per thread: its own key, context and direct buffers. */
    @State(Scope.Thread)
    public static class PerThread {
        Aead aead;
        ByteBuffer in;
        ByteBuffer out;
        long seq;

        @Setup(Level.Trial)
        public void setUp() {
            AeadAlgorithm alg = AeadAlgorithm.AES_128_GCM;
            aead = Fixtures.nativeFor(alg).newAead(alg, Fixtures.randomKey(alg.keyLength()));
            in = ByteBuffer.allocateDirect(SIZE);
            in.put(Fixtures.random(SIZE, 7)).flip();
            out = ByteBuffer.allocateDirect(SIZE + AeadAlgorithm.TAG_LENGTH);
        }

        int seal() {
            long s = ++seq;
            in.clear();
            out.clear();
            return aead.sealRecord(0x0A0B0C0D, s, s, (0x170303L << 16 | SIZE) << 24, 13, in, out);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (aead != null) {
                aead.close();
            }
        }
    }

    @Benchmark
    @Threads(1)
    public int oneThread(PerThread s) {
        return s.seal();
    }

    @Benchmark
    @Threads(2)
    public int twoThreads(PerThread s) {
        return s.seal();
    }
}
