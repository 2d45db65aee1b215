# Each kernel file is compiled for its own instruction set, chosen by its name's suffix;
# every other file stays on the baseline ISA, so nothing outside a kernel can emit an
# instruction the CPU may lack. Dispatch (cpu.c, aead.c, mac.c) decides at run time.
function(tlsaccel_kernel_flags)
  foreach(src IN LISTS ARGN)
    get_filename_component(name "${src}" NAME_WE)
    set(flags "")
    if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$" AND NOT name MATCHES "_armv8ce$")
      # x86 flags mean nothing to an ARM compiler; files that are portable there (such as
      # x25519_mulx.c, an empty kernel off x86) build with the baseline flags.
    elseif(name MATCHES "_aesni$")
      set(flags "-maes -mpclmul -msse4.1 -mssse3")
    elseif(name MATCHES "_vaes256$")
      set(flags "-mavx2 -mvaes -mvpclmulqdq -maes -mpclmul")
    elseif(name MATCHES "_vaes512$")
      set(flags "-mavx512f -mavx512bw -mavx512vl -mavx2 -mvaes -mvpclmulqdq -maes -mpclmul")
    elseif(name MATCHES "_avx512$")
      set(flags "-mavx512f -mavx512bw -mavx512vl -mavx2 -mbmi2")
    elseif(name MATCHES "_avx2$")
      set(flags "-mavx2 -mbmi2")
    elseif(name MATCHES "_mulx$")
      set(flags "-mbmi2 -madx")
    elseif(name MATCHES "_shani$")
      set(flags "-msha -msse4.1 -mssse3")
    elseif(name MATCHES "_armv8ce$")
      # ARMv8 Cryptography Extensions: AESE/AESMC, PMULL/PMULL2, SHA256H/H2/SU0/SU1.
      set(flags "-march=armv8-a+crypto")
    endif()
    if(flags)
      set_source_files_properties("${src}" PROPERTIES COMPILE_FLAGS "${flags}")
    endif()
  endforeach()
endfunction()

# Which kernel files belong to the target: x86 kernels (by the suffixes above) on x86-64,
# ARMv8 kernels (_armv8ce, _neon) on AArch64; portable files everywhere. Filters the list
# in the variable named by `var` in place.
function(tlsaccel_arch_sources var)
  set(x86 "_(aesni|vaes256|vaes512|avx2|avx512|shani)$")
  set(arm "_(armv8ce|neon)$")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
    set(drop "${x86}")
  else()
    set(drop "${arm}")
  endif()
  set(kept "")
  foreach(src IN LISTS ${var})
    get_filename_component(name "${src}" NAME_WE)
    if(NOT name MATCHES "${drop}")
      list(APPEND kept "${src}")
    endif()
  endforeach()
  set(${var} "${kept}" PARENT_SCOPE)
endfunction()
