#!/usr/bin/env bash
# Data-parallel training benchmark: `rgdm bench data-parallel` for configs S (4 layers, hidden
# 64) and M (9 layers, hidden 256) at global batch 64, on 1 rank × 1 thread, 1 rank × 2 threads
# and 2 ranks × 1 thread (mpirun on loopback). On a 2-core machine, 2 ranks × 1 thread against
# 1 rank × 2 threads is the fair comparison: the same cores, split by MPI or by threads.
# Prints one JSON line per run, then a table with the speed-up, the scaling efficiency over 1
# rank × 1 thread, and the all-reduce's time and volume per step.
#
# Usage: [CONFIGS="S M"] [STEPS_S=20] [STEPS_M=6] [BATCH=64] [RGDM=path] bash scripts/bench-data-parallel.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RGDM=${RGDM:-$(bash "$ROOT/scripts/build.sh")}
CONFIGS=${CONFIGS:-"S M"}
BATCH=${BATCH:-64}
OUT=${OUT:-$(mktemp -d)/bench-data-parallel.jsonl}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1   # containers run as root
command -v mpirun >/dev/null || { echo "mpirun not found: bash scripts/setup.sh installs Open MPI" >&2; exit 1; }

for config in $CONFIGS; do
    case $config in
        S) shape=(--layers 4 --hidden 64); steps=${STEPS_S:-20} ;;
        M) shape=(--layers 9 --hidden 256); steps=${STEPS_M:-6} ;;
        *) echo "unknown config $config (S or M)" >&2; exit 2 ;;
    esac
    common=(bench data-parallel "${shape[@]}" --batch "$BATCH" --steps "$steps" --warmup 2 --json)
    "$RGDM" "${common[@]}" --threads 1 | sed "s/^{/{\"label\":\"$config 1x1\",/" | tee -a "$OUT"
    "$RGDM" "${common[@]}" --threads 2 | sed "s/^{/{\"label\":\"$config 1x2\",/" | tee -a "$OUT"
    mpirun --oversubscribe --bind-to none -np 2 "$RGDM" "${common[@]}" --threads 1 \
        | sed "s/^{/{\"label\":\"$config 2x1\",/" | tee -a "$OUT"
done

python3 - "$OUT" <<'PY'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
base = {r["label"].split()[0]: r for r in runs if r["label"].endswith("1x1")}
print("measured wall time per step (shared machine: other load slows every row):")
print(f"{'config':6} {'ranks×threads':>13} {'params':>9} {'s/step':>8} {'speed-up':>9} {'efficiency':>10} {'all-reduce s/step':>18} {'MB sent/step':>13}")
for r in runs:
    config, layout = r["label"].split()
    ranks, threads = map(int, layout.split("x"))
    speedup = base[config]["step_seconds_median"] / r["step_seconds_median"]
    print(f"{config:6} {layout:>13} {r['parameters']:>9} {r['step_seconds_median']:8.4f} {speedup:9.2f} "
          f"{speedup / (ranks * threads):10.2f} {r['all_reduce_seconds_per_step']:18.5f} {r['all_reduce_bytes_per_step'] / 1e6:13.3f}")
print("profiled phases (CPU time of each rank's part, transfer between barriers), ranks × 1 thread:")
print(f"{'config':6} {'ranks':>5} {'part CPU s by rank':>22} {'transfer s':>11} {'(min)':>8} {'projected s/step':>17} {'speed-up':>9} {'efficiency':>10}")
for r in runs:
    config, layout = r["label"].split()
    ranks, threads = map(int, layout.split("x"))
    if threads != 1: continue
    one = base[config]["projected_step_seconds"]
    speedup = one / r["projected_step_seconds"]
    parts = ", ".join(f"{p:.4f}" for p in r["part_cpu_seconds_by_rank"])
    print(f"{config:6} {ranks:>5} {parts:>22} {r['transfer_seconds']:11.5f} {r['transfer_seconds_min']:8.5f} {r['projected_step_seconds']:17.4f} {speedup:9.2f} {speedup / ranks:10.2f}")
PY
echo "runs: $OUT" >&2
