#!/usr/bin/env bash
# Candidate molecules from the shipped QM9 model: N molecules as SDF (bonds from
# 3D by EDM's distance table), an HTML + JSON report with depictions, and the
# EDM metrics (stability, validity, uniqueness; novelty against QM9's
# training-split SMILES shipped beside the model).
#   bash examples/generate-molecules.sh [COUNT] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rgdm=$(bash scripts/build.sh)
count=${1:-100}
out=${2:-out/examples/molecules}
model=models/qm9-m.rgdm

"$rgdm" sample --model "$model" --count "$count" --output "$out/molecules.sdf" --seed 1 \
  --reference models/qm9-train-smiles.smi
# Other formats: the extension decides (.mol2, .xyz, .smi, .pdb).
"$rgdm" evaluate molecules "$out/molecules.sdf" --reference models/qm9-train-smiles.smi --json
echo "report: $out/molecules.report.html"
