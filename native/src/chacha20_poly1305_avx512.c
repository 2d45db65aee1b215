/*
 * chacha20_poly1305_avx512.c - ChaCha20-Poly1305 (RFC 8439) with AVX-512 F/BW/VL.
 *
 * ChaCha20, bulk: 16 blocks (1 KiB) per pass. The state is transposed: zmm register i
 * holds state word i of 16 consecutive blocks (one block per 32-bit lane), so the quarter
 * round of RFC 8439 2.1 runs on whole registers with vprold for the rotations, and the
 * column/diagonal rounds of 2.3 only change which registers are combined. Word 12 (the
 * counter) is counter + 0..15 across the lanes. At the end a 16x16 transpose (unpack
 * 32 and 64 bit within 128-bit lanes, then two rounds of 128-bit lane shuffles) turns the
 * registers back into 16 consecutive 64-byte key stream blocks.
 *
 * ChaCha20, tails of up to 256 bytes: the state is kept by rows, 4 blocks per pass, one
 * block per 128-bit lane; the diagonal round rotates rows b, c, d by 1, 2, 3 words (2.2's
 * view); masked loads and stores handle a partial last block. Longer tails take a
 * partial 16-block pass (a rows pass is one latency-bound chain, ~ as slow as a whole
 * 16-block pass, which is throughput-bound).
 *
 * Block 0 (the one-time Poly1305 key, 2.6) is a latency-bound chain too, so it is not made
 * in begin when the AAD is short (<= 64 bytes; TLS uses 13 or 5): the AAD waits in the
 * stream state and the first piece decides. Up to 192 bytes: one rows pass makes blocks
 * 0..3, i.e. the key and all the key stream the piece needs (blocks 1..3 are kept in
 * ks_cache). Longer: block 0 runs as one xmm rows chain inside the first 16-block pass,
 * where it costs almost nothing; that pass is MACed once r is known (when opening in
 * place, from a copy of the ciphertext). A longer AAD is MACed in begin as usual.
 *
 * Poly1305 (RFC 8439 2.5), 8 blocks at a time in radix 2^26: lane j of five zmm
 * accumulators holds the sum of blocks j, j+8, j+16, ... Horner's rule with r^8:
 *     A <- A * r^8 + M_i            (M_i = blocks 8i..8i+7, one per lane, with 2^128 set)
 * and at the end of a run lane j is multiplied by r^(8-j) and the lanes are added, which
 * gives exactly h * r^T + sum m_t r^(T-t) of the block-by-block definition (h, the
 * accumulator before the run, enters lane 0 of the first group). Products use vpmuludq
 * (32x32->64 per lane) with limbs < 2^27 and 5*r folded in for the terms at 2^130 and up
 * (2^130 == 5 mod p); the carries run as two interleaved chains. The powers r..r^8 are
 * computed once per operation (cc_poly_powers), when the first piece that uses them comes.
 *
 * The two halves share each 1 KiB pass: the eight Poly1305 steps over a KiB are placed
 * between the ten double rounds, so the multiplier work overlaps the ChaCha20 adds,
 * xors and rotates. Opening MACs the ciphertext of the pass before it is overwritten
 * (in place); sealing MACs the ciphertext of the previous pass (software pipelining),
 * and the last pass after the loop.
 */
#include "chacha20_poly1305_common.h"

#include <immintrin.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* ---------------------------------------------------------------- Poly1305, 8 lanes */

typedef struct {
  __m512i a[5]; /* accumulators, radix 2^26, lane j = block j mod 8 */
  __m512i r[5]; /* r^8 in every lane */
  __m512i s[5]; /* 5 r^8 (s[0] unused) */
  int started;
} vpoly8;

