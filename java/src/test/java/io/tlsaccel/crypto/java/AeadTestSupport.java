package io.tlsaccel.crypto.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tlsaccel.crypto.Aead;
import io.tlsaccel.crypto.AeadAlgorithm;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Shared by the tests of this package: reference AEADs (SunJCE, Bouncy Castle lightweight API),
 * random lengths, and every way of calling seal and open, each checking that nothing outside
 * the output region is written and that positions move exactly as documented.
 */
final class AeadTestSupport {

    static final byte CANARY = (byte) 0xA5;

    private AeadTestSupport() {
    }

    // ---- references ----

    static byte[] jdkSeal(AeadAlgorithm a, byte[] key, byte[] nonce, byte[] aad, byte[] msg)
            throws GeneralSecurityException {
        Cipher c = jdkCipher(a, Cipher.ENCRYPT_MODE, key, nonce);
        c.updateAAD(aad);
        return c.doFinal(msg);
    }

    static byte[] jdkOpen(AeadAlgorithm a, byte[] key, byte[] nonce, byte[] aad, byte[] sealed)
            throws GeneralSecurityException {
        Cipher c = jdkCipher(a, Cipher.DECRYPT_MODE, key, nonce);
        c.updateAAD(aad);
        return c.doFinal(sealed);
    }

    private static Cipher jdkCipher(AeadAlgorithm a, int mode, byte[] key, byte[] nonce)
            throws GeneralSecurityException {
        Cipher c;
        if (a == AeadAlgorithm.CHACHA20_POLY1305) {
            c = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
            c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        } else {
            c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        }
        return c;
    }

    static byte[] bcSeal(AeadAlgorithm a, byte[] key, byte[] nonce, byte[] aad, byte[] msg) {
        return bc(true, a, key, nonce, aad, msg);
    }

    static byte[] bcOpen(AeadAlgorithm a, byte[] key, byte[] nonce, byte[] aad, byte[] sealed) {
        return bc(false, a, key, nonce, aad, sealed);
    }

    private static byte[] bc(boolean seal, AeadAlgorithm a, byte[] key, byte[] nonce, byte[] aad, byte[] in) {
        AEADCipher c = a == AeadAlgorithm.CHACHA20_POLY1305
                ? new org.bouncycastle.crypto.modes.ChaCha20Poly1305()
                : GCMBlockCipher.newInstance(AESEngine.newInstance());
        c.init(seal, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[c.getOutputSize(in.length)];
        int n = c.processBytes(in, 0, in.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new AssertionError("Bouncy Castle refused", e);
        }
        return out;
    }

    // ---- random data ----

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /**
     * Lengths weighted to small ones and to the boundaries of every stride in the code: AES and
     * GHASH blocks (16), ChaCha20 blocks (64), the counter cache (256 blocks = 4096 bytes), the
     * 512-byte pieces and the 2048-byte direct-buffer chunks; long ones (to 70,000) rarely.
     */
    static int randomLength(SplittableRandom r) {
        int pick = r.nextInt(100);
        if (pick < 40) {
            return r.nextInt(80);
        }
        if (pick < 75) {
            int[] strides = {16, 64, 256, 512, 2048, 4096};
            int stride = strides[r.nextInt(strides.length)];
            int k = stride >= 2048 ? r.nextInt(1, 5) : r.nextInt(1, 9);
            return Math.max(0, stride * k + r.nextInt(-1, 2));
        }
        if (pick < 95) {
            return r.nextInt(1, 1500);
        }
        if (pick < 99) {
            return r.nextInt(1500, 17_000);
        }
        return r.nextInt(17_000, 70_001);
    }

    static int randomAadLength(SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0: return 0;
            case 1: return 13; // TLS 1.2
            case 2: return 5;  // TLS 1.3
            default: return r.nextInt(65);
        }
    }

    // ---- ways to call the API ----

    /** Every form of the API; the record forms need AAD of at most 16 bytes. */
    enum Way {
        ARRAYS, ARRAY_IN_PLACE, HEAP_BUFFERS, DIRECT_BUFFERS, HEAP_TO_DIRECT, DIRECT_TO_HEAP,
        READ_ONLY_TO_HEAP, HEAP_IN_PLACE, DIRECT_IN_PLACE, RECORD_DIRECT_IN_PLACE, RECORD_HEAP;

