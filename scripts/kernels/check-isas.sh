#!/usr/bin/env bash
# Checks that the CKernels passes give the same bits at every x86-64 level this CPU
# can run (plain x86-64 = SSE2, x86-64-v3 = AVX2 + FMA, x86-64-v4 = AVX-512) and in
# the dispatched build, and with GCC when it is installed. The kernels contract no
# multiply-add and fix every order of additions, so they must.
# Usage: bash scripts/kernels/check-isas.sh   (CC defaults to Swift's clang, then clang)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
K=$ROOT/Sources/CKernels
CC=${CC:-$(command -v /opt/swift/usr/bin/clang || command -v clang)}
FLAGS=(-O3 -std=gnu11 -ffp-contract=off -fno-math-errno -I"$K/include")
SOURCES=("$ROOT/scripts/kernels/isa-outputs.c" "$K/activations.c" "$K/edges.c")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

run() {  # run <name> <compiler> <flags...>: builds, runs, appends "<hash>  <name>" to results
  local name=$1 cc=$2; shift 2
  "$cc" "${FLAGS[@]}" "$@" "${SOURCES[@]}" -o "$WORK/$name"
  "$WORK/$name" > "$WORK/$name.out"
  echo "$(sha256sum < "$WORK/$name.out" | cut -c1-16)  $name" | tee -a "$WORK/results"
}

# runs <level>: whether this CPU can run code built for the level.
runs() {
  case $1 in
    x86-64) return 0 ;;
    x86-64-v2) grep -qw sse4_2 /proc/cpuinfo ;;
    x86-64-v3) grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo ;;
    x86-64-v4) grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo ;;
  esac
}

[ "$(uname -m)" = x86_64 ] || { echo "check-isas: not an x86-64 machine, nothing to compare" >&2; exit 0; }
run dispatched "$CC"
for level in x86-64 x86-64-v2 x86-64-v3 x86-64-v4; do
  if runs "$level"; then run "$level" "$CC" -DCK_NO_DISPATCH -march="$level"; fi
done
if command -v gcc > /dev/null; then run gcc-dispatched gcc; fi
if [ "$(cut -c1-16 "$WORK/results" | sort -u | wc -l)" -ne 1 ]; then
  echo "check-isas: the kernels' outputs differ between builds" >&2
  exit 1
fi
echo "check-isas: $(wc -c < "$WORK/dispatched.out") bytes of output, the same bits in every build"
