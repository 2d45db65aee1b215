package io.tlsaccel.crypto.java;

import io.tlsaccel.crypto.AeadAlgorithm;
import java.util.Arrays;

/**
 * AES-GCM (NIST SP 800-38D) with a 96-bit IV and a 128-bit tag, table driven.
 *
 * <p>AES uses the four T-tables of {@link Aes}. GHASH uses Shoup's method with 8-bit tables:
 * for each of the 16 byte positions i of a block, a table of the 256 products
 * {@code (b * x^(8i)) * H}, so one multiplication by H is 16 lookups XORed together, with no
 * reduction step (the tables already hold reduced values). That is 64 KiB per key; 4-bit tables
 * (32 positions x 16 entries, 8 KiB) need twice the lookups and measured slower.
 */
final class AesGcm extends AbstractAead {

    static final String IMPLEMENTATION = "java/tables";

    /** Data goes through AES-CTR and GHASH in pieces of this size (stays in L1). */
    private static final int PIECE = 512;

    private final int[] rk;          // round keys, FIPS-197 section 5.2
    private final int rounds;
    private final long[] htab;       // GHASH tables, see ghash()

    // Per message.
    private int n0, n1, n2;          // IV words; J0 = IV || 0^31 || 1 (SP 800-38D section 7.1)
    private int counter;             // next 32-bit counter value (inc32)
    private long y0, y1;             // GHASH accumulator, big-endian halves
    private long aadBytes, ctBytes;
    private final byte[] block = new byte[16];

    AesGcm(AeadAlgorithm algorithm, byte[] key, int off, int len) {
        super(algorithm, IMPLEMENTATION);
        rk = Aes.expandKey(key, off, len);
        rounds = Aes.rounds(len);
        htab = new long[16 * 256 * 2];
        // H = E_K(0^128) (SP 800-38D section 7.1 step 1).
        encryptBlock(0, 0, 0, 0, block, 0);
        buildTables((long) LONG_BE.get(block, 0), (long) LONG_BE.get(block, 8));
        Arrays.fill(block, (byte) 0);
    }

    /**
     * Entry {@code (i * 256 + b) * 2} (high half, then low half) holds {@code b(i) * H}, where
     * b(i) is the block with byte b at position i and zeros elsewhere. In GCM's bit order bit k
     * of a block (k = 0 is the most significant bit of byte 0) is the coefficient of x^k, so the
     * table is built from V_k = H * x^k (SP 800-38D section 6.3, algorithm 1).
     */
    private void buildTables(long h0, long h1) {
        long v0 = h0, v1 = h1;
        for (int i = 0; i < 16; i++) {
            int base = i * 512;
            for (int bit = 0x80; bit != 0; bit >>>= 1) {
                htab[base + 2 * bit] = v0;
                htab[base + 2 * bit + 1] = v1;
                // V * x: shift right one bit; if a bit falls off, reduce by R = 0xE1 || 0^120.
                long carry = -(v1 & 1);
                v1 = (v1 >>> 1) | (v0 << 63);
                v0 = (v0 >>> 1) ^ (carry & 0xE100000000000000L);
            }
            // Multiplication by H is linear: the entry for b is the XOR of its single bits' entries.
            for (int p = 2; p < 256; p <<= 1) {
                for (int t = 1; t < p; t++) {
                    htab[base + 2 * (p + t)] = htab[base + 2 * p] ^ htab[base + 2 * t];
                    htab[base + 2 * (p + t) + 1] = htab[base + 2 * p + 1] ^ htab[base + 2 * t + 1];
                }
            }
        }
    }

    @Override
    void start(int n0, int n1, int n2) {
        this.n0 = n0;
        this.n1 = n1;
        this.n2 = n2;
        counter = 2; // counter 1 (J0) is kept for the tag
        y0 = 0;
        y1 = 0;
        aadBytes = 0;
        ctBytes = 0;
    }

    @Override
    void aad(byte[] a, int off, int len) {
        int full = len & ~15;
        ghash(a, off, full >>> 4);
        if (full != len) {
            ghashPartial(a, off + full, len - full);
        }
        aadBytes = len;
    }

