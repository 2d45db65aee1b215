/*
 * x25519_base_body.h - X25519(k, 9), the public key, by a fixed-base comb on the twisted
 * Edwards form of the curve (edwards25519, RFC 7748 4.1: u = (1 + y) / (1 - y)), written
 * once over the same field type as x25519_ladder_body.h (include that one first).
 *
 * Why: the ladder spends 255 steps of 9 multiplications on any point; for the base point a
 * table of its multiples j * 16^i * B (i < 64, j = 1..8) turns k * B into 64 additions of a
 * table entry, about 2.5 times fewer multiplications. Measured in bench_x25519.
 *
 * The scalar is recoded into 64 signed digits e_i in [-8, 8] (k = sum e_i 16^i); each
 * addition takes |e_i| * 16^i * B from its row by reading all 8 entries and keeping one by
 * masks, then negates it by masks when e_i < 0. No branch and no address depends on k.
 *
 * Points are in extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, xy = T/Z; table
 * entries in the "cached" form (Y + X, Y - X, 2Z, 2dT), added with the complete formula of
 * Hisil, Wong, Carter and Dawson (2008), which also doubles, so one formula builds the table.
 * The table is built once per process, on first use (about 4,000 multiplications).
 */
#include <stdatomic.h>

typedef struct {
  fe x, y, z, t;
} ge_ext;

typedef struct {
  fe ypx, ymx, z2, t2d;
} ge_cached;

/* Little-endian encodings of edwards25519's base point (RFC 7748 4.1: y = 4/5, x even) and
 * of 2d, d = -121665 / 121666. */
static const uint8_t ED_BX[32] = {
    0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25, 0x95, 0x60, 0xc7, 0x2c, 0x69,
    0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2, 0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21};
static const uint8_t ED_BY[32] = {
    0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66};
static const uint8_t ED_2D[32] = {
    0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83, 0x82, 0x9a, 0x14, 0xe0, 0x00,
    0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80, 0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24};

/* r = p + q. Every subtrahend below is a product, as fe_sub requires. */
static void ge_add(ge_ext *r, const ge_ext *p, const ge_cached *q) {
  fe a, b, c, d, e, f, g, h;
  fe_sub(a, p->y, p->x);
  fe_mul(a, a, q->ymx);
  fe_add(b, p->y, p->x);
  fe_mul(b, b, q->ypx);
  fe_mul(c, p->t, q->t2d);
  fe_mul(d, p->z, q->z2);
  fe_sub(e, b, a);
  fe_sub(f, d, c);
  fe_add(g, d, c);
  fe_add(h, b, a);
  fe_mul(r->x, e, f);
  fe_mul(r->y, g, h);
  fe_mul(r->t, e, h);
  fe_mul(r->z, f, g);
}

static void ge_to_cached(ge_cached *r, const ge_ext *p, const fe two_d) {
  fe_add(r->ypx, p->y, p->x);
  fe_sub(r->ymx, p->y, p->x);
  fe_add(r->z2, p->z, p->z);
  fe_mul(r->t2d, p->t, two_d); /* a product: select_cached may subtract it from 0 */
}

/* base_table[i][j] = (j + 1) * 16^i * B */
static ge_cached base_table[64][8];
static _Atomic int base_table_state; /* 0 none, 1 being built, 2 ready */

static void build_base_table(void) {
  fe two_d;
  fe_frombytes(two_d, ED_2D);
  ge_ext p; /* 16^i * B */
  fe_frombytes(p.x, ED_BX);
  fe_frombytes(p.y, ED_BY);
  fe_set(p.z, 1);
  fe_mul(p.t, p.x, p.y);
  for (int i = 0; i < 64; i++) {
    ge_ext m = p;
    ge_to_cached(&base_table[i][0], &p, two_d);
    for (int j = 1; j < 8; j++) {
      ge_add(&m, &m, &base_table[i][0]);
      ge_to_cached(&base_table[i][j], &m, two_d);
    }
    ge_add(&p, &m, &base_table[i][7]); /* 8P + 8P = 16P */
  }
}

/* Builds the table once; a thread that finds it being built waits for it. */
static void ensure_base_table(void) {
  if (atomic_load_explicit(&base_table_state, memory_order_acquire) == 2) return;
  int expected = 0;
  if (atomic_compare_exchange_strong(&base_table_state, &expected, 1)) {
    build_base_table();
    atomic_store_explicit(&base_table_state, 2, memory_order_release);
    return;
  }
  while (atomic_load_explicit(&base_table_state, memory_order_acquire) != 2) {
  }
}

/* r = |e| * 16^i * B negated when e < 0; e in [-8, 8]. Reads the whole row. */
static void select_cached(ge_cached *r, int i, int8_t e) {
  uint64_t neg = (uint64_t)(uint8_t)e >> 7;
  uint64_t abs = (uint64_t)(int64_t)(e - ((-(int)neg & e) * 2));
  fe_set(r->ypx, 1);
  fe_set(r->ymx, 1);
  fe_set(r->z2, 2);
  fe_set(r->t2d, 0);
  for (uint64_t j = 1; j <= 8; j++) {
    uint64_t mask = 0 - (((abs ^ j) - 1) >> 63); /* all ones when abs == j */
    ge_cached c = base_table[i][j - 1];
    fe_cswap(r->ypx, c.ypx, mask);
    fe_cswap(r->ymx, c.ymx, mask);
    fe_cswap(r->z2, c.z2, mask);
    fe_cswap(r->t2d, c.t2d, mask);
  }
  /* -(x, y) = (-x, y): Y + X and Y - X trade places, T changes sign */
  fe zero, minus_t;
  fe_set(zero, 0);
  fe_sub(minus_t, zero, r->t2d);
  fe_cswap(r->ypx, r->ymx, 0 - neg);
  fe_cswap(r->t2d, minus_t, 0 - neg);
}

/* out = X25519(k, 9) for a clamped k: the u-coordinate of k * B. */
static void x25519_base(uint8_t out[32], const uint8_t k[32]) {
  ensure_base_table();
  int8_t e[64];
  for (int i = 0; i < 32; i++) {
    e[2 * i] = (int8_t)(k[i] & 15);
    e[2 * i + 1] = (int8_t)(k[i] >> 4);
  }
  int8_t carry = 0; /* digits to [-8, 8): e_63 ends at most 8 as k < 2^255 */
  for (int i = 0; i < 63; i++) {
    e[i] = (int8_t)(e[i] + carry);
    carry = (int8_t)((e[i] + 8) >> 4);
    e[i] = (int8_t)(e[i] - carry * 16);
  }
  e[63] = (int8_t)(e[63] + carry);

  ge_ext acc; /* the neutral element (0, 1) */
  fe_set(acc.x, 0);
  fe_set(acc.y, 1);
  fe_set(acc.z, 1);
  fe_set(acc.t, 0);
  ge_cached c;
  for (int i = 0; i < 64; i++) {
    select_cached(&c, i, e[i]);
    ge_add(&acc, &acc, &c);
  }
  /* u = (1 + y) / (1 - y) = (Z + Y) / (Z - Y) */
  fe num, den;
  fe_add(num, acc.z, acc.y);
  fe_sub(den, acc.z, acc.y);
  fe_invert(den, den);
  fe_mul(num, num, den);
  fe_tobytes(out, num);
  for (int i = 0; i < 64; i++) e[i] = 0;
}
