#!/usr/bin/env bash
# The built jar on an AArch64 JVM: Debian's arm64 OpenJDK 17 run under qemu-aarch64 (no
# binfmt needed: qemu is called explicitly, -L / finds the arm64 libraries multiarch put
# under /). For each TLSACCEL_CPU_MASK below it checks what `info --json` reports and runs
# the provider's Wycheproof files (AES-GCM, ChaCha20-Poly1305, HMAC) and its differential
# test against SunJCE with 10,000 cases per algorithm, on the backend the mask leaves (the
# Java backend's own runs on x86 are not repeated here, except where the mask leaves only
# it), and the AEAD Wycheproof files through every usable native implementation forced.
#
# Needs: `mvn package` done (jar, CLI jar and test classes), qemu-user, and the arm64 JRE:
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install -y qemu-user openjdk-17-jre-headless:arm64
# Usage: native/test/aarch64/jvm-check.sh   (exit 0 when every run passed)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
jdk="${TLSACCEL_ARM64_JDK:-/usr/lib/jvm/java-17-openjdk-arm64}"
vectors="${WYCHEPROOF_DIR:-$root/../shared/vectors/wycheproof}"
junit_version=1.14.4
console="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$junit_version/junit-platform-console-standalone-$junit_version.jar"
cases=10000

fail() { echo "jvm-check: $*" >&2; exit 1; }
command -v qemu-aarch64 >/dev/null || fail "no qemu-aarch64 (apt-get install qemu-user)"
[ -x "$jdk/bin/java" ] || fail "no arm64 JDK at $jdk (apt-get install openjdk-17-jre-headless:arm64)"
jar=$(ls "$root"/java/target/tlsaccel-[0-9]*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc' | head -1)
cli=$(ls "$root"/java/target/tlsaccel-cli.jar "$root"/cli/target/tlsaccel-cli.jar 2>/dev/null | head -1 || true)
[ -n "$jar" ] && [ -n "$cli" ] && [ -d "$root/java/target/test-classes" ] || fail "run mvn package first"
unzip -l "$jar" | grep -q 'io/tlsaccel/native/linux-aarch64/libtlsaccel.so' \
  || fail "$jar carries no linux-aarch64 library (is gcc-aarch64-linux-gnu installed?)"
[ -d "$vectors" ] || fail "no Wycheproof vectors at $vectors"
if [ ! -f "$console" ]; then
  mvn -B -q dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_version"
fi
deps=$(mktemp)
trap 'rm -f "$deps"' EXIT
(cd "$root" && mvn -B -q -o dependency:build-classpath -pl java -Dmdep.outputFile="$deps" >/dev/null)
# JUnit itself comes from the console launcher; the rest of the test classpath from Maven.
cp="$jar:$root/java/target/test-classes:$(tr ':' '\n' < "$deps" | grep -v '/org/junit/\|/opentest4j/\|/apiguardian/' | paste -sd: -)"

arm_java() { qemu-aarch64 -L / "$jdk/bin/java" "$@"; }

# expect MASK BACKEND AES CHACHA SHA256: what info --json must say under the mask
expect() {
  local mask="$1" json
  json=$(TLSACCEL_CPU_MASK="$mask" arm_java -jar "$cli" info --json 2>/dev/null)
  echo "$json"
  local want
  for want in "\"backend\":\"$2\"" "\"AES-128-GCM\":\"$3\"" "\"ChaCha20-Poly1305\":\"$4\"" \
              "\"HmacSHA256\":\"$5\"" '"platform":"Linux/aarch64"' '"selfTest":"passed"'; do
    grep -qF "$want" <<<"$json" || fail "mask '$mask': info --json lacks $want"
  done
}

tests() { # tests MASK BACKEND SELECTORS...: the provider on one backend under one mask
  local mask="$1" backend="$2" ci=true
  shift 2
  [ "$backend" = native ] || ci=false # the native backend cannot serve: nothing to insist on
  TLSACCEL_CPU_MASK="$mask" CI=$ci arm_java -Xss4m --enable-native-access=ALL-UNNAMED \
    -Dwycheproof.dir="$vectors" -Dtlsaccel.provider.backends="$backend" \
    -Dtlsaccel.provider.aesCases=$cases -Dtlsaccel.provider.chachaCases=$cases \
    -Dtlsaccel.provider.hmacCases=$cases \
    -Djava.security.properties="$root/java/src/test/sunjsse-peer.security" \
    -jar "$console" execute --disable-banner --details=summary --fail-if-no-tests \
    --class-path "$cp" "$@"
}
provider=(--select-class io.tlsaccel.provider.ProviderWycheproofTest
          --select-class io.tlsaccel.provider.ProviderDifferentialTest)
hmac=(--select-method 'io.tlsaccel.provider.ProviderWycheproofTest#hmacSha256(java.lang.String)'
      --select-method 'io.tlsaccel.provider.ProviderWycheproofTest#hmacSha384(java.lang.String)'
      --select-method 'io.tlsaccel.provider.ProviderDifferentialTest#hmac(java.lang.String)')
# Wycheproof through every path, each usable native implementation forced in turn.
paths=(--select-method 'io.tlsaccel.crypto.AeadConformanceTest#wycheproof(io.tlsaccel.testutil.AeadPaths$Path)')

start=$(date +%s)
lap() { echo "-- $(( $(date +%s) - start )) s"; }
echo "== no mask: the ARMv8 kernels (armv8ce AES-GCM and SHA-256, neon ChaCha20-Poly1305)"
expect "" native native/armv8ce native/neon native/armv8ce
tests "" native "${provider[@]}" "${paths[@]}"
lap
echo "== TLSACCEL_CPU_MASK=sha2: portable SHA-256 under HMAC"
expect sha2 native native/armv8ce native/neon native/portable
tests sha2 native "${hmac[@]}"
lap
echo "== TLSACCEL_CPU_MASK=all: no native AES-GCM, so the Java backend; C portable paths forced"
expect all java java/jdk java/scalar java/jdk
tests all java "${provider[@]}" "${paths[@]}"
lap
echo "jvm-check: all runs passed in $(( $(date +%s) - start )) s"
