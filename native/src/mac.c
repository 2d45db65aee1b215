/*
 * mac.c - HMAC (RFC 2104) over a compression kernel: HMAC-SHA-256 and HMAC-SHA-384
 * (FIPS 180-4 for the hashes, padding in 5.1.1 / 5.1.2).
 *
 *   HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m))
 *
 * K0 is the key padded with zeros to the block size, or H(K) padded when the key is longer
 * than a block (RFC 2104 section 2). The compression states after the one block K0 ^ ipad
 * and after K0 ^ opad are computed once in ta_mac_new, so a message costs its own blocks
 * plus two: the last inner block and the one outer block. Key material is wiped at once;
 * only those two states are kept.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* FIPS 180-4 5.3.3 and 5.3.4: initial hash values. */
static const uint32_t SHA256_IV[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};
static const uint64_t SHA384_IV[8] = {
    0xcbbb9d5dc1059ed8ull, 0x629a292a367cd507ull, 0x9159015a3070dd17ull,
    0x152fecd8f70e5939ull, 0x67332667ffc00b31ull, 0x8eb44a8768581511ull,
    0xdb0c2e0d64f98fa7ull, 0x47b5481dbefa4fa4ull,
};

#define MAX_BLOCK 128

typedef union {
  uint32_t w32[8];
  uint64_t w64[8];
} hash_state;

struct ta_mac {
  hash_state inner0; /* state after (K0 ^ ipad) */
  hash_state outer0; /* state after (K0 ^ opad) */
  hash_state cur;    /* the running inner hash */
  const ta_mac_kernel *kernel;
  int alg;
  uint32_t block;     /* 64 or 128 */
  uint32_t out_len;   /* 32 or 48 */
  uint32_t buffered;  /* bytes in buf */
  uint64_t total;     /* message bytes in the inner hash, K0 ^ ipad included */
  _Alignas(64) uint8_t buf[MAX_BLOCK];
};

static int family(int alg, const ta_mac_kernel *const **kernels, size_t *count) {
  switch (alg) {
    case TA_HMAC_SHA256:
      *kernels = ta_sha256_kernels;
      *count = ta_sha256_kernel_count;
      return TA_OK;
    case TA_HMAC_SHA384:
      *kernels = ta_sha384_kernels;
      *count = ta_sha384_kernel_count;
      return TA_OK;
    default:
      return TA_ERR_ARG;
  }
}

static int usable(const ta_mac_kernel *k, int alg) {
  return (k->algs & TA_ALG_BIT(alg)) && (k->needs & ta_cpu_features()) == k->needs;
}

int ta_mac_impl_count(int alg) {
  const ta_mac_kernel *const *ks;
  size_t n;
  if (family(alg, &ks, &n) != TA_OK) return TA_ERR_ARG;
  return (int)n;
}

const char *ta_mac_impl_name(int alg, int index) {
  const ta_mac_kernel *const *ks;
  size_t n;
  if (family(alg, &ks, &n) != TA_OK || index < 0 || (size_t)index >= n) return NULL;
  return ks[index]->name;
}

int ta_mac_impl_usable(int alg, int index) {
  const ta_mac_kernel *const *ks;
  size_t n;
  if (family(alg, &ks, &n) != TA_OK || index < 0 || (size_t)index >= n) return 0;
  return usable(ks[index], alg);
}

int ta_mac_impl_best(int alg) {
  const ta_mac_kernel *const *ks;
  size_t n;
  if (family(alg, &ks, &n) != TA_OK) return TA_ERR_ARG;
  for (size_t i = 0; i < n; i++)
    if (usable(ks[i], alg)) return (int)i;
  return TA_ERR_UNSUPPORTED;
}

/* ---------------------------------------------------------------- hashing helpers */

static void set_iv(hash_state *s, int alg) {
  memset(s, 0, sizeof *s);
  if (alg == TA_HMAC_SHA256)
    memcpy(s->w32, SHA256_IV, sizeof SHA256_IV);
  else
    memcpy(s->w64, SHA384_IV, sizeof SHA384_IV);
}

