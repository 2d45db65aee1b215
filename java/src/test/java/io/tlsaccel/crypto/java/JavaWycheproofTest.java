package io.tlsaccel.crypto.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import io.tlsaccel.testutil.Wycheproof;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof vectors (folder from the system property wycheproof.dir; skipped when absent,
 * failing when CI=true). Every case the API can express must give the expected result.
 */
class JavaWycheproofTest {

    private static final JavaBackend BACKEND = new JavaBackend(JavaBackend.Choice.OWN);

    @Test
    void aesGcm() throws Exception {
        // keySize 128 or 256, ivSize 96, tagSize 128: 40 + 27 and 39 + 27 cases in the pinned files
        int run = aead("aes_gcm_test.json", true);
        assertTrue(run >= 120, "too few AES-GCM cases ran: " + run);
    }

    @Test
    void chaCha20Poly1305() throws Exception {
        int run = aead("chacha20_poly1305_test.json", false);
        assertTrue(run >= 300, "too few ChaCha20-Poly1305 cases ran: " + run);
    }

    private static int aead(String file, boolean aes) throws Exception {
        int run = 0, valid = 0, invalid = 0;
        for (Wycheproof.AeadCase t : Wycheproof.aeadCases(file)) {
            int keyLen = t.key().length;
            if (t.iv().length != 12 || t.tag().length != 16) {
                continue; // the API takes only 96-bit nonces and 128-bit tags
            }
            AeadAlgorithm a;
            if (aes) {
                if (keyLen != 16 && keyLen != 32) {
                    continue; // AES-192 is not offered
                }
                a = AeadAlgorithm.aesGcmForKeyLength(keyLen);
            } else {
                a = AeadAlgorithm.CHACHA20_POLY1305;
            }
            run++;
            String what = file + " tcId " + t.tcId() + " " + t.flags();
            byte[] sealed = concat(t.ct(), t.tag());
            try (Aead aead = BACKEND.newAead(a, t.key())) {
                if (t.isInvalid()) {
                    invalid++;
                    byte[] out = new byte[t.ct().length];
                    Arrays.fill(out, (byte) 0x5a);
                    assertThrows(AEADBadTagException.class, () -> aead.open(t.iv(), t.aad(), 0, t.aad().length,
                            sealed, 0, sealed.length, out, 0), what);
                    AeadTestSupport.assertZero(out, 0, out.length);
                    ByteBuffer in = ByteBuffer.allocateDirect(sealed.length).put(sealed).flip();
                    ByteBuffer outBuf = ByteBuffer.allocateDirect(t.ct().length);
                    assertThrows(AEADBadTagException.class, () -> aead.open(t.iv(), t.aad(), in, outBuf), what);
                    assertEquals(0, in.position(), what);
                } else {
                    valid++;
                    byte[] out = new byte[sealed.length];
                    aead.seal(t.iv(), t.aad(), 0, t.aad().length, t.msg(), 0, t.msg().length, out, 0);
                    assertArrayEquals(sealed, out, "seal " + what);
                    byte[] back = new byte[t.msg().length];
                    aead.open(t.iv(), t.aad(), 0, t.aad().length, sealed, 0, sealed.length, back, 0);
                    assertArrayEquals(t.msg(), back, "open " + what);
                    ByteBuffer in = ByteBuffer.allocateDirect(sealed.length).put(sealed).flip();
                    ByteBuffer outBuf = ByteBuffer.allocateDirect(back.length);
                    aead.open(t.iv(), t.aad(), in, outBuf);
                    assertEquals(ByteBuffer.wrap(t.msg()), outBuf.flip(), "open direct " + what);
                }
            }
        }
        assertTrue(valid > 0 && invalid > 0, file + ": valid " + valid + ", invalid " + invalid);
        return run;
    }

    @Test
    void hmacSha256() {
        int run = mac("hmac_sha256_test.json", MacAlgorithm.HMAC_SHA256);
        assertTrue(run >= 80, "too few HMAC-SHA256 cases ran: " + run);
    }

    @Test
    void hmacSha384() {
        int run = mac("hmac_sha384_test.json", MacAlgorithm.HMAC_SHA384);
        assertTrue(run >= 80, "too few HMAC-SHA384 cases ran: " + run);
    }

    private static int mac(String file, MacAlgorithm m) {
        int run = 0, valid = 0, invalid = 0;
        for (Wycheproof.MacCase t : Wycheproof.macCases(file)) {
            if (t.tagSize() != m.macLength() * 8) {
                continue; // truncated tags are not part of the API
            }
            run++;
            String what = file + " tcId " + t.tcId();
            try (Mac mac = BACKEND.newMac(m, t.key())) {
                mac.update(t.msg(), 0, t.msg().length);
                byte[] got = mac.doFinal();
                if (t.isInvalid()) {
                    invalid++;
                    assertFalse(Arrays.equals(t.tag(), got), what);
                } else {
                    valid++;
                    assertArrayEquals(t.tag(), got, what);
                }
            }
        }
        assertTrue(valid > 0 && invalid > 0, file + ": valid " + valid + ", invalid " + invalid);
        return run;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
