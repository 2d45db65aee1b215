/*
 * tlsaccel.h - the plain C ABI of the tlsaccel cipher layer.
 *
 * No JNI types here: the JNI glue (native/jni/) and the JNA control plane (Java) are both
 * clients of this header, and so are the C tests.
 *
 * Model: a context is made once per key (expanded round keys, GHASH powers of H, ...),
 * from one implementation chosen when it is made (key schedule, bulk loop, tail and
 * authenticator come as one unit, so paths can never mix). Seal/open then run one whole
 * AEAD operation per call. A stream API exists for callers that must bound how much they
 * process per call (the JNI binding does, to keep critical array regions short).
 *
 * Every function checks its pointers and lengths first and returns a negative TA_ERR_*
 * without touching memory when they are wrong.
 */
#ifndef TLSACCEL_H
#define TLSACCEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TA_API __attribute__((visibility("default")))
#else
#define TA_API
#endif

/* ABI version: the Java side refuses a library whose major differs from its own. */
#define TA_ABI_VERSION 1

/* Result codes (>= 0 is success; seal/open return TA_OK). */
#define TA_OK 0
#define TA_ERR_ARG (-1)         /* null pointer, bad length or size, bad enum value */
#define TA_ERR_AUTH (-2)        /* tag mismatch: the output has been zeroed */
#define TA_ERR_UNSUPPORTED (-3) /* implementation not usable on this CPU / under the mask */
#define TA_ERR_NOMEM (-4)
#define TA_ERR_STATE (-5) /* a stream used out of order */
#define TA_ERR_ZERO_SECRET (-6) /* X25519: the shared secret is all zeros (low-order peer) */

/* CPU features (after the OS check through xgetbv for the vector-state ones). */
#define TA_CPU_SSE41 (1u << 0)
#define TA_CPU_AESNI (1u << 1)
#define TA_CPU_PCLMUL (1u << 2)
#define TA_CPU_AVX (1u << 3)
#define TA_CPU_AVX2 (1u << 4)
#define TA_CPU_BMI2 (1u << 5)
#define TA_CPU_AVX512F (1u << 6)
#define TA_CPU_AVX512BW (1u << 7)
#define TA_CPU_AVX512VL (1u << 8)
#define TA_CPU_VAES (1u << 9)
#define TA_CPU_VPCLMUL (1u << 10)
#define TA_CPU_SHA (1u << 11)
#define TA_CPU_ADX (1u << 12)
#define TA_CPU_SSSE3 (1u << 13)
/* AArch64 (getauxval(AT_HWCAP)); bits 16 and up so x86 bits can grow. */
#define TA_CPU_ASIMD (1u << 16)
#define TA_CPU_ARM_AES (1u << 17)
#define TA_CPU_ARM_PMULL (1u << 18)
#define TA_CPU_ARM_SHA2 (1u << 19)
#define TA_CPU_ARM_SHA512 (1u << 20)

/*
 * Features the dispatcher may use: what the CPU and OS offer, minus the mask read once
 * from the environment variable TLSACCEL_CPU_MASK (a comma-separated list of feature names
 * as ta_cpu_feature_name gives them, e.g. "avx512f,vaes"; "all" hides everything).
 */
TA_API uint32_t ta_cpu_features(void);
/* What the CPU and OS offer, without the mask. */
TA_API uint32_t ta_cpu_features_detected(void);
/* Name of feature bit i (0..31), or NULL when that bit is unused. */
TA_API const char *ta_cpu_feature_name(int bit);

/* Library version string, e.g. "0.1.0", and the ABI version number. */
TA_API const char *ta_version(void);
TA_API int ta_abi_version(void);

/* ---------------------------------------------------------------- AEAD */

#define TA_AES_128_GCM 1
#define TA_AES_256_GCM 2
#define TA_CHACHA20_POLY1305 3

#define TA_AEAD_NONCE_LEN 12
#define TA_AEAD_TAG_LEN 16

/* Implementations of an algorithm, in order of preference (index 0 = fastest). */
TA_API int ta_aead_impl_count(int alg);
TA_API const char *ta_aead_impl_name(int alg, int index); /* NULL when out of range */
TA_API int ta_aead_impl_usable(int alg, int index);       /* 1 when the features allow it */
/* Index of the implementation ta_aead_new picks with index -1, or TA_ERR_UNSUPPORTED. */
TA_API int ta_aead_impl_best(int alg);

typedef struct ta_aead ta_aead;

/* Makes a context. impl = -1 picks the best usable implementation. */
TA_API int ta_aead_new(ta_aead **out, int alg, int impl, const uint8_t *key, size_t key_len);
/* Zeroes and frees. NULL is fine. */
TA_API void ta_aead_free(ta_aead *ctx);
TA_API int ta_aead_alg(const ta_aead *ctx);
TA_API const char *ta_aead_impl(const ta_aead *ctx);

/*
 * Seal: out receives len bytes of ciphertext followed by the 16-byte tag (out must hold
 * len + 16). in == out (in place) is allowed; other overlaps are not.
 */
