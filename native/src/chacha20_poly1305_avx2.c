/*
 * chacha20_poly1305_avx2.c - ChaCha20-Poly1305 (RFC 8439) with AVX2.
 *
 * The same plan as chacha20_poly1305_avx512.c (read its header for the math), at half
 * the width:
 *  - ChaCha20 bulk: 8 blocks (512 bytes) per pass, ymm register i = state word i of the
 *    8 blocks; AVX2 has no rotate, so the 16- and 8-bit rotations are byte shuffles and
 *    the 12- and 7-bit ones shift/shift/or; an 8x8 transpose (unpack within 128-bit lanes,
 *    then vperm2i128) gives back the blocks.
 *  - ChaCha20 tail: up to 128 bytes by rows, 2 blocks per pass (one per 128-bit lane);
 *    longer tails by a partial 8-block pass.
 *  - Block 0 (the Poly1305 key) waits for the first piece when the AAD is short, and is
 *    then made with the first piece's key stream (see the AVX-512 kernel).
 *  - Poly1305: 4 lanes in radix 2^26, Horner with r^4; the message load leaves blocks
 *    0, 2, 1, 3 in lanes 0..3 (vpunpck*qdq works within 128-bit lanes), so the final
 *    multiply uses r^4, r^2, r^3, r^1 in that lane order.
 *  - The eight Poly1305 steps over a 512-byte pass sit between the ten double rounds.
 */
#include "chacha20_poly1305_common.h"

#include <immintrin.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* ---------------------------------------------------------------- Poly1305, 4 lanes */

typedef struct {
  __m256i a[5];
  __m256i r[5]; /* r^4 in every lane */
  __m256i s[5]; /* 5 r^4 */
  int started;
} vpoly4;

ALWAYS_INLINE void vp_mul(__m256i a[5], const __m256i r[5], const __m256i s[5]) {
  const __m256i m26 = _mm256_set1_epi64x((long long)CC_M26);
#define MUL(x, y) _mm256_mul_epu32(x, y)
  __m256i d0 = _mm256_add_epi64(
      _mm256_add_epi64(MUL(a[0], r[0]), MUL(a[1], s[4])),
      _mm256_add_epi64(_mm256_add_epi64(MUL(a[2], s[3]), MUL(a[3], s[2])), MUL(a[4], s[1])));
  __m256i d1 = _mm256_add_epi64(
      _mm256_add_epi64(MUL(a[0], r[1]), MUL(a[1], r[0])),
      _mm256_add_epi64(_mm256_add_epi64(MUL(a[2], s[4]), MUL(a[3], s[3])), MUL(a[4], s[2])));
  __m256i d2 = _mm256_add_epi64(
      _mm256_add_epi64(MUL(a[0], r[2]), MUL(a[1], r[1])),
      _mm256_add_epi64(_mm256_add_epi64(MUL(a[2], r[0]), MUL(a[3], s[4])), MUL(a[4], s[3])));
  __m256i d3 = _mm256_add_epi64(
      _mm256_add_epi64(MUL(a[0], r[3]), MUL(a[1], r[2])),
      _mm256_add_epi64(_mm256_add_epi64(MUL(a[2], r[1]), MUL(a[3], r[0])), MUL(a[4], s[4])));
  __m256i d4 = _mm256_add_epi64(
      _mm256_add_epi64(MUL(a[0], r[4]), MUL(a[1], r[3])),
      _mm256_add_epi64(_mm256_add_epi64(MUL(a[2], r[2]), MUL(a[3], r[1])), MUL(a[4], r[0])));
#undef MUL
  __m256i c;
  c = _mm256_srli_epi64(d0, 26); d0 = _mm256_and_si256(d0, m26); d1 = _mm256_add_epi64(d1, c);
  c = _mm256_srli_epi64(d3, 26); d3 = _mm256_and_si256(d3, m26); d4 = _mm256_add_epi64(d4, c);
  c = _mm256_srli_epi64(d1, 26); d1 = _mm256_and_si256(d1, m26); d2 = _mm256_add_epi64(d2, c);
  c = _mm256_srli_epi64(d4, 26); d4 = _mm256_and_si256(d4, m26);
  d0 = _mm256_add_epi64(d0, _mm256_add_epi64(c, _mm256_slli_epi64(c, 2)));
  c = _mm256_srli_epi64(d2, 26); d2 = _mm256_and_si256(d2, m26); d3 = _mm256_add_epi64(d3, c);
  c = _mm256_srli_epi64(d0, 26); d0 = _mm256_and_si256(d0, m26); d1 = _mm256_add_epi64(d1, c);
  c = _mm256_srli_epi64(d3, 26); d3 = _mm256_and_si256(d3, m26); d4 = _mm256_add_epi64(d4, c);
  a[0] = d0; a[1] = d1; a[2] = d2; a[3] = d3; a[4] = d4;
}