        boolean isRecord() {
            return this == RECORD_DIRECT_IN_PLACE || this == RECORD_HEAP;
        }

        static Way random(SplittableRandom r, int aadLen) {
            Way[] all = values();
            Way w;
            do {
                w = all[r.nextInt(all.length)];
            } while (w.isRecord() && aadLen > 16);
            return w;
        }
    }

    static byte[] seal(Way way, SplittableRandom r, Aead aead, byte[] nonce, byte[] aad, byte[] msg) {
        return (byte[]) run(true, way, r, aead, nonce, aad, msg);
    }

    static byte[] open(Way way, SplittableRandom r, Aead aead, byte[] nonce, byte[] aad, byte[] sealed)
            throws AEADBadTagException {
        Object res = run(false, way, r, aead, nonce, aad, sealed);
        if (res instanceof AEADBadTagException) {
            throw (AEADBadTagException) res;
        }
        return (byte[]) res;
    }

    /**
     * Runs one seal or open. Returns the output bytes, or the AEADBadTagException of a failed
     * open after checking that the output region holds only zeros and no position moved.
     */
    private static Object run(boolean seal, Way way, SplittableRandom r, Aead aead,
                              byte[] nonce, byte[] aad, byte[] in) {
        int inLen = in.length;
        int outLen = seal ? inLen + 16 : inLen - 16;
        int pad = r.nextInt(9);
        int tail = r.nextInt(9);
        try {
            switch (way) {
                case ARRAYS: {
                    byte[] src = canaried(pad + inLen + tail);
                    System.arraycopy(in, 0, src, pad, inLen);
                    int outOff = r.nextInt(9);
                    byte[] dst = canaried(outOff + outLen + tail);
                    int aadOff = r.nextInt(5);
                    byte[] aadBuf = canaried(aadOff + aad.length + r.nextInt(3));
                    System.arraycopy(aad, 0, aadBuf, aadOff, aad.length);
                    byte[] srcBefore = src.clone();
                    try {
                        int n = seal
                                ? aead.seal(nonce, aadBuf, aadOff, aad.length, src, pad, inLen, dst, outOff)
                                : aead.open(nonce, aadBuf, aadOff, aad.length, src, pad, inLen, dst, outOff);
                        assertEquals(outLen, n, "returned length");
                        return Arrays.copyOfRange(dst, outOff, outOff + outLen);
                    } catch (AEADBadTagException e) {
                        assertZero(dst, outOff, outLen);
                        return e;
                    } finally {
                        assertArrayEquals(srcBefore, src, "input modified");
                        assertCanary(dst, 0, outOff);
                        assertCanary(dst, outOff + outLen, dst.length);
                    }
                }
                case ARRAY_IN_PLACE: {
                    int len = Math.max(inLen, outLen);
                    byte[] buf = canaried(pad + len + tail);
                    System.arraycopy(in, 0, buf, pad, inLen);
                    try {
                        int n = seal
                                ? aead.seal(nonce, aad, 0, aad.length, buf, pad, inLen, buf, pad)
                                : aead.open(nonce, aad, 0, aad.length, buf, pad, inLen, buf, pad);
                        assertEquals(outLen, n, "returned length");
                        return Arrays.copyOfRange(buf, pad, pad + outLen);
                    } catch (AEADBadTagException e) {
                        assertZero(buf, pad, outLen);
                        return e;
                    } finally {
                        assertCanary(buf, 0, pad);
                        assertCanary(buf, pad + len, buf.length);
                    }
                }
                case HEAP_IN_PLACE:
                case DIRECT_IN_PLACE:
                case RECORD_DIRECT_IN_PLACE: {
                    int len = Math.max(inLen, outLen);
                    boolean direct = way != Way.HEAP_IN_PLACE;
                    ByteBuffer backing = canaried(direct, pad + len + tail);
                    // a slice, so that heap buffers have a non-zero arrayOffset
                    ByteBuffer buf = backing.duplicate().position(pad).limit(pad + len).slice();
                    buf.put(in).flip();
                    ByteBuffer out = buf.duplicate().clear();
                    if (!seal) {
                        out.limit(outLen);
                    }
                    return bufferOp(seal, way.isRecord(), aead, nonce, aad, buf, out, outLen,
                            backing, pad, pad + len);
                }
                default: {
                    boolean inDirect = way == Way.DIRECT_BUFFERS || way == Way.DIRECT_TO_HEAP;
                    boolean outDirect = way == Way.DIRECT_BUFFERS || way == Way.HEAP_TO_DIRECT;
                    ByteBuffer inBacking = canaried(inDirect, pad + inLen + tail);
                    ByteBuffer src = inBacking.duplicate().position(pad).limit(pad + inLen).slice();
                    src.put(in).flip();
                    if (way == Way.READ_ONLY_TO_HEAP) {
                        src = src.asReadOnlyBuffer();
                    }
                    int outPad = r.nextInt(9);
                    ByteBuffer outBacking = canaried(outDirect, outPad + outLen + tail);
                    // position at outPad inside the backing buffer (not a slice): absolute
                    // offsets must be relative to position, not to zero
                    ByteBuffer out = outBacking.duplicate().position(outPad).limit(outPad + outLen + tail);
                    ByteBuffer srcCopy = src.duplicate();
                    Object res = bufferOp(seal, way == Way.RECORD_HEAP, aead, nonce, aad, src, out, outLen,
                            outBacking, outPad, outPad + outLen);
                    assertEquals(ByteBuffer.wrap(in), srcCopy, "input modified");
                    return res;
                }
            }
        } catch (AEADBadTagException e) {
            throw new AssertionError("unreachable", e);
        }
    }

