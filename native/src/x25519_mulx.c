/*
 * x25519_mulx.c - X25519 field arithmetic in radix 2^64 (four limbs) on BMI2 (mulx) and
 * ADX (adcx/adox), compiled with -mbmi2 -madx (cmake/KernelFlags.cmake, suffix _mulx).
 *
 * Elements are kept below 2^256, not fully reduced: 2^256 = 38 (mod p), so a carry out
 * of the top limb is folded back as + 38 into the bottom one. A 512-bit product
 * hi * 2^256 + lo reduces to lo + 38 * hi (at most 2^262), whose top carry folds the
 * same way; only fe_tobytes reduces to [0, p). Every carry fold is a mask, never a branch.
 *
 * On other architectures the file compiles to a kernel no CPU feature set can select.
 */
#include "internal.h"
#include "x25519_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

typedef unsigned long long limb; /* the intrinsics' own type */
typedef limb fe[4];

static void fe_set(fe r, uint64_t v) {
  r[0] = v;
  r[1] = r[2] = r[3] = 0;
}

static void fe_copy(fe r, const fe a) {
  for (int i = 0; i < 4; i++) r[i] = a[i];
}

/* r = a + 38 * c where a < 2^256 has just overflowed c (< 2^16) times; the second fold
 * cannot carry again because a wrapped value is small. */
static void fe_fold(fe r, const fe a, limb c) {
  unsigned char cf = _addcarryx_u64(0, a[0], c * 38, &r[0]);
  cf = _addcarryx_u64(cf, a[1], 0, &r[1]);
  cf = _addcarryx_u64(cf, a[2], 0, &r[2]);
  cf = _addcarryx_u64(cf, a[3], 0, &r[3]);
  r[0] += (0 - (limb)cf) & 38;
}

static void fe_add(fe r, const fe a, const fe b) {
  fe t;
  unsigned char cf = _addcarryx_u64(0, a[0], b[0], &t[0]);
  cf = _addcarryx_u64(cf, a[1], b[1], &t[1]);
  cf = _addcarryx_u64(cf, a[2], b[2], &t[2]);
  cf = _addcarryx_u64(cf, a[3], b[3], &t[3]);
  fe_fold(r, t, cf);
}

/* a - b; a borrow means + 2^256 too many, i.e. 38 too many (mod p): take 38 off again. */
static void fe_sub(fe r, const fe a, const fe b) {
  limb t0, t1, t2, t3;
  unsigned char bf = _subborrow_u64(0, a[0], b[0], &t0);
  bf = _subborrow_u64(bf, a[1], b[1], &t1);
  bf = _subborrow_u64(bf, a[2], b[2], &t2);
  bf = _subborrow_u64(bf, a[3], b[3], &t3);
  bf = _subborrow_u64(0, t0, (0 - (limb)bf) & 38, &t0);
  bf = _subborrow_u64(bf, t1, 0, &t1);
  bf = _subborrow_u64(bf, t2, 0, &t2);
  bf = _subborrow_u64(bf, t3, 0, &t3);
  r[0] = t0 - ((0 - (limb)bf) & 38);
  r[1] = t1;
  r[2] = t2;
  r[3] = t3;
}

/* lo + 38 * hi of a 512-bit value t[0..7], to four limbs. */
static void fe_reduce(fe r, const limb t[8]) {
  limb h0, h1, h2, h3, l0, l1, l2, l3;
  fe s;
  l0 = _mulx_u64(t[4], 38, &h0);
  l1 = _mulx_u64(t[5], 38, &h1);
  l2 = _mulx_u64(t[6], 38, &h2);
  l3 = _mulx_u64(t[7], 38, &h3);
  unsigned char cf = _addcarryx_u64(0, t[0], l0, &s[0]);
  cf = _addcarryx_u64(cf, t[1], l1, &s[1]);
  cf = _addcarryx_u64(cf, t[2], l2, &s[2]);
  cf = _addcarryx_u64(cf, t[3], l3, &s[3]);
  limb top = h3 + cf; /* h3 < 38 */
  cf = _addcarryx_u64(0, s[1], h0, &s[1]);
  cf = _addcarryx_u64(cf, s[2], h1, &s[2]);
  cf = _addcarryx_u64(cf, s[3], h2, &s[3]);
  top += cf;
  fe_fold(r, s, top);
}

/* Adds a * b into the three-limb column accumulator (c0, c1, c2). */
#define MULADD(a, b)                              \
  do {                                            \
    limb hi_, lo_ = _mulx_u64((a), (b), &hi_);    \
    unsigned char cf_ = _addcarry_u64(0, c0, lo_, &c0); \
    cf_ = _addcarry_u64(cf_, c1, hi_, &c1);       \
    c2 += cf_;                                    \
  } while (0)
/* Closes column k: its low limb goes out, the accumulator shifts down one limb. */
#define COLUMN(k)  \
  do {             \
    t[k] = c0;     \
    c0 = c1;       \
    c1 = c2;       \
    c2 = 0;        \
  } while (0)

/* Product scanning (one column of the 512-bit product at a time): few live registers,
 * so nothing spills; each column's products go into a three-limb accumulator. */
