/*
 * cpu.c - which instructions this process may use.
 *
 * Compiled for the baseline ISA: it must run on any x86-64 to tell what else can run.
 * A feature counts only when cpuid reports it AND, for the AVX and AVX-512 register
 * states, the OS has enabled saving them (XCR0 via xgetbv); a CPU that has AVX-512 under
 * an OS that does not save zmm state must not use it.
 * On AArch64 the kernel reports what user space may use in AT_HWCAP (it already accounts
 * for what the OS supports), so that word alone decides.
 */
#include "internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t read_xcr0(void) {
  uint32_t eax, edx;
  __asm__ __volatile__("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((uint64_t)edx << 32) | eax;
}

static uint32_t detect(void) {
  unsigned int a, b, c, d;
  uint32_t f = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  const int osxsave = (c >> 27) & 1;
  if (c & (1u << 19)) f |= TA_CPU_SSE41;
  if (c & (1u << 9)) f |= TA_CPU_SSSE3;
  if (c & (1u << 25)) f |= TA_CPU_AESNI;
  if (c & (1u << 1)) f |= TA_CPU_PCLMUL;

  uint64_t xcr0 = osxsave ? read_xcr0() : 0;
  const int os_ymm = (xcr0 & 0x6) == 0x6;   /* XMM and YMM state */
  const int os_zmm = (xcr0 & 0xe6) == 0xe6; /* plus opmask, ZMM_Hi256, Hi16_ZMM */
  if (os_ymm && (c & (1u << 28))) f |= TA_CPU_AVX;

  unsigned int max_leaf = __get_cpuid_max(0, NULL);
  if (max_leaf >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    if (b & (1u << 29)) f |= TA_CPU_SHA;
    if (b & (1u << 8)) f |= TA_CPU_BMI2;
    if (b & (1u << 19)) f |= TA_CPU_ADX;
    if (os_ymm) {
      if (b & (1u << 5)) f |= TA_CPU_AVX2;
      if (c & (1u << 9)) f |= TA_CPU_VAES;
      if (c & (1u << 10)) f |= TA_CPU_VPCLMUL;
    }
    if (os_zmm) {
      if (b & (1u << 16)) f |= TA_CPU_AVX512F;
      if (b & (1u << 30)) f |= TA_CPU_AVX512BW;
      if (b & (1u << 31)) f |= TA_CPU_AVX512VL;
    }
  }
  if (!(f & TA_CPU_AVX)) f &= ~(TA_CPU_AVX2 | TA_CPU_VAES | TA_CPU_VPCLMUL);
  return f;
}
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>

/* AT_HWCAP bits (linux arch/arm64/include/uapi/asm/hwcap.h). */
#define HWCAP_BIT_ASIMD (1ul << 1)
#define HWCAP_BIT_AES (1ul << 3)
#define HWCAP_BIT_PMULL (1ul << 4)
#define HWCAP_BIT_SHA2 (1ul << 6)
#define HWCAP_BIT_SHA512 (1ul << 21)

static uint32_t detect(void) {
  unsigned long hw = getauxval(AT_HWCAP);
  uint32_t f = 0;
  if (hw & HWCAP_BIT_ASIMD) f |= TA_CPU_ASIMD;
  if (hw & HWCAP_BIT_AES) f |= TA_CPU_ARM_AES;
  if (hw & HWCAP_BIT_PMULL) f |= TA_CPU_ARM_PMULL;
  if (hw & HWCAP_BIT_SHA2) f |= TA_CPU_ARM_SHA2;
  if (hw & HWCAP_BIT_SHA512) f |= TA_CPU_ARM_SHA512;
  return f;
}
#else
static uint32_t detect(void) { return 0; }
#endif

static const char *const feature_names[32] = {
    "sse4.1", "aesni", "pclmul", "avx", "avx2", "bmi2", "avx512f", "avx512bw",
    "avx512vl", "vaes", "vpclmulqdq", "sha", "adx", "ssse3", NULL, NULL,
    "asimd", "aes", "pmull", "sha2", "sha512",
};

const char *ta_cpu_feature_name(int bit) {
  if (bit < 0 || bit >= 32) return NULL;
  return feature_names[bit];
}

/* Parses TLSACCEL_CPU_MASK: names separated by commas or spaces; "all" hides everything.
 * Unknown names are ignored so an old library does not fail on a new name. */
static uint32_t mask_from_env(void) {
  const char *env = getenv("TLSACCEL_CPU_MASK");
  if (env == NULL) return 0;
  uint32_t mask = 0;
  const char *p = env;
  while (*p) {
    while (*p == ',' || *p == ' ') p++;
    const char *start = p;
    while (*p && *p != ',' && *p != ' ') p++;
    size_t n = (size_t)(p - start);
    if (n == 0) continue;
    if (n == 3 && strncmp(start, "all", 3) == 0) return 0xffffffffu;
    for (int i = 0; i < 32; i++) {
      const char *name = feature_names[i];
      if (name && strlen(name) == n && strncmp(start, name, n) == 0) mask |= 1u << i;
    }
  }
  return mask;
}

/* Computed once; a race only computes the same value twice. Bit 31 marks "known". */
static _Atomic uint32_t detected_cache;
static _Atomic uint32_t usable_cache;
#define KNOWN (1u << 31)

uint32_t ta_cpu_features_detected(void) {
  uint32_t v = atomic_load_explicit(&detected_cache, memory_order_acquire);
  if (!(v & KNOWN)) {
    v = detect() | KNOWN;
    atomic_store_explicit(&detected_cache, v, memory_order_release);
  }
  return v & ~KNOWN;
}

uint32_t ta_cpu_features(void) {
  uint32_t v = atomic_load_explicit(&usable_cache, memory_order_acquire);
  if (!(v & KNOWN)) {
    v = (ta_cpu_features_detected() & ~mask_from_env()) | KNOWN;
    atomic_store_explicit(&usable_cache, v, memory_order_release);
  }
  return v & ~KNOWN;
}