    @Override
    void encrypt(byte[] in, int inOff, byte[] out, int outOff, int len) {
        int full = len & ~15;
        for (int done = 0; done < full; done += PIECE) {
            int blocks = Math.min(PIECE, full - done) >>> 4;
            ctr(in, inOff + done, out, outOff + done, blocks);
            ghash(out, outOff + done, blocks);
        }
        if (full != len) {
            ctrPartial(in, inOff + full, out, outOff + full, len - full);
            ghashPartial(out, outOff + full, len - full);
        }
        ctBytes += len;
    }

    @Override
    void decrypt(byte[] in, int inOff, byte[] out, int outOff, int len) {
        int full = len & ~15;
        for (int done = 0; done < full; done += PIECE) {
            int blocks = Math.min(PIECE, full - done) >>> 4;
            ghash(in, inOff + done, blocks); // before an in-place ctr overwrites the ciphertext
            ctr(in, inOff + done, out, outOff + done, blocks);
        }
        if (full != len) {
            ghashPartial(in, inOff + full, len - full);
            ctrPartial(in, inOff + full, out, outOff + full, len - full);
        }
        ctBytes += len;
    }

    @Override
    void finish(byte[] tag, int off) {
        // Last GHASH block: bit lengths of A and C (SP 800-38D section 7.1 step 5).
        LONG_BE.set(block, 0, aadBytes << 3);
        LONG_BE.set(block, 8, ctBytes << 3);
        ghash(block, 0, 1);
        // T = GCTR(J0, S) = E_K(J0) xor S (step 6).
        encryptBlock(n0, n1, n2, 1, block, 0);
        LONG_BE.set(tag, off, y0 ^ (long) LONG_BE.get(block, 0));
        LONG_BE.set(tag, off + 8, y1 ^ (long) LONG_BE.get(block, 8));
        Arrays.fill(block, (byte) 0);
        y0 = 0;
        y1 = 0;
    }

    @Override
    void wipe() {
        Arrays.fill(rk, 0);
        Arrays.fill(htab, 0L);
        Arrays.fill(block, (byte) 0);
        n0 = n1 = n2 = counter = 0;
        y0 = y1 = 0;
    }