ALWAYS_INLINE void vp_start(vpoly4 *p, cc_state *st) {
  uint64_t h[3] = {st->h[0], st->h[1], st->h[2]};
  uint32_t l[5];
  cc_poly_carry(h);
  cc_to26(h, l);
  for (int i = 0; i < 5; i++) {
    p->a[i] = _mm256_set_epi64x(0, 0, 0, l[i]);
    p->r[i] = _mm256_set1_epi64x(st->u.rpow[i][4]); /* r^4 */
    p->s[i] = _mm256_set1_epi64x(5 * (long long)st->u.rpow[i][4]);
  }
  p->started = 0;
}

/* One group of 4 blocks (64 bytes), lanes = blocks 0, 2, 1, 3: A = A * r^4 + M. */
ALWAYS_INLINE void vp_step(vpoly4 *p, const uint8_t *m) {
  const __m256i m26 = _mm256_set1_epi64x((long long)CC_M26);
  __m256i x0 = _mm256_loadu_si256((const __m256i *)m);
  __m256i x1 = _mm256_loadu_si256((const __m256i *)(m + 32));
  __m256i lo = _mm256_unpacklo_epi64(x0, x1);
  __m256i hi = _mm256_unpackhi_epi64(x0, x1);
  __m256i m0 = _mm256_and_si256(lo, m26);
  __m256i m1 = _mm256_and_si256(_mm256_srli_epi64(lo, 26), m26);
  __m256i m2 = _mm256_and_si256(
      _mm256_or_si256(_mm256_srli_epi64(lo, 52), _mm256_slli_epi64(hi, 12)), m26);
  __m256i m3 = _mm256_and_si256(_mm256_srli_epi64(hi, 14), m26);
  __m256i m4 = _mm256_or_si256(_mm256_srli_epi64(hi, 40), _mm256_set1_epi64x(1 << 24));
  if (p->started) vp_mul(p->a, p->r, p->s);
  p->started = 1;
  p->a[0] = _mm256_add_epi64(p->a[0], m0);
  p->a[1] = _mm256_add_epi64(p->a[1], m1);
  p->a[2] = _mm256_add_epi64(p->a[2], m2);
  p->a[3] = _mm256_add_epi64(p->a[3], m3);
  p->a[4] = _mm256_add_epi64(p->a[4], m4);
}

ALWAYS_INLINE void vp_end(vpoly4 *p, cc_state *st) {
  if (!p->started) return;
  __m256i r[5], s[5];
  for (int i = 0; i < 5; i++) {
    /* lanes hold blocks 0, 2, 1, 3 -> r^4, r^2, r^3, r^1 from [r^4, r^3, r^2, r^1] */
    __m128i q = _mm_loadu_si128((const __m128i *)(st->u.rpow[i] + 4));
    r[i] = _mm256_cvtepu32_epi64(_mm_shuffle_epi32(q, 0xd8));
    s[i] = _mm256_add_epi64(r[i], _mm256_slli_epi64(r[i], 2));
  }
  vp_mul(p->a, r, s);
  uint64_t l[5];
  for (int i = 0; i < 5; i++) {
    __m128i v = _mm_add_epi64(_mm256_castsi256_si128(p->a[i]),
                              _mm256_extracti128_si256(p->a[i], 1));
    l[i] = (uint64_t)_mm_cvtsi128_si64(v) + (uint64_t)_mm_extract_epi64(v, 1);
  }
  cc_from26(l, st->h);
  p->started = 0;
}

