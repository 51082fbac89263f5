#!/usr/bin/env bash
# Dataset preprocessing: a SMILES file → 3D structures (Open Babel: hydrogens,
# OBBuilder coordinates, MMFF94 minimisation) → one HDF5 training set with a
# seeded split, a rejects file and a summary. Uses FreeSolv (642 molecules).
#   bash examples/preprocess-smiles.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --freesolv
rgdm=$(bash scripts/build.sh)
out=${1:-out/examples/freesolv}
mkdir -p "$out"

"$rgdm" preprocess molecules datasets/cache/freesolv/freesolv.smi --output "$out/freesolv.h5"
"$rgdm" info "$out/freesolv.h5"
echo "rejected records (if any): $out/freesolv.rejects.tsv"
head -n 5 "$out/freesolv.rejects.tsv" 2>/dev/null || true
# The same training set is ready for: "$rgdm" train "$out/freesolv.h5" --output "$out/run" --epochs 50
