#!/usr/bin/env bash
# Builds the shape training sets into datasets/cache/shapes/ (git-ignored):
#   procedural.h5  SYNTHETIC categorised shapes (chair, table, airplane, lamp, mug; PER_CATEGORY each,
#                  default 2000), meshes built from primitives with random proportions
#                  (Sources/PointCloud/Meshes/ProceduralShapes.swift), surface-sampled, seeded;
#   cgal.h5        the real meshes and point sets Debian's libcgal-demo ships (data.tar.gz: bunny,
#                  armadillo, dragon, animals, an airplane, …), one category "cgal"; files that
#                  cannot be read are listed with reasons in cgal.rejects.tsv.
# Both: POINTS (default 2048) points per shape, shape_unit normalisation, 80/10/10 split, SEED (default 0).
#   bash scripts/make-shapes-dataset.sh
set -euo pipefail
cd "$(dirname "$0")/.."
per_category=${PER_CATEGORY:-2000}
points=${POINTS:-2048}
seed=${SEED:-0}
scratch=${SCRATCH:-.build}
out=datasets/cache/shapes
mkdir -p "$out" datasets/cache

swift build -c release --scratch-path "$scratch" --product rgdm >&2
rgdm="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/rgdm"

"$rgdm" preprocess shapes --procedural --per-category "$per_category" --points "$points" --seed "$seed" -o "$out/procedural.h5"

cgal_tar=/usr/share/doc/libcgal-demo/data.tar.gz
[ -f "$cgal_tar" ] || cgal_tar=/usr/share/doc/libcgal-dev/data.tar.gz
if [ ! -f "$cgal_tar" ]; then
  echo "make-shapes-dataset: installing libcgal-demo (Debian) for its meshes" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends libcgal-demo >/dev/null
  cgal_tar=/usr/share/doc/libcgal-demo/data.tar.gz
  [ -f "$cgal_tar" ] || cgal_tar=/usr/share/doc/libcgal-dev/data.tar.gz
fi
mkdir -p datasets/cache/cgal
tar xzf "$cgal_tar" -C datasets/cache/cgal
"$rgdm" preprocess shapes datasets/cache/cgal --file-category cgal --points "$points" --seed "$seed" -o "$out/cgal.h5"
ls -l "$out"
