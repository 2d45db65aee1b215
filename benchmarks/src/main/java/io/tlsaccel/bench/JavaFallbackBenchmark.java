package io.tlsaccel.bench;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.java.JavaBackend;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
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
 * The pure-Java backend against SunJCE and Bouncy Castle's lightweight API, sealing one record
 * per operation with a fresh nonce, on a JVM whose AES/GHASH (and, where they exist, ChaCha20
 * and Poly1305) intrinsics are off: the situation the fallback is for. Throughput in bytes/s
 * is ops/s times {@code size}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar JavaFallbackBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "-XX:+UnlockDiagnosticVMOptions", "-XX:+IgnoreUnrecognizedVMOptions",
        "-XX:-UseAES", "-XX:-UseAESIntrinsics", "-XX:-UseAESCTRIntrinsics", "-XX:-UseGHASHIntrinsics",
        "-XX:-UseChaCha20Intrinsics", "-XX:-UsePoly1305Intrinsics"})
public class JavaFallbackBenchmark {

    @Param({"AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305"})
    public AeadAlgorithm algorithm;

    /** tlsaccel: JavaBackend; jdk: SunJCE Cipher; bc: Bouncy Castle lightweight API. */
    @Param({"tlsaccel", "jdk", "bc"})
    public String impl;

    @Param({"16384"})
    public int size;

    private byte[] key;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[13];
    private byte[] in;
    private byte[] out;
    private long counter;

    private Aead aead;
    private Cipher jdk;
    private SecretKeySpec jdkKey;
    private AEADCipher bc;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        key = new byte[algorithm.keyLength()];
        r.nextBytes(key);
        in = new byte[size];
        r.nextBytes(in);
        out = new byte[size + 16];
        boolean chacha = algorithm == AeadAlgorithm.CHACHA20_POLY1305;
        switch (impl) {
            case "tlsaccel":
                aead = new JavaBackend().newAead(algorithm, key);
                break;
            case "jdk":
                jdk = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding", "SunJCE");
                jdkKey = new SecretKeySpec(key, chacha ? "ChaCha20" : "AES");
                break;
            case "bc":
                bc = chacha ? new ChaCha20Poly1305() : GCMBlockCipher.newInstance(AESEngine.newInstance());
                // Key once; later inits pass null and keep it (BC's documented key reuse), so BC
                // does not redo its key schedule and GHASH tables per record.
                bc.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
                break;
            default:
                throw new IllegalArgumentException(impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (aead != null) {
            aead.close();
        }
    }

    /** A new nonce per record, as TLS does (SunJCE and BC also refuse to reuse one). */
    private void nextNonce() {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (c >>> (56 - 8 * i));
        }
    }

    @Benchmark
    public int seal() throws Exception {
        nextNonce();
        switch (impl) {
            case "tlsaccel":
                return aead.seal(nonce, aad, 0, aad.length, in, 0, size, out, 0);
            case "jdk":
                jdk.init(Cipher.ENCRYPT_MODE, jdkKey, algorithm == AeadAlgorithm.CHACHA20_POLY1305
                        ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce));
                jdk.updateAAD(aad);
                return jdk.doFinal(in, 0, size, out, 0);
            default:
                return bcSeal();
        }
    }

    private int bcSeal() throws InvalidCipherTextException {
        bc.init(true, new AEADParameters(null, 128, nonce, aad));
        int n = bc.processBytes(in, 0, size, out, 0);
        return n + bc.doFinal(out, n);
    }
}