    private static Object bufferOp(boolean seal, boolean record, Aead aead, byte[] nonce, byte[] aad,
                                   ByteBuffer in, ByteBuffer out, int outLen,
                                   ByteBuffer backing, int regionStart, int regionEnd) throws AEADBadTagException {
        int inPos = in.position(), inLimit = in.limit();
        int outPos = out.position(), outLimit = out.limit();
        try {
            int n;
            if (record) {
                // Unused AAD bytes hold junk: only the first aadLen bytes may count.
                byte[] aad16 = Arrays.copyOf(aad, 16);
                for (int i = aad.length; i < 16; i++) {
                    aad16[i] = (byte) (0x3c + 7 * i);
                }
                int nh = ByteBuffer.wrap(nonce).getInt();
                long nl = ByteBuffer.wrap(nonce, 4, 8).getLong();
                long ah = ByteBuffer.wrap(aad16).getLong();
                long al = ByteBuffer.wrap(aad16, 8, 8).getLong();
                n = seal ? aead.sealRecord(nh, nl, ah, al, aad.length, in, out)
                        : aead.openRecord(nh, nl, ah, al, aad.length, in, out);
            } else {
                n = seal ? aead.seal(nonce, aad, in, out) : aead.open(nonce, aad, in, out);
            }
            assertEquals(outLen, n, "returned length");
            assertEquals(inLimit, in.position(), "input position");
            assertEquals(inLimit, in.limit(), "input limit");
            assertEquals(outPos + outLen, out.position(), "output position");
            assertEquals(outLimit, out.limit(), "output limit");
            byte[] res = new byte[outLen];
            out.get(outPos, res, 0, outLen);
            return res;
        } catch (AEADBadTagException e) {
            assertEquals(inPos, in.position(), "input position moved on failure");
            assertEquals(outPos, out.position(), "output position moved on failure");
            for (int i = 0; i < outLen; i++) {
                assertEquals(0, out.get(outPos + i), "plaintext released at " + i);
            }
            return e;
        } finally {
            for (int i = 0; i < backing.capacity(); i++) {
                if (i >= regionStart && i < regionEnd) {
                    continue;
                }
                assertEquals(CANARY, backing.get(i), "byte " + i + " outside the output region written");
            }
        }
    }

    static byte[] canaried(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, CANARY);
        return b;
    }

    static ByteBuffer canaried(boolean direct, int n) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
        for (int i = 0; i < n; i++) {
            b.put(i, CANARY);
        }
        return b;
    }

    static void assertCanary(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals(CANARY, b[i], "byte " + i + " outside the output region written");
        }
    }

    static void assertZero(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            assertEquals(0, b[i], "plaintext released at " + (i - off));
        }
    }
}
