package io.tlsaccel.crypto.java;

import io.tlsaccel.crypto.AeadAlgorithm;
import java.util.Arrays;

/**
 * ChaCha20-Poly1305 (RFC 8439 section 2.8) in plain Java: ChaCha20 on ints, Poly1305 with five
 * 26-bit limbs on longs.
 */
final class ChaCha20Poly1305 extends AbstractAead {

    static final String IMPLEMENTATION = "java/scalar";

    /** Data goes through ChaCha20 and Poly1305 in pieces of this size (stays in L1). */
    private static final int PIECE = 512;
    private static final long M26 = 0x3ffffff;

    private final int[] key = new int[8];      // little-endian key words (RFC 8439 section 2.3)

    // Per message.
    private int n0, n1, n2;                    // little-endian nonce words
    private int counter;
    private long r0, r1, r2, r3, r4;           // Poly1305 r, clamped, in 26-bit limbs
    private long h0, h1, h2, h3, h4;           // Poly1305 accumulator
    private long s0, s1;                       // Poly1305 s (low, high 64 bits)
    private long aadBytes, ctBytes;
    private final byte[] block = new byte[64];

    ChaCha20Poly1305(byte[] k, int off) {
        super(AeadAlgorithm.CHACHA20_POLY1305, IMPLEMENTATION);
        for (int i = 0; i < 8; i++) {
            key[i] = Integer.reverseBytes((int) INT_BE.get(k, off + 4 * i));
        }
    }

    @Override
    void start(int n0, int n1, int n2) {
        // The nonce arrives as big-endian words; ChaCha20 reads it little-endian.
        this.n0 = Integer.reverseBytes(n0);
        this.n1 = Integer.reverseBytes(n1);
        this.n2 = Integer.reverseBytes(n2);
        // One-time Poly1305 key: the first 32 bytes of block 0 (RFC 8439 section 2.6).
        counter = 0;
        keystream(block);
        polyKey(block, 0);
        Arrays.fill(block, (byte) 0);
        counter = 1; // encryption starts at block 1 (section 2.8)
        aadBytes = 0;
        ctBytes = 0;
    }

    @Override
    void aad(byte[] a, int off, int len) {
        polyPadded(a, off, len);
        aadBytes = len;
    }

    @Override
    void encrypt(byte[] in, int inOff, byte[] out, int outOff, int len) {
        for (int done = 0; done < len; done += PIECE) {
            int n = Math.min(PIECE, len - done);
            xor(in, inOff + done, out, outOff + done, n);
            polyPadded(out, outOff + done, n);
        }
        ctBytes += len;
    }

    @Override
    void decrypt(byte[] in, int inOff, byte[] out, int outOff, int len) {
        for (int done = 0; done < len; done += PIECE) {
            int n = Math.min(PIECE, len - done);
            polyPadded(in, inOff + done, n); // before an in-place xor overwrites the ciphertext
            xor(in, inOff + done, out, outOff + done, n);
        }
        ctBytes += len;
    }

    @Override
    void finish(byte[] tag, int off) {
        // Lengths block: le64(aad length) || le64(ciphertext length) (section 2.8).
        LONG_LE.set(block, 0, aadBytes);
        LONG_LE.set(block, 8, ctBytes);
        poly(block, 0, 1);
        Arrays.fill(block, 0, 16, (byte) 0);
        polyTag(tag, off);
    }

    // ---- Poly1305 (package-private steps so that tests can drive it alone) ----

    /** Takes the one-time key r || s (32 bytes), clamps r (section 2.5.1), clears h. */
    void polyKey(byte[] k, int off) {
        long lo = (long) LONG_LE.get(k, off) & 0x0ffffffc0fffffffL;
        long hi = (long) LONG_LE.get(k, off + 8) & 0x0ffffffc0ffffffcL;
        r0 = lo & M26;
        r1 = (lo >>> 26) & M26;
        r2 = ((lo >>> 52) | (hi << 12)) & M26;
        r3 = (hi >>> 14) & M26;
        r4 = hi >>> 40;
        s0 = (long) LONG_LE.get(k, off + 16);
        s1 = (long) LONG_LE.get(k, off + 24);
        h0 = h1 = h2 = h3 = h4 = 0;
    }

