/*
 * aead.c - the generic AEAD layer: argument checks, dispatch, allocation, the stream
 * API, constant-time tag comparison and zeroing. Kernels (aes_gcm_*.c,
 * chacha20_poly1305_*.c) only do the arithmetic.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Longest message per operation. GCM: 2^39 - 256 bits (NIST SP 800-38D 5.2.1.1);
 * ChaCha20-Poly1305: 2^32 - 1 blocks of 64 bytes (RFC 8439 2.8). */
#define GCM_MAX_LEN ((((uint64_t)1) << 36) - 32)
#define CHACHA_MAX_LEN ((((uint64_t)1) << 38) - 64)

#define HEADER_SIZE 64 /* keeps the key state 64-byte aligned */

struct ta_aead {
  const ta_aead_kernel *kernel;
  int alg;
  size_t alloc_size;
};

/* The part of ta_aead_stream the generic layer uses; the kernel's state follows at 64. */
typedef struct {
  const ta_aead *ctx;
  uint32_t magic;
  int encrypt;
  uint64_t processed;
} stream_header;

#define STREAM_MAGIC 0x7a5e1a5du

_Static_assert(sizeof(stream_header) <= 64, "stream header fits the first cache line");
_Static_assert(sizeof(((ta_aead_stream *)0)->opaque) == 64 + TA_KERNEL_STREAM_SIZE,
               "stream object = header + kernel state");

static void *key_state(const ta_aead *ctx) { return (uint8_t *)ctx + HEADER_SIZE; }

static int family(int alg, const ta_aead_kernel *const **kernels, size_t *count,
                  size_t *key_len, uint64_t *max_len) {
  switch (alg) {
    case TA_AES_128_GCM:
    case TA_AES_256_GCM:
      *kernels = ta_aes_gcm_kernels;
      *count = ta_aes_gcm_kernel_count;
      *key_len = alg == TA_AES_128_GCM ? 16 : 32;
      *max_len = GCM_MAX_LEN;
      return TA_OK;
    case TA_CHACHA20_POLY1305:
      *kernels = ta_chacha_kernels;
      *count = ta_chacha_kernel_count;
      *key_len = 32;
      *max_len = CHACHA_MAX_LEN;
      return TA_OK;
    default:
      return TA_ERR_ARG;
  }
}

static int usable(const ta_aead_kernel *k, int alg) {
  return (k->algs & TA_ALG_BIT(alg)) && (k->needs & ta_cpu_features()) == k->needs;
}

int ta_aead_impl_count(int alg) {
  const ta_aead_kernel *const *ks;
  size_t n, kl;
  uint64_t ml;
  if (family(alg, &ks, &n, &kl, &ml) != TA_OK) return TA_ERR_ARG;
  return (int)n;
}

const char *ta_aead_impl_name(int alg, int index) {
  const ta_aead_kernel *const *ks;
  size_t n, kl;
  uint64_t ml;
  if (family(alg, &ks, &n, &kl, &ml) != TA_OK || index < 0 || (size_t)index >= n) return NULL;
  return ks[index]->name;
}

int ta_aead_impl_usable(int alg, int index) {
  const ta_aead_kernel *const *ks;
  size_t n, kl;
  uint64_t ml;
  if (family(alg, &ks, &n, &kl, &ml) != TA_OK || index < 0 || (size_t)index >= n) return 0;
  return usable(ks[index], alg);
}

int ta_aead_impl_best(int alg) {
  const ta_aead_kernel *const *ks;
  size_t n, kl;
  uint64_t ml;
  if (family(alg, &ks, &n, &kl, &ml) != TA_OK) return TA_ERR_ARG;
  for (size_t i = 0; i < n; i++)
    if (usable(ks[i], alg)) return (int)i;
  return TA_ERR_UNSUPPORTED;
}