/* The digest: the state words big-endian, truncated to out_len (SHA-384: 6 of 8 words). */
static void state_bytes(const hash_state *s, int alg, uint8_t *out, size_t out_len) {
  for (size_t i = 0; i < out_len; i++) {
    if (alg == TA_HMAC_SHA256)
      out[i] = (uint8_t)(s->w32[i / 4] >> (24 - 8 * (i % 4)));
    else
      out[i] = (uint8_t)(s->w64[i / 8] >> (56 - 8 * (i % 8)));
  }
}

/* FIPS 180-4 5.1: 0x80, zeros, then the message length in bits, big-endian, in the last
 * 8 (SHA-256) or 16 (SHA-384) bytes of the block. tail holds tail_len < block bytes. */
static void pad_and_compress(const ta_mac_kernel *k, hash_state *s, uint8_t *tail,
                             size_t tail_len, size_t block, uint64_t total_bytes) {
  size_t len_field = block == 64 ? 8 : 16;
  tail[tail_len++] = 0x80;
  if (tail_len > block - len_field) {
    memset(tail + tail_len, 0, block - tail_len);
    k->compress(s, tail, 1);
    tail_len = 0;
  }
  memset(tail + tail_len, 0, block - tail_len);
  /* bits = bytes * 8: the top three bits of the byte count go to the next word up */
  uint64_t bits_lo = total_bytes << 3, bits_hi = total_bytes >> 61;
  for (int i = 0; i < 8; i++) tail[block - 1 - i] = (uint8_t)(bits_lo >> (8 * i));
  if (len_field == 16)
    for (int i = 0; i < 8; i++) tail[block - 9 - i] = (uint8_t)(bits_hi >> (8 * i));
  k->compress(s, tail, 1);
}

/* A whole hash of msg (for keys longer than a block). out gets out_len bytes. */
static void hash_once(const ta_mac_kernel *k, int alg, size_t block, size_t out_len,
                      const uint8_t *msg, size_t len, uint8_t *out) {
  hash_state s;
  uint8_t tail[MAX_BLOCK];
  set_iv(&s, alg);
  size_t whole = len / block;
  if (whole) k->compress(&s, msg, whole);
  size_t rest = len - whole * block;
  if (rest) memcpy(tail, msg + whole * block, rest);
  pad_and_compress(k, &s, tail, rest, block, (uint64_t)len);
  state_bytes(&s, alg, out, out_len);
  ta_wipe(&s, sizeof s);
  ta_wipe(tail, sizeof tail);
}

/* ---------------------------------------------------------------- API */

int ta_mac_new(ta_mac **out, int alg, int impl, const uint8_t *key, size_t key_len) {
  const ta_mac_kernel *const *ks;
  size_t n;
  if (out == NULL) return TA_ERR_ARG;
  *out = NULL;
  if (key == NULL && key_len != 0) return TA_ERR_ARG;
  if (family(alg, &ks, &n) != TA_OK) return TA_ERR_ARG;
  if (impl == -1) {
    impl = ta_mac_impl_best(alg);
    if (impl < 0) return TA_ERR_UNSUPPORTED;
  }
  if (impl < 0 || (size_t)impl >= n) return TA_ERR_ARG;
  const ta_mac_kernel *k = ks[impl];
  if (!usable(k, alg)) return TA_ERR_UNSUPPORTED;

  size_t size = (sizeof(ta_mac) + 63) & ~(size_t)63;
  ta_mac *ctx = aligned_alloc(64, size);
  if (ctx == NULL) return TA_ERR_NOMEM;
  memset(ctx, 0, size);
  ctx->kernel = k;
  ctx->alg = alg;
  ctx->block = alg == TA_HMAC_SHA256 ? 64 : 128;
  ctx->out_len = alg == TA_HMAC_SHA256 ? 32 : 48;

  /* RFC 2104 section 2: K0 */
  uint8_t k0[MAX_BLOCK] = {0}, pad[MAX_BLOCK];
  if (key_len > ctx->block)
    hash_once(k, alg, ctx->block, ctx->out_len, key, key_len, k0);
  else if (key_len)
    memcpy(k0, key, key_len);
  for (size_t i = 0; i < ctx->block; i++) pad[i] = k0[i] ^ 0x36;
  set_iv(&ctx->inner0, alg);
  k->compress(&ctx->inner0, pad, 1);
  for (size_t i = 0; i < ctx->block; i++) pad[i] = k0[i] ^ 0x5c;
  set_iv(&ctx->outer0, alg);
  k->compress(&ctx->outer0, pad, 1);
  ta_wipe(k0, sizeof k0);
  ta_wipe(pad, sizeof pad);

  ta_mac_reset(ctx);
  *out = ctx;
  ta_live_contexts_add(1);
  return TA_OK;
}

