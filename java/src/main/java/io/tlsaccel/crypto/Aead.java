package io.tlsaccel.crypto;

import java.nio.ByteBuffer;
import javax.crypto.AEADBadTagException;

/**
 * One AEAD key, ready to seal and open whole messages (one TLS record per call).
 *
 * <p>Nonces are 12 bytes and tags 16; sealed output is ciphertext followed by the tag.
 * Input and output may be the same region (in place); other overlaps are not allowed.
 * The AAD array may be null when there is no AAD (length 0).
 * Open never releases plaintext whose tag failed: the output region is zeroed and
 * {@link AEADBadTagException} thrown. Bad arguments raise {@link IllegalArgumentException},
 * {@link IndexOutOfBoundsException} or {@link NullPointerException}; use after
 * {@link #close()} raises {@link IllegalStateException}.
 *
 * <p>An instance is not safe for concurrent use by several threads; make one per
 * connection direction (they are cheap and share nothing).
 */
public interface Aead extends AutoCloseable {

    AeadAlgorithm algorithm();

    /** Which implementation runs, e.g. {@code native/vaes512} or {@code java/tables}. */
    String implementation();

    /**
     * Seals {@code inLen} bytes of {@code in} into {@code out} (which needs {@code inLen + 16}
     * bytes from {@code outOff}). Returns the bytes written.
     */
    int seal(byte[] nonce, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int inLen, byte[] out, int outOff);

    /**
     * Opens {@code inLen} bytes (ciphertext and tag) into {@code out} ({@code inLen - 16}
     * bytes). Returns the bytes written.
     */
    int open(byte[] nonce, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int inLen, byte[] out, int outOff) throws AEADBadTagException;

    /**
     * Seals {@code in.remaining()} bytes into {@code out}; both buffers' positions advance.
     * Heap and direct buffers are both fine (direct ones are never copied to the heap).
     */
    int seal(byte[] nonce, byte[] aad, ByteBuffer in, ByteBuffer out);

    /** Opens {@code in.remaining()} bytes into {@code out}; positions advance on success. */
    int open(byte[] nonce, byte[] aad, ByteBuffer in, ByteBuffer out) throws AEADBadTagException;

    /**
     * The record-layer form: nonce and AAD passed as numbers so nothing is built per call.
     * The nonce is the 4 bytes of {@code nonceHigh} then the 8 of {@code nonceLow}, big-endian.
     * The AAD is the first {@code aadLen} (0..16) bytes of {@code aadHigh} then {@code aadLow},
     * each big-endian (TLS 1.3: 5 bytes in aadHigh; TLS 1.2: the sequence number in aadHigh
     * and 5 bytes of header in aadLow).
     */
    int sealRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                   ByteBuffer in, ByteBuffer out);

    /**
     * As {@link #sealRecord}, but {@code in} and {@code out} may be any two buffers, overlapping
     * in any way: the record layer seals application data from the caller's buffer. This
     * default copies the content into {@code out} and seals there; the native backend seals
     * straight from {@code in}.
     */
    default int sealRecordFrom(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                               ByteBuffer in, ByteBuffer out) {
        AeadChecks.buffersSealedFrom(in, 0, out);
        return copyThenSealRecord(nonceHigh, nonceLow, aadHigh, aadLow, aadLen, in, -1, out);
    }

    /**
     * The record-layer seal of {@code in.remaining()} bytes followed by one more byte,
     * {@code trailer} (RFC 8446 5.2: a TLS 1.3 inner plaintext is the content and then its
     * content type), into {@code in.remaining() + 17} bytes of {@code out}. Both positions
     * advance. The content is read where it lies: {@code in} and {@code out} may be any two
     * buffers. This default copies it into {@code out} and seals there; the native backend
     * seals straight from {@code in}.
     */
    default int sealRecordWithTrailer(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                                      ByteBuffer in, int trailer, ByteBuffer out) {
        AeadChecks.buffersWithTrailer(in, trailer, out);
        return copyThenSealRecord(nonceHigh, nonceLow, aadHigh, aadLow, aadLen, in, trailer, out);
    }

    /**
     * The defaults above: {@code in}'s content (then {@code trailer}, unless negative) copied to
     * {@code out}'s position, which copes with any overlap, and sealed there in place.
     */
    private int copyThenSealRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                                   ByteBuffer in, int trailer, ByteBuffer out) {
        int start = out.position();
        ByteBuffer plaintext = out.duplicate();
        plaintext.put(in);
        if (trailer >= 0) {
            plaintext.put((byte) trailer);
        }
        plaintext.flip().position(start);
        int n = sealRecord(nonceHigh, nonceLow, aadHigh, aadLow, aadLen, plaintext, out.duplicate());
        out.position(start + n);
        return n;
    }

    /** The record-layer form of {@link #open(byte[], byte[], ByteBuffer, ByteBuffer)}. */
    int openRecord(int nonceHigh, long nonceLow, long aadHigh, long aadLow, int aadLen,
                   ByteBuffer in, ByteBuffer out) throws AEADBadTagException;

    /** Zeroes and frees the key. Idempotent. */
    @Override
    void close();
}
