/*
 * registry.c - every kernel, per algorithm family, fastest first.
 * The dispatcher takes the first one whose needed features are all usable.
 * Each target lists its own kernels (cmake/KernelFlags.cmake builds only those files).
 */
#include "internal.h"
#include "x25519_internal.h"

#if defined(__aarch64__)
extern const ta_aead_kernel ta_aes_gcm_armv8ce, ta_chacha_neon, ta_chacha_portable;
extern const ta_mac_kernel ta_sha256_armv8ce, ta_sha256_portable, ta_sha384_portable;
const ta_aead_kernel *const ta_aes_gcm_kernels[] = {&ta_aes_gcm_armv8ce};
const ta_aead_kernel *const ta_chacha_kernels[] = {&ta_chacha_neon, &ta_chacha_portable};
const ta_mac_kernel *const ta_sha256_kernels[] = {&ta_sha256_armv8ce, &ta_sha256_portable};
const ta_mac_kernel *const ta_sha384_kernels[] = {&ta_sha384_portable};
#else

/* AES-GCM (aes_gcm_*.c) */
extern const ta_aead_kernel ta_aes_gcm_vaes512, ta_aes_gcm_vaes256, ta_aes_gcm_aesni;
const ta_aead_kernel *const ta_aes_gcm_kernels[] = {&ta_aes_gcm_vaes512, &ta_aes_gcm_vaes256,
                                                    &ta_aes_gcm_aesni};

/* ChaCha20-Poly1305 (chacha20_poly1305_*.c) */
extern const ta_aead_kernel ta_chacha_avx512, ta_chacha_avx2, ta_chacha_portable;
const ta_aead_kernel *const ta_chacha_kernels[] = {&ta_chacha_avx512, &ta_chacha_avx2,
                                                  &ta_chacha_portable};

/* SHA-256 and SHA-384 compression for HMAC (sha*.c) */
extern const ta_mac_kernel ta_sha256_shani, ta_sha256_portable, ta_sha384_avx2,
    ta_sha384_portable;
const ta_mac_kernel *const ta_sha256_kernels[] = {&ta_sha256_shani, &ta_sha256_portable};
const ta_mac_kernel *const ta_sha384_kernels[] = {&ta_sha384_avx2, &ta_sha384_portable};
#endif

const size_t ta_aes_gcm_kernel_count = sizeof ta_aes_gcm_kernels / sizeof ta_aes_gcm_kernels[0];
const size_t ta_chacha_kernel_count = sizeof ta_chacha_kernels / sizeof ta_chacha_kernels[0];
const size_t ta_sha256_kernel_count = sizeof ta_sha256_kernels / sizeof ta_sha256_kernels[0];
const size_t ta_sha384_kernel_count = sizeof ta_sha384_kernels / sizeof ta_sha384_kernels[0];

/* X25519 (x25519_*.c). Measured (bench_x25519, AMD EPYC, GCC 12): radix 2^51 in portable C
 * 14 us per public key and 40 us per shared secret, radix 2^64 on mulx/adx intrinsics 20 and
 * 60 us (GCC serialises the carry chains), so portable comes first; mulx stays selectable by
 * index. */
extern const ta_x25519_kernel ta_x25519_mulx, ta_x25519_portable;
const ta_x25519_kernel *const ta_x25519_kernels[] = {&ta_x25519_portable, &ta_x25519_mulx};
const size_t ta_x25519_kernel_count = sizeof ta_x25519_kernels / sizeof ta_x25519_kernels[0];