/* a = a * (r, s) mod p, partly reduced (limbs < 2^26 + small). */
ALWAYS_INLINE void vp_mul(__m512i a[5], const __m512i r[5], const __m512i s[5]) {
  const __m512i m26 = _mm512_set1_epi64((long long)CC_M26);
#define MUL(x, y) _mm512_mul_epu32(x, y)
  __m512i d0 = _mm512_add_epi64(
      _mm512_add_epi64(MUL(a[0], r[0]), MUL(a[1], s[4])),
      _mm512_add_epi64(_mm512_add_epi64(MUL(a[2], s[3]), MUL(a[3], s[2])), MUL(a[4], s[1])));
  __m512i d1 = _mm512_add_epi64(
      _mm512_add_epi64(MUL(a[0], r[1]), MUL(a[1], r[0])),
      _mm512_add_epi64(_mm512_add_epi64(MUL(a[2], s[4]), MUL(a[3], s[3])), MUL(a[4], s[2])));
  __m512i d2 = _mm512_add_epi64(
      _mm512_add_epi64(MUL(a[0], r[2]), MUL(a[1], r[1])),
      _mm512_add_epi64(_mm512_add_epi64(MUL(a[2], r[0]), MUL(a[3], s[4])), MUL(a[4], s[3])));
  __m512i d3 = _mm512_add_epi64(
      _mm512_add_epi64(MUL(a[0], r[3]), MUL(a[1], r[2])),
      _mm512_add_epi64(_mm512_add_epi64(MUL(a[2], r[1]), MUL(a[3], r[0])), MUL(a[4], s[4])));
  __m512i d4 = _mm512_add_epi64(
      _mm512_add_epi64(MUL(a[0], r[4]), MUL(a[1], r[3])),
      _mm512_add_epi64(_mm512_add_epi64(MUL(a[2], r[2]), MUL(a[3], r[1])), MUL(a[4], r[0])));
#undef MUL
  __m512i c;
  c = _mm512_srli_epi64(d0, 26); d0 = _mm512_and_si512(d0, m26); d1 = _mm512_add_epi64(d1, c);
  c = _mm512_srli_epi64(d3, 26); d3 = _mm512_and_si512(d3, m26); d4 = _mm512_add_epi64(d4, c);
  c = _mm512_srli_epi64(d1, 26); d1 = _mm512_and_si512(d1, m26); d2 = _mm512_add_epi64(d2, c);
  c = _mm512_srli_epi64(d4, 26); d4 = _mm512_and_si512(d4, m26);
  d0 = _mm512_add_epi64(d0, _mm512_add_epi64(c, _mm512_slli_epi64(c, 2)));
  c = _mm512_srli_epi64(d2, 26); d2 = _mm512_and_si512(d2, m26); d3 = _mm512_add_epi64(d3, c);
  c = _mm512_srli_epi64(d0, 26); d0 = _mm512_and_si512(d0, m26); d1 = _mm512_add_epi64(d1, c);
  c = _mm512_srli_epi64(d3, 26); d3 = _mm512_and_si512(d3, m26); d4 = _mm512_add_epi64(d4, c);
  a[0] = d0; a[1] = d1; a[2] = d2; a[3] = d3; a[4] = d4;
}

/* Starts a run: h enters lane 0; r^8 broadcast. */
ALWAYS_INLINE void vp_start(vpoly8 *p, cc_state *st) {
  uint64_t h[3] = {st->h[0], st->h[1], st->h[2]};
  uint32_t l[5];
  cc_poly_carry(h);
  cc_to26(h, l);
  for (int i = 0; i < 5; i++) {
    p->a[i] = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, l[i]);
    p->r[i] = _mm512_set1_epi64(st->u.rpow[i][0]); /* r^8 */
    p->s[i] = _mm512_set1_epi64(5 * (uint64_t)st->u.rpow[i][0]);
  }
  p->started = 0;
}

