/*
 * aes_gcm_armv8ce.h - the key and stream state of the AArch64 AES-GCM kernel
 * (aes_gcm_armv8ce.c). The AArch64 counterpart of the types in aes_gcm_common.h, kept in
 * a header of its own so the C tests can reach the counter (the wrap test) without the
 * kernel's instruction-set flags. The math is the one aes_gcm_common.h explains; its
 * section "On AArch64" says what differs.
 */
#ifndef TA_AES_GCM_ARMV8CE_H
#define TA_AES_GCM_ARMV8CE_H

#include "internal.h"

#include <arm_neon.h>

/* Powers of H kept in the key state: one reduction per group of 8 blocks. */
#define TA_GCM_ARM_NPOW 8

typedef struct {
  /* h[i] = H^(NPOW - i) * x^-1 in reflected form (lane 0 = low 64 bits). */
  uint64x2_t h[TA_GCM_ARM_NPOW];
  /* hk[i] = low ^ high 64 bits of h[i], in both lanes, for Karatsuba. */
  uint64x2_t hk[TA_GCM_ARM_NPOW];
  uint8x16_t rk[15]; /* AES round keys, rk[0..rounds] */
  uint32_t rounds;   /* 10 or 14 */
} gcm_key;

typedef struct {
  uint64x2_t y;   /* running GHASH, reflected */
  uint8x16_t ej0; /* E(K, J0), byte order as on the wire */
  uint32_t ctr;   /* next 32-bit block counter, as a number (inserted big-endian) */
  uint32_t unused[3];
  uint8x16_t j0;  /* nonce || be32(1): the counter blocks are this with word 3 replaced */
  uint64_t aad_len, ct_len; /* bytes */
} gcm_stream;

_Static_assert(sizeof(gcm_stream) <= TA_KERNEL_STREAM_SIZE, "GCM stream state fits");

#endif
