/*
 * chacha20_poly1305_vec_body.h - the ChaCha20-Poly1305 (RFC 8439) vector kernel, written
 * once for any vector width. Included by chacha20_poly1305_avx2.c (ymm: 8 blocks per pass,
 * 4 Poly1305 lanes) and chacha20_poly1305_avx512.c (zmm: 16 blocks, 8 lanes), the only two
 * places it is compiled, each with its own -m flags (cmake/KernelFlags.cmake goes by the
 * .c file name). The split: the algorithm is the same at both widths and lives here; what
 * the ISAs do differently - rotations (AVX-512 has vprold), 128-bit lane shuffles, partial
 * vectors (AVX-512BW has byte masks), the Poly1305 message load - stays in the kernel
 * files, as small helpers the includer defines before including this file:
 *
 *   ALWAYS_INLINE        static inline __attribute__((always_inline))
 *   vec, LANES           the vector type and its 32-bit lanes (8 or 16): a bulk pass makes
 *                        LANES blocks, Poly1305 runs in the LANES/2 64-bit lanes
 *   FN(name)             the names of the begin, crypt and finish entry points
 *   BLOCK0_BY_ROWS       1: begin (long AAD) and finish (no piece) make block 0 by a rows
 *                        pass and keep the rest of it in ks_cache; 0: by the scalar cc_block
 *                        (faster where the rows pass has no rotate instruction)
 *   v_loadu v_storeu v_set1 (32-bit broadcast) v_add32 v_xor v_and v_or
 *   v_unpacklo32 v_unpackhi32 v_unpacklo64 v_unpackhi64 (within 128-bit lanes)
 *   v_bcast128           an __m128i into every 128-bit lane
 *   v_iota               0, 1, .., LANES-1 in the 32-bit lanes (block counters of a pass)
 *   v_lane128_index      0, 1, .. in dword 0 of each 128-bit lane (counters of a rows pass)
 *   v_rol16 v_rol12 v_rol8 v_rol7, x_rol16 x_rol12 x_rol8 x_rol7 (the same on __m128i)
 *                        rotations of every 32-bit lane left by 16, 12, 8, 7
 *   v_shuf32(v, imm)     vpshufd within 128-bit lanes (a macro: imm is an immediate)
 *   v_lanes4(a, b, c, d, o)   the 4x4 transpose of 128-bit lanes: lane l of a, b, c, d
 *                        holds bytes 0-15, 16-31, 32-47, 48-63 of the l-th block of a set of
 *                        LANES/4 blocks; o[0..3] get the key stream of the set, in order
 *   v_xor_part(in, out, n, ks)   out = in XOR ks for 0 < n <= sizeof(vec) bytes, bytes
 *                        past n neither read nor written
 *   v64_add v64_mul (vpmuludq) v64_set1 V64_SRLI V64_SLLI (macros)   on 64-bit lanes
 *   v64_lane0(x)         x in 64-bit lane 0, zeros elsewhere
 *   v64_hsum(v)          the sum of the 64-bit lanes
 *   v_poly_load(m, lo, hi)    LANES/2 16-byte blocks at m: bytes 0-7 of each into *lo,
 *                        bytes 8-15 into *hi, one block per 64-bit lane, in an order of
 *                        the kernel's choosing
 *   v_poly_last_powers(limb)  from one limb row of cc_state.u.rpow ({r^8, .., r^1}), the
 *                        power each lane is multiplied by at the end of a run: r^(P-j)
 *                        for the lane holding block j of a group of P = LANES/2 blocks
 */