/* One group of 8 blocks (128 bytes): A = A * r^8 + M. */
ALWAYS_INLINE void vp_step(vpoly8 *p, const uint8_t *m) {
  const __m512i m26 = _mm512_set1_epi64((long long)CC_M26);
  const __m512i idx_lo = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i idx_hi = _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1);
  __m512i x0 = _mm512_loadu_si512((const void *)m);
  __m512i x1 = _mm512_loadu_si512((const void *)(m + 64));
  __m512i lo = _mm512_permutex2var_epi64(x0, idx_lo, x1); /* bytes 0..7 of each block */
  __m512i hi = _mm512_permutex2var_epi64(x0, idx_hi, x1); /* bytes 8..15 */
  __m512i m0 = _mm512_and_si512(lo, m26);
  __m512i m1 = _mm512_and_si512(_mm512_srli_epi64(lo, 26), m26);
  __m512i m2 = _mm512_and_si512(
      _mm512_or_si512(_mm512_srli_epi64(lo, 52), _mm512_slli_epi64(hi, 12)), m26);
  __m512i m3 = _mm512_and_si512(_mm512_srli_epi64(hi, 14), m26);
  __m512i m4 = _mm512_or_si512(_mm512_srli_epi64(hi, 40), _mm512_set1_epi64(1 << 24));
  if (p->started) vp_mul(p->a, p->r, p->s);
  p->started = 1;
  p->a[0] = _mm512_add_epi64(p->a[0], m0);
  p->a[1] = _mm512_add_epi64(p->a[1], m1);
  p->a[2] = _mm512_add_epi64(p->a[2], m2);
  p->a[3] = _mm512_add_epi64(p->a[3], m3);
  p->a[4] = _mm512_add_epi64(p->a[4], m4);
}

/* Ends a run: lane j times r^(8-j), lanes summed, back into st->h. */
ALWAYS_INLINE void vp_end(vpoly8 *p, cc_state *st) {
  if (!p->started) return;
  __m512i r[5], s[5];
  for (int i = 0; i < 5; i++) { /* lane j: r^(8-j) */
    r[i] = _mm512_cvtepu32_epi64(_mm256_loadu_si256((const __m256i *)st->u.rpow[i]));
    s[i] = _mm512_add_epi64(r[i], _mm512_slli_epi64(r[i], 2));
  }
  vp_mul(p->a, r, s);
  uint64_t l[5];
  for (int i = 0; i < 5; i++) l[i] = (uint64_t)_mm512_reduce_add_epi64(p->a[i]);
  cc_from26(l, st->h);
  p->started = 0;
}

/* ---------------------------------------------------------------- ChaCha20, 16 lanes */

/* in XOR key stream block -> out, n <= 64 bytes (masked for a partial block). */
ALWAYS_INLINE void xor_block(const uint8_t *in, uint8_t *out, size_t n, __m512i ks) {
  __mmask64 m = n == 64 ? ~(__mmask64)0 : (((__mmask64)1) << n) - 1;
  __m512i v = _mm512_maskz_loadu_epi8(m, in);
  _mm512_mask_storeu_epi8(out, m, _mm512_xor_si512(v, ks));
}


#define ROL(v, n) _mm512_rol_epi32(v, n)
#define VQR(a, b, c, d)                                      \
  do {                                                       \
    x[a] = _mm512_add_epi32(x[a], x[b]);                     \
    x[d] = ROL(_mm512_xor_si512(x[d], x[a]), 16);            \
    x[c] = _mm512_add_epi32(x[c], x[d]);                     \
    x[b] = ROL(_mm512_xor_si512(x[b], x[c]), 12);            \
    x[a] = _mm512_add_epi32(x[a], x[b]);                     \
    x[d] = ROL(_mm512_xor_si512(x[d], x[a]), 8);             \
    x[c] = _mm512_add_epi32(x[c], x[d]);                     \
    x[b] = ROL(_mm512_xor_si512(x[b], x[c]), 7);             \
  } while (0)

