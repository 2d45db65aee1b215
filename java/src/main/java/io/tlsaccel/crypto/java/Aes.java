package io.tlsaccel.crypto.java;

/**
 * AES tables and key schedule (FIPS-197), shared by the table-driven modes of this package.
 *
 * <p>State words are columns, big-endian: row 0 in bits 31..24. With that layout one round
 * (SubBytes, ShiftRows, MixColumns, AddRoundKey; FIPS-197 section 5.1) of output column c is
 * {@code T0[a(0,c)] ^ T1[a(1,c+1)] ^ T2[a(2,c+2)] ^ T3[a(3,c+3)] ^ rk}.
 *
 * <p>Table lookups are indexed by secret data, so this code is not constant time on machines
 * with shared caches; it is the fallback for JVMs without AES instructions.
 */
final class Aes {

    private Aes() {
    }

    /** The S-box, FIPS-197 section 5.1.1 (computed, not typed in). */
    static final int[] SBOX = new int[256];

    /**
     * {@code T0[x]} is the MixColumns image of the column (S[x], 0, 0, 0), i.e. the bytes
     * (2s, s, s, 3s); T1..T3 are T0 rotated right by 8, 16 and 24 bits (the same column with
     * the byte in rows 1..3). They are static final so C2 knows their length and drops the
     * bounds checks on {@code x & 0xff} and {@code x >>> 24} indices.
     */
    static final int[] T0 = new int[256];
    static final int[] T1 = new int[256];
    static final int[] T2 = new int[256];
    static final int[] T3 = new int[256];

    static {
        // Multiplicative inverse in GF(2^8) via log tables over the generator 3
        // (FIPS-197 section 4.2), then the affine map of section 5.1.1.
        int[] exp = new int[256];
        int[] log = new int[256];
        int p = 1;
        for (int i = 0; i < 255; i++) {
            exp[i] = p;
            log[p] = i;
            p ^= xtime(p); // p * 3
        }
        for (int x = 0; x < 256; x++) {
            int inv = x == 0 ? 0 : exp[(255 - log[x]) % 255];
            int s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
            SBOX[x] = s;
            int t = (xtime(s) << 24) | (s << 16) | (s << 8) | (xtime(s) ^ s);
            T0[x] = t;
            T1[x] = Integer.rotateRight(t, 8);
            T2[x] = Integer.rotateRight(t, 16);
            T3[x] = Integer.rotateRight(t, 24);
        }
    }

    /** Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197 section 4.2.1). */
    private static int xtime(int b) {
        return ((b << 1) ^ ((b >>> 7) * 0x1b)) & 0xff;
    }

    private static int rotl8(int b, int n) {
        return ((b << n) | (b >>> (8 - n))) & 0xff;
    }

    private static int subWord(int w) {
        return (SBOX[w >>> 24] << 24) | (SBOX[(w >>> 16) & 0xff] << 16)
                | (SBOX[(w >>> 8) & 0xff] << 8) | SBOX[w & 0xff];
    }

    /** Number of rounds for a key of this many bytes (FIPS-197 section 5, figure 4). */
    static int rounds(int keyLen) {
        switch (keyLen) {
            case 16: return 10;
            case 24: return 12;
            case 32: return 14;
            default: throw new IllegalArgumentException("AES key must be 16, 24 or 32 bytes, not " + keyLen);
        }
    }

    /** KeyExpansion, FIPS-197 section 5.2: 4 * (rounds + 1) words. */
    static int[] expandKey(byte[] key, int off, int len) {
        int nk = len / 4;
        int nr = rounds(len);
        int[] w = new int[4 * (nr + 1)];
        for (int i = 0; i < nk; i++) {
            int j = off + 4 * i;
            w[i] = (key[j] << 24) | ((key[j + 1] & 0xff) << 16) | ((key[j + 2] & 0xff) << 8) | (key[j + 3] & 0xff);
        }
        int rcon = 1;
        for (int i = nk; i < w.length; i++) {
            int t = w[i - 1];
            if (i % nk == 0) {
                t = subWord(Integer.rotateLeft(t, 8)) ^ (rcon << 24);
                rcon = xtime(rcon);
            } else if (nk > 6 && i % nk == 4) {
                t = subWord(t);
            }
            w[i] = w[i - nk] ^ t;
        }
        return w;
    }
}
