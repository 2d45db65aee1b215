/*
 * x25519.c - X25519 (RFC 7748) over the kernels in ta_x25519_kernels: argument checks,
 * scalar clamping, dispatch, the all-zero check and wiping. The kernels do the ladder.
 */
#include "internal.h"
#include "x25519_internal.h"

#include <string.h>

int ta_x25519_impl_count(void) { return (int)ta_x25519_kernel_count; }

const char *ta_x25519_impl_name(int index) {
  if (index < 0 || (size_t)index >= ta_x25519_kernel_count) return NULL;
  return ta_x25519_kernels[index]->name;
}

int ta_x25519_impl_usable(int index) {
  if (index < 0 || (size_t)index >= ta_x25519_kernel_count) return 0;
  uint32_t needs = ta_x25519_kernels[index]->needs;
  return (ta_cpu_features() & needs) == needs;
}

int ta_x25519_impl_best(void) {
  for (size_t i = 0; i < ta_x25519_kernel_count; i++) {
    if (ta_x25519_impl_usable((int)i)) return (int)i;
  }
  return TA_ERR_UNSUPPORTED;
}

static const ta_x25519_kernel *kernel(int impl) {
  if (impl == -1) impl = ta_x25519_impl_best();
  if (impl < 0 || (size_t)impl >= ta_x25519_kernel_count || !ta_x25519_impl_usable(impl)) {
    return NULL;
  }
  return ta_x25519_kernels[impl];
}

/* Copies and clamps the scalar (RFC 7748 5, decodeScalar25519), runs the kernel on
 * copies (so out may overlap either input) and wipes the copy. u == NULL: the base point
 * (u = 9), through the kernel's fixed-base method. */
static void scalarmult(const ta_x25519_kernel *k, uint8_t out[TA_X25519_LEN],
                       const uint8_t priv[TA_X25519_LEN], const uint8_t *u) {
  uint8_t scalar[TA_X25519_LEN], point[TA_X25519_LEN], result[TA_X25519_LEN];
  memcpy(scalar, priv, sizeof scalar);
  scalar[0] &= 248;
  scalar[31] &= 127;
  scalar[31] |= 64;
  if (u == NULL) {
    k->base(result, scalar);
  } else {
    memcpy(point, u, sizeof point);
    k->scalarmult(result, scalar, point);
  }
  memcpy(out, result, sizeof result);
  ta_wipe(scalar, sizeof scalar);
  ta_wipe(result, sizeof result);
}

int ta_x25519_public_key(int impl, uint8_t pub[TA_X25519_LEN],
                         const uint8_t priv[TA_X25519_LEN]) {
  if (pub == NULL || priv == NULL) return TA_ERR_ARG;
  const ta_x25519_kernel *k = kernel(impl);
  if (k == NULL) return impl < -1 || impl >= ta_x25519_impl_count() ? TA_ERR_ARG : TA_ERR_UNSUPPORTED;
  scalarmult(k, pub, priv, NULL);
  return TA_OK;
}

int ta_x25519_shared_secret(int impl, uint8_t shared[TA_X25519_LEN],
                            const uint8_t priv[TA_X25519_LEN],
                            const uint8_t peer[TA_X25519_LEN]) {
  if (shared == NULL || priv == NULL || peer == NULL) return TA_ERR_ARG;
  const ta_x25519_kernel *k = kernel(impl);
  if (k == NULL) return impl < -1 || impl >= ta_x25519_impl_count() ? TA_ERR_ARG : TA_ERR_UNSUPPORTED;
  scalarmult(k, shared, priv, peer);
  /* RFC 7748 6.1: a low-order peer key gives all zeros; the caller must refuse it
   * (RFC 8446 7.4.2). The check reads every byte whatever their values. */
  uint8_t acc = 0;
  for (int i = 0; i < TA_X25519_LEN; i++) acc |= shared[i];
  return acc == 0 ? TA_ERR_ZERO_SECRET : TA_OK;
}
