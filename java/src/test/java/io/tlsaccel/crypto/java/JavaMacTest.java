package io.tlsaccel.crypto.java;

import static io.tlsaccel.crypto.java.AeadTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.crypto.Mac;
import io.tlsaccel.crypto.MacAlgorithm;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HMAC of the Java backend against SunJCE and Bouncy Castle, fed in random pieces. */
class JavaMacTest {

    private static final JavaBackend BACKEND = new JavaBackend(JavaBackend.Choice.OWN);

    @ParameterizedTest(name = "{0}")
    @EnumSource(MacAlgorithm.class)
    void randomMessagesMatchSunJceAndBouncyCastle(MacAlgorithm m) throws Exception {
        String fixed = System.getProperty("tlsaccel.seed");
        long seed = fixed != null ? Long.decode(fixed) : System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            // key lengths across the block size (64 / 128), where HMAC hashes the key first; empty too
            byte[] key = bytes(r, r.nextInt(4) == 0 ? r.nextInt(300) : r.nextInt(1, 70));
            String what = m + " case " + i + " key " + key.length + "; reproduce with -Dtlsaccel.seed=" + seed;
            try (Mac mac = BACKEND.newMac(m, key)) {
                assertEquals("java/jdk", mac.implementation());
                assertEquals(m, mac.algorithm());
                assertEquals(m.macLength(), mac.macLength());
                for (int msgNo = 0; msgNo < 3; msgNo++) { // doFinal resets for the next message
                    byte[] msg = bytes(r, r.nextInt(10) == 0 ? r.nextInt(20_000) : r.nextInt(300));
                    if (r.nextInt(8) == 0) { // junk then reset() must not count
                        mac.update(bytes(r, 10), 0, 10);
                        mac.reset();
                    }
                    feed(r, mac, msg);
                    int off = r.nextInt(5);
                    byte[] out = new byte[off + m.macLength() + r.nextInt(3)];
                    mac.doFinal(out, off);
                    byte[] got = Arrays.copyOfRange(out, off, off + m.macLength());
                    assertArrayEquals(jdk(m, key, msg), got, what);
                    assertArrayEquals(bc(m, key, msg), got, what);
                }
            }
        }
    }

    /** The message through every update form, in random pieces. */
    private static void feed(SplittableRandom r, Mac mac, byte[] msg) {
        int done = 0;
        while (done < msg.length || r.nextInt(4) == 0) {
            int n = Math.min(msg.length - done, r.nextInt(0, 700));
            switch (r.nextInt(4)) {
                case 0: {
                    byte[] b = new byte[n + 4];
                    System.arraycopy(msg, done, b, 2, n);
                    mac.update(b, 2, n);
                    break;
                }
                case 1: {
                    ByteBuffer b = ByteBuffer.wrap(msg, done, n);
                    mac.update(b);
                    assertEquals(0, b.remaining());
                    break;
                }
                case 2: {
                    ByteBuffer b = ByteBuffer.allocateDirect(n).put(msg, done, n).flip();
                    mac.update(b);
                    assertEquals(0, b.remaining());
                    break;
                }
                default: {
                    ByteBuffer b = ByteBuffer.wrap(msg, done, n).asReadOnlyBuffer();
                    mac.update(b);
                    assertEquals(0, b.remaining());
                }
            }
            done += n;
            if (done >= msg.length && r.nextBoolean()) {
                break;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MacAlgorithm.class)
    void badArgumentsAndClose(MacAlgorithm m) {
        Mac mac = BACKEND.newMac(m, new byte[20]);
        byte[] in = new byte[10];
        assertThrows(NullPointerException.class, () -> mac.update(null, 0, 0));
        assertThrows(NullPointerException.class, () -> mac.update((ByteBuffer) null));
        assertThrows(IndexOutOfBoundsException.class, () -> mac.update(in, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> mac.update(in, 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> mac.update(in, 0, -1));
        assertThrows(NullPointerException.class, () -> mac.doFinal(null, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> mac.doFinal(new byte[64], -1));
        byte[] shortOut = new byte[m.macLength() + 3];
        assertThrows(IndexOutOfBoundsException.class, () -> mac.doFinal(shortOut, 4)); // as the native Mac does
        assertArrayEquals(new byte[shortOut.length], shortOut, "nothing written");
        // still right after the refusals
        assertArrayEquals(jdk(m, new byte[20], new byte[0]), mac.doFinal());
        mac.close();
        mac.close();
        assertThrows(IllegalStateException.class, () -> mac.update(in, 0, 1));
        assertThrows(IllegalStateException.class, () -> mac.update(ByteBuffer.wrap(in)));
        assertThrows(IllegalStateException.class, () -> mac.doFinal(new byte[64], 0));
        assertThrows(IllegalStateException.class, mac::reset);
        assertThrows(IllegalStateException.class, mac::doFinal);
    }

    static byte[] jdk(MacAlgorithm m, byte[] key, byte[] msg) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(m.jcaName(), "SunJCE");
            // SecretKeySpec refuses empty keys, which HMAC allows; a 1-block zero key is the same HMAC
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, m.jcaName()));
            return mac.doFinal(msg);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bc(MacAlgorithm m, byte[] key, byte[] msg) {
        Digest d = m == MacAlgorithm.HMAC_SHA256 ? new SHA256Digest() : new SHA384Digest();
        HMac mac = new HMac(d);
        mac.init(new KeyParameter(key));
        mac.update(msg, 0, msg.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }
}
