#!/usr/bin/env bash
# Preprocesses a large SMILES file on a Slurm cluster: N array tasks, then the merge once all
# of them have succeeded.
#   bash examples/cluster/submit-preprocess.sh INPUT OUTPUT N [extra preprocess options…]
#   e.g. bash examples/cluster/submit-preprocess.sh moses.smi moses.h5 256 --max-steps 500
# Without Slurm (no sbatch), runs the same scripts one after another on this machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
input=$1 output=$2 shards=$3; shift 3
export INPUT=$input OUTPUT=$output SHARDS=$shards PREPROCESS_OPTIONS="$*" SEED=${SEED:-0}
if command -v sbatch >/dev/null; then
    array=$(sbatch --parsable --array=0-$((shards - 1)) --export=ALL "$here/preprocess-array.sbatch")
    merge=$(sbatch --parsable --dependency=afterok:"$array" --export=ALL "$here/preprocess-merge.sbatch")
    echo "submitted shards $array (0-$((shards - 1))) and merge $merge"
else
    for ((i = 0; i < shards; i++)); do SLURM_ARRAY_TASK_ID=$i bash "$here/preprocess-array.sbatch"; done
    bash "$here/preprocess-merge.sbatch"
fi
