package io.tlsaccel.bench;

import io.tlsaccel.crypto.AeadAlgorithm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AEAD seal ({@link #seal}: {@code size} bytes with a fresh nonce, a counter, and a 13-byte AAD
 * per op) and open ({@link #open}: a valid ciphertext of {@code size} bytes made in setup, two
 * taken in turn). Select one with JMH's regex, e.g. {@code 'AeadBenchmark\.seal$'}.
 * {@code path} names the implementation measured (see {@link Fixtures#AEAD_PATHS}; e.g.
 * {@code nativeJni/vaes512} forces one native kernel); it is built and checked against SunJCE
 * in setup, and a path that cannot run here fails its setup with "path unavailable: why".
 * Throughput in ops/s; MB/s = ops/s x size / 10^6 (the report does this).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class AeadBenchmark {
    @Param({"AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305"})
    public AeadAlgorithm alg;

    @Param({"nativeJni", "nativeRecord", "nativeJna", "javaFallback", "sunJce", "bouncyCastle", "tlsAccelProvider",
        "accp", "conscrypt"})
    public String path;

    @Param({"64", "256", "1024", "4096", "16384"})
    public int size;

    private AeadPath aead;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        aead = AeadPath.of(path, alg, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (aead != null) {
            aead.close();
        }
    }

    /** Returns the bytes written. */
    @Benchmark
    public int seal() throws Exception {
        return aead.seal();
    }

    /** Returns the bytes written. */
    @Benchmark
    public int open() throws Exception {
        return aead.open();
    }
}
