#!/usr/bin/env bash
# The AArch64 library beside the host one, called by Maven (java/pom.xml):
#   cross-aarch64.sh build BUILD_DIR OUTPUT_DIR VERSION JAVA_HOME   configure + build
#   cross-aarch64.sh test  BUILD_DIR                                 ctest under qemu-aarch64
# Without Debian's cross compiler (gcc-aarch64-linux-gnu) it says so in one line and
# succeeds: the jar then carries the host library only. Without qemu-aarch64 (qemu-user)
# the library is built but its tests are not run (one line too).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
step="$1"
build="$2"
if ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
  [ "$step" = build ] && echo "[tlsaccel] no aarch64-linux-gnu-gcc: the jar carries the host library only (apt-get install gcc-aarch64-linux-gnu for linux-aarch64)"
  exit 0
fi
case "$step" in
  build)
    cmake -S "$here/../native" -B "$build" \
      -DCMAKE_TOOLCHAIN_FILE="$here/toolchains/aarch64-linux-gnu.cmake" \
      -DCMAKE_BUILD_TYPE=Release -DTLSACCEL_VERSION="$4" -DTLSACCEL_OUTPUT_DIR="$3" \
      -DTLSACCEL_JAVA_HOME="$5" >/dev/null
    cmake --build "$build" -j 2 >/dev/null
    ;;
  test)
    if ! command -v qemu-aarch64 >/dev/null 2>&1; then
      echo "[tlsaccel] no qemu-aarch64: the AArch64 library was built but not tested (apt-get install qemu-user)"
      exit 0
    fi
    ctest --test-dir "$build" --output-on-failure
    ;;
  *)
    echo "usage: $0 build|test BUILD_DIR [OUTPUT_DIR VERSION JAVA_HOME]" >&2
    exit 2
    ;;
esac
