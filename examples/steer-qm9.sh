#!/usr/bin/env bash
# The molecule experiments of the README, one command each, from the shipped QM9 model
# (models/qm9-m.rgdm) with the settings that made the shipped models (models/README.md):
#   bash examples/steer-qm9.sh qed     [OUTPUT_DIR]   # QED alone → OUTPUT_DIR/qm9-qed.rgdm (about 1 h)
#   bash examples/steer-qm9.sh stable  [OUTPUT_DIR]   # QED + molecule stability → qm9-stable.rgdm (about 1.5 h)
#   bash examples/steer-qm9.sh gap     [OUTPUT_DIR]   # toward a GFN2-xTB HOMO–LUMO gap of 9 eV (about 40 min)
# Each then samples 1,000 molecules with the default sampler and measures them as the README does
# (rgdm evaluate molecules, rgdm score --reward qed). Runs resume: the same command goes on after a
# stop. Needs the full QM9 set, data/qm9.h5 (bash scripts/fetch-qm9.sh; see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${RGDM:-}" ]]; then bash scripts/setup.sh; fi
rgdm=${RGDM:-$(bash scripts/build.sh)}
experiment=${1:?give qed, stable or gap}
out=${2:-out/examples/steer-qm9}
data=${DATA:-data/qm9.h5}
[[ -f $data ]] || { echo "steer-qm9.sh: $data is missing (the full QM9 set; set DATA to another rgdm molecule set)" >&2; exit 2; }
mkdir -p "$out"
common=(--method rgdm --batch 64 --data "$data" --data-batch 16 --reference models/qm9-train-smiles.smi --threads "${THREADS:-2}")

case $experiment in
  qed)
    "$rgdm" finetune --model models/qm9-m.rgdm --reward qed --output "$out/qed14" --temperature 0.01 --rounds 6 --pool 448 \
      --steps-per-round 400 --replay 16 --data-weight 0.25 --learning-rate 3e-4 --relax-pool 200 --seed 15 "${common[@]}"
    "$rgdm" finetune --model "$out/qed14/checkpoint.rgdm" --reward qed --output "$out/qed18" --temperature 0.01 --rounds 1 \
      --pool 448 --steps-per-round 400 --replay 16 --data-weight 0.25 --learning-rate 1e-4 --relax-pool 200 --seed 16 "${common[@]}"
    model=$out/qm9-qed.rgdm
    "$rgdm" export "$out/qed18/checkpoint.rgdm" --output "$model" ;;
  stable)
    "$rgdm" finetune --model models/qm9-m.rgdm --reward "qed + molecule-stability" --output "$out/qed12" --temperature 0.02 \
      --rounds 8 --pool 448 --steps-per-round 150 --replay 32 --data-weight 1 --learning-rate 1e-4 --relax-pool 200 --seed 11 "${common[@]}"
    model=$out/qm9-stable.rgdm
    "$rgdm" export "$out/qed12/checkpoint.rgdm" --output "$model" ;;
  gap)
    "$rgdm" finetune --model models/qm9-m.rgdm --reward "target(xtb-gap, 9)" --output "$out/gap" --temperature 0.5 --rounds 5 \
      --pool 128 --steps-per-round 100 --replay 16 --data-weight 0.5 --learning-rate 2e-4 "${common[@]}"
    echo "steer-qm9.sh: the gap run's rounds (mean |gap − 9 eV| of valid molecules) are in $out/gap/report.html"
    exit 0 ;;
  *) echo "steer-qm9.sh: unknown experiment '$experiment' (qed, stable or gap)" >&2; exit 2 ;;
esac

"$rgdm" sample --model "$model" --count 1000 --seed 0 --reference models/qm9-train-smiles.smi --output "$out/$experiment-1000.sdf"
"$rgdm" evaluate molecules "$out/$experiment-1000.sdf" --reference models/qm9-train-smiles.smi
"$rgdm" score "$out/$experiment-1000.sdf" --reward qed -o "$out/$experiment-1000.scored.sdf"