/* Interleaves the four quarter rounds of a column (or diagonal) round step by step. */
#define VQR4(a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2, a3, b3, c3, d3)          \
  do {                                                                                \
    x[a0] = _mm512_add_epi32(x[a0], x[b0]); x[a1] = _mm512_add_epi32(x[a1], x[b1]);   \
    x[a2] = _mm512_add_epi32(x[a2], x[b2]); x[a3] = _mm512_add_epi32(x[a3], x[b3]);   \
    x[d0] = ROL(_mm512_xor_si512(x[d0], x[a0]), 16);                                  \
    x[d1] = ROL(_mm512_xor_si512(x[d1], x[a1]), 16);                                  \
    x[d2] = ROL(_mm512_xor_si512(x[d2], x[a2]), 16);                                  \
    x[d3] = ROL(_mm512_xor_si512(x[d3], x[a3]), 16);                                  \
    x[c0] = _mm512_add_epi32(x[c0], x[d0]); x[c1] = _mm512_add_epi32(x[c1], x[d1]);   \
    x[c2] = _mm512_add_epi32(x[c2], x[d2]); x[c3] = _mm512_add_epi32(x[c3], x[d3]);   \
    x[b0] = ROL(_mm512_xor_si512(x[b0], x[c0]), 12);                                  \
    x[b1] = ROL(_mm512_xor_si512(x[b1], x[c1]), 12);                                  \
    x[b2] = ROL(_mm512_xor_si512(x[b2], x[c2]), 12);                                  \
    x[b3] = ROL(_mm512_xor_si512(x[b3], x[c3]), 12);                                  \
    x[a0] = _mm512_add_epi32(x[a0], x[b0]); x[a1] = _mm512_add_epi32(x[a1], x[b1]);   \
    x[a2] = _mm512_add_epi32(x[a2], x[b2]); x[a3] = _mm512_add_epi32(x[a3], x[b3]);   \
    x[d0] = ROL(_mm512_xor_si512(x[d0], x[a0]), 8);                                   \
    x[d1] = ROL(_mm512_xor_si512(x[d1], x[a1]), 8);                                   \
    x[d2] = ROL(_mm512_xor_si512(x[d2], x[a2]), 8);                                   \
    x[d3] = ROL(_mm512_xor_si512(x[d3], x[a3]), 8);                                   \
    x[c0] = _mm512_add_epi32(x[c0], x[d0]); x[c1] = _mm512_add_epi32(x[c1], x[d1]);   \
    x[c2] = _mm512_add_epi32(x[c2], x[d2]); x[c3] = _mm512_add_epi32(x[c3], x[d3]);   \
    x[b0] = ROL(_mm512_xor_si512(x[b0], x[c0]), 7);                                   \
    x[b1] = ROL(_mm512_xor_si512(x[b1], x[c1]), 7);                                   \
    x[b2] = ROL(_mm512_xor_si512(x[b2], x[c2]), 7);                                   \
    x[b3] = ROL(_mm512_xor_si512(x[b3], x[c3]), 7);                                   \
  } while (0)

/* 16 blocks: key stream XOR in -> out, len bytes (1024 in the bulk loop; less for a
 * tail, with masked loads and stores). When mac is not NULL, the 1 KiB at mac goes
 * through Poly1305 between the rounds (it is read before out is written). */
/* One double round of a single block kept by rows (xmm), for block 0 in chacha16. */
#define ROWS_DR(a, b, c, d)                                                   \
  do {                                                                        \
    a = _mm_add_epi32(a, b); d = _mm_rol_epi32(_mm_xor_si128(d, a), 16);      \
    c = _mm_add_epi32(c, d); b = _mm_rol_epi32(_mm_xor_si128(b, c), 12);      \
    a = _mm_add_epi32(a, b); d = _mm_rol_epi32(_mm_xor_si128(d, a), 8);       \
    c = _mm_add_epi32(c, d); b = _mm_rol_epi32(_mm_xor_si128(b, c), 7);       \
    b = _mm_shuffle_epi32(b, 0x39);                                           \
    c = _mm_shuffle_epi32(c, 0x4e);                                           \
    d = _mm_shuffle_epi32(d, 0x93);                                           \
    a = _mm_add_epi32(a, b); d = _mm_rol_epi32(_mm_xor_si128(d, a), 16);      \
    c = _mm_add_epi32(c, d); b = _mm_rol_epi32(_mm_xor_si128(b, c), 12);      \
    a = _mm_add_epi32(a, b); d = _mm_rol_epi32(_mm_xor_si128(d, a), 8);       \
    c = _mm_add_epi32(c, d); b = _mm_rol_epi32(_mm_xor_si128(b, c), 7);       \
    b = _mm_shuffle_epi32(b, 0x93);                                           \
    c = _mm_shuffle_epi32(c, 0x4e);                                           \
    d = _mm_shuffle_epi32(d, 0x39);                                           \
  } while (0)

