package io.tlsaccel.tls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.tls.message.AlertDescription;
import io.tlsaccel.tls.message.ContentType;
import io.tlsaccel.tls.message.TlsAlertException;
import io.tlsaccel.tls.record.Tls13CipherSuite;
import io.tlsaccel.tls.record.RecordLayer;
import io.tlsaccel.tls.record.Tls13RecordProtection;
import io.tlsaccel.tls.record.Tls12RecordCipher;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Record headers checked and framed (RFC 8446 5.1-5.2, RFC 5246 6.2), TLS 1.3 and 1.2 rules. */
class RecordLayerTest {

    private static ByteBuffer header(int type, int major, int minor, int length) {
        ByteBuffer b = ByteBuffer.allocate(5 + Math.max(0, length));
        b.put(0, (byte) type).put(1, (byte) major).put(2, (byte) minor).put(3, (byte) (length >>> 8)).put(4, (byte) length);
        return b;
    }

    private static AlertDescription alertOf(RecordLayer r, ByteBuffer b) {
        return assertThrows(TlsAlertException.class, () -> r.readHeader(b)).alert();
    }

    @Test
    void badHeadersGetTheirAlerts() throws Exception {
        RecordLayer r = new RecordLayer();
        assertEquals(-1, r.readHeader(ByteBuffer.allocate(4)), "a partial header is not yet a record");
        assertEquals(AlertDescription.UNEXPECTED_MESSAGE, alertOf(r, header(19, 3, 3, 1)));
        assertEquals(AlertDescription.UNEXPECTED_MESSAGE, alertOf(r, header(24, 3, 3, 1)));
        assertEquals(AlertDescription.DECODE_ERROR, alertOf(r, header(ContentType.HANDSHAKE, 2, 0, 1)));
        assertEquals(AlertDescription.RECORD_OVERFLOW, alertOf(r, header(ContentType.HANDSHAKE, 3, 3, (1 << 14) + 1)));
        ByteBuffer max = header(ContentType.HANDSHAKE, 3, 1, 1 << 14);
        assertEquals(5 + (1 << 14), r.readHeader(max), "{3, 1} is fine before TLS 1.2 is negotiated");
        assertEquals(0, max.position(), "reading a header does not consume it");
        assertFalse(r.isProtected());

        r.tls12Negotiated();
        assertEquals(AlertDescription.PROTOCOL_VERSION, alertOf(r, header(ContentType.HANDSHAKE, 3, 1, 10)));
    }

    @Test
    void protectedRecordsMayBeLongerUpToTheirLimit() throws Exception {
        RecordLayer r = new RecordLayer();
        r.changeReadCipher(new Tls13RecordProtection(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, new byte[16], new byte[12], Long.MAX_VALUE));
        int max = (1 << 14) + 256;
        assertEquals(5 + max, r.readHeader(header(ContentType.APPLICATION_DATA, 3, 3, max)));
        assertTrue(r.isProtected());
        assertEquals(max - 16, r.openedLength());
        assertEquals(AlertDescription.RECORD_OVERFLOW, alertOf(r, header(ContentType.APPLICATION_DATA, 3, 3, max + 1)));
        // TLS 1.3 hides every protected type in application_data: a handshake record is plain.
        r.readHeader(header(ContentType.HANDSHAKE, 3, 3, 10));
        assertFalse(r.isProtected());

        // TLS 1.2: after ChangeCipherSpec every type but ChangeCipherSpec is protected.
        RecordLayer r12 = new RecordLayer();
        r12.tls12Negotiated();
        r12.changeReadCipher(new Tls12RecordCipher(AeadAlgorithm.AES_128_GCM, new byte[16], new byte[4]));
        r12.readHeader(header(ContentType.HANDSHAKE, 3, 3, 40));
        assertTrue(r12.isProtected());
        r12.readHeader(header(ContentType.CHANGE_CIPHER_SPEC, 3, 3, 1));
        assertFalse(r12.isProtected());
        r12.close();
        r.close();
    }

    /**
     * RFC 8446 5.2: the AAD is the record's header as received, so a protected record whose
     * legacy_record_version was changed on the way fails its tag (found by RecordLayerFuzzTest:
     * the AAD used to be rebuilt with 0x0303). The unchanged record still opens.
     */
    @Test
    void tls13RecordWithAChangedVersionFailsItsTag() throws Exception {
        for (int minor : new int[] {1, 2, 4, 0xf1}) {
            byte[] key = new byte[16];
            byte[] iv = new byte[12];
            RecordLayer writer = new RecordLayer();
            writer.changeWriteCipher(new Tls13RecordProtection(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, key.clone(), iv.clone(), Long.MAX_VALUE));
            ByteBuffer wire = ByteBuffer.allocate(100);
            wire.position(writer.contentOffset());
            wire.put(new byte[] {1, 2, 3});
            wire.position(0);
            writer.write(ContentType.APPLICATION_DATA, wire, 3);
            wire.flip();
            for (boolean changed : new boolean[] {true, false}) {
                ByteBuffer in = wire.duplicate();
                if (changed) {
                    in = ByteBuffer.allocate(wire.remaining()).put(wire.duplicate()).flip();
                    in.put(2, (byte) minor);
                }
                RecordLayer reader = new RecordLayer();
                reader.changeReadCipher(new Tls13RecordProtection(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, key.clone(), iv.clone(), Long.MAX_VALUE));
                reader.readHeader(in);
                in.position(5);
                ByteBuffer out = ByteBuffer.allocate(100);
                if (changed) {
                    ByteBuffer src = in;
                    assertEquals(AlertDescription.BAD_RECORD_MAC,
                            assertThrows(TlsAlertException.class, () -> reader.open(src, out)).alert(), "minor " + minor);
                } else {
                    assertEquals(ContentType.APPLICATION_DATA, reader.open(in, out));
                    assertEquals(3, out.position());
                }
                reader.close();
            }
            writer.close();
        }
    }

