#!/usr/bin/env bash
# Builds the release rgdm binary (incrementally) and prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product rgdm >&2
echo "$(swift build -c release --show-bin-path)/rgdm"