/* 16 blocks: key stream XOR in -> out, len bytes (1024 in the bulk loop; less for a
 * tail, with masked loads and stores). When mac is not NULL, the 1 KiB at mac goes
 * through Poly1305 between the rounds (it is read before out is written). When otk is
 * not NULL, block 0 is computed alongside (a single latency-bound chain that hides in
 * the throughput-bound pass) and its first 32 bytes, the Poly1305 key, go to otk. */
ALWAYS_INLINE void chacha16(const cc_key *k, uint32_t counter, const uint32_t nonce[3],
                            const uint8_t *in, uint8_t *out, size_t len, const uint8_t *mac,
                            vpoly8 *p, uint8_t *otk) {
  __m128i ra = _mm_setzero_si128(), rb = ra, rc = ra, rd = ra;
  if (otk) {
    ra = _mm_set_epi32(0x6b206574, 0x79622d32, 0x3320646e, 0x61707865);
    rb = _mm_loadu_si128((const __m128i *)k->key);
    rc = _mm_loadu_si128((const __m128i *)(k->key + 4));
    rd = _mm_set_epi32((int)nonce[2], (int)nonce[1], (int)nonce[0], 0);
  }
  const __m128i ra0 = ra, rb0 = rb;
  __m512i x[16];
  x[0] = _mm512_set1_epi32(0x61707865);
  x[1] = _mm512_set1_epi32(0x3320646e);
  x[2] = _mm512_set1_epi32(0x79622d32);
  x[3] = _mm512_set1_epi32(0x6b206574);
  for (int i = 0; i < 8; i++) x[4 + i] = _mm512_set1_epi32((int)k->key[i]);
  const __m512i ctr = _mm512_add_epi32(
      _mm512_set1_epi32((int)counter),
      _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
  x[12] = ctr;
  x[13] = _mm512_set1_epi32((int)nonce[0]);
  x[14] = _mm512_set1_epi32((int)nonce[1]);
  x[15] = _mm512_set1_epi32((int)nonce[2]);

  for (int i = 0; i < 10; i++) {
    VQR4(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    if (mac && i < 8) vp_step(p, mac + 128 * i);
    if (otk) ROWS_DR(ra, rb, rc, rd);
    VQR4(0, 5, 10, 15, 1, 6, 11, 12, 2, 7, 8, 13, 3, 4, 9, 14);
  }
  if (otk) {
    _mm_storeu_si128((__m128i *)otk, _mm_add_epi32(ra, ra0));
    _mm_storeu_si128((__m128i *)(otk + 16), _mm_add_epi32(rb, rb0));
  }

  /* feed-forward (2.3) */
  x[0] = _mm512_add_epi32(x[0], _mm512_set1_epi32(0x61707865));
  x[1] = _mm512_add_epi32(x[1], _mm512_set1_epi32(0x3320646e));
  x[2] = _mm512_add_epi32(x[2], _mm512_set1_epi32(0x79622d32));
  x[3] = _mm512_add_epi32(x[3], _mm512_set1_epi32(0x6b206574));
  for (int i = 0; i < 8; i++)
    x[4 + i] = _mm512_add_epi32(x[4 + i], _mm512_set1_epi32((int)k->key[i]));
  x[12] = _mm512_add_epi32(x[12], ctr);
  x[13] = _mm512_add_epi32(x[13], _mm512_set1_epi32((int)nonce[0]));
  x[14] = _mm512_add_epi32(x[14], _mm512_set1_epi32((int)nonce[1]));
  x[15] = _mm512_add_epi32(x[15], _mm512_set1_epi32((int)nonce[2]));

  /* transpose: first words 4g..4g+3 of each block into 128-bit lanes */
  __m512i y[16];
  for (int g = 0; g < 4; g++) {
    __m512i t0 = _mm512_unpacklo_epi32(x[4 * g], x[4 * g + 1]);
    __m512i t1 = _mm512_unpackhi_epi32(x[4 * g], x[4 * g + 1]);
    __m512i t2 = _mm512_unpacklo_epi32(x[4 * g + 2], x[4 * g + 3]);
    __m512i t3 = _mm512_unpackhi_epi32(x[4 * g + 2], x[4 * g + 3]);
    /* y[4g+b], lane l: words 4g..4g+3 of block 4l+b */
    y[4 * g + 0] = _mm512_unpacklo_epi64(t0, t2);
    y[4 * g + 1] = _mm512_unpackhi_epi64(t0, t2);
    y[4 * g + 2] = _mm512_unpacklo_epi64(t1, t3);
    y[4 * g + 3] = _mm512_unpackhi_epi64(t1, t3);
  }
  for (int b = 0; b < 4; b++) {
    __m512i u0 = _mm512_shuffle_i32x4(y[b], y[4 + b], 0x44);
    __m512i u1 = _mm512_shuffle_i32x4(y[b], y[4 + b], 0xee);
    __m512i u2 = _mm512_shuffle_i32x4(y[8 + b], y[12 + b], 0x44);
    __m512i u3 = _mm512_shuffle_i32x4(y[8 + b], y[12 + b], 0xee);
    __m512i blk[4] = {_mm512_shuffle_i32x4(u0, u2, 0x88), _mm512_shuffle_i32x4(u0, u2, 0xdd),
                      _mm512_shuffle_i32x4(u1, u3, 0x88), _mm512_shuffle_i32x4(u1, u3, 0xdd)};
    for (int l = 0; l < 4; l++) {
      size_t off = 64 * (size_t)(4 * l + b);
      if (len >= 1024) {
        __m512i v = _mm512_loadu_si512((const void *)(in + off));
        _mm512_storeu_si512((void *)(out + off), _mm512_xor_si512(v, blk[l]));
      } else if (off < len) {
        xor_block(in + off, out + off, len - off < 64 ? len - off : 64, blk[l]);
      }
    }
  }
}

/* ---------------------------------------------------------------- ChaCha20, rows */

/* Four consecutive key stream blocks from `counter`, one per register. */
ALWAYS_INLINE void rows4(const cc_key *k, const uint32_t nonce[3], uint32_t counter,
                         __m512i blk[4]) {
  const __m512i a0 = _mm512_broadcast_i32x4(
      _mm_set_epi32(0x6b206574, 0x79622d32, 0x3320646e, 0x61707865));
  const __m512i b0 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)k->key));
  const __m512i c0 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(k->key + 4)));
  const __m512i d0 = _mm512_add_epi32(
      _mm512_broadcast_i32x4(
          _mm_set_epi32((int)nonce[2], (int)nonce[1], (int)nonce[0], (int)counter)),
      _mm512_set_epi32(0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0));
  __m512i a = a0, b = b0, c = c0, d = d0;
  for (int i = 0; i < 10; i++) {
    a = _mm512_add_epi32(a, b); d = ROL(_mm512_xor_si512(d, a), 16);
    c = _mm512_add_epi32(c, d); b = ROL(_mm512_xor_si512(b, c), 12);
    a = _mm512_add_epi32(a, b); d = ROL(_mm512_xor_si512(d, a), 8);
    c = _mm512_add_epi32(c, d); b = ROL(_mm512_xor_si512(b, c), 7);
    b = _mm512_shuffle_epi32(b, (_MM_PERM_ENUM)0x39); /* diagonals into columns */
    c = _mm512_shuffle_epi32(c, (_MM_PERM_ENUM)0x4e);
    d = _mm512_shuffle_epi32(d, (_MM_PERM_ENUM)0x93);
    a = _mm512_add_epi32(a, b); d = ROL(_mm512_xor_si512(d, a), 16);
    c = _mm512_add_epi32(c, d); b = ROL(_mm512_xor_si512(b, c), 12);
    a = _mm512_add_epi32(a, b); d = ROL(_mm512_xor_si512(d, a), 8);
    c = _mm512_add_epi32(c, d); b = ROL(_mm512_xor_si512(b, c), 7);
    b = _mm512_shuffle_epi32(b, (_MM_PERM_ENUM)0x93);
    c = _mm512_shuffle_epi32(c, (_MM_PERM_ENUM)0x4e);
    d = _mm512_shuffle_epi32(d, (_MM_PERM_ENUM)0x39);
  }
  a = _mm512_add_epi32(a, a0);
  b = _mm512_add_epi32(b, b0);
  c = _mm512_add_epi32(c, c0);
  d = _mm512_add_epi32(d, d0);
  /* lane l of a, b, c, d = block l: a 4x4 transpose of 128-bit lanes */
  __m512i u0 = _mm512_shuffle_i32x4(a, b, 0x44), u1 = _mm512_shuffle_i32x4(a, b, 0xee);
  __m512i u2 = _mm512_shuffle_i32x4(c, d, 0x44), u3 = _mm512_shuffle_i32x4(c, d, 0xee);
  blk[0] = _mm512_shuffle_i32x4(u0, u2, 0x88);
  blk[1] = _mm512_shuffle_i32x4(u0, u2, 0xdd);
  blk[2] = _mm512_shuffle_i32x4(u1, u3, 0x88);
  blk[3] = _mm512_shuffle_i32x4(u1, u3, 0xdd);
}

