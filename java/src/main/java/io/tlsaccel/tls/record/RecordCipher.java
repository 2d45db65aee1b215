package io.tlsaccel.tls.record;

import io.tlsaccel.tls.message.TlsAlertException;
import java.nio.ByteBuffer;

/**
 * What the engine needs from the protection of one direction, whatever the version:
 * {@link Tls13RecordProtection} (TLS 1.3) and {@link Tls12RecordCipher} (TLS 1.2). A record is
 * sealed either in place, the caller having written the content at {@code recordStart +
 * plaintextOffset()} (handshake messages, alerts), or from the caller's buffer (application data).
 */
public interface RecordCipher extends AutoCloseable {

    /** Where the content starts, counted from the record header: 5, or 13 for TLS 1.2 AES-GCM. */
    int plaintextOffset();

    /** Bytes a record adds to its content (header, explicit nonce or inner type, tag). */
    int overhead();

    /** The longest protected fragment the peer may send (RFC 8446 5.2, RFC 5246 6.2.3). */
    int maxCiphertext();

    /** The most content bytes {@link #open} can write for a fragment of this length. */
    int openedLength(int fragmentLength);

    /**
     * Seals {@code contentLength} bytes already placed at {@code out.position() + plaintextOffset()}
     * as the fragment of one record of type {@code contentType}; {@code out} advances past the
     * record. The 5-byte header in front is left to {@link RecordLayer}, the one writer of
     * record headers; the type it must carry is returned.
     */
    int sealFragment(int contentType, ByteBuffer out, int contentLength) throws TlsAlertException;

    /**
     * As {@link #sealFragment}, with the content read from {@code src} (which advances by
     * {@code contentLength}) instead of being placed in {@code out} first: application data
     * is sealed from the caller's buffer in one pass, with no copy beside it. The two may
     * share memory in any way.
     */
    int sealFragmentFrom(int contentType, ByteBuffer src, int contentLength, ByteBuffer out) throws TlsAlertException;

    /**
     * Opens the fragment at {@code in.position()} of a record whose header said
     * {@code recordType}, {@code recordVersion} and {@code fragmentLength}; the content goes to
     * {@code out} at its position (which is left after it). Returns the content type.
     */
    int open(int recordType, int recordVersion, ByteBuffer in, int fragmentLength, ByteBuffer out) throws TlsAlertException;

    /** True once a key has protected as many records as it may and must be updated. */
    boolean usageLimitReached();

    /** Undoes the last {@link #open} (the caller could not deliver its content yet). */
    void rewindOne();

    @Override
    void close();
}
