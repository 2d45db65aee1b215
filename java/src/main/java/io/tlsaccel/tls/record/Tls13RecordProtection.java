package io.tlsaccel.tls.record;

import static io.tlsaccel.crypto.AeadAlgorithm.TAG_LENGTH;
import static io.tlsaccel.tls.record.RecordLayer.HEADER_LENGTH;
import static io.tlsaccel.tls.record.RecordLayer.MAX_PLAINTEXT;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.message.TlsAlertException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * TLS 1.3 record protection for one direction and one traffic secret (RFC 8446 5.2-5.3):
 * nonce = write_iv XOR (64-bit sequence number, left-padded), AAD = the 5-byte record header,
 * inner plaintext = content || type || zeros. Nothing is allocated per record.
 */
public final class Tls13RecordProtection implements RecordCipher {
    /** RFC 8446 5.2: TLSCiphertext.length MUST NOT exceed 2^14 + 256. */
    public static final int MAX_CIPHERTEXT = (1 << 14) + 256;
    /** Bytes added to a plaintext by sealing: header, inner content type, tag. */
    public static final int OVERHEAD = HEADER_LENGTH + 1 + TAG_LENGTH;
    /** 5.1: legacy_record_version of every protected record we write. */
    private static final int RECORD_VERSION = 0x0303;

    private final Tls13CipherSuite suite;
    private final Aead aead;
    private final int ivHigh;
    private final long ivLow;
    private long seq;
    private final long limit;
    private ByteBuffer viewBase;
    private ByteBuffer viewIn;
    private ByteBuffer viewOut;

    /** Takes a key and IV derived from a traffic secret; the key array is zeroed here. */
    public Tls13RecordProtection(Tls13CipherSuite suite, byte[] key, byte[] iv, long recordLimit) {
        if (iv.length != 12) {
            throw new IllegalArgumentException("TLS 1.3 IV is 12 bytes");
        }
        this.suite = suite;
        this.aead = RecordCrypto.newAead(suite.aead(), key);
        Arrays.fill(key, (byte) 0);
        this.ivHigh = ((iv[0] & 0xff) << 24) | ((iv[1] & 0xff) << 16) | ((iv[2] & 0xff) << 8) | (iv[3] & 0xff);
        long low = 0;
        for (int i = 4; i < 12; i++) {
            low = (low << 8) | (iv[i] & 0xff);
        }
        this.ivLow = low;
        Arrays.fill(iv, (byte) 0);
        this.limit = recordLimit;
    }

    public Tls13CipherSuite suite() {
        return suite;
    }

    public long sequenceNumber() {
        return seq;
    }

    @Override
    public int plaintextOffset() {
        return HEADER_LENGTH;
    }

    @Override
    public int overhead() {
        return OVERHEAD;
    }

    @Override
    public int maxCiphertext() {
        return MAX_CIPHERTEXT;
    }

    @Override
    public int openedLength(int fragmentLength) {
        return fragmentLength - TAG_LENGTH;
    }

    @Override
    public int open(int recordType, int recordVersion, ByteBuffer in, int fragmentLength, ByteBuffer out)
            throws TlsAlertException {
        return open(recordVersion, in, fragmentLength, out);
    }

    /** True once this key has protected as many records as it may (5.5): time for a KeyUpdate. */
    @Override
    public boolean usageLimitReached() {
        return Long.compareUnsigned(seq, limit) >= 0;
    }

    /**
     * Header AAD packed as the left-most 5 bytes of a long (see {@link Aead#sealRecord}): the
     * record's own header (5.2: opaque_type || legacy_record_version || length), so a record
     * whose version bytes were changed on the way fails its tag.
     */
    private static long headerAad(int version, int length) {
        return ((long) ContentType.APPLICATION_DATA << 56) | ((long) version << 40) | ((long) length << 24);
    }

    private void checkSequence() throws TlsAlertException {
        // 5.3: a sequence number must never wrap; we close instead.
        if (seq == -1L) {
            throw new TlsAlertException(AlertDescription.INTERNAL_ERROR, "record sequence number exhausted");
        }
    }

    /**
     * Seals one whole record in place: {@link #sealFragment}, then the header (written by
     * {@link RecordLayer#putHeader}). {@code out} needs contentLength + 22 bytes.
     */
    public void seal(int contentType, ByteBuffer out, int contentLength) throws TlsAlertException {
        int start = out.position();
        int outerType = sealFragment(contentType, out, contentLength);
        RecordLayer.putHeader(out, start, outerType, out.position() - start - HEADER_LENGTH);
    }