/* XORs len bytes with the key stream from st->counter on: up to 256 bytes by rows (one
 * latency-bound pass), more with a partial 16-block pass (throughput-bound). */
static void chacha_rows(const cc_key *k, cc_state *st, const uint8_t *in, uint8_t *out,
                        size_t len) {
  while (len > 256) {
    size_t n = len < 1024 ? len : 1024;
    chacha16(k, st->counter, st->nonce, in, out, n, NULL, NULL, NULL);
    st->counter += (uint32_t)((n + 63) / 64);
    in += n;
    out += n;
    len -= n;
  }
  while (len) {
    __m512i blk[4];
    rows4(k, st->nonce, st->counter, blk);
    for (int l = 0; l < 4 && len; l++) {
      size_t n = len < 64 ? len : 64;
      xor_block(in, out, n, blk[l]);
      st->counter++;
      in += n;
      out += n;
      len -= n;
    }
  }
}

/* RFC 8439 2.8: blocks 0..3 in one pass; block 0 gives the Poly1305 key (2.6), blocks
 * 1..3 wait in ks_cache for a short first piece. */
static void begin_now(const cc_key *k, cc_state *st, const uint8_t *aad, size_t aad_len) {
  __m512i blk[4];
  rows4(k, st->nonce, 0, blk);
  _Alignas(64) uint8_t otk[64];
  _mm512_store_si512((void *)otk, blk[0]);
  for (int i = 0; i < 3; i++) _mm512_storeu_si512((void *)(st->u.ks_cache + 64 * i), blk[i + 1]);
  st->cached = sizeof st->u.ks_cache;
  cc_begin_keys(st, otk, aad, aad_len);
  ta_wipe(otk, sizeof otk);
}

