/*
 * x25519_portable.c - X25519 in portable C: field elements mod p = 2^255 - 19 in radix
 * 2^51 (five 64-bit limbs), products in unsigned __int128. Runs on any 64-bit target
 * GCC or Clang supports (x86-64, AArch64).
 *
 * Limb bounds: fe_frombytes and every multiplication return limbs below 2^51 + 2^13;
 * fe_add of two of those and fe_sub (a + 2p - b) stay below 2^53, so every input to a
 * multiplication is below 2^53, a column sum (five products, some times 19) below 2^113,
 * and the carry out of the top column times 19 below 2^63. The ladder
 * (x25519_ladder_body.h) only subtracts values that come straight from a multiplication,
 * which keeps b below 2p limb by limb.
 */
#include "internal.h"
#include "x25519_internal.h"

__extension__ typedef unsigned __int128 u128;
typedef uint64_t fe[5];

#define MASK51 ((UINT64_C(1) << 51) - 1)

static void fe_set(fe r, uint64_t v) {
  r[0] = v;
  r[1] = r[2] = r[3] = r[4] = 0;
}

static void fe_copy(fe r, const fe a) {
  for (int i = 0; i < 5; i++) r[i] = a[i];
}

static void fe_add(fe r, const fe a, const fe b) {
  for (int i = 0; i < 5; i++) r[i] = a[i] + b[i];
}

/* a - b + 2p, limb by limb (2p = 2^52 - 38, then 2^52 - 2 four times). */
static void fe_sub(fe r, const fe a, const fe b) {
  r[0] = a[0] + (UINT64_C(0xfffffffffffda)) - b[0];
  for (int i = 1; i < 5; i++) r[i] = a[i] + UINT64_C(0xffffffffffffe) - b[i];
}

/* Five 128-bit column sums back to limbs below 2^51 (+ a small carry in limb 1). */
static void fe_carry(fe r, u128 t0, u128 t1, u128 t2, u128 t3, u128 t4) {
  t1 += (uint64_t)(t0 >> 51);
  t2 += (uint64_t)(t1 >> 51);
  t3 += (uint64_t)(t2 >> 51);
  t4 += (uint64_t)(t3 >> 51);
  uint64_t r0 = ((uint64_t)t0 & MASK51) + 19 * (uint64_t)(t4 >> 51);
  r[1] = ((uint64_t)t1 & MASK51) + (r0 >> 51);
  r[0] = r0 & MASK51;
  r[2] = (uint64_t)t2 & MASK51;
  r[3] = (uint64_t)t3 & MASK51;
  r[4] = (uint64_t)t4 & MASK51;
}

/* Schoolbook product; a limb pair whose weights pass 2^255 folds back times 19. */
static void fe_mul(fe r, const fe a, const fe b) {
  const uint64_t b1_19 = 19 * b[1], b2_19 = 19 * b[2], b3_19 = 19 * b[3], b4_19 = 19 * b[4];
  u128 t0 = (u128)a[0] * b[0] + (u128)a[1] * b4_19 + (u128)a[2] * b3_19 + (u128)a[3] * b2_19 +
            (u128)a[4] * b1_19;
  u128 t1 = (u128)a[0] * b[1] + (u128)a[1] * b[0] + (u128)a[2] * b4_19 + (u128)a[3] * b3_19 +
            (u128)a[4] * b2_19;
  u128 t2 = (u128)a[0] * b[2] + (u128)a[1] * b[1] + (u128)a[2] * b[0] + (u128)a[3] * b4_19 +
            (u128)a[4] * b3_19;
  u128 t3 = (u128)a[0] * b[3] + (u128)a[1] * b[2] + (u128)a[2] * b[1] + (u128)a[3] * b[0] +
            (u128)a[4] * b4_19;
  u128 t4 = (u128)a[0] * b[4] + (u128)a[1] * b[3] + (u128)a[2] * b[2] + (u128)a[3] * b[1] +
            (u128)a[4] * b[0];
  fe_carry(r, t0, t1, t2, t3, t4);
}