/*
 * How it works.
 *
 * ChaCha20, bulk (RFC 8439 2.3, 2.4): LANES blocks per pass. The state is transposed:
 * x[i] holds state word i of LANES consecutive blocks (one block per 32-bit lane), so the
 * quarter round of 2.1 runs on whole registers and the column/diagonal rounds of 2.3 only
 * change which registers are combined; word 12 (the counter) is counter + 0..LANES-1. A
 * 4x4 transpose of 32-bit words within 128-bit lanes, then v_lanes4, turn the registers
 * back into 64-byte key stream blocks.
 *
 * ChaCha20, short tails: the state is kept by rows, one block per 128-bit lane (LANES/4
 * blocks per pass, 2.2's view: the diagonal round rotates rows b, c, d by 1, 2, 3 words).
 * A rows pass is one latency-bound chain, about as slow as a whole bulk pass, which is
 * throughput-bound; so only a tail of up to 4 vectors goes by rows, longer ones take a
 * partial bulk pass.
 *
 * Block 0 (the one-time Poly1305 key, 2.6) is a latency-bound chain too, so it is not made
 * in begin when the AAD is short (<= 64 bytes; TLS uses 13 or 5): the AAD waits in the
 * stream state and the first piece decides. A piece the rest of one rows pass covers
 * (CACHE_BYTES: 64 with AVX2, 192 with AVX-512) gets block 0 and its key stream from that
 * pass (the key stream goes through ks_cache). A longer one makes block 0 as one xmm rows
 * chain inside its first bulk pass, where it costs almost nothing; that pass is MACed
 * once r is known (when opening in place, from a copy of the ciphertext). A longer AAD
 * is MACed in begin, after block 0 is made there; with BLOCK0_BY_ROWS by a rows pass that
 * also fills ks_cache for a short first piece (as finish does when no piece came).
 *
 * Poly1305 (RFC 8439 2.5), P = LANES/2 blocks at a time in radix 2^26: lane j of five
 * accumulators holds the sum of blocks j, j+P, j+2P, ... Horner's rule with r^P:
 *     A <- A * r^P + M_i            (M_i = blocks Pi..Pi+P-1, one per lane, with 2^128 set)
 * and at the end of a run the lane of block j is multiplied by r^(P-j) and the lanes are
 * added, which gives exactly h * r^T + sum m_t r^(T-t) of the block-by-block definition
 * (h, the accumulator before the run, enters lane 0 of the first group). Products use
 * vpmuludq (32x32->64 per lane) with limbs < 2^27 and 5*r folded in for the terms at 2^130
 * and up (2^130 == 5 mod p); the carries run as two interleaved chains. The powers r..r^8
 * are computed once per operation (cc_poly_powers), when the first piece that uses them
 * comes.
 *
 * The two halves share each bulk pass: the eight Poly1305 steps over a pass (8 groups of P
 * blocks = LANES blocks of 64 bytes) sit between the ten double rounds, so the multiplier
 * work overlaps the ChaCha20 adds, xors and rotates. Opening MACs the ciphertext of the
 * pass before it is overwritten (in place); sealing MACs the ciphertext of the previous
 * pass (software pipelining), and the last pass after the loop. The AEAD around it is
 * RFC 8439 2.8: ciphertext || pad16 after aad || pad16, then the lengths (common.h).
 */

#define VBYTES ((size_t)(4 * LANES))        /* bytes per vector */
#define PASS_BYTES ((size_t)(64 * LANES))   /* one bulk pass: LANES blocks */
#define GROUP_BYTES ((size_t)(8 * LANES))   /* one Poly1305 step: LANES/2 blocks of 16 */
#define ROWS_BYTES (4 * VBYTES)             /* one rows pass: LANES/4 blocks */
#define CACHE_BYTES (ROWS_BYTES - 64)       /* a rows pass beyond block 0 */
#define VPOLY_MIN 256 /* shorter pieces: scalar Poly1305 (the vector one does not pay off) */

_Static_assert(LANES == 8 || LANES == 16, "ymm or zmm");
_Static_assert(BLOCK0_BY_ROWS == 0 || BLOCK0_BY_ROWS == 1, "a switch");
_Static_assert(PASS_BYTES == 8 * GROUP_BYTES, "eight Poly1305 steps per bulk pass");
_Static_assert(CACHE_BYTES <= sizeof(((cc_state *)0)->u.ks_cache), "ks_cache holds a rows pass");

