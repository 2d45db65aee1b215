/*
 * aes_gcm_armv8ce.c - AES-128/256-GCM on the ARMv8 Cryptography Extensions: AESE/AESMC
 * for the rounds, PMULL/PMULL2 for GHASH (AArch64, 32 vector registers).
 *
 * Same plan as the AES-NI kernel: 8 counter blocks in flight, GHASH over 8 blocks per
 * reduction with the powers H^8..H^1 (Karatsuba, 3 multiplies per block), one block's
 * multiplication after each AES round. Encrypting hashes the previous group's ciphertext
 * while the next group goes through AES; decrypting hashes the group being decrypted.
 * The math is in aes_gcm_common.h; its section "On AArch64" says what differs here
 * (PMULL takes fixed halves, AESE adds the round key first, no key-assist instruction).
 * What is left after the bulk loop (< 128 bytes) takes one AES chain per block and one
 * reduction.
 */
#include "aes_gcm_armv8ce.h"

#include <string.h>

#define ARM_INLINE static inline __attribute__((always_inline))
#define NPOW TA_GCM_ARM_NPOW

/* ---------------------------------------------------------------- AES */

/* SubWord (FIPS 197 5.2) by AESE with a zero round key: with the word in all four columns,
 * ShiftRows moves nothing and column 0 is SubBytes of the word. Constant time. */
static uint32_t aes_sub_word(uint32_t w) {
  uint8x16_t v = vaeseq_u8(vreinterpretq_u8_u32(vdupq_n_u32(w)), vdupq_n_u8(0));
  return vgetq_lane_u32(vreinterpretq_u32_u8(v), 0);
}

/* FIPS 197 5.2 on little-endian words (byte 0 of the key in the low bits of w[0]): RotWord
 * is a right rotation by 8 and Rcon lands in the low byte. */
static void aes_expand(uint8x16_t *rk, const uint8_t *key, size_t nk, uint32_t rounds) {
  uint32_t w[60];
  const size_t total = 4 * ((size_t)rounds + 1);
  memcpy(w, key, 4 * nk);
  uint32_t rcon = 1;
  for (size_t i = nk; i < total; i++) {
    uint32_t t = w[i - 1];
    if (i % nk == 0) {
      t = aes_sub_word((t >> 8) | (t << 24)) ^ rcon;
      rcon = (rcon << 1) ^ ((rcon >> 7) * 0x11b);
    } else if (nk > 6 && i % nk == 4) {
      t = aes_sub_word(t);
    }
    w[i] = w[i - nk] ^ t;
  }
  for (uint32_t r = 0; r <= rounds; r++) rk[r] = vreinterpretq_u8_u32(vld1q_u32(w + 4 * r));
  ta_wipe(w, sizeof w);
}

/* AESE = AddRoundKey, SubBytes, ShiftRows; AESMC = MixColumns. So rk[0..rounds-1] go in
 * through AESE and the last round key is a plain XOR. */
ARM_INLINE uint8x16_t aes_encrypt1(const gcm_key *k, uint8x16_t b) {
  for (uint32_t r = 0; r + 1 < k->rounds; r++) b = vaesmcq_u8(vaeseq_u8(b, k->rk[r]));
  b = vaeseq_u8(b, k->rk[k->rounds - 1]);
  return veorq_u8(b, k->rk[k->rounds]);
}

/* ---------------------------------------------------------------- GHASH */

/* Byte reversal of a whole block: a wire block becomes the reflected 128-bit integer. */
ARM_INLINE uint64x2_t reflect(uint8x16_t v) {
  v = vrev64q_u8(v);
  return vreinterpretq_u64_u8(vextq_u8(v, v, 8));
}

ARM_INLINE uint8x16_t unreflect(uint64x2_t v) {
  uint8x16_t b = vrev64q_u8(vreinterpretq_u8_u64(v));
  return vextq_u8(b, b, 8);
}

ARM_INLINE uint64x2_t swap64(uint64x2_t v) { return vextq_u64(v, v, 1); }

/* Carry-less products of the low halves (PMULL) and of the high halves (PMULL2). */
ARM_INLINE uint64x2_t clmul_lo(uint64x2_t a, uint64x2_t b) {
  return vreinterpretq_u64_p128(
      vmull_p64((poly64_t)vgetq_lane_u64(a, 0), (poly64_t)vgetq_lane_u64(b, 0)));
}

ARM_INLINE uint64x2_t clmul_hi(uint64x2_t a, uint64x2_t b) {
  return vreinterpretq_u64_p128(
      vmull_high_p64(vreinterpretq_p64_u64(a), vreinterpretq_p64_u64(b)));
}

typedef struct {
  uint64x2_t lo, mi, hi;
} acc3;