/* ---------------------------------------------------------------- ChaCha20, 8 lanes */

ALWAYS_INLINE __m256i rol16(__m256i v) {
  return _mm256_shuffle_epi8(
      v, _mm256_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2, 13, 12, 15, 14,
                         9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2));
}
ALWAYS_INLINE __m256i rol8(__m256i v) {
  return _mm256_shuffle_epi8(
      v, _mm256_set_epi8(14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3, 14, 13, 12, 15,
                         10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3));
}
#define ROLN(v, n) _mm256_or_si256(_mm256_slli_epi32(v, n), _mm256_srli_epi32(v, 32 - (n)))

#define VQR4(a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2, a3, b3, c3, d3)          \
  do {                                                                                \
    x[a0] = _mm256_add_epi32(x[a0], x[b0]); x[a1] = _mm256_add_epi32(x[a1], x[b1]);   \
    x[a2] = _mm256_add_epi32(x[a2], x[b2]); x[a3] = _mm256_add_epi32(x[a3], x[b3]);   \
    x[d0] = rol16(_mm256_xor_si256(x[d0], x[a0]));                                    \
    x[d1] = rol16(_mm256_xor_si256(x[d1], x[a1]));                                    \
    x[d2] = rol16(_mm256_xor_si256(x[d2], x[a2]));                                    \
    x[d3] = rol16(_mm256_xor_si256(x[d3], x[a3]));                                    \
    x[c0] = _mm256_add_epi32(x[c0], x[d0]); x[c1] = _mm256_add_epi32(x[c1], x[d1]);   \
    x[c2] = _mm256_add_epi32(x[c2], x[d2]); x[c3] = _mm256_add_epi32(x[c3], x[d3]);   \
    x[b0] = _mm256_xor_si256(x[b0], x[c0]); x[b0] = ROLN(x[b0], 12);                  \
    x[b1] = _mm256_xor_si256(x[b1], x[c1]); x[b1] = ROLN(x[b1], 12);                  \
    x[b2] = _mm256_xor_si256(x[b2], x[c2]); x[b2] = ROLN(x[b2], 12);                  \
    x[b3] = _mm256_xor_si256(x[b3], x[c3]); x[b3] = ROLN(x[b3], 12);                  \
    x[a0] = _mm256_add_epi32(x[a0], x[b0]); x[a1] = _mm256_add_epi32(x[a1], x[b1]);   \
    x[a2] = _mm256_add_epi32(x[a2], x[b2]); x[a3] = _mm256_add_epi32(x[a3], x[b3]);   \
    x[d0] = rol8(_mm256_xor_si256(x[d0], x[a0]));                                     \
    x[d1] = rol8(_mm256_xor_si256(x[d1], x[a1]));                                     \
    x[d2] = rol8(_mm256_xor_si256(x[d2], x[a2]));                                     \
    x[d3] = rol8(_mm256_xor_si256(x[d3], x[a3]));                                     \
    x[c0] = _mm256_add_epi32(x[c0], x[d0]); x[c1] = _mm256_add_epi32(x[c1], x[d1]);   \
    x[c2] = _mm256_add_epi32(x[c2], x[d2]); x[c3] = _mm256_add_epi32(x[c3], x[d3]);   \
    x[b0] = _mm256_xor_si256(x[b0], x[c0]); x[b0] = ROLN(x[b0], 7);                   \
    x[b1] = _mm256_xor_si256(x[b1], x[c1]); x[b1] = ROLN(x[b1], 7);                   \
    x[b2] = _mm256_xor_si256(x[b2], x[c2]); x[b2] = ROLN(x[b2], 7);                   \
    x[b3] = _mm256_xor_si256(x[b3], x[c3]); x[b3] = ROLN(x[b3], 7);                   \
  } while (0)

/* in XOR key stream -> out for n < 32 bytes. */
static void xor_partial(const uint8_t *in, uint8_t *out, size_t n, __m256i ks) {
  _Alignas(32) uint8_t buf[32];
  _mm256_store_si256((__m256i *)buf, ks);
  for (size_t i = 0; i < n; i++) out[i] = in[i] ^ buf[i];
  ta_wipe(buf, sizeof buf);
}

