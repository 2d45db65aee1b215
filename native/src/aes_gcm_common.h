/*
 * aes_gcm_common.h - what every AES-GCM kernel shares (NIST SP 800-38D).
 *
 * Everything here is static inline and is compiled into each kernel file for that file's
 * instruction set (AES-NI + PCLMULQDQ + SSE4.1 at least), never into a baseline file.
 *
 * ---------------------------------------------------------------- the construction
 *   H    = E(K, 0^128)
 *   J0   = nonce || 0^31 || 1                     (96-bit nonces only)
 *   C_i  = P_i XOR E(K, inc32^i(J0)), i = 1, 2, ...  (inc32: +1 mod 2^32 on the last
 *                                                  32 bits, big-endian)
 *   S    = GHASH_H(A || 0-pad || C || 0-pad || [len(A)]_64 || [len(C)]_64)   (bit lengths)
 *   tag  = S XOR E(K, J0)
 *   GHASH_H(X_1..X_n): Y_0 = 0, Y_i = (Y_{i-1} XOR X_i) * H in GF(2^128).
 *
 * ---------------------------------------------------------------- GHASH math
 * The field is GF(2)[x] / g(x), g = x^128 + x^7 + x^2 + x + 1. GCM maps a 16-byte block
 * to a polynomial "bit-reflected": the most significant bit of byte 0 is the coefficient
 * of x^0 and the least significant bit of byte 15 that of x^127.
 *
 * Representation. We byte-reverse every block (one PSHUFB) and load it as a 128-bit
 * little-endian integer. Then integer bit i holds the coefficient of x^(127-i): the
 * polynomial, reversed. Call this the reflected form.
 *
 * Multiplication. PCLMULQDQ multiplies integers carry-lessly. For reflected a', b' the
 * 255-bit integer product has bit k = coefficient of x^(254-k) of a*b; read as a 256-bit
 * reflected value (bit k <-> x^(255-k)) it is a*b*x. Rather than shifting every product
 * right by one bit we fold the stray x into the key: we store K = H * x^-1, so that
 * clmul(Y', K') reduces to Y*H exactly. x^-1 = x^127 + x^6 + x + 1 (since
 * x * (x^127 + x^6 + x + 1) = g + 1), whose reflected form is 0xc2000...0001; computing
 * H * x^-1 is a one-bit left shift of the reflected integer, XORing that constant when a
 * bit falls out of the top (see gcm_key_times_x_inverse).
 *
 * A 128x128 product is four 64x64 clmuls (schoolbook): LO = a0*b0, HI = a1*b1,
 * MI = a0*b1 + a1*b0, and the 256-bit result is HI*2^128 + MI*2^64 + LO. Karatsuba gets MI
 * from one clmul, (a0+a1)(b0+b1) + LO + HI, at the price of a qword swap and XOR per block
 * and a stored b0+b1 per power (hk[]). On the cores we measured, PCLMULQDQ issues once
 * per 2 cycles and competes with AESENC for the same pipes, so the bulk loops (and the
 * AAD) use Karatsuba; the short paths (tails, single blocks) keep the schoolbook form.
 *
 * Reduction. In the reflected 256-bit integer the low 128 bits hold the degrees
 * 128..255, which must be folded back with x^128 = x^7 + x^2 + x + 1. For a 64-bit word L
 * at integer bits 0..63 (degrees 255-j), x^(255-j) = x^(127-j) * (x^7 + x^2 + x + 1) lands
 * at integer bits 128+j, 127+j, 126+j and 121+j: that is L << 128 XOR clmul(L, c) << 64
 * with c = 0xc200000000000000 (bits 63, 62, 57). Folding the low word raises bits up to
 * 190, so the next word (bits 64..127) is folded the same way, 64 bits higher. With
 * LO/MI/HI kept apart this is two clmuls and two qword swaps (gcm_reduce):
 *   MI ^= swap(LO) ^ clmul(LO.lo, c);  HI ^= swap(MI) ^ clmul(MI.lo, c);  result = HI.
 *
 * Aggregation. Reduction is linear, and so is the unreduced product, so for n blocks
 *   Y_n = (Y_0 + X_1) H^n + X_2 H^(n-1) + ... + X_n H
 * can be computed as n independent unreduced products summed together and reduced once.
 * Hence the key state holds the powers H^1..H^NPOW (each times x^-1); the bulk loops
 * multiply 8 (AES-NI), 16 (VAES-256, 8 ymm) or 32 (VAES-512, 8 zmm) blocks by descending
 * powers, XOR the 256-bit products, and reduce once per group. The powers are stored in
 * descending order, h[i] = H^(NPOW-i), so that the last m blocks of any group use the
 * contiguous run h[NPOW-m .. NPOW-1] and a vector load of 4 consecutive entries lines up
 * with 4 consecutive blocks. A few zero entries follow, so a vector load running past
 * H^1 reads zeros (used for the tail, where the unused lanes are zero as well).
 *
 * ---------------------------------------------------------------- on AArch64
 * aes_gcm_armv8ce.c (its own types in aes_gcm_armv8ce.h; this file is x86 only) uses the
 * same representation and math. What differs:
 *  - PMULL multiplies the low 64-bit halves of its operands and PMULL2 the high halves;
 *    there is no immediate that picks a half of each. The bit order is the same as
 *    PCLMULQDQ's (bit i of each operand and of the 128-bit result is the coefficient of
 *    x^i), so the reflected form, the x^-1 folded into the key and the constant
 *    0xc200000000000000 carry over unchanged. The cross terms (a0 b1, a1 b0) take an EXT
 *    that swaps the halves of one operand; Karatsuba needs only PMULL on the folded halves.
 *  - The reduction is the same two multiplies by c and two half swaps (EXT), on
 *    PMULL of the low half of LO, then of MI.
 *  - Byte reversal of a block is REV64 + EXT (no one-instruction PSHUFB with this mask).
 *  - The counter is a plain 32-bit number inserted big-endian (REV) into the last word of
 *    the nonce block, instead of a vector add on the byte-reversed block.
 *  - AESE is AddRoundKey + SubBytes + ShiftRows and AESMC is MixColumns, so the round keys
 *    enter one step earlier than with AESENC and the last key is a plain XOR. There is no
 *    key-assist instruction: SubWord in the key schedule is AESE with a zero key on the
 *    word copied into all four columns (ShiftRows then moves nothing).
 *  - One group is 8 blocks with the powers H^8..H^1 (32 vector registers hold 8 AES
 *    states, the round keys and the three accumulators).
 *
 * ---------------------------------------------------------------- counters
 * The counter block is kept byte-reversed too (same PSHUFB mask as GHASH), so the
 * big-endian 32-bit counter becomes dword 0 of the integer and inc32 is a plain 32-bit
 * vector add, which wraps mod 2^32 as GCM requires; one PSHUFB turns it back into the
 * AES input. (The counter is public, so branching on it, as the AES-NI kernel does to
 * skip byte swaps, leaks nothing.)
 *
 * ---------------------------------------------------------------- stream contract
 * Every crypt call but the last has len % 64 == 0 (internal.h), so no partial block is
 * ever carried across calls: only the last call can end in a partial block, which is
 * zero-padded for GHASH. The stream state keeps Y, E(K, J0), the byte-reversed counter
 * block and the two byte counts.
 */
