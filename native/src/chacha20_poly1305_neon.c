/*
 * chacha20_poly1305_neon.c - ChaCha20-Poly1305 (RFC 8439) with AArch64 Advanced SIMD
 * (NEON, part of every ARMv8-A core): 4 blocks (256 bytes) per pass.
 *
 * The state is transposed as in the x86 vector kernels (chacha20_poly1305_vec_body.h):
 * x[i] holds state word i of 4 consecutive blocks, one per 32-bit lane, so the quarter
 * round of 2.1 runs on whole registers and word 12 is counter + 0..3. A 4x4 transpose
 * (TRN1/TRN2 on 32- then 64-bit elements) turns them back into 64-byte blocks. Rotations:
 * by 16 a REV32 on halfwords, by 8 a TBL, by 12 and 7 a shift plus shift-right-insert.
 * Poly1305 stays scalar (radix 2^44, chacha20_poly1305_common.h), as do block 0, the AAD,
 * the tag and a tail shorter than a pass.
 */
#include "chacha20_poly1305_common.h"

#include <arm_neon.h>

#define NEON_INLINE static inline __attribute__((always_inline))

NEON_INLINE uint32x4_t rol16(uint32x4_t v) {
  return vreinterpretq_u32_u16(vrev32q_u16(vreinterpretq_u16_u32(v)));
}

NEON_INLINE uint32x4_t rol8(uint32x4_t v, uint8x16_t tbl) {
  return vreinterpretq_u32_u8(vqtbl1q_u8(vreinterpretq_u8_u32(v), tbl));
}

#define ROL(v, n) vsriq_n_u32(vshlq_n_u32(v, n), v, 32 - (n))

#define QR(a, b, c, d)                       \
  do {                                       \
    a = vaddq_u32(a, b);                     \
    d = rol16(veorq_u32(d, a));              \
    c = vaddq_u32(c, d);                     \
    b = veorq_u32(b, c);                     \
    b = ROL(b, 12);                          \
    a = vaddq_u32(a, b);                     \
    d = rol8(veorq_u32(d, a), r8);           \
    c = vaddq_u32(c, d);                     \
    b = veorq_u32(b, c);                     \
    b = ROL(b, 7);                           \
  } while (0)

/* 256 bytes of key stream, blocks counter .. counter+3, XORed from in to out. */
static void chacha4(const cc_key *k, uint32_t counter, const uint32_t nonce[3],
                    const uint8_t *in, uint8_t *out) {
  static const uint8_t rol8_index[16] = {3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14};
  const uint8x16_t r8 = vld1q_u8(rol8_index);
  const uint32_t iota[4] = {0, 1, 2, 3};
  uint32x4_t s[16] = {
      vdupq_n_u32(0x61707865u), vdupq_n_u32(0x3320646eu), vdupq_n_u32(0x79622d32u),
      vdupq_n_u32(0x6b206574u), vdupq_n_u32(k->key[0]),   vdupq_n_u32(k->key[1]),
      vdupq_n_u32(k->key[2]),   vdupq_n_u32(k->key[3]),   vdupq_n_u32(k->key[4]),
      vdupq_n_u32(k->key[5]),   vdupq_n_u32(k->key[6]),   vdupq_n_u32(k->key[7]),
      vaddq_u32(vdupq_n_u32(counter), vld1q_u32(iota)),   vdupq_n_u32(nonce[0]),
      vdupq_n_u32(nonce[1]),    vdupq_n_u32(nonce[2])};
  uint32x4_t x[16];
  for (int i = 0; i < 16; i++) x[i] = s[i];
  for (int i = 0; i < 10; i++) {
    QR(x[0], x[4], x[8], x[12]); /* column rounds */
    QR(x[1], x[5], x[9], x[13]);
    QR(x[2], x[6], x[10], x[14]);
    QR(x[3], x[7], x[11], x[15]);
    QR(x[0], x[5], x[10], x[15]); /* diagonal rounds */
    QR(x[1], x[6], x[11], x[12]);
    QR(x[2], x[7], x[8], x[13]);
    QR(x[3], x[4], x[9], x[14]);
  }
  for (int i = 0; i < 16; i++) x[i] = vaddq_u32(x[i], s[i]);
  /* words 4q..4q+3 of blocks 0..3 -> bytes 16q..16q+15 of each block */
  for (int q = 0; q < 4; q++) {
    uint32x4_t t0 = vtrn1q_u32(x[4 * q], x[4 * q + 1]), t1 = vtrn2q_u32(x[4 * q], x[4 * q + 1]);
    uint32x4_t t2 = vtrn1q_u32(x[4 * q + 2], x[4 * q + 3]);
    uint32x4_t t3 = vtrn2q_u32(x[4 * q + 2], x[4 * q + 3]);
    uint64x2_t b[4] = {
        vtrn1q_u64(vreinterpretq_u64_u32(t0), vreinterpretq_u64_u32(t2)),
        vtrn1q_u64(vreinterpretq_u64_u32(t1), vreinterpretq_u64_u32(t3)),
        vtrn2q_u64(vreinterpretq_u64_u32(t0), vreinterpretq_u64_u32(t2)),
        vtrn2q_u64(vreinterpretq_u64_u32(t1), vreinterpretq_u64_u32(t3))};
    for (int blk = 0; blk < 4; blk++) {
      const size_t off = 64 * (size_t)blk + 16 * (size_t)q;
      vst1q_u8(out + off, veorq_u8(vld1q_u8(in + off), vreinterpretq_u8_u64(b[blk])));
    }
  }
}

static void neon_crypt(const void *ks, void *stv, int encrypt, const uint8_t *in, uint8_t *out,
                       size_t len) {
  const cc_key *k = (const cc_key *)ks;
  cc_state *st = (cc_state *)stv;
  st->ct_len += len;
  for (; len >= 256; in += 256, out += 256, len -= 256) {
    /* Poly1305 MACs the ciphertext: the input when opening (read before an in-place
     * write), the output when sealing. */
    if (!encrypt) cc_poly_blocks(st->h, st->r, in, 16);
    chacha4(k, st->counter, st->nonce, in, out);
    st->counter += 4;
    if (encrypt) cc_poly_blocks(st->h, st->r, out, 16);
  }
  cc_crypt_scalar(k, st, encrypt, in, out, len);
}

const ta_aead_kernel ta_chacha_neon = {
    .name = "neon",
    .algs = TA_ALG_BIT(TA_CHACHA20_POLY1305),
    .needs = TA_CPU_ASIMD,
    .key_state_size = sizeof(cc_key),
    .setup = cc_setup,
    .begin = cc_begin,
    .crypt = neon_crypt,
    .finish = cc_finish,
};
