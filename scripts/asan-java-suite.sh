#!/usr/bin/env bash
# Nightly-style check (not in default CI: it takes several times the normal suite): the Java
# suite against the C layer built with AddressSanitizer + UndefinedBehaviorSanitizer, so every
# JNI call the tests make (records, MACs, X25519, bad arguments) runs under the sanitizers.
#
#   scripts/asan-java-suite.sh                       # the whole java module suite
#   scripts/asan-java-suite.sh -Dtest='Aead*,*Jni*'  # extra Maven arguments, e.g. a subset
#
# The JVM itself is not instrumented: ASan's runtime is preloaded into the test JVM, leak
# checking is off (the JVM never frees its arenas), and the JVM keeps its own SIGSEGV handling.
set -euo pipefail
cd "$(dirname "$0")/.."
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
echo "== building the C layer with ASan + UBSan in $build"
cmake -S native -B "$build" -DTLSACCEL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j 2 >/dev/null
lib="$(find "$build" -name 'libtlsaccel.so' | head -1)"
[ -n "$lib" ] || { echo "no libtlsaccel.so built" >&2; exit 1; }
asan="$(gcc -print-file-name=libasan.so)"
ubsan="$(gcc -print-file-name=libubsan.so)"
echo "== java suite with $lib"
export ASAN_OPTIONS="detect_leaks=0:handle_segv=0:allow_user_segv_handler=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The preload reaches the forked test JVMs through the environment, and so every process they
# start: gnutls-cli then never exits, so its tests are left out unless you pass your own -Dtest
# (OpenSSL and the JVMs are fine). The C layer is not rebuilt by Maven.
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(-Dtest='!GnuTlsInteropTest, !Tls12InteropTest#gnutls*, !ResumptionInteropTest#gnutls*')
fi
LD_PRELOAD="$asan:$ubsan" mvn -B -q -o -pl java verify -Dtlsaccel.skipNative=true \
    -Dtlsaccel.native.path="$lib" "${args[@]}" || {
  echo "FAILED: see java/target/surefire-reports (a sanitizer report names the C function and line)" >&2
  exit 1
}
echo "== the Java suite passed with the sanitized library"