/* With an AAD of up to 64 bytes (TLS: 13 or 5) block 0 waits for the first piece: a long
 * one makes it inside its first 16-block pass, a short one by begin_now. */
static void avx512_begin(const void *ks, void *stv, const uint8_t nonce[12],
                         const uint8_t *aad, size_t aad_len) {
  cc_state *st = (cc_state *)stv;
  cc_begin_nonce(st, nonce);
  if (aad_len <= sizeof st->aad_buf) {
    if (aad_len) memcpy(st->aad_buf, aad, aad_len);
    st->aad_len = aad_len;
    st->deferred = 1;
    return;
  }
  begin_now((const cc_key *)ks, st, aad, aad_len);
}

static void undefer(const cc_key *k, cc_state *st) {
  st->deferred = 0;
  begin_now(k, st, st->aad_buf, (size_t)st->aad_len);
}

static void avx512_finish(const void *ks, void *stv, uint8_t tag[16]) {
  cc_state *st = (cc_state *)stv;
  if (st->deferred) undefer((const cc_key *)ks, st);
  cc_finish(ks, stv, tag);
}

/* A first piece that the cached key stream covers. */
static void crypt_cached(cc_state *st, int encrypt, const uint8_t *in, uint8_t *out,
                         size_t len) {
  if (!encrypt) cc_poly_padded(st, in, len);
  for (size_t off = 0; off < len; off += 64) {
    size_t n = len - off < 64 ? len - off : 64;
    xor_block(in + off, out + off, n, _mm512_loadu_si512((const void *)(st->u.ks_cache + off)));
    st->counter++;
  }
  if (encrypt) cc_poly_padded(st, out, len);
}

