package io.tlsaccel.bench;

import io.tlsaccel.crypto.MacAlgorithm;
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
 * One whole HMAC (update + doFinal) of {@code size} bytes per op. {@code path} names the
 * implementation (see {@link Fixtures#MAC_PATHS}; {@code nativeJni/shani} forces one native
 * kernel), built and checked against SunJCE in setup. Throughput in ops/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class HmacBenchmark {
    @Param({"HMAC_SHA256", "HMAC_SHA384"})
    public MacAlgorithm alg;

    @Param({"nativeJni", "javaFallback", "sunJce", "bouncyCastle", "tlsAccelProvider", "accp", "conscrypt"})
    public String path;

    @Param({"64", "256", "1024", "4096", "16384"})
    public int size;

    private MacRunner runner;
    private byte[] message;
    private byte[] out;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        byte[] key = Fixtures.randomKey(alg.macLength());
        message = Fixtures.random(size, size);
        out = new byte[alg.macLength()];
        runner = Fixtures.mac(Fixtures.path(path), alg, key);
        Fixtures.checkMac(alg.jcaName() + " " + path, runner, alg, key, message);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (runner != null) {
            runner.close();
        }
    }

    /** Returns the MAC's length. */
    @Benchmark
    public int mac() throws Exception {
        return runner.mac(message, size, out);
    }
}