void ta_mac_free(ta_mac *ctx) {
  if (ctx == NULL) return;
  ta_wipe(ctx, (sizeof(ta_mac) + 63) & ~(size_t)63);
  free(ctx);
  ta_live_contexts_add(-1);
}

const char *ta_mac_impl(const ta_mac *ctx) { return ctx ? ctx->kernel->name : NULL; }

int ta_mac_length(const ta_mac *ctx) { return ctx ? (int)ctx->out_len : TA_ERR_ARG; }

void ta_mac_reset(ta_mac *ctx) {
  if (ctx == NULL) return;
  ctx->cur = ctx->inner0;
  ctx->total = ctx->block; /* the K0 ^ ipad block */
  ctx->buffered = 0;
  ta_wipe(ctx->buf, sizeof ctx->buf);
}

int ta_mac_update(ta_mac *ctx, const uint8_t *in, size_t len) {
  if (ctx == NULL || (in == NULL && len != 0)) return TA_ERR_ARG;
  if (len == 0) return TA_OK;
  const size_t block = ctx->block;
  ctx->total += (uint64_t)len;
  if (ctx->buffered) {
    size_t take = block - ctx->buffered;
    if (take > len) take = len;
    memcpy(ctx->buf + ctx->buffered, in, take);
    ctx->buffered += (uint32_t)take;
    in += take;
    len -= take;
    if (ctx->buffered < block) return TA_OK;
    ctx->kernel->compress(&ctx->cur, ctx->buf, 1);
    ctx->buffered = 0;
  }
  size_t whole = len / block;
  if (whole) {
    ctx->kernel->compress(&ctx->cur, in, whole);
    in += whole * block;
    len -= whole * block;
  }
  if (len) {
    memcpy(ctx->buf, in, len);
    ctx->buffered = (uint32_t)len;
  }
  return TA_OK;
}

int ta_mac_final(ta_mac *ctx, uint8_t *out, size_t out_len) {
  if (ctx == NULL || out == NULL || out_len < ctx->out_len) return TA_ERR_ARG;
  const ta_mac_kernel *k = ctx->kernel;
  const size_t block = ctx->block;
  uint8_t inner[48];
  /* inner hash: H((K0 ^ ipad) || m) */
  pad_and_compress(k, &ctx->cur, ctx->buf, ctx->buffered, block, ctx->total);
  state_bytes(&ctx->cur, ctx->alg, inner, ctx->out_len);
  /* outer hash: H((K0 ^ opad) || inner), one block since inner is short */
  ctx->cur = ctx->outer0;
  memcpy(ctx->buf, inner, ctx->out_len);
  pad_and_compress(k, &ctx->cur, ctx->buf, ctx->out_len, block, block + ctx->out_len);
  state_bytes(&ctx->cur, ctx->alg, out, ctx->out_len);
  ta_wipe(inner, sizeof inner);
  ta_mac_reset(ctx);
  return TA_OK;
}
