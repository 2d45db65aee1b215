package io.tlsaccel.crypto.java;

import static io.tlsaccel.crypto.java.AeadTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.java.AeadTestSupport.Way;
import java.util.SplittableRandom;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Any change to ciphertext, tag, AAD or nonce makes open fail with AEADBadTagException, with the
 * output region zeroed and no position moved (AeadTestSupport checks both), through every form
 * of the API.
 */
class JavaAeadTamperTest {

    private static final int[] LENGTHS = {0, 1, 15, 16, 17, 64, 100, 2048, 2049, 5000};

    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void bitFlipsAreRefusedAndReleaseNothing(AeadAlgorithm a) throws Exception {
        SplittableRandom r = new SplittableRandom(0x7a3e);
        try (Aead aead = new JavaBackend(JavaBackend.Choice.OWN).newAead(a, bytes(r, a.keyLength()))) {
            for (int len : LENGTHS) {
                byte[] msg = bytes(r, len);
                byte[] aad = bytes(r, 13);
                byte[] nonce = bytes(r, 12);
                byte[] sealed = new byte[len + 16];
                aead.seal(nonce, aad, 0, aad.length, msg, 0, len, sealed, 0);
                for (Way way : Way.values()) {
                    String what = a + " " + way + " len " + len;
                    // ciphertext: first, last and a random byte; tag: every bit of a random byte
                    if (len > 0) {
                        for (int pos : new int[] {0, len - 1, r.nextInt(len)}) {
                            refused(way, r, aead, nonce, aad, flip(sealed, pos * 8 + r.nextInt(8)), what + " ct " + pos);
                        }
                    }
                    int tagByte = len + r.nextInt(16);
                    for (int bit = 0; bit < 8; bit++) {
                        refused(way, r, aead, nonce, aad, flip(sealed, tagByte * 8 + bit), what + " tag bit " + bit);
                    }
                    refused(way, r, aead, nonce, flip(aad, r.nextInt(aad.length * 8)), sealed, what + " aad");
                    refused(way, r, aead, flip(nonce, r.nextInt(96)), aad, sealed, what + " nonce");
                    // dropping or adding AAD, or a shorter message, must fail as well
                    refused(way, r, aead, nonce, new byte[0], sealed, what + " no aad");
                    if (len > 0) {
                        byte[] shorter = new byte[sealed.length - 1];
                        System.arraycopy(sealed, 0, shorter, 0, len - 1);
                        System.arraycopy(sealed, len, shorter, len - 1, 16);
                        refused(way, r, aead, nonce, aad, shorter, what + " truncated");
                    }
                    // and the untouched message still opens
                    assertArrayEquals(msg, AeadTestSupport.open(way, r, aead, nonce, aad, sealed), what);
                }
            }
        }
    }

    /** A tag from one key never opens under another. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void otherKeyIsRefused(AeadAlgorithm a) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        byte[] key = bytes(r, a.keyLength());
        byte[] nonce = bytes(r, 12), aad = bytes(r, 5), msg = bytes(r, 300);
        byte[] sealed = new byte[316];
        try (Aead one = new JavaBackend(JavaBackend.Choice.OWN).newAead(a, key)) {
            one.seal(nonce, aad, 0, 5, msg, 0, 300, sealed, 0);
        }
        key[r.nextInt(key.length)] ^= 1;
        try (Aead other = new JavaBackend(JavaBackend.Choice.OWN).newAead(a, key)) {
            refused(Way.ARRAYS, r, other, nonce, aad, sealed, "other key");
        }
    }

    private static void refused(Way way, SplittableRandom r, Aead aead, byte[] nonce, byte[] aad, byte[] sealed,
                                String what) {
        if (way.isRecord() && aad.length > 16) {
            way = Way.DIRECT_BUFFERS;
        }
        Way w = way;
        assertThrows(AEADBadTagException.class, () -> AeadTestSupport.open(w, r, aead, nonce, aad, sealed), what);
    }

    private static byte[] flip(byte[] b, int bit) {
        byte[] c = b.clone();
        c[bit / 8] ^= (byte) (1 << (bit % 8));
        return c;
    }
}
