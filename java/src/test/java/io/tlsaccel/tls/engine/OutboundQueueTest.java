package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.record.RecordCipher;
import io.tlsaccel.tls.record.RecordLayer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    /** "Protects" by marking the record type 0x80 + type (the record layer writes it); counts closes. */
    static final class MarkingCipher implements RecordCipher {
        int closed;

        @Override
        public int plaintextOffset() {
            return RecordLayer.HEADER_LENGTH;
        }

        @Override
        public int overhead() {
            return RecordLayer.HEADER_LENGTH;
        }

        @Override
        public int maxCiphertext() {
            return RecordLayer.MAX_PLAINTEXT;
        }

        @Override
        public int openedLength(int fragmentLength) {
            return fragmentLength;
        }

        @Override
        public int sealFragment(int contentType, ByteBuffer out, int contentLength) {
            out.position(out.position() + 5 + contentLength);
            return 0x80 + contentType;
        }

        @Override
        public int sealFragmentFrom(int contentType, ByteBuffer src, int contentLength, ByteBuffer out) {
            int start = out.position();
            int limit = src.limit();
            src.limit(src.position() + contentLength);
            out.position(start + 5).put(src);
            src.limit(limit);
            return 0x80 + contentType;
        }

        @Override
        public int open(int recordType, int recordVersion, ByteBuffer in, int fragmentLength, ByteBuffer out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean usageLimitReached() {
            return false;
        }

        @Override
        public void rewindOne() {
        }

        @Override
        public void close() {
            closed++;
        }
    }

    static byte[] bytes(ByteBuffer b) {
        return Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void consecutiveMessagesShareARecordUpTo2To14() throws Exception {
        OutboundQueue q = new OutboundQueue(new RecordLayer());
        q.addHandshake(new byte[] {1, 0, 0, 1, 9});
        q.addHandshake(new byte[] {2, 0, 0, 0});
        q.addChangeCipherSpec();
        q.addHandshake(new byte[20000]);
        ByteBuffer dst = ByteBuffer.allocate(40000);
        assertTrue(q.flush(dst));
        assertTrue(q.isEmpty());
        byte[] out = bytes(dst);
        assertArrayEquals(new byte[] {22, 3, 3, 0, 9, 1, 0, 0, 1, 9, 2, 0, 0, 0}, Arrays.copyOf(out, 14));
        assertArrayEquals(new byte[] {20, 3, 3, 0, 1, 1}, Arrays.copyOfRange(out, 14, 20));
        assertArrayEquals(new byte[] {22, 3, 3, 0x40, 0}, Arrays.copyOfRange(out, 20, 25));
        int second = 25 + (1 << 14);
        assertArrayEquals(new byte[] {22, 3, 3, 0x0e, 0x20}, Arrays.copyOfRange(out, second, second + 5));
        assertEquals(second + 5 + 20000 - (1 << 14), out.length);
    }

    @Test
    void whatDoesNotFitStaysQueued() throws Exception {
        OutboundQueue q = new OutboundQueue(new RecordLayer());
        q.addChangeCipherSpec();
        q.addHandshake(new byte[100]);
        ByteBuffer dst = ByteBuffer.allocate(50);
        assertTrue(q.flush(dst));
        assertEquals(6, dst.position());
        assertFalse(q.flush(dst));
        assertFalse(q.isEmpty());
        ByteBuffer more = ByteBuffer.allocate(105);
        assertTrue(q.flush(more));
        assertTrue(q.isEmpty());
    }

    @Test
    void keyChangeAppliesToTheRecordsAfterIt() throws Exception {
        RecordLayer records = new RecordLayer();
        OutboundQueue q = new OutboundQueue(records);
        MarkingCipher c = new MarkingCipher();
        q.addHandshake(new byte[] {1, 0, 0, 0});
        q.addKeyChange(c);
        q.addHandshake(new byte[] {20, 0, 0, 0});
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertTrue(q.flush(dst));
        byte[] out = bytes(dst);
        assertEquals(22, out[0]);
        assertEquals(0x80 + 22, out[9] & 0xff);
        assertEquals(18, out.length);
    }

    @Test
    void closeNotifyEndsTheOutputAndWipesWhatFollows() throws Exception {
        RecordLayer records = new RecordLayer();
        OutboundQueue q = new OutboundQueue(records);
        MarkingCipher now = new MarkingCipher();
        MarkingCipher never = new MarkingCipher();
        q.addKeyChange(now);
        q.addAlert(AlertDescription.CLOSE_NOTIFY, false);
        q.addKeyChange(never);
        q.addHandshake(new byte[] {1, 0, 0, 0});
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertTrue(q.flush(dst));
        assertTrue(q.isClosed());
        assertFalse(q.fatalSent());
        assertTrue(q.isEmpty());
        assertEquals(1, now.closed, "write keys closed after close_notify");
        assertEquals(1, never.closed, "unused keys wiped");
        assertArrayEquals(new byte[] {(byte) (0x80 + ContentType.ALERT), 3, 3, 0, 2, 1, 0}, bytes(dst));
        assertFalse(q.flush(dst));
    }

    @Test
    void warningAlertLetsTheOutputGoOn() throws Exception {
        OutboundQueue q = new OutboundQueue(new RecordLayer());
        q.addAlert(AlertDescription.NO_RENEGOTIATION, false);
        q.addHandshake(new byte[] {1, 0, 0, 0});
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertTrue(q.flush(dst));
        assertFalse(q.isClosed());
        assertEquals(7 + 9, dst.position());
    }

    @Test
    void failureKeepsLeadingKeyChangesAndCcsThenTheFatalAlert() throws Exception {
        RecordLayer records = new RecordLayer();
        OutboundQueue q = new OutboundQueue(records);
        MarkingCipher kept = new MarkingCipher();
        MarkingCipher dropped = new MarkingCipher();
        q.addChangeCipherSpec();
        q.addKeyChange(kept);
        q.addHandshake(new byte[] {20, 0, 0, 0});
        q.addKeyChange(dropped);
        q.dropAfterFailure(AlertDescription.DECRYPT_ERROR);
        assertEquals(1, dropped.closed);
        assertEquals(0, kept.closed);
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertTrue(q.flush(dst));
        assertTrue(q.isClosed());
        assertTrue(q.fatalSent());
        assertArrayEquals(new byte[] {20, 3, 3, 0, 1, 1, (byte) (0x80 + ContentType.ALERT), 3, 3, 0, 2, 2,
                (byte) AlertDescription.DECRYPT_ERROR.code()}, bytes(dst));
        assertEquals(1, kept.closed);
    }
}
