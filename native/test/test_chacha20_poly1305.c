/*
 * test_chacha20_poly1305.c - ChaCha20-Poly1305 (RFC 8439) through the public ta_aead_* API,
 * for every implementation the CPU can run (the others are reported as skipped).
 *
 *  1. the AEAD vectors of RFC 8439 2.8.2 and A.5, seal and open;
 *  2. a plain reference implementation (this file) against each kernel on random keys,
 *     nonces, AAD of 0..64 bytes (some up to 300) and lengths 0..5000 crossing every
 *     64-byte block and every vector stride (64k +- 1, 512 +- 1, 1024 +- 1, ...), out of
 *     place and in place;
 *  3. the stream API split at random multiples of 64 (sometimes after an empty piece),
 *     out of place and in place;
 *  4. a flipped bit in the tag, the ciphertext or the AAD is rejected, output zeroed.
 */
#include "tlsaccel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                              \
  do {                                                \
    if (!(cond)) {                                    \
      failures++;                                     \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                   \
      fputc('\n', stderr);                            \
      if (failures > 20) exit(1);                     \
    }                                                 \
  } while (0)

/* ---------------------------------------------------------------- reference */

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

static void ref_qr(uint32_t *x, int a, int b, int c, int d) {
  x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);
  x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
  x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);
  x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
}

/* RFC 8439 2.3 */
static void ref_block(const uint8_t key[32], uint32_t ctr, const uint8_t nonce[12],
                      uint8_t out[64]) {
  uint32_t s[16], x[16];
  s[0] = 0x61707865; s[1] = 0x3320646e; s[2] = 0x79622d32; s[3] = 0x6b206574;
  for (int i = 0; i < 8; i++) s[4 + i] = rd32(key + 4 * i);
  s[12] = ctr;
  for (int i = 0; i < 3; i++) s[13 + i] = rd32(nonce + 4 * i);
  memcpy(x, s, sizeof x);
  for (int i = 0; i < 10; i++) {
    ref_qr(x, 0, 4, 8, 12); ref_qr(x, 1, 5, 9, 13); ref_qr(x, 2, 6, 10, 14); ref_qr(x, 3, 7, 11, 15);
    ref_qr(x, 0, 5, 10, 15); ref_qr(x, 1, 6, 11, 12); ref_qr(x, 2, 7, 8, 13); ref_qr(x, 3, 4, 9, 14);
  }
  for (int i = 0; i < 16; i++) wr32(out + 4 * i, x[i] + s[i]);
}

/* Poly1305 (RFC 8439 2.5), radix 2^26 with 64-bit products: deliberately not the
 * kernels' radix 2^44. */
typedef struct {
  uint32_t r[5], h[5], pad[4];
} ref_poly;

static void ref_poly_init(ref_poly *p, const uint8_t k[32]) {
  p->r[0] = rd32(k) & 0x3ffffff;
  p->r[1] = (rd32(k + 3) >> 2) & 0x3ffff03;
  p->r[2] = (rd32(k + 6) >> 4) & 0x3ffc0ff;
  p->r[3] = (rd32(k + 9) >> 6) & 0x3f03fff;
  p->r[4] = (rd32(k + 12) >> 8) & 0x00fffff;
  memset(p->h, 0, sizeof p->h);
  for (int i = 0; i < 4; i++) p->pad[i] = rd32(k + 16 + 4 * i);
}

static void ref_poly_block(ref_poly *p, const uint8_t m[16]) {
  uint32_t *h = p->h, *r = p->r;
  h[0] += rd32(m) & 0x3ffffff;
  h[1] += (rd32(m + 3) >> 2) & 0x3ffffff;
  h[2] += (rd32(m + 6) >> 4) & 0x3ffffff;
  h[3] += (rd32(m + 9) >> 6) & 0x3ffffff;
  h[4] += (rd32(m + 12) >> 8) | (1u << 24);
  uint64_t d[5];
  for (int i = 0; i < 5; i++) {
    d[i] = 0;
    for (int j = 0; j < 5; j++) {
      int k = i - j;
      uint64_t rr = k >= 0 ? r[k] : (uint64_t)r[k + 5] * 5;
      d[i] += (uint64_t)h[j] * rr;
    }
  }
  uint64_t c = 0;
  for (int i = 0; i < 5; i++) {
    d[i] += c;
    c = d[i] >> 26;
    h[i] = (uint32_t)d[i] & 0x3ffffff;
  }
  h[0] += (uint32_t)c * 5;
  h[1] += h[0] >> 26;
  h[0] &= 0x3ffffff;
}