    /** For tests: whether close() left no key material behind. */
    boolean keyMaterialIsZero() {
        for (int w : rk) {
            if (w != 0) {
                return false;
            }
        }
        for (long w : htab) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    // ---- GHASH ----

    /** Y = (Y xor X) * H for each 16-byte block X (SP 800-38D section 6.4). */
    private void ghash(byte[] b, int off, int blocks) {
        long[] t = htab;
        long z0 = y0, z1 = y1;
        for (int end = off + 16 * blocks; off < end; off += 16) {
            long x0 = z0 ^ (long) LONG_BE.get(b, off);
            long x1 = z1 ^ (long) LONG_BE.get(b, off + 8);
            // Byte i indexes table i: index i * 512 + 2 * byte. Two accumulators shorten the
            // XOR chain.
            int i;
            i = (int) (x0 >>> 55) & 0x1fe;
            long a0 = t[i], a1 = t[i + 1];
            i = 0x200 + ((int) (x0 >>> 47) & 0x1fe);
            long c0 = t[i], c1 = t[i + 1];
            i = 0x400 + ((int) (x0 >>> 39) & 0x1fe);
            a0 ^= t[i]; a1 ^= t[i + 1];
            i = 0x600 + ((int) (x0 >>> 31) & 0x1fe);
            c0 ^= t[i]; c1 ^= t[i + 1];
            i = 0x800 + ((int) (x0 >>> 23) & 0x1fe);
            a0 ^= t[i]; a1 ^= t[i + 1];
            i = 0xa00 + ((int) (x0 >>> 15) & 0x1fe);
            c0 ^= t[i]; c1 ^= t[i + 1];
            i = 0xc00 + ((int) (x0 >>> 7) & 0x1fe);
            a0 ^= t[i]; a1 ^= t[i + 1];
            i = 0xe00 + ((int) (x0 << 1) & 0x1fe);
            c0 ^= t[i]; c1 ^= t[i + 1];
            i = 0x1000 + ((int) (x1 >>> 55) & 0x1fe);
            a0 ^= t[i]; a1 ^= t[i + 1];
            i = 0x1200 + ((int) (x1 >>> 47) & 0x1fe);
            c0 ^= t[i]; c1 ^= t[i + 1];
            i = 0x1400 + ((int) (x1 >>> 39) & 0x1fe);
            a0 ^= t[i]; a1 ^= t[i + 1];
            i = 0x1600 + ((int) (x1 >>> 31) & 0x1fe);
            c0 ^= t[i]; c1 ^= t[i + 1];
            i = 0x1800 + ((int) (x1 >>> 23) & 0x1fe);
            a0 ^= t[i]; a1 ^= t[i + 1];
            i = 0x1a00 + ((int) (x1 >>> 15) & 0x1fe);
            c0 ^= t[i]; c1 ^= t[i + 1];
            i = 0x1c00 + ((int) (x1 >>> 7) & 0x1fe);
            a0 ^= t[i]; a1 ^= t[i + 1];
            i = 0x1e00 + ((int) (x1 << 1) & 0x1fe);
            c0 ^= t[i]; c1 ^= t[i + 1];
            z0 = a0 ^ c0;
            z1 = a1 ^ c1;
        }
        y0 = z0;
        y1 = z1;
    }

    /** GHASH of a final partial block, zero padded (SP 800-38D section 7.1 step 5). */
    private void ghashPartial(byte[] b, int off, int len) {
        Arrays.fill(block, (byte) 0);
        System.arraycopy(b, off, block, 0, len);
        ghash(block, 0, 1);
    }

    // ---- AES-CTR ----

    private void ctrPartial(byte[] in, int inOff, byte[] out, int outOff, int len) {
        encryptBlock(n0, n1, n2, counter++, block, 0);
        for (int i = 0; i < len; i++) {
            out[outOff + i] = (byte) (in[inOff + i] ^ block[i]);
        }
    }

    /**
     * AES-CTR over whole blocks with counter blocks IV || counter (GCTR, SP 800-38D section
     * 6.5).
     *
     * <p>Within 256 consecutive counters only the last byte of the block changes, so in the
     * first round only output column 0 changes (through one lookup), and in the second round
     * each column changes through one lookup only. The rest of those two rounds is computed once
     * per 256 blocks ("counter-mode caching"), saving 24 of the 16 * rounds lookups.
     */
    private void ctr(byte[] in, int inOff, byte[] out, int outOff, int blocks) {
        final int[] k = rk;
        final int[] T0 = Aes.T0, T1 = Aes.T1, T2 = Aes.T2, T3 = Aes.T3;
        final int last = 4 * rounds;
        int ctr = counter;
        int a0 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        boolean cached = false;
        for (int end = inOff + 16 * blocks; inOff < end; inOff += 16, outOff += 16, ctr++) {
            int s3 = ctr ^ k[3];
            if (!cached || (ctr & 0xff) == 0) {
                int s0 = n0 ^ k[0], s1 = n1 ^ k[1], s2 = n2 ^ k[2];
                // Round 1 without the term of the changing byte (s3 & 0xff)...
                a0 = T0[s0 >>> 24] ^ T1[(s1 >>> 16) & 0xff] ^ T2[(s2 >>> 8) & 0xff] ^ k[4];
                int t1 = T0[s1 >>> 24] ^ T1[(s2 >>> 16) & 0xff] ^ T2[(s3 >>> 8) & 0xff] ^ T3[s0 & 0xff] ^ k[5];
                int t2 = T0[s2 >>> 24] ^ T1[(s3 >>> 16) & 0xff] ^ T2[(s0 >>> 8) & 0xff] ^ T3[s1 & 0xff] ^ k[6];
                int t3 = T0[s3 >>> 24] ^ T1[(s0 >>> 16) & 0xff] ^ T2[(s1 >>> 8) & 0xff] ^ T3[s2 & 0xff] ^ k[7];
                // ...and round 2 without the terms of round-1 column 0.
                b0 = T1[(t1 >>> 16) & 0xff] ^ T2[(t2 >>> 8) & 0xff] ^ T3[t3 & 0xff] ^ k[8];
                b1 = T0[t1 >>> 24] ^ T1[(t2 >>> 16) & 0xff] ^ T2[(t3 >>> 8) & 0xff] ^ k[9];
                b2 = T0[t2 >>> 24] ^ T1[(t3 >>> 16) & 0xff] ^ T3[t1 & 0xff] ^ k[10];
                b3 = T0[t3 >>> 24] ^ T2[(t1 >>> 8) & 0xff] ^ T3[t2 & 0xff] ^ k[11];
                cached = true;
            }
            int t0 = a0 ^ T3[s3 & 0xff];
            int u0 = b0 ^ T0[t0 >>> 24];
            int u1 = b1 ^ T3[t0 & 0xff];
            int u2 = b2 ^ T2[(t0 >>> 8) & 0xff];
            int u3 = b3 ^ T1[(t0 >>> 16) & 0xff];
            // Rounds 3 .. rounds-1 (FIPS-197 section 5.1), two per iteration.
            int r = 12;
            for (; r < last - 4; r += 8) {
                int v0 = T0[u0 >>> 24] ^ T1[(u1 >>> 16) & 0xff] ^ T2[(u2 >>> 8) & 0xff] ^ T3[u3 & 0xff] ^ k[r];
                int v1 = T0[u1 >>> 24] ^ T1[(u2 >>> 16) & 0xff] ^ T2[(u3 >>> 8) & 0xff] ^ T3[u0 & 0xff] ^ k[r + 1];
                int v2 = T0[u2 >>> 24] ^ T1[(u3 >>> 16) & 0xff] ^ T2[(u0 >>> 8) & 0xff] ^ T3[u1 & 0xff] ^ k[r + 2];
                int v3 = T0[u3 >>> 24] ^ T1[(u0 >>> 16) & 0xff] ^ T2[(u1 >>> 8) & 0xff] ^ T3[u2 & 0xff] ^ k[r + 3];
                u0 = T0[v0 >>> 24] ^ T1[(v1 >>> 16) & 0xff] ^ T2[(v2 >>> 8) & 0xff] ^ T3[v3 & 0xff] ^ k[r + 4];
                u1 = T0[v1 >>> 24] ^ T1[(v2 >>> 16) & 0xff] ^ T2[(v3 >>> 8) & 0xff] ^ T3[v0 & 0xff] ^ k[r + 5];
                u2 = T0[v2 >>> 24] ^ T1[(v3 >>> 16) & 0xff] ^ T2[(v0 >>> 8) & 0xff] ^ T3[v1 & 0xff] ^ k[r + 6];
                u3 = T0[v3 >>> 24] ^ T1[(v0 >>> 16) & 0xff] ^ T2[(v1 >>> 8) & 0xff] ^ T3[v2 & 0xff] ^ k[r + 7];
            }
            if (r < last) { // odd number of middle rounds (AES-128: 7, AES-256: 11)
                int v0 = T0[u0 >>> 24] ^ T1[(u1 >>> 16) & 0xff] ^ T2[(u2 >>> 8) & 0xff] ^ T3[u3 & 0xff] ^ k[r];
                int v1 = T0[u1 >>> 24] ^ T1[(u2 >>> 16) & 0xff] ^ T2[(u3 >>> 8) & 0xff] ^ T3[u0 & 0xff] ^ k[r + 1];
                int v2 = T0[u2 >>> 24] ^ T1[(u3 >>> 16) & 0xff] ^ T2[(u0 >>> 8) & 0xff] ^ T3[u1 & 0xff] ^ k[r + 2];
                int v3 = T0[u3 >>> 24] ^ T1[(u0 >>> 16) & 0xff] ^ T2[(u1 >>> 8) & 0xff] ^ T3[u2 & 0xff] ^ k[r + 3];
                u0 = v0; u1 = v1; u2 = v2; u3 = v3;
            }
            // Final round: no MixColumns. Each T-table holds S[x] as one of its bytes.
            int o0 = (T2[u0 >>> 24] & 0xff000000) ^ (T3[(u1 >>> 16) & 0xff] & 0x00ff0000)
                    ^ (T0[(u2 >>> 8) & 0xff] & 0x0000ff00) ^ (T1[u3 & 0xff] & 0xff) ^ k[last];
            int o1 = (T2[u1 >>> 24] & 0xff000000) ^ (T3[(u2 >>> 16) & 0xff] & 0x00ff0000)
                    ^ (T0[(u3 >>> 8) & 0xff] & 0x0000ff00) ^ (T1[u0 & 0xff] & 0xff) ^ k[last + 1];
            int o2 = (T2[u2 >>> 24] & 0xff000000) ^ (T3[(u3 >>> 16) & 0xff] & 0x00ff0000)
                    ^ (T0[(u0 >>> 8) & 0xff] & 0x0000ff00) ^ (T1[u1 & 0xff] & 0xff) ^ k[last + 2];
            int o3 = (T2[u3 >>> 24] & 0xff000000) ^ (T3[(u0 >>> 16) & 0xff] & 0x00ff0000)
                    ^ (T0[(u1 >>> 8) & 0xff] & 0x0000ff00) ^ (T1[u2 & 0xff] & 0xff) ^ k[last + 3];
            long p0 = (long) LONG_BE.get(in, inOff);
            long p1 = (long) LONG_BE.get(in, inOff + 8);
            LONG_BE.set(out, outOff, p0 ^ (((long) o0 << 32) | (o1 & 0xffffffffL)));
            LONG_BE.set(out, outOff + 8, p1 ^ (((long) o2 << 32) | (o3 & 0xffffffffL)));
        }
        counter = ctr;
    }

    /** One AES block of (w0, w1, w2, w3), written big-endian at out[off..]; not on the hot path. */
    private void encryptBlock(int w0, int w1, int w2, int w3, byte[] out, int off) {
        final int[] k = rk;
        final int[] T0 = Aes.T0, T1 = Aes.T1, T2 = Aes.T2, T3 = Aes.T3;
        int s0 = w0 ^ k[0], s1 = w1 ^ k[1], s2 = w2 ^ k[2], s3 = w3 ^ k[3];
        int last = 4 * rounds;
        for (int r = 4; r < last; r += 4) {
            int t0 = T0[s0 >>> 24] ^ T1[(s1 >>> 16) & 0xff] ^ T2[(s2 >>> 8) & 0xff] ^ T3[s3 & 0xff] ^ k[r];
            int t1 = T0[s1 >>> 24] ^ T1[(s2 >>> 16) & 0xff] ^ T2[(s3 >>> 8) & 0xff] ^ T3[s0 & 0xff] ^ k[r + 1];
            int t2 = T0[s2 >>> 24] ^ T1[(s3 >>> 16) & 0xff] ^ T2[(s0 >>> 8) & 0xff] ^ T3[s1 & 0xff] ^ k[r + 2];
            int t3 = T0[s3 >>> 24] ^ T1[(s0 >>> 16) & 0xff] ^ T2[(s1 >>> 8) & 0xff] ^ T3[s2 & 0xff] ^ k[r + 3];
            s0 = t0; s1 = t1; s2 = t2; s3 = t3;
        }
        int[] S = Aes.SBOX;
        INT_BE.set(out, off, ((S[s0 >>> 24] << 24) | (S[(s1 >>> 16) & 0xff] << 16)
                | (S[(s2 >>> 8) & 0xff] << 8) | S[s3 & 0xff]) ^ k[last]);
        INT_BE.set(out, off + 4, ((S[s1 >>> 24] << 24) | (S[(s2 >>> 16) & 0xff] << 16)
                | (S[(s3 >>> 8) & 0xff] << 8) | S[s0 & 0xff]) ^ k[last + 1]);
        INT_BE.set(out, off + 8, ((S[s2 >>> 24] << 24) | (S[(s3 >>> 16) & 0xff] << 16)
                | (S[(s0 >>> 8) & 0xff] << 8) | S[s1 & 0xff]) ^ k[last + 2]);
        INT_BE.set(out, off + 12, ((S[s3 >>> 24] << 24) | (S[(s0 >>> 16) & 0xff] << 16)
                | (S[(s1 >>> 8) & 0xff] << 8) | S[s2 & 0xff]) ^ k[last + 3]);
    }
}
