/*
 * chacha20_poly1305_common.h - what every ChaCha20-Poly1305 kernel shares (RFC 8439).
 *
 * Everything here is static inline so each kernel file compiles it for its own ISA.
 *
 * The AEAD (RFC 8439 2.8):
 *   otk    = first 32 bytes of ChaCha20(key, counter 0, nonce)        (2.6)
 *   ct     = plaintext XOR ChaCha20(key, counters 1, 2, ..., nonce)   (2.4)
 *   tag    = Poly1305(otk, aad || pad16 || ct || pad16 || le64(|aad|) || le64(|ct|))
 *
 * Key state: the 32-byte key as eight little-endian words.
 * Stream state (cc_state below, inside TA_KERNEL_STREAM_SIZE): the nonce, the next block
 * counter, the Poly1305 accumulator and key, the two lengths, and for the vector kernels
 * the powers r^1..r^8 of the Poly1305 key in radix 2^26, computed once per operation the
 * first time a long enough piece arrives. Block 0 is one latency-bound chain, so the
 * vector kernels defer it when the AAD is short (kept in aad_buf) and make it together
 * with the first piece's key stream: from one rows pass for a short piece (blocks 1.. of
 * it wait in ks_cache, which shares room with the powers: 192 bytes with AVX-512, 64 with
 * AVX2), or inside the first bulk pass for a longer one; see chacha20_poly1305_vec_body.h.
 *
 * Stream contract (internal.h): every crypt call but the last has len % 64 == 0, so the
 * ciphertext MACed by each call but the last is whole 16-byte Poly1305 blocks and no
 * partial block is ever carried between calls; the last call pads its tail with zeros
 * (pad16 of 2.8).
 *
 * Scalar Poly1305 (RFC 8439 2.5) works in radix 2^44: h = h0 + h1 2^44 + h2 2^88 with
 * 64x64->128 multiplies. Since p = 2^130 - 5, a product term at 2^132 folds back as
 * 2^132 = 4 * 2^130 == 20 (mod p), hence the s1 = 20 r1, s2 = 20 r2 below.
 */
#ifndef TA_CHACHA20_POLY1305_COMMON_H
#define TA_CHACHA20_POLY1305_COMMON_H

#include "internal.h"

#include <stddef.h>
#include <string.h>

typedef unsigned __int128 cc_u128;

#define CC_M44 ((((uint64_t)1) << 44) - 1)
#define CC_M42 ((((uint64_t)1) << 42) - 1)
#define CC_M26 ((((uint64_t)1) << 26) - 1)

typedef struct {
  uint32_t key[8];
} cc_key;

typedef struct {
  uint32_t nonce[3];
  uint32_t counter;  /* next ChaCha20 block counter */
  uint64_t h[3];     /* Poly1305 accumulator, radix 2^44 */
  uint64_t r[3];     /* clamped r, radix 2^44 */
  uint64_t s[2];     /* s, the second half of the one-time key */
  uint64_t aad_len;
  uint64_t ct_len;
  uint32_t have_powers;
  uint32_t cached;   /* bytes of key stream (blocks 1, 2, ...) waiting in ks_cache */
  uint32_t deferred; /* vector kernels: block 0 not made yet, the AAD waits in aad_buf */
  uint8_t aad_buf[64];
  union {
    uint32_t rpow[5][8];   /* limb i of r^(8-j) at [i][j], radix 2^26 (vector kernels) */
    uint8_t ks_cache[192]; /* vector kernels: key stream made along with block 0 */
  } u;
} cc_state;

_Static_assert(sizeof(cc_state) <= TA_KERNEL_STREAM_SIZE, "stream state fits");
_Static_assert(sizeof(cc_key) <= 64, "key state fits");

static inline uint32_t cc_load32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

static inline uint64_t cc_load64(const uint8_t *p) {
  return (uint64_t)cc_load32(p) | ((uint64_t)cc_load32(p + 4) << 32);
}

