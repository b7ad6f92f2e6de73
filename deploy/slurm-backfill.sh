#!/bin/bash
# A national backfill as a Slurm job array: one array task per shard, then a merge job that waits for
# all of them. Submit with:   sbatch deploy/slurm-backfill.sh
# (set SHARDS to the array size; every task must see the same pipeline.json and shared folder).
#SBATCH --job-name=nianbao-shards
#SBATCH --array=0-15
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=24:00:00
#SBATCH --output=logs/nianbao-%A_%a.log
set -euo pipefail

SHARDS=16
SHARED=${NIANBAO_SHARED:-$PWD/backfill}
mkdir -p "$SHARED/shards" logs

if [ "${NIANBAO_MERGE:-0}" = "1" ]; then
  exec nianbao merge --into "$SHARED/nianbao.sqlite" "$SHARED"/shards/shard-*.sqlite
fi

# SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT give the shard; --shard says it explicitly.
nianbao run --config pipeline.json \
  --shard "$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0}))/$SHARDS" \
  --database "$SHARED/shards/shard-${SLURM_ARRAY_TASK_ID}.sqlite" || status=$?

# The last task to start queues the merge once the whole array has finished (afterany: a shard with
# failed documents exits 1 but its database is complete).
if [ "$SLURM_ARRAY_TASK_ID" = "${SLURM_ARRAY_TASK_MAX:-15}" ]; then
  sbatch --dependency=afterany:"$SLURM_ARRAY_JOB_ID" --job-name=nianbao-merge --array= \
    --export=ALL,NIANBAO_MERGE=1,NIANBAO_SHARED="$SHARED" "$0"
fi
exit "${status:-0}"