/* The four constant words of RFC 8439 2.3, "expand 32-byte k". */
#define SIGMA0 0x61707865
#define SIGMA1 0x3320646e
#define SIGMA2 0x79622d32
#define SIGMA3 0x6b206574

/* ---------------------------------------------------------------- Poly1305, LANES/2 lanes */

typedef struct {
  vec a[5]; /* accumulators, radix 2^26 */
  vec r[5]; /* r^P in every lane */
  vec s[5]; /* 5 r^P (s[0] unused) */
  int started;
} vpoly;

/* a = a * (r, s) mod p, partly reduced (limbs < 2^26 + small). */
ALWAYS_INLINE void vp_mul(vec a[5], const vec r[5], const vec s[5]) {
  const vec m26 = v64_set1(CC_M26);
#define MUL(x, y) v64_mul(x, y)
  vec d0 = v64_add(v64_add(MUL(a[0], r[0]), MUL(a[1], s[4])),
                   v64_add(v64_add(MUL(a[2], s[3]), MUL(a[3], s[2])), MUL(a[4], s[1])));
  vec d1 = v64_add(v64_add(MUL(a[0], r[1]), MUL(a[1], r[0])),
                   v64_add(v64_add(MUL(a[2], s[4]), MUL(a[3], s[3])), MUL(a[4], s[2])));
  vec d2 = v64_add(v64_add(MUL(a[0], r[2]), MUL(a[1], r[1])),
                   v64_add(v64_add(MUL(a[2], r[0]), MUL(a[3], s[4])), MUL(a[4], s[3])));
  vec d3 = v64_add(v64_add(MUL(a[0], r[3]), MUL(a[1], r[2])),
                   v64_add(v64_add(MUL(a[2], r[1]), MUL(a[3], r[0])), MUL(a[4], s[4])));
  vec d4 = v64_add(v64_add(MUL(a[0], r[4]), MUL(a[1], r[3])),
                   v64_add(v64_add(MUL(a[2], r[2]), MUL(a[3], r[1])), MUL(a[4], r[0])));
#undef MUL
  vec c;
  c = V64_SRLI(d0, 26); d0 = v_and(d0, m26); d1 = v64_add(d1, c);
  c = V64_SRLI(d3, 26); d3 = v_and(d3, m26); d4 = v64_add(d4, c);
  c = V64_SRLI(d1, 26); d1 = v_and(d1, m26); d2 = v64_add(d2, c);
  c = V64_SRLI(d4, 26); d4 = v_and(d4, m26);
  d0 = v64_add(d0, v64_add(c, V64_SLLI(c, 2))); /* 2^130 == 5 */
  c = V64_SRLI(d2, 26); d2 = v_and(d2, m26); d3 = v64_add(d3, c);
  c = V64_SRLI(d0, 26); d0 = v_and(d0, m26); d1 = v64_add(d1, c);
  c = V64_SRLI(d3, 26); d3 = v_and(d3, m26); d4 = v64_add(d4, c);
  a[0] = d0; a[1] = d1; a[2] = d2; a[3] = d3; a[4] = d4;
}

/* Starts a run: h enters lane 0; r^P broadcast (rpow[i][j] is limb i of r^(8-j)). */
ALWAYS_INLINE void vp_start(vpoly *p, cc_state *st) {
  uint64_t h[3] = {st->h[0], st->h[1], st->h[2]};
  uint32_t l[5];
  cc_poly_carry(h);
  cc_to26(h, l);
  for (int i = 0; i < 5; i++) {
    const uint64_t rp = st->u.rpow[i][8 - LANES / 2];
    p->a[i] = v64_lane0(l[i]);
    p->r[i] = v64_set1(rp);
    p->s[i] = v64_set1(5 * rp);
  }
  p->started = 0;
}

