#!/usr/bin/env bash
# Runs the tlsaccel JMH benchmarks and makes the report in benchmarks/target/report/.
# See benchmarks/README.md. Usage:
#
#   benchmarks/run.sh [--short | --full | --smoke] [--jdk PATH] [--jvm-args '...'] [--include REGEX]
#                     [--tag NAME] [--build] [--no-openssl] [--no-gc] [-- extra JMH options]
#
#   --short        (default) AES-128-GCM seal+open, ChaCha20-Poly1305 seal, HMAC-SHA-256 and
#                  thread scaling, at 1 KiB and 16 KiB; 1 fork, 1 x 1 s warm-up, 2 x 1 s
#                  measurement: about 10 minutes on 2 cores
#   --full         everything: all algorithms, seal and open, 64 B..16 KiB, the annotations'
#                  settings (2 forks, 3 x 2 s warm-up, 5 x 2 s measurement): hours
#   --smoke        the --short set with no warm-up and one 0.3 s iteration: checks the
#                  tooling end to end in a few minutes; the numbers mean nothing
#   --jdk PATH     run under another JDK (its home, or its java binary)
#   --jvm-args S   extra options for the forked benchmark JVMs, e.g. '-XX:UseAVX=2' or
#                  '-XX:+UnlockDiagnosticVMOptions -XX:-UseAES -XX:-UseAESIntrinsics
#                   -XX:-UseAESCTRIntrinsics -XX:-UseGHASHIntrinsics'
#   --include RE   only benchmarks matching RE (JMH regex), instead of the mode's set
#   --tag NAME     results go to jmh-NAME.json (default jdk<version>)
#   --build        rebuild with Maven first (done anyway when benchmarks.jar is missing)
#   --no-openssl   leave out `openssl speed`
#   --no-gc        leave out -prof gc (allocation per op)
#   -- OPTIONS     passed to JMH; they replace the mode's -f/-wi/-w/-i/-r, -p size=, -p alg=
#
# TLSACCEL_CPU_MASK and TLSACCEL_BACKEND in the environment reach the benchmark JVMs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
REPORT="$ROOT/benchmarks/target/report"

MODE=short
JAVA=java
JVM_ARGS=""
INCLUDE=""
TAG=""
BUILD=0
OPENSSL=1
GC=1
EXTRA=()

while [ $# -gt 0 ]; do
  case "$1" in
    --short) MODE=short ;;
    --full) MODE=full ;;
    --smoke) MODE=smoke ;;
    --jdk) shift; if [ -d "$1" ]; then JAVA="$1/bin/java"; else JAVA="$1"; fi ;;
    --jvm-args) shift; JVM_ARGS="$1" ;;
    --include) shift; INCLUDE="$1" ;;
    --tag) shift; TAG="$1" ;;
    --build) BUILD=1 ;;
    --no-openssl) OPENSSL=0 ;;
    --no-gc) GC=0 ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if ! "$JAVA" -version >/dev/null 2>&1; then
  echo "run.sh: cannot run $JAVA" >&2; exit 2
fi
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; then
  echo "== building (mvn -B -q -DskipTests package)"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

JDK_VERSION="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
[ -n "$TAG" ] || TAG="jdk${JDK_VERSION}"
mkdir -p "$REPORT"
JSON="$REPORT/jmh-$TAG.json"
NOTES="$REPORT/notes-$TAG.txt"
SPEED="$REPORT/openssl-speed.txt"
NATIVE_ACCESS="--enable-native-access=ALL-UNNAMED"
# JMH 1.37 uses sun.misc.Unsafe, which JDK 24+ warns about on every JVM start.
UNSAFE=""
if [ "${JDK_VERSION%%.*}" -ge 24 ] 2>/dev/null; then UNSAFE="--sun-misc-unsafe-memory-access=allow"; fi

# What can run here: usable native implementations, paths to skip (with reasons).
echo "== probing paths ($JAVA, JDK $JDK_VERSION)"
if ! PROBE_OUT="$("$JAVA" $NATIVE_ACCESS $UNSAFE $JVM_ARGS -cp "$JAR" io.tlsaccel.bench.Probe \
    "$REPORT/probe-$TAG.txt" 2>"$REPORT/probe-$TAG.log")"; then
  echo "run.sh: the probe failed (rebuild with --build?):" >&2
  cat "$REPORT/probe-$TAG.log" >&2
  exit 1