static void ref_poly_padded(ref_poly *p, const uint8_t *m, size_t len) {
  while (len) {
    uint8_t b[16] = {0};
    size_t n = len < 16 ? len : 16;
    memcpy(b, m, n);
    ref_poly_block(p, b);
    m += n;
    len -= n;
  }
}

static void ref_poly_final(ref_poly *p, uint8_t tag[16]) {
  uint32_t *h = p->h, c, g[5];
  for (int pass = 0; pass < 2; pass++) {
    c = 0;
    for (int i = 0; i < 5; i++) { h[i] += c; c = h[i] >> 26; h[i] &= 0x3ffffff; }
    h[0] += c * 5;
  }
  c = 5;
  for (int i = 0; i < 5; i++) { g[i] = h[i] + c; c = g[i] >> 26; g[i] &= 0x3ffffff; }
  if (c) memcpy(h, g, sizeof g); /* h + 5 >= 2^130 means h >= p */
  uint64_t w[4];
  w[0] = (uint64_t)(h[0] | h[1] << 26) & 0xffffffff;
  w[1] = (uint64_t)((h[1] >> 6) | (h[2] << 20)) & 0xffffffff;
  w[2] = (uint64_t)((h[2] >> 12) | (h[3] << 14)) & 0xffffffff;
  w[3] = (uint64_t)((h[3] >> 18) | (h[4] << 8)) & 0xffffffff;
  uint64_t carry = 0;
  for (int i = 0; i < 4; i++) {
    carry += w[i] + p->pad[i];
    wr32(tag + 4 * i, (uint32_t)carry);
    carry >>= 32;
  }
}

/* RFC 8439 2.8 */
static void ref_seal(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                     size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                     uint8_t tag[16]) {
  uint8_t ks[64];
  ref_block(key, 0, nonce, ks);
  ref_poly p;
  ref_poly_init(&p, ks);
  for (size_t off = 0; off < len; off += 64) {
    ref_block(key, (uint32_t)(1 + off / 64), nonce, ks);
    for (size_t i = off; i < len && i < off + 64; i++) out[i] = in[i] ^ ks[i - off];
  }
  ref_poly_padded(&p, aad, aad_len);
  ref_poly_padded(&p, out, len);
  uint8_t lens[16];
  for (int i = 0; i < 8; i++) {
    lens[i] = (uint8_t)((uint64_t)aad_len >> (8 * i));
    lens[8 + i] = (uint8_t)((uint64_t)len >> (8 * i));
  }
  ref_poly_block(&p, lens);
  ref_poly_final(&p, tag);
}

/* ---------------------------------------------------------------- helpers */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}
static void fill(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rnd();
}

static size_t unhex(const char *s, uint8_t *out) {
  size_t n = 0;
  for (; s[0] && s[1]; s += 2) {
    unsigned v;
    sscanf(s, "%2x", &v);
    out[n++] = (uint8_t)v;
  }
  return n;
}

static int all_zero(const uint8_t *p, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= p[i];
  return acc == 0;
}

/* ---------------------------------------------------------------- known answers */