/* One group of LANES/2 blocks (GROUP_BYTES bytes): A = A * r^P + M. */
ALWAYS_INLINE void vp_step(vpoly *p, const uint8_t *m) {
  const vec m26 = v64_set1(CC_M26);
  vec lo, hi;
  v_poly_load(m, &lo, &hi);
  vec m0 = v_and(lo, m26);
  vec m1 = v_and(V64_SRLI(lo, 26), m26);
  vec m2 = v_and(v_or(V64_SRLI(lo, 52), V64_SLLI(hi, 12)), m26);
  vec m3 = v_and(V64_SRLI(hi, 14), m26);
  vec m4 = v_or(V64_SRLI(hi, 40), v64_set1(1 << 24)); /* the 2^128 of a whole block */
  if (p->started) vp_mul(p->a, p->r, p->s);
  p->started = 1;
  p->a[0] = v64_add(p->a[0], m0);
  p->a[1] = v64_add(p->a[1], m1);
  p->a[2] = v64_add(p->a[2], m2);
  p->a[3] = v64_add(p->a[3], m3);
  p->a[4] = v64_add(p->a[4], m4);
}

/* Ends a run: the lane of block j times r^(P-j), lanes summed, back into st->h. */
ALWAYS_INLINE void vp_end(vpoly *p, cc_state *st) {
  if (!p->started) return;
  vec r[5], s[5];
  for (int i = 0; i < 5; i++) {
    r[i] = v_poly_last_powers(st->u.rpow[i]);
    s[i] = v64_add(r[i], V64_SLLI(r[i], 2));
  }
  vp_mul(p->a, r, s);
  uint64_t l[5];
  for (int i = 0; i < 5; i++) l[i] = v64_hsum(p->a[i]);
  cc_from26(l, st->h);
  p->started = 0;
}

/* MACs len bytes (+ pad16): whole groups through the run p, the rest scalar. */
static inline void mac_tail(cc_state *st, vpoly *p, const uint8_t *m, size_t len) {
  size_t groups = len / GROUP_BYTES;
  for (size_t g = 0; g < groups; g++) vp_step(p, m + GROUP_BYTES * g);
  vp_end(p, st);
  cc_poly_padded(st, m + GROUP_BYTES * groups, len - GROUP_BYTES * groups);
}

/* ---------------------------------------------------------------- ChaCha20 rounds */

#define x_add32(a, b) _mm_add_epi32(a, b)
#define x_xor(a, b) _mm_xor_si128(a, b)
#define x_shuf32(v, imm) _mm_shuffle_epi32(v, imm)

/* One double round of blocks kept by rows (2.2's view), on xmm (P = x) or vec (P = v). */
#define ROWS_QR(P, a, b, c, d)                                           \
  a = P##_add32(a, b); d = P##_rol16(P##_xor(d, a));                     \
  c = P##_add32(c, d); b = P##_rol12(P##_xor(b, c));                     \
  a = P##_add32(a, b); d = P##_rol8(P##_xor(d, a));                      \
  c = P##_add32(c, d); b = P##_rol7(P##_xor(b, c))
#define ROWS_DR(P, a, b, c, d)                                           \
  do {                                                                   \
    ROWS_QR(P, a, b, c, d);                                              \
    b = P##_shuf32(b, 0x39); /* diagonals into columns */                \
    c = P##_shuf32(c, 0x4e);                                             \
    d = P##_shuf32(d, 0x93);                                             \
    ROWS_QR(P, a, b, c, d);                                              \
    b = P##_shuf32(b, 0x93);                                             \
    c = P##_shuf32(c, 0x4e);                                             \
    d = P##_shuf32(d, 0x39);                                             \
  } while (0)

/* The four quarter rounds of a column (or diagonal) round on x[], interleaved step by
 * step (2.1, 2.3). */
