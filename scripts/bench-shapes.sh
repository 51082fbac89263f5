#!/usr/bin/env bash
# Shape metrics, back to back in one run on the same machine:
#   rgdm bench shapes: Chamfer and EMD per pair of 2048-point clouds (one thread), and the full
#     MMD/COV/1-NNA set (CD and EMD) on SETS × SETS clouds using every core;
#   the NumPy/SciPy peer ../shared/bench/peers/chamfer_emd.py: Chamfer by broadcasting, by one GEMM
#     and by cKDTree, exact EMD by linear_sum_assignment (one BLAS thread, one cKDTree worker).
# Prints each timing and the ratios.
#   bash scripts/bench-shapes.sh            (SETS=100 by default; SETS=20 for a quick run)
# Environment: PEER_PYTHON (NumPy + SciPy; default $PEERS_HOME/venv-jax/bin/python, set up by
# ../shared/bench/peers/setup.sh), SETS, SET_EMD=0 to skip the EMD set metrics, SCRATCH (build dir).
set -euo pipefail
cd "$(dirname "$0")/.."
peers_dir=${PEERS_DIR:-$(cd .. && pwd)/shared/bench/peers}
python=${PEER_PYTHON:-${PEERS_HOME:-/tmp/peers}/venv-jax/bin/python}
sets=${SETS:-100}
scratch=${SCRATCH:-.build}
set_flag=()
[ "${SET_EMD:-1}" = 0 ] && set_flag=(--no-set-emd)

swift build -c release --scratch-path "$scratch" --product rgdm >&2
rgdm="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/rgdm"

echo "bench-shapes: rgdm bench shapes (sets of $sets)" >&2
ours=$("$rgdm" bench shapes --sets "$sets" --json "${set_flag[@]}")
echo "$ours"
peer=""
if [ -x "$python" ] && [ -f "$peers_dir/chamfer_emd.py" ]; then
  echo "bench-shapes: NumPy/SciPy peer (one thread)" >&2
  peer=$(cd "$peers_dir" && OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "$python" chamfer_emd.py --threads 1)
  echo "$peer"
else
  echo "bench-shapes: no peer ($python or $peers_dir/chamfer_emd.py missing); run ../shared/bench/peers/setup.sh" >&2
fi
python3 - "$ours" "$peer" <<'PY'
import json, sys
o = json.loads(sys.argv[1])
p = json.loads(sys.argv[2]) if sys.argv[2] else None
print(f"rgdm   Chamfer     {o['chamfer_one_pair_ms']:9.3f} ms/pair (2048 pts, 1 thread; CPU {o['chamfer_one_pair_cpu_ms']:.3f} ms); "
      f"{o['pairs']} pairs {o['chamfer_batch_ms']:8.1f} ms")
print(f"rgdm   EMD         {o['emd_one_pair_ms']:9.1f} ms/pair (CPU {o['emd_one_pair_cpu_ms']:.1f} ms; auction, ≤{100 * o['emd_relative_tolerance']:.2f}% above exact; "
      f"value {o['emd_value']:.5f}, certified gap {o['emd_value'] - o['emd_lower_bound']:.1e})")
s = o["set_clouds"]
emd_set = o.get("set_emd_s")
print(f"rgdm   set metrics {s}×{s} clouds of {o['set_points']} pts on {o['set_threads']} workers: CD {o['set_chamfer_s']:.1f} s"
      + (f", EMD {emd_set:.1f} s" if emd_set is not None else ", EMD skipped"))
if p:
    one, batch = p["one_pair_ms"], p["batch_ms"]
    for name in ("ckdtree", "numpy_matmul", "numpy_broadcast"):
        print(f"peer   Chamfer {name:16s} {one[name]:9.3f} ms/pair; {p['pairs']} pairs {batch[name]:8.1f} ms   "
              f"rgdm ×{one[name] / o['chamfer_one_pair_ms']:.1f} faster per pair, ×{batch[name] / o['chamfer_batch_ms']:.1f} on the batch")
    print(f"peer   EMD exact (linear_sum_assignment) {p['emd_exact_one_pair_ms']:9.1f} ms/pair (value {p['emd_value']:.5f} on its own data)   "
          f"rgdm ×{p['emd_exact_one_pair_ms'] / o['emd_one_pair_ms']:.1f} faster")
    pairs = s * s + s * (s - 1)   # reference×generated + both self matrices (full, as the Python evaluation computes them)
    est_cd = pairs * one["ckdtree"] / 1000
    est_emd = pairs * p["emd_exact_one_pair_ms"] / 1000
    print(f"peer   set metrics estimated from its per-pair times ({pairs} pairs, 1 thread): CD {est_cd:.1f} s, EMD {est_emd:.0f} s"
          + (f"   rgdm ×{est_cd / o['set_chamfer_s']:.1f} (CD)" if o['set_chamfer_s'] > 0 else "")
          + (f", ×{est_emd / emd_set:.1f} (EMD)" if emd_set else ""))
    print(f"load   other processes used {100 * p['other_procs_cpu_frac']:.0f}% of the CPU during the peer run")
PY
