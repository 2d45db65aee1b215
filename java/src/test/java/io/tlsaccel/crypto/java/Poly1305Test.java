package io.tlsaccel.crypto.java;

import static io.tlsaccel.crypto.java.AeadTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * Poly1305 alone (RFC 8439 section 2.5), on the edge cases of a limb implementation that random
 * AEAD inputs almost never reach: a final h between p and 2^130, s additions that wrap, limbs
 * of all ones. Messages are whole 16-byte blocks, where the AEAD's zero padding and raw Poly1305
 * agree, so Bouncy Castle's raw Poly1305 is the reference.
 */
class Poly1305Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void finalResultAboveP() {
        // r = 2, m = 2^128 - 1 (+ 2^128 pad bit): h = 2 * (2^129 - 1) = 2^130 - 2 = p + 3, so the tag is 3
        check("02" + "00".repeat(31), "ff".repeat(16), "03" + "00".repeat(15));
    }

    @Test
    void finalResultJustBelowP() {
        // r = 2, m = 2^128 - 3: h = 2^130 - 6 = p - 1, tag (p - 1) mod 2^128 = 2^128 - 6
        check("02" + "00".repeat(31), "fd" + "ff".repeat(15), "fa" + "ff".repeat(15));
    }

    @Test
    void sAdditionWrapsModulo2To128() {
        // r = 2, s = 2^128 - 1, m = 2: h = 2^129 + 4; (h + s) mod 2^128 = 3
        check("02" + "00".repeat(15) + "ff".repeat(16), "02" + "00".repeat(15), "03" + "00".repeat(15));
    }

    @Test
    void edgeCasesAgainstBouncyCastle() {
        SplittableRandom r = new SplittableRandom(1305);
        String[] blocks = {"ff".repeat(16), "00".repeat(16), "fb" + "fe".repeat(15), "01".repeat(16),
                "fd" + "ff".repeat(15), "fa" + "ff".repeat(15)};
        String[] keys = {"ff".repeat(32), "02" + "00".repeat(31), "01" + "00".repeat(7) + "04" + "00".repeat(23),
                "00".repeat(16) + "ff".repeat(16)};
        for (int i = 0; i < 20_000; i++) {
            byte[] key = i < 2000 ? HEX.parseHex(keys[i % keys.length]) : bytes(r, 32);
            if (i % 3 == 0) {
                key[r.nextInt(32)] = (byte) 0xff;
            }
            int n = r.nextInt(0, 12);
            StringBuilder msg = new StringBuilder();
            for (int b = 0; b < n; b++) {
                msg.append(r.nextInt(3) == 0 ? HEX.formatHex(bytes(r, 16)) : blocks[r.nextInt(blocks.length)]);
            }
            byte[] m = HEX.parseHex(msg);
            assertArrayEquals(bc(key, m), ours(key, m), "case " + i + " key " + HEX.formatHex(key) + " msg " + msg);
        }
    }

    private static void check(String keyHex, String msgHex, String tagHex) {
        byte[] key = HEX.parseHex(keyHex), msg = HEX.parseHex(msgHex);
        assertArrayEquals(HEX.parseHex(tagHex), bc(key, msg), "Bouncy Castle disagrees with the expected tag");
        assertArrayEquals(HEX.parseHex(tagHex), ours(key, msg));
    }

    private static byte[] ours(byte[] key, byte[] msg) {
        try (ChaCha20Poly1305 p = new ChaCha20Poly1305(new byte[32], 0)) {
            p.polyKey(key, 0);
            p.polyPadded(msg, 0, msg.length);
            byte[] tag = new byte[16];
            p.polyTag(tag, 0);
            return tag;
        }
    }

    private static byte[] bc(byte[] key, byte[] msg) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(key));
        mac.update(msg, 0, msg.length);
        byte[] tag = new byte[16];
        mac.doFinal(tag, 0);
        return tag;
    }
}