fi
aesImpl="" chachaImpl="" sha256Impl="" sha384Impl="" exclude="" auto=""
eval "$PROBE_OUT"
sed 's/^/   /' "$REPORT/probe-$TAG.txt"

# Options given after -- win over the mode's (JMH refuses an option twice).
JMH=()
add() { # add OPTION VALUE unless the extra options already set OPTION
  local o
  for o in ${EXTRA[@]+"${EXTRA[@]}"}; do [ "$o" = "$1" ] && return 0; done
  JMH+=("$1" "$2")
}
case "$MODE" in
  short|smoke)
    if [ "$MODE" = short ]; then add -f 1; add -wi 1; add -w 1s; add -i 2; add -r 1s
    else add -f 1; add -wi 0; add -i 1; add -r 300ms; fi
    case " ${EXTRA[*]:-} " in *" size="*) ;; *) JMH+=(-p size=1024,16384) ;; esac
    case " ${EXTRA[*]:-} " in *" alg="*) ;; *) JMH+=(-p alg=AES_128_GCM) ;; esac
    [ -n "$INCLUDE" ] || INCLUDE='\.(AesGcmSealBenchmark|AesGcmOpenBenchmark|ChaCha20Poly1305SealBenchmark|HmacSha256Benchmark|AesGcmThreadScalingBenchmark)\.'
    SIZES=(1024 16384); CIPHERS=(aes-128-gcm chacha20-poly1305) ;;
  full)
    SIZES=(64 256 1024 4096 16384); CIPHERS=(aes-128-gcm aes-256-gcm chacha20-poly1305) ;;
esac
[ -n "$INCLUDE" ] || INCLUDE='io\.tlsaccel\.bench\.'
[ -n "$aesImpl" ] && JMH+=(-p "aesImpl=$aesImpl")
[ -n "$chachaImpl" ] && JMH+=(-p "chachaImpl=$chachaImpl")
[ -n "$sha256Impl" ] && JMH+=(-p "sha256Impl=$sha256Impl")
[ -n "$sha384Impl" ] && JMH+=(-p "sha384Impl=$sha384Impl")
[ -n "$exclude" ] && JMH+=(-e "$exclude")
[ "$GC" = 1 ] && JMH+=(-prof gc)

{
  echo "run: $MODE, $(date -u +%Y-%m-%dT%H:%M:%SZ), host $(hostname), $(nproc) CPUs: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $JAVA (JDK $JDK_VERSION); forked JVM args: $NATIVE_ACCESS $UNSAFE $JVM_ARGS"
  echo "TLSACCEL_CPU_MASK=${TLSACCEL_CPU_MASK:-} TLSACCEL_BACKEND=${TLSACCEL_BACKEND:-}"
  cat "$REPORT/probe-$TAG.txt"
} > "$NOTES"

echo "== JMH: $INCLUDE ${JMH[*]} ${EXTRA[*]:-}"
# The launcher itself runs no native code; the forks get the flag (and JVM_ARGS) here,
# which replaces the classes' @Fork(jvmArgsAppend); they inherit the launcher's $UNSAFE.
"$JAVA" $UNSAFE -jar "$JAR" "$INCLUDE" "${JMH[@]}" -jvmArgsAppend "$NATIVE_ACCESS $JVM_ARGS" \
  -rf json -rff "$JSON" ${EXTRA[@]+"${EXTRA[@]}"}

OPENSSL_ARGS=()
if [ "$OPENSSL" = 1 ] && command -v openssl >/dev/null 2>&1; then
  echo "== openssl speed ($(openssl version))"
  : > "$SPEED"
  for c in "${CIPHERS[@]}"; do
    for n in "${SIZES[@]}"; do
      openssl speed -evp "$c" -aead -bytes "$n" -seconds 1 -mr 2>/dev/null | grep -E '^\+(H|F):' >> "$SPEED" || true
    done
  done
  echo "openssl: $(openssl version), speed -evp CIPHER -aead -bytes N -seconds 1" >> "$NOTES"
  OPENSSL_ARGS=(--openssl "$SPEED")
fi

"$JAVA" -cp "$JAR" io.tlsaccel.bench.ReportMaker --out "$REPORT" --notes "$NOTES" \
  ${OPENSSL_ARGS[@]+"${OPENSSL_ARGS[@]}"} "$JSON"
echo "== results: $JSON"
echo "== report:  $REPORT/report.md"
