/*
 * aes_gcm_aesni.c - AES-128/256-GCM on AES-NI + PCLMULQDQ, 128-bit registers (SSE only,
 * 16 xmm registers).
 *
 * Bulk loop: 8 counter blocks in flight, GHASH over 8 blocks per reduction with the
 * powers H^8..H^1 (aes_gcm_common.h explains the math). The AES rounds and the GHASH
 * multiplications of the same iteration are independent, so they are interleaved, one
 * block's multiplication after each AES round:
 *   encrypt: while the next 8 counters go through AES, the 8 ciphertext blocks written
 *            by the previous iteration are hashed (the first group is only encrypted,
 *            the last group only hashed);
 *   decrypt: the 8 ciphertext blocks being decrypted are hashed while their keystream is
 *            computed; all are read before the group is stored (so in place works).
 * Here the multiplications use Karatsuba (3 clmuls per block, gcm_mul_acc_kara): on the
 * cores we measured, 128-bit PCLMULQDQ issues once per 2 cycles and competes with AESENC
 * for the same pipes, so every clmul saved shows. What is left after the bulk loop
 * (< 128 bytes) goes through gcm_tail4_x1, four blocks at a time, with one reduction.
 */
#include "aes_gcm_common.h"

/* One AES round on the 8 blocks c[0..7]. */
#define ROUND8(key) \
  do { \
    const __m128i k_ = (key); \
    c[0] = _mm_aesenc_si128(c[0], k_); \
    c[1] = _mm_aesenc_si128(c[1], k_); \
    c[2] = _mm_aesenc_si128(c[2], k_); \
    c[3] = _mm_aesenc_si128(c[3], k_); \
    c[4] = _mm_aesenc_si128(c[4], k_); \
    c[5] = _mm_aesenc_si128(c[5], k_); \
    c[6] = _mm_aesenc_si128(c[6], k_); \
    c[7] = _mm_aesenc_si128(c[7], k_); \
  } while (0)

/* out = in XOR c for 8 blocks (in is read block by block, so in == out works). */
TA_INLINE void xor_store8(const uint8_t *in, uint8_t *out, const __m128i c[8]) {
  for (int j = 0; j < 8; j++)
    _mm_storeu_si128((__m128i *)(out + 16 * j),
                     _mm_xor_si128(c[j], _mm_loadu_si128((const __m128i *)(in + 16 * j))));
}

/*
 * The 8 counter blocks ctr .. ctr+7, whitened with round key 0. Usually the low byte of
 * the counter does not overflow within the group, and then block j is the big-endian
 * block plus j in its last byte: one add each instead of add + byte swap (the shuffle
 * pipes are busy with GHASH). Otherwise each block is byte-swapped from the counter.
 */
TA_INLINE void gcm_counters8(const gcm_key *k, __m128i ctr, __m128i c[8]) {
  const __m128i rk0 = k->rk[0];
  if ((_mm_cvtsi128_si32(ctr) & 0xff) <= 0xf8) {
    const __m128i be = gcm_bswap(ctr);
    for (int j = 0; j < 8; j++)
      c[j] = _mm_xor_si128(_mm_add_epi32(be, _mm_setr_epi32(0, 0, 0, j << 24)), rk0);
  } else {
    for (int j = 0; j < 8; j++)
      c[j] = _mm_xor_si128(gcm_bswap(gcm_ctr_add(ctr, (size_t)j)), rk0);
  }
}

/* Block j of the group at gp, reflected. */
#define GHASH_IN(j) \
  _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(gp + 16 * (j))), gcm_bswap_mask())

/*
 * out = in XOR the keystream of the 8 counters from ctr; interleaved with the AES rounds,
 * returns the GHASH of y and the 8 blocks at gp (read before out is written, so gp == in
 * == out works). The blocks are loaded one at a time inside the rounds: with only 16 xmm
 * registers, 8 AES states plus LO/MI/HI leave no room to hold them all.
 */
