#!/usr/bin/env bash
# Class steering of shapes from the command line, every method in one command. From the shipped
# shapes model (models/shapes-lp.rgdm; only its latent prior is trained, the decoder stays frozen):
#   rgdm  — RGDM fine-tuning toward the class, the shipped classifier's log-probability of the
#           class as the reward (models/shapes-classifier.rgdm);
#   raft  — RAFT (the best fifth of each pool) at the same budget and reward;
#   ddpo  — DDPO at the same budget and reward (the prior's chain on 100 strided ancestral steps is
#           the policy; its samples are drawn on that chain, which its checkpoint records);
#   best-of-n — the same number of shapes drawn from the base model, the best kept (never trained:
#           in `rgdm compare`, not in the table);
#   rgdm-step — step-level RGDM (not in the default METHODS: slower, and weaker at this budget):
#           exploratory draws around the prior's reverse steps from the set's latents, STEP_STEPS
#           steps of 4 latents × 8 draws, by default the others' budget (ROUNDS × POOL / 32 steps);
#   cond  — the class-conditional baseline: the prior widened with class channels and trained on the
#           procedural train split with condition dropout (COND_STEPS steps), sampled with
#           classifier-free guidance w = GUIDANCE.
# Then samples from the base model and each method alike, and for each the share of samples that an
# independently trained classifier (models/shapes-classifier-b.rgdm, never a reward) assigns to the
# class, and 1-NNA / COV / MMD (Chamfer) against that class's held-out test shapes: a table
# (table.md), `rgdm compare` of the fine-tuning runs, and a page of pictures side by side (gallery.html).
#   bash examples/steer-shapes.sh [CLASS] [OUTPUT_DIR]
# CLASS: airplane (default), chair, lamp, mug or table. The default budget is small so it runs in
# minutes (2 rounds of 64 shapes, 200 conditional steps, 100 samples); ROUNDS, POOL,
# STEPS_PER_ROUND, COND_STEPS and COUNT raise it (models/README.md: 5 rounds of 192, 60 steps a
# round, 1,600 conditional steps, 500 samples). METHODS="rgdm" runs RGDM alone; the default is
# "rgdm raft ddpo best-of-n cond".
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
cond_steps=${COND_STEPS:-200}
guidance=${GUIDANCE:-1}
step_steps=${STEP_STEPS:-$(( rounds * pool / 32 > 0 ? rounds * pool / 32 : 1 ))}
methods=${METHODS:-rgdm raft ddpo best-of-n cond}
mkdir -p "$out"

# The procedural set the shipped model was trained on (seeded, ~30 s); its test split is the reference.
[ -f "$out/procedural.h5" ] ||
  "$rgdm" preprocess shapes --procedural --points 512 --seed 0 --output "$out/procedural.h5"

# RGDM with τ = 1: the target p_base(X)·p(class | X) is the base model's own shapes of the class.
finetune() { # method, extra options
  local method=$1; shift
  rm -rf "$out/$method"
  "$rgdm" finetune --model models/shapes-lp.rgdm --reward "class($class, models/shapes-classifier.rgdm)" \
    --method "$method" "$@" --pool "$pool" --pool-batch 32 --seed 1 --threads "$threads" --output "$out/$method"
}
sampleLevel=(--rounds "$rounds" --steps-per-round "$steps" --batch 64 --learning-rate 2e-4)
case " $methods " in *" rgdm "*) finetune rgdm --temperature 1 "${sampleLevel[@]}" ;; esac
case " $methods " in *" raft "*) finetune raft --keep-fraction 0.2 "${sampleLevel[@]}" ;; esac
case " $methods " in *" ddpo "*) finetune ddpo --rounds "$rounds" --steps 100 --batch 64 --learning-rate 2e-4 ;; esac
case " $methods " in *" best-of-n "*) finetune best-of-n --rounds "$rounds" ;; esac
case " $methods " in *" rgdm-step "*)
  finetune rgdm-step --temperature 1 --data "$out/procedural.h5" --batch 4 --training-steps "$step_steps" \
    --evaluate-every $(( step_steps / 2 > 0 ? step_steps / 2 : 1 )) --learning-rate 2e-4 ;;
esac
# The class-conditional prior starts as the base prior (its class channels at zero) on the same data.
case " $methods " in *" cond "*)
  rm -rf "$out/cond"
  "$rgdm" train "$out/procedural.h5" --output "$out/cond" --initialize-from models/shapes-lp.rgdm --class-condition \
    --condition-dropout 0.1 --phase prior --prior-target mean --prior-widths 1024,1024,1024,1024 --prior-draws 8 \
    --batch 64 --learning-rate 5e-4 --ema-decay 0.995 --steps "$cond_steps" --threads "$threads" --seed 1 ;;
esac

report() { # name model [sample options]
  local name=$1 model=$2; shift 2
  "$rgdm" sample --model "$model" "$@" --count "$count" --seed 11 --threads "$threads" --output "$out/$name.h5" >&2
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
  for method in $methods; do
    case $method in
      best-of-n) ;;
      cond) report "cond-w$guidance" "$out/cond/checkpoint.rgdm" --class "$class" --guidance "$guidance" ;;
      *) report "$method" "$out/$method/checkpoint.rgdm" ;;
    esac
  done
} | tee "$out/table.md"
runs=$(for m in $methods; do [ "$m" = cond ] || echo "$out/$m"; done)
[ -z "$runs" ] || "$rgdm" compare $runs --output "$out/compare" > "$out/compare.md"
sets=$(for m in base $methods; do [ "$m" = best-of-n ] && continue; [ "$m" = cond ] && m="cond-w$guidance"; echo "$m=$out/$m.h5"; done)
"$rgdm" gallery $sets --per-set 8 --title "steering toward $class" --output "$out/gallery" >&2
echo "table: $out/table.md; fine-tuning runs: $out/compare.md, $out/compare.html; pictures: $out/gallery.html"