    @Test
    void writesPlainAndProtectedRecordsThatReadBack() throws Exception {
        RecordLayer writer = new RecordLayer();
        ByteBuffer out = ByteBuffer.allocate(200);
        assertEquals(5, writer.contentOffset());
        out.put(writer.contentOffset(), new byte[] {1, 2, 3});
        writer.write(ContentType.HANDSHAKE, out, 3);
        assertEquals(8, out.position());
        assertArrayEquals(new byte[] {22, 3, 3, 0, 3, 1, 2, 3}, Arrays.copyOf(out.array(), 8));
        RecordLayer.writeChangeCipherSpec(out);
        assertArrayEquals(new byte[] {20, 3, 3, 0, 1, 1}, Arrays.copyOfRange(out.array(), 8, 14));

        byte[] key = new byte[16];
        byte[] iv = new byte[12];
        Tls13CipherSuite suite = Tls13CipherSuite.TLS_AES_128_GCM_SHA256;
        writer.changeWriteCipher(new Tls13RecordProtection(suite, key.clone(), iv.clone(), Long.MAX_VALUE));
        int start = out.position();
        out.put(start + writer.contentOffset(), "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        writer.write(ContentType.APPLICATION_DATA, out, 5);
        assertEquals(start + 5 + writer.overhead(), out.position());

        RecordLayer reader = new RecordLayer();
        reader.changeReadCipher(new Tls13RecordProtection(suite, key.clone(), iv.clone(), Long.MAX_VALUE));
        out.flip().position(start);
        int total = reader.readHeader(out);
        assertTrue(reader.isProtected());
        assertEquals(out.remaining(), total);
        out.position(start + 5);
        ByteBuffer plain = ByteBuffer.allocate(reader.openedLength());
        assertEquals(ContentType.APPLICATION_DATA, reader.open(out, plain));
        assertEquals("hello", new String(plain.array(), 0, plain.position(), java.nio.charset.StandardCharsets.US_ASCII));
        writer.close();
        reader.close();
        assertFalse(reader.hasReadKeys());
    }

    /**
     * Application data sealed from the caller's buffer makes the same record as content placed
     * in the output first, wherever the source lies: its own heap or direct buffer, or inside
     * the output, before, at or after where the content would go (TLS 1.2 writes an explicit
     * nonce there), for TLS 1.3 and TLS 1.2 keys.
     */
    @Test
    void writeFromMakesTheRecordThatWriteMakesWhereverTheContentLies() throws Exception {
        long seed = System.nanoTime();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int version : new int[] {13, 12}) {
            byte[] key = new byte[16];
            byte[] iv = new byte[version == 13 ? 12 : 4];
            r.nextBytes(key);
            r.nextBytes(iv);
            RecordLayer placed = new RecordLayer();
            RecordLayer fromSource = new RecordLayer();
            placed.changeWriteCipher(cipher(version, key, iv));
            fromSource.changeWriteCipher(cipher(version, key, iv));
            for (int i = 0; i < 300; i++) {
                int len = i < 4 ? new int[] {0, 64, 16384, 1}[i] : r.nextInt(2000);
                byte[] content = new byte[len];
                r.nextBytes(content);
                int start = 20;
                int recordLength = len + placed.overhead();
                ByteBuffer expected = ByteBuffer.allocate(start + recordLength + 40);
                expected.position(start).put(start + placed.contentOffset(), content);
                placed.write(ContentType.APPLICATION_DATA, expected, len);

                int layout = r.nextInt(4); // 0 heap, 1 direct, 2 inside a heap output, 3 inside a direct output
                ByteBuffer out = layout == 3 ? ByteBuffer.allocateDirect(expected.capacity()) : ByteBuffer.allocate(expected.capacity());
                out.position(start);
                ByteBuffer src;
                if (layout < 2) {
                    src = layout == 0 ? ByteBuffer.allocate(len + 7) : ByteBuffer.allocateDirect(len + 7);
                    src.position(3);
                } else {
                    src = out.duplicate();
                    src.position(start - 20 + r.nextInt(41));
                }
                src.duplicate().put(content);
                src.limit(src.position() + len + (r.nextBoolean() ? 0 : 2)); // more than one record's worth is fine
                int srcEnd = src.position() + len;
                String what = "seed " + seed + " TLS 1." + (version - 10) + " case " + i + " len " + len + " layout " + layout
                        + " src at " + src.position();
                fromSource.writeFrom(ContentType.APPLICATION_DATA, src, len, out);
                assertEquals(srcEnd, src.position(), what);
                assertEquals(start + recordLength, out.position(), what);
                byte[] got = new byte[recordLength];
                out.duplicate().position(start).get(got);
                assertArrayEquals(Arrays.copyOfRange(expected.array(), start, start + recordLength), got, what);
            }
            placed.close();
            fromSource.close();
        }
    }

    private static RecordCipher cipher(int version, byte[] key, byte[] iv) {
        return version == 13
                ? new Tls13RecordProtection(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, key.clone(), iv.clone(), Long.MAX_VALUE)
                : new Tls12RecordCipher(AeadAlgorithm.AES_128_GCM, key.clone(), iv.clone());
    }
}
