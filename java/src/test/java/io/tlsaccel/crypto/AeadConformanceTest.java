package io.tlsaccel.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tlsaccel.testutil.AeadPaths;
import io.tlsaccel.testutil.References;
import io.tlsaccel.testutil.Wycheproof;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AEAD path on this machine (pure Java, and each native implementation forced in
 * turn) against Wycheproof, SunJCE and Bouncy Castle, byte for byte.
 */
class AeadConformanceTest {

    private static final int RANDOM_CASES = 10_000;

    @BeforeAll
    static void nativeMustLoadInCi() {
        AeadPaths.requireNativeInCi();
    }

    static Stream<AeadPaths.Path> paths() {
        return AeadPaths.everything();
    }

    static String vectorFile(AeadAlgorithm a) {
        return a == AeadAlgorithm.CHACHA20_POLY1305 ? "chacha20_poly1305_test.json" : "aes_gcm_test.json";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void wycheproof(AeadPaths.Path path) throws Exception {
        int run = 0;
        for (Wycheproof.AeadCase t : Wycheproof.aeadCases(vectorFile(path.algorithm()))) {
            if (t.key().length != path.algorithm().keyLength() || t.iv().length != 12 || t.tag().length != 16) {
                continue;
            }
            run++;
            byte[] sealedExpected = concat(t.ct(), t.tag());
            try (Aead aead = path.newAead(t.key())) {
                byte[] out = new byte[t.ct().length + 16];
                boolean valid = !"invalid".equals(t.result());
                if (valid) {
                    aead.seal(t.iv(), t.aad(), 0, t.aad().length, t.msg(), 0, t.msg().length, out, 0);
                    assertArrayEquals(sealedExpected, out, "seal, tcId " + t.tcId());
                    byte[] back = new byte[t.msg().length];
                    aead.open(t.iv(), t.aad(), 0, t.aad().length, sealedExpected, 0, sealedExpected.length, back, 0);
                    assertArrayEquals(t.msg(), back, "open, tcId " + t.tcId());
                } else {
                    byte[] back = new byte[t.ct().length];
                    Arrays.fill(back, (byte) 0x55);
                    assertThrows(AEADBadTagException.class, () -> aead.open(t.iv(), t.aad(), 0, t.aad().length,
                            sealedExpected, 0, sealedExpected.length, back, 0), "tcId " + t.tcId());
                    assertTrue(allZero(back, 0, back.length), "no plaintext released, tcId " + t.tcId());
                }
            }
        }
        assertTrue(run > 50, "too few Wycheproof cases ran: " + run);
    }

    /** Lengths that cross every block and stride boundary of every kernel, plus random ones. */
    static int randomLength(SplittableRandom r) {
        int pick = r.nextInt(100);
        if (pick < 45) {
            return r.nextInt(600);
        }
        if (pick < 85) {
            int[] strides = {16, 32, 64, 128, 256, 512, 1024};
            int stride = strides[r.nextInt(strides.length)];
            return Math.max(0, stride * r.nextInt(1, 17) + r.nextInt(-1, 2));
        }
        if (pick < 97) {
            return r.nextInt(16_384 + 300);
        }
        return r.nextInt(70_001);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void agreesWithSunJceAndBouncyCastle(AeadPaths.Path path) throws Exception {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        AeadAlgorithm a = path.algorithm();
        byte[] key = bytes(r, a.keyLength());
        Aead aead = path.newAead(key);
        try {
            for (int i = 0; i < RANDOM_CASES; i++) {
                if (i % 500 == 499) { // new keys now and then
                    aead.close();
                    key = bytes(r, a.keyLength());
                    aead = path.newAead(key);
                }
                int len = randomLength(r);
                byte[] msg = bytes(r, len);
                byte[] aad = bytes(r, r.nextInt(65));
                byte[] nonce = bytes(r, 12);
                byte[] expected = (i & 1) == 0 ? References.jdkSeal(a, key, nonce, aad, msg)
                        : References.bcSeal(a, key, nonce, aad, msg);
                String what = path + " seed " + seed + " case " + i + " len " + len + " aad " + aad.length;
                assertArrayEquals(expected, sealSomeWay(r, aead, nonce, aad, msg), what);
                assertArrayEquals(msg, openSomeWay(r, aead, nonce, aad, expected), what);
            }
        } finally {
            aead.close();
        }
    }

    /**
     * The TLS 1.3 record seal from the application's buffer: content then one trailer byte,
     * checked against the JDK sealing the concatenation, for lengths around every stream-block
     * edge, heap and direct buffers, in place and overlapping either way.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void sealWithTrailerIsTheSealOfContentThenTrailer(AeadPaths.Path path) throws Exception {
        checkSealFrom(path, true);
    }

    /** The TLS 1.2 record seal from the application's buffer: the same, without a trailer. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void sealFromIsTheSealOfTheContentWhereverItLies(AeadPaths.Path path) throws Exception {
        checkSealFrom(path, false);
    }

    private static void checkSealFrom(AeadPaths.Path path, boolean withTrailer) throws Exception {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        AeadAlgorithm a = path.algorithm();
        byte[] key = bytes(r, a.keyLength());
        Aead aead = path.newAead(key);
        int trailerLength = withTrailer ? 1 : 0;
        try {
            int[] lengths = {0, 1, 15, 62, 63, 64, 65, 127, 128, 129, 1000, 16383, 16384};
            for (int i = 0; i < 200; i++) {
                int len = i < lengths.length ? lengths[i] : r.nextInt(700);
                byte[] content = bytes(r, len);
                int trailer = r.nextInt(256);
                byte[] aad = bytes(r, 5);
                byte[] nonce = bytes(r, 12);
                byte[] plain = Arrays.copyOf(content, len + trailerLength);
                if (withTrailer) {
                    plain[len] = (byte) trailer;
                }
                byte[] expected = References.jdkSeal(a, key, nonce, aad, plain);
                // 0 separate heap, 1 separate direct/mixed, 2 in place, 3 content after the
                // output's start, 4 content before it
                int layout = r.nextInt(5);
                int outPos = 8 + r.nextInt(9);
                int sealedLength = len + trailerLength + 16;
                ByteBuffer out = r.nextBoolean() ? ByteBuffer.allocateDirect(outPos + sealedLength + 24)
                        : ByteBuffer.allocate(outPos + sealedLength + 24);
                out.position(outPos);
                ByteBuffer in;
                if (layout == 0 || layout == 1) {
                    in = layout == 0 ? ByteBuffer.allocate(len + 3) : ByteBuffer.allocateDirect(len + 3);
                    in.position(1).limit(1 + len);
                    in.duplicate().put(content);
                } else {
                    int shift = layout == 2 ? 0 : layout == 3 ? 1 + r.nextInt(7) : -1 - r.nextInt(7);
                    in = out.duplicate();
                    in.position(outPos + shift).limit(outPos + shift + len);
                    in.duplicate().put(content);
                }
                int inEnd = in.limit();
                String what = path + " seed " + seed + " case " + i + " len " + len + " layout " + layout;
                int high = ByteBuffer.wrap(nonce).getInt();
                long low = ByteBuffer.wrap(nonce, 4, 8).getLong();
                long aadHigh = ByteBuffer.wrap(Arrays.copyOf(aad, 8)).getLong();
                int n = withTrailer ? aead.sealRecordWithTrailer(high, low, aadHigh, 0L, 5, in, trailer, out)
                        : aead.sealRecordFrom(high, low, aadHigh, 0L, 5, in, out);
                assertEquals(sealedLength, n, what);
                assertEquals(outPos + sealedLength, out.position(), what);
                assertEquals(inEnd, in.position(), what);
                byte[] got = new byte[sealedLength];
                out.duplicate().position(outPos).get(got);
                assertArrayEquals(expected, got, what);
            }
        } finally {
            aead.close();
        }
    }

    /** Seals through one of the API's forms, chosen at random: arrays with offsets, heap or
     * direct buffers, in place, or the record form when the AAD fits. */
    static byte[] sealSomeWay(SplittableRandom r, Aead aead, byte[] nonce, byte[] aad, byte[] msg) {
        int len = msg.length;
        switch (r.nextInt(5)) {
            case 0: { // arrays at offsets
                int inOff = r.nextInt(8), outOff = r.nextInt(8);
                byte[] in = new byte[inOff + len + r.nextInt(4)];
                System.arraycopy(msg, 0, in, inOff, len);
                byte[] aadBuf = new byte[aad.length + 3];
                System.arraycopy(aad, 0, aadBuf, 2, aad.length);
                byte[] out = new byte[outOff + len + 16 + r.nextInt(4)];
                assertEquals(len + 16, aead.seal(nonce, aadBuf, 2, aad.length, in, inOff, len, out, outOff));
                return Arrays.copyOfRange(out, outOff, outOff + len + 16);
            }
            case 1: { // in place in one array
                byte[] buf = Arrays.copyOf(msg, len + 16);
                aead.seal(nonce, aad, 0, aad.length, buf, 0, len, buf, 0);
                return buf;
            }
            case 2:
            case 3: { // buffers: heap or direct, sliced at an offset
                ByteBuffer in = buffer(r, len);
                in.put(msg).flip();
                ByteBuffer out = buffer(r, len + 16);
                aead.seal(nonce, aad, in, out);
                assertEquals(0, in.remaining());
                assertEquals(0, out.remaining());
                out.flip();
                byte[] res = new byte[out.remaining()];
                out.get(res);
                return res;
            }
            default: { // the record form, nonce and AAD as numbers, in place in a direct buffer
                ByteBuffer buf = ByteBuffer.allocateDirect(len + 16);
                buf.put(msg).flip();
                ByteBuffer out = buf.duplicate();
                out.clear();
                byte[] aad16 = Arrays.copyOf(aad, 16);
                if (aad.length > 16) {
                    byte[] out2 = new byte[len + 16];
                    aead.seal(nonce, aad, 0, aad.length, msg, 0, len, out2, 0);
                    return out2;
                }
                aead.sealRecord(ByteBuffer.wrap(nonce).getInt(), ByteBuffer.wrap(nonce, 4, 8).getLong(),
                        ByteBuffer.wrap(aad16).getLong(), ByteBuffer.wrap(aad16, 8, 8).getLong(), aad.length, buf, out);
                out.flip();
                byte[] res = new byte[len + 16];
                out.get(res);
                return res;
            }
        }
    }

    static byte[] openSomeWay(SplittableRandom r, Aead aead, byte[] nonce, byte[] aad, byte[] sealed)
            throws AEADBadTagException {
        int len = sealed.length - 16;
        switch (r.nextInt(4)) {
            case 0: {
                int inOff = r.nextInt(8), outOff = r.nextInt(8);
                byte[] in = new byte[inOff + sealed.length];
                System.arraycopy(sealed, 0, in, inOff, sealed.length);
                byte[] out = new byte[outOff + len];
                assertEquals(len, aead.open(nonce, aad, 0, aad.length, in, inOff, sealed.length, out, outOff));
                return Arrays.copyOfRange(out, outOff, outOff + len);
            }
            case 1: {
                byte[] buf = sealed.clone();
                aead.open(nonce, aad, 0, aad.length, buf, 0, buf.length, buf, 0);
                return Arrays.copyOf(buf, len);
            }
            case 2: {
                ByteBuffer in = buffer(r, sealed.length);
                in.put(sealed).flip();
                ByteBuffer out = buffer(r, len);
                aead.open(nonce, aad, in, out);
                out.flip();
                byte[] res = new byte[len];
                out.get(res);
                return res;
            }
            default: {
                if (aad.length > 16) {
                    byte[] out = new byte[len];
                    aead.open(nonce, aad, 0, aad.length, sealed, 0, sealed.length, out, 0);
                    return out;
                }
                byte[] aad16 = Arrays.copyOf(aad, 16);
                ByteBuffer in = buffer(r, sealed.length); // heap or direct: both record paths
                in.put(sealed).flip();
                ByteBuffer out = ByteBuffer.allocateDirect(len);
                aead.openRecord(ByteBuffer.wrap(nonce).getInt(), ByteBuffer.wrap(nonce, 4, 8).getLong(),
                        ByteBuffer.wrap(aad16).getLong(), ByteBuffer.wrap(aad16, 8, 8).getLong(), aad.length, in, out);
                out.flip();
                byte[] res = new byte[len];
                out.get(res);
                return res;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void everyBitFlipIsRefusedAndReleasesNothing(AeadPaths.Path path) throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        AeadAlgorithm a = path.algorithm();
        try (Aead aead = path.newAead(bytes(r, a.keyLength()))) {
            for (int len : new int[] {0, 1, 15, 16, 17, 100, 255, 256, 257, 1024, 4099}) {
                byte[] nonce = bytes(r, 12), aad = bytes(r, 13), msg = bytes(r, len);
                byte[] sealed = new byte[len + 16];
                aead.seal(nonce, aad, 0, aad.length, msg, 0, len, sealed, 0);
                // ciphertext and tag bits (all of them for short messages, a sample for long)
                int bits = sealed.length * 8;
                for (int bit = 0; bit < bits; bit += bits > 400 ? r.nextInt(1, 61) : 1) {
                    byte[] bad = sealed.clone();
                    bad[bit / 8] ^= (byte) (1 << (bit % 8));
                    refused(aead, nonce, aad, bad, "bit " + bit + " of ct||tag, len " + len);
                }
                for (int bit = 0; bit < aad.length * 8; bit++) {
                    byte[] badAad = aad.clone();
                    badAad[bit / 8] ^= (byte) (1 << (bit % 8));
                    refused(aead, nonce, badAad, sealed, "AAD bit " + bit);
                }
                for (int bit = 0; bit < 96; bit++) {
                    byte[] badNonce = nonce.clone();
                    badNonce[bit / 8] ^= (byte) (1 << (bit % 8));
                    refused(aead, badNonce, aad, sealed, "nonce bit " + bit);
                }
            }
        }
    }

    private static void refused(Aead aead, byte[] nonce, byte[] aad, byte[] sealed, String what) {
        byte[] out = new byte[sealed.length - 16];
        Arrays.fill(out, (byte) 0x5a);
        try {
            aead.open(nonce, aad, 0, aad.length, sealed, 0, sealed.length, out, 0);
            fail("accepted a forgery: " + what);
        } catch (AEADBadTagException expected) {
            assertTrue(allZero(out, 0, out.length), "plaintext released after " + what);
        }
        ByteBuffer in = ByteBuffer.allocateDirect(sealed.length);
        in.put(sealed).flip();
        ByteBuffer outBuf = ByteBuffer.allocateDirect(sealed.length);
        assertThrows(AEADBadTagException.class, () -> aead.open(nonce, aad, in, outBuf), what);
        assertEquals(0, in.position(), "input position kept on failure");
        assertEquals(0, outBuf.position(), "output position kept on failure");
        for (int i = 0; i < sealed.length - 16; i++) {
            assertEquals(0, outBuf.get(i), "direct plaintext released after " + what);
        }
    }

    static ByteBuffer buffer(SplittableRandom r, int len) {
        int pad = r.nextInt(5);
        ByteBuffer b = r.nextBoolean() ? ByteBuffer.allocateDirect(len + pad) : ByteBuffer.allocate(len + pad);
        b.position(pad);
        return b.slice();
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static boolean allZero(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
