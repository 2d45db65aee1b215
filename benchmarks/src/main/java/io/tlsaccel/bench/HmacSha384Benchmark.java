package io.tlsaccel.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HMAC-SHA-384 of a whole message per op (update + doFinal), key set up once.
 * One method per path (see {@link Fixtures#MAC_PATHS}); JNA has no MAC binding, so no JNA path.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class HmacSha384Benchmark {

    @Param({"64", "256", "1024", "4096", "16384"})
    public int size;

    /** Native C layer through JNI, the implementation the dispatcher picks (auto). */
    @Benchmark
    public int nativeJni(MacStates.Data s) throws Exception {
        return s.mac();
    }

    /** Native C layer through JNI, one implementation forced by name. */
    @Benchmark
    public int nativeJniImpl(MacStates.Sha384Impl s) throws Exception {
        return s.mac();
    }

    /** The pure-Java fallback backend (JavaBackend: the JDK's Mac). */
    @Benchmark
    public int javaFallback(MacStates.Data s) throws Exception {
        return s.mac();
    }

    /** The JDK's SunJCE Mac. */
    @Benchmark
    public int sunJce(MacStates.Data s) throws Exception {
        return s.mac();
    }

    /** Bouncy Castle lightweight HMac. */
    @Benchmark
    public int bouncyCastle(MacStates.Data s) throws Exception {
        return s.mac();
    }

    /** Our JCA provider, when this build has it and it offers the MAC. */
    @Benchmark
    public int tlsAccelProvider(MacStates.Data s) throws Exception {
        return s.mac();
    }

    /** Amazon Corretto Crypto Provider (AWS-LC), as an outside reference. */
    @Benchmark
    public int accp(MacStates.Data s) throws Exception {
        return s.mac();
    }

    /** Conscrypt (BoringSSL), as an outside reference. */
    @Benchmark
    public int conscrypt(MacStates.Data s) throws Exception {
        return s.mac();
    }
}
