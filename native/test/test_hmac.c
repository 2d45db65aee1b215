/*
 * test_hmac.c - HMAC-SHA-256 and HMAC-SHA-384 through the public ta_mac_* API, for every
 * implementation the CPU can run (the others are reported as skipped):
 *   1. RFC 4231 test cases 1-7 (case 5 compares the first 128 bits, as the RFC gives);
 *   2. random keys (0..300 bytes: shorter, equal to and longer than a block) and messages
 *      (0..3000 bytes) fed in updates split at random points, against a one-shot MAC of
 *      the first (reference) implementation;
 *   3. final resets to the keyed state, reset drops a half-fed message, argument checks.
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

static uint64_t rng_state = 0x243f6a8885a308d3ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}

static size_t unhex(const char *s, uint8_t *out) {
  size_t n = 0;
  for (; s[0] && s[1]; s += 2) {
    unsigned v;
    sscanf(s, "%2x", &v);
    out[n++] = (uint8_t)v;
  }
  return n;
}

/* RFC 4231 section 4: key, data and the two results per case. */
typedef struct {
  uint8_t key_byte; /* key = key_len copies, or 0x01..0x19 when 0 */
  size_t key_len;
  const char *data;    /* text, or NULL for data_len copies of data_byte */
  uint8_t data_byte;
  size_t data_len;
  size_t compare; /* bytes the RFC gives (16 for the truncation case) */
  const char *sha256, *sha384;
} rfc4231_case;

static const rfc4231_case CASES[7] = {
    {0x0b, 20, "Hi There", 0, 0, 0,
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
     "faea9ea9076ede7f4af152e8b2fa9cb6"},
    {0, 4, "what do ya want for nothing?", 0, 0, 0,
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
     "8e2240ca5e69e2c78b3239ecfab21649"},
    {0xaa, 20, NULL, 0xdd, 50, 0,
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
     "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
     "2a5ab39dc13814b94e3ab6e101a34f27"},
    {0, 25, NULL, 0xcd, 50, 0,
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
     "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
     "6801dd23c4a7d679ccf8a386c674cffb"},
    {0x0c, 20, "Test With Truncation", 0, 0, 16, "a3b6167473100ee06e0c796c2955552b",
     "3abf34c3503b2a23a46efc619baef897"},
    {0xaa, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0, 0,
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
     "0c2ef6ab4030fe8296248df163f44952"},
    {0xaa, 131,
     "This is a test using a larger than block-size key and a larger than block-size data."
     " The key needs to be hashed before being used by the HMAC algorithm.",
     0, 0, 0, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
     "a678cc31e799176d3860e6110c46523e"},
};

static void test_rfc4231(int alg, int impl, const char *name) {
  for (int c = 0; c < 7; c++) {
    const rfc4231_case *tc = &CASES[c];
    uint8_t key[131], data[200], want[48], got[48];
    if (c == 1) {
      memcpy(key, "Jefe", 4);
    } else if (tc->key_byte == 0) {
      for (size_t i = 0; i < tc->key_len; i++) key[i] = (uint8_t)(i + 1);
    } else {
      memset(key, tc->key_byte, tc->key_len);
    }
    size_t data_len = tc->data ? strlen(tc->data) : tc->data_len;
    if (tc->data)
      memcpy(data, tc->data, data_len);
    else
      memset(data, tc->data_byte, data_len);
    size_t n = unhex(alg == TA_HMAC_SHA256 ? tc->sha256 : tc->sha384, want);
    ta_mac *m;
    CHECK(ta_mac_new(&m, alg, impl, key, tc->key_len) == TA_OK, "new");
    CHECK(ta_mac_length(m) == (alg == TA_HMAC_SHA256 ? 32 : 48), "length");
    for (int round = 0; round < 2; round++) { /* the second round checks the reset */
      CHECK(ta_mac_update(m, data, data_len) == TA_OK, "update");
      CHECK(ta_mac_final(m, got, sizeof got) == TA_OK, "final");
      CHECK(memcmp(got, want, n) == 0, "%s: RFC 4231 case %d round %d", name, c + 1, round);
    }
    ta_mac_free(m);
  }
}

#define MAXMSG 3000

static void mac_split(int alg, int impl, const uint8_t *key, size_t key_len,
                      const uint8_t *msg, size_t len, uint8_t *out) {
  ta_mac *m;
  CHECK(ta_mac_new(&m, alg, impl, key, key_len) == TA_OK, "new");
  /* a throw-away message first, to see that final really resets */
  if (rnd() % 2) {
    uint8_t junk[40] = {1, 2, 3};
    ta_mac_update(m, junk, rnd() % 40);
    if (rnd() % 2) {
      ta_mac_reset(m);
    } else {
      uint8_t t[48];
      ta_mac_final(m, t, sizeof t);
    }
  }
  size_t off = 0;
  while (off < len) {
    size_t n = 1 + (size_t)(rnd() % (rnd() % 2 ? 8 : 300));
    if (n > len - off) n = len - off;
    CHECK(ta_mac_update(m, msg + off, n) == TA_OK, "update");
    if (rnd() % 8 == 0) CHECK(ta_mac_update(m, NULL, 0) == TA_OK, "empty update");
    off += n;
  }
  CHECK(ta_mac_final(m, out, 48) == TA_OK, "final");
  ta_mac_free(m);
}

