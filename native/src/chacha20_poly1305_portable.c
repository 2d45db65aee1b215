/*
 * chacha20_poly1305_portable.c - ChaCha20-Poly1305 (RFC 8439) in plain C.
 *
 * One block at a time (2.3, 2.4) and Poly1305 in radix 2^44 (2.5); all of it lives in
 * chacha20_poly1305_common.h, which the vector kernels also use for AAD, tails and tags.
 */
#include "chacha20_poly1305_common.h"

static void portable_crypt(const void *ks, void *stv, int encrypt, const uint8_t *in,
                           uint8_t *out, size_t len) {
  cc_state *st = (cc_state *)stv;
  st->ct_len += len;
  cc_crypt_scalar((const cc_key *)ks, st, encrypt, in, out, len);
}

const ta_aead_kernel ta_chacha_portable = {
    .name = "portable",
    .algs = TA_ALG_BIT(TA_CHACHA20_POLY1305),
    .needs = 0,
    .key_state_size = sizeof(cc_key),
    .setup = cc_setup,
    .begin = cc_begin,
    .crypt = portable_crypt,
    .finish = cc_finish,
};