/* 8 blocks: key stream XOR in -> out, len bytes (512 in the bulk loop, less for a tail);
 * the 512 bytes at mac (if not NULL) go through Poly1305 between the rounds, read before
 * out is written. */
ALWAYS_INLINE __m128i rol16x(__m128i v) {
  return _mm_shuffle_epi8(v, _mm_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2));
}
ALWAYS_INLINE __m128i rol8x(__m128i v) {
  return _mm_shuffle_epi8(v, _mm_set_epi8(14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3));
}
#define ROLX(v, n) _mm_or_si128(_mm_slli_epi32(v, n), _mm_srli_epi32(v, 32 - (n)))

/* One double round of a single block kept by rows (xmm), for block 0 in chacha8. */
#define ROWS_DR(a, b, c, d)                                                   \
  do {                                                                        \
    a = _mm_add_epi32(a, b); d = rol16x(_mm_xor_si128(d, a));                 \
    c = _mm_add_epi32(c, d); b = _mm_xor_si128(b, c); b = ROLX(b, 12);        \
    a = _mm_add_epi32(a, b); d = rol8x(_mm_xor_si128(d, a));                  \
    c = _mm_add_epi32(c, d); b = _mm_xor_si128(b, c); b = ROLX(b, 7);         \
    b = _mm_shuffle_epi32(b, 0x39);                                           \
    c = _mm_shuffle_epi32(c, 0x4e);                                           \
    d = _mm_shuffle_epi32(d, 0x93);                                           \
    a = _mm_add_epi32(a, b); d = rol16x(_mm_xor_si128(d, a));                 \
    c = _mm_add_epi32(c, d); b = _mm_xor_si128(b, c); b = ROLX(b, 12);        \
    a = _mm_add_epi32(a, b); d = rol8x(_mm_xor_si128(d, a));                  \
    c = _mm_add_epi32(c, d); b = _mm_xor_si128(b, c); b = ROLX(b, 7);         \
    b = _mm_shuffle_epi32(b, 0x93);                                           \
    c = _mm_shuffle_epi32(c, 0x4e);                                           \
    d = _mm_shuffle_epi32(d, 0x39);                                           \
  } while (0)

/* (otk: as in the AVX-512 kernel, block 0 runs alongside and its first 32 bytes, the
 * Poly1305 key, go to otk.) */