static const char *KAT[2][6] = {
    /* RFC 8439 2.8.2: key, nonce, aad, plaintext, ciphertext, tag */
    {"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
     "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
     "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
     "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
     "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
     "637265656e20776f756c642062652069742e",
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
     "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
     "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
     "3ff4def08e4b7a9de576d26586cec64b6116",
     "1ae10b594f09e26a7e902ecbd0600691"},
    /* RFC 8439 A.5 */
    {"1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
     "000000000102030405060708", "f33388860000000000004e91",
     "496e7465726e65742d4472616674732061726520647261667420646f63756d65"
     "6e74732076616c696420666f722061206d6178696d756d206f6620736978206d"
     "6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
     "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d65"
     "6e747320617420616e792074696d652e20497420697320696e617070726f7072"
     "6961746520746f2075736520496e7465726e65742d4472616674732061732072"
     "65666572656e6365206d6174657269616c206f7220746f206369746520746865"
     "6d206f74686572207468616e206173202fe2809c776f726b20696e2070726f67"
     "726573732e2fe2809d",
     "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
     "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
     "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
     "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
     "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
     "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
     "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
     "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
     "a6ad5cb4022b02709b",
     "eead9d67890cbb22392336fea1851f38"},
};

static void test_kat(int impl, const char *name) {
  for (int v = 0; v < 2; v++) {
    uint8_t key[32], nonce[12], aad[32], pt[512], ct[512], tag[16], buf[512 + 16];
    unhex(KAT[v][0], key);
    unhex(KAT[v][1], nonce);
    size_t aad_len = unhex(KAT[v][2], aad);
    size_t len = unhex(KAT[v][3], pt);
    CHECK(unhex(KAT[v][4], ct) == len, "kat length");
    unhex(KAT[v][5], tag);
    ta_aead *ctx;
    CHECK(ta_aead_new(&ctx, TA_CHACHA20_POLY1305, impl, key, 32) == TA_OK, "new");
    CHECK(ta_aead_seal(ctx, nonce, aad, aad_len, pt, len, buf) == TA_OK, "seal");
    CHECK(memcmp(buf, ct, len) == 0, "%s: KAT %d ciphertext", name, v);
    CHECK(memcmp(buf + len, tag, 16) == 0, "%s: KAT %d tag", name, v);
    uint8_t back[512];
    CHECK(ta_aead_open(ctx, nonce, aad, aad_len, buf, len + 16, back) == TA_OK,
          "%s: KAT %d open", name, v);
    CHECK(memcmp(back, pt, len) == 0, "%s: KAT %d plaintext", name, v);
    /* the reference agrees too (checks the checker) */
    uint8_t rct[512], rtag[16];
    ref_seal(key, nonce, aad, aad_len, pt, len, rct, rtag);
    CHECK(memcmp(rct, ct, len) == 0 && memcmp(rtag, tag, 16) == 0, "reference KAT %d", v);
    ta_aead_free(ctx);
  }
}

/* ---------------------------------------------------------------- random cross-check */

#define MAXLEN 5000
#define MAXAAD 300

/* Mostly 0..64 bytes (TLS uses 13 or 5), sometimes longer: a kernel may treat a short AAD
 * differently (the vector kernels keep it until the first piece). */
static size_t random_aad_len(void) {
  return rnd() % 5 ? (size_t)(rnd() % 65) : (size_t)(65 + rnd() % (MAXAAD - 64));
}