#ifndef TA_AES_GCM_COMMON_H
#define TA_AES_GCM_COMMON_H

#include "internal.h"

#include <immintrin.h>
#include <string.h>

/* For the few helpers whose inlining decides whether their arrays stay in registers. */
#define TA_INLINE static inline __attribute__((always_inline))

/* The bulk functions start on a cache line, so the placement of their loops does not
 * change with where the linker puts them (measured: up to 25% apart between links). */
#define TA_HOT_ALIGN __attribute__((aligned(64)))

/* Number of powers of H kept in the key state (enough for 32 blocks per reduction). */
#define TA_GCM_NPOW 32

typedef struct {
  /* h[i] = H^(NPOW - i) * x^-1 in reflected form; h[NPOW..NPOW+3] are zero. */
  __m128i h[TA_GCM_NPOW + 4];
  /* hk[i] = (high qword ^ low qword of h[i]) in both qwords, for Karatsuba. */
  __m128i hk[TA_GCM_NPOW + 4];
  __m128i rk[15]; /* AES round keys, rk[0..rounds] */
  uint32_t rounds; /* 10 or 14 */
} gcm_key;

typedef struct {
  __m128i y;    /* running GHASH, reflected */
  __m128i ej0;  /* E(K, J0), byte order as on the wire */
  __m128i ctr;  /* next counter block, byte-reversed (counter in dword 0) */
  uint64_t aad_len, ct_len; /* bytes */
} gcm_stream;

