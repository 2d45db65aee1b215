/*
 * test_aes_gcm.c - every AES-GCM implementation against published vectors and against a
 * plain reference written below (byte-wise AES, bit-wise GHASH straight from SP 800-38D).
 *
 * Runs through the public API for each implementation index the CPU can run; the others
 * are reported as SKIPPED. Coverage: every length 0..80, 16k-1/16k/16k+1 for k <= 64,
 * 256/512/1024/2048/4096 +-1, random lengths up to 5000, AAD 0..64 and some up to 512,
 * in place, the stream API split at random multiples of 64, tampered messages, one
 * 300 KB message, and the 32-bit counter wrapping. Exits 77 (skipped) when no
 * implementation can run.
 *
 * Usage: test_aes_gcm [seed]
 */
/* only for offsetof(gcm_stream, ctr) in the wrap test */
#if defined(__aarch64__)
#include "aes_gcm_armv8ce.h"
#else
#include "aes_gcm_common.h"
#endif
#include "internal.h"
#include "tlsaccel.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...) \
  do { \
    if (!(cond)) { \
      failures++; \
      if (failures < 20) { \
        printf("FAIL %s:%d: ", __FILE__, __LINE__); \
        printf(__VA_ARGS__); \
        printf("\n"); \
      } \
    } \
  } while (0)

/* ---------------------------------------------------------------- random */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void) {
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return rng_state = x;
}

static void rnd_bytes(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rnd();
}

/* ---------------------------------------------------------------- reference AES */

static uint8_t sbox[256];

static uint8_t xtime(uint8_t a) { return (uint8_t)((a << 1) ^ ((a >> 7) * 0x1b)); }

static uint8_t gf_mul(uint8_t a, uint8_t b) {
  uint8_t r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return r;
}

/* S-box from its definition: multiplicative inverse in GF(2^8), then the affine map. */
static void make_sbox(void) {
  for (int i = 0; i < 256; i++) {
    uint8_t inv = 0;
    for (int j = 1; j < 256 && i != 0; j++)
      if (gf_mul((uint8_t)i, (uint8_t)j) == 1) inv = (uint8_t)j;
    uint8_t s = inv;
    for (int r = 1; r < 5; r++) s ^= (uint8_t)((inv << r) | (inv >> (8 - r)));
    sbox[i] = (uint8_t)(s ^ 0x63);
  }
}

typedef struct {
  uint8_t rk[15][16];
  int rounds;
} ref_aes;

static void ref_aes_init(ref_aes *a, const uint8_t *key, size_t key_len) {
  int nk = (int)key_len / 4;
  a->rounds = nk + 6;
  uint8_t w[60][4];
  memcpy(w, key, key_len);
  uint8_t rcon = 1;
  for (int i = nk; i < 4 * (a->rounds + 1); i++) {
    uint8_t t[4];
    memcpy(t, w[i - 1], 4);
    if (i % nk == 0) {
      uint8_t t0 = t[0];
      t[0] = (uint8_t)(sbox[t[1]] ^ rcon);
      t[1] = sbox[t[2]];
      t[2] = sbox[t[3]];
      t[3] = sbox[t0];
      rcon = xtime(rcon);
    } else if (nk > 6 && i % nk == 4) {
      for (int j = 0; j < 4; j++) t[j] = sbox[t[j]];
    }
    for (int j = 0; j < 4; j++) w[i][j] = (uint8_t)(w[i - nk][j] ^ t[j]);
  }
  memcpy(a->rk, w, 16 * (size_t)(a->rounds + 1));
}

static void ref_aes_encrypt(const ref_aes *a, const uint8_t in[16], uint8_t out[16]) {
  uint8_t s[16];
  for (int i = 0; i < 16; i++) s[i] = in[i] ^ a->rk[0][i];
  for (int r = 1; r <= a->rounds; r++) {
    uint8_t t[16];
    for (int i = 0; i < 16; i++) t[i] = sbox[s[i]];
    /* ShiftRows: byte (row, col) at index 4*col + row moves left by row columns */
    for (int c = 0; c < 4; c++)
      for (int row = 0; row < 4; row++) s[4 * c + row] = t[4 * ((c + row) % 4) + row];
    if (r != a->rounds) {
      for (int c = 0; c < 4; c++) {
        uint8_t *col = s + 4 * c, x0 = col[0], x1 = col[1], x2 = col[2], x3 = col[3];
        col[0] = (uint8_t)(xtime(x0) ^ xtime(x1) ^ x1 ^ x2 ^ x3);
        col[1] = (uint8_t)(x0 ^ xtime(x1) ^ xtime(x2) ^ x2 ^ x3);
        col[2] = (uint8_t)(x0 ^ x1 ^ xtime(x2) ^ xtime(x3) ^ x3);
        col[3] = (uint8_t)(xtime(x0) ^ x0 ^ x1 ^ x2 ^ xtime(x3));
      }
    }
    for (int i = 0; i < 16; i++) s[i] ^= a->rk[r][i];
  }
  memcpy(out, s, 16);
}

