/*
 * aes_gcm_vaes_body.h - the AES-GCM bulk loop for VAES + VPCLMULQDQ, written once for any
 * vector width. Included by aes_gcm_vaes256.c (ymm, 2 blocks per vector) and
 * aes_gcm_vaes512.c (zmm, 4 blocks per vector), each of which first defines:
 *
 *   vec, LANES           the vector type and the 16-byte blocks it holds
 *   FN(name)             a name prefix for this width
 *   v_loadu v_storeu v_zero v_xor v_xor3 v_aesenc v_aesenclast v_bswap v_add32 v_bcast
 *   v_zext v_fold v_lane_index   small one-instruction helpers (v_fold XORs the lanes
 *                        into one __m128i; v_lane_index gives 0, 1, .. per lane in dword 0)
 *   V_CLMUL(a, b, imm) V_SWAP64(a)   the two with immediate operands (macros)
 *   FN(tail)             the last partial vector (< LANES*16 bytes), see below
 *
 * Every 128-bit lane does exactly what the AES-NI kernel does on one xmm register, so the
 * math in aes_gcm_common.h carries over lane by lane: four vectors of counters go through
 * AES together (4*LANES blocks in flight) while four vectors of ciphertext are multiplied
 * by H^(4*LANES) .. H^1, their 256-bit products summed per lane in LO/MI/HI; one
 * reduction per lane and an XOR of the lanes give the new Y (one reduction per group).
 * Encrypt hashes the group written by the previous iteration; decrypt hashes the group it
 * is decrypting (loaded before anything is stored, so in place works).
 */

#define GROUP_BLOCKS (4 * LANES)
#define GROUP_BYTES (64 * LANES)
#define VBYTES (16 * LANES)

_Static_assert(GROUP_BLOCKS <= TA_GCM_NPOW, "enough powers of H for one group");

static inline void FN(mul_acc)(vec a, vec b, vec *lo, vec *mi, vec *hi) {
  *lo = v_xor(*lo, V_CLMUL(a, b, 0x00));
  *hi = v_xor(*hi, V_CLMUL(a, b, 0x11));
  *mi = v_xor3(*mi, V_CLMUL(a, b, 0x01), V_CLMUL(a, b, 0x10));
}

/* Per-lane reduction (gcm_reduce of aes_gcm_common.h), then the lanes summed. */
static inline __m128i FN(reduce_fold)(vec lo, vec mi, vec hi) {
  const vec p = v_bcast(gcm_poly());
  mi = v_xor3(mi, V_SWAP64(lo), V_CLMUL(lo, p, 0x10));
  hi = v_xor3(hi, V_SWAP64(mi), V_CLMUL(mi, p, 0x10));
  return v_fold(hi);
}

/* Counters ctr + 0 .. ctr + LANES-1, one per lane (byte-reversed form). */
static inline vec FN(counters)(__m128i ctr) { return v_add32(v_bcast(ctr), v_lane_index()); }

static inline vec FN(ctr_step)(void) { return v_bcast(_mm_setr_epi32(LANES, 0, 0, 0)); }

#define ROUND4(key) \
  do { \
    const vec k_ = v_bcast(key); \
    c[0] = v_aesenc(c[0], k_); \
    c[1] = v_aesenc(c[1], k_); \
    c[2] = v_aesenc(c[2], k_); \
    c[3] = v_aesenc(c[3], k_); \
  } while (0)

/* out = in XOR c for the four vectors of a group (in == out works). */
TA_INLINE void FN(xor_store4)(const uint8_t *in, uint8_t *out, const vec c[4]) {
  for (int j = 0; j < 4; j++) v_storeu(out + VBYTES * j, v_xor(c[j], v_loadu(in + VBYTES * j)));
}

