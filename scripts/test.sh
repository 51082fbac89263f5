#!/usr/bin/env bash
# Sets up a fresh machine and runs the whole test suite (debug build), then checks that
# the C kernels give the same bits at every instruction-set level this CPU can run, and smoke-runs
# the fuzz harnesses.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift test
bash scripts/kernels/check-isas.sh
# A smoke run of every fuzz harness (libFuzzer + AddressSanitizer, 200 inputs each; Fuzz/README.md),
# after the check of how its failures are triaged.
bash scripts/fuzz-triage-test.sh
bash scripts/fuzz.sh all -runs=200
