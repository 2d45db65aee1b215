/*
 * x25519_ladder_body.h - the X25519 function of RFC 7748 section 5, written once over a
 * field type each kernel supplies (x25519_portable.c: radix 2^51; x25519_mulx.c: radix
 * 2^64 on mulx/adx). The including file defines, before including this body:
 *   fe                      the element type (an array type)
 *   fe_set(fe r, uint64_t)  r = small constant
 *   fe_copy, fe_add, fe_sub, fe_mul, fe_sq, fe_mul_a24 (r = a * 121665)
 *   fe_cswap(fe a, fe b, uint64_t mask)  swaps when mask is all ones, not when zero
 *   fe_frombytes (ignores bit 255, RFC 7748 5), fe_tobytes (the canonical value mod p)
 *
 * Constant time by construction: the ladder runs all 255 steps whatever the scalar, the
 * scalar bit only ever reaches a mask (never a branch or an address), and the field
 * operations have no data-dependent branches or table look-ups. Bit t of the scalar is
 * read at an address given by t, which is public.
 */

/* z^(p-2) = 1/z (Fermat), p - 2 = 2^255 - 21, by the usual chain of 254 squarings and
 * 11 multiplications. 1/0 comes out as 0, which the ladder relies on for the zero point. */
static void fe_invert(fe out, const fe z) {
  fe z2, z9, z11, z2_5_0, z2_10_0, z2_20_0, z2_50_0, z2_100_0, t;
  int i;
  fe_sq(z2, z);           /* 2 */
  fe_sq(t, z2);           /* 4 */
  fe_sq(t, t);            /* 8 */
  fe_mul(z9, t, z);       /* 9 */
  fe_mul(z11, z9, z2);    /* 11 */
  fe_sq(t, z11);          /* 22 */
  fe_mul(z2_5_0, t, z9);  /* 2^5 - 1 */
  fe_sq(t, z2_5_0);
  for (i = 1; i < 5; i++) fe_sq(t, t);
  fe_mul(z2_10_0, t, z2_5_0); /* 2^10 - 1 */
  fe_sq(t, z2_10_0);
  for (i = 1; i < 10; i++) fe_sq(t, t);
  fe_mul(z2_20_0, t, z2_10_0); /* 2^20 - 1 */
  fe_sq(t, z2_20_0);
  for (i = 1; i < 20; i++) fe_sq(t, t);
  fe_mul(t, t, z2_20_0); /* 2^40 - 1 */
  for (i = 0; i < 10; i++) fe_sq(t, t);
  fe_mul(z2_50_0, t, z2_10_0); /* 2^50 - 1 */
  fe_sq(t, z2_50_0);
  for (i = 1; i < 50; i++) fe_sq(t, t);
  fe_mul(z2_100_0, t, z2_50_0); /* 2^100 - 1 */
  fe_sq(t, z2_100_0);
  for (i = 1; i < 100; i++) fe_sq(t, t);
  fe_mul(t, t, z2_100_0); /* 2^200 - 1 */
  for (i = 0; i < 50; i++) fe_sq(t, t);
  fe_mul(t, t, z2_50_0); /* 2^250 - 1 */
  for (i = 0; i < 5; i++) fe_sq(t, t);
  fe_mul(out, t, z11); /* 2^255 - 32 + 11 = p - 2 */
}

/*
 * out = X25519(k, u): k already clamped by the caller (RFC 7748 5, decodeScalar25519),
 * u as received (its bit 255 is ignored here). The ladder is the RFC's pseudo-code:
 * (x2:z2) holds k_high * u, (x3:z3) holds (k_high + 1) * u; a24 = 121665 as the RFC gives
 * for the formula z2 = E * (AA + a24 * E).
 */
static void x25519_ladder(uint8_t out[32], const uint8_t k[32], const uint8_t u[32]) {
  fe x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb;
  fe_frombytes(x1, u);
  fe_set(x2, 1);
  fe_set(z2, 0);
  fe_copy(x3, x1);
  fe_set(z3, 1);
  uint64_t swap = 0;
  for (int t = 254; t >= 0; t--) {
    uint64_t bit = (uint64_t)(k[t >> 3] >> (t & 7)) & 1;
    swap ^= bit;
    fe_cswap(x2, x3, 0 - swap);
    fe_cswap(z2, z3, 0 - swap);
    swap = bit;

    fe_add(a, x2, z2);
    fe_sq(aa, a);
    fe_sub(b, x2, z2);
    fe_sq(bb, b);
    fe_sub(e, aa, bb);
    fe_add(c, x3, z3);
    fe_sub(d, x3, z3);
    fe_mul(da, d, a);
    fe_mul(cb, c, b);
    fe_add(x3, da, cb);
    fe_sq(x3, x3);
    fe_sub(z3, da, cb);
    fe_sq(z3, z3);
    fe_mul(z3, z3, x1);
    fe_mul(x2, aa, bb);
    fe_mul_a24(z2, e);
    fe_add(z2, z2, aa);
    fe_mul(z2, z2, e);
  }
  fe_cswap(x2, x3, 0 - swap);
  fe_cswap(z2, z3, 0 - swap);
  fe_invert(z2, z2);
  fe_mul(x2, x2, z2);
  fe_tobytes(out, x2);
}