/* ---------------------------------------------------------------- reference GCM */

/* X * Y in GF(2^128), SP 800-38D algorithm 1, one bit at a time. */
static void ref_gf_mul(uint8_t x[16], const uint8_t y[16]) {
  uint8_t z[16] = {0}, v[16];
  memcpy(v, y, 16);
  for (int i = 0; i < 128; i++) {
    if (x[i / 8] & (0x80 >> (i % 8)))
      for (int j = 0; j < 16; j++) z[j] ^= v[j];
    int lsb = v[15] & 1;
    for (int j = 15; j > 0; j--) v[j] = (uint8_t)((v[j] >> 1) | (v[j - 1] << 7));
    v[0] >>= 1;
    if (lsb) v[0] ^= 0xe1;
  }
  memcpy(x, z, 16);
}

static void ref_ghash(uint8_t y[16], const uint8_t h[16], const uint8_t *p, size_t len) {
  for (size_t i = 0; i < len; i += 16) {
    for (size_t j = 0; j < 16 && i + j < len; j++) y[j] ^= p[i + j];
    ref_gf_mul(y, h);
  }
}

/* Seal or open (the tag always covers the ciphertext). first_ctr is the 32-bit counter
 * of the first data block: 2 in GCM; other values test the mod 2^32 wrap. */
static void ref_gcm(const uint8_t *key, size_t key_len, const uint8_t nonce[12],
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    uint8_t *out, uint8_t tag[16], int encrypt, uint32_t first_ctr) {
  ref_aes a;
  ref_aes_init(&a, key, key_len);
  uint8_t h[16] = {0}, j0[16], y[16] = {0}, blk[16], ks[16];
  ref_aes_encrypt(&a, h, h);
  memcpy(j0, nonce, 12);
  j0[12] = j0[13] = j0[14] = 0;
  j0[15] = 1;
  ref_ghash(y, h, aad, aad_len);
  uint32_t ctr = first_ctr;
  for (size_t i = 0; i < len; i += 16) {
    memcpy(blk, nonce, 12);
    blk[12] = (uint8_t)(ctr >> 24);
    blk[13] = (uint8_t)(ctr >> 16);
    blk[14] = (uint8_t)(ctr >> 8);
    blk[15] = (uint8_t)ctr;
    ctr++;
    ref_aes_encrypt(&a, blk, ks);
    size_t n = len - i < 16 ? len - i : 16;
    uint8_t c[16] = {0};
    for (size_t j = 0; j < n; j++) {
      uint8_t o = (uint8_t)(in[i + j] ^ ks[j]);
      c[j] = encrypt ? o : in[i + j];
      out[i + j] = o;
    }
    for (int j = 0; j < 16; j++) y[j] ^= c[j];
    ref_gf_mul(y, h);
  }
  uint8_t lens[16];
  uint64_t abits = (uint64_t)aad_len * 8, cbits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) {
    lens[i] = (uint8_t)(abits >> (56 - 8 * i));
    lens[8 + i] = (uint8_t)(cbits >> (56 - 8 * i));
  }
  ref_ghash(y, h, lens, 16);
  ref_aes_encrypt(&a, j0, ks);
  for (int i = 0; i < 16; i++) tag[i] = (uint8_t)(y[i] ^ ks[i]);
}

/* ---------------------------------------------------------------- helpers */

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return 0;
}