static void test_random(int alg, int impl, int ref, const char *name) {
  static uint8_t msg[MAXMSG];
  uint8_t key[300], want[48], got[48];
  int out_len = alg == TA_HMAC_SHA256 ? 32 : 48;
  for (int i = 0; i < 400; i++) {
    size_t key_len = (size_t)(rnd() % 300);
    if (i < 4) key_len = (size_t)(alg == TA_HMAC_SHA256 ? 63 : 127) + (size_t)i; /* block +-1 */
    size_t len = (size_t)(rnd() % (MAXMSG + 1));
    if (i < 300 && i >= 4) len = (size_t)(i - 4); /* every short length, both paddings */
    for (size_t j = 0; j < key_len; j++) key[j] = (uint8_t)rnd();
    for (size_t j = 0; j < len; j++) msg[j] = (uint8_t)rnd();
    ta_mac *m;
    CHECK(ta_mac_new(&m, alg, ref, key_len ? key : NULL, key_len) == TA_OK, "new ref");
    CHECK(ta_mac_update(m, msg, len) == TA_OK, "update");
    CHECK(ta_mac_final(m, want, sizeof want) == TA_OK, "final");
    ta_mac_free(m);
    mac_split(alg, impl, key, key_len, msg, len, got);
    CHECK(memcmp(got, want, (size_t)out_len) == 0, "%s: random key %zu msg %zu", name,
          key_len, len);
  }
}

static void test_args(int alg) {
  ta_mac *m = NULL;
  uint8_t key[16] = {0}, out[48];
  CHECK(ta_mac_new(NULL, alg, -1, key, 16) == TA_ERR_ARG, "null out");
  CHECK(ta_mac_new(&m, alg, -1, NULL, 16) == TA_ERR_ARG && m == NULL, "null key");
  CHECK(ta_mac_new(&m, 99, -1, key, 16) == TA_ERR_ARG, "bad alg");
  CHECK(ta_mac_new(&m, alg, 1000, key, 16) == TA_ERR_ARG, "bad impl");
  CHECK(ta_mac_new(&m, alg, -1, key, 16) == TA_OK, "new");
  CHECK(ta_mac_update(NULL, key, 1) == TA_ERR_ARG, "update null ctx");
  CHECK(ta_mac_update(m, NULL, 1) == TA_ERR_ARG, "update null in");
  CHECK(ta_mac_final(m, NULL, 48) == TA_ERR_ARG, "final null out");
  CHECK(ta_mac_final(m, out, (size_t)ta_mac_length(m) - 1) == TA_ERR_ARG, "final short out");
  CHECK(ta_mac_final(NULL, out, 48) == TA_ERR_ARG, "final null ctx");
  CHECK(ta_mac_length(NULL) == TA_ERR_ARG, "length null");
  CHECK(ta_mac_impl(NULL) == NULL, "impl null");
  CHECK(ta_mac_impl_name(alg, -1) == NULL && ta_mac_impl_name(alg, 1000) == NULL, "names");
  CHECK(ta_mac_impl_count(99) == TA_ERR_ARG, "count bad alg");
  ta_mac_reset(NULL);
  ta_mac_free(m);
  ta_mac_free(NULL);
}

int main(void) {
  const int algs[2] = {TA_HMAC_SHA256, TA_HMAC_SHA384};
  const char *alg_names[2] = {"hmac-sha256", "hmac-sha384"};
  int ran = 0;
  for (int a = 0; a < 2; a++) {
    int alg = algs[a];
    int n = ta_mac_impl_count(alg);
    CHECK(n >= 1, "%s: no implementation", alg_names[a]);
    int ref = -1; /* the last usable one (portable) is the reference */
    for (int i = 0; i < n; i++)
      if (ta_mac_impl_usable(alg, i)) ref = i;
    CHECK(ref >= 0, "%s: nothing usable", alg_names[a]);
    CHECK(ta_mac_impl_best(alg) >= 0, "best");
    test_args(alg);
    for (int i = 0; i < n; i++) {
      const char *name = ta_mac_impl_name(alg, i);
      if (!ta_mac_impl_usable(alg, i)) {
        printf("%s %s: skipped (CPU features missing or masked)\n", alg_names[a], name);
        ta_mac *m;
        uint8_t key[4] = {0};
        CHECK(ta_mac_new(&m, alg, i, key, 4) == TA_ERR_UNSUPPORTED, "unusable accepted");
        continue;
      }
      printf("%s %s: running (cross-checked against %s)\n", alg_names[a], name,
             ta_mac_impl_name(alg, ref));
      test_rfc4231(alg, i, name);
      test_random(alg, i, ref, name);
      ran++;
    }
  }
  printf("%d implementation(s) ran, %d failure(s)\n", ran, failures);
  return failures ? 1 : 0;
}
