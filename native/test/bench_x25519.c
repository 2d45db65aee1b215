/*
 * bench_x25519.c - microseconds per X25519 key generation (public key from private) and
 * per agreement (shared secret), every usable implementation (not a ctest; run by hand).
 *
 *   bench_x25519 [seconds per measurement, default 0.5]
 *
 * Each figure is the fastest of several batches of 20 operations, so a busy machine
 * shows its least-disturbed batch. Each operation's output feeds the next one's input,
 * so no call can be skipped or overlapped.
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c11 */
#include "tlsaccel.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define BATCH 20

static double measure(int impl, int agree, double budget) {
  uint8_t k[32] = {0x77, 7, 0x6d}, u[32] = {9}, out[32];
  double best = 1e9, start = now();
  while (now() - start < budget) {
    double t0 = now();
    for (int i = 0; i < BATCH; i++) {
      if (agree) {
        if (ta_x25519_shared_secret(impl, out, k, u) != TA_OK) exit(1);
        for (int j = 0; j < 32; j++) u[j] = out[j];
      } else {
        if (ta_x25519_public_key(impl, out, k) != TA_OK) exit(1);
        for (int j = 0; j < 32; j++) k[j] = out[j];
      }
    }
    double us = (now() - t0) * 1e6 / BATCH;
    if (us < best) best = us;
  }
  return best;
}

int main(int argc, char **argv) {
  double budget = argc > 1 ? atof(argv[1]) : 0.5;
  printf("%-10s %12s %12s\n", "impl", "keygen us", "agree us");
  for (int i = 0; i < ta_x25519_impl_count(); i++) {
    if (!ta_x25519_impl_usable(i)) {
      printf("%-10s %12s %12s\n", ta_x25519_impl_name(i), "-", "-");
      continue;
    }
    printf("%-10s %12.1f %12.1f\n", ta_x25519_impl_name(i), measure(i, 0, budget),
           measure(i, 1, budget));
  }
  return 0;
}
