#!/usr/bin/env bash
# Installs the Debian packages that content_client needs to build, test and benchmark.
#
# Each package is checked with dpkg-query. Only when one is missing does the
# script run `apt-get update` and install the missing ones (through sudo when
# not root). On a system without apt-get and dpkg it lists the packages and
# exits with status 1.
set -euo pipefail

packages=(
    meson
    ninja-build
    pkg-config
    g++
    clang
    libboost1.81-dev
    libboost-json1.81-dev
    libboost-url1.81-dev
    libboost-test1.81-dev
    libsimdjson-dev
    libssl-dev
    zlib1g-dev
    libbenchmark-dev
    openssl
    python3
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: apt-get and dpkg-query not found; this script supports Debian 12 and its derivatives." >&2
    echo "Install these packages (Debian names) with your system's package manager, then run the script again:" >&2
    printf '  %s\n' "${packages[@]}" >&2
    exit 1
fi

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "setup.sh: all ${#packages[@]} packages are installed."
    exit 0
fi

echo "setup.sh: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "setup.sh: not root and sudo not found; install as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    sudo_cmd=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
