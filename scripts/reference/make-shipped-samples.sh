#!/usr/bin/env bash
# Writes the fixtures of ShippedModelSamplesTests: a few samples from each shipped model with a
# fixed seed and a short chain, drawn by the rgdm binary given (default: this tree's debug build,
# the build the test suite runs: release builds round some sums differently).
# The test draws the same samples with the code under test and requires them to be identical, so
# a refactor that changes what the shipped models generate fails it. Regenerate only when a change
# of the samples is intended, and say why in the commit.
#   bash scripts/reference/make-shipped-samples.sh [RGDM_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
rgdm=${1:-.build/debug/rgdm}
out=Tests/PipelineTests/Fixtures/shipped-samples
mkdir -p "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# rgdm runs OpenBLAS on one thread per worker; pin it here too, for binaries that did not. The
# kernels are pinned as ShippedModelSamplesTests pins them: OpenBLAS picks them by CPU, and its
# AVX-512 ones round some sums differently.
export OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell
# Keep these arguments in step with ShippedModelSamplesTests.
for name in qm9-m qm9-stable qm9-qed; do
  "$rgdm" sample --model models/$name.rgdm --count 2 --seed 3 --sampler ancestral --steps 20 \
    --corrector-steps 2 --corrector-levels 5 --threads 1 --output "$tmp/$name.xyz" >/dev/null
done
while read -r name target weight clip; do
  "$rgdm" sample --model models/$name.rgdm --target "$target" --property-model models/$name-guide.rgdm \
    --property-weight "$weight" --guidance-clip "$clip" --count 2 --seed 3 --sampler ancestral --steps 20 \
    --corrector-steps 2 --corrector-levels 5 --threads 1 --output "$tmp/$name.xyz" >/dev/null
done <<'MODELS'
qm9-cond-mu 3 10 1
qm9-cond-alpha 80 10 0.25
MODELS
"$rgdm" sample --model models/shapes-lp.rgdm --count 2 --seed 3 --sampler ancestral --steps 20 \
  --latent-steps 20 --threads 1 --output "$tmp/shapes-lp.h5" >/dev/null
cp "$tmp/qm9-m.xyz" "$tmp/qm9-stable.xyz" "$tmp/qm9-qed.xyz" "$tmp/qm9-cond-mu.xyz" "$tmp/qm9-cond-alpha.xyz" "$tmp/shapes-lp.h5" "$out/"
echo "wrote $out/qm9-m.xyz, $out/qm9-stable.xyz, $out/qm9-qed.xyz, $out/qm9-cond-mu.xyz, $out/qm9-cond-alpha.xyz and $out/shapes-lp.h5"
