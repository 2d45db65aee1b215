/*
 * aes_gcm_vaes_body.h - the AES-GCM bulk loop for VAES + VPCLMULQDQ, written once for any
 * vector width. Included by aes_gcm_vaes256.c (ymm, 2 blocks per vector) and
 * aes_gcm_vaes512.c (zmm, 4 blocks per vector), each of which first defines:
 *
 *   vec, LANES           the vector type and the 16-byte blocks it holds
 *   VECS                 vectors per group: 4 or 8 (a group = VECS*LANES blocks in flight)
 *   FN(name)             a name prefix for this width
 *   v_loadu v_storeu v_zero v_xor v_xor3 v_aesenc v_aesenclast v_bswap v_add32 v_bcast
 *   v_zext v_fold v_lane_index   small one-instruction helpers (v_fold XORs the lanes
 *                        into one __m128i; v_lane_index gives 0, 1, .. per lane in dword 0)
 *   V_CLMUL(a, b, imm) V_SWAP64(a)   the two with immediate operands (macros)
 *   FN(tail)             the last partial vector (< LANES*16 bytes) given its keystream:
 *                        XOR, store, and add its zero-padded GHASH products
 *
 * Every 128-bit lane does exactly what the AES-NI kernel does on one xmm register, so the
 * math in aes_gcm_common.h carries over lane by lane: the VECS vectors of counters of a
 * group go through AES together while the VECS vectors of ciphertext of a group are
 * multiplied by H^(VECS*LANES) .. H^1 (Karatsuba, 3 clmuls per block), one vector after
 * each AES round, their 256-bit products summed per lane in LO/MI/HI; one reduction per
 * lane and an XOR of the lanes give the new Y (one reduction per group). Encrypt hashes
 * the group written by the previous iteration; decrypt hashes the group it is decrypting
 * (all of it read before anything is stored, so in place works).
 *
 * Measured on the development machine (AMD Zen 5): 8 vectors per group beat 4 at both
 * widths (more independent AES chains hide the VAESENC latency), so both use VECS = 8;
 * with 8, Karatsuba beats the schoolbook product by 8-12% at both widths.
 */

#define GROUP_BLOCKS (VECS * LANES)
#define GROUP_BYTES (16 * VECS * LANES)
#define VBYTES (16 * LANES)

_Static_assert(VECS == 4 || VECS == 8, "the interleaving below is written for 4 or 8");
_Static_assert(GROUP_BLOCKS <= TA_GCM_NPOW, "enough powers of H for one group");

/* gcm_mul_acc per lane (the sums pinned in program order, see TA_PIN). */
static inline void FN(mul_acc)(vec a, vec b, vec *lo, vec *mi, vec *hi) {
  vec l = v_xor(*lo, V_CLMUL(a, b, 0x00));
  vec h = v_xor(*hi, V_CLMUL(a, b, 0x11));
  vec m = v_xor3(*mi, V_CLMUL(a, b, 0x01), V_CLMUL(a, b, 0x10));
  TA_PIN(l);
  TA_PIN(m);
  TA_PIN(h);
  *lo = l, *mi = m, *hi = h;
}

