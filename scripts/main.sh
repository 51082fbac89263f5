#!/usr/bin/env bash
# Sets up, builds in release mode and runs the main job on the bundled default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product rgdm
.build/release/rgdm --help