ARM_INLINE acc3 acc_zero(void) {
  acc3 z = {vdupq_n_u64(0), vdupq_n_u64(0), vdupq_n_u64(0)};
  return z;
}

/* Schoolbook: a * b unreduced into the accumulator (MI = a0 b1 + a1 b0). */
ARM_INLINE void mul_acc(acc3 *s, uint64x2_t a, uint64x2_t b) {
  uint64x2_t bs = swap64(b);
  s->lo = veorq_u64(s->lo, clmul_lo(a, b));
  s->hi = veorq_u64(s->hi, clmul_hi(a, b));
  s->mi = veorq_u64(s->mi, veorq_u64(clmul_lo(a, bs), clmul_hi(a, bs)));
}

/* Karatsuba: MI accumulates (a0 ^ a1)(b0 ^ b1); karatsuba_fix corrects it once per sum. */
ARM_INLINE void mul_acc_kara(acc3 *s, uint64x2_t a, uint64x2_t b, uint64x2_t bk) {
  s->lo = veorq_u64(s->lo, clmul_lo(a, b));
  s->hi = veorq_u64(s->hi, clmul_hi(a, b));
  s->mi = veorq_u64(s->mi, clmul_lo(veorq_u64(a, swap64(a)), bk));
}

ARM_INLINE void karatsuba_fix(acc3 *s) { s->mi = veorq_u64(s->mi, veorq_u64(s->lo, s->hi)); }

/* HI*2^128 + MI*2^64 + LO modulo g: two multiplies by c = 0xc200000000000000 (the folding
 * of x^128 = x^7 + x^2 + x + 1 in reflected form), as in aes_gcm_common.h. */
ARM_INLINE uint64x2_t reduce(acc3 s) {
  const poly64_t c = (poly64_t)0xc200000000000000ull;
  uint64x2_t mi = veorq_u64(s.mi, veorq_u64(swap64(s.lo), vreinterpretq_u64_p128(vmull_p64(
                                                              (poly64_t)vgetq_lane_u64(s.lo, 0), c))));
  return veorq_u64(s.hi, veorq_u64(swap64(mi), vreinterpretq_u64_p128(
                                                   vmull_p64((poly64_t)vgetq_lane_u64(mi, 0), c))));
}

/* a * b * x; with b = H^i x^-1 this is a * H^i. */
ARM_INLINE uint64x2_t gf_mul(uint64x2_t a, uint64x2_t b) {
  acc3 s = acc_zero();
  mul_acc(&s, a, b);
  return reduce(s);
}

/* H (reflected) times x^-1: one-bit left shift, XOR 0xc2..01 when bit 127 fell out. */
static uint64x2_t key_times_x_inverse(uint64x2_t h) {
  uint64_t l0 = vgetq_lane_u64(h, 0), l1 = vgetq_lane_u64(h, 1);
  uint64_t carry = 0 - (l1 >> 63);
  uint64_t n0 = (l0 << 1) ^ (carry & 1);
  uint64_t n1 = ((l1 << 1) | (l0 >> 63)) ^ (carry & 0xc200000000000000ull);
  return vcombine_u64(vcreate_u64(n0), vcreate_u64(n1));
}

/* Y over nblocks whole blocks at p, 8 per reduction. */
static uint64x2_t ghash_blocks(const gcm_key *k, uint64x2_t y, const uint8_t *p,
                               size_t nblocks) {
  while (nblocks > 0) {
    size_t m = nblocks < NPOW ? nblocks : NPOW;
    const uint64x2_t *hp = &k->h[NPOW - m], *hk = &k->hk[NPOW - m];
    acc3 s = acc_zero();
    mul_acc_kara(&s, veorq_u64(y, reflect(vld1q_u8(p))), hp[0], hk[0]);
    for (size_t j = 1; j < m; j++) mul_acc_kara(&s, reflect(vld1q_u8(p + 16 * j)), hp[j], hk[j]);
    karatsuba_fix(&s);
    y = reduce(s);
    p += 16 * m;
    nblocks -= m;
  }
  return y;
}

/* n < 16 bytes, zero-padded. */
ARM_INLINE uint8x16_t load_partial(const uint8_t *p, size_t n) {
  uint8_t b[16] = {0};
  memcpy(b, p, n);
  return vld1q_u8(b);
}

static uint64x2_t ghash_bytes(const gcm_key *k, uint64x2_t y, const uint8_t *p, size_t len) {
  if (len >= 16) y = ghash_blocks(k, y, p, len / 16);
  size_t rest = len % 16;
  if (rest != 0)
    y = gf_mul(veorq_u64(y, reflect(load_partial(p + (len - rest), rest))), k->h[NPOW - 1]);
  return y;
}