static void one_case(ta_aead *ctx, const char *name, const uint8_t key[32], size_t len) {
  static uint8_t pt[MAXLEN], ref[MAXLEN], out[MAXLEN + 16], buf[MAXLEN + 16],
      back[MAXLEN];
  uint8_t nonce[12], aad[MAXAAD] = {0}, rtag[16];
  size_t aad_len = random_aad_len();
  fill(nonce, 12);
  fill(aad, aad_len);
  fill(pt, len);
  ref_seal(key, nonce, aad, aad_len, pt, len, ref, rtag);
  const uint8_t *aadp = aad_len ? aad : NULL;

  /* out of place */
  CHECK(ta_aead_seal(ctx, nonce, aadp, aad_len, pt, len, out) == TA_OK, "seal");
  CHECK(memcmp(out, ref, len) == 0, "%s: ciphertext len %zu aad %zu", name, len, aad_len);
  CHECK(memcmp(out + len, rtag, 16) == 0, "%s: tag len %zu aad %zu", name, len, aad_len);
  CHECK(ta_aead_open(ctx, nonce, aadp, aad_len, out, len + 16, back) == TA_OK,
        "%s: open len %zu", name, len);
  CHECK(memcmp(back, pt, len) == 0, "%s: plaintext len %zu", name, len);

  /* in place */
  memcpy(buf, pt, len);
  CHECK(ta_aead_seal(ctx, nonce, aadp, aad_len, buf, len, buf) == TA_OK, "seal in place");
  CHECK(memcmp(buf, out, len + 16) == 0, "%s: in-place seal len %zu", name, len);
  CHECK(ta_aead_open(ctx, nonce, aadp, aad_len, buf, len + 16, buf) == TA_OK,
        "%s: in-place open len %zu", name, len);
  CHECK(memcmp(buf, pt, len) == 0, "%s: in-place plaintext len %zu", name, len);

  /* a flipped bit anywhere is rejected and the output zeroed */
  if (rnd() % 4 == 0) {
    int where = (int)(rnd() % 3);
    memcpy(buf, out, len + 16);
    uint8_t aad2[MAXAAD];
    memcpy(aad2, aad, aad_len);
    if (where == 0 || len == 0) {
      buf[len + rnd() % 16] ^= (uint8_t)(1u << (rnd() % 8));
    } else if (where == 1) {
      buf[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
    } else if (aad_len) {
      aad2[rnd() % aad_len] ^= (uint8_t)(1u << (rnd() % 8));
    } else {
      buf[len] ^= 1;
    }
    memset(back, 0xa5, len);
    CHECK(ta_aead_open(ctx, nonce, aad_len ? aad2 : NULL, aad_len, buf, len + 16, back) ==
              TA_ERR_AUTH,
          "%s: forgery accepted len %zu (where %d)", name, len, where);
    CHECK(all_zero(back, len), "%s: output not zeroed on failure", name);
  }
}

static void stream_case(ta_aead *ctx, const char *name, const uint8_t key[32], size_t len) {
  static uint8_t pt[MAXLEN], ref[MAXLEN], out[MAXLEN], back[MAXLEN];
  uint8_t nonce[12], aad[MAXAAD] = {0}, rtag[16], tag[16];
  size_t aad_len = random_aad_len();
  fill(nonce, 12);
  fill(aad, aad_len);
  fill(pt, len);
  ref_seal(key, nonce, aad, aad_len, pt, len, ref, rtag);
  int in_place = (int)(rnd() % 2);
  for (int dir = 1; dir >= 0; dir--) {
    ta_aead_stream st;
    const uint8_t *src = dir ? pt : ref;
    uint8_t *dst = dir ? out : back;
    if (in_place) { /* the pieces then go from dst to dst */
      memcpy(dst, src, len);
      src = dst;
    }
    CHECK(ta_aead_stream_begin(&st, ctx, dir, nonce, aad_len ? aad : NULL, aad_len) == TA_OK,
          "begin");
    size_t off = 0;
    if (rnd() % 4 == 0) /* an empty piece first: block 0 must still come out right */
      CHECK(ta_aead_stream_update(&st, src, 0, dst) == TA_OK, "empty update");
    while (len - off >= 64 && rnd() % 3 != 0) {
      size_t n = 64 * (1 + (size_t)(rnd() % ((len - off) / 64)));
      if (rnd() % 2) n = 64 * (1 + (size_t)(rnd() % 20)); /* small pieces too */
      if (n > len - off) n = 64 * ((len - off) / 64);
      CHECK(ta_aead_stream_update(&st, src + off, n, dst + off) == TA_OK, "update");
      off += n;
    }
    if (dir) {
      CHECK(ta_aead_stream_finish_seal(&st, src + off, len - off, dst + off, tag) == TA_OK,
            "finish_seal");
      CHECK(memcmp(out, ref, len) == 0 && memcmp(tag, rtag, 16) == 0,
            "%s: stream seal len %zu", name, len);
    } else {
      CHECK(ta_aead_stream_finish_open(&st, src + off, len - off, dst + off, rtag) == TA_OK,
            "%s: stream open len %zu", name, len);
      CHECK(memcmp(back, pt, len) == 0, "%s: stream plaintext len %zu", name, len);
    }
  }
}

/* One long message (many bulk passes, counters past 1000) against the reference. */
static void big_case(ta_aead *ctx, const char *name, const uint8_t key[32], size_t len) {
  uint8_t *pt = malloc(len), *ref = malloc(len), *out = malloc(len + 16);
  uint8_t nonce[12], aad[13], rtag[16];
  if (pt == NULL || ref == NULL || out == NULL) {
    CHECK(0, "out of memory");
  } else {
    fill(nonce, 12);
    fill(aad, 13);
    fill(pt, len);
    ref_seal(key, nonce, aad, 13, pt, len, ref, rtag);
    CHECK(ta_aead_seal(ctx, nonce, aad, 13, pt, len, out) == TA_OK, "seal");
    CHECK(memcmp(out, ref, len) == 0 && memcmp(out + len, rtag, 16) == 0,
          "%s: long message %zu", name, len);
    CHECK(ta_aead_open(ctx, nonce, aad, 13, out, len + 16, out) == TA_OK &&
              memcmp(out, pt, len) == 0,
          "%s: long message %zu, open in place", name, len);
  }
  free(pt);
  free(ref);
  free(out);
}

static void test_random(int impl, const char *name) {
  uint8_t key[32];
  fill(key, 32);
  ta_aead *ctx;
  CHECK(ta_aead_new(&ctx, TA_CHACHA20_POLY1305, impl, key, 32) == TA_OK, "new");
  int cases = 0;
  /* every length up to 1100, then every stride boundary +-1 up to MAXLEN */
  for (size_t len = 0; len <= 1100; len++, cases++) one_case(ctx, name, key, len);
  for (size_t k = 18; 64 * k + 1 <= MAXLEN; k++) {
    for (int d = -1; d <= 1; d++, cases++) one_case(ctx, name, key, 64 * k + (size_t)d);
  }
  for (int i = 0; i < 300; i++, cases++) one_case(ctx, name, key, (size_t)(rnd() % (MAXLEN + 1)));
  big_case(ctx, name, key, 70000 + 13);
  big_case(ctx, name, key, 65536);
  cases += 2;
  ta_aead_free(ctx);

  fill(key, 32); /* a fresh key for the stream runs */
  CHECK(ta_aead_new(&ctx, TA_CHACHA20_POLY1305, impl, key, 32) == TA_OK, "new");
  for (int i = 0; i < 600; i++, cases++) stream_case(ctx, name, key, (size_t)(rnd() % (MAXLEN + 1)));
  stream_case(ctx, name, key, MAXLEN);
  stream_case(ctx, name, key, 0);
  ta_aead_free(ctx);
  printf("  %s: %d random cases\n", name, cases);
}

int main(void) {
  int n = ta_aead_impl_count(TA_CHACHA20_POLY1305);
  CHECK(n >= 1, "no ChaCha20-Poly1305 implementation");
  int ran = 0;
  for (int i = 0; i < n; i++) {
    const char *name = ta_aead_impl_name(TA_CHACHA20_POLY1305, i);
    if (!ta_aead_impl_usable(TA_CHACHA20_POLY1305, i)) {
      printf("chacha20-poly1305 %s: skipped (CPU features missing or masked)\n", name);
      ta_aead *ctx;
      uint8_t key[32] = {0};
      CHECK(ta_aead_new(&ctx, TA_CHACHA20_POLY1305, i, key, 32) == TA_ERR_UNSUPPORTED,
            "unusable implementation accepted");
      continue;
    }
    printf("chacha20-poly1305 %s: running\n", name);
    test_kat(i, name);
    test_random(i, name);
    ran++;
  }
  printf("%d implementation(s) ran, %d failure(s)\n", ran, failures);
  return failures ? 1 : 0;
}
