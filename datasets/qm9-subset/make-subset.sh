#!/usr/bin/env bash
# Makes qm9-subset-3000.csv: the qm9pack header and 3,000 rows drawn at random
# (Python random.Random(2022).sample over all 130,831 rows of qm9_part1..3.csv,
# then sorted by GDB index), every column unchanged.
#   bash datasets/qm9-subset/make-subset.sh [QM9_CSV_DIR]   (default datasets/cache/qm9, from scripts/fetch-qm9.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${1:-$here/../cache/qm9}"
python3 - "$src" "$here/qm9-subset-3000.csv" <<'PY'
import random, sys
header, rows = None, []
for part in ("qm9_part1.csv", "qm9_part2.csv", "qm9_part3.csv"):
    with open(f"{sys.argv[1]}/{part}") as f:
        lines = f.read().splitlines()
    header = header or lines[0]
    rows += [l for l in lines[1:] if l.strip()]
assert len(rows) == 130831, len(rows)
pick = random.Random(2022).sample(rows, 3000)
pick.sort(key=lambda l: int(l.split(",")[1]))
with open(sys.argv[2], "w") as out:
    out.write(header + "\n" + "\n".join(pick) + "\n")
PY
