package io.tlsaccel.tls.record;

import static io.tlsaccel.crypto.AeadAlgorithm.TAG_LENGTH;
import static io.tlsaccel.tls.record.RecordLayer.HEADER_LENGTH;
import static io.tlsaccel.tls.record.RecordLayer.MAX_PLAINTEXT;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * TLS 1.2 AEAD record protection for one direction of one connection (RFC 5246 6.2.3.3).
 *
 * <ul>
 *   <li>AES-GCM (RFC 5288 section 3): nonce = 4-byte salt (client/server_write_IV) ||
 *       8-byte nonce_explicit; the record carries nonce_explicit before the ciphertext. We send
 *       the sequence number as nonce_explicit, which is distinct per record as section 3 requires.
 *   <li>ChaCha20-Poly1305 (RFC 7905 section 2): nonce = 12-byte write IV XOR the sequence
 *       number left-padded to 12 bytes; no explicit part.
 * </ul>
 * The additional data is seq_num (8) + type (1) + version (2) + plaintext length (2)
 * (RFC 5246 6.2.3.3), handed to {@link Aead#sealRecord}/{@link Aead#openRecord} as two numbers
 * so that nothing is allocated per record. The version is always {3,3}: these keys only exist
 * after TLS 1.2 was negotiated, and the engine must reject records carrying another version.
 *
 * <p>Not thread-safe; one instance per direction.
 */
public final class Tls12RecordProtection implements AutoCloseable {
    /** RFC 5246 6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048. */
    public static final int MAX_CIPHERTEXT = (1 << 14) + 2048;
    /** RFC 5288 section 3: nonce_explicit is 8 bytes. */
    public static final int GCM_EXPLICIT_NONCE_LENGTH = 8;
    /** The record version of TLS 1.2, {3,3}. */
    public static final int VERSION = 0x0303;
    /** seq_num + type + version + length (RFC 5246 6.2.3.3). */
    private static final int AAD_LENGTH = 13;

    private final Aead aead;
    private final boolean gcm;
    private final int explicitLength;
    /** GCM: the salt. ChaCha20-Poly1305: the first 4 bytes of the IV. */
    private final int nonceHigh;
    /** ChaCha20-Poly1305: the last 8 bytes of the IV (GCM: unused, 0). */
    private final long ivLow;
    private long seq;

    /**
     * Takes an AEAD made for this direction's write key and the write IV from the key block
     * (4 bytes for AES-GCM, 12 for ChaCha20-Poly1305). The IV array is zeroed here; this
     * object closes the AEAD.
     */
    public Tls12RecordProtection(Aead aead, byte[] fixedIv) {
        AeadAlgorithm alg = aead.algorithm();
        this.gcm = alg != AeadAlgorithm.CHACHA20_POLY1305;
        int ivLength = gcm ? 4 : 12;
        if (fixedIv.length != ivLength) {
            throw new IllegalArgumentException(alg.displayName() + " in TLS 1.2 takes a " + ivLength
                    + "-byte write IV, not " + fixedIv.length);
        }
        this.aead = aead;
        this.explicitLength = gcm ? GCM_EXPLICIT_NONCE_LENGTH : 0;
        this.nonceHigh = ((fixedIv[0] & 0xff) << 24) | ((fixedIv[1] & 0xff) << 16)
                | ((fixedIv[2] & 0xff) << 8) | (fixedIv[3] & 0xff);
        long low = 0;
        for (int i = 4; i < ivLength; i++) {
            low = (low << 8) | (fixedIv[i] & 0xff);
        }
        this.ivLow = low;
        Arrays.fill(fixedIv, (byte) 0);
    }

    /**
     * Makes the AEAD on the selected crypto backend ({@link RecordCrypto}); zeroes
     * {@code key} and {@code fixedIv}.
     */
    public static Tls12RecordProtection create(AeadAlgorithm algorithm, byte[] key, byte[] fixedIv) {
        Aead aead = RecordCrypto.newAead(algorithm, key);
        Arrays.fill(key, (byte) 0);
        try {
            return new Tls12RecordProtection(aead, fixedIv);
        } catch (RuntimeException e) {
            aead.close();
            throw e;
        }
    }

    public AeadAlgorithm algorithm() {
        return aead.algorithm();
    }

    /** 8 for AES-GCM, 0 for ChaCha20-Poly1305. */
    public int explicitNonceLength() {
        return explicitLength;
    }

    /** Bytes a record adds to its plaintext: header, explicit nonce, tag. */
    public int overhead() {
        return HEADER_LENGTH + explicitLength + TAG_LENGTH;
    }

    /** The sequence number the next record will use. */
    public long sequenceNumber() {
        return seq;
    }

    private void checkSequence() throws TlsAlertException {
        // RFC 5246 6.1: sequence numbers may not wrap; the connection must end first.
        if (seq == -1L) {
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "record sequence number exhausted");
        }
    }

    /** The last 5 bytes of the AAD, in the top of a long (see {@link Aead#sealRecord}). */
    private static long headerAad(int contentType, int plaintextLength) {
        return ((long) contentType << 56) | ((long) VERSION << 40) | ((long) plaintextLength << 24);
    }

    private long nonceLow(long explicitNonce) {
        return gcm ? explicitNonce : ivLow ^ seq;
    }

    /**
     * Seals {@code length} bytes from {@code src} into one complete record at {@code dst}'s
     * position: {@link #sealFragment}, then the header (written by {@link RecordLayer#putHeader}).
     *
     * @return the record's total length
     */
    public int seal(int contentType, ByteBuffer src, int length, ByteBuffer dst) throws TlsAlertException {
        int start = dst.position();
        int recordLength = sealFragment(contentType, src, length, dst);
        RecordLayer.putHeader(dst, start, contentType, recordLength - HEADER_LENGTH);
        return recordLength;
    }

    /**
     * Seals {@code length} bytes from {@code src} (its position advances by that much) into
     * the fragment of one record at {@code dst}'s position: explicit nonce (GCM), ciphertext,
     * tag after the 5 header bytes, which are the record layer's to write. {@code dst} advances
     * past the record and needs {@code length + overhead()} bytes. {@code src} and {@code dst}
     * must be different buffer objects; they may share memory only as {@link Aead} allows
     * (exactly in place, i.e. plaintext at dst.position() + 5 + {@link #explicitNonceLength()}).
     *
     * @return the record's total length
     */
    public int sealFragment(int contentType, ByteBuffer src, int length, ByteBuffer dst) throws TlsAlertException {
        return seal(contentType, src, length, dst, false);
    }

    /**
     * As {@link #sealFragment}, with {@code src} and {@code dst} sharing memory in any way
     * (application data sealed from the caller's buffer, whatever it is).
     */
    public int sealFragmentFrom(int contentType, ByteBuffer src, int length, ByteBuffer dst) throws TlsAlertException {
        return seal(contentType, src, length, dst, true);
    }

    private int seal(int contentType, ByteBuffer src, int length, ByteBuffer dst, boolean anyOverlap)
            throws TlsAlertException {
        checkSequence();
        if (length < 0 || length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("record plaintext of " + length + " bytes (0.." + MAX_PLAINTEXT + ")");
        }
        if ((contentType & ~0xff) != 0) {
            throw new IllegalArgumentException("content type " + contentType);
        }
        if (src.remaining() < length) {
            throw new IllegalArgumentException("source holds " + src.remaining() + " bytes, not " + length);
        }
        if (src == dst) {
            throw new IllegalArgumentException("src and dst must be different buffer objects");
        }
        int fragmentLength = explicitLength + length + TAG_LENGTH;
        int recordLength = HEADER_LENGTH + fragmentLength;
        int start = dst.position();
        if (dst.remaining() < recordLength) {
            throw new BufferOverflowException();
        }
        int srcLimit = src.limit();
        int dstLimit = dst.limit();
        src.limit(src.position() + length);
        dst.position(start + HEADER_LENGTH + explicitLength);
        dst.limit(start + recordLength);
        try {
            if (anyOverlap) {
                aead.sealRecordFrom(nonceHigh, nonceLow(seq), seq, headerAad(contentType, length), AAD_LENGTH, src, dst);
            } else {
                aead.sealRecord(nonceHigh, nonceLow(seq), seq, headerAad(contentType, length), AAD_LENGTH, src, dst);
            }
        } catch (RuntimeException e) {
            dst.position(start);
            throw e;
        } finally {
            src.limit(srcLimit);
            dst.limit(dstLimit);
        }
        // Written after the seal: src may lie where the explicit nonce goes.
        if (gcm) {
            putLong(dst, start + HEADER_LENGTH, seq);
        }
        seq++;
        return recordLength;
    }

    /**
     * Opens the record whose header (already read and checked by the caller: type, version
     * {3,3}, length) said {@code contentType} and {@code fragmentLength}; the fragment starts
     * at {@code in.position()}. The plaintext goes to {@code out} at its position (it needs
     * {@code fragmentLength - explicitNonceLength() - 16} bytes). On success both buffers
     * advance and the plaintext length is returned. Too long: record_overflow; too short or a
     * bad tag: bad_record_mac (RFC 5246 6.2.3, 6.2.3.3), with nothing released into
     * {@code out}.
     */
    public int open(int contentType, ByteBuffer in, int fragmentLength, ByteBuffer out) throws TlsAlertException {
        checkSequence();
        if (fragmentLength > MAX_CIPHERTEXT) {
            throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW,
                    "TLSCiphertext of " + fragmentLength + " bytes, over 2^14 + 2048");
        }
        int plaintextLength = fragmentLength - explicitLength - TAG_LENGTH;
        if (plaintextLength < 0) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, "record too short to be protected");
        }
        // An AEAD fragment's plaintext length is fixed by its length, so check it before decrypting.
        if (plaintextLength > MAX_PLAINTEXT) {
            throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW,
                    "record plaintext of " + plaintextLength + " bytes, over 2^14");
        }
        if (in.remaining() < fragmentLength) {
            throw new IllegalArgumentException("input holds " + in.remaining() + " bytes, record needs " + fragmentLength);
        }
        if (out.remaining() < plaintextLength) {
            throw new BufferOverflowException();
        }
        if (in == out) {
            throw new IllegalArgumentException("in and out must be different buffer objects");
        }
        int start = in.position();
        long explicit = gcm ? getLong(in, start) : 0L;
        int inLimit = in.limit();
        int outLimit = out.limit();
        int outStart = out.position();
        in.position(start + explicitLength);
        in.limit(start + fragmentLength);
        out.limit(outStart + plaintextLength);
        try {
            aead.openRecord(nonceHigh, nonceLow(explicit), seq, headerAad(contentType, plaintextLength), AAD_LENGTH,
                    in, out);
        } catch (AEADBadTagException e) {
            in.position(start);
            out.position(outStart);
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, "record authentication failed");
        } finally {
            in.limit(inLimit);
            out.limit(outLimit);
        }
        seq++;
        return plaintextLength;
    }

    /** Undoes the last {@link #open}, whose plaintext the caller could not deliver yet. */
    public void rewindOne() {
        seq--;
    }

    private static void putLong(ByteBuffer b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b.put(at + i, (byte) v);
            v >>>= 8;
        }
    }

    private static long getLong(ByteBuffer b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b.get(at + i) & 0xff);
        }
        return v;
    }

    @Override
    public void close() {
        aead.close();
    }

    @Override
    public String toString() {
        return "Tls12RecordProtection[" + aead.algorithm().displayName() + ", seq=" + seq + "]";
    }
}
