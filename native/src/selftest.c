/*
 * selftest.c - known answers for every usable implementation, run before the Java side
 * trusts the library (and by `info`). Published vectors: the GCM specification's test
 * cases 4 and 16 (McGrew and Viega), RFC 8439 2.8.2, RFC 4231 test case 2, RFC 7748 6.1.
 */
#include "internal.h"

#include <string.h>

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap) {
  size_t n = strlen(s) / 2;
  if (n > cap) return 0;
  for (size_t i = 0; i < n; i++) out[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
  return n;
}

typedef struct {
  const char *name;
  int alg;
  const char *key, *nonce, *aad, *pt, *ct_tag;
} aead_kat;

static const aead_kat aead_kats[] = {
    {"AES-128-GCM", TA_AES_128_GCM, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449"
     "a6b525b16aedf5aa0de657ba637b39",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac"
     "84aa051ba30b396a0aac973d58e0915bc94fbc3221a5db94fae95ae7121a47"},
    {"AES-256-GCM", TA_AES_256_GCM,
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449"
     "a6b525b16aedf5aa0de657ba637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056"
     "828838c5f61e6393ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b"},
    {"ChaCha20-Poly1305", TA_CHACHA20_POLY1305,
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", "070000004041424344454647",
     "50515253c0c1c2c3c4c5c6c7",
     /* "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the
        future, sunscreen would be it." */
     "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966"
     "204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572"
     "652c2073756e73637265656e20776f756c642062652069742e",
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da"
     "92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585"
     "808b4831d7bc3ff4def08e4b7a9de576d26586cec64b61161ae10b594f09e26a7e902ecbd0600691"},
};

static int check_aead(const aead_kat *t, int impl) {
  uint8_t key[32], nonce[12], aad[32], pt[128], expect[160], got[160], back[128];
  size_t kl = unhex(t->key, key, sizeof key);
  unhex(t->nonce, nonce, sizeof nonce);
  size_t al = unhex(t->aad, aad, sizeof aad);
  size_t pl = unhex(t->pt, pt, sizeof pt);
  size_t cl = unhex(t->ct_tag, expect, sizeof expect);
  ta_aead *ctx;
  if (ta_aead_new(&ctx, t->alg, impl, key, kl) != TA_OK) return 0;
  int ok = ta_aead_seal(ctx, nonce, aad, al, pt, pl, got) == TA_OK &&
           memcmp(got, expect, cl) == 0 &&
           ta_aead_open(ctx, nonce, aad, al, expect, cl, back) == TA_OK &&
           memcmp(back, pt, pl) == 0;
  expect[cl - 1] ^= 1; /* a wrong tag must be refused */
  ok = ok && ta_aead_open(ctx, nonce, aad, al, expect, cl, back) == TA_ERR_AUTH;
  ta_aead_free(ctx);
  return ok;
}

typedef struct {
  const char *name;
  int alg;
  const char *key, *msg, *mac;
} mac_kat;

static const mac_kat mac_kats[] = {
    {"HMAC-SHA-256", TA_HMAC_SHA256, "4a656665", /* "Jefe" */
     "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {"HMAC-SHA-384", TA_HMAC_SHA384, "4a656665",
     "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab2"
     "1649"},
};

static int check_mac(const mac_kat *t, int impl) {
  uint8_t key[16], msg[64], expect[48], got[48];
  size_t kl = unhex(t->key, key, sizeof key);
  size_t ml = unhex(t->msg, msg, sizeof msg);
  size_t el = unhex(t->mac, expect, sizeof expect);
  ta_mac *ctx;
  if (ta_mac_new(&ctx, t->alg, impl, key, kl) != TA_OK) return 0;
  int ok = 1;
  for (int round = 0; round < 2 && ok; round++) { /* twice: final must reset */
    ok = ta_mac_update(ctx, msg, 5) == TA_OK && ta_mac_update(ctx, msg + 5, ml - 5) == TA_OK &&
         ta_mac_final(ctx, got, sizeof got) == TA_OK && memcmp(got, expect, el) == 0;
  }
  ta_mac_free(ctx);
  return ok;
}

/* RFC 7748 6.1: Alice's public key from her private key, and the shared secret from
 * Alice's private key and Bob's public key. */
static int check_x25519(int impl) {
  uint8_t priv[32], peer[32], expect_pub[32], expect_shared[32], got[32];
  unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", priv, 32);
  unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", expect_pub, 32);
  unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", peer, 32);
  unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", expect_shared, 32);
  int ok = ta_x25519_public_key(impl, got, priv) == TA_OK && memcmp(got, expect_pub, 32) == 0 &&
           ta_x25519_shared_secret(impl, got, priv, peer) == TA_OK &&
           memcmp(got, expect_shared, 32) == 0;
  ta_wipe(got, sizeof got);
  return ok;
}

int ta_self_test(const char **failed) {
  static const char *const none = NULL;
  if (failed) *failed = none;
  for (size_t i = 0; i < sizeof aead_kats / sizeof aead_kats[0]; i++) {
    const aead_kat *t = &aead_kats[i];
    for (int impl = 0; impl < ta_aead_impl_count(t->alg); impl++) {
      if (!ta_aead_impl_usable(t->alg, impl)) continue;
      if (!check_aead(t, impl)) {
        if (failed) *failed = t->name;
        return TA_ERR_AUTH;
      }
    }
  }
  for (size_t i = 0; i < sizeof mac_kats / sizeof mac_kats[0]; i++) {
    const mac_kat *t = &mac_kats[i];
    for (int impl = 0; impl < ta_mac_impl_count(t->alg); impl++) {
      if (!ta_mac_impl_usable(t->alg, impl)) continue;
      if (!check_mac(t, impl)) {
        if (failed) *failed = t->name;
        return TA_ERR_AUTH;
      }
    }
  }
  for (int impl = 0; impl < ta_x25519_impl_count(); impl++) {
    if (ta_x25519_impl_usable(impl) && !check_x25519(impl)) {
      if (failed) *failed = "X25519";
      return TA_ERR_AUTH;
    }
  }
  return TA_OK;
}