/* ---------------------------------------------------------------- counters */

/* Counter block for counter value c: j0 with its last word set to be32(c). */
ARM_INLINE uint8x16_t counter_block(uint8x16_t j0, uint32_t c) {
  uint32x4_t v = vsetq_lane_u32(__builtin_bswap32(c), vreinterpretq_u32_u8(j0), 3);
  return vreinterpretq_u8_u32(v);
}

/* ---------------------------------------------------------------- bulk: 8 blocks */

#define ROUND8(key)                                    \
  do {                                                 \
    const uint8x16_t k_ = (key);                       \
    for (int j_ = 0; j_ < 8; j_++) c[j_] = vaesmcq_u8(vaeseq_u8(c[j_], k_)); \
  } while (0)

#define GHASH_IN(j) reflect(vld1q_u8(gp + 16 * (j)))

/*
 * out = in XOR the key stream of the 8 counters from ctr; interleaved with the AES rounds,
 * returns the GHASH of y and the 8 blocks at gp (all read before out is written, so
 * gp == in == out works). gp == NULL: AES only (the first group of an encryption).
 */
ARM_INLINE uint64x2_t aes8_ghash8(const gcm_key *k, uint8x16_t j0, uint32_t ctr,
                                  const uint8_t *gp, uint64x2_t y, const uint8_t *in,
                                  uint8_t *out) {
  uint8x16_t c[8];
  for (int j = 0; j < 8; j++) c[j] = counter_block(j0, ctr + (uint32_t)j);
  /* AES-256 runs 4 extra rounds first; the last 10 are shared. */
  const uint8x16_t *rk = k->rk + (k->rounds - 10);
  if (k->rounds == 14) {
    ROUND8(k->rk[0]);
    ROUND8(k->rk[1]);
    ROUND8(k->rk[2]);
    ROUND8(k->rk[3]);
  }
  if (gp != NULL) {
    const uint64x2_t *hp = k->h, *hk = k->hk; /* H^8 .. H^1 */
    acc3 s = acc_zero();
    ROUND8(rk[0]);
    mul_acc_kara(&s, veorq_u64(GHASH_IN(0), y), hp[0], hk[0]);
    ROUND8(rk[1]);
    mul_acc_kara(&s, GHASH_IN(1), hp[1], hk[1]);
    ROUND8(rk[2]);
    mul_acc_kara(&s, GHASH_IN(2), hp[2], hk[2]);
    ROUND8(rk[3]);
    mul_acc_kara(&s, GHASH_IN(3), hp[3], hk[3]);
    ROUND8(rk[4]);
    mul_acc_kara(&s, GHASH_IN(4), hp[4], hk[4]);
    ROUND8(rk[5]);
    mul_acc_kara(&s, GHASH_IN(5), hp[5], hk[5]);
    ROUND8(rk[6]);
    mul_acc_kara(&s, GHASH_IN(6), hp[6], hk[6]);
    ROUND8(rk[7]);
    mul_acc_kara(&s, GHASH_IN(7), hp[7], hk[7]);
    ROUND8(rk[8]);
    karatsuba_fix(&s);
    y = reduce(s);
  } else {
    for (int r = 0; r < 9; r++) ROUND8(rk[r]);
  }
  uint8x16_t d[8];
  for (int j = 0; j < 8; j++) d[j] = vld1q_u8(in + 16 * j);
  for (int j = 0; j < 8; j++)
    vst1q_u8(out + 16 * j, veorq_u8(veorq_u8(vaeseq_u8(c[j], rk[9]), rk[10]), d[j]));
  return y;
}
#undef GHASH_IN
#undef ROUND8

