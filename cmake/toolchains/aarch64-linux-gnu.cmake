# Cross build for 64-bit ARM Linux with Debian's cross compiler (package
# gcc-aarch64-linux-gnu). The tests run under qemu-aarch64 (package qemu-user) with the
# target's libraries from /usr/aarch64-linux-gnu (the cross compiler's sysroot).
#   cmake -S native -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
find_program(TLSACCEL_QEMU_AARCH64 qemu-aarch64)
if(TLSACCEL_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${TLSACCEL_QEMU_AARCH64};-L;/usr/aarch64-linux-gnu")
endif()
