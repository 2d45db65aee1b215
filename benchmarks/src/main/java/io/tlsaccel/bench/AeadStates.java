package io.tlsaccel.bench;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Per-thread AEAD state for every path. The path is the name of the benchmark method that
 * uses the state (e.g. {@code sunJce}), so one state class serves all the plain paths and
 * only what is built in {@code @Setup} differs; the algorithm is the benchmark's {@code alg}
 * parameter (AES-GCM classes) or ChaCha20-Poly1305 for the ChaCha20Poly1305* classes.
 */
public final class AeadStates {

    private AeadStates() {
    }

    static String method(BenchmarkParams params) {
        String b = params.getBenchmark();
        return b.substring(b.lastIndexOf('.') + 1);
    }

    static String benchmarkClass(BenchmarkParams params) {
        String b = params.getBenchmark();
        String cls = b.substring(0, b.lastIndexOf('.'));
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    static AeadAlgorithm algorithm(BenchmarkParams params) {
        String alg = params.getParam("alg");
        if (alg != null) {
            return AeadAlgorithm.valueOf(alg);
        }
        if (benchmarkClass(params).startsWith("ChaCha20Poly1305")) {
            return AeadAlgorithm.CHACHA20_POLY1305;
        }
        throw new IllegalStateException("no algorithm for " + params.getBenchmark());
    }

    /** Key, data, output and the path, built once per trial; {@link #seal()} and {@link #open()} per op. */
    @State(Scope.Thread)
    public static class Data {
        AeadAlgorithm alg;
        int size;
        String path;
        byte[] key;
        byte[] plaintext;
        /** Ciphertext and tag of {@link #plaintext} under {@link Fixtures#OPEN_NONCE} and OPEN_AAD. */
        byte[] sealed;
        /** The same under {@link Fixtures#OPEN_NONCE_B}. */
        byte[] sealedB;
        byte[] out;
        final byte[] nonce = {(byte) 0xA0, (byte) 0xB1, (byte) 0xC2, (byte) 0xD3, 0, 0, 0, 0, 0, 0, 0, 0};
        final byte[] aad = {0, 0, 0, 0, 0, 0, 0, 0, 0x17, 0x03, 0x03, 0, 0};
        long seq;
        AeadRunner runner;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws Exception {
            alg = algorithm(params);
            size = Integer.parseInt(params.getParam("size"));
            path = method(params);
            key = Fixtures.randomKey(alg.keyLength());
            plaintext = Fixtures.random(size, size);
            out = new byte[size + AeadAlgorithm.TAG_LENGTH];
            aad[11] = (byte) (size >>> 8);
            aad[12] = (byte) size;
            runner = Fixtures.aead(path, alg, key, impl());
            Fixtures.checkAead(alg.displayName() + " " + label(), runner, alg, key, plaintext);
            sealed = Fixtures.referenceSeal(alg, key, Fixtures.OPEN_NONCE, Fixtures.OPEN_AAD, plaintext);
            sealedB = Fixtures.referenceSeal(alg, key, Fixtures.OPEN_NONCE_B, Fixtures.OPEN_AAD, plaintext);
            prepare();
        }

        /** The forced implementation, for the states that have one. */
        String impl() {
            return null;
        }

        String label() {
            return impl() == null ? path : path + "[" + impl() + "]";
        }

        /** More setup for subclasses, after the common part. */
        void prepare() throws Exception {
        }

        /** One seal with a fresh nonce (a counter) and the 13-byte TLS 1.2 AAD carrying it. */
        public final int seal() throws Exception {
            Fixtures.next(nonce, aad, ++seq);
            return runner.seal(nonce, aad, plaintext, size, out);
        }

        /** One open of a ciphertext made in setup (two, taken in turn). */
        public final int open() throws Exception {
            return (++seq & 1) == 0
                    ? runner.open(Fixtures.OPEN_NONCE, Fixtures.OPEN_AAD, sealed, sealed.length, out)
                    : runner.open(Fixtures.OPEN_NONCE_B, Fixtures.OPEN_AAD, sealedB, sealedB.length, out);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (runner != null) {
                runner.close();
            }
        }
    }

    /** A native AES-GCM implementation forced by name. */
    @State(Scope.Thread)
    public static class AesImpl extends Data {
        @Param({"vaes512", "vaes256", "aesni"})
        public String aesImpl;

        @Override
        String impl() {
            return aesImpl;
        }
    }

    /** A native ChaCha20-Poly1305 implementation forced by name. */
    @State(Scope.Thread)
    public static class ChaChaImpl extends Data {
        @Param({"avx512", "avx2", "portable"})
        public String chachaImpl;

        @Override
        String impl() {
            return chachaImpl;
        }
    }

    /**
     * The record-layer form: direct buffers, nonce and AAD as numbers (TLS 1.2: sequence
     * number then 5 header bytes), nothing allocated per op.
     */
    @State(Scope.Thread)
    public static class Record extends Data {
        static final int SALT = 0x0A0B0C0D;
        static final long OPEN_SEQ = 42;
        Aead aead;
        ByteBuffer in;
        ByteBuffer sealedRecord;
        ByteBuffer outRecord;
        long header;

        @Override
        void prepare() throws Exception {
            aead = Fixtures.nativeFor(alg).newAead(alg, key);
            header = (0x170303L << 16 | size) << 24; // type, version, length: the first 5 bytes
            in = ByteBuffer.allocateDirect(size);
            in.put(plaintext).flip();
            outRecord = ByteBuffer.allocateDirect(size + AeadAlgorithm.TAG_LENGTH);
            sealedRecord = ByteBuffer.allocateDirect(size + AeadAlgorithm.TAG_LENGTH);
            aead.sealRecord(SALT, OPEN_SEQ, OPEN_SEQ, header, 13, in, sealedRecord);
            sealedRecord.flip();
            ByteBuffer back = ByteBuffer.allocateDirect(size);
            aead.openRecord(SALT, OPEN_SEQ, OPEN_SEQ, header, 13, sealedRecord.duplicate(), back);
            byte[] check = new byte[size];
            back.flip().get(check);
            if (!Arrays.equals(check, plaintext)) {
                throw new IllegalStateException("record path does not round-trip");
            }
        }

        public final int sealRecord() {
            long s = ++seq;
            in.clear();
            outRecord.clear();
            return aead.sealRecord(SALT, s, s, header, 13, in, outRecord);
        }

        public final int openRecord() throws AEADBadTagException {
            sealedRecord.clear();
            outRecord.clear();
            return aead.openRecord(SALT, OPEN_SEQ, OPEN_SEQ, header, 13, sealedRecord, outRecord);
        }

        @Override
        public void tearDown() {
            super.tearDown();
            if (aead != null) {
                aead.close();
            }
        }
    }
}
