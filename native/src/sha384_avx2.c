/*
 * sha384_avx2.c - the SHA-512 compression function (FIPS 180-4 6.4.2) for SHA-384, with
 * the message schedule in AVX2 and the rounds in general registers (rorx from BMI2).
 *
 * The rounds are a serial chain on 64-bit integers that vectors cannot speed up; the
 * schedule (6.4.2 step 1) is independent work. Four words at a time in a ymm register:
 *   W[t..t+3] = s1(W[t-2..t+1]) + W[t-7..t-4] + s0(W[t-15..t-12]) + W[t-16..t-13]
 * where the s1 terms of W[t+2], W[t+3] need W[t], W[t+1] of the same group, so the group
 * is finished in two halves. W + K goes to a small array the rounds read; each 8-round
 * step computes the two groups needed 16 rounds later, so the vector ports work while the
 * scalar ports run the rounds.
 */
#include "internal.h"

#include <immintrin.h>

extern const uint64_t ta_sha512_k[80]; /* sha384_portable.c */

#define ROR(x, n) (((x) >> (n)) | ((x) << (64 - (n))))

/* FIPS 180-4 4.1.3 and 6.4.2 step 3; renaming the variables replaces the shuffle. */
#define ROUND(a, b, c, d, e, f, g, h, wk)                                             \
  do {                                                                                \
    uint64_t t1 = h + (ROR(e, 14) ^ ROR(e, 18) ^ ROR(e, 41)) + (g ^ (e & (f ^ g))) + (wk); \
    uint64_t t2 = (ROR(a, 28) ^ ROR(a, 34) ^ ROR(a, 39)) + ((a & b) | (c & (a | b)));   \
    d += t1;                                                                          \
    h = t1 + t2;                                                                      \
  } while (0)

#define VROR(x, n) _mm256_or_si256(_mm256_srli_epi64(x, n), _mm256_slli_epi64(x, 64 - (n)))
#define SSIG0(x) _mm256_xor_si256(_mm256_xor_si256(VROR(x, 1), VROR(x, 8)), _mm256_srli_epi64(x, 7))
#define SSIG1(x) _mm256_xor_si256(_mm256_xor_si256(VROR(x, 19), VROR(x, 61)), _mm256_srli_epi64(x, 6))

/* The next four words from the last sixteen (x0 oldest). */
static inline __attribute__((always_inline)) __m256i schedule(__m256i x0, __m256i x1,
                                                              __m256i x2, __m256i x3) {
  /* W[t-15..t-12] = x0[1..3], x1[0]; W[t-7..t-4] = x2[1..3], x3[0] */
  __m256i w15 = _mm256_permute4x64_epi64(_mm256_blend_epi32(x0, x1, 0x03), 0x39);
  __m256i w7 = _mm256_permute4x64_epi64(_mm256_blend_epi32(x2, x3, 0x03), 0x39);
  __m256i t = _mm256_add_epi64(_mm256_add_epi64(x0, SSIG0(w15)), w7);
  /* lanes 0, 1: s1 of W[t-2], W[t-1] = x3[2], x3[3] */
  __m256i w2 = _mm256_permute4x64_epi64(x3, 0xee);
  __m256i lo = _mm256_add_epi64(t, SSIG1(w2));
  /* lanes 2, 3: s1 of W[t], W[t+1], just made in lanes 0, 1 */
  __m256i w0 = _mm256_permute4x64_epi64(lo, 0x44);
  __m256i hi = _mm256_add_epi64(t, SSIG1(w0));
  return _mm256_blend_epi32(lo, hi, 0xf0);
}

static void sha512_compress_avx2(void *state, const uint8_t *blocks, size_t nblocks) {
  uint64_t *hs = (uint64_t *)state;
  _Alignas(32) uint64_t wk[80];
  const __m256i bswap = _mm256_set_epi8(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7,
                                        8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i *kv = (const __m256i *)ta_sha512_k;
  while (nblocks--) {
    __m256i x[4];
    for (int i = 0; i < 4; i++) {
      x[i] = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)(blocks + 32 * i)), bswap);
      _mm256_store_si256((__m256i *)(wk + 4 * i),
                         _mm256_add_epi64(x[i], _mm256_loadu_si256(kv + i)));
    }
    uint64_t a = hs[0], b = hs[1], c = hs[2], d = hs[3];
    uint64_t e = hs[4], f = hs[5], g = hs[6], h = hs[7];
    for (int j = 0; j < 10; j++) {
      /* groups 2j+4 and 2j+5 of W, needed from round 8j+16 on */
      for (int q = 0; q < 2; q++) {
        int grp = 2 * j + 4 + q;
        if (grp < 20) {
          __m256i n = schedule(x[0], x[1], x[2], x[3]);
          x[0] = x[1];
          x[1] = x[2];
          x[2] = x[3];
          x[3] = n;
          _mm256_store_si256((__m256i *)(wk + 4 * grp),
                             _mm256_add_epi64(n, _mm256_loadu_si256(kv + grp)));
        }
      }
      const uint64_t *w = wk + 8 * j;
      ROUND(a, b, c, d, e, f, g, h, w[0]);
      ROUND(h, a, b, c, d, e, f, g, w[1]);
      ROUND(g, h, a, b, c, d, e, f, w[2]);
      ROUND(f, g, h, a, b, c, d, e, w[3]);
      ROUND(e, f, g, h, a, b, c, d, w[4]);
      ROUND(d, e, f, g, h, a, b, c, w[5]);
      ROUND(c, d, e, f, g, h, a, b, w[6]);
      ROUND(b, c, d, e, f, g, h, a, w[7]);
    }
    hs[0] += a; hs[1] += b; hs[2] += c; hs[3] += d;
    hs[4] += e; hs[5] += f; hs[6] += g; hs[7] += h;
    blocks += 128;
  }
  ta_wipe(wk, sizeof wk);
}

const ta_mac_kernel ta_sha384_avx2 = {
    .name = "avx2",
    .algs = TA_ALG_BIT(TA_HMAC_SHA384),
    .needs = TA_CPU_AVX2 | TA_CPU_BMI2,
    .compress = sha512_compress_avx2,
};
