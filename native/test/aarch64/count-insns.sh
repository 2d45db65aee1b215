#!/usr/bin/env bash
# Instructions per 16 KiB record (seal, 13-byte AAD; HMAC: update + final) of each kernel,
# counted under qemu user mode with one instruction per translation block (-singlestep)
# and the execution log (-d exec,nochain): one log line per instruction executed. The
# count for 3 records minus the count for 1, halved, leaves out start-up and key setup.
# A sanity figure only: qemu measures no time, and instructions differ in cost.
#
# Usage: count-insns.sh ARM64_BUILD_DIR [X86_BUILD_DIR]
#   (cmake builds of native/ that include bench_record_insns; the x86 one runs under
#   qemu-x86_64 -cpu max, which emulates AES-NI, PCLMULQDQ, AVX2 but not VAES/AVX-512)
set -euo pipefail
arm="$1"
x86="${2:-}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # count QEMU... -- BINARY ARGS: instructions executed
  "$@" >/dev/null 2>&1 || { echo "n/a"; return; }
  grep -c '^Trace' "$log"
}

per_record() { # per_record RUNNER BINARY ALG IMPL
  local runner="$1" bin="$2" alg="$3" impl="$4" one three
  one=$(count $runner -singlestep -d exec,nochain -D "$log" "$bin" "$alg" "$impl" 1)
  three=$(count $runner -singlestep -d exec,nochain -D "$log" "$bin" "$alg" "$impl" 3)
  if [ "$one" = n/a ] || [ "$three" = n/a ]; then echo "n/a"; else echo $(( (three - one) / 2 )); fi
}

printf '%-10s %-10s %-10s %12s\n' target algorithm impl "insns/16KiB"
for spec in aes128gcm:armv8ce aes256gcm:armv8ce chacha:neon chacha:portable \
            hmac256:armv8ce hmac256:portable hmac384:portable; do
  n=$(per_record "qemu-aarch64 -L /usr/aarch64-linux-gnu" "$arm/bench_record_insns" "${spec%%:*}" "${spec##*:}")
  printf '%-10s %-10s %-10s %12s\n' aarch64 "${spec%%:*}" "${spec##*:}" "$n"
done
if [ -n "$x86" ]; then
  for spec in aes128gcm:aesni aes256gcm:aesni chacha:avx2 chacha:portable \
              hmac256:shani hmac256:portable hmac384:avx2 hmac384:portable; do
    n=$(per_record "qemu-x86_64 -cpu max" "$x86/bench_record_insns" "${spec%%:*}" "${spec##*:}")
    printf '%-10s %-10s %-10s %12s\n' x86-64 "${spec%%:*}" "${spec##*:}" "$n"
  done
fi
