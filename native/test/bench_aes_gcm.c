/*
 * bench_aes_gcm.c - seal/open throughput of every usable AES-GCM implementation through
 * the public API (what the JNI layer calls), one thread, at 64 B, 1 KiB, 8 KiB and 16 KiB
 * with a 13-byte AAD (a TLS 1.2 record header).
 *
 * MB/s is 10^6 bytes of plaintext per second. cycles/byte uses the core clock, measured
 * here with a chain of dependent adds (one per cycle), so it stays right when the clock
 * differs from the TSC; it is only as steady as the clock itself.
 *
 * Usage: bench_aes_gcm [seconds per measurement, default 0.3] [implementation name] [bytes]
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c11 */
#include "tlsaccel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  /* CPU time of this thread: the machine is shared, so wall time would count the
   * slices other processes run in. */
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Core clock in Hz: 'iters' dependent adds take 'iters' cycles. */
static double core_hz(void) {
  double best = 0;
  for (int rep = 0; rep < 5; rep++) {
    unsigned long long x = 0, iters = 200000000ull;
    double t0 = now();
    for (unsigned long long i = 0; i < iters; i += 8)
#if defined(__aarch64__)
      __asm__ volatile("add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\t"
                       "add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\t"
                       "add %0, %0, #1\n\tadd %0, %0, #1"
                       : "+r"(x));
#else
      __asm__ volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                       "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
                       : "+r"(x));
#endif
    double hz = (double)iters / (now() - t0);
    if (hz > best) best = hz;
  }
  return best;
}

static volatile uint8_t sink;

/* Best of ten timings of as many operations as fit in secs/10 (the best one is the least
 * disturbed by the other processes and the hypervisor); returns bytes/second. */
static double measure(const ta_aead *ctx, int seal, const uint8_t *nonce, const uint8_t *aad,
                      const uint8_t *in, uint8_t *out, size_t len, double secs) {
  double best = 0;
  for (int rep = 0; rep < 10; rep++) {
    size_t ops = 0;
    double t0 = now(), t;
    do {
      for (int i = 0; i < 64; i++) {
        int rc = seal ? ta_aead_seal(ctx, nonce, aad, 13, in, len, out)
                      : ta_aead_open(ctx, nonce, aad, 13, in, len + 16, out);
        if (rc != TA_OK) {
          fprintf(stderr, "operation failed: %d\n", rc);
          exit(1);
        }
      }
      ops += 64;
      t = now() - t0;
    } while (t < secs / 10);
    sink = out[0];
    double bps = (double)ops * (double)len / t;
    if (bps > best) best = bps;
  }
  return best;
}

int main(int argc, char **argv) {
  double secs = argc > 1 ? atof(argv[1]) : 0.3;
  const char *only_impl = argc > 2 ? argv[2] : NULL;
  size_t only_size = argc > 3 ? (size_t)atol(argv[3]) : 0;
  static const size_t sizes[] = {64, 1024, 8192, 16384};
  static const int algs[] = {TA_AES_128_GCM, TA_AES_256_GCM};
  static uint8_t pt[16384], ct[16384 + 16], back[16384];
  uint8_t key[32], nonce[12], aad[13];
  for (size_t i = 0; i < sizeof pt; i++) pt[i] = (uint8_t)(i * 131 + 7);
  for (int i = 0; i < 32; i++) key[i] = (uint8_t)(i * 7 + 1);
  memset(nonce, 0x5a, sizeof nonce);
  memset(aad, 0x17, sizeof aad);

  double hz = core_hz();
  printf("core clock ~%.2f GHz\n", hz / 1e9);
  printf("%-8s %-11s %-5s %7s %10s %8s\n", "impl", "alg", "op", "bytes", "MB/s", "cyc/B");
  for (size_t a = 0; a < sizeof algs / sizeof algs[0]; a++) {
    int alg = algs[a];
    for (int impl = 0; impl < ta_aead_impl_count(alg); impl++) {
      const char *name = ta_aead_impl_name(alg, impl);
      if (only_impl != NULL && *only_impl && strcmp(only_impl, name) != 0) continue;
      if (!ta_aead_impl_usable(alg, impl)) {
        printf("%-8s skipped (CPU features missing or masked)\n", name);
        continue;
      }
      ta_aead *ctx;
      if (ta_aead_new(&ctx, alg, impl, key, alg == TA_AES_128_GCM ? 16 : 32) != TA_OK) return 1;
      for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t len = sizes[s];
        if (only_size != 0 && len != only_size) continue;
        ta_aead_seal(ctx, nonce, aad, 13, pt, len, ct);
        for (int seal = 1; seal >= 0; seal--) {
          double bps = seal ? measure(ctx, 1, nonce, aad, pt, ct, len, secs)
                            : measure(ctx, 0, nonce, aad, ct, back, len, secs);
          printf("%-8s %-11s %-5s %7zu %10.0f %8.3f\n", name,
                 alg == TA_AES_128_GCM ? "AES-128-GCM" : "AES-256-GCM", seal ? "seal" : "open",
                 len, bps / 1e6, hz / bps);
        }
      }
      ta_aead_free(ctx);
    }
  }
  return 0;
}
