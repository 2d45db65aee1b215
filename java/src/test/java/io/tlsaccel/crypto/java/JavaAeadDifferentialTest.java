package io.tlsaccel.crypto.java;

import static io.tlsaccel.crypto.java.AeadTestSupport.bcOpen;
import static io.tlsaccel.crypto.java.AeadTestSupport.bcSeal;
import static io.tlsaccel.crypto.java.AeadTestSupport.bytes;
import static io.tlsaccel.crypto.java.AeadTestSupport.jdkOpen;
import static io.tlsaccel.crypto.java.AeadTestSupport.jdkSeal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.java.AeadTestSupport.Way;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java backend against SunJCE and Bouncy Castle on random messages, through every form of
 * the API. Reproduce a failure with {@code -Dtlsaccel.seed=<seed printed>}.
 */
class JavaAeadDifferentialTest {

    private static final int CASES = 10_000;
    private static final JavaBackend BACKEND = new JavaBackend(JavaBackend.Choice.OWN);

    static long seed(AeadAlgorithm a) {
        String fixed = System.getProperty("tlsaccel.seed");
        return fixed != null ? Long.decode(fixed) : System.nanoTime() ^ a.ordinal();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void randomCasesMatchSunJceAndBouncyCastle(AeadAlgorithm a) throws Exception {
        long seed = seed(a);
        SplittableRandom r = new SplittableRandom(seed);
        byte[] key = bytes(r, a.keyLength());
        Aead aead = BACKEND.newAead(a, key);
        int i = 0;
        String what = "";
        try {
            for (; i < CASES; i++) {
                if (r.nextInt(64) == 0) { // a new key now and then; otherwise state must reset per message
                    aead.close();
                    key = bytes(r, a.keyLength());
                    aead = BACKEND.newAead(a, key);
                }
                int len = AeadTestSupport.randomLength(r);
                byte[] msg = bytes(r, len);
                byte[] aad = bytes(r, AeadTestSupport.randomAadLength(r));
                byte[] nonce = bytes(r, 12);
                Way sealWay = Way.random(r, aad.length);
                Way openWay = Way.random(r, aad.length);
                what = a + " len " + len + " aad " + aad.length + " seal " + sealWay + " open " + openWay;

                byte[] expected = jdkSeal(a, key, nonce, aad, msg);
                if (len < 4096 || r.nextInt(4) == 0) { // BC is slow on long inputs; sample those
                    assertArrayEquals(expected, bcSeal(a, key, nonce, aad, msg), "SunJCE and BC disagree");
                }
                assertArrayEquals(expected, AeadTestSupport.seal(sealWay, r, aead, nonce, aad, msg), "seal");
                assertArrayEquals(msg, AeadTestSupport.open(openWay, r, aead, nonce, aad, expected), "open");
            }
        } catch (Throwable t) {
            throw new AssertionError("case " + i + " (" + what + ") failed; seed " + seed
                    + ", reproduce with -Dtlsaccel.seed=" + seed, t);
        } finally {
            aead.close();
        }
    }

    /** What we seal, the references open (and the other way), including on the same key objects. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void referencesOpenWhatWeSeal(AeadAlgorithm a) throws Exception {
        long seed = seed(a) + 1;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 300; i++) {
            byte[] key = bytes(r, a.keyLength());
            byte[] msg = bytes(r, AeadTestSupport.randomLength(r));
            byte[] aad = bytes(r, r.nextInt(65));
            byte[] nonce = bytes(r, 12);
            try (Aead aead = BACKEND.newAead(a, key)) {
                byte[] sealed = AeadTestSupport.seal(Way.ARRAYS, r, aead, nonce, aad, msg);
                String what = "seed " + seed + " case " + i;
                assertArrayEquals(msg, jdkOpen(a, key, nonce, aad, sealed), what);
                assertArrayEquals(msg, bcOpen(a, key, nonce, aad, sealed), what);
            }
        }
    }

    /**
     * Messages long enough for the GCM counter to carry into its third byte (65,536 blocks = 1 MiB),
     * where the cached first rounds must be recomputed; ChaCha20 likewise runs its counter far.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadAlgorithm.class)
    void oneMebibyteAndMore(AeadAlgorithm a) throws Exception {
        SplittableRandom r = new SplittableRandom(42);
        byte[] key = bytes(r, a.keyLength());
        byte[] msg = bytes(r, (1 << 20) + 4099);
        byte[] aad = bytes(r, 13);
        byte[] nonce = bytes(r, 12);
        try (Aead aead = BACKEND.newAead(a, key)) {
            byte[] expected = jdkSeal(a, key, nonce, aad, msg);
            assertArrayEquals(expected, AeadTestSupport.seal(Way.ARRAYS, r, aead, nonce, aad, msg));
            assertArrayEquals(expected, AeadTestSupport.seal(Way.DIRECT_IN_PLACE, r, aead, nonce, aad, msg));
            assertArrayEquals(msg, AeadTestSupport.open(Way.DIRECT_BUFFERS, r, aead, nonce, aad, expected));
        }
    }

    /** Every form of the API on the same boundary lengths, so no form is left to chance. */
    @Test
    void everyWayOnBoundaryLengths() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        int[] lengths = {0, 1, 15, 16, 17, 63, 64, 65, 511, 512, 513, 2047, 2048, 2049, 4095, 4096, 4097, 6143};
        for (AeadAlgorithm a : AeadAlgorithm.values()) {
            byte[] key = bytes(r, a.keyLength());
            try (Aead aead = BACKEND.newAead(a, key)) {
                for (Way way : Way.values()) {
                    for (int len : lengths) {
                        byte[] msg = bytes(r, len);
                        byte[] aad = bytes(r, way.isRecord() ? r.nextInt(17) : r.nextInt(65));
                        byte[] nonce = bytes(r, 12);
                        byte[] expected = jdkSeal(a, key, nonce, aad, msg);
                        String what = a + " " + way + " len " + len + " aad " + aad.length;
                        assertArrayEquals(expected, AeadTestSupport.seal(way, r, aead, nonce, aad, msg), what);
                        assertArrayEquals(msg, AeadTestSupport.open(way, r, aead, nonce, aad, expected), what);
                    }
                }
            }
        }
    }
}