_Static_assert(sizeof(gcm_stream) <= TA_KERNEL_STREAM_SIZE, "GCM stream state fits");

/* ---------------------------------------------------------------- constants */

static inline __m128i gcm_bswap_mask(void) {
  return _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}

/* c = 0xc200000000000000 in the high qword (the reduction multiplier), 1 in the low one:
 * together the reflected form of x^-1. */
static inline __m128i gcm_poly(void) {
  return _mm_set_epi64x((long long)0xc200000000000000ull, 1);
}

static inline __m128i gcm_bswap(__m128i v) { return _mm_shuffle_epi8(v, gcm_bswap_mask()); }

/* ---------------------------------------------------------------- AES */

static inline __m128i aes_expand_step(__m128i k, __m128i t) {
  k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
  k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
  k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
  return _mm_xor_si128(k, t);
}

#define AES128_ROUND(i, rcon) \
  rk[i] = aes_expand_step(rk[i - 1], \
                          _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[i - 1], rcon), 0xff))

static inline void aes128_expand(__m128i rk[11], const uint8_t key[16]) {
  rk[0] = _mm_loadu_si128((const __m128i *)key);
  AES128_ROUND(1, 0x01);
  AES128_ROUND(2, 0x02);
  AES128_ROUND(3, 0x04);
  AES128_ROUND(4, 0x08);
  AES128_ROUND(5, 0x10);
  AES128_ROUND(6, 0x20);
  AES128_ROUND(7, 0x40);
  AES128_ROUND(8, 0x80);
  AES128_ROUND(9, 0x1b);
  AES128_ROUND(10, 0x36);
}
#undef AES128_ROUND

/* AES-256: even round keys take RotWord+SubWord+rcon of the previous odd key (dword 3),
 * odd round keys take SubWord alone of the previous even key (dword 2). */
#define AES256_ROUNDS(i, rcon) \
  rk[i] = aes_expand_step( \
      rk[i - 2], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[i - 1], rcon), 0xff)); \
  rk[i + 1] = aes_expand_step( \
      rk[i - 1], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[i], 0), 0xaa))

static inline void aes256_expand(__m128i rk[15], const uint8_t key[32]) {
  rk[0] = _mm_loadu_si128((const __m128i *)key);
  rk[1] = _mm_loadu_si128((const __m128i *)(key + 16));
  AES256_ROUNDS(2, 0x01);
  AES256_ROUNDS(4, 0x02);
  AES256_ROUNDS(6, 0x04);
  AES256_ROUNDS(8, 0x08);
  AES256_ROUNDS(10, 0x10);
  AES256_ROUNDS(12, 0x20);
  rk[14] = aes_expand_step(rk[12],
                           _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[13], 0x40), 0xff));
}
#undef AES256_ROUNDS

static inline __m128i aes_encrypt1(const gcm_key *k, __m128i b) {
  b = _mm_xor_si128(b, k->rk[0]);
  for (uint32_t r = 1; r < k->rounds; r++) b = _mm_aesenc_si128(b, k->rk[r]);
  return _mm_aesenclast_si128(b, k->rk[k->rounds]);
}

/* ---------------------------------------------------------------- GHASH, 128-bit */

/*
 * Pins a value at this point of the program. Without it GCC reassociates the long XOR
 * sums of the aggregated GHASH, computes all products first and keeps them alive at
 * once, which spills to the stack on 16-register targets; the empty asm keeps each sum
 * in the order written (interleaved with the AES rounds), at no cost.
 */
#define TA_PIN(v) __asm__("" : "+v"(v))

/* Accumulates the unreduced product a * b (both reflected) into lo/mi/hi. */
static inline void gcm_mul_acc(__m128i a, __m128i b, __m128i *lo, __m128i *mi, __m128i *hi) {
  __m128i l = _mm_xor_si128(*lo, _mm_clmulepi64_si128(a, b, 0x00));
  __m128i h = _mm_xor_si128(*hi, _mm_clmulepi64_si128(a, b, 0x11));
  __m128i m = _mm_xor_si128(*mi, _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01),
                                               _mm_clmulepi64_si128(a, b, 0x10)));
  TA_PIN(l);
  TA_PIN(m);
  TA_PIN(h);
  *lo = l, *mi = m, *hi = h;
}

