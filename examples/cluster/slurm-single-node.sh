#!/usr/bin/env bash
# Runs the job scripts of this folder under a real, throwaway single-node Slurm on this machine:
# starts munged, slurmctld and slurmd (Debian: munge, slurmctld, slurmd, slurm-client) with a
# configuration in a scratch folder, submits the preprocess job array with its merge and the
# MPI training job (2 tasks, mpirun and srun --mpi=pmix) and the MPI fine-tuning job (2 tasks,
# mpirun), checks their outputs against one process, and stops the
# daemons it started. Needs root (the daemons) and the rgdm binary (RGDM, default: release build).
#   bash examples/cluster/slurm-single-node.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
RGDM=${RGDM:-$(bash "$root/scripts/build.sh")}
for tool in munged slurmctld slurmd sbatch mpirun; do
    command -v $tool >/dev/null || { echo "slurm-single-node: $tool missing (apt-get install munge slurmctld slurmd slurm-client openmpi-bin)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/rgdm-slurm.XXXXXX)
node=$(hostname -s)
cpus=$(nproc)
mkdir -p "$work/state" "$work/spool" "$work/munge" "$work/jobs"
chown munge:munge "$work/munge" 2>/dev/null || true
pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done
}
trap stop EXIT

# munge on its own socket, so it does not meet a system munged.
munged --socket="$work/munge/socket" --pid-file="$work/munge/pid" --log-file="$work/munge/log" \
       --seed-file="$work/munge/seed" --force
sleep 0.5; pids+=("$(cat "$work/munge/pid")")

cat > "$work/slurm.conf" <<CONF
ClusterName=rgdm-test
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$node CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -f "$SLURM_CONF"; sleep 1; pids+=("$(cat "$work/slurmctld.pid")")
slurmd -f "$SLURM_CONF"; sleep 1; pids+=("$(cat "$work/slurmd.pid")")
for _ in $(seq 50); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 0.2; done
sinfo

# Wait for every job of this folder's scripts to leave the queue.
drain() { while [ -n "$(squeue -h 2>/dev/null)" ]; do sleep 1; done; }

cd "$work/jobs"
printf "CCO\nCC(=O)O\nc1ccccc1O\nC1CC1\nCCN\nCOC\nOCCO\nCC#N\nC(C(=O)O)N\nCC(C)O\nC1=CC=CN=C1\nC1CCOC1\n" > mols.smi
export RGDM OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
bash "$here/submit-preprocess.sh" mols.smi sharded.h5 4
drain
"$RGDM" preprocess molecules mols.smi --output whole.h5 --threads 1 --seed 0 2>/dev/null
# The same dump but for the file name in its first line.
diff <(h5dump whole.h5 | tail -n +2) <(h5dump sharded.h5 | tail -n +2) >/dev/null \
    || { echo "slurm-single-node: the merged shards differ from the unsharded file" >&2; exit 1; }
echo "slurm-single-node: the 4-shard array + merge equals the unsharded file"

for launcher in mpirun srun; do
    LAUNCHER=$launcher DATASET=sharded.h5 RUN=run-$launcher BATCH=4 EPOCHS=4 MPIRUN_OPTIONS=--oversubscribe \
        TRAIN_OPTIONS="--layers 1 --hidden 8 --timesteps 20 --log-every 1" \
        sbatch --nodes=1 --ntasks=2 --ntasks-per-node=2 --cpus-per-task=1 --export=ALL --output="train-$launcher.log" "$here/train-mpi.sbatch"
done
drain
"$RGDM" train sharded.h5 --output run-alone --batch 4 --epochs 4 --threads 1 --seed 0 --layers 1 --hidden 8 \
    --timesteps 20 --log-every 1 2>/dev/null
for launcher in mpirun srun; do
    grep -q "2 ranks × 1 thread" "train-$launcher.log" || { echo "slurm-single-node: $launcher job did not run 2 ranks:" >&2; cat "train-$launcher.log" >&2; exit 1; }
    python3 - "run-$launcher/log.jsonl" run-alone/log.jsonl <<'PY'
import json, sys
a, b = ([json.loads(l)["loss"] for l in open(p) if '"event"' not in l] for p in sys.argv[1:3])
worst = max(abs(x - y) / abs(y) for x, y in zip(a, b))
assert len(a) == len(b) > 0 and worst < 1e-5, (len(a), len(b), worst)
print(f"slurm-single-node: {sys.argv[1]}: {len(a)} losses equal one process's (largest relative difference {worst:.1e})")
PY
done

# The fine-tuning job on 2 tasks from the model just trained: one process's rounds and losses.
finetune=(--reward atom-stability --pool 8 --pool-batch 2 --rounds 2 --seed 0)
LAUNCHER=mpirun MODEL=run-alone/checkpoint.rgdm REWARD=atom-stability RUN=finetune-mpirun POOL=8 POOL_BATCH=2 ROUNDS=2 \
    MPIRUN_OPTIONS=--oversubscribe FINETUNE_OPTIONS="--batch 4 --steps-per-round 2 --log-every 1" \
    sbatch --nodes=1 --ntasks=2 --ntasks-per-node=2 --cpus-per-task=1 --export=ALL --output=finetune-mpirun.log \
    "$here/finetune-mpi.sbatch"
drain
"$RGDM" finetune --model run-alone/checkpoint.rgdm --output finetune-alone "${finetune[@]}" --threads 1 --batch 4 \
    --steps-per-round 2 --log-every 1 2>/dev/null
grep -q "2 ranks × 1 thread" finetune-mpirun.log || { echo "slurm-single-node: the fine-tuning job did not run 2 ranks:" >&2; cat finetune-mpirun.log >&2; exit 1; }
python3 - finetune-mpirun/log.jsonl finetune-alone/log.jsonl <<'PY'
import json, sys
def read(path):
    lines = [json.loads(l) for l in open(path)]
    return ([l["loss"] for l in lines if "event" not in l],
            [(l["reward_mean"], l["reward_evaluations"]) for l in lines if l.get("event") == "round"])
(a, ra), (b, rb) = read(sys.argv[1]), read(sys.argv[2])
worst = max(abs(x - y) / abs(y) for x, y in zip(a, b))
assert len(a) == len(b) > 0 and worst < 1e-5, (len(a), len(b), worst)
assert len(ra) == len(rb) == 2 and all(abs(x[0] - y[0]) <= 1e-5 * abs(y[0]) and x[1] == y[1] for x, y in zip(ra, rb)), (ra, rb)
print(f"slurm-single-node: the fine-tuning job's {len(a)} losses and {len(ra)} rounds equal one process's (largest relative difference {worst:.1e})")
PY
echo "slurm-single-node: all checks passed (scratch $work)"