static void armv8ce_crypt(const void *ksv, void *stv, int encrypt, const uint8_t *in,
                          uint8_t *out, size_t len) {
  const gcm_key *k = (const gcm_key *)ksv;
  gcm_stream *st = (gcm_stream *)stv;
  uint64x2_t y = st->y;
  uint32_t ctr = st->ctr;
  const uint8x16_t j0 = st->j0;
  st->ct_len += len;

  if (len >= 128) {
    if (encrypt) {
      /* First group: AES only; then each group hashes the previous one's ciphertext. */
      aes8_ghash8(k, j0, ctr, NULL, y, in, out);
      ctr += 8, in += 128, out += 128, len -= 128;
      while (len >= 128) {
        y = aes8_ghash8(k, j0, ctr, out - 128, y, in, out);
        ctr += 8, in += 128, out += 128, len -= 128;
      }
      y = ghash_blocks(k, y, out - 128, 8);
    } else {
      do {
        y = aes8_ghash8(k, j0, ctr, in, y, in, out);
        ctr += 8, in += 128, out += 128, len -= 128;
      } while (len >= 128);
    }
  }

  if (len != 0) {
    /* m <= 8 blocks (the last maybe partial) hashed with H^m..H^1, one reduction; y joins
     * as y * H^m. */
    size_t m = (len + 15) / 16;
    const uint64x2_t *hp = &k->h[NPOW - m];
    acc3 s = acc_zero();
    mul_acc(&s, y, hp[0]);
    for (size_t j = 0; j < m; j++, ctr++) {
      uint8x16_t ks = aes_encrypt1(k, counter_block(j0, ctr));
      size_t n = len < 16 ? len : 16;
      if (n == 16) {
        uint8x16_t d = vld1q_u8(in), o = veorq_u8(d, ks);
        vst1q_u8(out, o);
        mul_acc(&s, reflect(encrypt ? o : d), hp[j]);
      } else {
        uint8_t buf[16] = {0};
        memcpy(buf, in, n);
        uint8x16_t d = vld1q_u8(buf);
        vst1q_u8(buf, veorq_u8(d, ks));
        memcpy(out, buf, n);
        memset(buf + n, 0, 16 - n); /* the ciphertext, zero-padded, without key stream */
        mul_acc(&s, reflect(encrypt ? vld1q_u8(buf) : d), hp[j]);
        ta_wipe(buf, sizeof buf);
      }
      in += n, out += n, len -= n;
    }
    y = reduce(s);
  }
  st->y = y;
  st->ctr = ctr;
}

static int armv8ce_setup(void *ksv, int alg, const uint8_t *key, size_t key_len) {
  gcm_key *k = (gcm_key *)ksv;
  if (alg == TA_AES_128_GCM && key_len == 16) {
    k->rounds = 10;
  } else if (alg == TA_AES_256_GCM && key_len == 32) {
    k->rounds = 14;
  } else {
    return TA_ERR_ARG;
  }
  aes_expand(k->rk, key, key_len / 4, k->rounds);
  uint64x2_t h1 = key_times_x_inverse(reflect(aes_encrypt1(k, vdupq_n_u8(0))));
  uint64x2_t hp = h1;
  k->h[NPOW - 1] = h1;
  for (int i = NPOW - 2; i >= 0; i--) {
    hp = gf_mul(hp, h1); /* H^a x^-1 * H x^-1 * x = H^(a+1) x^-1 */
    k->h[i] = hp;
  }
  for (int i = 0; i < NPOW; i++) {
    uint64x2_t f = veorq_u64(k->h[i], swap64(k->h[i]));
    k->hk[i] = vdupq_laneq_u64(f, 0);
  }
  return TA_OK;
}

static void armv8ce_begin(const void *ksv, void *stv, const uint8_t nonce[12],
                          const uint8_t *aad, size_t aad_len) {
  const gcm_key *k = (const gcm_key *)ksv;
  gcm_stream *st = (gcm_stream *)stv;
  uint8_t j0[16];
  memcpy(j0, nonce, 12);
  j0[12] = 0, j0[13] = 0, j0[14] = 0, j0[15] = 1; /* nonce || be32(1) */
  st->j0 = vld1q_u8(j0);
  st->ej0 = aes_encrypt1(k, st->j0);
  st->ctr = 2;
  st->aad_len = aad_len;
  st->ct_len = 0;
  st->y = aad_len ? ghash_bytes(k, vdupq_n_u64(0), aad, aad_len) : vdupq_n_u64(0);
}

static void armv8ce_finish(const void *ksv, void *stv, uint8_t tag[16]) {
  const gcm_key *k = (const gcm_key *)ksv;
  gcm_stream *st = (gcm_stream *)stv;
  /* [len(A)]_64 || [len(C)]_64 in bits, reflected: len(C) low, len(A) high. */
  uint64x2_t lens = vcombine_u64(vcreate_u64(st->ct_len * 8), vcreate_u64(st->aad_len * 8));
  uint64x2_t y = gf_mul(veorq_u64(st->y, lens), k->h[NPOW - 1]);
  vst1q_u8(tag, veorq_u8(unreflect(y), st->ej0));
}

const ta_aead_kernel ta_aes_gcm_armv8ce = {
    .name = "armv8ce",
    .algs = TA_ALG_BIT(TA_AES_128_GCM) | TA_ALG_BIT(TA_AES_256_GCM),
    .needs = TA_CPU_ARM_AES | TA_CPU_ARM_PMULL | TA_CPU_ASIMD,
    .key_state_size = sizeof(gcm_key),
    .setup = armv8ce_setup,
    .begin = armv8ce_begin,
    .crypt = armv8ce_crypt,
    .finish = armv8ce_finish,
};
