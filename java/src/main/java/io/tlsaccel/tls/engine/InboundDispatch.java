package io.tlsaccel.tls.engine;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.RecordLayer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * Reads one record and hands its content where it belongs: application data to the caller's
 * buffers (in order, opened in place when the record fits in the current one), handshake bytes
 * to the {@link HandshakeJoiner} and on to the handshake as whole messages, alerts and
 * ChangeCipherSpec to their rules. Records that carry nothing (empty ones, TLS 1.2 warnings)
 * are counted, and too many in a row are refused. Not thread-safe: the engine's lock guards it.
 */
final class InboundDispatch {
    /** RFC 8446 5.1 leaves limits on empty records to implementations; we allow this many in a row. */
    static final int MAX_USELESS_RECORDS = 32;

    /** What the engine does with what arrives. */
    interface Receiver {
        boolean clientMode();

        boolean handshakeComplete();

        /** Nothing more is read (a message closed the connection). */
        boolean inboundDone();

        /** One whole handshake message (header included). */
        void handshakeMessage(byte[] message) throws TlsAlertException;

        /** A TLS 1.2 ChangeCipherSpec (RFC 5246 7.1). */
        void changeCipherSpec() throws TlsAlertException;

        /** close_notify (RFC 8446 6.1): the status to report, or the failure to throw. */
        Status closeNotify() throws SSLException;

        /** A fatal alert: closes the engine and returns what to throw. */
        SSLException fatalAlert(int description);
    }

    private final RecordLayer records;
    private final HandshakeJoiner joiner;
    private final Receiver receiver;
    /** Opened records that cannot go straight into the caller's buffer. */
    private ByteBuffer scratch;
    /** Application data may be read: the peer's Finished arrived (keys for it are in force). */
    private boolean readApplication;
    /** A handshake message arrived (for a server: a ClientHello). */
    private boolean handshakeMessageReceived;
    private int ccsReceived;
    private int uselessRun;
    /** Bytes of rejected 0-RTT data we may still skip (RFC 8446 4.2.10); 0 when not skipping. */
    private int earlyDataSkipBudget;
    // What the last read took and gave.
    private int consumed;
    private int produced;

    InboundDispatch(RecordLayer records, HandshakeJoiner joiner, Receiver receiver) {
        this.records = records;
        this.joiner = joiner;
        this.receiver = receiver;
    }

    void readApplication(boolean allowed) {
        readApplication = allowed;
    }

    /** Skip records we cannot open, up to a 64 KiB max_early_data_size plus record overhead. */
    void skipEarlyData() {
        earlyDataSkipBudget = 1 << 16;
    }

    /** Source bytes the last {@link #read} consumed. */
    int consumed() {
        return consumed;
    }

    /** Application bytes the last {@link #read} delivered. */
    int produced() {
        return produced;
    }

