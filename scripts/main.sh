#!/usr/bin/env bash
# The main job: set up, build (release), then sample candidate molecules from the shipped QM9
# model steered toward stable, valid molecules (models/qm9-stable.rgdm), write them as SDF with
# an HTML + JSON report, and print the EDM metrics (novelty against QM9's training-split SMILES).
#   bash scripts/main.sh [COUNT] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rgdm=$(bash scripts/build.sh)
count=${1:-100}
out=${2:-out/main}
model=models/qm9-stable.rgdm

"$rgdm" info "$model" | sed -n '1,40p' | grep -E "steps|layers|hidden|parameters|epoch:" | sed 's/^/model: /'
"$rgdm" sample --model "$model" --count "$count" --output "$out/molecules.sdf" --seed 0 \
  --reference models/qm9-train-smiles.smi
echo "molecules: $out/molecules.sdf"
echo "report:    $out/molecules.report.html"