/*
 * The same with Karatsuba (3 clmuls instead of 4): MI is accumulated as
 * (a0^a1)*(b0^b1) and must be corrected once per sum with gcm_karatsuba_fix. bk is the
 * key's hk[] entry. Used where the clmul unit, shared with AES on some cores, is the limit.
 */
static inline void gcm_mul_acc_kara(__m128i a, __m128i b, __m128i bk, __m128i *lo, __m128i *mi,
                                    __m128i *hi) {
  __m128i l = _mm_xor_si128(*lo, _mm_clmulepi64_si128(a, b, 0x00));
  __m128i h = _mm_xor_si128(*hi, _mm_clmulepi64_si128(a, b, 0x11));
  __m128i af = _mm_xor_si128(a, _mm_shuffle_epi32(a, 0x4e));
  __m128i m = _mm_xor_si128(*mi, _mm_clmulepi64_si128(af, bk, 0x00));
  TA_PIN(l);
  TA_PIN(m);
  TA_PIN(h);
  *lo = l, *mi = m, *hi = h;
}

/* (a0^a1)(b0^b1) = a0b0 + a1b1 + (a0b1 + a1b0): remove the first two from MI. */
static inline __m128i gcm_karatsuba_fix(__m128i lo, __m128i mi, __m128i hi) {
  return _mm_xor_si128(mi, _mm_xor_si128(lo, hi));
}

/* Reduces HI*2^128 + MI*2^64 + LO modulo g (see the top of this file). */
static inline __m128i gcm_reduce(__m128i lo, __m128i mi, __m128i hi) {
  const __m128i p = gcm_poly();
  mi = _mm_xor_si128(mi, _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e),
                                       _mm_clmulepi64_si128(lo, p, 0x10)));
  return _mm_xor_si128(hi, _mm_xor_si128(_mm_shuffle_epi32(mi, 0x4e),
                                         _mm_clmulepi64_si128(mi, p, 0x10)));
}

/* a * b * x (both reflected); with b = H^i * x^-1 this is a * H^i. */
static inline __m128i gcm_mul(__m128i a, __m128i b) {
  __m128i lo = _mm_setzero_si128(), mi = lo, hi = lo;
  gcm_mul_acc(a, b, &lo, &mi, &hi);
  return gcm_reduce(lo, mi, hi);
}

/* H (reflected) times x^-1: shift the 128-bit integer left by one, XOR x^-1's reflected
 * form 0xc2..01 when the top bit fell out (x^0 * x^-1 = x^-1). Constant time. */
static inline __m128i gcm_key_times_x_inverse(__m128i h) {
  __m128i carry = _mm_shuffle_epi32(_mm_srai_epi32(h, 31), 0xff); /* all ones iff bit 127 */
  __m128i sh = _mm_or_si128(_mm_slli_epi64(h, 1), _mm_slli_si128(_mm_srli_epi64(h, 63), 8));
  const __m128i full = _mm_set_epi64x((long long)0xc200000000000000ull, 1);
  return _mm_xor_si128(sh, _mm_and_si128(carry, full));
}

/* Y for nblocks whole blocks at p (byte order as on the wire), 8 blocks per reduction
 * (Karatsuba). Serves the AAD, and the AES-NI kernel's last group when encrypting. */
static inline __m128i gcm_ghash_blocks(const gcm_key *k, __m128i y, const uint8_t *p,
                                       size_t nblocks) {
  const __m128i bs = gcm_bswap_mask();
  while (nblocks > 0) {
    size_t m = nblocks < 8 ? nblocks : 8;
    const __m128i *hp = &k->h[TA_GCM_NPOW - m], *hk = &k->hk[TA_GCM_NPOW - m];
    __m128i lo = _mm_setzero_si128(), mi = lo, hi = lo;
    __m128i x = _mm_xor_si128(y, _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), bs));
    gcm_mul_acc_kara(x, hp[0], hk[0], &lo, &mi, &hi);
    for (size_t j = 1; j < m; j++) {
      x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * j)), bs);
      gcm_mul_acc_kara(x, hp[j], hk[j], &lo, &mi, &hi);
    }
    y = gcm_reduce(lo, gcm_karatsuba_fix(lo, mi, hi), hi);
    p += 16 * m;
    nblocks -= m;
  }
  return y;
}