/* The four whitened counter vectors of a group. */
TA_INLINE void FN(counters4)(const gcm_key *k, __m128i ctr, vec c[4]) {
  const vec step = FN(ctr_step)();
  const vec rk0 = v_bcast(k->rk[0]);
  vec t = FN(counters)(ctr);
  for (int j = 0; j < 4; j++) {
    c[j] = v_xor(v_bswap(t), rk0);
    t = v_add32(t, step);
  }
}

/* out = in XOR keystream for one group, AES only (the first group of an encryption). */
TA_INLINE void FN(aes4)(const gcm_key *k, __m128i ctr, const uint8_t *in, uint8_t *out) {
  vec c[4];
  FN(counters4)(k, ctr, c);
  for (uint32_t r = 1; r < k->rounds; r++) ROUND4(k->rk[r]);
  const vec kl = v_bcast(k->rk[k->rounds]);
  for (int j = 0; j < 4; j++) c[j] = v_aesenclast(c[j], kl);
  FN(xor_store4)(in, out, c);
}

/* Vector j of the group at gp, reflected. */
#define GHASH_IN(j) v_bswap(v_loadu(gp + VBYTES * (j)))

/*
 * out = in XOR the keystream of one group from ctr; interleaved with the AES rounds,
 * returns the GHASH of y and the group at gp (read before out is written, so
 * gp == in == out works).
 */
TA_INLINE __m128i FN(aes_ghash4)(const gcm_key *k, __m128i ctr, const uint8_t *gp, __m128i y,
                                 const uint8_t *in, uint8_t *out) {
  vec c[4];
  FN(counters4)(k, ctr, c);
  const __m128i *rk = k->rk + (k->rounds - 10); /* AES-256: 4 extra rounds first */
  if (k->rounds == 14) {
    ROUND4(k->rk[1]);
    ROUND4(k->rk[2]);
    ROUND4(k->rk[3]);
    ROUND4(k->rk[4]);
  }
  const __m128i *hp = &k->h[TA_GCM_NPOW - GROUP_BLOCKS]; /* H^GROUP_BLOCKS .. H^1 */
  vec lo = v_zero(), mi = v_zero(), hi = v_zero();
  ROUND4(rk[1]);
  FN(mul_acc)(v_xor(GHASH_IN(0), v_zext(y)), v_loadu(hp), &lo, &mi, &hi);
  ROUND4(rk[2]);
  ROUND4(rk[3]);
  FN(mul_acc)(GHASH_IN(1), v_loadu(hp + LANES), &lo, &mi, &hi);
  ROUND4(rk[4]);
  ROUND4(rk[5]);
  FN(mul_acc)(GHASH_IN(2), v_loadu(hp + 2 * LANES), &lo, &mi, &hi);
  ROUND4(rk[6]);
  FN(mul_acc)(GHASH_IN(3), v_loadu(hp + 3 * LANES), &lo, &mi, &hi);
  ROUND4(rk[7]);
  ROUND4(rk[8]);
  y = FN(reduce_fold)(lo, mi, hi);
  ROUND4(rk[9]);
  const vec kl = v_bcast(rk[10]);
  for (int j = 0; j < 4; j++) c[j] = v_aesenclast(c[j], kl);
  FN(xor_store4)(in, out, c);
  return y;
}
#undef GHASH_IN

/* Four vectors from p, reflected, with y added to block 0. */
static inline void FN(load4_reflected)(const uint8_t *p, __m128i y, vec g[4]) {
  for (int j = 0; j < 4; j++) g[j] = v_bswap(v_loadu(p + VBYTES * j));
  g[0] = v_xor(g[0], v_zext(y));
}

/* GHASH of one whole group at p (no AES). */
static inline __m128i FN(ghash_group)(const gcm_key *k, __m128i y, const uint8_t *p) {
  const __m128i *hp = &k->h[TA_GCM_NPOW - GROUP_BLOCKS];
  vec g[4], lo = v_zero(), mi = v_zero(), hi = v_zero();
  FN(load4_reflected)(p, y, g);
  for (int j = 0; j < 4; j++) FN(mul_acc)(g[j], v_loadu(hp + LANES * j), &lo, &mi, &hi);
  return FN(reduce_fold)(lo, mi, hi);
}