/* ---------------------------------------------------------------- the kernel */

/* MACs len bytes (+ pad16): whole 128-byte groups through the run p, the rest scalar. */
static inline void mac_tail(cc_state *st, vpoly8 *p, const uint8_t *m, size_t len) {
  size_t groups = len / 128;
  for (size_t g = 0; g < groups; g++) vp_step(p, m + 128 * g);
  vp_end(p, st);
  cc_poly_padded(st, m + 128 * groups, len - 128 * groups);
}

static void avx512_crypt(const void *ks, void *stv, int encrypt, const uint8_t *in,
                         uint8_t *out, size_t len) {
  const cc_key *k = (const cc_key *)ks;
  cc_state *st = (cc_state *)stv;
  if (len == 0) return;
  st->ct_len += len;
  vpoly8 p;
  const uint8_t *pending = NULL; /* sealing: ciphertext of the last pass, not yet MACed */
  if (st->deferred) {
    if (len <= sizeof st->u.ks_cache) {
      undefer(k, st); /* one rows pass: block 0 and the key stream for this piece */
    } else {
      /* first pass: blocks 1..16 (or fewer) with block 0 alongside; the pass is MACed
       * once r is known, from a copy when opening (in place overwrites the input) */
      size_t n = len < 1024 ? len : 1024;
      _Alignas(64) uint8_t otk[32], first[1024];
      const uint8_t *mac = encrypt ? out : in;
      if (!encrypt && in == out) {
        memcpy(first, in, n);
        mac = first;
      }
      chacha16(k, 1, st->nonce, in, out, n, NULL, NULL, otk);
      st->deferred = 0;
      cc_begin_keys(st, otk, st->aad_buf, (size_t)st->aad_len);
      ta_wipe(otk, sizeof otk);
      st->counter = 1 + (uint32_t)((n + 63) / 64);
      cc_poly_powers(st);
      vp_start(&p, st);
      if (n < 1024) { /* the whole piece */
        mac_tail(st, &p, mac, n);
        return;
      }
      if (encrypt)
        pending = out;
      else
        for (int g = 0; g < 8; g++) vp_step(&p, mac + 128 * g);
      in += 1024;
      out += 1024;
      len -= 1024;
      goto bulk;
    }
  }
  uint32_t cached = st->cached;
  st->cached = 0; /* only the first piece may use it; the room is the powers' after */
  if (cached && len <= cached) {
    crypt_cached(st, encrypt, in, out, len);
    ta_wipe(st->u.ks_cache, sizeof st->u.ks_cache);
    return;
  }
  if (len < 256) { /* too short for the vector Poly1305 to pay off */
    if (!encrypt) cc_poly_padded(st, in, len);
    chacha_rows(k, st, in, out, len);
    if (encrypt) cc_poly_padded(st, out, len);
    return;
  }
  if (!st->have_powers) cc_poly_powers(st);
  vp_start(&p, st);
bulk:
  while (len >= 1024) {
    chacha16(k, st->counter, st->nonce, in, out, 1024, encrypt ? pending : in, &p, NULL);
    st->counter += 16;
    pending = out;
    in += 1024;
    out += 1024;
    len -= 1024;
  }
  if (encrypt) {
    if (pending)
      for (int g = 0; g < 8; g++) vp_step(&p, pending + 128 * g);
    chacha_rows(k, st, in, out, len);
    mac_tail(st, &p, out, len);
  } else {
    mac_tail(st, &p, in, len);
    chacha_rows(k, st, in, out, len);
  }
}

const ta_aead_kernel ta_chacha_avx512 = {
    .name = "avx512",
    .algs = TA_ALG_BIT(TA_CHACHA20_POLY1305),
    /* BMI2 too: the file is built with -mbmi2 and gcc uses rorx/shrx in the scalar parts */
    .needs = TA_CPU_AVX512F | TA_CPU_AVX512VL | TA_CPU_AVX512BW | TA_CPU_AVX2 | TA_CPU_BMI2,
    .key_state_size = sizeof(cc_key),
    .setup = cc_setup,
    .begin = avx512_begin,
    .crypt = avx512_crypt,
    .finish = avx512_finish,
};
