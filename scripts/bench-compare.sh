#!/usr/bin/env bash
# Times `rgdm bench train` of two rgdm binaries in one run, alternating, so that a change can be
# checked against the binary before it: config S on 1 and 2 threads, config M on 2 threads.
# Prints the median wall and CPU seconds per step of each run.
#   bash scripts/bench-compare.sh OLD_RGDM NEW_RGDM [ROUNDS]
set -euo pipefail
old=$1 new=$2 rounds=${3:-3}
median() { python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f/%.4f" % (d["step_seconds_median"], d["cpu_seconds_median"]))'; }
echo "wall/CPU seconds per step (median)   S 1 thread   S 2 threads   M 2 threads"
for round in $(seq 1 "$rounds"); do
  for name in old new; do
    binary=$old; [ "$name" = new ] && binary=$new
    s1=$("$binary" bench train --threads 1 --steps 30 --no-profile --json | median)
    s2=$("$binary" bench train --threads 2 --steps 30 --no-profile --json | median)
    m2=$("$binary" bench train --layers 9 --hidden 256 --steps 5 --warmup 2 --threads 2 --no-profile --json | median)
    echo "round $round $name   $s1   $s2   $m2"
  done
done