    /**
     * Seals the fragment of one record in place. The caller has put {@code contentLength}
     * plaintext bytes at {@code out.position() + 5}; this adds the inner content type and the
     * tag and advances {@code out} past the record. The 5 header bytes are the record layer's
     * to write (the AAD is made from the same values). Returns the outer type, application_data.
     */
    @Override
    public int sealFragment(int contentType, ByteBuffer out, int contentLength) throws TlsAlertException {
        checkSequence();
        if (contentLength > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("record too large");
        }
        int start = out.position();
        int innerLength = contentLength + 1;
        int recordLength = innerLength + TAG_LENGTH;
        out.put(start + HEADER_LENGTH + contentLength, (byte) contentType);
        // Sealed in place: two views of the same region (made once per output buffer).
        if (viewBase != out) {
            viewIn = out.duplicate();
            viewOut = out.duplicate();
            viewBase = out;
        }
        viewIn.clear();
        viewIn.position(start + HEADER_LENGTH);
        viewIn.limit(start + HEADER_LENGTH + innerLength);
        viewOut.clear();
        viewOut.position(start + HEADER_LENGTH);
        viewOut.limit(start + HEADER_LENGTH + recordLength);
        aead.sealRecord(ivHigh, ivLow ^ seq, headerAad(RECORD_VERSION, recordLength), 0L, HEADER_LENGTH, viewIn, viewOut);
        seq++;
        out.position(start + HEADER_LENGTH + recordLength);
        return ContentType.APPLICATION_DATA;
    }

    /**
     * As {@link #sealFragment}, reading the content from {@code src}: the AEAD seals it and the
     * content type after it (the inner plaintext, RFC 8446 5.2) straight into {@code out}.
     */
    @Override
    public int sealFragmentFrom(int contentType, ByteBuffer src, int contentLength, ByteBuffer out)
            throws TlsAlertException {
        checkSequence();
        if (contentLength > MAX_PLAINTEXT || contentLength > src.remaining()) {
            throw new IllegalArgumentException("record content of " + contentLength + " bytes");
        }
        int start = out.position();
        int recordLength = contentLength + 1 + TAG_LENGTH;
        int srcLimit = src.limit();
        src.limit(src.position() + contentLength);
        out.position(start + HEADER_LENGTH);
        try {
            aead.sealRecordWithTrailer(ivHigh, ivLow ^ seq, headerAad(RECORD_VERSION, recordLength), 0L, HEADER_LENGTH,
                    src, contentType, out);
        } finally {
            src.limit(srcLimit);
        }
        seq++;
        return ContentType.APPLICATION_DATA;
    }

    /**
     * Opens the record whose {@code ciphertextLength} bytes (after a 5-byte header already
     * checked by the caller) start at {@code in.position()} into {@code out} at its position.
     * Returns the inner content type; {@code out}'s position is left after the content (padding
     * and type byte removed, their bytes zeroed). {@code in} advances past the record.
     * A bad tag is bad_record_mac; all-zero inner plaintext is unexpected_message (5.4).
     */
    public int open(ByteBuffer in, int ciphertextLength, ByteBuffer out) throws TlsAlertException {
        return open(RECORD_VERSION, in, ciphertextLength, out);
    }

    /** {@link #open(ByteBuffer, int, ByteBuffer)} of a record whose header carried {@code recordVersion}. */
    private int open(int recordVersion, ByteBuffer in, int ciphertextLength, ByteBuffer out) throws TlsAlertException {
        checkSequence();
        if (ciphertextLength < TAG_LENGTH + 1) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, "record too short to be protected");
        }
        int outStart = out.position();
        int inLimit = in.limit();
        int outLimit = out.limit();
        in.limit(in.position() + ciphertextLength);
        out.limit(outStart + ciphertextLength - TAG_LENGTH);
        try {
            aead.openRecord(ivHigh, ivLow ^ seq, headerAad(recordVersion, ciphertextLength), 0L, HEADER_LENGTH, in, out);
        } catch (AEADBadTagException e) {
            throw new TlsAlertException(AlertDescription.BAD_RECORD_MAC, "record authentication failed");
        } finally {
            in.limit(inLimit);
            out.limit(outLimit);
        }
        seq++;
        // 5.4: the content type is the last non-zero byte; everything after it is padding.
        int end = outStart + ciphertextLength - TAG_LENGTH;
        int i = end - 1;
        while (i >= outStart && out.get(i) == 0) {
            i--;
        }
        if (i < outStart) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "inner plaintext has no content type");
        }
        int type = out.get(i) & 0xff;
        out.put(i, (byte) 0);
        int contentLength = i - outStart;
        if (contentLength > MAX_PLAINTEXT) {
            throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW, "inner plaintext over 2^14 bytes");
        }
        out.position(i);
        return type;
    }

    /** Undoes the last {@link #open} (the caller could not deliver its content yet). */
    @Override
    public void rewindOne() {
        seq--;
    }

    @Override
    public void close() {
        aead.close();
    }

    @Override
    public String toString() {
        return "Tls13RecordProtection[" + suite + ", seq=" + seq + "]";
    }
}
