package io.tlsaccel.tls.engine;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.RecordCipher;
import io.tlsaccel.tls.record.RecordLayer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * What the handshake and the engine have queued for the peer, in order: handshake messages,
 * ChangeCipherSpec, changes of the write keys and alerts. {@link #flush} turns them into records
 * while they fit; after a close_notify or a fatal alert nothing more is written. Not
 * thread-safe: the engine's lock guards it.
 */
final class OutboundQueue {

    /** What flushing one item did. */
    enum Step {
        /** {@code dst} has no room for it: it stays queued. */
        NO_ROOM,
        /** Applied without writing anything (a key change). */
        APPLIED,
        /** Written as a record. */
        WRITTEN
    }

    /** One queued item; each knows how it goes out. */
    sealed interface Item permits HandshakeBytes, ChangeCipherSpec, KeyChange, Alert {
        /** Writes (or applies) this item at {@code dst} and takes it off the queue, if it fits. */
        Step flush(OutboundQueue queue, ByteBuffer dst) throws TlsAlertException;

        /** Handshake bytes still to be sent by this item; -1 if it is not a handshake message. */
        default int handshakeBytesLeft() {
            return -1;
        }

        /** Copies up to {@code max} handshake bytes to {@code dst}; returns how many. */
        default int copyHandshakeBytes(ByteBuffer dst, int max) {
            throw new IllegalStateException("not a handshake message");
        }

        /** Whether a local failure keeps this item when it is ahead of every message and alert. */
        default boolean keptAfterFailure() {
            return false;
        }

        /** Drops this item unsent. */
        default void discard() {
        }
    }

    /** A handshake message, written from {@code offset} on; consecutive ones share records. */
    static final class HandshakeBytes implements Item {
        private final byte[] data;
        private int offset;

        HandshakeBytes(byte[] data) {
            this.data = data;
        }

        @Override
        public Step flush(OutboundQueue queue, ByteBuffer dst) throws TlsAlertException {
            return queue.writeHandshakeRecord(dst) ? Step.WRITTEN : Step.NO_ROOM;
        }

        @Override
        public int handshakeBytesLeft() {
            return data.length - offset;
        }

        @Override
        public int copyHandshakeBytes(ByteBuffer dst, int max) {
            int take = Math.min(data.length - offset, max);
            dst.put(data, offset, take);
            offset += take;
            return take;
        }
    }

    /** RFC 5246 7.1; RFC 8446 D.4 (middlebox compatibility). Never protected. */
    record ChangeCipherSpec() implements Item {
        @Override
        public Step flush(OutboundQueue queue, ByteBuffer dst) {
            if (dst.remaining() < RecordLayer.changeCipherSpecLength()) {
                return Step.NO_ROOM;
            }
            RecordLayer.writeChangeCipherSpec(dst);
            queue.items.poll();
            return Step.WRITTEN;
        }

        @Override
        public boolean keptAfterFailure() {
            return true;
        }
    }

    /** New write keys, in force for the records after this point. */
    record KeyChange(RecordCipher cipher) implements Item {
        @Override
        public Step flush(OutboundQueue queue, ByteBuffer dst) {
            queue.records.changeWriteCipher(cipher);
            queue.items.poll();
            return Step.APPLIED;
        }

        @Override
        public boolean keptAfterFailure() {
            // The peer already expects records under these keys (e.g. an alert after our Finished).
            return true;
        }

        @Override
        public void discard() {
            cipher.close();
        }

        @Override
        public String toString() {
            return "KeyChange";
        }
    }

    /** An alert; close_notify and fatal ones end the output (RFC 8446 6, RFC 5246 7.2). */
    record Alert(AlertDescription description, boolean fatal) implements Item {
        @Override
        public Step flush(OutboundQueue queue, ByteBuffer dst) throws TlsAlertException {
            RecordLayer records = queue.records;
            if (dst.remaining() < 2 + records.overhead()) {
                return Step.NO_ROOM;
            }
            int p = dst.position() + records.contentOffset();
            dst.put(p, (byte) (fatal ? 2 : 1)).put(p + 1, (byte) description.code());
            records.write(ContentType.ALERT, dst, 2);
            queue.items.poll();
            if (fatal || description == AlertDescription.CLOSE_NOTIFY) {
                queue.closed(fatal);
            }
            // else a TLS 1.2 warning (RFC 5246 7.2): the connection goes on.
            return Step.WRITTEN;
        }
    }

    private final RecordLayer records;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    /** A close_notify or fatal alert was written: nothing follows it. */
    private boolean closed;
    private boolean fatalSent;

    OutboundQueue(RecordLayer records) {
        this.records = records;
    }

    void addHandshake(byte[] message) {
        items.add(new HandshakeBytes(message));
    }

    void addChangeCipherSpec() {
        items.add(new ChangeCipherSpec());
    }

    void addKeyChange(RecordCipher cipher) {
        items.add(new KeyChange(cipher));
    }

    void addAlert(AlertDescription description, boolean fatal) {
        items.add(new Alert(description, fatal));
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    /** New write keys are queued, not yet in force (a KeyUpdate of ours waits to be sent). */
    boolean hasPendingKeyChange() {
        for (Item i : items) {
            if (i instanceof KeyChange) {
                return true;
            }
        }
        return false;
    }

    /** A close_notify or fatal alert has been written. */
    boolean isClosed() {
        return closed;
    }

    /** The alert that closed the output was fatal. */
    boolean fatalSent() {
        return fatalSent;
    }

    /** Writes queued records while they fit; returns whether anything was written. */
    boolean flush(ByteBuffer dst) throws TlsAlertException {
        boolean progressed = false;
        while (!items.isEmpty() && !closed) {
            Step step = items.peek().flush(this, dst);
            if (step == Step.NO_ROOM) {
                return progressed;
            }
            progressed |= step == Step.WRITTEN;
        }
        return progressed;
    }

    /**
     * A local failure: keeps the ChangeCipherSpec and key changes queued ahead of any message
     * (the peer already expects them), drops the rest (wiping keys that will never be used),
     * then queues the fatal alert.
     */
    void dropAfterFailure(AlertDescription alert) {
        Iterator<Item> it = items.iterator();
        boolean keeping = true;
        while (it.hasNext()) {
            Item item = it.next();
            keeping &= item.keptAfterFailure();
            if (!keeping) {
                item.discard();
                it.remove();
            }
        }
        addAlert(alert, true);
    }

    /** Drops everything queued, wiping keys that will never be used. */
    void clear() {
        for (Item item : items) {
            item.discard();
        }
        items.clear();
    }

    private void closed(boolean fatal) {
        closed = true;
        fatalSent = fatal;
        clear();
        records.closeWrite();
    }

    /** Packs consecutive handshake messages into one record of up to 2^14 bytes. */
    private boolean writeHandshakeRecord(ByteBuffer dst) throws TlsAlertException {
        int pending = 0;
        for (Item item : items) {
            int left = item.handshakeBytesLeft();
            if (left < 0) {
                break;
            }
            pending += left;
            if (pending >= RecordLayer.MAX_PLAINTEXT) {
                break;
            }
        }
        int n = Math.min(pending, RecordLayer.MAX_PLAINTEXT);
        if (dst.remaining() < n + records.overhead()) {
            return false;
        }
        int recordStart = dst.position();
        dst.position(recordStart + records.contentOffset());
        int copied = 0;
        while (copied < n) {
            // Only handshake messages lie in the first n bytes (counted above).
            Item message = items.peek();
            copied += message.copyHandshakeBytes(dst, n - copied);
            if (message.handshakeBytesLeft() == 0) {
                items.poll();
            }
        }
        dst.position(recordStart);
        records.write(ContentType.HANDSHAKE, dst, n);
        return true;
    }
}
