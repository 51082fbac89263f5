#!/usr/bin/env bash
# RGDM beside its baselines at the same reward and the same number of reward evaluations
# (ROUNDS × POOL each): best-of-N from the base model, RAFT, DDPO, guidance by a surrogate
# reward model, and sample-level RGDM, all from the shipped QM9 model. Each run's folder holds log.jsonl (a line per round: mean and
# top-10 % reward, validity, uniqueness, novelty, evaluations spent), best.sdf and report.html;
# the last lines print each method's final round.
#   bash examples/compare-steering.sh [REWARD] [ROUNDS] [POOL] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rgdm=$(bash scripts/build.sh)
reward=${1:-qed}
rounds=${2:-4}
pool=${3:-64}
out=${4:-out/examples/steering}
model=models/qm9-m.rgdm
reference=models/qm9-train-smiles.smi
# Pools drawn by rgdm sample's default chain (201 network calls a molecule); DDPO's policy is
# EDM's ancestral chain, on 100 strided steps. Each method's cost is mostly these chains.
common=(--model "$model" --reward "$reward" --rounds "$rounds" --pool "$pool" --reference "$reference" --seed 1)
mkdir -p "$out"

# Best-of-N: the same budget of samples from the base model, the best kept by reward.
"$rgdm" sample --model "$model" --count $((rounds * pool)) \
  --output "$out/best-of-n/samples.sdf" --seed 1 --reference "$reference" >/dev/null
"$rgdm" score "$out/best-of-n/samples.sdf" --reward "$reward" -o "$out/best-of-n/scored.sdf" | tee "$out/best-of-n/score.txt"

# Surrogate guidance (the reviewers' baseline): a noise-aware EGNN regressor of the reward,
# trained on best-of-N's scored samples (the same evaluations; a failure labelled with the
# floor), whose gradient guides the base model's chain toward a high value (TARGET, default
# the best reward best-of-N found).
surrogate=$out/surrogate
mkdir -p "$surrogate"
"$rgdm" preprocess molecules "$out/best-of-n/scored.sdf" --property reward_floored \
  --output "$surrogate/labelled.h5" >/dev/null
"$rgdm" train-property "$surrogate/labelled.h5" --property reward_floored --noise-aware --epochs 60 \
  --guides "$model" --output "$surrogate/surrogate.rgdm" --seed 1 | tail -n 2
target=${TARGET:-$(awk '$1 == "best" { print $2 }' "$out/best-of-n/score.txt")}
"$rgdm" sample --model "$model" --property-model "$surrogate/surrogate.rgdm" --target "$target" \
  --guidance "${GUIDANCE:-1}" --count "$pool" --seed 1 --output "$surrogate/samples.sdf" >/dev/null
"$rgdm" score "$surrogate/samples.sdf" --reward "$reward" -o "$surrogate/scored.sdf" | tee "$surrogate/score.txt"

"$rgdm" finetune "${common[@]}" --method raft --keep-fraction 0.1 --output "$out/raft"
"$rgdm" finetune "${common[@]}" --method ddpo --output "$out/ddpo" --steps 100
"$rgdm" finetune "${common[@]}" --method rgdm --temperature 0.01 --output "$out/rgdm"

"$rgdm" compare "$out/raft" "$out/ddpo" "$out/rgdm" --output "$out/compare"
echo "best-of-N over $((rounds * pool)) samples: $(grep -E '^(mean|top 10)' "$out/best-of-n/score.txt" | tr -s ' ' | paste -sd ';')"
echo "surrogate guidance, $pool samples: $(grep -E '^(mean|top 10)' "$surrogate/score.txt" | tr -s ' ' | paste -sd ';')"
