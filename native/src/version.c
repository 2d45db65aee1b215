/* version.c - the version the build stamped in (CMake passes TLSACCEL_VERSION). */
#include "internal.h"

#ifndef TLSACCEL_VERSION
#error "TLSACCEL_VERSION must be defined by the build"
#endif

const char *ta_version(void) { return TLSACCEL_VERSION; }

int ta_abi_version(void) { return TA_ABI_VERSION; }