/*
 * n < 16 bytes from p, zero-padded to a block, and the converse store. AVX-512 builds use
 * byte-masked loads and stores; the others move 8/4/2/1-byte pieces (fixed-size memcpy
 * compiles to single moves, no library call). Nothing outside p[0..n) is touched.
 */
static inline __m128i gcm_load_partial(const uint8_t *p, size_t n) {
#if defined(__AVX512BW__) && defined(__AVX512VL__)
  return _mm_maskz_loadu_epi8((__mmask16)((1u << n) - 1), p);
#else
  uint64_t a = 0, t = 0;
  size_t i = 0;
  if (n & 8) {
    memcpy(&a, p, 8);
    i = 8;
  }
  if (n & 4) {
    uint32_t v;
    memcpy(&v, p + i, 4);
    t = v;
    i += 4;
  }
  if (n & 2) {
    uint16_t v;
    memcpy(&v, p + i, 2);
    t |= (uint64_t)v << (8 * (i & 7));
    i += 2;
  }
  if (n & 1) t |= (uint64_t)p[i] << (8 * (i & 7));
  return (n & 8) ? _mm_set_epi64x((long long)t, (long long)a) : _mm_set_epi64x(0, (long long)t);
#endif
}

static inline void gcm_store_partial(uint8_t *p, __m128i v, size_t n) {
#if defined(__AVX512BW__) && defined(__AVX512VL__)
  _mm_mask_storeu_epi8(p, (__mmask16)((1u << n) - 1), v);
#else
  uint64_t a = (uint64_t)_mm_cvtsi128_si64(v);
  size_t i = 0;
  if (n & 8) {
    memcpy(p, &a, 8);
    a = (uint64_t)_mm_extract_epi64(v, 1);
    i = 8;
  }
  if (n & 4) {
    uint32_t w = (uint32_t)a;
    memcpy(p + i, &w, 4);
    a >>= 32;
    i += 4;
  }
  if (n & 2) {
    uint16_t w = (uint16_t)a;
    memcpy(p + i, &w, 2);
    a >>= 16;
    i += 2;
  }
  if (n & 1) p[i] = (uint8_t)a;
#endif
}

