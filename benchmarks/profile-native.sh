#!/usr/bin/env bash
# Where the event loops' CPU goes, native code included (JFR sees Java frames only): runs the
# Netty harness once per engine under async-profiler (tools.profiler:async-profiler from Maven
# Central, CPU samples every 1 ms, whole run including warm-up), keeps the collapsed stacks and
# sums the server and client event-loop threads by the innermost frame's kind: kernel, AEAD
# kernels (ours, BoringSSL's), memory copies, Java, other native/JVM.
#
#   benchmarks/profile-native.sh [--jdk PATH] [--engines tlsaccel,tcnative] [--job bulk13]
#                                [--warmup S] [--measure S]
#
# Output: benchmarks/target/profile-native/<job>-<engine>.collapsed (flame-graph input) and
# <job>.md (the table).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
OUT="$ROOT/benchmarks/target/profile-native"
AP_VERSION=4.1
JAVA=java ENGINES=tlsaccel,tcnative JOB=bulk13 WARMUP=5 MEASURE=15
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) shift; if [ -d "$1" ]; then JAVA="$1/bin/java"; else JAVA="$1"; fi ;;
    --engines) shift; ENGINES="$1" ;;
    --job) shift; JOB="$1" ;;
    --warmup) shift; WARMUP="$1" ;;
    --measure) shift; MEASURE="$1" ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "profile-native.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
mkdir -p "$OUT"
AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
[ -f "$AP_JAR" ] || mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION"
case "$(uname -m)" in aarch64) ARCH=linux-arm64 ;; *) ARCH=linux-x64 ;; esac
(cd "$OUT" && unzip -o -q "$AP_JAR" "$ARCH/libasyncProfiler.so")
LIB="$OUT/$ARCH/libasyncProfiler.so"
EXTRA=()
if "$JAVA" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  EXTRA=(--sun-misc-unsafe-memory-access=allow)
fi

{
  echo "## $JOB: event-loop CPU samples by innermost frame ($("$JAVA" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.runtime.version/ {print $2}'), ${WARMUP} s warm-up + ${MEASURE} s, whole run)"
  echo
  echo "| engine | rate | event-loop CPU µs/op | kernel | AEAD kernels | copies | Java | other native/JVM | samples |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$OUT/$JOB.md"
for engine in ${ENGINES//,/ }; do
  stacks="$OUT/$JOB-$engine.collapsed"
  "$JAVA" "${EXTRA[@]}" --enable-native-access=ALL-UNNAMED \
    "-agentpath:$LIB=start,event=cpu,interval=1ms,threads,collapsed,file=$stacks" \
    -cp "$JAR" io.tlsaccel.bench.netty.NettyHarness --engines "$engine" --jobs "$JOB" \
    --warmup "$WARMUP" --measure "$MEASURE" --rounds 1 --out "$OUT/run-$engine" > "$OUT/$JOB-$engine.log" 2>&1
  rate=$(awk -F'\t' -v e="$engine" '$2==e {printf "%s %s | %s", $5, $6, $7}' "$OUT/run-$engine/netty-results.tsv")
  # A collapsed line is "thread;frame;...;leaf count"; only the event loops count.
  awk -v engine="$engine" -v rate="$rate" '
    {
      n = $NF; line = $0; sub(/ [0-9]+$/, "", line)
      if (line !~ /^\[tls-(server|client)/) next
      k = split(line, f, ";"); leaf = f[k]
      if (leaf ~ /_\[k\]$/) c = "kernel"
      else if (leaf ~ /vaes|aesni|aes_gcm|gcm_|ghash|clmul|chacha|poly1305/) c = "aead"
      else if (leaf ~ /arraycopy|memmove|memcpy|copy_/) c = "copy"
      else if (leaf ~ /\//) c = "java"
      else c = "other"
      s[c] += n; total += n
    }
    END {
      printf "| %s | %s | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %d |\n", engine, rate,
        100 * s["kernel"] / total, 100 * s["aead"] / total, 100 * s["copy"] / total,
        100 * s["java"] / total, 100 * s["other"] / total, total
    }' "$stacks" >> "$OUT/$JOB.md"
done
cat "$OUT/$JOB.md"