static size_t unhex(const char *s, uint8_t *out) {
  size_t n = strlen(s) / 2;
  for (size_t i = 0; i < n; i++) out[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
  return n;
}

/* ---------------------------------------------------------------- known answers */

/* The GCM specification's (McGrew and Viega) test cases with 96-bit IVs: 1-4 (AES-128)
 * and 13-16 (AES-256); cases 5-6 and 17-18 use other IV lengths, which TLS never does
 * and this API does not take. */
typedef struct {
  const char *name, *key, *iv, *aad, *pt, *ct, *tag;
} kat;

#define P_LONG \
  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define P_SHORT \
  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define K128 "feffe9928665731c6d6a8f9467308308"
#define IV "cafebabefacedbaddecaf888"
#define AAD "feedfacedeadbeeffeedfacedeadbeefabaddad2"

static const kat kats[] = {
    {"case 1", "00000000000000000000000000000000", "000000000000000000000000", "", "", "",
     "58e2fccefa7e3061367f1d57a4e7455a"},
    {"case 2", "00000000000000000000000000000000", "000000000000000000000000", "",
     "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf"},
    {"case 3", K128, IV, "", P_LONG,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"},
    {"case 4", K128, IV, AAD, P_SHORT,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {"case 13", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"case 14", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"case 15", K128 K128, IV, "", P_LONG,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"case 16", K128 K128, IV, AAD, P_SHORT,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

static void test_kats(int impl) {
  for (size_t t = 0; t < sizeof kats / sizeof kats[0]; t++) {
    const kat *v = &kats[t];
    uint8_t key[32], iv[12], aad[32], pt[64], ct[64], tag[16], got[80], back[64];
    size_t kl = unhex(v->key, key);
    unhex(v->iv, iv);
    size_t al = unhex(v->aad, aad), pl = unhex(v->pt, pt);
    unhex(v->ct, ct);
    unhex(v->tag, tag);
    int alg = kl == 16 ? TA_AES_128_GCM : TA_AES_256_GCM;
    ta_aead *ctx = NULL;
    int rc = ta_aead_new(&ctx, alg, impl, key, kl);
    CHECK(rc == TA_OK, "new %s: %d", v->name, rc);
    if (rc != TA_OK) continue;
    CHECK(ta_aead_seal(ctx, iv, aad, al, pt, pl, got) == TA_OK, "seal %s", v->name);
    CHECK(memcmp(got, ct, pl) == 0, "%s: ciphertext", v->name);
    CHECK(memcmp(got + pl, tag, 16) == 0, "%s: tag", v->name);
    /* The reference must agree with the published answer too. */
    uint8_t rct[64], rtag[16];
    ref_gcm(key, kl, iv, aad, al, pt, pl, rct, rtag, 1, 2);
    CHECK(memcmp(rct, ct, pl) == 0 && memcmp(rtag, tag, 16) == 0, "%s: reference", v->name);
    memcpy(got, ct, pl);
    memcpy(got + pl, tag, 16);
    CHECK(ta_aead_open(ctx, iv, aad, al, got, pl + 16, back) == TA_OK, "open %s", v->name);
    CHECK(memcmp(back, pt, pl) == 0, "%s: plaintext", v->name);
    got[pl] ^= 0x80;
    CHECK(ta_aead_open(ctx, iv, aad, al, got, pl + 16, back) == TA_ERR_AUTH,
          "%s: bad tag accepted", v->name);
    ta_aead_free(ctx);
  }
}

/* ---------------------------------------------------------------- cross-check */

#define MAXLEN 5200

static void one_case(int impl, int alg, size_t len, size_t aad_len) {
  size_t kl = alg == TA_AES_128_GCM ? 16 : 32;
  uint8_t key[32], nonce[12], aad[512];
  static uint8_t pt[MAXLEN], ref[MAXLEN + 16], got[MAXLEN + 16], back[MAXLEN], buf[MAXLEN + 16];
  rnd_bytes(key, kl);
  rnd_bytes(nonce, 12);
  rnd_bytes(aad, aad_len);
  rnd_bytes(pt, len);
  ref_gcm(key, kl, nonce, aad, aad_len, pt, len, ref, ref + len, 1, 2);

  ta_aead *ctx = NULL;
  if (ta_aead_new(&ctx, alg, impl, key, kl) != TA_OK) {
    CHECK(0, "new");
    return;
  }
  const uint8_t *a = aad_len ? aad : NULL;
  /* out of place */
  CHECK(ta_aead_seal(ctx, nonce, a, aad_len, pt, len, got) == TA_OK, "seal");
  CHECK(memcmp(got, ref, len + 16) == 0, "seal len %zu aad %zu alg %d", len, aad_len, alg);
  CHECK(ta_aead_open(ctx, nonce, a, aad_len, ref, len + 16, back) == TA_OK,
        "open len %zu aad %zu alg %d", len, aad_len, alg);
  CHECK(memcmp(back, pt, len) == 0, "open output len %zu", len);
  /* in place */
  memcpy(buf, pt, len);
  CHECK(ta_aead_seal(ctx, nonce, a, aad_len, buf, len, buf) == TA_OK, "seal in place");
  CHECK(memcmp(buf, ref, len + 16) == 0, "seal in place len %zu", len);
  CHECK(ta_aead_open(ctx, nonce, a, aad_len, buf, len + 16, buf) == TA_OK,
        "open in place len %zu", len);
  CHECK(memcmp(buf, pt, len) == 0, "open in place output len %zu", len);
  /* a flipped bit anywhere must be refused */
  memcpy(buf, ref, len + 16);
  buf[rnd() % (len + 16)] ^= (uint8_t)(1u << (rnd() % 8));
  CHECK(ta_aead_open(ctx, nonce, a, aad_len, buf, len + 16, back) == TA_ERR_AUTH,
        "tampered accepted len %zu", len);

  /* stream, split at random multiples of 64, both directions */
  for (int dir = 1; dir >= 0; dir--) {
    ta_aead_stream st;
    const uint8_t *src = dir ? pt : ref;
    CHECK(ta_aead_stream_begin(&st, ctx, dir, nonce, a, aad_len) == TA_OK, "stream begin");
    size_t off = 0;
    while (len - off >= 64 && rnd() % 3 != 0) {
      size_t n = 64 * (1 + rnd() % ((len - off) / 64));
      CHECK(ta_aead_stream_update(&st, src + off, n, buf + off) == TA_OK, "update");
      off += n;
    }
    uint8_t tag[16];
    if (dir) {
      CHECK(ta_aead_stream_finish_seal(&st, src + off, len - off, buf + off, tag) == TA_OK,
            "finish seal");
      CHECK(memcmp(buf, ref, len) == 0 && memcmp(tag, ref + len, 16) == 0,
            "stream seal len %zu", len);
    } else {
      CHECK(ta_aead_stream_finish_open(&st, src + off, len - off, buf + off, ref + len) ==
                TA_OK,
            "stream open len %zu", len);
      CHECK(memcmp(buf, pt, len) == 0, "stream open output len %zu", len);
    }
  }
  ta_aead_free(ctx);
}

static void test_cross(int impl) {
  static const int algs[2] = {TA_AES_128_GCM, TA_AES_256_GCM};
  for (int ai = 0; ai < 2; ai++) {
    int alg = algs[ai];
    for (size_t len = 0; len <= 80; len++) one_case(impl, alg, len, rnd() % 65);
    for (size_t k = 1; k <= 64; k++)
      for (int d = -1; d <= 1; d++) one_case(impl, alg, 16 * k + (size_t)d, rnd() % 65);
    static const size_t edges[] = {256, 512, 1024, 2048, 4096};
    for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++)
      for (int d = -1; d <= 1; d++) one_case(impl, alg, edges[e] + (size_t)d, rnd() % 65);
    for (size_t aad_len = 0; aad_len <= 64; aad_len++) one_case(impl, alg, 100, aad_len);
    /* long AAD: several 8-block GHASH groups and a partial one */
    static const size_t long_aad[] = {127, 128, 129, 255, 256, 257, 511, 512};
    for (size_t a = 0; a < sizeof long_aad / sizeof long_aad[0]; a++)
      one_case(impl, alg, (size_t)(rnd() % 300), long_aad[a]);
    for (int i = 0; i < 60; i++) one_case(impl, alg, (size_t)(rnd() % 5001), rnd() % 65);
  }
}

/* One long message (many bulk iterations, then a tail), sealed whole and as a stream. */
static void test_large(int impl) {
  const size_t len = 300001;
  uint8_t *pt = malloc(len), *ref = malloc(len + 16), *got = malloc(len + 16);
  uint8_t key[32], nonce[12], aad[29];
  if (pt == NULL || ref == NULL || got == NULL) {
    CHECK(0, "out of memory");
    free(pt), free(ref), free(got);
    return;
  }
  rnd_bytes(key, 32);
  rnd_bytes(nonce, 12);
  rnd_bytes(aad, sizeof aad);
  rnd_bytes(pt, len);
  ref_gcm(key, 32, nonce, aad, sizeof aad, pt, len, ref, ref + len, 1, 2);
  ta_aead *ctx = NULL;
  if (ta_aead_new(&ctx, TA_AES_256_GCM, impl, key, 32) == TA_OK) {
    CHECK(ta_aead_seal(ctx, nonce, aad, sizeof aad, pt, len, got) == TA_OK &&
              memcmp(got, ref, len + 16) == 0,
          "large seal");
    CHECK(ta_aead_open(ctx, nonce, aad, sizeof aad, ref, len + 16, got) == TA_OK &&
              memcmp(got, pt, len) == 0,
          "large open");
    ta_aead_stream st;
    uint8_t tag[16];
    size_t off = 0, step = 64 * 257; /* not a multiple of any group size */
    CHECK(ta_aead_stream_begin(&st, ctx, 1, nonce, aad, sizeof aad) == TA_OK, "begin");
    for (; len - off > step; off += step)
      CHECK(ta_aead_stream_update(&st, pt + off, step, got + off) == TA_OK, "update");
    CHECK(ta_aead_stream_finish_seal(&st, pt + off, len - off, got + off, tag) == TA_OK, "fin");
    CHECK(memcmp(got, ref, len) == 0 && memcmp(tag, ref + len, 16) == 0, "large stream");
    ta_aead_free(ctx);
  } else {
    CHECK(0, "new");
  }
  free(pt), free(ref), free(got);
}

/* The 32-bit counter must wrap mod 2^32 without carrying into the nonce. A 96-bit nonce
 * starts it at 2, so no legal message reaches the wrap; the kernel's stream state is set
 * directly instead (counter dword 0 of gcm_stream.ctr, see aes_gcm_common.h). */
static void test_wrap(int impl) {
  const ta_aead_kernel *k = ta_aes_gcm_kernels[impl];
  uint8_t key[16], nonce[12], pt[1500], ref[1500], got[1500], rtag[16], tag[16];
  rnd_bytes(key, 16);
  rnd_bytes(nonce, 12);
  rnd_bytes(pt, sizeof pt);
  _Alignas(64) uint8_t ks[4096];
  _Alignas(64) uint8_t st[TA_KERNEL_STREAM_SIZE];
  if (k->key_state_size > sizeof ks) {
    CHECK(0, "key state too large for the wrap test");
    return;
  }
  k->setup(ks, TA_AES_128_GCM, key, 16);
  /* 0xfa/0xfe: a group whose low counter byte overflows (the slow counter path). */
  static const uint32_t starts[] = {0xfffffff0u, 0xffffffffu, 0xffffffa0u, 0xfffffffau,
                                    0xfffffefeu};
  for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
    for (size_t len = 1; len <= sizeof pt; len += 331) {
      k->begin(ks, st, nonce, NULL, 0);
      uint32_t c = starts[s];
      memcpy(st + offsetof(gcm_stream, ctr), &c, 4);
      k->crypt(ks, st, 1, pt, got, len);
      k->finish(ks, st, tag);
      ref_gcm(key, 16, nonce, NULL, 0, pt, len, ref, rtag, 1, starts[s]);
      CHECK(memcmp(got, ref, len) == 0 && memcmp(tag, rtag, 16) == 0,
            "counter wrap from %08x, len %zu", starts[s], len);
    }
  }
}

int main(int argc, char **argv) {
  if (argc > 1) rng_state = strtoull(argv[1], NULL, 0) | 1;
  printf("seed 0x%llx\n", (unsigned long long)rng_state);
  make_sbox();
  int n = ta_aead_impl_count(TA_AES_128_GCM);
  CHECK(n == ta_aead_impl_count(TA_AES_256_GCM), "same implementations for both key sizes");
  CHECK(n >= 1, "no AES-GCM implementation registered");
  int ran = 0;
  for (int i = 0; i < n; i++) {
    const char *name = ta_aead_impl_name(TA_AES_128_GCM, i);
    if (!ta_aead_impl_usable(TA_AES_128_GCM, i)) {
      printf("SKIPPED %-8s (CPU features missing or masked)\n", name);
      continue;
    }
    int before = failures;
    test_kats(i);
    test_cross(i);
    test_wrap(i);
    test_large(i);
    printf("%-7s %-8s\n", failures == before ? "PASSED" : "FAILED", name);
    ran++;
  }
  printf("%d of %d implementations ran, %d failures\n", ran, n, failures);
  if (failures != 0) return 1;
  if (ran == 0) {
    printf("SKIPPED: no AES-GCM implementation can run on this CPU (or under the mask)\n");
    return 77; /* the conventional "skipped" exit code */
  }
  return 0;
}
