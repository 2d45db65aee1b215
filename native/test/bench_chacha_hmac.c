/*
 * bench_chacha_hmac.c - throughput of ChaCha20-Poly1305 seal/open and HMAC-SHA-256/384,
 * every usable implementation, at 64 B, 1 KiB and 16 KiB (not a ctest; run by hand).
 *
 *   bench_chacha_hmac [seconds per measurement, default 0.3]
 *
 * MB/s = 10^6 bytes per second of message (AAD and tag excluded), from the fastest
 * batch (see measure).
 * One context per implementation, one 13-byte AAD (a TLS 1.2 record header) per seal.
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c11 */
#include "tlsaccel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const size_t SIZES[3] = {64, 1024, 16384};
static double budget = 0.3;
static volatile uint8_t sink;

typedef int (*op_fn)(void *ctx, uint8_t *buf, size_t len);

static int op_seal(void *ctx, uint8_t *buf, size_t len) {
  static const uint8_t nonce[12] = {1, 2, 3}, aad[13] = {23, 3, 3};
  return ta_aead_seal((const ta_aead *)ctx, nonce, aad, sizeof aad, buf, len, buf);
}

static uint8_t sealed[16384 + 16];
static int op_open(void *ctx, uint8_t *buf, size_t len) {
  static const uint8_t nonce[12] = {1, 2, 3}, aad[13] = {23, 3, 3};
  (void)buf;
  return ta_aead_open((const ta_aead *)ctx, nonce, aad, sizeof aad, sealed, len + 16, buf);
}

static int op_mac(void *ctx, uint8_t *buf, size_t len) {
  uint8_t out[48];
  int rc = ta_mac_update((ta_mac *)ctx, buf, len);
  if (rc == TA_OK) rc = ta_mac_final((ta_mac *)ctx, out, sizeof out);
  sink ^= out[0];
  return rc;
}

/* The fastest batch of operations (a batch lasts ~100 us) within the time budget: the
 * minimum is what the code costs when nothing else runs, and it stays meaningful on a
 * machine shared with other work, where means do not. */
static double measure(op_fn op, void *ctx, uint8_t *buf, size_t len) {
  int batch = (int)(100000 / (len + 200)) + 1; /* ~100 us at ~1 byte/ns */
  double best = 1e30, start = now();
  do {
    double t0 = now();
    for (int i = 0; i < batch; i++) {
      if (op(ctx, buf, len) != TA_OK) {
        fprintf(stderr, "operation failed\n");
        exit(1);
      }
    }
    double t = (now() - t0) / batch;
    if (t < best) best = t;
  } while (now() - start < budget);
  return (double)len / best / 1e6;
}

int main(int argc, char **argv) {
  if (argc > 1) budget = atof(argv[1]);
  static uint8_t buf[16384 + 64];
  memset(buf, 0x5a, sizeof buf);
  uint8_t key[32] = {7};

  printf("%-28s %10s %10s %10s   (MB/s)\n", "", "64 B", "1 KiB", "16 KiB");
  int n = ta_aead_impl_count(TA_CHACHA20_POLY1305);
  for (int i = 0; i < n; i++) {
    const char *name = ta_aead_impl_name(TA_CHACHA20_POLY1305, i);
    if (!ta_aead_impl_usable(TA_CHACHA20_POLY1305, i)) {
      printf("chacha20-poly1305 %-10s skipped\n", name);
      continue;
    }
    ta_aead *ctx;
    if (ta_aead_new(&ctx, TA_CHACHA20_POLY1305, i, key, 32) != TA_OK) return 1;
    for (int dir = 0; dir < 2; dir++) {
      printf("chacha20-poly1305 %-8s %s", name, dir ? "open" : "seal");
      for (int s = 0; s < 3; s++) {
        if (dir) { /* a valid record of this size to open */
          memcpy(sealed, buf, SIZES[s]);
          op_seal(ctx, sealed, SIZES[s]);
        }
        printf(" %10.0f", measure(dir ? op_open : op_seal, ctx, buf, SIZES[s]));
        fflush(stdout);
      }
      printf("\n");
    }
    ta_aead_free(ctx);
  }
  const int algs[2] = {TA_HMAC_SHA256, TA_HMAC_SHA384};
  const char *names[2] = {"hmac-sha256", "hmac-sha384"};
  for (int a = 0; a < 2; a++) {
    n = ta_mac_impl_count(algs[a]);
    for (int i = 0; i < n; i++) {
      const char *name = ta_mac_impl_name(algs[a], i);
      if (!ta_mac_impl_usable(algs[a], i)) {
        printf("%s %-10s skipped\n", names[a], name);
        continue;
      }
      ta_mac *m;
      if (ta_mac_new(&m, algs[a], i, key, 32) != TA_OK) return 1;
      printf("%s %-16s", names[a], name);
      for (int s = 0; s < 3; s++) {
        printf(" %10.0f", measure(op_mac, m, buf, SIZES[s]));
        fflush(stdout);
      }
      printf("\n");
      ta_mac_free(m);
    }
  }
  return 0;
}
