/*
 * test_api.c - the generic layer's promises: every bad pointer, length, size or enum is
 * refused with TA_ERR_ARG before memory is touched; streams refuse misuse; features and
 * version are reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsaccel.h"

static int failures;

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                        \
    }                                                                    \
  } while (0)

static void test_features(void) {
  uint32_t usable = ta_cpu_features(), detected = ta_cpu_features_detected();
  CHECK((usable & ~detected) == 0); /* the mask only hides */
  CHECK(strcmp(ta_cpu_feature_name(1), "aesni") == 0);
  CHECK(ta_cpu_feature_name(31) == NULL);
  CHECK(ta_cpu_feature_name(-1) == NULL);
  CHECK(ta_abi_version() == TA_ABI_VERSION);
  CHECK(ta_version() != NULL && strlen(ta_version()) > 0);
  printf("features: detected %#x usable %#x\n", detected, usable);
}

static void test_aead_args(int alg, size_t key_len) {
  uint8_t key[32] = {1}, nonce[12] = {2}, buf[64] = {0}, out[96];
  ta_aead *ctx = (ta_aead *)&ctx; /* must be overwritten with NULL on failure */
  CHECK(ta_aead_new(NULL, alg, -1, key, key_len) == TA_ERR_ARG);
  CHECK(ta_aead_new(&ctx, alg, -1, NULL, key_len) == TA_ERR_ARG && ctx == NULL);
  CHECK(ta_aead_new(&ctx, alg, -1, key, key_len - 1) == TA_ERR_ARG);
  CHECK(ta_aead_new(&ctx, 99, -1, key, key_len) == TA_ERR_ARG);
  CHECK(ta_aead_new(&ctx, alg, 1000, key, key_len) == TA_ERR_ARG);
  CHECK(ta_aead_impl_name(alg, -1) == NULL);
  CHECK(ta_aead_impl_usable(alg, 1000) == 0);
  if (ta_aead_impl_best(alg) < 0) {
    printf("alg %d: no usable implementation, argument checks on contexts skipped\n", alg);
    return;
  }
  CHECK(ta_aead_new(&ctx, alg, -1, key, key_len) == TA_OK && ctx != NULL);
  CHECK(ta_aead_alg(ctx) == alg);
  /* seal */
  CHECK(ta_aead_seal(NULL, nonce, NULL, 0, buf, 16, out) == TA_ERR_ARG);
  CHECK(ta_aead_seal(ctx, NULL, NULL, 0, buf, 16, out) == TA_ERR_ARG);
  CHECK(ta_aead_seal(ctx, nonce, NULL, 5, buf, 16, out) == TA_ERR_ARG);
  CHECK(ta_aead_seal(ctx, nonce, NULL, 0, NULL, 16, out) == TA_ERR_ARG);
  CHECK(ta_aead_seal(ctx, nonce, NULL, 0, buf, 16, NULL) == TA_ERR_ARG);
  CHECK(ta_aead_seal(ctx, nonce, NULL, 0, buf, 32, buf + 8) == TA_ERR_ARG); /* overlap */
  CHECK(ta_aead_seal(ctx, nonce, NULL, 0, buf + 8, 32, buf) == TA_ERR_ARG);
  CHECK(ta_aead_seal(ctx, nonce, NULL, 0, buf, (size_t)-1, out) == TA_ERR_ARG);
  CHECK(ta_aead_seal(ctx, nonce, NULL, 0, NULL, 0, out) == TA_OK); /* empty message */
  CHECK(ta_aead_seal(ctx, nonce, NULL, 0, buf, 32, buf) == TA_OK);  /* in place */
  /* open */
  CHECK(ta_aead_open(ctx, nonce, NULL, 0, buf, 15, out) == TA_ERR_ARG); /* shorter than tag */
  CHECK(ta_aead_open(ctx, nonce, NULL, 0, NULL, 16, out) == TA_ERR_ARG);
  CHECK(ta_aead_open(ctx, nonce, NULL, 0, buf, 48, buf) == TA_OK); /* in place round trip */
  memset(out, 0xAA, sizeof out);
  buf[0] ^= 1;
  CHECK(ta_aead_seal(ctx, nonce, NULL, 0, buf, 32, out) == TA_OK);
  out[40] ^= 1; /* corrupt the tag */
  CHECK(ta_aead_open(ctx, nonce, NULL, 0, out, 48, buf) == TA_ERR_AUTH);
  for (int i = 0; i < 32; i++) CHECK(buf[i] == 0); /* zeroed */
  /* stream misuse */
  ta_aead_stream st;
  memset(&st, 0, sizeof st);
  CHECK(ta_aead_stream_update(&st, buf, 64, out) == TA_ERR_STATE);
  CHECK(ta_aead_stream_update(NULL, buf, 64, out) == TA_ERR_ARG);
  CHECK(ta_aead_stream_begin(&st, ctx, 1, nonce, NULL, 0) == TA_OK);
  CHECK(ta_aead_stream_update(&st, buf, 10, out) == TA_ERR_ARG); /* not whole blocks */
  CHECK(ta_aead_stream_finish_open(&st, buf, 0, out, buf) == TA_ERR_STATE);
  CHECK(ta_aead_stream_finish_seal(&st, buf, 10, out, out + 10) == TA_OK);
  CHECK(ta_aead_stream_update(&st, buf, 64, out) == TA_ERR_STATE); /* finished: wiped */
  ta_aead_free(ctx);
  ta_aead_free(NULL);
}