ALWAYS_INLINE void chacha8(const cc_key *k, uint32_t counter, const uint32_t nonce[3],
                           const uint8_t *in, uint8_t *out, size_t len, const uint8_t *mac,
                           vpoly4 *p, uint8_t *otk) {
  __m128i ra = _mm_setzero_si128(), rb = ra, rc = ra, rd = ra;
  if (otk) {
    ra = _mm_set_epi32(0x6b206574, 0x79622d32, 0x3320646e, 0x61707865);
    rb = _mm_loadu_si128((const __m128i *)k->key);
    rc = _mm_loadu_si128((const __m128i *)(k->key + 4));
    rd = _mm_set_epi32((int)nonce[2], (int)nonce[1], (int)nonce[0], 0);
  }
  const __m128i ra0 = ra, rb0 = rb;
  __m256i x[16];
  x[0] = _mm256_set1_epi32(0x61707865);
  x[1] = _mm256_set1_epi32(0x3320646e);
  x[2] = _mm256_set1_epi32(0x79622d32);
  x[3] = _mm256_set1_epi32(0x6b206574);
  for (int i = 0; i < 8; i++) x[4 + i] = _mm256_set1_epi32((int)k->key[i]);
  const __m256i ctr = _mm256_add_epi32(_mm256_set1_epi32((int)counter),
                                       _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0));
  x[12] = ctr;
  x[13] = _mm256_set1_epi32((int)nonce[0]);
  x[14] = _mm256_set1_epi32((int)nonce[1]);
  x[15] = _mm256_set1_epi32((int)nonce[2]);

  for (int i = 0; i < 10; i++) {
    VQR4(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    if (mac && i < 8) vp_step(p, mac + 64 * i);
    if (otk) ROWS_DR(ra, rb, rc, rd);
    VQR4(0, 5, 10, 15, 1, 6, 11, 12, 2, 7, 8, 13, 3, 4, 9, 14);
  }
  if (otk) {
    _mm_storeu_si128((__m128i *)otk, _mm_add_epi32(ra, ra0));
    _mm_storeu_si128((__m128i *)(otk + 16), _mm_add_epi32(rb, rb0));
  }

  x[0] = _mm256_add_epi32(x[0], _mm256_set1_epi32(0x61707865));
  x[1] = _mm256_add_epi32(x[1], _mm256_set1_epi32(0x3320646e));
  x[2] = _mm256_add_epi32(x[2], _mm256_set1_epi32(0x79622d32));
  x[3] = _mm256_add_epi32(x[3], _mm256_set1_epi32(0x6b206574));
  for (int i = 0; i < 8; i++)
    x[4 + i] = _mm256_add_epi32(x[4 + i], _mm256_set1_epi32((int)k->key[i]));
  x[12] = _mm256_add_epi32(x[12], ctr);
  x[13] = _mm256_add_epi32(x[13], _mm256_set1_epi32((int)nonce[0]));
  x[14] = _mm256_add_epi32(x[14], _mm256_set1_epi32((int)nonce[1]));
  x[15] = _mm256_add_epi32(x[15], _mm256_set1_epi32((int)nonce[2]));

  __m256i y[16];
  for (int g = 0; g < 4; g++) {
    __m256i t0 = _mm256_unpacklo_epi32(x[4 * g], x[4 * g + 1]);
    __m256i t1 = _mm256_unpackhi_epi32(x[4 * g], x[4 * g + 1]);
    __m256i t2 = _mm256_unpacklo_epi32(x[4 * g + 2], x[4 * g + 3]);
    __m256i t3 = _mm256_unpackhi_epi32(x[4 * g + 2], x[4 * g + 3]);
    /* y[4g+b], 128-bit lane l: words 4g..4g+3 of block 4l+b */
    y[4 * g + 0] = _mm256_unpacklo_epi64(t0, t2);
    y[4 * g + 1] = _mm256_unpackhi_epi64(t0, t2);
    y[4 * g + 2] = _mm256_unpacklo_epi64(t1, t3);
    y[4 * g + 3] = _mm256_unpackhi_epi64(t1, t3);
  }
  for (int b = 0; b < 4; b++) {
    __m256i blk[4] = {
        _mm256_permute2x128_si256(y[b], y[4 + b], 0x20),      /* block b, words 0..7 */
        _mm256_permute2x128_si256(y[8 + b], y[12 + b], 0x20), /* block b, words 8..15 */
        _mm256_permute2x128_si256(y[b], y[4 + b], 0x31),      /* block 4+b */
        _mm256_permute2x128_si256(y[8 + b], y[12 + b], 0x31)};
    for (int h = 0; h < 4; h++) {
      size_t off = 64 * (size_t)(b + 4 * (h >> 1)) + 32 * (size_t)(h & 1);
      if (len >= off + 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(in + off));
        _mm256_storeu_si256((__m256i *)(out + off), _mm256_xor_si256(v, blk[h]));
      } else if (len > off) {
        xor_partial(in + off, out + off, len - off, blk[h]);
      }
    }
  }
}

/* ---------------------------------------------------------------- ChaCha20, rows */

