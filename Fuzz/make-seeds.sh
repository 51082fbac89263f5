#!/usr/bin/env bash
# Writes the committed seed corpora, Fuzz/corpus/<harness>/: small valid inputs of every reader
# (fuzzing mutates them; small inputs keep executions fast) and a few of the malformed fixtures.
# Needs a debug build of rgdm (swift build), obabel and xtb. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
rgdm=.build/debug/rgdm
corpus=Fuzz/corpus
malformed=Tests/ChemTests/Fixtures/malformed
formats=Tests/PointCloudTests/Fixtures/formats
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$corpus"
mkdir -p "$corpus"/{sdf,xyz,mol2,pdb,smiles,ply,off,obj,stl,cloud-xyz,hdf5-modelnet40,hdf5-shapenet,hdf5-rgdm-clouds,hdf5-molecules,checkpoint,config,model-card,command-reward,xtb-output}

# Molecules: the first records of the CDK2 fixture, converted by Open Babel to each format.
awk -v dir="$work" 'BEGIN { n = 1 } { print > (dir "/cdk2-" n ".sdf") } /^\$\$\$\$/ { n++; if (n > 3) exit }' Tests/ChemTests/Fixtures/cdk2.sdf
cp "$work"/cdk2-1.sdf "$work"/cdk2-2.sdf "$corpus/sdf/"
obabel "$work/cdk2-3.sdf" -O "$corpus/sdf/v3000.sdf" -xx3 2>/dev/null
printf 'water\n  rgdm\n\n  3  2  0  0  0  0  0  0  0  0999 V2000\n    0.0000    0.0000    0.1173 O   0  0  0  0  0  0  0  0  0  0  0  0\n    0.0000    0.7572   -0.4692 H   0  0  0  0  0  0  0  0  0  0  0  0\n    0.0000   -0.7572   -0.4692 H   0  0  0  0  0  0  0  0  0  0  0  0\n  1  2  1  0\n  1  3  1  0\nM  CHG  1   1   0\nM  END\n> <energy>\n-76.4\n\n$$$$\n' > "$corpus/sdf/water.sdf"
cp "$malformed"/v2000-x-letter.sdf "$malformed"/v3000-bond-to-missing-atom.sdf "$malformed"/mol-bond-to-missing-atom.mol "$corpus/sdf/"
for format in xyz mol2 pdb; do
  obabel "$work/cdk2-1.sdf" -O "$corpus/$format/cdk2-1.$format" 2>/dev/null
  obabel "$corpus/sdf/water.sdf" -O "$corpus/$format/water.$format" 2>/dev/null
done
cp "$malformed"/xyz-count-fraction.xyz "$malformed"/xyz-count-too-low.xyz "$corpus/xyz/"
cp "$malformed"/mol2-atom-ids-out-of-order.mol2 "$malformed"/mol2-bond-type.mol2 "$corpus/mol2/"
cp "$malformed"/pdb-z-letter-inside.pdb "$corpus/pdb/"
head -n 12 Tests/ChemTests/Fixtures/chembl-drugs-200.smi | awk -v dir="$corpus/smiles" '{ print > (dir "/chembl-" NR ".smi") }'
printf 'C[C@H](N)C(=O)O alanine\nc1ccccc1/C=C/[N+](=O)[O-]\n[2H]OC#N.[Na+]\n' > "$corpus/smiles/mixed.smi"
cp "$malformed"/smiles-unclosed-ring.smi "$malformed"/smiles-syntax.smi "$corpus/smiles/"

# Shapes: the format fixtures that are small and valid, and a few malformed ones.
cp "$formats"/cloud_ascii.ply "$formats"/cloud_le.ply "$formats"/cloud_be.ply "$formats"/cube_binary.ply "$formats"/list_x.ply "$formats"/huge_count.ply "$corpus/ply/"
cp "$formats"/cube.off "$formats"/cube_counts_on_header.off "$formats"/points_only.off "$formats"/bad_index.off "$corpus/off/"
cp "$formats"/cube.obj "$corpus/obj/"
printf '# cube\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nvn 0 0 1\nvt 0 0\nf 1/1/1 2/1/1 3/1/1 4/1/1\nf -1 -2 -3\ng top\ns off\n' > "$corpus/obj/faces.obj"
cp "$formats"/cube_ascii.stl "$formats"/cube_binary.stl "$formats"/cube_truncated.stl "$corpus/stl/"
cp "$formats"/cloud.xyz "$formats"/cloud.pts "$formats"/pts_count_lies.pts "$corpus/cloud-xyz/"

