#!/usr/bin/env bash
# The measurements of "Property guidance of shapes" and "Pseudo-labelled class conditioning" in
# Sources/Pipeline/README.md: noise-aware latent models of height and class, guided samples, and
# class-conditional priors on a labelled share, on the procedural set with the shipped shapes model,
# one thread (about 18 minutes on two shared cores).
#   bash scripts/shape-property.sh [OUT] [RGDM] [DATASET] [MODEL] [INDEPENDENT-CLASSIFIER]
set -euo pipefail
cd "$(dirname "$0")/.."
O=${1:-runs/shape-property} R=${2:-.build/release/rgdm} D=${3:-datasets/cache/shapes/procedural512.h5}
M=${4:-models/shapes-lp.rgdm} IND=${5:-runs/classifier/pointnet-max-s1.rgdm}
mkdir -p "$O"
t() { /usr/bin/time -f "%e s wall" "$@"; }
airplanes() {  # airplanes NAME: classes by the independent classifier, and 1-NNA/COV/MMD against the test airplanes
  nice "$R" classify --model "$IND" "$O/$1.h5" > "$O/$1.classes.tsv" 2>/dev/null
  nice "$R" evaluate shapes "$O/$1.h5" --reference "$D" --category airplane --generated-split test --limit 200 --no-emd \
    --threads 1 --json > "$O/$1.airplane-test.json" 2> "$O/eval-$1.log"
}
# Noise-aware models of the shipped model's latents.
for p in height class; do
  t nice "$R" train-property "$D" --property $p --noise-aware --guides "$M" --steps 3000 --threads 1 --seed 1 \
    -o "$O/$p-na.rgdm" > "$O/$p-na.log" 2>&1
done
# Toward a height (w = 0: the plain chain, same seed); toward airplanes.
for spec in "5.5 0" "5.5 1" "5.5 4" "1.5 4"; do set -- $spec
  t nice "$R" sample --model "$M" --property-model "$O/height-na.rgdm" --target $1 --guidance $2 --count 100 --seed 11 \
    --threads 1 -o "$O/height-$1-w$2.h5" > "$O/height-$1-w$2.log" 2>&1
  nice "$R" classify --model "$IND" "$O/height-$1-w$2.h5" > "$O/height-$1-w$2.classes.tsv" 2>/dev/null
done
for w in 1 3; do
  t nice "$R" sample --model "$M" --property-model "$O/class-na.rgdm" --class airplane --guidance $w --count 200 --seed 11 \
    --threads 1 -o "$O/airplane-w$w.h5" > "$O/airplane-w$w.log" 2>&1
  airplanes airplane-w$w
done
# Class-conditional priors on a labelled share (the rest pseudo-labelled) and on every label.
COMMON=(--initialize-from "$M" --class-condition --condition-dropout 0.1 --phase prior --prior-target mean
        --prior-widths 1024,1024,1024,1024 --prior-draws 8 --batch 64 --learning-rate 5e-4 --ema-decay 0.995 --threads 1 --seed 1)
for f in 0.0005 0.001 0.002 0.005; do   # the labels' agreement only: they are made before the first step
  nice "$R" train "$D" --output "$O/labels-f$f" --labelled-fraction $f --steps 1 "${COMMON[@]}" > "$O/labels-f$f.log" 2>&1
done
for f in 1 0.05 0.001; do
  t nice "$R" train "$D" --output "$O/cond-f$f" --labelled-fraction $f --steps 400 --checkpoint-every 400 "${COMMON[@]}" \
    > "$O/cond-f$f.log" 2>&1
  t nice "$R" sample --model "$O/cond-f$f/checkpoint.rgdm" --class airplane --guidance 1 --count 200 --seed 11 --threads 1 \
    -o "$O/cond-f$f-airplane.h5" > "$O/cond-f$f-sample.log" 2>&1
  airplanes cond-f$f-airplane
done
for f in "$O"/height-*-w*.log "$O"/airplane-w*.log; do grep -h "property guidance" "$f"; done
for f in "$O"/*.airplane-test.json; do echo "$f $(cat "$f")"; done
for f in "$O"/labels-f*/checkpoint.rgdm "$O"/cond-f*/checkpoint.rgdm; do echo "$f"; "$R" info "$f" | grep -E "labelled_shapes|agreement" || true; done
