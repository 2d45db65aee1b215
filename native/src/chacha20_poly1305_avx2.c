/*
 * chacha20_poly1305_avx2.c - ChaCha20-Poly1305 (RFC 8439) with AVX2: 8 blocks (512 bytes)
 * per bulk pass, 2 per rows pass, Poly1305 in 4 lanes with r^4. The kernel itself is
 * chacha20_poly1305_vec_body.h (read it for the plan and the math); this file gives it
 * the ymm helpers, where AVX2 differs from AVX-512:
 *  - no rotate instruction: the 16- and 8-bit rotations are byte shuffles, the 12- and
 *    7-bit ones shift/shift/or (on ymm, and on xmm for the block 0 chain);
 *  - two 128-bit lanes: the lane transpose is vperm2i128;
 *  - no byte-masked loads and stores: a partial vector goes through a stack buffer;
 *  - vpunpck*qdq works within 128-bit lanes, so the Poly1305 message load leaves blocks
 *    0, 2, 1, 3 in lanes 0..3 and the last multiply uses r^4, r^2, r^3, r^1 in that order.
 */
#include "chacha20_poly1305_common.h"

#include <immintrin.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))

typedef __m256i vec;
#define LANES 8
#define FN(name) avx2_##name
/* Block 0 alone (begin with a long AAD, finish with no piece) by the scalar cc_block: the
 * rows pass, with no rotate instruction, took ~70 ns longer (AMD EPYC, empty message). */
#define BLOCK0_BY_ROWS 0

ALWAYS_INLINE vec v_loadu(const void *p) { return _mm256_loadu_si256((const __m256i *)p); }
ALWAYS_INLINE void v_storeu(void *p, vec v) { _mm256_storeu_si256((__m256i *)p, v); }
ALWAYS_INLINE vec v_set1(uint32_t x) { return _mm256_set1_epi32((int)x); }
ALWAYS_INLINE vec v_add32(vec a, vec b) { return _mm256_add_epi32(a, b); }
ALWAYS_INLINE vec v_xor(vec a, vec b) { return _mm256_xor_si256(a, b); }
ALWAYS_INLINE vec v_and(vec a, vec b) { return _mm256_and_si256(a, b); }
ALWAYS_INLINE vec v_or(vec a, vec b) { return _mm256_or_si256(a, b); }
ALWAYS_INLINE vec v_unpacklo32(vec a, vec b) { return _mm256_unpacklo_epi32(a, b); }
ALWAYS_INLINE vec v_unpackhi32(vec a, vec b) { return _mm256_unpackhi_epi32(a, b); }
ALWAYS_INLINE vec v_unpacklo64(vec a, vec b) { return _mm256_unpacklo_epi64(a, b); }
ALWAYS_INLINE vec v_unpackhi64(vec a, vec b) { return _mm256_unpackhi_epi64(a, b); }
ALWAYS_INLINE vec v_bcast128(__m128i x) { return _mm256_broadcastsi128_si256(x); }
ALWAYS_INLINE vec v_iota(void) { return _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0); }
ALWAYS_INLINE vec v_lane128_index(void) { return _mm256_set_epi32(0, 0, 0, 1, 0, 0, 0, 0); }
#define v_shuf32(v, imm) _mm256_shuffle_epi32(v, imm)

