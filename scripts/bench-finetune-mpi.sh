#!/usr/bin/env bash
# rgdm finetune rounds over MPI ranks on models/qm9-m.rgdm (Sources/Cluster/README.md, "Measured
# here"): 2 rounds of a pool of 32 (chunks of 8), 4 steps of 16 a round, QED, ancestral 50 steps,
# on 1 rank × 1 thread, 1 rank × 2 threads and 2 ranks × 1 thread. Prints each run's seconds of
# sampling, scoring and training (the log's closing timing line), each rank's CPU seconds
# (/usr/bin/time: the rank's own process, not its reward workers), the load average around it,
# and the largest relative difference of the step losses from the 1 × 1 run.
#   nice swift build -c release && nice bash scripts/bench-finetune-mpi.sh [scratch]
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
rgdm=$PWD/.build/release/rgdm
scratch=${1:-$(mktemp -d)}
mkdir -p "$scratch"
common=(finetune --model models/qm9-m.rgdm --reward qed --pool 32 --pool-batch 8 --rounds 2 --steps-per-round 4
        --batch 16 --sampler ancestral --steps 50 --seed 3 --log-every 1)
for config in "1 1" "1 2" "2 1"; do
    set -- $config
    out=$scratch/r$1-t$2; rm -rf "$out"
    load=$(cut -d' ' -f1 /proc/loadavg)
    mpirun --oversubscribe --bind-to none -np "$1" /usr/bin/time -f "rank CPU %U s user %S s system, %e s wall" \
        "$rgdm" "${common[@]}" --threads "$2" --output "$out" > "$out.out" 2> "$out.err"
    echo "== $1 rank(s) × $2 thread(s), load average $load → $(cut -d' ' -f1 /proc/loadavg)"
    grep "rank CPU" "$out.err"
    python3 - "$out/log.jsonl" "$scratch/r1-t1/log.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
timing = next(l for l in lines if l.get("event") == "timing")
print("   ", ", ".join(f"{k} {timing[k]:.2f}" for k in ("sampling_seconds", "scoring_seconds", "training_seconds", "seconds")))
rounds = [(round(l["reward_mean"], 6), l["reward_evaluations"]) for l in lines if l.get("event") == "round"]
losses = lambda p: [json.loads(l)["loss"] for l in open(p) if '"event"' not in l]
a, b = losses(sys.argv[1]), losses(sys.argv[2])
print(f"    rounds (reward mean, evaluations) {rounds}; losses' largest relative difference from 1 × 1:",
      f"{max(abs(x - y) / abs(y) for x, y in zip(a, b)):.1e}")
PY
done