TA_INLINE __m128i aes8_ghash8(const gcm_key *k, __m128i ctr, const uint8_t *gp, __m128i y,
                              const uint8_t *in, uint8_t *out) {
  __m128i c[8];
  const __m128i *hp = &k->h[TA_GCM_NPOW - 8]; /* H^8 .. H^1 */
  const __m128i *hk = &k->hk[TA_GCM_NPOW - 8];
  gcm_counters8(k, ctr, c);
  /* AES-256 runs 4 extra rounds first; the last 10 are shared. */
  const __m128i *rk = k->rk + (k->rounds - 10);
  if (k->rounds == 14) {
    ROUND8(k->rk[1]);
    ROUND8(k->rk[2]);
    ROUND8(k->rk[3]);
    ROUND8(k->rk[4]);
  }
  __m128i lo = _mm_setzero_si128(), mi = lo, hi = lo;
  ROUND8(rk[1]);
  gcm_mul_acc_kara(_mm_xor_si128(GHASH_IN(0), y), hp[0], hk[0], &lo, &mi, &hi);
  ROUND8(rk[2]);
  gcm_mul_acc_kara(GHASH_IN(1), hp[1], hk[1], &lo, &mi, &hi);
  ROUND8(rk[3]);
  gcm_mul_acc_kara(GHASH_IN(2), hp[2], hk[2], &lo, &mi, &hi);
  ROUND8(rk[4]);
  gcm_mul_acc_kara(GHASH_IN(3), hp[3], hk[3], &lo, &mi, &hi);
  ROUND8(rk[5]);
  gcm_mul_acc_kara(GHASH_IN(4), hp[4], hk[4], &lo, &mi, &hi);
  ROUND8(rk[6]);
  gcm_mul_acc_kara(GHASH_IN(5), hp[5], hk[5], &lo, &mi, &hi);
  ROUND8(rk[7]);
  gcm_mul_acc_kara(GHASH_IN(6), hp[6], hk[6], &lo, &mi, &hi);
  ROUND8(rk[8]);
  gcm_mul_acc_kara(GHASH_IN(7), hp[7], hk[7], &lo, &mi, &hi);
  ROUND8(rk[9]);
  y = gcm_reduce(lo, gcm_karatsuba_fix(lo, mi, hi), hi);
  for (int j = 0; j < 8; j++) c[j] = _mm_aesenclast_si128(c[j], rk[10]);
  xor_store8(in, out, c);
  return y;
}
#undef GHASH_IN

/* out = in XOR keystream, AES only, for the first group of an encryption. */
TA_INLINE void aes8(const gcm_key *k, __m128i ctr, const uint8_t *in, uint8_t *out) {
  __m128i c[8];
  gcm_counters8(k, ctr, c);
  for (uint32_t r = 1; r < k->rounds; r++) ROUND8(k->rk[r]);
  for (int j = 0; j < 8; j++) c[j] = _mm_aesenclast_si128(c[j], k->rk[k->rounds]);
  xor_store8(in, out, c);
}

TA_HOT_ALIGN static void aesni_crypt(const void *ksv, void *stv, int encrypt,
                                     const uint8_t *in, uint8_t *out, size_t len) {
  const gcm_key *k = (const gcm_key *)ksv;
  gcm_stream *st = (gcm_stream *)stv;
  __m128i y = st->y, ctr = st->ctr;
  st->ct_len += len;

  if (len >= 128) {
    if (encrypt) {
      /* First group: AES only (there is no previous ciphertext yet). */
      aes8(k, ctr, in, out);
      ctr = gcm_ctr_add(ctr, 8);
      in += 128, out += 128, len -= 128;
      while (len >= 128) {
        y = aes8_ghash8(k, ctr, out - 128, y, in, out);
        ctr = gcm_ctr_add(ctr, 8);
        in += 128, out += 128, len -= 128;
      }
      /* Last group: GHASH only. */
      y = gcm_ghash_blocks(k, y, out - 128, 8);
    } else {
      do {
        y = aes8_ghash8(k, ctr, in, y, in, out);
        ctr = gcm_ctr_add(ctr, 8);
        in += 128, out += 128, len -= 128;
      } while (len >= 128);
    }
  }

  if (len != 0) {
    /* The rest: m <= 8 blocks (the last maybe partial), hashed with H^m..H^1 and one
     * reduction; y joins as y * H^m. */
    size_t m = (len + 15) / 16;
    const __m128i *hp = &k->h[TA_GCM_NPOW - m];
    __m128i lo = _mm_setzero_si128(), mi = lo, hi = lo;
    gcm_mul_acc(y, hp[0], &lo, &mi, &hi);
    while (len != 0) {
      size_t n = len < 64 ? len : 64;
      gcm_tail4_x1(k, ctr, encrypt, in, out, n, hp, &lo, &mi, &hi);
      ctr = gcm_ctr_add(ctr, 4);
      hp += 4, in += n, out += n, len -= n;
    }
    y = gcm_reduce(lo, mi, hi);
  }
  st->y = y;
  st->ctr = ctr;
}

static int aesni_setup(void *ks, int alg, const uint8_t *key, size_t key_len) {
  return gcm_setup(ks, alg, key, key_len);
}

static void aesni_begin(const void *ks, void *st, const uint8_t nonce[12], const uint8_t *aad,
                        size_t aad_len) {
  gcm_begin(ks, st, nonce, aad, aad_len);
}

static void aesni_finish(const void *ks, void *st, uint8_t tag[16]) { gcm_finish(ks, st, tag); }

const ta_aead_kernel ta_aes_gcm_aesni = {
    .name = "aesni",
    .algs = TA_ALG_BIT(TA_AES_128_GCM) | TA_ALG_BIT(TA_AES_256_GCM),
    .needs = TA_CPU_AESNI | TA_CPU_PCLMUL | TA_CPU_SSE41 | TA_CPU_SSSE3,
    .key_state_size = sizeof(gcm_key),
    .setup = aesni_setup,
    .begin = aesni_begin,
    .crypt = aesni_crypt,
    .finish = aesni_finish,
};