/* gcm_mul_acc_kara per lane: 3 clmuls, MI to be fixed with FN(karatsuba_fix). */
static inline void FN(mul_acc_kara)(vec a, vec b, vec bk, vec *lo, vec *mi, vec *hi) {
  vec l = v_xor(*lo, V_CLMUL(a, b, 0x00));
  vec h = v_xor(*hi, V_CLMUL(a, b, 0x11));
  vec m = v_xor(*mi, V_CLMUL(v_xor(a, V_SWAP64(a)), bk, 0x00));
  TA_PIN(l);
  TA_PIN(m);
  TA_PIN(h);
  *lo = l, *mi = m, *hi = h;
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

#define ROUNDV(key) \
  do { \
    const vec k_ = v_bcast(key); \
    for (int j_ = 0; j_ < VECS; j_++) c[j_] = v_aesenc(c[j_], k_); \
  } while (0)

/* out = in XOR c for the VECS vectors of a group (in == out works). */
TA_INLINE void FN(xor_store_group)(const uint8_t *in, uint8_t *out, const vec c[VECS]) {
  for (int j = 0; j < VECS; j++)
    v_storeu(out + VBYTES * j, v_xor(c[j], v_loadu(in + VBYTES * j)));
}

/* The VECS whitened counter vectors of a group. */
TA_INLINE void FN(counters_group)(const gcm_key *k, __m128i ctr, vec c[VECS]) {
  const vec step = FN(ctr_step)();
  const vec rk0 = v_bcast(k->rk[0]);
  vec t = FN(counters)(ctr);
  for (int j = 0; j < VECS; j++) {
    c[j] = v_xor(v_bswap(t), rk0);
    t = v_add32(t, step);
  }
}

/* out = in XOR keystream for one group, AES only (the first group of an encryption). */
TA_INLINE void FN(aes_group)(const gcm_key *k, __m128i ctr, const uint8_t *in, uint8_t *out) {
  vec c[VECS];
  FN(counters_group)(k, ctr, c);
  for (uint32_t r = 1; r < k->rounds; r++) ROUNDV(k->rk[r]);
  const vec kl = v_bcast(k->rk[k->rounds]);
  for (int j = 0; j < VECS; j++) c[j] = v_aesenclast(c[j], kl);
  FN(xor_store_group)(in, out, c);
}

/* Vector j of the group at gp, reflected. */
#define GHASH_IN(j) v_bswap(v_loadu(gp + VBYTES * (j)))

/*
 * out = in XOR the keystream of one group from ctr; interleaved with the AES rounds,
 * returns the GHASH of y and the group at gp (read before out is written, so
 * gp == in == out works).
 */
TA_INLINE __m128i FN(aes_ghash_group)(const gcm_key *k, __m128i ctr, const uint8_t *gp,
                                      __m128i y, const uint8_t *in, uint8_t *out) {
  vec c[VECS];
  FN(counters_group)(k, ctr, c);
  const __m128i *rk = k->rk + (k->rounds - 10); /* AES-256: 4 extra rounds first */
  if (k->rounds == 14) {
    ROUNDV(k->rk[1]);
    ROUNDV(k->rk[2]);
    ROUNDV(k->rk[3]);
    ROUNDV(k->rk[4]);
  }
  const __m128i *hp = &k->h[TA_GCM_NPOW - GROUP_BLOCKS]; /* H^GROUP_BLOCKS .. H^1 */
  const __m128i *hk = &k->hk[TA_GCM_NPOW - GROUP_BLOCKS];
  vec lo = v_zero(), mi = v_zero(), hi = v_zero();
#define MUL_ACC(j, g) \
  FN(mul_acc_kara)(g, v_loadu(hp + (j) * LANES), v_loadu(hk + (j) * LANES), &lo, &mi, &hi)
#if VECS == 8 /* one vector hashed after each of rounds 1..8 */
  ROUNDV(rk[1]);
  MUL_ACC(0, v_xor(GHASH_IN(0), v_zext(y)));
  ROUNDV(rk[2]);
  MUL_ACC(1, GHASH_IN(1));
  ROUNDV(rk[3]);
  MUL_ACC(2, GHASH_IN(2));
  ROUNDV(rk[4]);
  MUL_ACC(3, GHASH_IN(3));
  ROUNDV(rk[5]);
  MUL_ACC(4, GHASH_IN(4));
  ROUNDV(rk[6]);
  MUL_ACC(5, GHASH_IN(5));
  ROUNDV(rk[7]);
  MUL_ACC(6, GHASH_IN(6));
  ROUNDV(rk[8]);
  MUL_ACC(7, GHASH_IN(7));
#else /* VECS == 4: after rounds 1, 3, 5, 6 */
  ROUNDV(rk[1]);
  MUL_ACC(0, v_xor(GHASH_IN(0), v_zext(y)));
  ROUNDV(rk[2]);
  ROUNDV(rk[3]);
  MUL_ACC(1, GHASH_IN(1));
  ROUNDV(rk[4]);
  ROUNDV(rk[5]);
  MUL_ACC(2, GHASH_IN(2));
  ROUNDV(rk[6]);
  MUL_ACC(3, GHASH_IN(3));
  ROUNDV(rk[7]);
  ROUNDV(rk[8]);
#endif
#undef MUL_ACC
  mi = v_xor3(mi, lo, hi); /* gcm_karatsuba_fix */
  y = FN(reduce_fold)(lo, mi, hi);
  ROUNDV(rk[9]);
  const vec kl = v_bcast(rk[10]);
  for (int j = 0; j < VECS; j++) c[j] = v_aesenclast(c[j], kl);
  FN(xor_store_group)(in, out, c);
  return y;
}
#undef GHASH_IN

/* The VECS vectors of a group at p, reflected, with y added to block 0. */
static inline void FN(load_group_reflected)(const uint8_t *p, __m128i y, vec g[VECS]) {
  for (int j = 0; j < VECS; j++) g[j] = v_bswap(v_loadu(p + VBYTES * j));
  g[0] = v_xor(g[0], v_zext(y));
}

/* GHASH of one whole group at p (no AES). */
static inline __m128i FN(ghash_group)(const gcm_key *k, __m128i y, const uint8_t *p) {
  const __m128i *hp = &k->h[TA_GCM_NPOW - GROUP_BLOCKS];
  const __m128i *hk = &k->hk[TA_GCM_NPOW - GROUP_BLOCKS];
  vec g[VECS], lo = v_zero(), mi = v_zero(), hi = v_zero();
  FN(load_group_reflected)(p, y, g);
  for (int j = 0; j < VECS; j++)
    FN(mul_acc_kara)(g[j], v_loadu(hp + LANES * j), v_loadu(hk + LANES * j), &lo, &mi, &hi);
  return FN(reduce_fold)(lo, v_xor3(mi, lo, hi), hi);
}

/*
 * What is left after the groups: len < GROUP_BYTES bytes from counter ctr, through the
 * keystream of n vectors (n is a constant at each call site, so c[] stays in registers
 * and the n AES chains run side by side). Whole vectors are XORed and hashed with hp[],
 * hp[LANES], ...; a partial last vector goes to FN(tail). All products are added to the
 * accumulators unreduced.
 */
TA_INLINE void FN(rest)(const gcm_key *k, __m128i ctr, int encrypt, const uint8_t *in,
                        uint8_t *out, size_t len, const __m128i *hp, const int n, vec *lo,
                        vec *mi, vec *hi, __m128i *lo1, __m128i *mi1, __m128i *hi1) {
  vec c[VECS];
  const vec step = FN(ctr_step)();
  const vec rk0 = v_bcast(k->rk[0]);
  vec t = FN(counters)(ctr);
  for (int j = 0; j < n; j++) {
    c[j] = v_xor(v_bswap(t), rk0);
    t = v_add32(t, step);
  }
  for (uint32_t r = 1; r < k->rounds; r++) {
    const vec kr = v_bcast(k->rk[r]);
    for (int j = 0; j < n; j++) c[j] = v_aesenc(c[j], kr);
  }
  const vec kl = v_bcast(k->rk[k->rounds]);
  for (int j = 0; j < n; j++) c[j] = v_aesenclast(c[j], kl);
  for (int j = 0; j < n; j++) {
    if (len >= VBYTES) {
      vec d = v_loadu(in);
      vec o = v_xor(d, c[j]);
      v_storeu(out, o);
      FN(mul_acc)(v_bswap(encrypt ? o : d), v_loadu(hp), lo, mi, hi);
      hp += LANES, in += VBYTES, out += VBYTES, len -= VBYTES;
    } else {
      if (len != 0) FN(tail)(c[j], encrypt, in, out, len, hp, lo, mi, hi, lo1, mi1, hi1);
      break;
    }
  }
}

TA_HOT_ALIGN static void FN(crypt)(const void *ksv, void *stv, int encrypt, const uint8_t *in,
                                   uint8_t *out, size_t len) {
  const gcm_key *k = (const gcm_key *)ksv;
  gcm_stream *st = (gcm_stream *)stv;
  __m128i y = st->y, ctr = st->ctr;
  st->ct_len += len;

  if (len >= GROUP_BYTES) {
    if (encrypt) {
      FN(aes_group)(k, ctr, in, out); /* first group: nothing to hash yet */
      ctr = gcm_ctr_add(ctr, GROUP_BLOCKS);
      in += GROUP_BYTES, out += GROUP_BYTES, len -= GROUP_BYTES;
      while (len >= GROUP_BYTES) {
        y = FN(aes_ghash_group)(k, ctr, out - GROUP_BYTES, y, in, out);
        ctr = gcm_ctr_add(ctr, GROUP_BLOCKS);
        in += GROUP_BYTES, out += GROUP_BYTES, len -= GROUP_BYTES;
      }
      y = FN(ghash_group)(k, y, out - GROUP_BYTES); /* last group: hash only */
    } else {
      do {
        y = FN(aes_ghash_group)(k, ctr, in, y, in, out);
        ctr = gcm_ctr_add(ctr, GROUP_BLOCKS);
        in += GROUP_BYTES, out += GROUP_BYTES, len -= GROUP_BYTES;
      } while (len >= GROUP_BYTES);
    }
  }

  if (len != 0) {
    /* Fewer than GROUP_BLOCKS blocks left (m of them, the last maybe partial), see
     * FN(rest); all hashed with H^m .. H^1 and reduced once. Y joins as Y * H^m (in the
     * 128-bit accumulators, added to lane 0 at the end). */
    size_t m = (len + 15) / 16;
    const __m128i *hp = &k->h[TA_GCM_NPOW - m];
    __m128i lo1 = _mm_setzero_si128(), mi1 = lo1, hi1 = lo1;
    gcm_mul_acc(y, hp[0], &lo1, &mi1, &hi1);
    vec lo = v_zero(), mi = v_zero(), hi = v_zero();
    /* four sizes of keystream batch, so short messages do not pay for a whole group */
    if (len <= VBYTES)
      FN(rest)(k, ctr, encrypt, in, out, len, hp, 1, &lo, &mi, &hi, &lo1, &mi1, &hi1);
    else if (len <= 2 * VBYTES)
      FN(rest)(k, ctr, encrypt, in, out, len, hp, 2, &lo, &mi, &hi, &lo1, &mi1, &hi1);
    else if (len <= GROUP_BYTES / 2)
      FN(rest)(k, ctr, encrypt, in, out, len, hp, VECS / 2, &lo, &mi, &hi, &lo1, &mi1, &hi1);
    else
      FN(rest)(k, ctr, encrypt, in, out, len, hp, VECS, &lo, &mi, &hi, &lo1, &mi1, &hi1);
    lo = v_xor(lo, v_zext(lo1));
    mi = v_xor(mi, v_zext(mi1));
    hi = v_xor(hi, v_zext(hi1));
    y = FN(reduce_fold)(lo, mi, hi);
    ctr = gcm_ctr_add(ctr, m);
  }
  st->y = y;
  st->ctr = ctr;
}

#undef ROUNDV
#undef GROUP_BLOCKS
#undef GROUP_BYTES
#undef VBYTES