static void test_mac_args(int alg) {
  uint8_t key[200] = {3}, out[64];
  ta_mac *ctx = NULL;
  CHECK(ta_mac_new(NULL, alg, -1, key, 16) == TA_ERR_ARG);
  CHECK(ta_mac_new(&ctx, 99, -1, key, 16) == TA_ERR_ARG);
  CHECK(ta_mac_new(&ctx, alg, -1, NULL, 16) == TA_ERR_ARG);
  if (ta_mac_impl_best(alg) < 0) {
    printf("mac %d: no usable implementation\n", alg);
    return;
  }
  CHECK(ta_mac_new(&ctx, alg, -1, key, 200) == TA_OK); /* longer than a block: hashed */
  CHECK(ta_mac_update(ctx, NULL, 5) == TA_ERR_ARG);
  CHECK(ta_mac_update(NULL, key, 5) == TA_ERR_ARG);
  CHECK(ta_mac_final(ctx, out, 8) == TA_ERR_ARG); /* too small for the MAC */
  CHECK(ta_mac_final(ctx, NULL, 64) == TA_ERR_ARG);
  CHECK(ta_mac_final(ctx, out, 64) == TA_OK);
  ta_mac_free(ctx);
  ta_mac_free(NULL);
}

/* Every context made counts once until it is freed; failed makes count nothing. */
static void test_live_contexts(void) {
  uint8_t key[32] = {0};
  int64_t before = ta_live_contexts();
  ta_aead *a = NULL;
  ta_mac *m = NULL;
  CHECK(ta_aead_new(&a, TA_CHACHA20_POLY1305, -1, key, 31) == TA_ERR_ARG);
  CHECK(ta_live_contexts() == before);
  CHECK(ta_aead_new(&a, TA_CHACHA20_POLY1305, -1, key, 32) == TA_OK); /* portable everywhere */
  CHECK(ta_mac_new(&m, TA_HMAC_SHA256, -1, key, 32) == TA_OK);
  CHECK(ta_live_contexts() == before + 2);
  ta_aead_free(a);
  ta_mac_free(m);
  ta_aead_free(NULL);
  CHECK(ta_live_contexts() == before);
}

int main(void) {
  test_features();
  test_live_contexts();
  test_aead_args(TA_AES_128_GCM, 16);
  test_aead_args(TA_AES_256_GCM, 32);
  test_aead_args(TA_CHACHA20_POLY1305, 32);
  test_mac_args(TA_HMAC_SHA256);
  test_mac_args(TA_HMAC_SHA384);
  const char *failed = NULL;
  int rc = ta_self_test(&failed);
  CHECK(rc == TA_OK);
  if (rc != TA_OK) fprintf(stderr, "self-test failed: %s\n", failed ? failed : "?");
  printf("test_api: %d check(s) failed\n", failures);
  return failures == 0 ? 0 : 1;
}