/* All ones in bytes 0..n-1 (n <= 16). */
static inline __m128i gcm_byte_mask(size_t n) {
  return _mm_cmpgt_epi8(_mm_set1_epi8((char)n),
                        _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

/* Y over any number of bytes, the last block zero-padded. */
static inline __m128i gcm_ghash_bytes(const gcm_key *k, __m128i y, const uint8_t *p,
                                      size_t len) {
  if (len >= 16) y = gcm_ghash_blocks(k, y, p, len / 16);
  size_t rest = len % 16;
  if (rest != 0)
    y = gcm_mul(_mm_xor_si128(y, gcm_bswap(gcm_load_partial(p + (len - rest), rest))),
                k->h[TA_GCM_NPOW - 1]);
  return y;
}

/* ---------------------------------------------------------------- kernel entry points */

static inline int gcm_setup(void *ksv, int alg, const uint8_t *key, size_t key_len) {
  gcm_key *k = (gcm_key *)ksv;
  if (alg == TA_AES_128_GCM && key_len == 16) {
    aes128_expand(k->rk, key);
    k->rounds = 10;
  } else if (alg == TA_AES_256_GCM && key_len == 32) {
    aes256_expand(k->rk, key);
    k->rounds = 14;
  } else {
    return TA_ERR_ARG;
  }
  __m128i h1 = gcm_key_times_x_inverse(gcm_bswap(aes_encrypt1(k, _mm_setzero_si128())));
  __m128i hp = h1;
  k->h[TA_GCM_NPOW - 1] = h1;
  for (int i = TA_GCM_NPOW - 2; i >= 0; i--) {
    hp = gcm_mul(hp, h1); /* H^a x^-1 * H x^-1 * x = H^(a+1) x^-1 */
    k->h[i] = hp;
  }
  for (int i = TA_GCM_NPOW; i < TA_GCM_NPOW + 4; i++) k->h[i] = _mm_setzero_si128();
  for (int i = 0; i < TA_GCM_NPOW + 4; i++)
    k->hk[i] = _mm_xor_si128(k->h[i], _mm_shuffle_epi32(k->h[i], 0x4e));
  return TA_OK;
}

static inline void gcm_begin(const void *ksv, void *stv, const uint8_t nonce[12],
                             const uint8_t *aad, size_t aad_len) {
  const gcm_key *k = (const gcm_key *)ksv;
  gcm_stream *st = (gcm_stream *)stv;
  uint32_t n0, n1, n2;
  memcpy(&n0, nonce, 4);
  memcpy(&n1, nonce + 4, 4);
  memcpy(&n2, nonce + 8, 4);
  __m128i j0 = _mm_setr_epi32((int)n0, (int)n1, (int)n2, 0x01000000); /* nonce || be32(1) */
  st->ej0 = aes_encrypt1(k, j0);
  st->ctr = _mm_add_epi32(gcm_bswap(j0), _mm_setr_epi32(1, 0, 0, 0)); /* counter 2 */
  st->aad_len = aad_len;
  st->ct_len = 0;
  st->y = aad_len ? gcm_ghash_bytes(k, _mm_setzero_si128(), aad, aad_len)
                  : _mm_setzero_si128();
}

static inline void gcm_finish(const void *ksv, void *stv, uint8_t tag[16]) {
  const gcm_key *k = (const gcm_key *)ksv;
  gcm_stream *st = (gcm_stream *)stv;
  /* The length block [len(A)]_64 || [len(C)]_64 in bits, already in reflected form:
   * byte reversal puts len(C) in the low qword and len(A) in the high one. */
  __m128i lens = _mm_set_epi64x((long long)(st->aad_len * 8), (long long)(st->ct_len * 8));
  __m128i y = gcm_mul(_mm_xor_si128(st->y, lens), k->h[TA_GCM_NPOW - 1]);
  _mm_storeu_si128((__m128i *)tag, _mm_xor_si128(gcm_bswap(y), st->ej0));
}

/* The counter after n more blocks (32-bit wrap). */
static inline __m128i gcm_ctr_add(__m128i ctr, size_t n) {
  return _mm_add_epi32(ctr, _mm_setr_epi32((int)(uint32_t)n, 0, 0, 0));
}

/* ---------------------------------------------------------------- tails, 128-bit */

/* Four keystream blocks for counters ctr, ctr+1, ctr+2, ctr+3 (byte-reversed form). */
static inline void gcm_keystream4(const gcm_key *k, __m128i ctr, __m128i ks[4]) {
  const __m128i bs = gcm_bswap_mask();
  for (int j = 0; j < 4; j++)
    ks[j] = _mm_xor_si128(_mm_shuffle_epi8(gcm_ctr_add(ctr, (size_t)j), bs), k->rk[0]);
  for (uint32_t r = 1; r < k->rounds; r++)
    for (int j = 0; j < 4; j++) ks[j] = _mm_aesenc_si128(ks[j], k->rk[r]);
  for (int j = 0; j < 4; j++) ks[j] = _mm_aesenclast_si128(ks[j], k->rk[k->rounds]);
}

/*
 * Up to four blocks (len <= 64, the last one may be partial) from counter ctr; the GHASH
 * products of the ciphertext with hp[0], hp[1], ... are added to lo/mi/hi unreduced. A
 * partial block is loaded and stored piecewise (gcm_load_partial) and hashed zero-padded.
 */
static inline void gcm_tail4_x1(const gcm_key *k, __m128i ctr, int encrypt, const uint8_t *in,
                                uint8_t *out, size_t len, const __m128i *hp, __m128i *lo,
                                __m128i *mi, __m128i *hi) {
  const __m128i bs = gcm_bswap_mask();
  __m128i ks[4];
  gcm_keystream4(k, ctr, ks);
  int j = 0;
  for (; len >= 16; j++, len -= 16, in += 16, out += 16) {
    __m128i d = _mm_loadu_si128((const __m128i *)in);
    __m128i o = _mm_xor_si128(d, ks[j]);
    _mm_storeu_si128((__m128i *)out, o);
    gcm_mul_acc(_mm_shuffle_epi8(encrypt ? o : d, bs), hp[j], lo, mi, hi);
  }
  if (len != 0) {
    __m128i d = gcm_load_partial(in, len); /* zero past len */
    __m128i o = _mm_xor_si128(d, _mm_and_si128(ks[j], gcm_byte_mask(len)));
    gcm_store_partial(out, o, len);
    gcm_mul_acc(_mm_shuffle_epi8(encrypt ? o : d, bs), hp[j], lo, mi, hi);
  }
}

#endif
