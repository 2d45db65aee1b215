package io.tlsaccel.tls.record;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.message.TlsAlertException;
import java.nio.ByteBuffer;

/**
 * The record layer of one connection (RFC 8446 5, RFC 5246 6.2): it checks and frames record
 * headers and holds the protection in force for each direction. What a record means (a
 * handshake fragment, an alert, application data) is the engine's business; this class only
 * says whether a record is well formed and protected, and seals or opens it in one call.
 *
 * <p>Writing: the caller puts the content at {@code recordStart + contentOffset()}, leaves
 * {@code dst} at {@code recordStart} and calls {@link #write}. Reading: {@link #readHeader}
 * checks the header at the buffer's position; the record's fields then stay readable until the
 * next header, and {@link #open} decrypts it. Not thread-safe: the engine's lock guards it.
 */
public final class RecordLayer {
    /** type, version, length (RFC 8446 5.1, RFC 5246 6.2.1). */
    public static final int HEADER_LENGTH = 5;
    /** RFC 8446 5.1 / RFC 5246 6.2.1: TLSPlaintext.length MUST NOT exceed 2^14. */
    public static final int MAX_PLAINTEXT = 1 << 14;
    /** RFC 8446 5.2: TLSCiphertext.length MUST NOT exceed 2^14 + 256 (RFC 5246 6.2.3 allows 2^14 + 2048). */
    public static final int MAX_CIPHERTEXT = Tls13RecordProtection.MAX_CIPHERTEXT;
    private static final int CHANGE_CIPHER_SPEC_LENGTH = HEADER_LENGTH + 1;

    private RecordCipher readCipher;
    private RecordCipher writeCipher;
    /** TLS 1.2 record rules: after ChangeCipherSpec every record type is protected. */
    private boolean tls12;
    /** A TLS 1.2 suite was negotiated: from then on every record must say {3, 3}. */
    private boolean tls12Negotiated;

    // The record whose header was read last.
    private int type;
    private int version;
    private int length;
    private boolean isProtected;

    /** TLS 1.2 was chosen (or is the only version enabled): its record rules apply. */
    public void useTls12() {
        tls12 = true;
    }

    /** A TLS 1.2 suite was negotiated: record versions other than {3, 3} are refused. */
    public void tls12Negotiated() {
        tls12 = true;
        tls12Negotiated = true;
    }

    public boolean isTls12() {
        return tls12;
    }

    public boolean hasReadKeys() {
        return readCipher != null;
    }

    /** Reads under {@code next} from now on; the keys it replaces are wiped. */
    public void changeReadCipher(RecordCipher next) {
        closeRead();
        readCipher = next;
    }

    /** Writes under {@code next} from now on; the keys it replaces are wiped. */
    public void changeWriteCipher(RecordCipher next) {
        closeWrite();
        writeCipher = next;
    }

    /** RFC 8446 5.5: the write key has protected as many records as it may. */
    public boolean writeLimitReached() {
        return writeCipher != null && writeCipher.usageLimitReached();
    }

    public void closeRead() {
        if (readCipher != null) {
            readCipher.close();
            readCipher = null;
        }
    }

    public void closeWrite() {
        if (writeCipher != null) {
            writeCipher.close();
            writeCipher = null;
        }
    }

    /** Wipes the keys of both directions. */
    public void close() {
        closeRead();
        closeWrite();
    }

    // ---- writing ----

    /** Where a record's content starts, counted from its first byte. */
    public int contentOffset() {
        return writeCipher == null ? HEADER_LENGTH : writeCipher.plaintextOffset();
    }

    /** Bytes the next record adds to its content (header, and nonce, inner type and tag if protected). */
    public int overhead() {
        return writeCipher == null ? HEADER_LENGTH : writeCipher.overhead();
    }

    /**
     * Makes one record of {@code contentLength} bytes of {@code contentType} from the content at
     * {@code dst.position() + contentOffset()}: a plain header, or sealed under the write keys.
     * {@code dst} advances past the record.
     */
    public void write(int contentType, ByteBuffer dst, int contentLength) throws TlsAlertException {
        int start = dst.position();
        if (writeCipher != null) {
            int outerType = writeCipher.sealFragment(contentType, dst, contentLength);
            putHeader(dst, start, outerType, dst.position() - start - HEADER_LENGTH);
            return;
        }
        putHeader(dst, start, contentType, contentLength);
        dst.position(start + HEADER_LENGTH + contentLength);
    }

