#!/usr/bin/env bash
# Runs every Jazzer fuzz harness (methods annotated @FuzzTest under java/src/test) in fuzzing
# mode, one JVM each, for SECONDS each (default 30). Without JAZZER_FUZZ, `mvn verify` only
# replays each harness's seeds and saved findings; this script is what actually fuzzes.
#
#   scripts/fuzz.sh            # 30 s per harness
#   scripts/fuzz.sh 600        # the longer run: 10 minutes per harness
#   scripts/fuzz.sh 30 Aead    # only harnesses whose class name contains "Aead"
#
# A crash is saved by Jazzer under java/src/test/resources/<package>/<Class>Inputs/<method>/
# and from then on replayed by every `mvn verify`: commit it with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
filter="${2:-}"
mvn -B -q -o -DskipTests package -pl java -am >/dev/null 2>&1 || mvn -B -q -DskipTests package -pl java -am >/dev/null

mapfile -t harnesses < <(grep -rl '@FuzzTest' java/src/test/java | sort | while read -r f; do
  cls=$(echo "${f#java/src/test/java/}" | sed 's/\.java$//; s#/#.#g')
  grep -A3 '@FuzzTest' "$f" | grep -oE 'void [a-zA-Z0-9_]+' | awk -v c="$cls" '{print c "#" $2}'
done | grep -- "$filter" || true)

[ ${#harnesses[@]} -gt 0 ] || { echo "no fuzz harness matches '$filter'" >&2; exit 1; }
failed=0
for h in "${harnesses[@]}"; do
  log="java/target/fuzz-${h//[#.]/_}.log"
  mkdir -p java/target
  echo "== fuzzing $h for ${seconds}s (log: $log)"
  if JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" mvn -B -q -o verify -pl java -Dtest="$h" \
      -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    summary=$(grep -E '^Done [0-9]+ runs' "$log" | tail -1)
    cov=$(grep -E '#[0-9]+[[:space:]]+DONE' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
    echo "   ok: ${summary:-no summary} ${cov}"
  else
    failed=1
    echo "   FINDING or failure: see $log" >&2
    grep -E 'FAIL|Exception|crash-' "$log" | head -20 >&2 || true
  fi
done
exit $failed
