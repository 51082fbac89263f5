#!/usr/bin/env bash
# Times `rgdm sample`'s default chain against a reference chain on the same model and count in one
# run, alternating, and prints each run's sampling seconds (from the sample report, model loading
# and metrics excluded), the CPU seconds of each whole process, and the median ratio. The reference
# is EDM's plain ancestral chain for molecules, the ancestral chain on 100 steps (what the shapes
# example ran before) for shapes; REFERENCE="…" sets other options.
#   [REFERENCE="--sampler …"] bash scripts/sample-timing.sh [MODEL] [COUNT] [ROUNDS] [RGDM]
# Default: models/qm9-m.rgdm, 100 samples, 3 rounds, this tree's release build.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/qm9-m.rgdm} count=${2:-100} rounds=${3:-3} rgdm=${4:-.build/release/rgdm}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
ext=sdf; reference="--sampler ancestral --steps 1000 --corrector-steps 0"
case "$model" in *shapes*) ext=h5; reference="--sampler ancestral --steps 100" ;; esac
read -r -a reference <<< "${REFERENCE:-$reference}"
seconds() { python3 -c 'import json,sys; print("%.1f" % json.load(open(sys.argv[1]))["seconds"])' "$1"; }
run() {  # run NAME ARGS...: one sampling run; prints "sampling seconds, process CPU seconds"
  local name=$1; shift
  /usr/bin/time -o "$out/$name.time" -f "%U %S" "$rgdm" sample --model "$model" --count "$count" --seed 0 \
    --output "$out/$name.$ext" "$@" > /dev/null 2>&1
  echo "$(seconds "$out/$name.report.json") $(awk '{print $1 + $2}' "$out/$name.time")"
}
plain=(); fast=()
echo "reference: ${reference[*]}"
echo "round   reference (s, CPU s)   default (s, CPU s)"
for round in $(seq 1 "$rounds"); do
  p=$(run reference "${reference[@]}")
  d=$(run default)
  plain+=("${p%% *}"); fast+=("${d%% *}")
  echo "$round       $p                $d"
done
python3 - "${plain[*]}" "${fast[*]}" <<'PY'
import statistics, sys
plain = [float(x) for x in sys.argv[1].split()]; fast = [float(x) for x in sys.argv[2].split()]
ratios = [f / p for f, p in zip(fast, plain)]
print(f"default / reference, sampling seconds: median {statistics.median(ratios):.3f} (runs: {', '.join(f'{r:.3f}' for r in ratios)})")
PY
