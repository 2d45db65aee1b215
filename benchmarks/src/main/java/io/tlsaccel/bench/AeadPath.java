package io.tlsaccel.bench;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * One AEAD path built for one algorithm and record size, already checked against SunJCE: what
 * {@link AeadSealBenchmark} and {@link AeadOpenBenchmark} time. The path is named by the
 * benchmarks' {@code path} parameter ({@link Fixtures#path}); {@code nativeRecord} is the record
 * form (direct buffers, nonce and AAD as numbers), every other path the byte[] form.
 */
abstract class AeadPath implements AutoCloseable {
    final AeadAlgorithm alg;
    final int size;
    final byte[] key;
    final byte[] plaintext;

    private AeadPath(AeadAlgorithm alg, int size) {
        this.alg = alg;
        this.size = size;
        this.key = Fixtures.randomKey(alg.keyLength());
        this.plaintext = Fixtures.random(size, size);
    }

    /** Builds and checks the path {@code path} ("sunJce", "nativeJni/vaes512", ...). */
    static AeadPath of(String path, AeadAlgorithm alg, int size) throws Exception {
        Fixtures.Path p = Fixtures.path(path);
        return p.name().equals("nativeRecord") ? new Record(alg, size) : new Arrays(p, alg, size);
    }

    /** One seal with a fresh nonce (a counter) and the 13-byte TLS 1.2 AAD carrying it. */
    abstract int seal() throws Exception;

    /** One open of a ciphertext made in setup (two, taken in turn). */
    abstract int open() throws Exception;

    @Override
    public abstract void close();

    /** The byte[] form: an {@link AeadRunner} with caller-owned nonce, AAD and output arrays. */
    private static final class Arrays extends AeadPath {
        private final AeadRunner runner;
        /** Ciphertext and tag of the plaintext under {@link Fixtures#OPEN_NONCE} and OPEN_AAD. */
        private final byte[] sealed;
        /** The same under {@link Fixtures#OPEN_NONCE_B}. */
        private final byte[] sealedB;
        private final byte[] out;
        private final byte[] nonce = {(byte) 0xA0, (byte) 0xB1, (byte) 0xC2, (byte) 0xD3, 0, 0, 0, 0, 0, 0, 0, 0};
        private final byte[] aad = {0, 0, 0, 0, 0, 0, 0, 0, 0x17, 0x03, 0x03, 0, 0};
        private long seq;

        Arrays(Fixtures.Path path, AeadAlgorithm alg, int size) throws Exception {
            super(alg, size);
            out = new byte[size + AeadAlgorithm.TAG_LENGTH];
            aad[11] = (byte) (size >>> 8);
            aad[12] = (byte) size;
            runner = Fixtures.aead(path, alg, key);
            Fixtures.checkAead(alg.displayName() + " " + path, runner, alg, key, plaintext);
            sealed = Fixtures.referenceSeal(alg, key, Fixtures.OPEN_NONCE, Fixtures.OPEN_AAD, plaintext);
            sealedB = Fixtures.referenceSeal(alg, key, Fixtures.OPEN_NONCE_B, Fixtures.OPEN_AAD, plaintext);
        }

        @Override
        int seal() throws Exception {
            Fixtures.next(nonce, aad, ++seq);
            return runner.seal(nonce, aad, plaintext, size, out);
        }

        @Override
        int open() throws Exception {
            return (++seq & 1) == 0
                    ? runner.open(Fixtures.OPEN_NONCE, Fixtures.OPEN_AAD, sealed, sealed.length, out)
                    : runner.open(Fixtures.OPEN_NONCE_B, Fixtures.OPEN_AAD, sealedB, sealedB.length, out);
        }

        @Override
        public void close() {
            runner.close();
        }
    }

    /**
     * The record-layer form: direct buffers, nonce and AAD as numbers (TLS 1.2: sequence
     * number then 5 header bytes), nothing allocated per op.
     */
    private static final class Record extends AeadPath {
        private static final int SALT = 0x0A0B0C0D;
        private static final long OPEN_SEQ = 42;
        private final Aead aead;
        private final ByteBuffer in;
        private final ByteBuffer sealedRecord;
        private final ByteBuffer outRecord;
        private final long header;
        private long seq;

        Record(AeadAlgorithm alg, int size) throws Exception {
            super(alg, size);
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
            if (!java.util.Arrays.equals(check, plaintext)) {
                throw new IllegalStateException("record path does not round-trip");
            }
            // and it must agree with the byte[] path, which is checked against SunJCE
            byte[] viaArrays = new byte[size + AeadAlgorithm.TAG_LENGTH];
            byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
            nonce[0] = (byte) (SALT >>> 24);
            nonce[1] = (byte) (SALT >>> 16);
            nonce[2] = (byte) (SALT >>> 8);
            nonce[3] = (byte) SALT;
            Fixtures.LONG_BE.set(nonce, 4, OPEN_SEQ);
            byte[] aad16 = new byte[16]; // aadHigh then aadLow; the AAD is its first 13 bytes
            Fixtures.LONG_BE.set(aad16, 0, OPEN_SEQ);
            Fixtures.LONG_BE.set(aad16, 8, header);
            byte[] aad = java.util.Arrays.copyOf(aad16, 13);
            byte[] expected = Fixtures.referenceSeal(alg, key, nonce, aad, plaintext);
            sealedRecord.duplicate().get(viaArrays);
            if (!java.util.Arrays.equals(viaArrays, expected)) {
                throw new IllegalStateException("record path seal differs from SunJCE");
            }
        }

        @Override
        int seal() {
            long s = ++seq;
            in.clear();
            outRecord.clear();
            return aead.sealRecord(SALT, s, s, header, 13, in, outRecord);
        }

        @Override
        int open() throws AEADBadTagException {
            sealedRecord.clear();
            outRecord.clear();
            return aead.openRecord(SALT, OPEN_SEQ, OPEN_SEQ, header, 13, sealedRecord, outRecord);
        }

        @Override
        public void close() {
            aead.close();
        }
    }
}
