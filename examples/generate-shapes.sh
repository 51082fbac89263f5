#!/usr/bin/env bash
# Shape generation from the command line: the procedural shape set (SYNTHETIC
# chairs, tables, airplanes, lamps, mugs), then samples from the shipped shapes
# model, written as HDF5 and PLY, scored with MMD / COV / 1-NNA against the
# held-out split.
#   bash examples/generate-shapes.sh [COUNT] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rgdm=$(bash scripts/build.sh)
count=${1:-32}
out=${2:-out/examples/shapes}
mkdir -p "$out"
model=$(ls models/shapes*.rgdm | head -n 1)
points=$("$rgdm" info "$model" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["node_counts"]["max"])')

# The held-out reference: the same generator and seed as the model's training set.
"$rgdm" preprocess shapes --procedural --per-category 200 --points "$points" --seed 0 --output "$out/procedural.h5"
"$rgdm" sample --model "$model" --count "$count" --output "$out/samples.h5" --seed 1
"$rgdm" convert "$out/samples.h5" "$out/sample-0.ply" 2>/dev/null || true
"$rgdm" evaluate shapes "$out/samples.h5" --reference "$out/procedural.h5" --split test --json
echo "report: $out/samples.report.html"
