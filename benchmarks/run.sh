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
#   --include RE   only the mode's benchmark classes whose name matches RE (bash regex),
#                  e.g. 'Aead|Hmac'; choose paths and algorithms with -- -p path=... -p alg=...
#   --tag NAME     results go to jmh-NAME.json (default jdk<version>)
#   --build        rebuild with Maven first (done anyway when benchmarks.jar is missing)
#   --no-openssl   leave out `openssl speed`
#   --no-gc        leave out -prof gc (allocation per op)
#   -- OPTIONS     passed to JMH; they replace the mode's -f/-wi/-w/-i/-r and -p size=;
#                  -p alg=A,B picks the algorithms, -p path=P,Q the paths (instead of all that
#                  work here, as the probe found)
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
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
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
scaling=yes auto=""
eval "$PROBE_OUT"
sed 's/^/   /' "$REPORT/probe-$TAG.txt"

# Options given after -- win over the mode's (JMH refuses an option twice). -p alg= and -p path=
# are taken out here: run.sh runs JMH once per benchmark class and algorithm (each algorithm has
# its own set of paths that work here), and applies them to those runs.
USER_ALG="" USER_PATH="" PASS=()
if [ ${#EXTRA[@]} -gt 0 ]; then
  for ((i = 0; i < ${#EXTRA[@]}; i++)); do
    if [ "${EXTRA[$i]}" = "-p" ] && [ $((i + 1)) -lt ${#EXTRA[@]} ]; then
      case "${EXTRA[$((i + 1))]}" in
        alg=*) USER_ALG="${EXTRA[$((i + 1))]#alg=}"; i=$((i + 1)); continue ;;
        path=*) USER_PATH="${EXTRA[$((i + 1))]#path=}"; i=$((i + 1)); continue ;;
      esac
    fi
    PASS+=("${EXTRA[$i]}")
  done
fi
JMH=()
add() { # add OPTION VALUE unless the extra options already set OPTION
  local o
  for o in ${PASS[@]+"${PASS[@]}"}; do [ "$o" = "$1" ] && return 0; done
  JMH+=("$1" "$2")
}
# The runs: "Class[\\.method] alg[,alg]" ("-" for classes without an alg parameter).
case "$MODE" in
  short|smoke)
    if [ "$MODE" = short ]; then add -f 1; add -wi 1; add -w 1s; add -i 2; add -r 1s
    else add -f 1; add -wi 0; add -i 1; add -r 300ms; fi
    case " ${PASS[*]:-} " in *" size="*) ;; *) JMH+=(-p size=1024,16384) ;; esac
    UNITS=("AeadBenchmark\\.seal AES_128_GCM,CHACHA20_POLY1305" "AeadBenchmark\\.open AES_128_GCM"
           "HmacBenchmark HMAC_SHA256" "AesGcmThreadScalingBenchmark -")
    SIZES=(1024 16384); CIPHERS=(aes-128-gcm chacha20-poly1305) ;;
  full)
    UNITS=("AeadBenchmark AES_128_GCM,AES_256_GCM,CHACHA20_POLY1305"
           "HmacBenchmark HMAC_SHA256,HMAC_SHA384" "AesGcmThreadScalingBenchmark -" "JavaFallbackBenchmark -"
           "tls\\.TlsBulkBenchmark -" "tls\\.TlsHandshakeBenchmark -")
    SIZES=(64 256 1024 4096 16384); CIPHERS=(aes-128-gcm aes-256-gcm chacha20-poly1305) ;;
esac
[ "$GC" = 1 ] && JMH+=(-prof gc)

{
  echo "run: $MODE, $(date -u +%Y-%m-%dT%H:%M:%SZ), host $(hostname), $(nproc) CPUs: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $JAVA (JDK $JDK_VERSION); forked JVM args: $NATIVE_ACCESS $UNSAFE $JVM_ARGS"
  echo "TLSACCEL_CPU_MASK=${TLSACCEL_CPU_MASK:-} TLSACCEL_BACKEND=${TLSACCEL_BACKEND:-}"
  cat "$REPORT/probe-$TAG.txt"
} > "$NOTES"

PARTS="$REPORT/parts-$TAG"
rm -rf "$PARTS"; mkdir -p "$PARTS"
n=0
for unit in "${UNITS[@]}"; do
  cls="${unit% *}"; algs="${unit#* }"
  if [ -n "$INCLUDE" ] && ! [[ "$cls" =~ $INCLUDE ]]; then continue; fi
  if [ "$cls" = AesGcmThreadScalingBenchmark ] && [ "$scaling" != yes ]; then continue; fi
  if [ "$algs" != - ] && [ -n "$USER_ALG" ]; then # the user's algorithms of this class's family
    family=AEAD; [[ "$algs" == HMAC* ]] && family=HMAC
    algs=""
    for a in ${USER_ALG//,/ }; do
      if [[ "$a" == HMAC* ]]; then [ $family = HMAC ] && algs="$algs,$a"; else [ $family = AEAD ] && algs="$algs,$a"; fi
    done
    algs="${algs#,}"; [ -n "$algs" ] || continue
  fi
  for alg in ${algs//,/ }; do
    args=("\\.$cls(\\.|\$)")
    if [ "$alg" != - ]; then
      var="paths_$alg"; paths="${USER_PATH:-${!var:-}}"
      if [ -z "$paths" ]; then echo "== $cls $alg: no path can run here (see the probe)"; continue; fi
      args+=(-p "alg=$alg" -p "path=$paths")
    fi
    n=$((n + 1))
    echo "== JMH: ${args[*]} ${JMH[*]} ${PASS[*]:-}"
    # The launcher itself runs no native code; the forks get the flag (and JVM_ARGS) here,
    # which replaces the classes' @Fork(jvmArgsAppend); they inherit the launcher's $UNSAFE.
    "$JAVA" $UNSAFE -jar "$JAR" "${args[@]}" "${JMH[@]}" -jvmArgsAppend "$NATIVE_ACCESS $JVM_ARGS" \
      -rf json -rff "$PARTS/$(printf %02d $n).json" ${PASS[@]+"${PASS[@]}"}
  done
done
"$JAVA" -cp "$JAR" io.tlsaccel.bench.ReportMaker --merge "$JSON" "$PARTS"/*.json

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
