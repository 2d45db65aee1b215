/*
 * bench_record_insns.c - seals `reps` records of 16 KiB (13-byte AAD, as TLS 1.2) with one
 * named implementation, or MACs them; nothing else. Run under an instruction counter
 * (native/test/aarch64/count-insns.sh runs it under qemu with one instruction per
 * translation block) twice with different reps: the difference over the reps difference
 * is the instruction count per record, the sanity figure that stands in for speed where
 * the CPU is emulated.
 *
 * Usage: bench_record_insns aes128gcm|aes256gcm|chacha|hmac256|hmac384 IMPL REPS
 */
#include "tlsaccel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD 16384

static int find_impl(int alg, int is_mac, const char *name) {
  int n = is_mac ? ta_mac_impl_count(alg) : ta_aead_impl_count(alg);
  for (int i = 0; i < n; i++) {
    const char *nm = is_mac ? ta_mac_impl_name(alg, i) : ta_aead_impl_name(alg, i);
    if (nm != NULL && strcmp(nm, name) == 0) return i;
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s aes128gcm|aes256gcm|chacha|hmac256|hmac384 IMPL REPS\n", argv[0]);
    return 2;
  }
  static const struct {
    const char *name;
    int alg, is_mac;
    size_t key_len;
  } algs[] = {{"aes128gcm", TA_AES_128_GCM, 0, 16}, {"aes256gcm", TA_AES_256_GCM, 0, 32},
              {"chacha", TA_CHACHA20_POLY1305, 0, 32}, {"hmac256", TA_HMAC_SHA256, 1, 32},
              {"hmac384", TA_HMAC_SHA384, 1, 48}};
  int a = -1;
  for (int i = 0; i < 5; i++)
    if (strcmp(argv[1], algs[i].name) == 0) a = i;
  long reps = strtol(argv[3], NULL, 10);
  if (a < 0 || reps < 0) {
    fprintf(stderr, "bad algorithm or count\n");
    return 2;
  }
  int impl = find_impl(algs[a].alg, algs[a].is_mac, argv[2]);
  if (impl < 0) {
    fprintf(stderr, "no implementation %s for %s\n", argv[2], argv[1]);
    return 2;
  }
  static uint8_t in[RECORD], out[RECORD + 64];
  uint8_t key[48], nonce[12] = {0}, aad[13] = {0};
  memset(key, 7, sizeof key);
  memset(in, 3, sizeof in);
  int rc = TA_OK;
  if (algs[a].is_mac) {
    ta_mac *m = NULL;
    rc = ta_mac_new(&m, algs[a].alg, impl, key, algs[a].key_len);
    for (long r = 0; rc == TA_OK && r < reps; r++) {
      rc = ta_mac_update(m, in, sizeof in);
      if (rc == TA_OK) rc = ta_mac_final(m, out, 64);
    }
    ta_mac_free(m);
  } else {
    ta_aead *ctx = NULL;
    rc = ta_aead_new(&ctx, algs[a].alg, impl, key, algs[a].key_len);
    for (long r = 0; rc == TA_OK && r < reps; r++) {
      nonce[11] = (uint8_t)r;
      rc = ta_aead_seal(ctx, nonce, aad, sizeof aad, in, sizeof in, out);
    }
    ta_aead_free(ctx);
  }
  if (rc != TA_OK) {
    fprintf(stderr, "failed: %d\n", rc);
    return 1;
  }
  return 0;
}
