#!/usr/bin/env bash
# Training-step benchmark: the peers (PyTorch and JAX re-implementations of EDM's
# EGNN, shared/bench/peers) and `rgdm bench train`, back to back in one run, for
# configs S (4 layers, hidden 64) and M (9 layers, hidden 256), batch 64, 1 and 2
# threads. Every run is wrapped so its peak RSS is measured the same way
# (getrusage RUSAGE_CHILDREN). Prints one JSON line per run, then the ratios.
#
# CONFIGS may also name "sample": ancestral sampling of 100 molecules with config S
# (SAMPLE_STEPS steps, default 1000, as the issue asks), PyTorch against `rgdm bench sample`.
#
# Usage: [CONFIGS="S M"] [THREADS="1 2"] [ITERS_S=20] [ITERS_M=20] [SAMPLE_STEPS=1000]
#        [PEERS_HOME=/tmp/peers] [SKIP_JAX=1] bash scripts/bench-train.sh
# Build first: swift build -c release --scratch-path .build-egnn
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/bench/peers}
HOME_PEERS=${PEERS_HOME:-/tmp/peers}
TORCH=${TORCH:-$HOME_PEERS/venv-torch/bin/python}
JAX=${JAX:-$HOME_PEERS/venv-jax/bin/python}
RGDM=${RGDM:-$ROOT/.build-egnn/release/rgdm}
CONFIGS=${CONFIGS:-"S M"}
THREADS=${THREADS:-"1 2"}
ITERS_S=${ITERS_S:-20}
ITERS_M=${ITERS_M:-20}
SAMPLE_STEPS=${SAMPLE_STEPS:-1000}
OUT=${OUT:-$(mktemp -d)/bench-train.jsonl}
[ -x "$RGDM" ] || { echo "no rgdm binary at $RGDM; build with: swift build -c release --scratch-path .build-egnn" >&2; exit 1; }

# measure <label> <cmd...>: runs cmd in the peers' folder, takes its last stdout line
# (JSON), adds label and peak_rss_bytes of the child, appends it to $OUT.
measure() {
  local label=$1; shift
  echo "# $label: $*" >&2
  python3 - "$label" "$PEERS" "$@" <<'PY' | tee -a "$OUT"
import json, resource, subprocess, sys
label, cwd, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, text=True, check=True)
d = json.loads(p.stdout.strip().splitlines()[-1])
d["label"] = label
d["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps(d), flush=True)
PY
}

for config in $CONFIGS; do
  if [ "$config" = sample ]; then
    for t in $THREADS; do
      measure "sample/torch/$t" "$TORCH" edm_torch.py sample --threads "$t" --layers 4 --hidden 64 --n-mol 100 --steps "$SAMPLE_STEPS"
      measure "sample/rgdm/$t" "$RGDM" bench sample --threads "$t" --layers 4 --hidden 64 --molecules 100 --steps "$SAMPLE_STEPS" --no-peer --json
    done
    continue
  fi
  case $config in
    S) L=4; H=64; ITERS=$ITERS_S; WARM=3 ;;
    M) L=9; H=256; ITERS=$ITERS_M; WARM=2 ;;
    *) echo "unknown config $config (S or M)" >&2; exit 1 ;;
  esac
  for t in $THREADS; do
    measure "$config/torch/$t" "$TORCH" edm_torch.py train --threads "$t" --layers $L --hidden $H --batch 64 --warmup $WARM --iters "$ITERS"
    if [ -z "${SKIP_JAX:-}" ]; then
      measure "$config/jax/$t" "$JAX" edm_jax.py --threads "$t" --layers $L --hidden $H --batch 64 --warmup $WARM --iters "$ITERS"
    fi
    measure "$config/rgdm/$t" "$RGDM" bench train --threads "$t" --layers $L --hidden $H --batch 64 --warmup $WARM --steps "$ITERS" --json
  done
done

python3 - "$OUT" <<'PY'
import json, sys
runs = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    runs[d["label"]] = d
def mps(d): return d.get("molecules_per_second", d.get("mol_per_s"))
def cpu(d):
    for key, scale in (("cpu_seconds_median", 1), ("cpu_seconds_per_step", 1), ("cpu_ms_median", 1e-3)):
        if key in d: return d[key] * scale
    return float("nan")
print("\nwall: molecules/s from median step times; cpu: from median CPU seconds per step (all threads),")
print("which other load on the machine disturbs less (peers report other_procs_cpu_frac).")
print(f"\n{'config':6} {'thr':>3} {'torch mol/s':>12} {'jax mol/s':>10} {'rgdm mol/s':>11} {'rgdm/torch':>11} {'rgdm/jax':>9} {'cpu r/torch':>12} {'cpu r/jax':>10} {'RSS rgdm/torch':>15} {'other load t/j/r':>17}  gemm")
for label, r in runs.items():
    config, fw, t = label.split("/")
    if fw != "rgdm" or config == "sample": continue
    torch, jax = runs.get(f"{config}/torch/{t}"), runs.get(f"{config}/jax/{t}")
    tm = mps(torch) if torch else float("nan")
    jm = mps(jax) if jax else float("nan")
    rm = mps(r)
    mem = r["peak_rss_bytes"] / torch["peak_rss_bytes"] if torch else float("nan")
    ct = cpu(torch) / cpu(r) if torch else float("nan")
    cj = cpu(jax) / cpu(r) if jax else float("nan")
    def load(d): return f"{d['other_procs_cpu_frac']:.2f}" if d and d.get("other_procs_cpu_frac") is not None else "?"
    loads = f"{load(torch)}/{load(jax)}/{load(r)}"
    gemm = ""
    if r.get("gemm_rate_fraction_of_sgemm") is not None:
        gemm = (f"sgemm {r['sgemm_gflops_per_second']:.0f} GFLOP/s, in-step {r['gemm_gflops_per_second_in_step']:.0f}/thread "
                f"({100 * r['gemm_rate_fraction_of_sgemm']:.0f}%; {100 * r.get('gemm_rate_fraction_of_busy_sgemm', float('nan')):.0f}% "
                f"of busy sgemm), {100 * r['gemm_share_of_step']:.0f}% of step")
    print(f"{config:6} {t:>3} {tm:12.1f} {jm:10.1f} {rm:11.1f} {rm / tm:11.2f} {rm / jm:9.2f} {ct:12.2f} {cj:10.2f} {mem:15.2f} {loads:>17}  {gemm}")
samples = [(l, r) for l, r in runs.items() if l.startswith("sample/rgdm/")]
if samples:
    print(f"\n{'sampling':8} {'thr':>3} {'torch s':>9} {'rgdm s':>8} {'rgdm/torch speed':>17} {'cpu ratio':>10} {'RSS rgdm/torch':>15}")
    for label, r in samples:
        t = label.split("/")[2]
        torch = runs.get(f"sample/torch/{t}")
        if not torch: continue
        print(f"{'100 mol':8} {t:>3} {torch['seconds']:9.1f} {r['seconds']:8.1f} {torch['seconds'] / r['seconds']:17.2f} "
              f"{torch['cpu_seconds'] / r['cpu_seconds']:10.2f} {r['peak_rss_bytes'] / torch['peak_rss_bytes']:15.2f}")
print(f"\nresults: {sys.argv[1]}")
PY