static inline void cc_store32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static inline void cc_store64(uint8_t *p, uint64_t v) {
  cc_store32(p, (uint32_t)v);
  cc_store32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t cc_rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

/* RFC 8439 2.1: the quarter round. */
#define CC_QR(a, b, c, d)       \
  do {                          \
    a += b;                     \
    d = cc_rotl(d ^ a, 16);     \
    c += d;                     \
    b = cc_rotl(b ^ c, 12);     \
    a += b;                     \
    d = cc_rotl(d ^ a, 8);      \
    c += d;                     \
    b = cc_rotl(b ^ c, 7);      \
  } while (0)

/* RFC 8439 2.3: one 64-byte block of key stream (state words, 20 rounds, feed-forward). */
static inline void cc_block(const cc_key *k, uint32_t counter, const uint32_t nonce[3],
                            uint8_t out[64]) {
  uint32_t in[16] = {0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u,
                     k->key[0],   k->key[1],   k->key[2],   k->key[3],
                     k->key[4],   k->key[5],   k->key[6],   k->key[7],
                     counter,     nonce[0],    nonce[1],    nonce[2]};
  uint32_t x[16];
  memcpy(x, in, sizeof x);
  for (int i = 0; i < 10; i++) {
    CC_QR(x[0], x[4], x[8], x[12]); /* column rounds */
    CC_QR(x[1], x[5], x[9], x[13]);
    CC_QR(x[2], x[6], x[10], x[14]);
    CC_QR(x[3], x[7], x[11], x[15]);
    CC_QR(x[0], x[5], x[10], x[15]); /* diagonal rounds */
    CC_QR(x[1], x[6], x[11], x[12]);
    CC_QR(x[2], x[7], x[8], x[13]);
    CC_QR(x[3], x[4], x[9], x[14]);
  }
  for (int i = 0; i < 16; i++) cc_store32(out + 4 * i, x[i] + in[i]);
  memset(x, 0, sizeof x);
  __asm__ __volatile__("" : : "r"(x) : "memory");
}

/* XORs len (<= 64) bytes of key stream block `counter` into out. */
static inline void cc_xor_block(const cc_key *k, uint32_t counter, const uint32_t nonce[3],
                                const uint8_t *in, uint8_t *out, size_t len) {
  uint8_t ks[64];
  cc_block(k, counter, nonce, ks);
  for (size_t i = 0; i < len; i++) out[i] = in[i] ^ ks[i];
  ta_wipe(ks, sizeof ks);
}

static inline int cc_setup(void *ks, int alg, const uint8_t *key, size_t key_len) {
  if (alg != TA_CHACHA20_POLY1305 || key_len != 32) return TA_ERR_ARG;
  cc_key *k = (cc_key *)ks;
  for (int i = 0; i < 8; i++) k->key[i] = cc_load32(key + 4 * i);
  return TA_OK;
}

/* ---------------------------------------------------------------- scalar Poly1305 */

/* RFC 8439 2.5: h = (h + m_i + hibit) * r mod p for each 16-byte block; hibit is 2^128 for
 * whole blocks (the appended 0x01 byte) - with pad16 every block the AEAD MACs is whole. */
static inline void cc_poly_blocks(uint64_t h[3], const uint64_t r[3], const uint8_t *m,
                                  size_t nblocks) {
  const uint64_t r0 = r[0], r1 = r[1], r2 = r[2];
  const uint64_t s1 = r1 * 20, s2 = r2 * 20;
  uint64_t h0 = h[0], h1 = h[1], h2 = h[2];
  while (nblocks--) {
    uint64_t t0 = cc_load64(m), t1 = cc_load64(m + 8);
    h0 += t0 & CC_M44;
    h1 += ((t0 >> 44) | (t1 << 20)) & CC_M44;
    h2 += (t1 >> 24) | (((uint64_t)1) << 40);
    cc_u128 d0 = (cc_u128)h0 * r0 + (cc_u128)h1 * s2 + (cc_u128)h2 * s1;
    cc_u128 d1 = (cc_u128)h0 * r1 + (cc_u128)h1 * r0 + (cc_u128)h2 * s2;
    cc_u128 d2 = (cc_u128)h0 * r2 + (cc_u128)h1 * r1 + (cc_u128)h2 * r0;
    uint64_t c = (uint64_t)(d0 >> 44);
    h0 = (uint64_t)d0 & CC_M44;
    d1 += c;
    c = (uint64_t)(d1 >> 44);
    h1 = (uint64_t)d1 & CC_M44;
    d2 += c;
    c = (uint64_t)(d2 >> 42);
    h2 = (uint64_t)d2 & CC_M42;
    h0 += c * 5;
    c = h0 >> 44;
    h0 &= CC_M44;
    h1 += c;
    m += 16;
  }
  h[0] = h0;
  h[1] = h1;
  h[2] = h2;
}

/* MACs len bytes followed by zeros up to a multiple of 16 (pad16 of RFC 8439 2.8). */
static inline void cc_poly_padded(cc_state *st, const uint8_t *m, size_t len) {
  size_t whole = len / 16;
  if (whole) cc_poly_blocks(st->h, st->r, m, whole);
  size_t rest = len % 16;
  if (rest) {
    uint8_t block[16] = {0};
    memcpy(block, m + 16 * whole, rest);
    cc_poly_blocks(st->h, st->r, block, 1);
  }
}

/* Multiplies a = a * b mod p in radix 2^44 (a, b partly reduced); for powers of r. */
static inline void cc_poly_mul(uint64_t a[3], const uint64_t b[3]) {
  const uint64_t s1 = b[1] * 20, s2 = b[2] * 20;
  cc_u128 d0 = (cc_u128)a[0] * b[0] + (cc_u128)a[1] * s2 + (cc_u128)a[2] * s1;
  cc_u128 d1 = (cc_u128)a[0] * b[1] + (cc_u128)a[1] * b[0] + (cc_u128)a[2] * s2;
  cc_u128 d2 = (cc_u128)a[0] * b[2] + (cc_u128)a[1] * b[1] + (cc_u128)a[2] * b[0];
  uint64_t c = (uint64_t)(d0 >> 44);
  a[0] = (uint64_t)d0 & CC_M44;
  d1 += c;
  c = (uint64_t)(d1 >> 44);
  a[1] = (uint64_t)d1 & CC_M44;
  d2 += c;
  c = (uint64_t)(d2 >> 42);
  a[2] = (uint64_t)d2 & CC_M42;
  a[0] += c * 5;
  c = a[0] >> 44;
  a[0] &= CC_M44;
  a[1] += c;
}

/* Full carry so that h0, h1 < 2^44 and h2 < 2^42 + small (value < 2^130 + small). */
static inline void cc_poly_carry(uint64_t h[3]) {
  uint64_t c;
  c = h[1] >> 44; h[1] &= CC_M44; h[2] += c;
  c = h[2] >> 42; h[2] &= CC_M42; h[0] += c * 5;
  c = h[0] >> 44; h[0] &= CC_M44; h[1] += c;
  c = h[1] >> 44; h[1] &= CC_M44; h[2] += c;
}

/* radix 2^44 (carried) -> five 26-bit limbs; the top limb takes the bits from 104 up. */
static inline void cc_to26(const uint64_t h[3], uint32_t l[5]) {
  l[0] = (uint32_t)(h[0] & CC_M26);
  l[1] = (uint32_t)(((h[0] >> 26) | (h[1] << 18)) & CC_M26);
  l[2] = (uint32_t)((h[1] >> 8) & CC_M26);
  l[3] = (uint32_t)(((h[1] >> 34) | (h[2] << 10)) & CC_M26);
  l[4] = (uint32_t)(h[2] >> 16);
}

/* five limbs (each < 2^63, any carry state) -> radix 2^44, partly reduced. */
static inline void cc_from26(const uint64_t l_in[5], uint64_t h[3]) {
  uint64_t l[5] = {l_in[0], l_in[1], l_in[2], l_in[3], l_in[4]};
  uint64_t c;
  for (int pass = 0; pass < 2; pass++) {
    c = l[0] >> 26; l[0] &= CC_M26; l[1] += c;
    c = l[1] >> 26; l[1] &= CC_M26; l[2] += c;
    c = l[2] >> 26; l[2] &= CC_M26; l[3] += c;
    c = l[3] >> 26; l[3] &= CC_M26; l[4] += c;
    c = l[4] >> 26; l[4] &= CC_M26; l[0] += c * 5;
  }
  h[0] = l[0] | ((l[1] & ((1u << 18) - 1)) << 26);
  h[1] = (l[1] >> 18) | (l[2] << 8) | ((l[3] & ((1u << 10) - 1)) << 34);
  h[2] = (l[3] >> 10) | (l[4] << 16);
  cc_poly_carry(h);
}

/* r^1..r^8 in radix 2^26 for the vector Poly1305 (once per operation). Three levels of
 * independent products (r^2; r^3, r^4; r^5..r^8) instead of a chain of seven. Stored
 * limb by limb, r^8 first, so that one load gives a limb of r^8, r^7, ..., r^1 in lanes. */
static inline void cc_poly_powers(cc_state *st) {
  uint64_t p[8][3];
  memcpy(p[0], st->r, sizeof p[0]);
  memcpy(p[1], st->r, sizeof p[1]);
  cc_poly_mul(p[1], st->r);
  memcpy(p[2], p[1], sizeof p[2]);
  memcpy(p[3], p[1], sizeof p[3]);
  cc_poly_mul(p[2], p[0]);
  cc_poly_mul(p[3], p[1]);
  for (int i = 4; i < 8; i++) {
    memcpy(p[i], p[3], sizeof p[i]);
    cc_poly_mul(p[i], p[i - 4]);
  }
  for (int i = 0; i < 8; i++) { /* limb-major, highest power first: the lane order */
    uint32_t l[5];
    cc_poly_carry(p[i]);
    cc_to26(p[i], l);
    for (int j = 0; j < 5; j++) st->u.rpow[j][7 - i] = l[j];
  }
  st->have_powers = 1;
}

/* ---------------------------------------------------------------- AEAD steps */

/* Clears st and sets the nonce; the kernel then makes block 0 and calls cc_begin_keys.
 * aad_buf and the union are not cleared: deferred, cached and have_powers say when they
 * hold anything (and the generic layer wipes the whole stream state after use). */
static inline void cc_begin_nonce(cc_state *st, const uint8_t nonce[12]) {
  memset(st, 0, offsetof(cc_state, aad_buf));
  for (int i = 0; i < 3; i++) st->nonce[i] = cc_load32(nonce + 4 * i);
}

/* RFC 8439 2.8 steps 1-2: one-time key = block 0 (2.6), counter 1, MAC aad || pad16. */
static inline void cc_begin_keys(cc_state *st, const uint8_t otk[32], const uint8_t *aad,
                                 size_t aad_len) {
  /* r is clamped: r &= 0x0ffffffc0ffffffc0ffffffc0fffffff (2.5) */
  uint64_t t0 = cc_load64(otk), t1 = cc_load64(otk + 8);
  st->r[0] = t0 & 0xffc0fffffffull;
  st->r[1] = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffffull;
  st->r[2] = (t1 >> 24) & 0x00ffffffc0full;
  st->s[0] = cc_load64(otk + 16);
  st->s[1] = cc_load64(otk + 24);
  st->counter = 1;
  st->aad_len = aad_len;
  if (aad_len) cc_poly_padded(st, aad, aad_len);
}

static inline void cc_begin(const void *ks, void *stv, const uint8_t nonce[12],
                            const uint8_t *aad, size_t aad_len) {
  cc_state *st = (cc_state *)stv;
  cc_begin_nonce(st, nonce);
  uint8_t otk[64];
  cc_block((const cc_key *)ks, 0, st->nonce, otk);
  cc_begin_keys(st, otk, aad, aad_len);
  ta_wipe(otk, sizeof otk);
}

/* RFC 8439 2.8 last steps: le64 lengths block, then tag = (h + s) mod 2^128 (2.5). */
static inline void cc_finish(const void *ks, void *stv, uint8_t tag[16]) {
  (void)ks;
  cc_state *st = (cc_state *)stv;
  uint8_t lens[16];
  cc_store64(lens, st->aad_len);
  cc_store64(lens + 8, st->ct_len);
  cc_poly_blocks(st->h, st->r, lens, 1);

  uint64_t h[3] = {st->h[0], st->h[1], st->h[2]};
  cc_poly_carry(h);
  /* g = h + 5 - 2^130; if g >= 0 (no borrow) then h >= p and h - p = g is the result */
  uint64_t g0 = h[0] + 5, c = g0 >> 44;
  g0 &= CC_M44;
  uint64_t g1 = h[1] + c;
  c = g1 >> 44;
  g1 &= CC_M44;
  uint64_t g2 = h[2] + c - (((uint64_t)1) << 42);
  uint64_t use_g = 0 - (1 ^ (g2 >> 63)); /* all ones when g2 did not go negative */
  h[0] = (h[0] & ~use_g) | (g0 & use_g);
  h[1] = (h[1] & ~use_g) | (g1 & use_g);
  h[2] = (h[2] & ~use_g) | (g2 & use_g & CC_M42);
  /* back to two 64-bit words, add s mod 2^128 */
  uint64_t lo = h[0] | (h[1] << 44);
  uint64_t hi = (h[1] >> 20) | (h[2] << 24);
  cc_u128 sum = ((cc_u128)hi << 64 | lo) + ((cc_u128)st->s[1] << 64 | st->s[0]);
  cc_store64(tag, (uint64_t)sum);
  cc_store64(tag + 8, (uint64_t)(sum >> 64));
  ta_wipe(st, sizeof *st);
}

/* Portable crypt of whole blocks and the tail (used by every kernel for what is left after
 * its vector loop). MACs the ciphertext: the output when encrypting, the input otherwise. */
static inline void cc_crypt_scalar(const cc_key *k, cc_state *st, int encrypt,
                                   const uint8_t *in, uint8_t *out, size_t len) {
  while (len) {
    size_t n = len < 64 ? len : 64;
    if (!encrypt) cc_poly_padded(st, in, n);
    cc_xor_block(k, st->counter++, st->nonce, in, out, n);
    if (encrypt) cc_poly_padded(st, out, n);
    in += n;
    out += n;
    len -= n;
  }
}

#endif