#define VQR4(a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2, a3, b3, c3, d3)   \
  do {                                                                         \
    x[a0] = v_add32(x[a0], x[b0]); x[a1] = v_add32(x[a1], x[b1]);              \
    x[a2] = v_add32(x[a2], x[b2]); x[a3] = v_add32(x[a3], x[b3]);              \
    x[d0] = v_rol16(v_xor(x[d0], x[a0])); x[d1] = v_rol16(v_xor(x[d1], x[a1])); \
    x[d2] = v_rol16(v_xor(x[d2], x[a2])); x[d3] = v_rol16(v_xor(x[d3], x[a3])); \
    x[c0] = v_add32(x[c0], x[d0]); x[c1] = v_add32(x[c1], x[d1]);              \
    x[c2] = v_add32(x[c2], x[d2]); x[c3] = v_add32(x[c3], x[d3]);              \
    x[b0] = v_rol12(v_xor(x[b0], x[c0])); x[b1] = v_rol12(v_xor(x[b1], x[c1])); \
    x[b2] = v_rol12(v_xor(x[b2], x[c2])); x[b3] = v_rol12(v_xor(x[b3], x[c3])); \
    x[a0] = v_add32(x[a0], x[b0]); x[a1] = v_add32(x[a1], x[b1]);              \
    x[a2] = v_add32(x[a2], x[b2]); x[a3] = v_add32(x[a3], x[b3]);              \
    x[d0] = v_rol8(v_xor(x[d0], x[a0])); x[d1] = v_rol8(v_xor(x[d1], x[a1]));  \
    x[d2] = v_rol8(v_xor(x[d2], x[a2])); x[d3] = v_rol8(v_xor(x[d3], x[a3]));  \
    x[c0] = v_add32(x[c0], x[d0]); x[c1] = v_add32(x[c1], x[d1]);              \
    x[c2] = v_add32(x[c2], x[d2]); x[c3] = v_add32(x[c3], x[d3]);              \
    x[b0] = v_rol7(v_xor(x[b0], x[c0])); x[b1] = v_rol7(v_xor(x[b1], x[c1]));  \
    x[b2] = v_rol7(v_xor(x[b2], x[c2])); x[b3] = v_rol7(v_xor(x[b3], x[c3]));  \
  } while (0)

/* ---------------------------------------------------------------- ChaCha20, bulk */

/*
 * LANES blocks from `counter`: key stream XOR in -> out, len bytes (PASS_BYTES in the bulk
 * loop; less for a tail). When mac is not NULL, the PASS_BYTES at mac go through Poly1305
 * between the rounds (read before out is written). When otk is not NULL, block 0 is
 * computed alongside (a single latency-bound chain that hides in the throughput-bound
 * pass) and its first 32 bytes, the Poly1305 key, go to otk.
 */
