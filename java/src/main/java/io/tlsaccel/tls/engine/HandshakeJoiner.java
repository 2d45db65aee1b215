package io.tlsaccel.tls.engine;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.Handshake;
import io.tlsaccel.tls.message.TlsAlertException;
import java.util.Arrays;

/**
 * Joins handshake records into handshake messages (RFC 8446 5.1, RFC 5246 6.2.1: a message may
 * be split over records and a record may hold several messages), and owns the rule that no
 * message spans a key change. Bytes taken are wiped. Not thread-safe: the engine's lock guards it.
 */
final class HandshakeJoiner {
    // Waiting bytes are buffer[start, end). Taking a message only moves start; the rest is
    // moved to the front at most once per appended record, so the work is linear in the input.
    private byte[] buffer = new byte[1024];
    private int start;
    private int end;
    /** Bytes moved inside the buffer to make room, for tests of the work per record. */
    private long bytesMoved;

    /** Appends one record's handshake content; the caller's copy is wiped. */
    void append(byte[] b, int off, int len) {
        int waiting = end - start;
        if (end + len > buffer.length && start > 0) {
            System.arraycopy(buffer, start, buffer, 0, waiting);
            Arrays.fill(buffer, Math.max(waiting, start), end, (byte) 0);
            bytesMoved += waiting;
            start = 0;
            end = waiting;
        }
        if (end + len > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, end + len));
        }
        System.arraycopy(b, off, buffer, end, len);
        end += len;
        Arrays.fill(b, off, off + len, (byte) 0);
    }

    /**
     * The next whole message (header included), or null until more arrives. A length over
     * {@link Handshake#MAX_MESSAGE_LENGTH} is decode_error as soon as the header is there.
     */
    byte[] next() throws TlsAlertException {
        if (end - start < 4) {
            return null;
        }
        int len = ((buffer[start + 1] & 0xff) << 16) | ((buffer[start + 2] & 0xff) << 8) | (buffer[start + 3] & 0xff);
        if (len > Handshake.MAX_MESSAGE_LENGTH) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "handshake message of " + len + " bytes");
        }
        if (end - start < 4 + len) {
            return null;
        }
        byte[] msg = Arrays.copyOfRange(buffer, start, start + 4 + len);
        Arrays.fill(buffer, start, start + 4 + len, (byte) 0);
        start += 4 + len;
        if (start == end) {
            start = 0;
            end = 0;
        }
        return msg;
    }

    /**
     * RFC 8446 5.1 (and RFC 5246 7.1 for ChangeCipherSpec): handshake messages must not span
     * a key change; a key change with part of a message waiting is unexpected_message.
     */
    void requireMessageBoundary() throws TlsAlertException {
        if (end != start) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "handshake message spans a key change");
        }
    }

    /** Part of a message is waiting for the records that complete it. */
    boolean hasPartialMessage() {
        return end != start;
    }

    /** Wipes what is waiting. */
    void clear() {
        Arrays.fill(buffer, start, end, (byte) 0);
        start = 0;
        end = 0;
    }

    long bytesMovedForTesting() {
        return bytesMoved;
    }
}