/* Two consecutive key stream blocks from `counter` into ks (128 bytes). */
ALWAYS_INLINE void rows2(const cc_key *k, const uint32_t nonce[3], uint32_t counter,
                         uint8_t ks[128]) {
  const __m256i a0 = _mm256_broadcastsi128_si256(
      _mm_set_epi32(0x6b206574, 0x79622d32, 0x3320646e, 0x61707865));
  const __m256i b0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)k->key));
  const __m256i c0 =
      _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(k->key + 4)));
  const __m256i d0 = _mm256_add_epi32(
      _mm256_broadcastsi128_si256(
          _mm_set_epi32((int)nonce[2], (int)nonce[1], (int)nonce[0], (int)counter)),
      _mm256_set_epi32(0, 0, 0, 1, 0, 0, 0, 0));
  __m256i a = a0, b = b0, c = c0, d = d0;
  for (int i = 0; i < 10; i++) {
    a = _mm256_add_epi32(a, b); d = rol16(_mm256_xor_si256(d, a));
    c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); b = ROLN(b, 12);
    a = _mm256_add_epi32(a, b); d = rol8(_mm256_xor_si256(d, a));
    c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); b = ROLN(b, 7);
    b = _mm256_shuffle_epi32(b, 0x39); /* diagonals into columns */
    c = _mm256_shuffle_epi32(c, 0x4e);
    d = _mm256_shuffle_epi32(d, 0x93);
    a = _mm256_add_epi32(a, b); d = rol16(_mm256_xor_si256(d, a));
    c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); b = ROLN(b, 12);
    a = _mm256_add_epi32(a, b); d = rol8(_mm256_xor_si256(d, a));
    c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); b = ROLN(b, 7);
    b = _mm256_shuffle_epi32(b, 0x93);
    c = _mm256_shuffle_epi32(c, 0x4e);
    d = _mm256_shuffle_epi32(d, 0x39);
  }
  a = _mm256_add_epi32(a, a0);
  b = _mm256_add_epi32(b, b0);
  c = _mm256_add_epi32(c, c0);
  d = _mm256_add_epi32(d, d0);
  _mm256_storeu_si256((__m256i *)ks, _mm256_permute2x128_si256(a, b, 0x20));
  _mm256_storeu_si256((__m256i *)(ks + 32), _mm256_permute2x128_si256(c, d, 0x20));
  _mm256_storeu_si256((__m256i *)(ks + 64), _mm256_permute2x128_si256(a, b, 0x31));
  _mm256_storeu_si256((__m256i *)(ks + 96), _mm256_permute2x128_si256(c, d, 0x31));
}

/* out = in XOR ks, n bytes. */
static inline void xor_bytes(const uint8_t *in, uint8_t *out, const uint8_t *ks, size_t n) {
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(in + i));
    _mm256_storeu_si256((__m256i *)(out + i),
                        _mm256_xor_si256(v, _mm256_loadu_si256((const __m256i *)(ks + i))));
  }
  for (; i < n; i++) out[i] = in[i] ^ ks[i];
}

/* XORs len bytes with the key stream from st->counter on: up to 128 bytes by rows (one
 * latency-bound pass), more with a partial 8-block pass (throughput-bound). */
static void chacha_rows(const cc_key *k, cc_state *st, const uint8_t *in, uint8_t *out,
                        size_t len) {
  while (len > 128) {
    size_t n = len < 512 ? len : 512;
    chacha8(k, st->counter, st->nonce, in, out, n, NULL, NULL, NULL);
    st->counter += (uint32_t)((n + 63) / 64);
    in += n;
    out += n;
    len -= n;
  }
  if (len) {
    _Alignas(32) uint8_t ks[128];
    rows2(k, st->nonce, st->counter, ks);
    xor_bytes(in, out, ks, len);
    ta_wipe(ks, sizeof ks);
    st->counter += (uint32_t)((len + 63) / 64);
  }
}

/* RFC 8439 2.8 with block 0 deferred when the AAD is short (see the AVX-512 kernel): a
 * first piece of up to 64 bytes gets blocks 0 and 1 from one rows pass, a longer one
 * makes block 0 inside its first 8-block pass. */
static void avx2_begin(const void *ks, void *stv, const uint8_t nonce[12],
                       const uint8_t *aad, size_t aad_len) {
  cc_state *st = (cc_state *)stv;
  if (aad_len > sizeof st->aad_buf) {
    cc_begin(ks, stv, nonce, aad, aad_len);
    return;
  }
  cc_begin_nonce(st, nonce);
  if (aad_len) memcpy(st->aad_buf, aad, aad_len);
  st->aad_len = aad_len;
  st->deferred = 1;
}

static void avx2_finish(const void *ks, void *stv, uint8_t tag[16]) {
  cc_state *st = (cc_state *)stv;
  if (st->deferred) {
    uint8_t otk[64];
    cc_block((const cc_key *)ks, 0, st->nonce, otk);
    st->deferred = 0;
    cc_begin_keys(st, otk, st->aad_buf, (size_t)st->aad_len);
    ta_wipe(otk, sizeof otk);
  }
  cc_finish(ks, stv, tag);
}