ALWAYS_INLINE void chacha_pass(const cc_key *k, uint32_t counter, const uint32_t nonce[3],
                               const uint8_t *in, uint8_t *out, size_t len,
                               const uint8_t *mac, vpoly *p, uint8_t *otk) {
  __m128i ra = _mm_setzero_si128(), rb = ra, rc = ra, rd = ra;
  if (otk) {
    ra = _mm_set_epi32(SIGMA3, SIGMA2, SIGMA1, SIGMA0);
    rb = _mm_loadu_si128((const __m128i *)k->key);
    rc = _mm_loadu_si128((const __m128i *)(k->key + 4));
    rd = _mm_set_epi32((int)nonce[2], (int)nonce[1], (int)nonce[0], 0);
  }
  const __m128i ra0 = ra, rb0 = rb;
  vec x[16];
  x[0] = v_set1(SIGMA0);
  x[1] = v_set1(SIGMA1);
  x[2] = v_set1(SIGMA2);
  x[3] = v_set1(SIGMA3);
  for (int i = 0; i < 8; i++) x[4 + i] = v_set1(k->key[i]);
  const vec ctr = v_add32(v_set1(counter), v_iota());
  x[12] = ctr;
  x[13] = v_set1(nonce[0]);
  x[14] = v_set1(nonce[1]);
  x[15] = v_set1(nonce[2]);

  for (int i = 0; i < 10; i++) {
    VQR4(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    if (mac && i < 8) vp_step(p, mac + GROUP_BYTES * i);
    if (otk) ROWS_DR(x, ra, rb, rc, rd);
    VQR4(0, 5, 10, 15, 1, 6, 11, 12, 2, 7, 8, 13, 3, 4, 9, 14);
  }
  if (otk) {
    _mm_storeu_si128((__m128i *)otk, _mm_add_epi32(ra, ra0));
    _mm_storeu_si128((__m128i *)(otk + 16), _mm_add_epi32(rb, rb0));
  }

  /* feed-forward (2.3) */
  x[0] = v_add32(x[0], v_set1(SIGMA0));
  x[1] = v_add32(x[1], v_set1(SIGMA1));
  x[2] = v_add32(x[2], v_set1(SIGMA2));
  x[3] = v_add32(x[3], v_set1(SIGMA3));
  for (int i = 0; i < 8; i++) x[4 + i] = v_add32(x[4 + i], v_set1(k->key[i]));
  x[12] = v_add32(x[12], ctr);
  x[13] = v_add32(x[13], v_set1(nonce[0]));
  x[14] = v_add32(x[14], v_set1(nonce[1]));
  x[15] = v_add32(x[15], v_set1(nonce[2]));

  /* transpose: first words 4g..4g+3 of each block into 128-bit lanes */
  vec y[16];
  for (int g = 0; g < 4; g++) {
    vec t0 = v_unpacklo32(x[4 * g], x[4 * g + 1]);
    vec t1 = v_unpackhi32(x[4 * g], x[4 * g + 1]);
    vec t2 = v_unpacklo32(x[4 * g + 2], x[4 * g + 3]);
    vec t3 = v_unpackhi32(x[4 * g + 2], x[4 * g + 3]);
    /* y[4g+b], 128-bit lane l: words 4g..4g+3 of block 4l+b */
    y[4 * g + 0] = v_unpacklo64(t0, t2);
    y[4 * g + 1] = v_unpackhi64(t0, t2);
    y[4 * g + 2] = v_unpacklo64(t1, t3);
    y[4 * g + 3] = v_unpackhi64(t1, t3);
  }
  /* then blocks b, 4+b, 8+b, .. (one per 128-bit lane) into memory order: byte q of their
   * key stream laid end to end belongs to block b + 4 (q / 64) */
  for (int b = 0; b < 4; b++) {
    vec blk[4];
    v_lanes4(y[b], y[4 + b], y[8 + b], y[12 + b], blk);
    for (int h = 0; h < 4; h++) {
      const size_t q = VBYTES * (size_t)h;
      const size_t off = 64 * ((size_t)b + 4 * (q / 64)) + q % 64;
      if (len >= off + VBYTES)
        v_storeu(out + off, v_xor(v_loadu(in + off), blk[h]));
      else if (len > off)
        v_xor_part(in + off, out + off, len - off, blk[h]);
    }
  }
}

/* ---------------------------------------------------------------- ChaCha20, rows */

/* LANES/4 consecutive key stream blocks from `counter` (ROWS_BYTES) into ks[0..3]. */
ALWAYS_INLINE void rows_pass(const cc_key *k, const uint32_t nonce[3], uint32_t counter,
                             vec ks[4]) {
  const vec a0 = v_bcast128(_mm_set_epi32(SIGMA3, SIGMA2, SIGMA1, SIGMA0));
  const vec b0 = v_bcast128(_mm_loadu_si128((const __m128i *)k->key));
  const vec c0 = v_bcast128(_mm_loadu_si128((const __m128i *)(k->key + 4)));
  const vec d0 = v_add32(
      v_bcast128(_mm_set_epi32((int)nonce[2], (int)nonce[1], (int)nonce[0], (int)counter)),
      v_lane128_index());
  vec a = a0, b = b0, c = c0, d = d0;
  for (int i = 0; i < 10; i++) ROWS_DR(v, a, b, c, d);
  v_lanes4(v_add32(a, a0), v_add32(b, b0), v_add32(c, c0), v_add32(d, d0), ks);
}

/* XORs len bytes with the key stream from st->counter on: up to ROWS_BYTES by rows (one
 * latency-bound pass), more with partial bulk passes (throughput-bound). */
static void chacha_rows(const cc_key *k, cc_state *st, const uint8_t *in, uint8_t *out,
                        size_t len) {
  while (len > ROWS_BYTES) {
    size_t n = len < PASS_BYTES ? len : PASS_BYTES;
    chacha_pass(k, st->counter, st->nonce, in, out, n, NULL, NULL, NULL);
    st->counter += (uint32_t)((n + 63) / 64);
    in += n;
    out += n;
    len -= n;
  }
  if (len) {
    vec ks[4];
    rows_pass(k, st->nonce, st->counter, ks);
    st->counter += (uint32_t)((len + 63) / 64);
    for (int i = 0; i < 4 && len; i++) {
      size_t n = len < VBYTES ? len : VBYTES;
      v_xor_part(in, out, n, ks[i]);
      in += n;
      out += n;
      len -= n;
    }
  }
}

/* ---------------------------------------------------------------- AEAD (RFC 8439 2.8) */

/* Block 0 gives the Poly1305 key (2.6), then the AAD is MACed. by_rows: block 0 comes
 * from a rows pass whose blocks 1.. wait in ks_cache for a short first piece; otherwise
 * from the scalar cc_block alone (see BLOCK0_BY_ROWS). */
static void make_keys(const cc_key *k, cc_state *st, const uint8_t *aad, size_t aad_len,
                      int by_rows) {
  _Alignas(64) uint8_t otk[64];
  if (by_rows) {
    vec ks[4];
    rows_pass(k, st->nonce, 0, ks);
    v_storeu(otk, ks[0]);
    for (size_t i = 64 / VBYTES; i < 4; i++) v_storeu(st->u.ks_cache + VBYTES * i - 64, ks[i]);
    st->cached = CACHE_BYTES;
  } else {
    cc_block(k, 0, st->nonce, otk);
  }
  cc_begin_keys(st, otk, aad, aad_len);
  ta_wipe(otk, sizeof otk);
}

static void undefer(const cc_key *k, cc_state *st, int by_rows) {
  st->deferred = 0;
  make_keys(k, st, st->aad_buf, (size_t)st->aad_len, by_rows);
}

/* With an AAD of up to 64 bytes (TLS: 13 or 5) block 0 waits for the first piece. */
static void FN(begin)(const void *ks, void *stv, const uint8_t nonce[12], const uint8_t *aad,
                      size_t aad_len) {
  cc_state *st = (cc_state *)stv;
  cc_begin_nonce(st, nonce);
  if (aad_len <= sizeof st->aad_buf) {
    if (aad_len) memcpy(st->aad_buf, aad, aad_len);
    st->aad_len = aad_len;
    st->deferred = 1;
    return;
  }
  make_keys((const cc_key *)ks, st, aad, aad_len, BLOCK0_BY_ROWS);
}

static void FN(finish)(const void *ks, void *stv, uint8_t tag[16]) {
  cc_state *st = (cc_state *)stv;
  if (st->deferred) undefer((const cc_key *)ks, st, BLOCK0_BY_ROWS);
  cc_finish(ks, stv, tag);
}

/* A first piece that the cached key stream covers. */
static void crypt_cached(cc_state *st, int encrypt, const uint8_t *in, uint8_t *out,
                         size_t len) {
  if (!encrypt) cc_poly_padded(st, in, len);
  for (size_t off = 0; off < len; off += VBYTES) {
    size_t n = len - off < VBYTES ? len - off : VBYTES;
    v_xor_part(in + off, out + off, n, v_loadu(st->u.ks_cache + off));
  }
  st->counter += (uint32_t)((len + 63) / 64);
  if (encrypt) cc_poly_padded(st, out, len);
}

/* A piece too short for the vector Poly1305 to pay off. Kept out of line: inlined into
 * FN(crypt), the scalar Poly1305 loop got a worse register allocation (AVX2, ~2% slower
 * on such pieces). */
static __attribute__((noinline)) void crypt_short(const cc_key *k, cc_state *st, int encrypt,
                                                  const uint8_t *in, uint8_t *out, size_t len) {
  if (!encrypt) cc_poly_padded(st, in, len);
  chacha_rows(k, st, in, out, len);
  if (encrypt) cc_poly_padded(st, out, len);
}

/* On a cache line of its own, so the placement of its loops does not change with where
 * the linker puts it (as TA_HOT_ALIGN in the AES-GCM kernels). */
__attribute__((aligned(64))) static void FN(crypt)(const void *ks, void *stv, int encrypt,
                                                   const uint8_t *in, uint8_t *out, size_t len) {
  const cc_key *k = (const cc_key *)ks;
  cc_state *st = (cc_state *)stv;
  if (len == 0) return;
  st->ct_len += len;
  vpoly p;
  const uint8_t *pending = NULL; /* sealing: ciphertext of the last pass, not yet MACed */
  if (st->deferred && len > CACHE_BYTES) {
    /* first pass: blocks 1..LANES (or fewer) with block 0 alongside; the pass is MACed
     * once r is known, from a copy when opening (in place overwrites the input) */
    size_t n = len < PASS_BYTES ? len : PASS_BYTES;
    _Alignas(64) uint8_t otk[32], first[PASS_BYTES];
    const uint8_t *mac = encrypt ? out : in;
    if (!encrypt && in == out) {
      memcpy(first, in, n);
      mac = first;
    }
    chacha_pass(k, 1, st->nonce, in, out, n, NULL, NULL, otk);
    st->deferred = 0;
    cc_begin_keys(st, otk, st->aad_buf, (size_t)st->aad_len);
    ta_wipe(otk, sizeof otk);
    st->counter = 1 + (uint32_t)((n + 63) / 64);
    cc_poly_powers(st);
    vp_start(&p, st);
    if (n < PASS_BYTES) { /* the whole piece */
      mac_tail(st, &p, mac, n);
      return;
    }
    if (encrypt)
      pending = out;
    else
      for (int g = 0; g < 8; g++) vp_step(&p, mac + GROUP_BYTES * g);
    in += PASS_BYTES;
    out += PASS_BYTES;
    len -= PASS_BYTES;
  } else {
    if (st->deferred) undefer(k, st, 1); /* one rows pass: block 0 and this piece's stream */
    uint32_t cached = st->cached;
    st->cached = 0; /* only the first piece may use it; the room is the powers' after */
    if (cached && len <= cached) {
      crypt_cached(st, encrypt, in, out, len);
      ta_wipe(st->u.ks_cache, CACHE_BYTES);
      return;
    }
    if (len < VPOLY_MIN) {
      crypt_short(k, st, encrypt, in, out, len);
      return;
    }
    if (!st->have_powers) cc_poly_powers(st);
    vp_start(&p, st);
  }
  while (len >= PASS_BYTES) {
    chacha_pass(k, st->counter, st->nonce, in, out, PASS_BYTES, encrypt ? pending : in, &p,
                NULL);
    st->counter += LANES;
    pending = out;
    in += PASS_BYTES;
    out += PASS_BYTES;
    len -= PASS_BYTES;
  }
  if (encrypt) {
    if (pending)
      for (int g = 0; g < 8; g++) vp_step(&p, pending + GROUP_BYTES * g);
    chacha_rows(k, st, in, out, len);
    mac_tail(st, &p, out, len);
  } else {
    mac_tail(st, &p, in, len);
    chacha_rows(k, st, in, out, len);
  }
}

#undef VBYTES
#undef PASS_BYTES
#undef GROUP_BYTES
#undef ROWS_BYTES
#undef CACHE_BYTES
#undef VPOLY_MIN
#undef SIGMA0
#undef SIGMA1
#undef SIGMA2
#undef SIGMA3
#undef x_add32
#undef x_xor
#undef x_shuf32
#undef ROWS_QR
#undef ROWS_DR
#undef VQR4
