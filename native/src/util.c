/* util.c - wiping and constant-time comparison. */
#include "internal.h"

#include <stdatomic.h>
#include <string.h>

static _Atomic int64_t live_contexts;

void ta_live_contexts_add(int64_t delta) { atomic_fetch_add_explicit(&live_contexts, delta, memory_order_relaxed); }

int64_t ta_live_contexts(void) { return atomic_load_explicit(&live_contexts, memory_order_relaxed); }

void ta_wipe(void *p, size_t n) {
  if (p == NULL || n == 0) return;
  memset(p, 0, n);
  /* The barrier tells the compiler the zeroed memory is observed, so the store stays. */
  __asm__ __volatile__("" : : "r"(p) : "memory");
}

int ta_ct_equal(const uint8_t *a, const uint8_t *b, size_t n) {
  uint8_t diff = 0;
  for (size_t i = 0; i < n; i++) diff |= (uint8_t)(a[i] ^ b[i]);
  /* 1 when diff == 0, without a branch on the secret */
  return (int)(1 & (((uint32_t)diff - 1) >> 8));
}
