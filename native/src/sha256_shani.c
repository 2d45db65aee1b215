/*
 * sha256_shani.c - SHA-256 compression with the SHA extensions (SHA-NI).
 *
 * sha256rnds2 does two rounds on a state split across two registers as {A,B,E,F} and
 * {C,D,G,H} (low lane last), taking W+K for the two rounds in the low 64 bits of its third
 * operand; each group of four message words therefore feeds two rnds2, the second after
 * moving the upper pair down. The message schedule of FIPS 180-4 6.2.2 step 1 for four
 * words at a time is
 *   W[t..t+3] = msg2(msg1(W[t-16..t-13], W[t-12..t-9]) + W[t-7..t-4], W[t-4..t-1])
 * where msg1 adds sigma0, the middle term is an alignr of two groups, and msg2 adds
 * sigma1 (including the words of the same group that depend on each other).
 */
#include "internal.h"

#include <immintrin.h>

extern const uint32_t ta_sha256_k[64]; /* sha256_portable.c */

/* Four rounds on message group w (index g: rounds 4g..4g+3). */
#define ROUNDS4(g, w)                                                        \
  do {                                                                       \
    __m128i m = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)(ta_sha256_k + 4 * (g)))); \
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);                             \
    m = _mm_shuffle_epi32(m, 0x0e);                                          \
    abef = _mm_sha256rnds2_epu32(abef, cdgh, m);                             \
  } while (0)

/* Next message group into w0, from groups w0..w3 (oldest first). */
#define SCHEDULE(w0, w1, w2, w3) \
  w0 = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4)), w3)

static void sha256_compress_shani(void *state, const uint8_t *blocks, size_t nblocks) {
  uint32_t *h = (uint32_t *)state;
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
  /* {A,B,C,D},{E,F,G,H} -> {A,B,E,F},{C,D,G,H} in the order rnds2 wants */
  __m128i dcba = _mm_loadu_si128((const __m128i *)h);
  __m128i hgfe = _mm_loadu_si128((const __m128i *)(h + 4));
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);

  while (nblocks--) {
    const __m128i abef0 = abef, cdgh0 = cdgh;
    __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)blocks), bswap);
    __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16)), bswap);
    __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 32)), bswap);
    __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 48)), bswap);
    ROUNDS4(0, w0);
    ROUNDS4(1, w1);
    ROUNDS4(2, w2);
    ROUNDS4(3, w3);
    for (int g = 4; g < 16; g += 4) {
      SCHEDULE(w0, w1, w2, w3);
      ROUNDS4(g, w0);
      SCHEDULE(w1, w2, w3, w0);
      ROUNDS4(g + 1, w1);
      SCHEDULE(w2, w3, w0, w1);
      ROUNDS4(g + 2, w2);
      SCHEDULE(w3, w0, w1, w2);
      ROUNDS4(g + 3, w3);
    }
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
    blocks += 64;
  }

  /* back to {A,B,C,D},{E,F,G,H} */
  __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
  _mm_storeu_si128((__m128i *)h, _mm_blend_epi16(feba, dchg, 0xf0));
  _mm_storeu_si128((__m128i *)(h + 4), _mm_alignr_epi8(dchg, feba, 8));
}

const ta_mac_kernel ta_sha256_shani = {
    .name = "shani",
    .algs = TA_ALG_BIT(TA_HMAC_SHA256),
    .needs = TA_CPU_SHA | TA_CPU_SSE41 | TA_CPU_SSSE3,
    .compress = sha256_compress_shani,
};