# HDF5: each layout as rgdm writes it (tiny), and the layout fixtures of the PointCloud tests.
printf 'OFF\n8 6 0\n0 0 0\n0 0 1\n0 1 0\n0 1 1\n1 0 0\n1 0 1\n1 1 0\n1 1 1\n4 0 1 3 2\n4 4 6 7 5\n4 0 4 5 1\n4 2 3 7 6\n4 0 2 6 4\n4 1 5 7 3\n' > "$work/cube.off"
$rgdm preprocess shapes --procedural --per-category 2 --points 8 --category chair --category mug --split 0.5,0,0.5 -o "$work/shapenet.h5" >/dev/null
cp "$work/shapenet.h5" "$corpus/hdf5-shapenet/procedural.h5"
cp Tests/PointCloudTests/Fixtures/hdf5/modelnet40_like.h5 Tests/PointCloudTests/Fixtures/hdf5/labels_mismatch.h5 "$corpus/hdf5-modelnet40/"
$rgdm convert "$work/shapenet.h5" "$corpus/hdf5-rgdm-clouds/converted.h5" >/dev/null
printf 'CCO\nC=O\nc1ccoc1\nN#CC(=O)N\nCC\nCN\nOCC=O\nC1CC1\nCC#N\nO=CO\n' > "$work/tiny.smi"
$rgdm preprocess molecules "$work/tiny.smi" -o "$work/tiny.h5" >/dev/null 2>&1
cp "$work/tiny.h5" "$corpus/hdf5-molecules/tiny.h5"

# A tiny trained model: its checkpoint (single and half precision) and its model card.
$rgdm train "$work/tiny.h5" --steps 2 --layers 1 --hidden 4 --batch 2 --timesteps 10 --threads 1 \
  --output "$work/run" >/dev/null 2>&1
cp "$work/run/checkpoint.rgdm" "$corpus/checkpoint/tiny.rgdm"
$rgdm export "$work/run/checkpoint.rgdm" -o "$corpus/checkpoint/tiny-half.rgdm" --precision half >/dev/null
# The card is the header's modelConfiguration (header: JSON after magic, version and length).
python3 - "$corpus/checkpoint/tiny.rgdm" "$corpus/model-card/tiny.json" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
length = struct.unpack_from("<I", data, 12)[0]
open(sys.argv[2], "w").write(json.loads(data[16:16 + length])["modelConfiguration"])
PY
python3 - models/shapes-lp.rgdm "$corpus/model-card/shapes-lp.json" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read(1 << 20)
length = struct.unpack_from("<I", data, 12)[0]
open(sys.argv[2], "w").write(json.loads(data[16:16 + length])["modelConfiguration"])
PY

# Config files, reward answers, xtb output.
printf '{"dataset": "datasets/qm9.h5", "layers": 4, "ema": true, "lr": 1e-4, "property": ["mu", "alpha"], "lenient": false}\n' > "$corpus/config/train.json"
printf '{}' > "$corpus/config/empty.json"
printf '[1, 2]' > "$corpus/config/array.json"
printf '0.5\n-1.25e3\n3\n' > "$corpus/command-reward/three.txt"
printf ' 7 \nnan\ninf\nabc\n\n1e999\n' > "$corpus/command-reward/odd.txt"
printf '3\nwater\nO 0 0 0.1173\nH 0 0.7572 -0.4692\nH 0 -0.7572 -0.4692\n' > "$work/water.xyz"
(cd "$work" && xtb water.xyz --sp --grad > xtb.out 2>/dev/null || true)
cp "$work/xtb.out" "$corpus/xtb-output/water.out"
printf '[ERROR] Program stopped due to fatal error\n-2- Found *very* short distance\n-1- setup failed\n' > "$corpus/xtb-output/error.out"
find "$corpus" -type f | wc -l
