#!/usr/bin/env bash
# Soak test (not in CI; hours): does memory stay flat in long runs?
#   train:  a training run of --hours on the committed QM9 subset, resident memory (VmRSS) sampled
#           every minute: after a warm-up of 10 minutes it must not grow;
#   sample: --count molecules sampled from --model and written in one run, then evaluated in one
#           run, memory sampled every 10 s: flat once the run is under way.
# Prints the samples and a verdict per stage (growth after warm-up, in MB and %), and keeps the
# raw samples in --keep DIR if given.
#   bash scripts/soak.sh [--stage all|train|sample] [--hours 2] [--count 10000]
#                        [--model models/qm9-m.rgdm] [--steps N] [--threads 2] [--rgdm .build/release/rgdm] [--keep DIR]
# (--steps: the sampler's steps, default its own; memory does not depend on them, time does.)
# Default: both stages, 2 hours, 10,000 molecules, this tree's release build (bash scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
stage=all hours=2 count=10000 model=models/qm9-m.rgdm steps= threads=2 rgdm=.build/release/rgdm keep=
while (( $# )); do
  case $1 in
    --stage) stage=$2 ;; --hours) hours=$2 ;; --count) count=$2 ;; --model) model=$2 ;; --steps) steps=$2 ;;
    --threads) threads=$2 ;; --rgdm) rgdm=$2 ;; --keep) keep=$2 ;;
    *) echo "soak: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
case $stage in all|train|sample) ;; *) echo "soak: --stage is all, train or sample, not $stage" >&2; exit 2 ;; esac
out=$(mktemp -d)
finish() { [[ -n $keep ]] && { mkdir -p "$keep"; cp "$out"/*.rss "$out"/*.log "$keep"/ 2>/dev/null || true; }; rm -rf "$out"; }
trap finish EXIT
[[ -x $rgdm ]] || { echo "soak: no $rgdm (bash scripts/build.sh)" >&2; exit 1; }

# watch PID INTERVAL SECONDS FILE: VmRSS (MB) of PID every INTERVAL s until it ends or SECONDS pass.
watch() {
  local pid=$1 interval=$2 limit=$3 file=$4 elapsed=0
  : > "$file"
  while kill -0 "$pid" 2>/dev/null && (( elapsed < limit )); do
    awk -v t="$elapsed" '/^VmRSS/ { printf "%d %.1f\n", t, $2 / 1024 }' "/proc/$pid/status" >> "$file" 2>/dev/null || true
    sleep "$interval"; elapsed=$(( elapsed + interval ))
  done
}

# verdict NAME FILE WARMUP: the resident memory at the end of the warm-up and the largest after it.
verdict() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
name, path, warmup = sys.argv[1], sys.argv[2], float(sys.argv[3])
rows = [tuple(map(float, line.split())) for line in open(path) if line.strip()]
after = [rss for t, rss in rows if t >= warmup]
if not after:
    print(f"{name}: ended before the warm-up ({len(rows)} samples)"); sys.exit(0)
base, peak = after[0], max(after)
print(f"{name}: {len(rows)} samples; RSS {base:.0f} MB after the warm-up ({warmup:.0f} s), "
      f"largest after it {peak:.0f} MB (+{peak - base:.0f} MB, {100 * (peak - base) / base:+.1f} %)")
PY
}

if [[ $stage != sample ]]; then
echo "soak: preparing the QM9 subset" >&2
"$rgdm" preprocess molecules datasets/qm9-subset/qm9-subset-3000.csv -o "$out/qm9.h5" > /dev/null

echo "soak: training for $hours h, RSS every minute" >&2
"$rgdm" train "$out/qm9.h5" --output "$out/run" --steps 100000000 --threads "$threads" --checkpoint-every 500 > "$out/train.log" 2>&1 &
train=$!
watch "$train" 60 "$(awk -v h="$hours" 'BEGIN { print int(h * 3600) }')" "$out/train.rss"
kill -INT "$train" 2>/dev/null || true; wait "$train" 2>/dev/null || true
echo "minute RSS(MB)"; awk '{ printf "%d %s\n", $1 / 60, $2 }' "$out/train.rss"
verdict "train ($hours h)" "$out/train.rss" 600
fi

if [[ $stage != train ]]; then
[[ -f $out/qm9.h5 ]] || "$rgdm" preprocess molecules datasets/qm9-subset/qm9-subset-3000.csv -o "$out/qm9.h5" > /dev/null

echo "soak: sampling $count molecules, RSS every 10 s" >&2
"$rgdm" sample --model "$model" --count "$count" --seed 0 --threads "$threads" ${steps:+--steps "$steps"} --output "$out/samples.sdf" > "$out/sample.log" 2>&1 &
sample=$!
watch "$sample" 10 999999 "$out/sample.rss"; wait "$sample"
verdict "sample ($count molecules)" "$out/sample.rss" 60

"$rgdm" evaluate molecules "$out/samples.sdf" --reference "$out/qm9.h5" > "$out/evaluate.log" 2>&1 &
evaluate=$!
watch "$evaluate" 10 999999 "$out/evaluate.rss"; wait "$evaluate"
verdict "evaluate ($count molecules)" "$out/evaluate.rss" 30
tail -n 5 "$out/evaluate.log"
fi
