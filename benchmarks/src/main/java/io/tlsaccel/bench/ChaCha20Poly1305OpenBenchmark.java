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
 * ChaCha20-Poly1305 open of a valid ciphertext made in setup (same nonce each op).
 * One method per path (see {@link Fixtures#AEAD_PATHS}); each returns the bytes written.
 * Throughput in ops/s; MB/s = ops/s x size / 10^6 (the report does this).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class ChaCha20Poly1305OpenBenchmark {

    @Param({"64", "256", "1024", "4096", "16384"})
    public int size;

    /** Native C layer through JNI, the implementation the dispatcher picks (auto). */
    @Benchmark
    public int nativeJni(AeadStates.Data s) throws Exception {
        return s.open();
    }

    /** Native C layer through JNI, one implementation forced by name. */
    @Benchmark
    public int nativeJniImpl(AeadStates.ChaChaImpl s) throws Exception {
        return s.open();
    }

    /** The record path: openRecord with nonce and AAD as numbers, direct buffers (0 B/op). */
    @Benchmark
    public int nativeRecord(AeadStates.Record s) throws Exception {
        return s.openRecord();
    }

    /** Native C layer through JNA's direct mapping (TaNative), byte[] arrays. */
    @Benchmark
    public int nativeJna(AeadStates.Data s) throws Exception {
        return s.open();
    }

    /** The pure-Java fallback backend (JavaBackend). */
    @Benchmark
    public int javaFallback(AeadStates.Data s) throws Exception {
        return s.open();
    }

    /** The JDK's SunJCE Cipher: init + updateAAD + doFinal into a preallocated array. */
    @Benchmark
    public int sunJce(AeadStates.Data s) throws Exception {
        return s.open();
    }

    /** Bouncy Castle lightweight API (ChaCha20Poly1305). */
    @Benchmark
    public int bouncyCastle(AeadStates.Data s) throws Exception {
        return s.open();
    }

    /** Our JCA provider (io.tlsaccel.provider.TlsAccelProvider), when this build has it. */
    @Benchmark
    public int tlsAccelProvider(AeadStates.Data s) throws Exception {
        return s.open();
    }

    /** Amazon Corretto Crypto Provider (AWS-LC), as an outside reference. */
    @Benchmark
    public int accp(AeadStates.Data s) throws Exception {
        return s.open();
    }

    /** Conscrypt (BoringSSL), as an outside reference. */
    @Benchmark
    public int conscrypt(AeadStates.Data s) throws Exception {
        return s.open();
    }
}
