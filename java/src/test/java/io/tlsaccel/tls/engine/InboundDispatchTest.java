package io.tlsaccel.tls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.RecordLayer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** Plaintext records through the dispatch (protected ones: ScatterGatherTest and the engine tests). */
class InboundDispatchTest {

    static final class Recorder implements InboundDispatch.Receiver {
        boolean client;
        final List<byte[]> messages = new ArrayList<>();
        int changeCipherSpecs;
        int closeNotifies;
        final SSLException fatal = new SSLException("fatal");
        int fatalDescription = -1;

        @Override
        public boolean clientMode() {
            return client;
        }

        @Override
        public boolean handshakeComplete() {
            return false;
        }

        @Override
        public boolean inboundDone() {
            return false;
        }

        @Override
        public void handshakeMessage(byte[] message) {
            messages.add(message);
        }

        @Override
        public void changeCipherSpec() {
            changeCipherSpecs++;
        }

        @Override
        public Status closeNotify() {
            closeNotifies++;
            return Status.CLOSED;
        }

        @Override
        public SSLException fatalAlert(int description) {
            fatalDescription = description;
            return fatal;
        }
    }

    final Recorder receiver = new Recorder();
    final RecordLayer records = new RecordLayer();
    final InboundDispatch dispatch = new InboundDispatch(records, new HandshakeJoiner(), receiver);

    static ByteBuffer record(int type, int... content) {
        ByteBuffer b = ByteBuffer.allocate(5 + content.length);
        b.put((byte) type).put((byte) 3).put((byte) 3).put((byte) (content.length >>> 8)).put((byte) content.length);
        for (int c : content) {
            b.put((byte) c);
        }
        return b.flip();
    }

    Status read(ByteBuffer src) throws SSLException {
        return dispatch.read(src, new ByteBuffer[] {ByteBuffer.allocate(100)}, 0, 1);
    }

    static void assertAlert(AlertDescription expected, ThrowingRead r) {
        TlsAlertException e = assertThrows(TlsAlertException.class, r::run);
        assertEquals(expected, e.alert());
    }

    interface ThrowingRead {
        void run() throws SSLException;
    }

    @Test
    void partialRecordIsUnderflowAndConsumesNothing() throws Exception {
        ByteBuffer half = record(22, 1, 0, 0, 0).limit(6);
        assertEquals(Status.BUFFER_UNDERFLOW, read(half));
        assertEquals(0, half.position());
        assertEquals(0, dispatch.consumed());
    }

    @Test
    void handshakeMessagesGoToTheReceiverWhole() throws Exception {
        ByteBuffer r = record(22, 1, 0, 0, 1, 7, 2, 0);
        assertEquals(Status.OK, read(r));
        assertEquals(5 + 7, dispatch.consumed());
        assertEquals(1, receiver.messages.size());
        assertEquals(Status.OK, read(record(22, 0, 0)));
        assertEquals(2, receiver.messages.size());
        assertEquals(4, receiver.messages.get(1).length);
    }

    @Test
    void serverTakesOneCompatibilityCcsOnlyAfterAHandshakeMessage() throws Exception {
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, () -> read(record(20, 1)));
        InboundDispatch d = new InboundDispatch(records, new HandshakeJoiner(), receiver);
        d.read(record(22, 1, 0, 0, 0), new ByteBuffer[0], 0, 0);
        assertEquals(Status.OK, d.read(record(20, 1), new ByteBuffer[0], 0, 0));
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, () -> d.read(record(20, 1), new ByteBuffer[0], 0, 0));
    }

    @Test
    void clientTakesOneWellFormedCompatibilityCcs() throws Exception {
        receiver.client = true;
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, () -> read(record(20, 2)));
        InboundDispatch d = new InboundDispatch(records, new HandshakeJoiner(), receiver);
        assertEquals(Status.OK, d.read(record(20, 1), new ByteBuffer[0], 0, 0));
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, () -> d.read(record(20, 1), new ByteBuffer[0], 0, 0));
    }

    @Test
    void tls12CcsGoesToTheHandshake() throws Exception {
        records.useTls12();
        assertEquals(Status.OK, read(record(20, 1)));
        assertEquals(1, receiver.changeCipherSpecs);
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, () -> read(record(20, 1, 1)));
    }

    @Test
    void applicationDataBeforeTheHandshakeIsRefused() {
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, () -> read(record(23, 1, 2, 3)));
    }

    @Test
    void alerts() throws Exception {
        assertAlert(AlertDescription.DECODE_ERROR, () -> read(record(21, 2, 40, 0)));
        assertEquals(Status.OK, read(record(21, 1, AlertDescription.USER_CANCELED.code())));
        assertEquals(Status.CLOSED, read(record(21, 1, 0)));
        assertEquals(1, receiver.closeNotifies);
        SSLException e = assertThrows(SSLException.class, () -> read(record(21, 2, 40)));
        assertSame(receiver.fatal, e);
        assertEquals(40, receiver.fatalDescription);
    }

    @Test
    void tls13WarningOtherThanUserCanceledIsFatal() {
        assertThrows(SSLException.class, () -> read(record(21, 1, AlertDescription.NO_RENEGOTIATION.code())));
        assertEquals(AlertDescription.NO_RENEGOTIATION.code(), receiver.fatalDescription);
    }

    @Test
    void uselessRecordsInARowAreBounded() throws Exception {
        records.useTls12();
        for (int i = 0; i < InboundDispatch.MAX_USELESS_RECORDS; i++) {
            assertEquals(Status.OK, read(record(21, 1, AlertDescription.NO_RENEGOTIATION.code())));
        }
        // Something useful starts the count again ...
        assertEquals(Status.OK, read(record(22, 1, 0, 0, 0)));
        for (int i = 0; i < InboundDispatch.MAX_USELESS_RECORDS; i++) {
            assertEquals(Status.OK, read(record(22)));
        }
        // ... and one more in a row is too many, whatever kind.
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE,
                () -> read(record(21, 1, AlertDescription.NO_RENEGOTIATION.code())));
    }
}