static void fe_mul(fe r, const fe a, const fe b) {
  limb t[8], c0 = 0, c1 = 0, c2 = 0;
  MULADD(a[0], b[0]);
  COLUMN(0);
  MULADD(a[0], b[1]);
  MULADD(a[1], b[0]);
  COLUMN(1);
  MULADD(a[0], b[2]);
  MULADD(a[1], b[1]);
  MULADD(a[2], b[0]);
  COLUMN(2);
  MULADD(a[0], b[3]);
  MULADD(a[1], b[2]);
  MULADD(a[2], b[1]);
  MULADD(a[3], b[0]);
  COLUMN(3);
  MULADD(a[1], b[3]);
  MULADD(a[2], b[2]);
  MULADD(a[3], b[1]);
  COLUMN(4);
  MULADD(a[2], b[3]);
  MULADD(a[3], b[2]);
  COLUMN(5);
  MULADD(a[3], b[3]);
  COLUMN(6);
  t[7] = c0;
  fe_reduce(r, t);
}

/* Squaring: the same columns with each cross product a[i] a[j] (i < j) added twice. */
static void fe_sq(fe r, const fe a) {
  limb t[8], c0 = 0, c1 = 0, c2 = 0;
  MULADD(a[0], a[0]);
  COLUMN(0);
  MULADD(a[0], a[1]);
  MULADD(a[0], a[1]);
  COLUMN(1);
  MULADD(a[0], a[2]);
  MULADD(a[0], a[2]);
  MULADD(a[1], a[1]);
  COLUMN(2);
  MULADD(a[0], a[3]);
  MULADD(a[0], a[3]);
  MULADD(a[1], a[2]);
  MULADD(a[1], a[2]);
  COLUMN(3);
  MULADD(a[1], a[3]);
  MULADD(a[1], a[3]);
  MULADD(a[2], a[2]);
  COLUMN(4);
  MULADD(a[2], a[3]);
  MULADD(a[2], a[3]);
  COLUMN(5);
  MULADD(a[3], a[3]);
  COLUMN(6);
  t[7] = c0;
  fe_reduce(r, t);
}

static void fe_mul_a24(fe r, const fe a) {
  limb h0, h1, h2, h3;
  fe s;
  s[0] = _mulx_u64(a[0], 121665, &h0);
  s[1] = _mulx_u64(a[1], 121665, &h1);
  s[2] = _mulx_u64(a[2], 121665, &h2);
  s[3] = _mulx_u64(a[3], 121665, &h3);
  unsigned char cf = _addcarryx_u64(0, s[1], h0, &s[1]);
  cf = _addcarryx_u64(cf, s[2], h1, &s[2]);
  cf = _addcarryx_u64(cf, s[3], h2, &s[3]);
  fe_fold(r, s, h3 + cf);
}

static void fe_cswap(fe a, fe b, uint64_t mask) {
  for (int i = 0; i < 4; i++) {
    limb t = mask & (a[i] ^ b[i]);
    a[i] ^= t;
    b[i] ^= t;
  }
}

static void fe_frombytes(fe r, const uint8_t s[32]) {
  for (int i = 0; i < 4; i++) {
    limb v = 0;
    for (int j = 7; j >= 0; j--) v = (v << 8) | s[8 * i + j];
    r[i] = v;
  }
  r[3] &= 0x7fffffffffffffffULL; /* bit 255 ignored (RFC 7748 5) */
}

/* To [0, p): fold bit 255 (x 19), then subtract p when value + 19 reaches 2^255. */
static void fe_tobytes(uint8_t s[32], const fe a) {
  limb v[4], t[4];
  limb top = a[3] >> 63;
  unsigned char cf = _addcarryx_u64(0, a[0], top * 19, &v[0]);
  cf = _addcarryx_u64(cf, a[1], 0, &v[1]);
  cf = _addcarryx_u64(cf, a[2], 0, &v[2]);
  _addcarryx_u64(cf, a[3] & 0x7fffffffffffffffULL, 0, &v[3]); /* < 2^255 + 19 */
  cf = _addcarryx_u64(0, v[0], 19, &t[0]);
  cf = _addcarryx_u64(cf, v[1], 0, &t[1]);
  cf = _addcarryx_u64(cf, v[2], 0, &t[2]);
  _addcarryx_u64(cf, v[3], 0, &t[3]);
  limb ge = 0 - (t[3] >> 63); /* all ones when v >= p */
  t[3] &= 0x7fffffffffffffffULL;
  for (int i = 0; i < 4; i++) {
    limb w = (t[i] & ge) | (v[i] & ~ge);
    for (int j = 0; j < 8; j++) s[8 * i + j] = (uint8_t)(w >> (8 * j));
  }
}

#include "x25519_ladder_body.h"
#include "x25519_base_body.h"

const ta_x25519_kernel ta_x25519_mulx = {"mulx", TA_CPU_BMI2 | TA_CPU_ADX, x25519_ladder, x25519_base};
#else
/* Not x86-64: never usable (the dispatcher checks needs before calling). */
const ta_x25519_kernel ta_x25519_mulx = {"mulx", 0xffffffffu, NULL, NULL};
#endif
