# -DTLSACCEL_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer for the library and
# its C tests (CI runs this build's ctest). Not meant for loading into a JVM.
option(TLSACCEL_SANITIZE "Build with ASan and UBSan" OFF)
if(TLSACCEL_SANITIZE)
  set(TLSACCEL_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options(${TLSACCEL_SAN_FLAGS} -O1 -g)
  add_link_options(${TLSACCEL_SAN_FLAGS})
endif()
