/*
 * internal.h - what the generic layer (aead.c, mac.c) and the kernels share.
 *
 * A kernel is one implementation of one algorithm family on one instruction set
 * (e.g. AES-GCM on VAES-512). It provides key setup and the three stream steps; the
 * generic layer owns argument checks, allocation, tag comparison and zeroing.
 */
#ifndef TA_INTERNAL_H
#define TA_INTERNAL_H

#include "tlsaccel.h"
#include <stddef.h>
#include <stdint.h>

#define TA_ALG_BIT(a) (1u << (a))

/* Bytes a kernel may keep in the stream object (aligned to 64). */
#define TA_KERNEL_STREAM_SIZE 448

typedef struct ta_aead_kernel {
  const char *name; /* "aesni", "vaes256", "vaes512", "avx2", "avx512", "portable" */
  uint32_t algs;    /* TA_ALG_BIT of every algorithm it serves */
  uint32_t needs;   /* TA_CPU_* bits that must all be present */
  size_t key_state_size; /* bytes of key state (the generic layer aligns it to 64) */

  /* Expands the key into ks (key_len already checked against the algorithm). */
  int (*setup)(void *ks, int alg, const uint8_t *key, size_t key_len);
  /* Starts one operation: nonce is 12 bytes, aad any length (aad may be NULL iff 0). */
  void (*begin)(const void *ks, void *st, const uint8_t nonce[12], const uint8_t *aad,
                size_t aad_len);
  /* Encrypts (encrypt=1) or decrypts len bytes from in to out (in == out allowed). Every
   * call but the last of an operation has len % TA_STREAM_BLOCK == 0. */
  void (*crypt)(const void *ks, void *st, int encrypt, const uint8_t *in, uint8_t *out,
                size_t len);
  /* Writes the tag over everything processed (the ciphertext in both directions). */
  void (*finish)(const void *ks, void *st, uint8_t tag[16]);
} ta_aead_kernel;

/* MAC kernels: the HMAC construction sits in mac.c over a compression function. */
typedef struct ta_mac_kernel {
  const char *name; /* "shani", "portable" */
  uint32_t algs;
  uint32_t needs;
  /* Compresses nblocks full blocks (64 bytes for SHA-256, 128 for SHA-384) into state
   * (8 x uint32_t for SHA-256, 8 x uint64_t for SHA-384). */
  void (*compress)(void *state, const uint8_t *blocks, size_t nblocks);
} ta_mac_kernel;

/* Registries, in order of preference (fastest first). Defined in registry.c. */
extern const ta_aead_kernel *const ta_aes_gcm_kernels[];
extern const size_t ta_aes_gcm_kernel_count;
extern const ta_aead_kernel *const ta_chacha_kernels[];
extern const size_t ta_chacha_kernel_count;
extern const ta_mac_kernel *const ta_sha256_kernels[];
extern const size_t ta_sha256_kernel_count;
extern const ta_mac_kernel *const ta_sha384_kernels[];
extern const size_t ta_sha384_kernel_count;

/* Zeroing the compiler may not drop. */
void ta_wipe(void *p, size_t n);
/* Counts contexts made (+1) and freed (-1), for ta_live_contexts. */
void ta_live_contexts_add(int64_t delta);
/* Constant-time equality of n bytes: 1 when equal. */
int ta_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);

#endif
