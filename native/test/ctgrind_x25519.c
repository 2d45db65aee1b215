/*
 * ctgrind_x25519.c - checks that no branch and no memory address in X25519 depends on the
 * private key or the peer's key, with valgrind's memcheck: the secret bytes are marked
 * undefined, and memcheck reports every conditional jump or address computed from an
 * undefined value. Not built by CMake (needs valgrind's headers); run by hand:
 *
 *   cc -O2 -std=c11 -Inative/include -Inative/src native/test/ctgrind_x25519.c \
 *      BUILD/libtlsaccel_static.a -o /tmp/ctgrind_x25519
 *   valgrind --error-exitcode=1 /tmp/ctgrind_x25519
 *
 * Each usable kernel (ladder and fixed-base comb) is called directly (no report allowed),
 * then, with the argument "api", the public API, where
 * exactly one report is expected and allowed: the all-zero check on the result in
 * x25519.c, whose outcome is public (the caller refuses the key). GCC compiles it without a
 * branch, so in practice there is none. "selfcheck" branches on a secret byte on purpose
 * and must be reported (the check can fail).
 */
#include "tlsaccel.h"
#include "x25519_internal.h"

#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

int main(int argc, char **argv) {
  int api = argc > 1 && strcmp(argv[1], "api") == 0;
  uint8_t k[32], u[32], out[32];
  for (int i = 0; i < 32; i++) {
    k[i] = (uint8_t)(i * 7 + 1);
    u[i] = (uint8_t)(i * 13 + 5);
  }
  k[0] &= 248;
  k[31] = (k[31] & 127) | 64;
  for (size_t i = 0; i < ta_x25519_kernel_count; i++) {
    /* valgrind's virtual CPU may hide ADX; the mulx kernel only needs what valgrind decodes
     * (GCC emits adc for the carry intrinsics), so run every kernel this build has */
    if (ta_x25519_kernels[i]->scalarmult == NULL) continue;
    VALGRIND_MAKE_MEM_UNDEFINED(k, sizeof k);
    VALGRIND_MAKE_MEM_UNDEFINED(u, sizeof u);
    if (argc > 1 && strcmp(argv[1], "selfcheck") == 0 && k[5] == 3) puts("secret branch");
    if (api) {
      (void)ta_x25519_public_key((int)i, out, k);
      (void)ta_x25519_shared_secret((int)i, out, k, u);
    } else {
      ta_x25519_kernels[i]->scalarmult(out, k, u);
      ta_x25519_kernels[i]->base(out, k);
    }
    VALGRIND_MAKE_MEM_DEFINED(out, sizeof out);
    printf("%s: done\n", ta_x25519_kernels[i]->name);
  }
  return 0;
}
