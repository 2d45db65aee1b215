/*
 * aes_gcm_vaes256.c - AES-128/256-GCM on VAES + VPCLMULQDQ with 256-bit vectors (AVX2),
 * for CPUs with VAES but no usable AVX-512: 2 blocks per ymm, 8 ymm = 16 blocks in flight,
 * one GHASH reduction per 16 blocks with H^16..H^1. The loop itself is
 * aes_gcm_vaes_body.h; this file gives it the ymm helpers and a tail (< 32 bytes) done
 * on 128-bit registers (AVX2 has no byte-masked loads).
 */
#include "aes_gcm_common.h"

typedef __m256i vec;
#define LANES 2
#define VECS 8 /* measured: 8 vectors per group ~20% faster than 4 */
#define FN(name) vaes256_##name

static inline vec v_loadu(const void *p) { return _mm256_loadu_si256((const __m256i *)p); }
static inline void v_storeu(void *p, vec v) { _mm256_storeu_si256((__m256i *)p, v); }
static inline vec v_zero(void) { return _mm256_setzero_si256(); }
static inline vec v_xor(vec a, vec b) { return _mm256_xor_si256(a, b); }
static inline vec v_xor3(vec a, vec b, vec c) { return v_xor(v_xor(a, b), c); }
static inline vec v_aesenc(vec a, vec k) { return _mm256_aesenc_epi128(a, k); }
static inline vec v_aesenclast(vec a, vec k) { return _mm256_aesenclast_epi128(a, k); }
static inline vec v_bcast(__m128i x) { return _mm256_broadcastsi128_si256(x); }
static inline vec v_bswap(vec a) { return _mm256_shuffle_epi8(a, v_bcast(gcm_bswap_mask())); }
static inline vec v_add32(vec a, vec b) { return _mm256_add_epi32(a, b); }
static inline vec v_zext(__m128i x) { return _mm256_zextsi128_si256(x); }
static inline vec v_lane_index(void) { return _mm256_set_epi32(0, 0, 0, 1, 0, 0, 0, 0); }
static inline __m128i v_fold(vec v) {
  return _mm_xor_si128(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
}
#define V_CLMUL(a, b, imm) _mm256_clmulepi64_epi128((a), (b), (imm))
#define V_SWAP64(a) _mm256_shuffle_epi32((a), 0x4e)

/* The last len < 32 bytes (at most 2 blocks) on xmm registers, into the 128-bit sums;
 * the partial block is moved piecewise (gcm_load_partial), AVX2 has no byte masks. */
static inline void vaes256_tail(vec ks, int encrypt, const uint8_t *in, uint8_t *out,
                                size_t len, const __m128i *hp, vec *lo, vec *mi, vec *hi,
                                __m128i *lo1, __m128i *mi1, __m128i *hi1) {
  (void)lo, (void)mi, (void)hi;
  const __m128i bs = gcm_bswap_mask();
  __m128i k0 = _mm256_castsi256_si128(ks);
  if (len >= 16) {
    __m128i d = _mm_loadu_si128((const __m128i *)in);
    __m128i o = _mm_xor_si128(d, k0);
    _mm_storeu_si128((__m128i *)out, o);
    gcm_mul_acc(_mm_shuffle_epi8(encrypt ? o : d, bs), hp[0], lo1, mi1, hi1);
    k0 = _mm256_extracti128_si256(ks, 1);
    in += 16, out += 16, len -= 16, hp++;
  }
  if (len != 0) {
    __m128i d = gcm_load_partial(in, len); /* zero past len */
    __m128i o = _mm_xor_si128(d, _mm_and_si128(k0, gcm_byte_mask(len)));
    gcm_store_partial(out, o, len);
    gcm_mul_acc(_mm_shuffle_epi8(encrypt ? o : d, bs), hp[0], lo1, mi1, hi1);
  }
}

#include "aes_gcm_vaes_body.h"

static int vaes256_setup(void *ks, int alg, const uint8_t *key, size_t key_len) {
  return gcm_setup(ks, alg, key, key_len);
}

static void vaes256_begin(const void *ks, void *st, const uint8_t nonce[12],
                          const uint8_t *aad, size_t aad_len) {
  gcm_begin(ks, st, nonce, aad, aad_len);
}

static void vaes256_finish(const void *ks, void *st, uint8_t tag[16]) {
  gcm_finish(ks, st, tag);
}

const ta_aead_kernel ta_aes_gcm_vaes256 = {
    .name = "vaes256",
    .algs = TA_ALG_BIT(TA_AES_128_GCM) | TA_ALG_BIT(TA_AES_256_GCM),
    .needs = TA_CPU_AVX2 | TA_CPU_VAES | TA_CPU_VPCLMUL | TA_CPU_AESNI | TA_CPU_PCLMUL,
    .key_state_size = sizeof(gcm_key),
    .setup = vaes256_setup,
    .begin = vaes256_begin,
    .crypt = vaes256_crypt,
    .finish = vaes256_finish,
};