TA_API int ta_aead_seal(const ta_aead *ctx, const uint8_t nonce[TA_AEAD_NONCE_LEN],
                        const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                        uint8_t *out);
/*
 * Open: in holds ciphertext || tag (in_len >= 16); out receives in_len - 16 bytes. On a
 * tag mismatch returns TA_ERR_AUTH and zeroes out, so no unauthenticated plaintext leaks.
 * The tag is compared in constant time.
 */
TA_API int ta_aead_open(const ta_aead *ctx, const uint8_t nonce[TA_AEAD_NONCE_LEN],
                        const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t in_len,
                        uint8_t *out);

/*
 * Stream form of one seal or open, for callers that must work in bounded pieces.
 * begin, then update any number of times with lengths that are multiples of
 * TA_STREAM_BLOCK, then finish with the rest (any length). The caller owns the memory of
 * the stream object (no allocation); ta_aead_stream_wipe zeroes it.
 */
#define TA_STREAM_BLOCK 64
typedef struct ta_aead_stream {
  _Alignas(64) uint8_t opaque[512];
} ta_aead_stream;

TA_API int ta_aead_stream_begin(ta_aead_stream *st, const ta_aead *ctx, int encrypt,
                                const uint8_t nonce[TA_AEAD_NONCE_LEN], const uint8_t *aad,
                                size_t aad_len);
TA_API int ta_aead_stream_update(ta_aead_stream *st, const uint8_t *in, size_t len,
                                 uint8_t *out);
/* Encrypting: writes the last len bytes and the tag to tag_out. */
TA_API int ta_aead_stream_finish_seal(ta_aead_stream *st, const uint8_t *in, size_t len,
                                      uint8_t *out, uint8_t tag_out[TA_AEAD_TAG_LEN]);
/* Decrypting: writes the last len bytes; TA_ERR_AUTH when tag does not match (the caller
 * must then zero everything it has written). */
TA_API int ta_aead_stream_finish_open(ta_aead_stream *st, const uint8_t *in, size_t len,
                                      uint8_t *out, const uint8_t tag[TA_AEAD_TAG_LEN]);
TA_API void ta_aead_stream_wipe(ta_aead_stream *st);

/* ---------------------------------------------------------------- MAC */

#define TA_HMAC_SHA256 1
#define TA_HMAC_SHA384 2

TA_API int ta_mac_impl_count(int alg);
TA_API const char *ta_mac_impl_name(int alg, int index);
TA_API int ta_mac_impl_usable(int alg, int index);
TA_API int ta_mac_impl_best(int alg);

typedef struct ta_mac ta_mac;

TA_API int ta_mac_new(ta_mac **out, int alg, int impl, const uint8_t *key, size_t key_len);
TA_API void ta_mac_free(ta_mac *ctx);
TA_API const char *ta_mac_impl(const ta_mac *ctx);
TA_API int ta_mac_length(const ta_mac *ctx); /* 32 or 48 */
TA_API int ta_mac_update(ta_mac *ctx, const uint8_t *in, size_t len);
/* Writes the MAC (out_len must be >= ta_mac_length) and resets for the next message. */
TA_API int ta_mac_final(ta_mac *ctx, uint8_t *out, size_t out_len);
TA_API void ta_mac_reset(ta_mac *ctx);

/* ---------------------------------------------------------------- X25519 */

/*
 * X25519 (RFC 7748 5): keys, u-coordinates and shared secrets are 32 bytes, little-endian.
 * Private keys are clamped here (the caller passes 32 random bytes); bit 255 of a peer's
 * u-coordinate is ignored. Constant time in the private key and the peer's key.
 * impl = -1 picks the best usable implementation; outputs may overlap inputs.
 */
#define TA_X25519_LEN 32

TA_API int ta_x25519_impl_count(void);
TA_API const char *ta_x25519_impl_name(int index); /* NULL when out of range */
TA_API int ta_x25519_impl_usable(int index);
TA_API int ta_x25519_impl_best(void);

/* pub = X25519(priv, 9). */
TA_API int ta_x25519_public_key(int impl, uint8_t pub[TA_X25519_LEN],
                                const uint8_t priv[TA_X25519_LEN]);
/* shared = X25519(priv, peer). Returns TA_ERR_ZERO_SECRET (shared then holds the zeros)
 * when the result is all zeros, which RFC 7748 6.1 and RFC 8446 7.4.2 make the caller
 * refuse. */
TA_API int ta_x25519_shared_secret(int impl, uint8_t shared[TA_X25519_LEN],
                                   const uint8_t priv[TA_X25519_LEN],
                                   const uint8_t peer[TA_X25519_LEN]);

/* ---------------------------------------------------------------- self-test */

/* AEAD and MAC contexts made and not yet freed, in this process: a leak shows as a count
 * that never returns to its resting value (the load and soak runs watch it). */
TA_API int64_t ta_live_contexts(void);

/* Runs known-answer tests on every usable implementation of every algorithm.
 * Returns TA_OK, or a negative code; *failed (may be NULL) names the first failure. */
TA_API int ta_self_test(const char **failed);

#ifdef __cplusplus
}
#endif
#endif /* TLSACCEL_H */
