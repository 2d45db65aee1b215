package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandshakeJoinerTest {

    static byte[] message(int type, int bodyLength, int fill) {
        byte[] m = new byte[4 + bodyLength];
        m[0] = (byte) type;
        m[1] = (byte) (bodyLength >>> 16);
        m[2] = (byte) (bodyLength >>> 8);
        m[3] = (byte) bodyLength;
        for (int i = 4; i < m.length; i++) {
            m[i] = (byte) (fill + i);
        }
        return m;
    }

    static List<byte[]> drain(HandshakeJoiner j) throws TlsAlertException {
        List<byte[]> out = new ArrayList<>();
        byte[] m;
        while ((m = j.next()) != null) {
            out.add(m);
        }
        return out;
    }

    @Test
    void messagesSplitAndJoinedAtEveryRecordBoundary() throws Exception {
        Random r = new Random(7);
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            byte[] m = message(1 + i % 20, r.nextInt(3000), i);
            sent.add(m);
            wire.writeBytes(m);
        }
        byte[] all = wire.toByteArray();
        HandshakeJoiner j = new HandshakeJoiner();
        List<byte[]> got = new ArrayList<>();
        for (int at = 0; at < all.length;) {
            int n = Math.min(all.length - at, 1 + r.nextInt(5000));
            byte[] record = Arrays.copyOfRange(all, at, at + n);
            j.append(record, 0, n);
            assertTrue(Arrays.equals(new byte[n], record), "caller's copy wiped");
            got.addAll(drain(j));
            at += n;
        }
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i));
        }
        j.requireMessageBoundary();
    }

    @Test
    void partOfAMessageWaitingAtAKeyChangeIsUnexpectedMessage() throws Exception {
        HandshakeJoiner j = new HandshakeJoiner();
        byte[] m = message(20, 32, 0);
        j.append(m.clone(), 0, 10);
        assertNull(j.next());
        TlsAlertException e = assertThrows(TlsAlertException.class, j::requireMessageBoundary);
        assertEquals(AlertDescription.UNEXPECTED_MESSAGE, e.alert());
        // Even a bare header (no body yet) is part of a message.
        HandshakeJoiner k = new HandshakeJoiner();
        k.append(message(20, 32, 0), 0, 4);
        assertNull(k.next());
        assertThrows(TlsAlertException.class, k::requireMessageBoundary);
        k.clear();
        k.requireMessageBoundary();
    }

    @Test
    void overlongLengthIsDecodeErrorAtTheHeader() {
        HandshakeJoiner j = new HandshakeJoiner();
        j.append(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0, 4);
        TlsAlertException e = assertThrows(TlsAlertException.class, j::next);
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }

    /**
     * A record of many tiny messages: taking each must not shift the rest of the buffer (that
     * is quadratic in the record: 4,096 empty messages moved about 32 MB). The bytes moved stay
     * within what was appended.
     */
    @Test
    void takingMessagesIsLinearInTheRecord() throws Exception {
        int count = 4096;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            wire.writeBytes(message(4, 0, 0));
        }
        // ... and a message split over the next record, which has to be kept.
        byte[] split = message(11, 100, 3);
        wire.writeBytes(Arrays.copyOf(split, 50));
        byte[] record = wire.toByteArray();
        HandshakeJoiner j = new HandshakeJoiner();
        j.append(record.clone(), 0, record.length);
        assertEquals(count, drain(j).size());
        j.append(Arrays.copyOfRange(split, 50, split.length), 0, split.length - 50);
        List<byte[]> last = drain(j);
        assertEquals(1, last.size());
        assertArrayEquals(split, last.get(0));
        long appended = record.length + split.length - 50;
        assertTrue(j.bytesMovedForTesting() <= appended,
                "moved " + j.bytesMovedForTesting() + " bytes for " + appended + " appended");
    }
}