    /**
     * Reads the record at {@code src.position()}: BUFFER_UNDERFLOW until it is all there,
     * BUFFER_OVERFLOW (nothing consumed) when its data does not fit in the destinations.
     */
    Status read(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        consumed = 0;
        produced = 0;
        int total = records.readHeader(src);
        if (total < 0 || src.remaining() < total) {
            return Status.BUFFER_UNDERFLOW;
        }
        int pos = src.position();
        int recordLength = records.length();
        if (records.type() == ContentType.CHANGE_CIPHER_SPEC) {
            refuseInterleaving(ContentType.CHANGE_CIPHER_SPEC);
            changeCipherSpec(src.get(pos + RecordLayer.HEADER_LENGTH), recordLength);
            src.position(pos + total);
            consumed = total;
            return Status.OK;
        }

        int type;
        ByteBuffer plain;
        int plainStart;
        int contentLength;
        if (!records.isProtected()) {
            type = records.type();
            if (records.hasReadKeys() && !(type == ContentType.ALERT && !receiver.handshakeComplete())) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unprotected record after keys were set");
            }
            if (type == ContentType.APPLICATION_DATA) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "application data before the handshake");
            }
            // Read where it lies: nothing secret to wipe.
            plain = src;
            plainStart = pos + RecordLayer.HEADER_LENGTH;
            contentLength = recordLength;
            src.position(pos + total);
        } else {
            int maxPlain = records.openedLength();
            // The SSLEngine contract fills the destinations in order: the record is opened in
            // place only into the first one with room, and only if it holds the whole record;
            // otherwise it goes through the scratch buffer and is spread over them in order.
            long room = 0;
            ByteBuffer current = null;
            for (int i = offset; i < offset + length; i++) {
                room += dsts[i].remaining();
                if (current == null && dsts[i].hasRemaining()) {
                    current = dsts[i];
                }
            }
            src.position(pos + RecordLayer.HEADER_LENGTH);
            if (readApplication && current != null && current.remaining() >= maxPlain) {
                plain = current;
                plainStart = current.position();
                try {
                    type = records.open(src, current);
                } catch (TlsAlertException e) {
                    src.position(pos);
                    current.position(plainStart);
                    throw e;
                }
            } else {
                if (scratch == null) {
                    scratch = ByteBuffer.allocate(RecordLayer.MAX_CIPHERTEXT);
                }
                scratch.clear();
                plain = scratch;
                plainStart = 0;
                try {
                    type = records.open(src, scratch);
                } catch (TlsAlertException e) {
                    if (earlyDataSkipBudget > 0 && e.alert() == AlertDescription.BAD_RECORD_MAC
                            && recordLength <= earlyDataSkipBudget) {
                        // A 0-RTT record under keys we do not have: skip it (4.2.10).
                        earlyDataSkipBudget -= recordLength;
                        src.position(pos + total);
                        consumed = total;
                        return Status.OK;
                    }
                    throw e;
                }
                earlyDataSkipBudget = 0;
                if (type == ContentType.APPLICATION_DATA && readApplication && scratch.position() > room) {
                    // Cannot deliver: undo and let the caller make room.
                    zero(scratch, 0, recordLength);
                    records.rewindOne();
                    src.position(pos);
                    return Status.BUFFER_OVERFLOW;
                }
            }
            contentLength = plain.position() - plainStart;
        }
        consumed = total;
        if (type != ContentType.HANDSHAKE && joiner.hasPartialMessage()) {
            wipe(plain, plainStart, contentLength, src);
            refuseInterleaving(type);
        }

        switch (type) {
            case ContentType.APPLICATION_DATA:
                if (!readApplication) {
                    wipe(plain, plainStart, contentLength, src);
                    throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "application data before Finished");
                }
                countUseless(contentLength == 0, "too many empty records");
                if (plain == scratch) {
                    scatter(contentLength, dsts, offset, length);
                }
                produced = contentLength;
                return Status.OK;
            case ContentType.HANDSHAKE: {
                byte[] body = new byte[contentLength];
                plain.get(plainStart, body);
                wipe(plain, plainStart, contentLength, src);
                if (contentLength == 0 && plain != src) {
                    // 5.1: zero-length handshake fragments are not allowed.
                    throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "empty handshake record");
                }
                countUseless(contentLength == 0, "too many empty records");
                joiner.append(body, 0, body.length);
                byte[] message;
                while (!receiver.inboundDone() && (message = joiner.next()) != null) {
                    handshakeMessageReceived = true;
                    receiver.handshakeMessage(message);
                }
                return receiver.inboundDone() ? Status.CLOSED : Status.OK;
            }
            case ContentType.ALERT: {
                int level = contentLength == 2 ? plain.get(plainStart) & 0xff : 0;
                int description = contentLength == 2 ? plain.get(plainStart + 1) & 0xff : 0;
                wipe(plain, plainStart, contentLength, src);
                if (contentLength != 2) {
                    throw new TlsAlertException(AlertDescription.DECODE_ERROR, "alert of " + contentLength + " bytes");
                }
                return alert(level, description);
            }
            default:
                wipe(plain, plainStart, contentLength, src);
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unexpected inner content type " + type);
        }
    }

    /**
     * RFC 8446 5.1, RFC 5246 6.2.1: a handshake message split over records has nothing else
     * between its records (application data, alerts, ChangeCipherSpec).
     */
    private void refuseInterleaving(int type) throws TlsAlertException {
        if (joiner.hasPartialMessage()) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE,
                    "record of type " + type + " inside a handshake message split over records");
        }
    }

    private void changeCipherSpec(byte value, int recordLength) throws TlsAlertException {
        boolean wellFormed = recordLength == 1 && value == 1 && !receiver.handshakeComplete();
        if (records.isTls12()) {
            // RFC 5246 7.1: one byte of value 1, at a point where the handshake expects it
            // (and between handshake messages: the joiner checks that at the key change).
            if (!wellFormed) {
                throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unexpected change_cipher_spec");
            }
            receiver.changeCipherSpec();
            return;
        }
        // RFC 8446 5: one unprotected CCS of value 1 may arrive during the handshake once the
        // ClientHello was sent (D.4: also between HelloRetryRequest and the second ClientHello);
        // it is dropped.
        boolean helloSeen = receiver.clientMode() || handshakeMessageReceived;
        if (!wellFormed || ccsReceived > 0 || !helloSeen) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "unexpected change_cipher_spec");
        }
        ccsReceived++;
    }

    private Status alert(int level, int code) throws SSLException {
        AlertDescription d = AlertDescription.of(code);
        if (d == AlertDescription.CLOSE_NOTIFY) {
            return receiver.closeNotify();
        }
        if (d == AlertDescription.USER_CANCELED) {
            // 6.1: a warning that precedes close_notify.
            return Status.OK;
        }
        if (records.isTls12() && level == 1) {
            // RFC 5246 7.2.2: a warning (e.g. no_renegotiation) leaves the connection usable.
            countUseless(true, "too many warning alerts");
            return Status.OK;
        }
        // 6.2: every other alert is fatal in TLS 1.3 (and every fatal-level one in TLS 1.2).
        throw receiver.fatalAlert(code);
    }

    /** One counter for records that carry nothing, so a peer cannot keep us busy with them. */
    private void countUseless(boolean useless, String what) throws TlsAlertException {
        if (!useless) {
            uselessRun = 0;
        } else if (++uselessRun > MAX_USELESS_RECORDS) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, what);
        }
    }

    /** Wipes opened content that is not the caller's to keep; an unprotected record is left as is. */
    private static void wipe(ByteBuffer plain, int from, int len, ByteBuffer src) {
        if (plain != src) {
            zero(plain, from, len);
            plain.position(from);
        }
    }

    private static void zero(ByteBuffer b, int from, int len) {
        int end = Math.min(b.limit(), from + len);
        for (int i = from; i < end; i++) {
            b.put(i, (byte) 0);
        }
    }

    private void scatter(int n, ByteBuffer[] dsts, int offset, int length) {
        int done = 0;
        for (int i = offset; i < offset + length && done < n; i++) {
            int take = Math.min(dsts[i].remaining(), n - done);
            dsts[i].put(scratch.array(), done, take);
            done += take;
        }
        Arrays.fill(scratch.array(), 0, n, (byte) 0);
    }
}