/* Squaring: the cross products counted once and doubled (15 products instead of 25). */
static void fe_sq(fe r, const fe a) {
  const uint64_t d0 = 2 * a[0], d1 = 2 * a[1], d2 = 2 * a[2];
  const uint64_t a3_19 = 19 * a[3], a4_19 = 19 * a[4];
  u128 t0 = (u128)a[0] * a[0] + (u128)d1 * a4_19 + (u128)d2 * a3_19;
  u128 t1 = (u128)d0 * a[1] + (u128)d2 * a4_19 + (u128)a[3] * a3_19;
  u128 t2 = (u128)d0 * a[2] + (u128)a[1] * a[1] + (u128)(2 * a[3]) * a4_19;
  u128 t3 = (u128)d0 * a[3] + (u128)d1 * a[2] + (u128)a[4] * a4_19;
  u128 t4 = (u128)d0 * a[4] + (u128)d1 * a[3] + (u128)a[2] * a[2];
  fe_carry(r, t0, t1, t2, t3, t4);
}

static void fe_mul_a24(fe r, const fe a) {
  fe_carry(r, (u128)a[0] * 121665, (u128)a[1] * 121665, (u128)a[2] * 121665,
           (u128)a[3] * 121665, (u128)a[4] * 121665);
}

static void fe_cswap(fe a, fe b, uint64_t mask) {
  for (int i = 0; i < 5; i++) {
    uint64_t t = mask & (a[i] ^ b[i]);
    a[i] ^= t;
    b[i] ^= t;
  }
}

static uint64_t load64_le(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static void fe_frombytes(fe r, const uint8_t s[32]) {
  uint64_t w0 = load64_le(s), w1 = load64_le(s + 8), w2 = load64_le(s + 16),
           w3 = load64_le(s + 24);
  r[0] = w0 & MASK51;
  r[1] = ((w0 >> 51) | (w1 << 13)) & MASK51;
  r[2] = ((w1 >> 38) | (w2 << 26)) & MASK51;
  r[3] = ((w2 >> 25) | (w3 << 39)) & MASK51;
  r[4] = (w3 >> 12) & MASK51; /* drops bit 255 (RFC 7748 5) */
}

/* The canonical encoding: carry fully, then subtract p once if the value is >= p, found
 * as "value + 19 reaches 2^255" (no branch). */
static void fe_tobytes(uint8_t s[32], const fe a) {
  uint64_t h[5];
  fe_carry(h, a[0], a[1], a[2], a[3], a[4]);
  fe_carry(h, h[0], h[1], h[2], h[3], h[4]); /* now every limb is below 2^51 */
  uint64_t q = (h[0] + 19) >> 51;
  q = (h[1] + q) >> 51;
  q = (h[2] + q) >> 51;
  q = (h[3] + q) >> 51;
  q = (h[4] + q) >> 51; /* 1 exactly when h >= p */
  h[0] += 19 * q;
  h[1] += h[0] >> 51;
  h[0] &= MASK51;
  h[2] += h[1] >> 51;
  h[1] &= MASK51;
  h[3] += h[2] >> 51;
  h[2] &= MASK51;
  h[4] += h[3] >> 51;
  h[3] &= MASK51;
  h[4] &= MASK51; /* drops the 2^255 that the + 19q produced */
  uint64_t w[4] = {h[0] | h[1] << 51, h[1] >> 13 | h[2] << 38, h[2] >> 26 | h[3] << 25,
                   h[3] >> 39 | h[4] << 12};
  for (int i = 0; i < 32; i++) s[i] = (uint8_t)(w[i >> 3] >> (8 * (i & 7)));
}

#include "x25519_ladder_body.h"
#include "x25519_base_body.h"

const ta_x25519_kernel ta_x25519_portable = {"portable", 0, x25519_ladder, x25519_base};