    /** Writes the tag of the blocks absorbed since polyKey and forgets the key. */
    void polyTag(byte[] tag, int off) {
        // Full carry. One pass can leave h1 = 2^26; the second pass then carries that through,
        // and if it reaches h0 again h0 is small, so afterwards every limb is below 2^26.
        long c;
        for (int pass = 0; pass < 2; pass++) {
            c = h1 >>> 26; h1 &= M26; h2 += c;
            c = h2 >>> 26; h2 &= M26; h3 += c;
            c = h3 >>> 26; h3 &= M26; h4 += c;
            c = h4 >>> 26; h4 &= M26; h0 += c * 5;
            c = h0 >>> 26; h0 &= M26; h1 += c;
        }
        // h < 2^130 < 2p, so h mod p is h or h - p (section 2.5.1); g = h + 5 - 2^130.
        long g0 = h0 + 5;
        c = g0 >>> 26; g0 &= M26;
        long g1 = h1 + c;
        c = g1 >>> 26; g1 &= M26;
        long g2 = h2 + c;
        c = g2 >>> 26; g2 &= M26;
        long g3 = h3 + c;
        c = g3 >>> 26; g3 &= M26;
        long g4 = h4 + c - (1L << 26);
        long useG = ~(g4 >> 63); // all ones when h + 5 - 2^130 >= 0, i.e. h >= p; no branch
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & useG);
        h3 = (h3 & ~useG) | (g3 & useG);
        h4 = (h4 & ~useG) | (g4 & useG & M26);