/* Rotations: whole bytes by vpshufb, the others by shifts. */
#define ROL16_BYTES 13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2
#define ROL8_BYTES 14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3
ALWAYS_INLINE vec v_rol16(vec v) {
  return _mm256_shuffle_epi8(v, _mm256_set_epi8(ROL16_BYTES, ROL16_BYTES));
}
ALWAYS_INLINE vec v_rol8(vec v) {
  return _mm256_shuffle_epi8(v, _mm256_set_epi8(ROL8_BYTES, ROL8_BYTES));
}
ALWAYS_INLINE vec v_rol12(vec v) {
  return _mm256_or_si256(_mm256_slli_epi32(v, 12), _mm256_srli_epi32(v, 20));
}
ALWAYS_INLINE vec v_rol7(vec v) {
  return _mm256_or_si256(_mm256_slli_epi32(v, 7), _mm256_srli_epi32(v, 25));
}
ALWAYS_INLINE __m128i x_rol16(__m128i v) { return _mm_shuffle_epi8(v, _mm_set_epi8(ROL16_BYTES)); }
ALWAYS_INLINE __m128i x_rol8(__m128i v) { return _mm_shuffle_epi8(v, _mm_set_epi8(ROL8_BYTES)); }
ALWAYS_INLINE __m128i x_rol12(__m128i v) {
  return _mm_or_si128(_mm_slli_epi32(v, 12), _mm_srli_epi32(v, 20));
}
ALWAYS_INLINE __m128i x_rol7(__m128i v) {
  return _mm_or_si128(_mm_slli_epi32(v, 7), _mm_srli_epi32(v, 25));
}

/* Lane l of a, b, c, d = quarter 0..3 of block l: block 0 is (a|b, c|d), block 1 the high
 * lanes of the same. */
ALWAYS_INLINE void v_lanes4(vec a, vec b, vec c, vec d, vec o[4]) {
  o[0] = _mm256_permute2x128_si256(a, b, 0x20);
  o[1] = _mm256_permute2x128_si256(c, d, 0x20);
  o[2] = _mm256_permute2x128_si256(a, b, 0x31);
  o[3] = _mm256_permute2x128_si256(c, d, 0x31);
}

/* in XOR ks -> out, n <= 32 bytes; a partial vector through a buffer. */
ALWAYS_INLINE void v_xor_part(const uint8_t *in, uint8_t *out, size_t n, vec ks) {
  if (n == 32) {
    v_storeu(out, v_xor(v_loadu(in), ks));
    return;
  }
  _Alignas(32) uint8_t buf[32];
  _mm256_store_si256((__m256i *)buf, ks);
  for (size_t i = 0; i < n; i++) out[i] = in[i] ^ buf[i];
  ta_wipe(buf, sizeof buf);
}

/* Poly1305 on the 4 64-bit lanes. */
ALWAYS_INLINE vec v64_add(vec a, vec b) { return _mm256_add_epi64(a, b); }
ALWAYS_INLINE vec v64_mul(vec a, vec b) { return _mm256_mul_epu32(a, b); }
ALWAYS_INLINE vec v64_set1(uint64_t x) { return _mm256_set1_epi64x((long long)x); }
ALWAYS_INLINE vec v64_lane0(uint64_t x) { return _mm256_set_epi64x(0, 0, 0, (long long)x); }
#define V64_SRLI(v, n) _mm256_srli_epi64(v, n)
#define V64_SLLI(v, n) _mm256_slli_epi64(v, n)

ALWAYS_INLINE uint64_t v64_hsum(vec a) {
  __m128i v = _mm_add_epi64(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
  return (uint64_t)_mm_cvtsi128_si64(v) + (uint64_t)_mm_extract_epi64(v, 1);
}

/* Blocks 0, 2, 1, 3 of the 64 bytes at m in lanes 0..3 (unpacks stay within 128 bits). */
ALWAYS_INLINE void v_poly_load(const uint8_t *m, vec *lo, vec *hi) {
  vec x0 = v_loadu(m), x1 = v_loadu(m + 32);
  *lo = _mm256_unpacklo_epi64(x0, x1);
  *hi = _mm256_unpackhi_epi64(x0, x1);
}

/* Lanes hold blocks 0, 2, 1, 3 -> r^4, r^2, r^3, r^1 from limb[4..7] = r^4, r^3, r^2, r^1. */
ALWAYS_INLINE vec v_poly_last_powers(const uint32_t limb[8]) {
  __m128i q = _mm_loadu_si128((const __m128i *)(limb + 4));
  return _mm256_cvtepu32_epi64(_mm_shuffle_epi32(q, 0xd8));
}

#include "chacha20_poly1305_vec_body.h"

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
