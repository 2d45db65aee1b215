package io.tlsaccel.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tlsaccel.crypto.AeadAlgorithm;
import io.tlsaccel.crypto.RawKey;
import io.tlsaccel.testutil.References;
import java.nio.ByteBuffer;
import java.security.Key;
import java.security.Provider;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random cases through the provider, compared with SunJCE (every case) and Bouncy Castle
 * (every eighth), over every API shape: arrays with offsets, input split across update
 * calls, AAD split across updateAAD calls, heap and direct ByteBuffers, in place with
 * identical and overlapping offsets. Each decryption also runs, and some get a flipped bit.
 */
class ProviderDifferentialTest {

    static final int AES_CASES = Integer.getInteger("tlsaccel.provider.aesCases", 10_000);
    static final int CHACHA_CASES = Integer.getInteger("tlsaccel.provider.chachaCases", 2_000);
    static final int HMAC_CASES = Integer.getInteger("tlsaccel.provider.hmacCases", 2_000);

    private static final Provider SUN = Security.getProvider("SunJCE");
    private static final Provider BC = new BouncyCastleProvider();

    static List<String> backends() {
        return ProviderBackends.names().toList();
    }

    private static long seed(String what) {
        long seed = Long.getLong("tlsaccel.provider.seed", System.nanoTime());
        System.out.println(what + " seed " + seed + " (-Dtlsaccel.provider.seed=" + seed + " repeats it)");
        return seed;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aesGcm(String backend) throws Exception {
        Provider p = ProviderBackends.provider(backend);
        run(p, "AES/GCM/NoPadding", AES_CASES, new Random(seed("AES-GCM " + backend)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void chacha20Poly1305(String backend) throws Exception {
        Provider p = ProviderBackends.provider(backend);
        run(p, "ChaCha20-Poly1305", CHACHA_CASES, new Random(seed("ChaCha20-Poly1305 " + backend)));
    }

    private static void run(Provider p, String alg, int cases, Random rnd) throws Exception {
        boolean chacha = alg.startsWith("ChaCha");
        Cipher enc = Cipher.getInstance(alg, p);
        Cipher dec = Cipher.getInstance(alg, p);
        Cipher sun = Cipher.getInstance(alg, SUN);
        Cipher bc = Cipher.getInstance(alg, BC);
        byte[] keyBytes = null;
        for (int i = 0; i < cases; i++) {
            if (keyBytes == null || rnd.nextInt(10) < 7) {
                keyBytes = bytes(rnd, chacha || rnd.nextBoolean() ? 32 : 16);
            }
            Key key = new SecretKeySpec(keyBytes, chacha ? "ChaCha20" : "AES");
            byte[] nonce = bytes(rnd, 12);
            AlgorithmParameterSpec spec = chacha ? new IvParameterSpec(nonce) : new GCMParameterSpec(128, nonce);
            byte[] aad = bytes(rnd, rnd.nextInt(65));
            byte[] msg = bytes(rnd, length(rnd));
            int shape = rnd.nextInt(Shape.values().length);
            String id = alg + " case " + i + " (key " + keyBytes.length + ", aad " + aad.length + ", msg "
                    + msg.length + ", " + Shape.values()[shape] + ")";

            sun.init(Cipher.ENCRYPT_MODE, key, spec);
            sun.updateAAD(aad);
            byte[] expected = sun.doFinal(msg);
            if (i % 8 == 0) {
                bc.init(Cipher.ENCRYPT_MODE, key, spec);
                bc.updateAAD(aad);
                assertArrayEquals(expected, bc.doFinal(msg), id + ": SunJCE and Bouncy Castle disagree");
                AeadAlgorithm a = chacha ? AeadAlgorithm.CHACHA20_POLY1305
                        : AeadAlgorithm.aesGcmForKeyLength(keyBytes.length);
                assertArrayEquals(expected, References.bcSeal(a, keyBytes, nonce, aad, msg), id + " (BC lightweight)");
            }

            enc.init(Cipher.ENCRYPT_MODE, key, spec);
            byte[] sealed = Shape.values()[shape].apply(enc, rnd, aad, msg);
            assertArrayEquals(expected, sealed, id + ": seal differs from SunJCE");

            int shape2 = rnd.nextInt(Shape.values().length);
            dec.init(Cipher.DECRYPT_MODE, key, spec);
            byte[] opened = Shape.values()[shape2].apply(dec, rnd, aad, sealed);
            assertArrayEquals(msg, opened, id + ": open (" + Shape.values()[shape2] + ") differs");

            if (i % 16 == 0) {
                byte[] bad = sealed.clone();
                int bit = rnd.nextInt(bad.length * 8);
                bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
                dec.init(Cipher.DECRYPT_MODE, key, spec);
                Shape s = Shape.values()[rnd.nextInt(Shape.values().length)];
                assertThrows(AEADBadTagException.class, () -> s.apply(dec, rnd, aad, bad), id + " bit " + bit);
            }
        }
    }

    /** Lengths 0..70,000, weighted to small sizes and to block/stride boundaries. */
    static int length(Random rnd) {
        int r = rnd.nextInt(100);
        if (r < 40) {
            return rnd.nextInt(65);
        }
        if (r < 65) {
            int[] bases = {16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 2048, 4096, 8192, 16384, 65536};
            int base = rnd.nextBoolean() ? 16 * (1 + rnd.nextInt(64)) : bases[rnd.nextInt(bases.length)];
            return base + rnd.nextInt(3) - 1;
        }
        if (r < 88) {
            return rnd.nextInt(4097);
        }
        if (r < 97) {
            return rnd.nextInt(20_001);
        }
        return rnd.nextInt(70_001);
    }

    static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** Splits n bytes into 0..3 random cut points; returns the chunk lengths. */
    static int[] split(Random rnd, int n) {
        int parts = 1 + rnd.nextInt(4);
        int[] cuts = new int[parts + 1];
        for (int i = 1; i < parts; i++) {
            cuts[i] = n == 0 ? 0 : rnd.nextInt(n + 1);
        }
        cuts[parts] = n;
        Arrays.sort(cuts, 1, parts);
        int[] lens = new int[parts];
        for (int i = 0; i < parts; i++) {
            lens[i] = cuts[i + 1] - cuts[i];
        }
        return lens;
    }

    static void aad(Cipher c, Random rnd, byte[] aad) {
        int off = 0;
        for (int len : split(rnd, aad.length)) {
            if (rnd.nextBoolean()) {
                c.updateAAD(aad, off, len);
            } else if (rnd.nextBoolean()) {
                c.updateAAD(ByteBuffer.wrap(aad, off, len));
            } else {
                ByteBuffer d = ByteBuffer.allocateDirect(len).put(aad, off, len).flip();
                c.updateAAD(d);
            }
            off += len;
        }
    }

    /** One way of driving a whole message through an initialised cipher. */
    enum Shape {
        ARRAYS_WITH_OFFSETS {
            @Override
            byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception {
                aad(c, rnd, aad);
                int inOff = rnd.nextInt(17);
                byte[] src = new byte[inOff + in.length + rnd.nextInt(5)];
                System.arraycopy(in, 0, src, inOff, in.length);
                int outOff = rnd.nextInt(17);
                byte[] dst = new byte[outOff + c.getOutputSize(in.length) + rnd.nextInt(5)];
                int done = 0;
                int written = 0;
                int[] lens = split(rnd, in.length);
                for (int i = 0; i < lens.length - 1; i++) {
                    written += c.update(src, inOff + done, lens[i], dst, outOff + written);
                    done += lens[i];
                }
                written += c.doFinal(src, inOff + done, in.length - done, dst, outOff + written);
                return Arrays.copyOfRange(dst, outOff, outOff + written);
            }
        },
        RETURNED_ARRAYS {
            @Override
            byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception {
                aad(c, rnd, aad);
                ByteBuffer acc = ByteBuffer.allocate(in.length + 16);
                int done = 0;
                int[] lens = split(rnd, in.length);
                for (int i = 0; i < lens.length - 1; i++) {
                    byte[] part = c.update(in, done, lens[i]);
                    if (part != null) {
                        acc.put(part);
                    }
                    done += lens[i];
                }
                acc.put(c.doFinal(in, done, in.length - done));
                return Arrays.copyOf(acc.array(), acc.position());
            }
        },
        HEAP_BUFFERS {
            @Override
            byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception {
                return buffers(c, rnd, aad, in, false, false);
            }
        },
        DIRECT_BUFFERS {
            @Override
            byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception {
                return buffers(c, rnd, aad, in, true, true);
            }
        },
        DIRECT_TO_HEAP {
            @Override
            byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception {
                return buffers(c, rnd, aad, in, true, false);
            }
        },
        HEAP_TO_DIRECT {
            @Override
            byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception {
                return buffers(c, rnd, aad, in, false, true);
            }
        },
        IN_PLACE {
            @Override
            byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception {
                aad(c, rnd, aad);
                // Output at the same offset, or shifted either way so the regions overlap.
                int outLen = c.getOutputSize(in.length);
                int shift = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(41) - 20;
                int inOff = 20 + rnd.nextInt(5);
                int outOff = inOff + shift;
                byte[] buf = new byte[Math.max(inOff + in.length, outOff + outLen) + 3];
                System.arraycopy(in, 0, buf, inOff, in.length);
                int n = c.doFinal(buf, inOff, in.length, buf, outOff);
                return Arrays.copyOfRange(buf, outOff, outOff + n);
            }
        },
        IN_PLACE_BUFFER {
            @Override
            byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception {
                aad(c, rnd, aad);
                // Two heap buffers over one array (the Cipher refuses the very same object).
                int outLen = c.getOutputSize(in.length);
                byte[] buf = new byte[Math.max(in.length, outLen) + 8];
                System.arraycopy(in, 0, buf, 4, in.length);
                int shift = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(9) - 4;
                ByteBuffer src = ByteBuffer.wrap(buf, 4, in.length);
                ByteBuffer dst = ByteBuffer.wrap(buf, 4 + shift, outLen);
                int n = c.doFinal(src, dst);
                return Arrays.copyOfRange(buf, 4 + shift, 4 + shift + n);
            }
        },
        DIRECT_IN_PLACE {
            @Override
            byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception {
                aad(c, rnd, aad);
                // Two views of one direct buffer, same position (partial overlap of direct
                // memory cannot be detected and is not supported).
                int outLen = c.getOutputSize(in.length);
                ByteBuffer mem = ByteBuffer.allocateDirect(Math.max(in.length, outLen) + 8);
                mem.position(4);
                mem.put(in);
                ByteBuffer src = mem.duplicate().limit(4 + in.length).position(4);
                ByteBuffer dst = mem.duplicate().limit(4 + outLen).position(4);
                int n = c.doFinal(src, dst);
                byte[] out = new byte[n];
                mem.get(4, out);
                return out;
            }
        };

        abstract byte[] apply(Cipher c, Random rnd, byte[] aad, byte[] in) throws Exception;

        static byte[] buffers(Cipher c, Random rnd, byte[] aad, byte[] in, boolean directIn, boolean directOut)
                throws Exception {
            aad(c, rnd, aad);
            int pad = rnd.nextInt(9);
            ByteBuffer src = (directIn ? ByteBuffer.allocateDirect(pad + in.length) : ByteBuffer.allocate(pad + in.length));
            src.position(pad);
            src.put(in).position(pad);
            if (!directIn && rnd.nextInt(4) == 0) {
                src = src.asReadOnlyBuffer();
            }
            int outLen = c.getOutputSize(in.length);
            int opad = rnd.nextInt(9);
            ByteBuffer dst = directOut ? ByteBuffer.allocateDirect(opad + outLen + 3) : ByteBuffer.allocate(opad + outLen + 3);
            dst.position(opad);
            int[] lens = split(rnd, in.length);
            for (int i = 0; i < lens.length - 1; i++) {
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + lens[i]);
                c.update(part, dst);
                src.position(part.position());
            }
            c.doFinal(src, dst);
            dst.flip().position(opad);
            byte[] out = new byte[dst.remaining()];
            dst.get(out);
            return out;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void hmac(String backend) throws Exception {
        Provider p = ProviderBackends.provider(backend);
        Random rnd = new Random(seed("HMAC " + backend));
        for (String alg : new String[] {"HmacSHA256", "HmacSHA384"}) {
            Mac ours = Mac.getInstance(alg, p);
            Mac sun = Mac.getInstance(alg, SUN);
            for (int i = 0; i < HMAC_CASES; i++) {
                byte[] key = bytes(rnd, rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(300));
                byte[] msg = bytes(rnd, rnd.nextInt(4) == 0 ? rnd.nextInt(5000) : rnd.nextInt(300));
                RawKey k = new RawKey(alg, key);
                sun.init(k);
                byte[] expected = sun.doFinal(msg);
                ours.init(k);
                if (rnd.nextInt(4) == 0) {
                    ours.update(bytes(rnd, 7)); // discarded by reset, which keeps the key
                    ours.reset();
                }
                int off = 0;
                for (int len : split(rnd, msg.length)) {
                    switch (rnd.nextInt(4)) {
                        case 0:
                            for (int j = 0; j < len; j++) {
                                ours.update(msg[off + j]);
                            }
                            break;
                        case 1:
                            ours.update(ByteBuffer.wrap(msg, off, len));
                            break;
                        case 2:
                            ours.update(ByteBuffer.allocateDirect(len).put(msg, off, len).flip());
                            break;
                        default:
                            ours.update(msg, off, len);
                    }
                    off += len;
                }
                String id = alg + " case " + i + " (key " + key.length + ", msg " + msg.length + ")";
                assertArrayEquals(expected, ours.doFinal(), id);
                // doFinal resets with the key kept.
                assertArrayEquals(expected, ours.doFinal(msg), id + " (again after doFinal)");
            }
        }
    }
}
