#!/usr/bin/env bash
# SMILES → 3D on the same SMILES, back to back in one run:
#   rgdm (OBBuilder + MMFF94 rotor search + conjugate gradients, one worker process per core),
#   obabel --gen3d (default speed, one OpenMP thread; timed inside `rgdm bench conformers`,
#                   which also compares MMFF94 energies molecule by molecule),
#   RDKit ETKDGv3 + MMFF94 (the peer script ../shared/bench/peers/conformers.py, one process).
# Prints each method's ms/molecule and the throughput ratios.
#   bash scripts/bench-conformers.sh [SMILES_FILE] [LIMIT]
# Environment: PEER_PYTHON (a Python with RDKit; default $PEERS_HOME/venv-chem/bin/python, set up by
# ../shared/bench/peers/setup.sh), SKIP_OBABEL=1 to leave obabel out (it takes seconds per molecule),
# RGDM_BIN to use an rgdm already built in release mode, SEED (default 1) for rgdm's --seed,
# ENERGIES=FILE to keep the per-molecule results (rgdm and obabel MMFF94 energies, errors) as TSV.
set -euo pipefail
cd "$(dirname "$0")/.."
smiles=${1:-Tests/ChemTests/Fixtures/chembl-drugs-200.smi}
limit=${2:-100}
peers_dir=${PEERS_DIR:-$(cd .. && pwd)/shared/bench/peers}
python=${PEER_PYTHON:-${PEERS_HOME:-/tmp/peers}/venv-chem/bin/python}

if [ -n "${RGDM_BIN:-}" ]; then
  rgdm=$RGDM_BIN    # an rgdm built elsewhere (release), e.g. from another scratch path
else
  swift build -c release --product rgdm >&2
  rgdm="$(swift build -c release --show-bin-path)/rgdm"
fi
bench_flags=()
[ "${SKIP_OBABEL:-0}" = 1 ] && bench_flags=(--skip-obabel)
[ -n "${ENERGIES:-}" ] && bench_flags+=(--energies "$ENERGIES")

echo "bench-conformers: rgdm on $limit SMILES from $smiles" >&2
ours=$("$rgdm" bench conformers "$smiles" --limit "$limit" --seed "${SEED:-1}" --json "${bench_flags[@]}")
echo "$ours"
rdkit=""
if [ -x "$python" ] && [ -f "$peers_dir/conformers.py" ]; then
  echo "bench-conformers: RDKit ETKDGv3 + MMFF94 (peer)" >&2
  rdkit=$("$python" "$peers_dir/conformers.py" "$smiles" --limit "$limit" --skip-obabel)
  echo "$rdkit"
else
  echo "bench-conformers: no RDKit peer ($python or $peers_dir/conformers.py missing); run ../shared/bench/peers/setup.sh" >&2
fi
python3 - "$ours" "$rdkit" <<'PY'
import json, sys
ours = json.loads(sys.argv[1])
print(f"rgdm      {ours['rgdm_ms_per_molecule']:8.1f} ms/molecule wall ({ours['workers']} workers), "
      f"{ours['rgdm_ok']}/{ours['molecules']} built, {ours['rgdm_converged']} converged")
if "obabel_ms_per_molecule" in ours:
    print(f"obabel    {ours['obabel_ms_per_molecule']:8.1f} ms/molecule; rgdm throughput ×{ours['throughput_ratio_vs_obabel']:.2f}")
    print(f"MMFF94    rgdm − obabel median {ours['median_energy_rgdm_minus_obabel']:+.2f} kcal/mol over {ours['energy_pairs']} molecules; "
          f"rgdm ≤ obabel on {100 * ours['rgdm_lower_or_equal_fraction']:.0f}%")
    print(f"MMFF94    mean rgdm {ours['mean_energy_rgdm']:.1f} vs obabel {ours['mean_energy_obabel']:.1f} kcal/mol; "
          f"median rgdm {ours['median_energy_rgdm']:.1f} vs obabel {ours['median_energy_obabel']:.1f} kcal/mol")
    for w in ours.get("worst_rgdm_minus_obabel", []):
        print(f"  worst   #{w['index']}: rgdm {w['rgdm']:.1f} obabel {w['obabel']:.1f} kcal/mol  {w['smiles']}")
if sys.argv[2]:
    rdkit = json.loads(sys.argv[2])
    ratio = rdkit["ms_per_molecule"] / ours["rgdm_ms_per_molecule"]
    print(f"RDKit     {rdkit['ms_per_molecule']:8.1f} ms/molecule (1 process), {rdkit['ok']}/{rdkit['molecules']} built; "
          f"rgdm throughput ×{ratio:.2f} of RDKit")
PY