/* ---------------------------------------------------------------- the kernel */

static inline void mac_tail(cc_state *st, vpoly4 *p, const uint8_t *m, size_t len) {
  size_t groups = len / 64;
  for (size_t g = 0; g < groups; g++) vp_step(p, m + 64 * g);
  vp_end(p, st);
  cc_poly_padded(st, m + 64 * groups, len - 64 * groups);
}

static void avx2_crypt(const void *ks, void *stv, int encrypt, const uint8_t *in,
                       uint8_t *out, size_t len) {
  const cc_key *k = (const cc_key *)ks;
  cc_state *st = (cc_state *)stv;
  if (len == 0) return;
  st->ct_len += len;
  vpoly4 p;
  const uint8_t *pending = NULL; /* sealing: ciphertext of the last pass, not yet MACed */
  if (st->deferred) {
    st->deferred = 0;
    if (len <= 64) { /* blocks 0 and 1 in one rows pass */
      _Alignas(32) uint8_t ksb[128];
      rows2(k, st->nonce, 0, ksb);
      cc_begin_keys(st, ksb, st->aad_buf, (size_t)st->aad_len);
      st->counter = 2;
      if (!encrypt) cc_poly_padded(st, in, len);
      xor_bytes(in, out, ksb + 64, len);
      ta_wipe(ksb, sizeof ksb);
      if (encrypt) cc_poly_padded(st, out, len);
      return;
    }
    /* first pass: blocks 1..8 (or fewer) with block 0 alongside, MACed once r is known
     * (from a copy when opening: in place overwrites the input) */
    size_t n = len < 512 ? len : 512;
    _Alignas(32) uint8_t otk[32], first[512];
    const uint8_t *mac = encrypt ? out : in;
    if (!encrypt && in == out) {
      memcpy(first, in, n);
      mac = first;
    }
    chacha8(k, 1, st->nonce, in, out, n, NULL, NULL, otk);
    cc_begin_keys(st, otk, st->aad_buf, (size_t)st->aad_len);
    ta_wipe(otk, sizeof otk);
    st->counter = 1 + (uint32_t)((n + 63) / 64);
    cc_poly_powers(st);
    vp_start(&p, st);
    if (n < 512) {
      mac_tail(st, &p, mac, n);
      return;
    }
    if (encrypt)
      pending = out;
    else
      for (int g = 0; g < 8; g++) vp_step(&p, mac + 64 * g);
    in += 512;
    out += 512;
    len -= 512;
  } else {
    if (len < 256) {
      if (!encrypt) cc_poly_padded(st, in, len);
      chacha_rows(k, st, in, out, len);
      if (encrypt) cc_poly_padded(st, out, len);
      return;
    }
    if (!st->have_powers) cc_poly_powers(st);
    vp_start(&p, st);
  }
  while (len >= 512) {
    chacha8(k, st->counter, st->nonce, in, out, 512, encrypt ? pending : in, &p, NULL);
    st->counter += 8;
    pending = out;
    in += 512;
    out += 512;
    len -= 512;
  }
  if (encrypt) {
    if (pending)
      for (int g = 0; g < 8; g++) vp_step(&p, pending + 64 * g);
    chacha_rows(k, st, in, out, len);
    mac_tail(st, &p, out, len);
  } else {
    mac_tail(st, &p, in, len);
    chacha_rows(k, st, in, out, len);
  }
}

const ta_aead_kernel ta_chacha_avx2 = {
    .name = "avx2",
    .algs = TA_ALG_BIT(TA_CHACHA20_POLY1305),
    /* BMI2 too: the file is built with -mbmi2 and gcc uses rorx/shrx in the scalar parts */
    .needs = TA_CPU_AVX2 | TA_CPU_BMI2,
    .key_state_size = sizeof(cc_key),
    .setup = cc_setup,
    .begin = avx2_begin,
    .crypt = avx2_crypt,
    .finish = avx2_finish,
};
