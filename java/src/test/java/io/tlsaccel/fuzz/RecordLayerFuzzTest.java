package io.tlsaccel.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.RecordCipher;
import io.tlsaccel.tls.record.RecordLayer;
import io.tlsaccel.tls.record.Tls12RecordCipher;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.record.Tls13RecordProtection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The record layer on its own, structure-aware: a writer seals a fuzzer-chosen run of records
 * (TLS 1.3 or 1.2, any suite, types, lengths and contents), the fuzzer flips bytes of the
 * stream and may cut it, and a reader with the same keys reads it back record by record.
 * Properties: only {@link TlsAlertException} comes out; every record the reader accepts is
 * the one written at that place, with its type and content; an untouched stream reads back
 * whole; a changed byte in a protected record's header or fragment is never accepted.
 */
class RecordLayerFuzzTest {

    private static final int[] TYPES = {ContentType.HANDSHAKE, ContentType.APPLICATION_DATA, ContentType.ALERT};

    private record Written(int type, byte[] content, int start, int end) {
    }

    @FuzzTest(maxDuration = "60s")
    void readerAcceptsOnlyWhatWasWritten(FuzzedDataProvider data) throws Exception {
        boolean tls13 = data.consumeBoolean();
        int suite = data.consumeInt(0, 2);
        byte[] key = data.consumeBytes(32);
        byte[] iv = data.consumeBytes(12);
        if (key.length < 32 || iv.length < 12) {
            return;
        }
        RecordLayer writer = layer(tls13, suite, key, iv, true);
        RecordLayer reader = layer(tls13, suite, key, iv, false);
        try {
            int count = data.consumeInt(1, 6);
            ByteBuffer stream = ByteBuffer.allocate(count * (RecordLayer.MAX_PLAINTEXT + 64));
            List<Written> records = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int type = TYPES[data.consumeInt(0, TYPES.length - 1)];
                // Protected TLS 1.3 records carry at least one byte of content (RFC 8446 5.4 allows
                // empty application data only; keep every type non-empty here).
                byte[] content = data.consumeBytes(data.consumeInt(1, 2048));
                if (content.length == 0) {
                    content = new byte[] {0};
                }
                int start = stream.position();
                stream.position(start + writer.contentOffset());
                stream.put(content);
                stream.position(start);
                writer.write(type, stream, content.length);
                records.add(new Written(type, content, start, stream.position()));
            }
            byte[] original = Arrays.copyOf(stream.array(), stream.position());
            byte[] wire = original.clone();
            int flips = data.consumeInt(0, 4);
            for (int i = 0; i < flips && wire.length > 0; i++) {
                int at = data.consumeInt(0, wire.length - 1);
                int mask = data.consumeInt(1, 255);
                wire[at] ^= (byte) mask;
            }
            int cut = data.consumeBoolean() ? data.consumeInt(0, wire.length) : wire.length;
            read(reader, Arrays.copyOf(wire, cut), original, records, flips == 0 && cut == wire.length);
        } finally {
            writer.close();
            reader.close();
        }
    }

    /** Reads records until the input ends or an alert; checks each accepted record against the written one. */
    private static void read(RecordLayer reader, byte[] wire, byte[] original, List<Written> records, boolean untouched) {
        ByteBuffer in = ByteBuffer.wrap(wire);
        ByteBuffer out = ByteBuffer.allocate(RecordLayer.MAX_PLAINTEXT + 256);
        int accepted = 0;
        try {
            while (true) {
                int total = reader.readHeader(in);
                if (total < 0 || in.remaining() < total) {
                    break;
                }
                if (!reader.isProtected()) {
                    return; // a plaintext record once keys are in place: the engine refuses it (unexpected_message)
                }
                int start = in.position();
                in.position(start + RecordLayer.HEADER_LENGTH);
                out.clear();
                int type = reader.open(in, out);
                assertTrue(accepted < records.size(), "more records read than written");
                Written w = records.get(accepted);
                assertEquals(w.start(), start, "record " + accepted + " read at another place");
                assertEquals(w.type(), type, "record " + accepted + " type");
                assertArrayEquals(w.content(), Arrays.copyOf(out.array(), out.position()), "record " + accepted + " content");
                assertArrayEquals(Arrays.copyOfRange(original, w.start(), w.end()), Arrays.copyOfRange(wire, w.start(), w.end()),
                        "record " + accepted + " was changed on the wire and still accepted");
                in.position(start + total);
                accepted++;
            }
        } catch (TlsAlertException expected) {
            if (untouched) {
                fail("an untouched stream was refused: " + expected.getMessage());
            }
            return;
        }
        if (untouched) {
            assertEquals(records.size(), accepted, "an untouched stream did not read back whole");
        }
    }

    private static RecordLayer layer(boolean tls13, int suite, byte[] key, byte[] iv, boolean write) {
        RecordCipher cipher;
        RecordLayer layer = new RecordLayer();
        if (tls13) {
            Tls13CipherSuite s = Tls13CipherSuite.values()[suite % Tls13CipherSuite.values().length];
            cipher = new Tls13RecordProtection(s, Arrays.copyOf(key, s.keyLength()), iv.clone(), Long.MAX_VALUE);
        } else {
            AeadAlgorithm alg = AeadAlgorithm.values()[suite % AeadAlgorithm.values().length];
            int ivLength = alg == AeadAlgorithm.CHACHA20_POLY1305 ? 12 : 4;
            cipher = new Tls12RecordCipher(alg, Arrays.copyOf(key, alg.keyLength()), Arrays.copyOf(iv, ivLength));
            layer.tls12Negotiated();
        }
        if (write) {
            layer.changeWriteCipher(cipher);
        } else {
            layer.changeReadCipher(cipher);
        }
        return layer;
    }
}