    /**
     * As {@link #write}, with the {@code contentLength} bytes of content read from {@code src}
     * (which advances) rather than placed in {@code dst} first.
     */
    public void writeFrom(int contentType, ByteBuffer src, int contentLength, ByteBuffer dst) throws TlsAlertException {
        int start = dst.position();
        if (writeCipher == null) {
            int srcLimit = src.limit();
            src.limit(src.position() + contentLength);
            dst.position(start + contentOffset());
            dst.put(src);
            src.limit(srcLimit);
            dst.position(start);
            write(contentType, dst, contentLength);
            return;
        }
        int outerType = writeCipher.sealFragmentFrom(contentType, src, contentLength, dst);
        putHeader(dst, start, outerType, dst.position() - start - HEADER_LENGTH);
    }

    /** Bytes a ChangeCipherSpec record takes. */
    public static int changeCipherSpecLength() {
        return CHANGE_CIPHER_SPEC_LENGTH;
    }

    /** ChangeCipherSpec is never protected (RFC 5246 7.1, RFC 8446 5): header and the byte 1. */
    public static void writeChangeCipherSpec(ByteBuffer dst) {
        int start = dst.position();
        putHeader(dst, start, ContentType.CHANGE_CIPHER_SPEC, 1);
        dst.put(start + HEADER_LENGTH, (byte) 1);
        dst.position(start + CHANGE_CIPHER_SPEC_LENGTH);
    }

    /**
     * Writes a record header at {@code at}, the one place headers are made. Every record we
     * write says {3, 3}: RFC 8446 5.1 allows it for the first ClientHello too, and RFC 5246
     * 6.2.1 requires it once TLS 1.2 was negotiated. Absolute single-byte puts: independent of
     * the buffer's byte order.
     */
    public static void putHeader(ByteBuffer dst, int at, int contentType, int fragmentLength) {
        dst.put(at, (byte) contentType).put(at + 1, (byte) 3).put(at + 2, (byte) 3)
                .put(at + 3, (byte) (fragmentLength >>> 8)).put(at + 4, (byte) fragmentLength);
    }

    // ---- reading ----

    /**
     * Checks the record header at {@code src.position()} (the position does not move) and
     * returns the whole record's length, or -1 if the header is not all there yet. Whether the
     * whole record has arrived is the caller's to check.
     */
    public int readHeader(ByteBuffer src) throws TlsAlertException {
        if (src.remaining() < HEADER_LENGTH) {
            return -1;
        }
        int pos = src.position();
        int t = src.get(pos) & 0xff;
        int major = src.get(pos + 1) & 0xff;
        int len = ((src.get(pos + 3) & 0xff) << 8) | (src.get(pos + 4) & 0xff);
        if (t < ContentType.CHANGE_CIPHER_SPEC || t > ContentType.APPLICATION_DATA) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unknown record content type " + t);
        }
        if (major != 3) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "not a TLS record");
        }
        if (tls12Negotiated && (src.get(pos + 2) & 0xff) != 3) {
            // RFC 5246 6.2.1 / E.1: once TLS 1.2 is negotiated every record says {3, 3}. Before
            // that, a ClientHello record may say {3, 1} (OpenSSL's does) even to a TLS 1.2-only server.
            throw new TlsAlertException(AlertDescription.PROTOCOL_VERSION, "record version is not TLS 1.2");
        }
        // TLS 1.2 protects every record type after ChangeCipherSpec; TLS 1.3 hides it in application_data.
        boolean prot = readCipher != null
                && (tls12 ? t != ContentType.CHANGE_CIPHER_SPEC : t == ContentType.APPLICATION_DATA);
        int max = prot ? readCipher.maxCiphertext() : MAX_PLAINTEXT;
        if (len > max) {
            // RFC 8446 5.1 / 5.2, RFC 5246 6.2.1-6.2.3: over-long records are record_overflow.
            throw new TlsAlertException(AlertDescription.RECORD_OVERFLOW, "record of " + len + " bytes");
        }
        type = t;
        version = (major << 8) | (src.get(pos + 2) & 0xff);
        length = len;
        isProtected = prot;
        return HEADER_LENGTH + len;
    }

    /** The content type in the last header read. */
    public int type() {
        return type;
    }

    /** The fragment length in the last header read. */
    public int length() {
        return length;
    }

    /** Whether the last record read is protected by the read keys. */
    public boolean isProtected() {
        return isProtected;
    }

    /** The most content bytes {@link #open} can write for the last record read. */
    public int openedLength() {
        return readCipher.openedLength(length);
    }

    /**
     * Opens the last record read, whose fragment starts at {@code src.position()}: the content
     * goes to {@code out} at its position. Returns the (inner) content type.
     */
    public int open(ByteBuffer src, ByteBuffer out) throws TlsAlertException {
        return readCipher.open(type, version, src, length, out);
    }

    /** Undoes the last {@link #open} (its content could not be delivered yet). */
    public void rewindOne() {
        readCipher.rewindOne();
    }
}