int ta_aead_new(ta_aead **out, int alg, int impl, const uint8_t *key, size_t key_len) {
  const ta_aead_kernel *const *ks;
  size_t n, want_key_len;
  uint64_t max_len;
  if (out == NULL) return TA_ERR_ARG;
  *out = NULL;
  if (key == NULL || family(alg, &ks, &n, &want_key_len, &max_len) != TA_OK) return TA_ERR_ARG;
  if (key_len != want_key_len) return TA_ERR_ARG;
  if (impl == -1) {
    impl = ta_aead_impl_best(alg);
    if (impl < 0) return TA_ERR_UNSUPPORTED;
  }
  if (impl < 0 || (size_t)impl >= n) return TA_ERR_ARG;
  const ta_aead_kernel *k = ks[impl];
  if (!usable(k, alg)) return TA_ERR_UNSUPPORTED;

  size_t size = HEADER_SIZE + ((k->key_state_size + 63) & ~(size_t)63);
  ta_aead *ctx = aligned_alloc(64, size);
  if (ctx == NULL) return TA_ERR_NOMEM;
  memset(ctx, 0, size);
  ctx->kernel = k;
  ctx->alg = alg;
  ctx->alloc_size = size;
  int rc = k->setup(key_state(ctx), alg, key, key_len);
  if (rc != TA_OK) {
    ta_wipe(ctx, size);
    free(ctx);
    return rc;
  }
  *out = ctx;
  ta_live_contexts_add(1);
  return TA_OK;
}

void ta_aead_free(ta_aead *ctx) {
  if (ctx == NULL) return;
  ta_wipe(ctx, ctx->alloc_size);
  free(ctx);
  ta_live_contexts_add(-1);
}

int ta_aead_alg(const ta_aead *ctx) { return ctx ? ctx->alg : TA_ERR_ARG; }

const char *ta_aead_impl(const ta_aead *ctx) { return ctx ? ctx->kernel->name : NULL; }

static uint64_t max_len_of(int alg) {
  return alg == TA_CHACHA20_POLY1305 ? CHACHA_MAX_LEN : GCM_MAX_LEN;
}

/* In place (in == out) is fine; any other overlap of the input with the output is
 * refused (the kernels read ahead of what they write). */
static int bad_overlap(const uint8_t *in, size_t in_len, const uint8_t *out, size_t out_len) {
  if (in == out || in_len == 0 || out_len == 0) return 0;
  uintptr_t x = (uintptr_t)in, y = (uintptr_t)out;
  return x < y + out_len && y < x + in_len;
}

static int check_common(const ta_aead *ctx, const uint8_t *nonce, const uint8_t *aad,
                        size_t aad_len) {
  if (ctx == NULL || nonce == NULL) return TA_ERR_ARG;
  if (aad == NULL && aad_len != 0) return TA_ERR_ARG;
  if ((uint64_t)aad_len > (((uint64_t)1) << 61)) return TA_ERR_ARG;
  return TA_OK;
}

int ta_aead_seal(const ta_aead *ctx, const uint8_t nonce[TA_AEAD_NONCE_LEN],
                 const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                 uint8_t *out) {
  int rc = check_common(ctx, nonce, aad, aad_len);
  if (rc != TA_OK) return rc;
  if (out == NULL || (in == NULL && len != 0)) return TA_ERR_ARG;
  if ((uint64_t)len > max_len_of(ctx->alg)) return TA_ERR_ARG;
  if (bad_overlap(in, len, out, len + TA_AEAD_TAG_LEN)) return TA_ERR_ARG;

  _Alignas(64) uint8_t st[TA_KERNEL_STREAM_SIZE];
  const ta_aead_kernel *k = ctx->kernel;
  const void *ks = key_state(ctx);
  k->begin(ks, st, nonce, aad, aad_len);
  k->crypt(ks, st, 1, in, out, len);
  k->finish(ks, st, out + len);
  ta_wipe(st, sizeof st);
  return TA_OK;
}

int ta_aead_open(const ta_aead *ctx, const uint8_t nonce[TA_AEAD_NONCE_LEN],
                 const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t in_len,
                 uint8_t *out) {
  int rc = check_common(ctx, nonce, aad, aad_len);
  if (rc != TA_OK) return rc;
  if (in == NULL || in_len < TA_AEAD_TAG_LEN) return TA_ERR_ARG;
  size_t len = in_len - TA_AEAD_TAG_LEN;
  if (out == NULL && len != 0) return TA_ERR_ARG;
  if ((uint64_t)len > max_len_of(ctx->alg)) return TA_ERR_ARG;
  if (bad_overlap(in, in_len, out, len)) return TA_ERR_ARG;

  /* Copy the received tag first: in place, decryption does not touch it, but an
   * output that ends inside the tag region must not change what is compared. */
  uint8_t received[TA_AEAD_TAG_LEN], computed[TA_AEAD_TAG_LEN];
  memcpy(received, in + len, TA_AEAD_TAG_LEN);

  _Alignas(64) uint8_t st[TA_KERNEL_STREAM_SIZE];
  const ta_aead_kernel *k = ctx->kernel;
  const void *ks = key_state(ctx);
  k->begin(ks, st, nonce, aad, aad_len);
  k->crypt(ks, st, 0, in, out, len);
  k->finish(ks, st, computed);
  ta_wipe(st, sizeof st);
  int ok = ta_ct_equal(received, computed, TA_AEAD_TAG_LEN);
  ta_wipe(computed, sizeof computed);
  if (!ok) {
    if (len != 0) ta_wipe(out, len);
    return TA_ERR_AUTH;
  }
  return TA_OK;
}

