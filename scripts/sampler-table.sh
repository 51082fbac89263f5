#!/usr/bin/env bash
# Runs every sampler setting of models/README.md's sampler table on COUNT molecules of the shipped
# QM9 model (--seed 0, novelty against the training SMILES) and appends one row per setting to
# OUT/results.tsv: name, count, wall seconds, network calls per molecule, options, metrics JSON.
# Settings already in results.tsv with COUNT molecules are skipped, so an interrupted run resumes;
# the cheap chains come first, the three 1,000-step chains last.
#   bash scripts/sampler-table.sh [COUNT] [OUT] [RGDM]      (default: 1000, out/sampler-table, release build)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000} out=${2:-out/sampler-table} rgdm=${3:-.build/release/rgdm}
mkdir -p "$out"; touch "$out/results.tsv"
settings=(
  "anc-100|--sampler ancestral --steps 100 --corrector-steps 0"
  "anc-100-p2|--sampler ancestral --steps 100 --grid power:2 --corrector-steps 0"
  "ddim-100|--sampler ddim --steps 100"
  "dpm-100-p2|--sampler dpm-solver++ --steps 100 --grid power:2"
  "sde-100-logsnr|--sampler sde-dpm-solver++ --steps 100 --grid log-snr"
  "sde-100-p2|--sampler sde-dpm-solver++ --steps 100 --grid power:2"
  "sde1.5-100-uni|--sampler sde-dpm-solver++ --steps 100 --grid uniform --eta 1.5"
  "sde2-100-uni|--sampler sde-dpm-solver++ --steps 100 --grid uniform --eta 2"
  "sde3-130-p2|--sampler sde-dpm-solver++ --steps 130 --grid power:2 --eta 3"
  "sde3-130-p3|--sampler sde-dpm-solver++ --steps 130 --grid power:3 --eta 3"
  "sde3-130-p3-o1|--sampler sde-dpm-solver++ --steps 130 --grid power:3 --eta 3 --order 1"
  "anc60-pc6x200|--sampler ancestral --steps 60 --corrector-steps 6 --corrector-levels 200 --corrector-snr 0.5"
  "anc50-pc10x200|--sampler ancestral --steps 50 --corrector-steps 10 --corrector-levels 200 --corrector-snr 0.5"
  "sde4-150-p3|--sampler sde-dpm-solver++ --steps 150 --grid power:3 --eta 4"
  "sde5-150-p3|--sampler sde-dpm-solver++ --steps 150 --grid power:3 --eta 5"
  "sde6-150-p3|--sampler sde-dpm-solver++ --steps 150 --grid power:3 --eta 6"
  "anc100-pc3x200-lo20|--sampler ancestral --steps 100 --corrector-steps 3 --corrector-levels 200 --corrector-lowest-level 20 --corrector-snr 0.5"
  "anc100-pc3x200|--sampler ancestral --steps 100 --corrector-steps 3 --corrector-levels 200 --corrector-snr 0.5"
  "anc100-pc3x100-r0.4|--sampler ancestral --steps 100 --corrector-steps 3 --corrector-levels 100 --corrector-snr 0.4"
  "anc100p2-pc2x200-r0.4|--sampler ancestral --steps 100 --grid power:2 --corrector-steps 2 --corrector-levels 200 --corrector-snr 0.4"
  "anc100-pc2x400|--sampler ancestral --steps 100 --corrector-steps 2 --corrector-levels 400 --corrector-snr 0.5"
  "anc100-pc3x300|--sampler ancestral --steps 100 --corrector-steps 3 --corrector-levels 300 --corrector-snr 0.5"
  "anc100-pc5x200|--sampler ancestral --steps 100 --corrector-steps 5 --corrector-levels 200 --corrector-snr 0.5"
  "sde2-200-p2|--sampler sde-dpm-solver++ --steps 200 --grid power:2 --eta 2"
  "sde3-200-p2|--sampler sde-dpm-solver++ --steps 200 --grid power:2 --eta 3"
  "sde3-200-p3|--sampler sde-dpm-solver++ --steps 200 --grid power:3 --eta 3"
  "sde5-200-p3|--sampler sde-dpm-solver++ --steps 200 --grid power:3 --eta 5"
  "anc80p2-pc4x200-r0.35|--sampler ancestral --steps 80 --grid power:2 --corrector-steps 4 --corrector-levels 200 --corrector-snr 0.35"
  "anc100p2-pc3x200-r0.3|--sampler ancestral --steps 100 --grid power:2 --corrector-steps 3 --corrector-levels 200 --corrector-snr 0.3"
  "anc120-pc4x250-r0.45|--sampler ancestral --steps 120 --corrector-steps 4 --corrector-levels 250 --corrector-snr 0.45"
  "anc150-pc3x200|--sampler ancestral --steps 150 --corrector-steps 3 --corrector-levels 200"
  "anc150-pc3x200-r0.4|--sampler ancestral --steps 150 --corrector-steps 3 --corrector-levels 200 --corrector-snr 0.4"
  "anc150-pc3x200-r0.5|--sampler ancestral --steps 150 --corrector-steps 3 --corrector-levels 200 --corrector-snr 0.5"
  "sde3-250-p3|--sampler sde-dpm-solver++ --steps 250 --grid power:3 --eta 3"
  "sde5-250-p3|--sampler sde-dpm-solver++ --steps 250 --grid power:3 --eta 5"
  "anc100p2-pc4x200-r0.3|--sampler ancestral --steps 100 --grid power:2 --corrector-steps 4 --corrector-levels 200 --corrector-snr 0.3"
  "anc100-pc9x200-r0.3|--sampler ancestral --steps 100 --corrector-steps 9 --corrector-levels 200 --corrector-snr 0.3"
  "anc200-pc2x200|--sampler ancestral --steps 200 --corrector-steps 2 --corrector-levels 200 --corrector-snr 0.5"
  "plain-1000|--sampler ancestral --steps 1000 --corrector-steps 0"
  "pc-1601|--sampler ancestral"
  "ddim-1000|--sampler ddim --steps 1000"
)
for entry in "${settings[@]}"; do
  name=${entry%%|*}; options=${entry#*|}
  if awk -F'\t' -v n="$name" -v c="$count" '$1 == n && $2 == c { found = 1 } END { exit !found }' "$out/results.tsv"; then continue; fi
  read -r -a arguments <<< "$options"
  start=$(date +%s.%N)
  metrics=$("$rgdm" sample --model models/qm9-m.rgdm --count "$count" --seed 0 --reference models/qm9-train-smiles.smi \
    --json --output "$out/$name.sdf" "${arguments[@]}" 2>/dev/null | tail -n 1)
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  calls=$(grep -o '"network_calls_per_sample" *: *[0-9]*' "$out/$name.report.json" | grep -o '[0-9]*$')
  printf "%s\t%s\t%.1f\t%s\t%s\t%s\n" "$name" "$count" "$seconds" "$calls" "$options" "$metrics" >> "$out/results.tsv"
  echo "$name: $calls calls, $metrics"
done