        // tag = (h + s) mod 2^128, little-endian.
        long lo = h0 | (h1 << 26) | (h2 << 52);
        long hi = (h2 >>> 12) | (h3 << 14) | (h4 << 40);
        long sumLo = lo + s0;
        long carry = ((lo & s0) | ((lo | s0) & ~sumLo)) >>> 63; // carry out of bit 63, no branch
        LONG_LE.set(tag, off, sumLo);
        LONG_LE.set(tag, off + 8, hi + s1 + carry);
        h0 = h1 = h2 = h3 = h4 = 0;
        r0 = r1 = r2 = r3 = r4 = 0;
        s0 = s1 = 0;
    }

    @Override
    void wipe() {
        Arrays.fill(key, 0);
        Arrays.fill(block, (byte) 0);
        r0 = r1 = r2 = r3 = r4 = 0;
        h0 = h1 = h2 = h3 = h4 = 0;
        s0 = s1 = 0;
        n0 = n1 = n2 = counter = 0;
    }

    /** For tests: whether close() left no key material behind. */
    boolean keyMaterialIsZero() {
        for (int w : key) {
            if (w != 0) {
                return false;
            }
        }
        return (r0 | r1 | r2 | r3 | r4 | s0 | s1) == 0;
    }

    // ---- ChaCha20 ----

    /** XORs the keystream into len bytes; len is a multiple of 64 except on the last call. */
    private void xor(byte[] in, int inOff, byte[] out, int outOff, int len) {
        int full = len & ~63;
        blocks(in, inOff, out, outOff, full >>> 6);
        if (full != len) {
            keystream(block);
            for (int i = full; i < len; i++) {
                out[outOff + i] = (byte) (in[inOff + i] ^ block[i - full]);
            }
            Arrays.fill(block, (byte) 0);
        }
    }

    private void keystream(byte[] out) {
        Arrays.fill(out, (byte) 0);
        blocks(out, 0, out, 0, 1);
    }

    /** The ChaCha20 block function (section 2.3) XORed into whole 64-byte blocks. */
    private void blocks(byte[] in, int inOff, byte[] out, int outOff, int count) {
        final int k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3];
        final int k4 = key[4], k5 = key[5], k6 = key[6], k7 = key[7];
        int ctr = counter;
        for (int end = inOff + 64 * count; inOff < end; inOff += 64, outOff += 64, ctr++) {
            // "expand 32-byte k"
            int x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
            int x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
            int x12 = ctr, x13 = n0, x14 = n1, x15 = n2;
            for (int i = 0; i < 10; i++) {
                // Column round (section 2.3): quarter rounds on (0,4,8,12) .. (3,7,11,15).
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16);
                x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8);
                x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16);
                x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8);
                x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16);
                x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8);
                x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16);
                x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8);
                x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                // Diagonal round: (0,5,10,15), (1,6,11,12), (2,7,8,13), (3,4,9,14).
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16);
                x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8);
                x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16);
                x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8);
                x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16);
                x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8);
                x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16);
                x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8);
                x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            // Add the input state, serialize little-endian, XOR: two words per long.
            xor2(in, out, inOff, outOff, x0 + 0x61707865, x1 + 0x3320646e);
            xor2(in, out, inOff + 8, outOff + 8, x2 + 0x79622d32, x3 + 0x6b206574);
            xor2(in, out, inOff + 16, outOff + 16, x4 + k0, x5 + k1);
            xor2(in, out, inOff + 24, outOff + 24, x6 + k2, x7 + k3);
            xor2(in, out, inOff + 32, outOff + 32, x8 + k4, x9 + k5);
            xor2(in, out, inOff + 40, outOff + 40, x10 + k6, x11 + k7);
            xor2(in, out, inOff + 48, outOff + 48, x12 + ctr, x13 + n0);
            xor2(in, out, inOff + 56, outOff + 56, x14 + n1, x15 + n2);
        }
        counter = ctr;
    }

    private static void xor2(byte[] in, byte[] out, int inOff, int outOff, int lo, int hi) {
        long ks = (lo & 0xffffffffL) | ((long) hi << 32);
        LONG_LE.set(out, outOff, (long) LONG_LE.get(in, inOff) ^ ks);
    }

    /** Poly1305 over len bytes, the last partial block zero padded to 16 (section 2.8). */
    void polyPadded(byte[] b, int off, int len) {
        int full = len & ~15;
        poly(b, off, full >>> 4);
        if (full != len) {
            Arrays.fill(block, 0, 16, (byte) 0);
            System.arraycopy(b, off + full, block, 0, len - full);
            poly(block, 0, 1);
            Arrays.fill(block, 0, 16, (byte) 0);
        }
    }

    /**
     * h = (h + m + 2^128) * r mod 2^130 - 5 for each 16-byte block m (section 2.5.1), in 26-bit
     * limbs: 2^130 = 5 mod p, so limb products that overflow limb 4 fold back times 5.
     */
    private void poly(byte[] b, int off, int blocks) {
        final long r0 = this.r0, r1 = this.r1, r2 = this.r2, r3 = this.r3, r4 = this.r4;
        final long s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
        long h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
        for (int end = off + 16 * blocks; off < end; off += 16) {
            long lo = (long) LONG_LE.get(b, off);
            long hi = (long) LONG_LE.get(b, off + 8);
            h0 += lo & M26;
            h1 += (lo >>> 26) & M26;
            h2 += ((lo >>> 52) | (hi << 12)) & M26;
            h3 += (hi >>> 14) & M26;
            h4 += (hi >>> 40) | (1L << 24);

            long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

            // Partial carry: limbs end below 2^26 except h1 (below 2^27), enough for the next block.
            long c;
            c = d0 >>> 26; h0 = d0 & M26; d1 += c;
            c = d1 >>> 26; h1 = d1 & M26; d2 += c;
            c = d2 >>> 26; h2 = d2 & M26; d3 += c;
            c = d3 >>> 26; h3 = d3 & M26; d4 += c;
            c = d4 >>> 26; h4 = d4 & M26; h0 += c * 5;
            c = h0 >>> 26; h0 &= M26; h1 += c;
        }
        this.h0 = h0; this.h1 = h1; this.h2 = h2; this.h3 = h3; this.h4 = h4;
    }
}
