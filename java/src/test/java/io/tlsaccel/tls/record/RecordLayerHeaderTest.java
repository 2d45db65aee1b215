package io.tlsaccel.tls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.tls.message.ContentType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The record layer writes every header, the ciphers only the fragment: sealed records get the
 * right outer type and length in both versions, in heap and direct buffers, and open again.
 */
class RecordLayerHeaderTest {

    static byte[] header(ByteBuffer b, int at) {
        byte[] h = new byte[5];
        for (int i = 0; i < 5; i++) {
            h[i] = b.get(at + i);
        }
        return h;
    }

    static void roundTrip(RecordCipher writeKeys, RecordCipher readKeys, int contentType, int outerType,
            int fragmentOverhead, ByteBuffer buf) throws Exception {
        RecordLayer writer = new RecordLayer();
        RecordLayer reader = new RecordLayer();
        if (outerType == contentType) {
            writer.useTls12();
            reader.useTls12();
        }
        writer.changeWriteCipher(writeKeys);
        reader.changeReadCipher(readKeys);
        byte[] content = new byte[300];
        Arrays.fill(content, (byte) 0x5a);
        buf.position(7);
        for (int i = 0; i < content.length; i++) {
            buf.put(7 + writer.contentOffset() + i, content[i]);
        }
        writer.write(contentType, buf, content.length);
        int fragment = content.length + fragmentOverhead;
        assertEquals(7 + 5 + fragment, buf.position());
        assertArrayEquals(new byte[] {(byte) outerType, 3, 3, (byte) (fragment >>> 8), (byte) fragment}, header(buf, 7));
        buf.position(7);
        assertEquals(5 + fragment, reader.readHeader(buf));
        buf.position(12);
        ByteBuffer out = ByteBuffer.allocate(fragment);
        assertEquals(contentType, reader.open(buf, out));
        assertArrayEquals(content, Arrays.copyOf(out.array(), out.position()));
    }

    @Test
    void tls13RecordsSayApplicationDataWithTheSealedLength() throws Exception {
        for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.allocate(400), ByteBuffer.allocateDirect(400)}) {
            byte[] key = new byte[16];
            byte[] iv = new byte[12];
            iv[3] = 9;
            roundTrip(new Tls13RecordProtection(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, key.clone(), iv.clone(), 100),
                    new Tls13RecordProtection(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, key.clone(), iv.clone(), 100),
                    ContentType.HANDSHAKE, ContentType.APPLICATION_DATA, 1 + 16, buf);
        }
    }

    @Test
    void tls12RecordsSayTheirTypeWithNonceAndTag() throws Exception {
        for (AeadAlgorithm alg : new AeadAlgorithm[] {AeadAlgorithm.AES_128_GCM, AeadAlgorithm.CHACHA20_POLY1305}) {
            boolean gcm = alg == AeadAlgorithm.AES_128_GCM;
            byte[] key = new byte[gcm ? 16 : 32];
            byte[] iv = new byte[gcm ? 4 : 12];
            roundTrip(new Tls12RecordCipher(alg, key.clone(), iv.clone()), new Tls12RecordCipher(alg, key.clone(), iv.clone()),
                    ContentType.ALERT, ContentType.ALERT, (gcm ? 8 : 0) + 16, ByteBuffer.allocate(400));
        }
    }
}