/* ---- stream API ---- */

static stream_header *header_of(ta_aead_stream *st) { return (stream_header *)st->opaque; }
static void *kernel_state_of(ta_aead_stream *st) { return st->opaque + 64; }

int ta_aead_stream_begin(ta_aead_stream *st, const ta_aead *ctx, int encrypt,
                         const uint8_t nonce[TA_AEAD_NONCE_LEN], const uint8_t *aad,
                         size_t aad_len) {
  if (st == NULL) return TA_ERR_ARG;
  int rc = check_common(ctx, nonce, aad, aad_len);
  if (rc != TA_OK) return rc;
  stream_header *h = header_of(st);
  h->ctx = ctx;
  h->magic = STREAM_MAGIC;
  h->encrypt = encrypt ? 1 : 0;
  h->processed = 0;
  ctx->kernel->begin(key_state(ctx), kernel_state_of(st), nonce, aad, aad_len);
  return TA_OK;
}

static int stream_step(ta_aead_stream *st, const uint8_t *in, size_t len, uint8_t *out,
                       int must_be_whole) {
  if (st == NULL) return TA_ERR_ARG;
  stream_header *h = header_of(st);
  if (h->magic != STREAM_MAGIC || h->ctx == NULL) return TA_ERR_STATE;
  if (len != 0 && (in == NULL || out == NULL)) return TA_ERR_ARG;
  if (must_be_whole && len % TA_STREAM_BLOCK != 0) return TA_ERR_ARG;
  if (bad_overlap(in, len, out, len)) return TA_ERR_ARG;
  uint64_t total = h->processed + (uint64_t)len;
  if (total < h->processed || total > max_len_of(h->ctx->alg)) return TA_ERR_ARG;
  h->processed = total;
  const ta_aead *ctx = h->ctx;
  ctx->kernel->crypt(key_state(ctx), kernel_state_of(st), h->encrypt, in, out, len);
  return TA_OK;
}

int ta_aead_stream_update(ta_aead_stream *st, const uint8_t *in, size_t len, uint8_t *out) {
  return stream_step(st, in, len, out, 1);
}

int ta_aead_stream_finish_seal(ta_aead_stream *st, const uint8_t *in, size_t len,
                               uint8_t *out, uint8_t tag_out[TA_AEAD_TAG_LEN]) {
  if (st == NULL || tag_out == NULL) return TA_ERR_ARG;
  if (header_of(st)->magic == STREAM_MAGIC && !header_of(st)->encrypt) return TA_ERR_STATE;
  int rc = stream_step(st, in, len, out, 0);
  if (rc != TA_OK) return rc;
  const ta_aead *ctx = header_of(st)->ctx;
  ctx->kernel->finish(key_state(ctx), kernel_state_of(st), tag_out);
  ta_aead_stream_wipe(st);
  return TA_OK;
}

int ta_aead_stream_finish_open(ta_aead_stream *st, const uint8_t *in, size_t len,
                               uint8_t *out, const uint8_t tag[TA_AEAD_TAG_LEN]) {
  if (st == NULL || tag == NULL) return TA_ERR_ARG;
  if (header_of(st)->magic == STREAM_MAGIC && header_of(st)->encrypt) return TA_ERR_STATE;
  uint8_t received[TA_AEAD_TAG_LEN], computed[TA_AEAD_TAG_LEN];
  memcpy(received, tag, TA_AEAD_TAG_LEN);
  int rc = stream_step(st, in, len, out, 0);
  if (rc != TA_OK) return rc;
  const ta_aead *ctx = header_of(st)->ctx;
  ctx->kernel->finish(key_state(ctx), kernel_state_of(st), computed);
  ta_aead_stream_wipe(st);
  int ok = ta_ct_equal(received, computed, TA_AEAD_TAG_LEN);
  ta_wipe(computed, sizeof computed);
  return ok ? TA_OK : TA_ERR_AUTH;
}

void ta_aead_stream_wipe(ta_aead_stream *st) {
  if (st != NULL) ta_wipe(st, sizeof *st);
}
