/*
 * x25519_internal.h - what x25519.c (checks, clamping, dispatch) and the X25519 kernels
 * (x25519_portable.c, x25519_mulx.c) share.
 */
#ifndef TA_X25519_INTERNAL_H
#define TA_X25519_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct ta_x25519_kernel {
  const char *name; /* "portable", "mulx" */
  uint32_t needs;   /* TA_CPU_* bits that must all be present */
  /* out = X25519(k, u) (RFC 7748 5): k already clamped, bit 255 of u ignored. Constant
   * time in k and u. out may not overlap k or u. */
  void (*scalarmult)(uint8_t out[32], const uint8_t k[32], const uint8_t u[32]);
  /* out = X25519(k, 9), the public key, by a fixed-base method; k clamped. */
  void (*base)(uint8_t out[32], const uint8_t k[32]);
} ta_x25519_kernel;

/* Fastest first; defined in registry.c. */
extern const ta_x25519_kernel *const ta_x25519_kernels[];
extern const size_t ta_x25519_kernel_count;

#endif
