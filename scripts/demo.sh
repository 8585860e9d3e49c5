#!/usr/bin/env bash
# Builds and runs the demo program (examples/demo.cpp) in build/.
#
# Usage: scripts/demo.sh [ARGUMENT ...]   (the arguments go to the demo)
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

bash "$repo_root/scripts/setup.sh"

if [[ ! -f build/meson-private/coredata.dat ]]; then
    CXX="${CXX:-g++}" meson setup build
fi
ninja -C build examples/demo
exec build/examples/demo "$@"
