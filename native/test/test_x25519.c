/*
 * test_x25519.c - X25519 through the public ta_x25519_* API, for every implementation the
 * CPU can run (the others must refuse with TA_ERR_UNSUPPORTED):
 *   1. RFC 7748 5.2: the two single vectors and the iterated one after 1 and 1,000 steps
 *      (1,000,000 steps with the argument "long": minutes, so not part of ctest);
 *   2. RFC 7748 6.1: both public keys and the shared secret, from both sides;
 *   3. low-order points (and their bit-255 twins) give TA_ERR_ZERO_SECRET;
 *   4. random private keys against random 32-byte strings (bit 255 set, values >= p
 *      included) and against u = p + small: every implementation agrees with the
 *      portable one (the reference); random key pairs agree from both sides; public keys
 *      (fixed-base comb) equal the ladder on u = 9;
 *   5. argument checks, outputs overlapping inputs.
 */
#include "tlsaccel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      failures++;                                          \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                        \
      fputc('\n', stderr);                                 \
      if (failures > 20) exit(1);                          \
    }                                                      \
  } while (0)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}

static void rnd_bytes(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(rnd() >> 56);
}

static void unhex(const char *s, uint8_t out[32]) {
  for (int i = 0; i < 32; i++) {
    unsigned v;
    sscanf(s + 2 * i, "%2x", &v);
    out[i] = (uint8_t)v;
  }
}

static int equal_hex(const uint8_t got[32], const char *hex) {
  uint8_t want[32];
  unhex(hex, want);
  return memcmp(got, want, 32) == 0;
}

