#!/usr/bin/env bash
# Profiles where a handshake's CPU goes, both ends, by job (see benchmarks/README.md):
# runs the Netty harness on full handshakes with JFR recording each measured window, then
# sorts the event-loop threads' CPU and allocation samples into jobs (io.tlsaccel.bench.netty.JfrJobs).
#
#   benchmarks/profile-handshake.sh [--jdk PATH] [--engine tlsaccel] [--jobs full13,full12]
#                                   [--warmup S] [--measure S]
#
# Output: benchmarks/target/profile/<job>-<engine>.md (and the .jfr files beside it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
OUT="$ROOT/benchmarks/target/profile"
JAVA=java ENGINE=tlsaccel JOBS=full13,full12 WARMUP=10 MEASURE=20
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) shift; if [ -d "$1" ]; then JAVA="$1/bin/java"; else JAVA="$1"; fi ;;
    --engine) shift; ENGINE="$1" ;;
    --jobs) shift; JOBS="$1" ;;
    --warmup) shift; WARMUP="$1" ;;
    --measure) shift; MEASURE="$1" ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "profile-handshake.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
mkdir -p "$OUT"
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" io.tlsaccel.bench.netty.NettyHarness \
  --engines "$ENGINE" --jobs "$JOBS" --warmup "$WARMUP" --measure "$MEASURE" --rounds 1 \
  --out "$OUT" --jfr "$OUT"
for job in ${JOBS//,/ }; do
  title=$(case "$job" in full13) echo "TLS 1.3 full handshakes";; full12) echo "TLS 1.2 full handshakes";;
          resume13) echo "TLS 1.3 handshakes, client session cache on";;
          resume12) echo "TLS 1.2 handshakes, client session cache on";; *) echo "$job";; esac)
  ops=$(awk -F'\t' -v t="$title" -v e="$ENGINE" '$1==t && $2==e {printf "%d", $3}' "$OUT/netty-results.tsv")
  {
    echo "## $title, $ENGINE ($("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}'), $ops handshakes in ${MEASURE} s)"
    echo
    "$JAVA" -cp "$JAR" io.tlsaccel.bench.netty.JfrJobs --ops "${ops:-0}" "$OUT/$job-$ENGINE-1.jfr"
  } > "$OUT/$job-$ENGINE.md"
  cat "$OUT/$job-$ENGINE.md"
done
