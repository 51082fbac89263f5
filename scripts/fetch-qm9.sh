#!/usr/bin/env bash
# Fetches the full QM9 set (130,831 molecules, DFT geometries and properties)
# from the PyPI package qm9pack 1.0.3 (MIT licence) into datasets/cache/qm9/.
# Never committed: datasets/cache/ is ignored by git.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=datasets/cache/qm9
if [ -f "$dest/qm9_part3.csv" ] && [ -f "$dest/qm9_part1.csv" ] && [ -f "$dest/qm9_part2.csv" ]; then exit 0; fi
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetch-qm9: downloading qm9pack 1.0.3 (~100 MB)" >&2
python3 -m pip download -q --no-deps -d "$tmp" qm9pack==1.0.3
python3 - "$tmp" "$dest" <<'PY'
import sys, zipfile, glob, os
wheel = glob.glob(os.path.join(sys.argv[1], "qm9pack-1.0.3-*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith("qm9pack/data/") and name.endswith(".csv"):
            target = os.path.join(sys.argv[2], os.path.basename(name))
            with z.open(name) as src, open(target + ".part", "wb") as out:
                out.write(src.read())
            os.replace(target + ".part", target)
PY
echo "fetch-qm9: QM9 CSV files in $dest" >&2
