/*
 * chacha20_poly1305_avx512.c - ChaCha20-Poly1305 (RFC 8439) with AVX-512 F/BW/VL: 16
 * blocks (1 KiB) per bulk pass, 4 per rows pass, Poly1305 in 8 lanes with r^8. The kernel
 * itself is chacha20_poly1305_vec_body.h (read it for the plan and the math); this file
 * gives it the zmm helpers, where AVX-512 differs from AVX2:
 *  - vprold for every rotation (zmm; VL gives it on xmm for the block 0 chain);
 *  - four 128-bit lanes: the lane transpose is two rounds of vshufi32x4;
 *  - AVX-512BW byte masks: a partial vector (up to a block) is one masked load and store;
 *  - vpermt2q gathers the message halves of 8 blocks in block order, so the last multiply
 *    takes r^8 .. r^1 straight from the stored powers.
 */
#include "chacha20_poly1305_common.h"

#include <immintrin.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))

typedef __m512i vec;
#define LANES 16
#define FN(name) avx512_##name
/* Block 0 alone (begin with a long AAD, finish with no piece) by a rows pass: blocks 1..3
 * of it then wait in ks_cache for a first piece of up to 192 bytes. */
#define BLOCK0_BY_ROWS 1

ALWAYS_INLINE vec v_loadu(const void *p) { return _mm512_loadu_si512(p); }
ALWAYS_INLINE void v_storeu(void *p, vec v) { _mm512_storeu_si512(p, v); }
ALWAYS_INLINE vec v_set1(uint32_t x) { return _mm512_set1_epi32((int)x); }
ALWAYS_INLINE vec v_add32(vec a, vec b) { return _mm512_add_epi32(a, b); }
ALWAYS_INLINE vec v_xor(vec a, vec b) { return _mm512_xor_si512(a, b); }
ALWAYS_INLINE vec v_and(vec a, vec b) { return _mm512_and_si512(a, b); }
ALWAYS_INLINE vec v_or(vec a, vec b) { return _mm512_or_si512(a, b); }
ALWAYS_INLINE vec v_unpacklo32(vec a, vec b) { return _mm512_unpacklo_epi32(a, b); }
ALWAYS_INLINE vec v_unpackhi32(vec a, vec b) { return _mm512_unpackhi_epi32(a, b); }
ALWAYS_INLINE vec v_unpacklo64(vec a, vec b) { return _mm512_unpacklo_epi64(a, b); }
ALWAYS_INLINE vec v_unpackhi64(vec a, vec b) { return _mm512_unpackhi_epi64(a, b); }
ALWAYS_INLINE vec v_bcast128(__m128i x) { return _mm512_broadcast_i32x4(x); }
ALWAYS_INLINE vec v_iota(void) {
  return _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
}
ALWAYS_INLINE vec v_lane128_index(void) {
  return _mm512_set_epi32(0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0);
}
#define v_shuf32(v, imm) _mm512_shuffle_epi32(v, (_MM_PERM_ENUM)(imm))

ALWAYS_INLINE vec v_rol16(vec v) { return _mm512_rol_epi32(v, 16); }
ALWAYS_INLINE vec v_rol12(vec v) { return _mm512_rol_epi32(v, 12); }
ALWAYS_INLINE vec v_rol8(vec v) { return _mm512_rol_epi32(v, 8); }
ALWAYS_INLINE vec v_rol7(vec v) { return _mm512_rol_epi32(v, 7); }
ALWAYS_INLINE __m128i x_rol16(__m128i v) { return _mm_rol_epi32(v, 16); }
ALWAYS_INLINE __m128i x_rol12(__m128i v) { return _mm_rol_epi32(v, 12); }
ALWAYS_INLINE __m128i x_rol8(__m128i v) { return _mm_rol_epi32(v, 8); }
ALWAYS_INLINE __m128i x_rol7(__m128i v) { return _mm_rol_epi32(v, 7); }

/* Lane l of a, b, c, d = quarter 0..3 of block l: o[l] = block l (a 4x4 transpose). */
ALWAYS_INLINE void v_lanes4(vec a, vec b, vec c, vec d, vec o[4]) {
  vec u0 = _mm512_shuffle_i32x4(a, b, 0x44), u1 = _mm512_shuffle_i32x4(a, b, 0xee);
  vec u2 = _mm512_shuffle_i32x4(c, d, 0x44), u3 = _mm512_shuffle_i32x4(c, d, 0xee);
  o[0] = _mm512_shuffle_i32x4(u0, u2, 0x88);
  o[1] = _mm512_shuffle_i32x4(u0, u2, 0xdd);
  o[2] = _mm512_shuffle_i32x4(u1, u3, 0x88);
  o[3] = _mm512_shuffle_i32x4(u1, u3, 0xdd);
}

/* in XOR ks -> out, n <= 64 bytes (masked for a partial block). */
ALWAYS_INLINE void v_xor_part(const uint8_t *in, uint8_t *out, size_t n, vec ks) {
  __mmask64 m = n == 64 ? ~(__mmask64)0 : (((__mmask64)1) << n) - 1;
  vec v = _mm512_maskz_loadu_epi8(m, in);
  _mm512_mask_storeu_epi8(out, m, _mm512_xor_si512(v, ks));
}

/* Poly1305 on the 8 64-bit lanes. */
ALWAYS_INLINE vec v64_add(vec a, vec b) { return _mm512_add_epi64(a, b); }
ALWAYS_INLINE vec v64_mul(vec a, vec b) { return _mm512_mul_epu32(a, b); }
ALWAYS_INLINE vec v64_set1(uint64_t x) { return _mm512_set1_epi64((long long)x); }
ALWAYS_INLINE vec v64_lane0(uint64_t x) {
  return _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, (long long)x);
}
ALWAYS_INLINE uint64_t v64_hsum(vec a) { return (uint64_t)_mm512_reduce_add_epi64(a); }
#define V64_SRLI(v, n) _mm512_srli_epi64(v, n)
#define V64_SLLI(v, n) _mm512_slli_epi64(v, n)

/* Blocks 0..7 of the 128 bytes at m in lanes 0..7. */
ALWAYS_INLINE void v_poly_load(const uint8_t *m, vec *lo, vec *hi) {
  const vec idx_lo = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
  const vec idx_hi = _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1);
  vec x0 = v_loadu(m), x1 = v_loadu(m + 64);
  *lo = _mm512_permutex2var_epi64(x0, idx_lo, x1); /* bytes 0..7 of each block */
  *hi = _mm512_permutex2var_epi64(x0, idx_hi, x1); /* bytes 8..15 */
}

/* Lane j: r^(8-j), which is limb[j]. */
ALWAYS_INLINE vec v_poly_last_powers(const uint32_t limb[8]) {
  return _mm512_cvtepu32_epi64(_mm256_loadu_si256((const __m256i *)limb));
}

#include "chacha20_poly1305_vec_body.h"

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
