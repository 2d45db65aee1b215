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
    private byte[] buffer = new byte[1024];
    private int length;
    /** Bytes moved inside the buffer to make room, for tests of the work per record. */
    private long bytesMoved;

    /** Appends one record's handshake content; the caller's copy is wiped. */
    void append(byte[] b, int off, int len) {
        if (length + len > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + len));
        }
        System.arraycopy(b, off, buffer, length, len);
        length += len;
        Arrays.fill(b, off, off + len, (byte) 0);
    }

    /**
     * The next whole message (header included), or null until more arrives. A length over
     * {@link Handshake#MAX_MESSAGE_LENGTH} is decode_error as soon as the header is there.
     */
    byte[] next() throws TlsAlertException {
        if (length < 4) {
            return null;
        }
        int len = ((buffer[1] & 0xff) << 16) | ((buffer[2] & 0xff) << 8) | (buffer[3] & 0xff);
        if (len > Handshake.MAX_MESSAGE_LENGTH) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "handshake message of " + len + " bytes");
        }
        if (length < 4 + len) {
            return null;
        }
        byte[] msg = Arrays.copyOf(buffer, 4 + len);
        System.arraycopy(buffer, 4 + len, buffer, 0, length - 4 - len);
        bytesMoved += length - 4 - len;
        Arrays.fill(buffer, length - 4 - len, length, (byte) 0);
        length -= 4 + len;
        return msg;
    }

    /**
     * RFC 8446 5.1 (and RFC 5246 7.1 for ChangeCipherSpec): handshake messages must not span
     * a key change; a key change with part of a message waiting is unexpected_message.
     */
    void requireMessageBoundary() throws TlsAlertException {
        if (length != 0) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "handshake message spans a key change");
        }
    }

    /** Wipes what is waiting. */
    void clear() {
        Arrays.fill(buffer, 0, length, (byte) 0);
        length = 0;
    }

    long bytesMovedForTesting() {
        return bytesMoved;
    }
}
