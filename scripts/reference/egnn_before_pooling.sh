#!/usr/bin/env bash
# Regenerates Tests/DiffusionTests/Fixtures/egnn-before-pooling.json: EGNN predictions and
# gradients of the code as it was before the EGNN had global pooling, which GlobalPoolingTests
# compares the current `.none` model against.
#
# The numbers come from that code, not from the current one: the script exports commit aa883ab
# (the sources of a441848 plus the recording test, RecordedPredictionWriter) into a scratch
# folder, runs the recording test there and copies the file it writes into this tree. The
# configurations in the file are in that commit's JSON form (no `globalPooling` key). It needs the
# repository's history (not a shallow clone) and builds the old commit in debug (a few minutes):
#
#     bash scripts/reference/egnn_before_pooling.sh
#
# On the project's machine the output is identical to the committed file byte for byte; another
# CPU's BLAS kernels may change the last bits (the test's tolerance allows for that).
set -euo pipefail
recording_commit=aa883ab
repository=$(cd "$(dirname "$0")/../.." && pwd)
fixture=Tests/DiffusionTests/Fixtures/egnn-before-pooling.json
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

git -C "$repository" archive "$recording_commit" | tar -x -C "$scratch"
cd "$scratch"
RGDM_WRITE_FIXTURES=1 swift test --filter RecordedPredictionWriter
cp "$fixture" "$repository/$fixture"
echo "wrote $repository/$fixture"