/* One vector of keystream for counters ctr .. ctr + LANES-1. */
static inline vec FN(keystream1)(const gcm_key *k, __m128i ctr) {
  vec c = v_xor(v_bswap(FN(counters)(ctr)), v_bcast(k->rk[0]));
  for (uint32_t r = 1; r < k->rounds; r++) c = v_aesenc(c, v_bcast(k->rk[r]));
  return v_aesenclast(c, v_bcast(k->rk[k->rounds]));
}

static void FN(crypt)(const void *ksv, void *stv, int encrypt, const uint8_t *in,
                      uint8_t *out, size_t len) {
  const gcm_key *k = (const gcm_key *)ksv;
  gcm_stream *st = (gcm_stream *)stv;
  __m128i y = st->y, ctr = st->ctr;
  st->ct_len += len;

  if (len >= GROUP_BYTES) {
    if (encrypt) {
      FN(aes4)(k, ctr, in, out); /* first group: nothing to hash yet */
      ctr = gcm_ctr_add(ctr, GROUP_BLOCKS);
      in += GROUP_BYTES, out += GROUP_BYTES, len -= GROUP_BYTES;
      while (len >= GROUP_BYTES) {
        y = FN(aes_ghash4)(k, ctr, out - GROUP_BYTES, y, in, out);
        ctr = gcm_ctr_add(ctr, GROUP_BLOCKS);
        in += GROUP_BYTES, out += GROUP_BYTES, len -= GROUP_BYTES;
      }
      y = FN(ghash_group)(k, y, out - GROUP_BYTES); /* last group: hash only */
    } else {
      do {
        y = FN(aes_ghash4)(k, ctr, in, y, in, out);
        ctr = gcm_ctr_add(ctr, GROUP_BLOCKS);
        in += GROUP_BYTES, out += GROUP_BYTES, len -= GROUP_BYTES;
      } while (len >= GROUP_BYTES);
    }
  }

  if (len != 0) {
    /* Fewer than GROUP_BLOCKS blocks left (m of them, the last maybe partial): whole
     * vectors first, then the partial vector via FN(tail); all hashed with H^m .. H^1
     * and reduced once. Y joins as Y * H^m (128-bit accumulators, added to lane 0). */
    size_t m = (len + 15) / 16;
    const __m128i *hp = &k->h[TA_GCM_NPOW - m];
    __m128i lo1 = _mm_setzero_si128(), mi1 = lo1, hi1 = lo1;
    gcm_mul_acc(y, hp[0], &lo1, &mi1, &hi1);
    vec lo = v_zero(), mi = v_zero(), hi = v_zero();
    while (len >= VBYTES) {
      vec d = v_loadu(in);
      vec o = v_xor(d, FN(keystream1)(k, ctr));
      v_storeu(out, o);
      FN(mul_acc)(v_bswap(encrypt ? o : d), v_loadu(hp), &lo, &mi, &hi);
      ctr = gcm_ctr_add(ctr, LANES);
      hp += LANES, in += VBYTES, out += VBYTES, len -= VBYTES;
    }
    if (len != 0) FN(tail)(k, ctr, encrypt, in, out, len, hp, &lo, &mi, &hi, &lo1, &mi1, &hi1);
    lo = v_xor(lo, v_zext(lo1));
    mi = v_xor(mi, v_zext(mi1));
    hi = v_xor(hi, v_zext(hi1));
    y = FN(reduce_fold)(lo, mi, hi);
    ctr = gcm_ctr_add(ctr, (len + 15) / 16);
  }
  st->y = y;
  st->ctr = ctr;
}

#undef ROUND4
#undef GROUP_BLOCKS
#undef GROUP_BYTES
#undef VBYTES
