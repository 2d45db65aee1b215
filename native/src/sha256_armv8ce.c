/*
 * sha256_armv8ce.c - SHA-256 compression with the ARMv8 SHA-256 instructions.
 *
 * SHA256H and SHA256H2 together do four rounds (FIPS 180-4 6.2.2 step 3) on the state
 * held as {A,B,C,D} and {E,F,G,H} - the order the state is stored in, so no shuffling
 * as with SHA-NI - taking W[t..t+3] + K[t..t+3] as one vector; SHA256H updates ABCD and
 * SHA256H2 updates EFGH from the ABCD the group started with. The message schedule
 * (step 1) for four words at a time is
 *   W[t..t+3] = SU1(SU0(W[t-16..t-13], W[t-12..t-9]), W[t-8..t-5], W[t-4..t-1])
 * where SU0 adds sigma0 and SU1 adds W[t-7] and sigma1.
 */
#include "internal.h"

#include <arm_neon.h>

extern const uint32_t ta_sha256_k[64]; /* sha256_portable.c */

static void sha256_compress_armv8ce(void *state, const uint8_t *blocks, size_t nblocks) {
  uint32_t *h = (uint32_t *)state;
  uint32x4_t abcd = vld1q_u32(h), efgh = vld1q_u32(h + 4);
  while (nblocks--) {
    const uint32x4_t abcd0 = abcd, efgh0 = efgh;
    uint32x4_t w[4];
    for (int i = 0; i < 4; i++) w[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(blocks + 16 * i)));
    for (int g = 0; g < 16; g++) {
      const uint32x4_t wk = vaddq_u32(w[g % 4], vld1q_u32(ta_sha256_k + 4 * g));
      const uint32x4_t abcd_in = abcd;
      abcd = vsha256hq_u32(abcd, efgh, wk);
      efgh = vsha256h2q_u32(efgh, abcd_in, wk);
      /* group g + 4 replaces group g, the oldest of the four kept */
      if (g < 12)
        w[g % 4] = vsha256su1q_u32(vsha256su0q_u32(w[g % 4], w[(g + 1) % 4]), w[(g + 2) % 4],
                                   w[(g + 3) % 4]);
    }
    abcd = vaddq_u32(abcd, abcd0);
    efgh = vaddq_u32(efgh, efgh0);
    blocks += 64;
  }
  vst1q_u32(h, abcd);
  vst1q_u32(h + 4, efgh);
}

const ta_mac_kernel ta_sha256_armv8ce = {
    .name = "armv8ce",
    .algs = TA_ALG_BIT(TA_HMAC_SHA256),
    .needs = TA_CPU_ARM_SHA2 | TA_CPU_ASIMD,
    .compress = sha256_compress_armv8ce,
};