/* RFC 7748 5.2 */
static const char *const SINGLE[2][3] = {
    {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
     "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
     "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
    {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
     "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
     "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
};

/* k = u = 9; then k, u = X25519(k, u), k. Returns the last k. */
static void iterate(int impl, long steps, uint8_t k[32]) {
  uint8_t u[32] = {9}, next[32];
  memset(k, 0, 32);
  k[0] = 9;
  for (long i = 0; i < steps; i++) {
    CHECK(ta_x25519_shared_secret(impl, next, k, u) == TA_OK, "iteration %ld", i);
    memcpy(u, k, 32);
    memcpy(k, next, 32);
  }
}

/* RFC 7748 6.1 */
static const char *ALICE_PRIV = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
static const char *ALICE_PUB = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
static const char *BOB_PRIV = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
static const char *BOB_PUB = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
static const char *SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

/* Points of order 1, 2, 4 and 8 (and p, p + 1, which reduce to 0 and 1). */
static const char *const LOW_ORDER[] = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

static void test_vectors(int impl, const char *name, int long_run) {
  uint8_t k[32], u[32], out[32];
  for (int i = 0; i < 2; i++) {
    unhex(SINGLE[i][0], k);
    unhex(SINGLE[i][1], u);
    CHECK(ta_x25519_shared_secret(impl, out, k, u) == TA_OK, "%s: 5.2 vector %d", name, i);
    CHECK(equal_hex(out, SINGLE[i][2]), "%s: 5.2 vector %d value", name, i);
  }
  iterate(impl, 1, k);
  CHECK(equal_hex(k, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"),
        "%s: 1 iteration", name);
  iterate(impl, 1000, k);
  CHECK(equal_hex(k, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"),
        "%s: 1,000 iterations", name);
  if (long_run) {
    iterate(impl, 1000000, k);
    CHECK(equal_hex(k, "7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424"),
          "%s: 1,000,000 iterations", name);
  }

  uint8_t a[32], b[32];
  unhex(ALICE_PRIV, a);
  unhex(BOB_PRIV, b);
  CHECK(ta_x25519_public_key(impl, out, a) == TA_OK && equal_hex(out, ALICE_PUB),
        "%s: Alice's public key", name);
  CHECK(ta_x25519_public_key(impl, out, b) == TA_OK && equal_hex(out, BOB_PUB),
        "%s: Bob's public key", name);
  unhex(BOB_PUB, u);
  CHECK(ta_x25519_shared_secret(impl, out, a, u) == TA_OK && equal_hex(out, SHARED),
        "%s: Alice's shared secret", name);
  unhex(ALICE_PUB, u);
  CHECK(ta_x25519_shared_secret(impl, out, b, u) == TA_OK && equal_hex(out, SHARED),
        "%s: Bob's shared secret", name);

  for (size_t i = 0; i < sizeof LOW_ORDER / sizeof LOW_ORDER[0]; i++) {
    for (int high = 0; high < 2; high++) {
      unhex(LOW_ORDER[i], u);
      u[31] |= (uint8_t)(high << 7);
      rnd_bytes(k, 32);
      memset(out, 0xa5, 32);
      CHECK(ta_x25519_shared_secret(impl, out, k, u) == TA_ERR_ZERO_SECRET,
            "%s: low-order point %zu (bit 255 %d) accepted", name, i, high);
      static const uint8_t zeros[32];
      CHECK(memcmp(out, zeros, 32) == 0, "%s: low-order result not zeros", name);
    }
  }
}

static void test_against(int impl, int ref, const char *name) {
  uint8_t k[32], u[32], got[32], want[32];
  for (int i = 0; i < 3000; i++) {
    rnd_bytes(k, 32);
    rnd_bytes(u, 32);
    if (i % 3 == 1) { /* u = p + j for small j, or 2^255 - 1 - j: non-canonical inputs */
      memset(u, 0xff, 32);
      u[31] = (uint8_t)(0x7f | (rnd() & 0x80));
      u[0] = (uint8_t)(0xed + (rnd() % 19));
    }
    int rg = ta_x25519_shared_secret(impl, got, k, u);
    int rw = ta_x25519_shared_secret(ref, want, k, u);
    CHECK(rg == rw && memcmp(got, want, 32) == 0, "%s: differs from the reference at %d", name, i);
  }
  for (int i = 0; i < 300; i++) {
    uint8_t a[32], b[32], pa[32], pb[32], sa[32], sb[32];
    rnd_bytes(a, 32);
    rnd_bytes(b, 32);
    CHECK(ta_x25519_public_key(impl, pa, a) == TA_OK, "%s: public key", name);
    CHECK(ta_x25519_public_key(ref, pb, b) == TA_OK, "%s: public key", name);
    CHECK(ta_x25519_shared_secret(impl, sa, a, pb) == TA_OK, "%s: shared", name);
    CHECK(ta_x25519_shared_secret(ref, sb, b, pa) == TA_OK, "%s: shared", name);
    CHECK(memcmp(sa, sb, 32) == 0, "%s: the two sides disagree at %d", name, i);
    /* the fixed-base public key equals the ladder on u = 9 */
    static const uint8_t nine[32] = {9};
    CHECK(ta_x25519_shared_secret(impl, sa, a, nine) == TA_OK && memcmp(sa, pa, 32) == 0,
          "%s: fixed base differs from the ladder at %d", name, i);
  }
}

static void test_arguments(int impl, const char *name) {
  uint8_t k[32], u[32], out[32], want[32];
  rnd_bytes(k, 32);
  rnd_bytes(u, 32);
  CHECK(ta_x25519_public_key(impl, NULL, k) == TA_ERR_ARG, "%s: null out", name);
  CHECK(ta_x25519_public_key(impl, out, NULL) == TA_ERR_ARG, "%s: null key", name);
  CHECK(ta_x25519_shared_secret(impl, NULL, k, u) == TA_ERR_ARG, "%s: null out", name);
  CHECK(ta_x25519_shared_secret(impl, out, NULL, u) == TA_ERR_ARG, "%s: null key", name);
  CHECK(ta_x25519_shared_secret(impl, out, k, NULL) == TA_ERR_ARG, "%s: null peer", name);
  /* in place, over either input */
  CHECK(ta_x25519_shared_secret(impl, want, k, u) == TA_OK, "%s", name);
  memcpy(out, k, 32);
  CHECK(ta_x25519_shared_secret(impl, out, out, u) == TA_OK && memcmp(out, want, 32) == 0,
        "%s: out over the key", name);
  memcpy(out, u, 32);
  CHECK(ta_x25519_shared_secret(impl, out, k, out) == TA_OK && memcmp(out, want, 32) == 0,
        "%s: out over the peer key", name);
  CHECK(ta_x25519_public_key(impl, want, k) == TA_OK, "%s", name);
  memcpy(out, k, 32);
  CHECK(ta_x25519_public_key(impl, out, out) == TA_OK && memcmp(out, want, 32) == 0,
        "%s: public key over the private key", name);
}

int main(int argc, char **argv) {
  int long_run = argc > 1 && strcmp(argv[1], "long") == 0;
  int n = ta_x25519_impl_count();
  int ref = -1;
  for (int i = 0; i < n; i++) {
    if (strcmp(ta_x25519_impl_name(i), "portable") == 0) ref = i;
  }
  CHECK(ref >= 0 && ta_x25519_impl_usable(ref), "portable implementation not usable");
  if (ref < 0) return 1;
  CHECK(ta_x25519_impl_name(n) == NULL && ta_x25519_impl_name(-1) == NULL, "name range");
  uint8_t k[32] = {1}, out[32];
  CHECK(ta_x25519_public_key(n, out, k) == TA_ERR_ARG, "impl out of range");
  CHECK(ta_x25519_public_key(-2, out, k) == TA_ERR_ARG, "impl out of range");
  CHECK(ta_x25519_impl_best() >= 0, "no best");
  int tested = 0;
  for (int i = 0; i < n; i++) {
    const char *name = ta_x25519_impl_name(i);
    if (!ta_x25519_impl_usable(i)) {
      printf("skip %s (CPU lacks its instructions or TLSACCEL_CPU_MASK hides them)\n", name);
      CHECK(ta_x25519_public_key(i, out, k) == TA_ERR_UNSUPPORTED, "%s: unusable accepted", name);
      continue;
    }
    test_vectors(i, name, long_run);
    test_against(i, ref, name);
    test_arguments(i, name);
    tested++;
    printf("%s: ok\n", name);
  }
  if (failures) return 1;
  return tested > 0 ? 0 : 77;
}
