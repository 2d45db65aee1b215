package io.tlsaccel.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsaccel.testutil.AeadPaths;
import io.tlsaccel.testutil.MacPaths;
import io.tlsaccel.testutil.Wycheproof;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every MAC path against Wycheproof, SunJCE and Bouncy Castle. */
class MacConformanceTest {

    @BeforeAll
    static void nativeMustLoadInCi() {
        AeadPaths.requireNativeInCi();
    }

    static Stream<MacPaths.Path> paths() {
        return MacPaths.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void wycheproof(MacPaths.Path path) {
        String file = path.algorithm() == MacAlgorithm.HMAC_SHA256 ? "hmac_sha256_test.json" : "hmac_sha384_test.json";
        int run = 0;
        for (Wycheproof.MacCase t : Wycheproof.macCases(file)) {
            try (Mac mac = path.newMac(t.key())) {
                mac.update(t.msg(), 0, t.msg().length);
                byte[] full = mac.doFinal();
                byte[] truncated = Arrays.copyOf(full, t.tagSize() / 8);
                boolean match = java.security.MessageDigest.isEqual(truncated, t.tag());
                assertEquals(!"invalid".equals(t.result()), match, "tcId " + t.tcId());
                run++;
            }
        }
        assertTrue(run > 100, "too few cases: " + run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void agreesWithSunJceAndBouncyCastle(MacPaths.Path path) throws Exception {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        MacAlgorithm a = path.algorithm();
        for (int i = 0; i < 10_000; i++) {
            byte[] key = bytes(r, r.nextInt(4) == 0 ? r.nextInt(300) : r.nextInt(1, 65));
            int len = r.nextInt(10) == 0 ? r.nextInt(70_001) : r.nextInt(1, 4) * r.nextInt(300);
            byte[] msg = bytes(r, len);
            byte[] expected;
            if ((i & 1) == 0 && key.length > 0) { // SecretKeySpec refuses empty keys; BC takes them
                javax.crypto.Mac jdk = javax.crypto.Mac.getInstance(a.jcaName(), "SunJCE");
                jdk.init(new SecretKeySpec(key, a.jcaName()));
                expected = jdk.doFinal(msg);
            } else {
                expected = bc(a, key, msg);
            }
            try (Mac mac = path.newMac(key)) {
                // fed in random pieces through arrays, heap and direct buffers
                int off = 0;
                while (off < len) {
                    int n = Math.min(len - off, r.nextInt(1, 5000));
                    switch (r.nextInt(3)) {
                        case 0 -> mac.update(msg, off, n);
                        case 1 -> mac.update(ByteBuffer.wrap(msg, off, n));
                        default -> {
                            ByteBuffer d = ByteBuffer.allocateDirect(n);
                            d.put(msg, off, n).flip();
                            mac.update(d);
                            assertEquals(0, d.remaining());
                        }
                    }
                    off += n;
                }
                String what = path + " seed " + seed + " case " + i + " key " + key.length + " len " + len;
                assertArrayEquals(expected, mac.doFinal(), what);
                mac.update(msg, 0, len); // doFinal reset it: the same message again
                assertArrayEquals(expected, mac.doFinal(), what + " (after reset)");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void badArgumentsAndClose(MacPaths.Path path) {
        Mac mac = path.newMac(new byte[16]);
        assertThrows(NullPointerException.class, () -> mac.update(null, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> mac.update(new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> mac.update(new byte[4], -1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> mac.doFinal(new byte[10], 0));
        mac.update(new byte[3], 0, 3);
        mac.reset();
        byte[] a = mac.doFinal();
        byte[] b = path.newMac(new byte[16]).doFinal();
        assertArrayEquals(b, a, "reset forgets what was fed");
        mac.close();
        mac.close();
        assertThrows(IllegalStateException.class, () -> mac.update(new byte[1], 0, 1));
    }

    static byte[] bc(MacAlgorithm a, byte[] key, byte[] msg) {
        HMac h = new HMac(a == MacAlgorithm.HMAC_SHA256 ? new SHA256Digest() : new SHA384Digest());
        h.init(new KeyParameter(key));
        h.update(msg, 0, msg.length);
        byte[] out = new byte[h.getMacSize()];
        h.doFinal(out, 0);
        return out;
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
