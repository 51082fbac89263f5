#!/usr/bin/env bash
# Class steering of shapes from the command line: fine-tune the shipped shapes model's latent prior
# (models/shapes-lp.rgdm; the decoder stays frozen) toward one class by RGDM, with the shipped
# classifier's log-probability of the class as the reward (models/shapes-classifier.rgdm); then
# sample the base and the steered model alike and report, for each, the share of samples that an
# independently trained classifier (models/shapes-classifier-b.rgdm, never a reward) assigns to the
# class, and 1-NNA / COV / MMD (Chamfer) against that class's held-out test shapes.
#   bash examples/steer-shapes.sh [CLASS] [OUTPUT_DIR]
# CLASS: airplane (default), chair, lamp, mug or table. The default budget is small so it runs in
# minutes (2 rounds of 64 shapes, 100 samples); ROUNDS, POOL, STEPS_PER_ROUND and COUNT raise it
# (models/README.md's shapes-rgdm-airplane.rgdm: 5 rounds of 192, 60 steps a round, 500 samples).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rgdm=$(bash scripts/build.sh)
class=${1:-airplane}
out=${2:-out/examples/steer-shapes-$class}
rounds=${ROUNDS:-2}
pool=${POOL:-64}
steps=${STEPS_PER_ROUND:-20}
count=${COUNT:-100}
threads=${THREADS:-2}
mkdir -p "$out"

# The procedural set the shipped model was trained on (seeded, ~30 s); its test split is the reference.
[ -f "$out/procedural.h5" ] ||
  "$rgdm" preprocess shapes --procedural --points 512 --seed 0 --output "$out/procedural.h5"

# RGDM with τ = 1: the target p_base(X)·p(class | X) is the base model's own shapes of the class.
rm -rf "$out/rgdm"
"$rgdm" finetune --model models/shapes-lp.rgdm --reward "class($class, models/shapes-classifier.rgdm)" \
  --method rgdm --temperature 1 --rounds "$rounds" --pool "$pool" --steps-per-round "$steps" \
  --batch 64 --pool-batch 32 --learning-rate 2e-4 --seed 1 --threads "$threads" --output "$out/rgdm"

report() { # name model
  local name=$1 model=$2
  "$rgdm" sample --model "$model" --count "$count" --seed 11 --threads "$threads" --output "$out/$name.h5" >&2
  "$rgdm" classify --model models/shapes-classifier-b.rgdm "$out/$name.h5" > "$out/$name.classes.tsv" 2>/dev/null
  "$rgdm" evaluate shapes "$out/$name.h5" --reference "$out/procedural.h5" --category "$class" \
    --generated-split test --limit "$count" --no-emd --json > "$out/$name.$class-test.json" 2>/dev/null
  local share
  share=$(awk -F'\t' -v c="$class" 'NR > 1 { n++; if ($2 == c) k++ } END { printf "%.3f (%d/%d)", k / n, k, n }' \
    "$out/$name.classes.tsv")
  sed -E 's/.*"cov_cd":([^,]*).*"mmd_cd":([^,]*).*"nna_cd":([^,]*).*/\3 \1 \2/' "$out/$name.$class-test.json" |
    awk -v n="$name" -v s="$share" '{ printf "| %s | %s | %.3f | %.3f | %.5f |\n", n, s, $1, $2, $3 }'
}

{
  echo "| model | $class share (independent classifier) | 1-NNA-CD ↓ | COV-CD ↑ | MMD-CD ↓ |"
  echo "|---|---|---|---|---|"
  report base models/shapes-lp.rgdm
  report rgdm "$out/rgdm/checkpoint.rgdm"
} | tee "$out/table.md"
echo "table: $out/table.md; samples: $out/base.h5, $out/rgdm.h5; the run's report: $out/rgdm/report.html"
