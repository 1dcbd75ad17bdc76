#!/usr/bin/env bash
# Installs what tsbpf's tests need on Debian: clang-14 and llvm-14 (corpus builds and objdump comparisons),
# libbpf-dev and bpftool (the kernel oracle and the ABI tables' checks), a C compiler, iproute2 (the oracle's
# --netns-ip namespaces). Skips what is present.
set -euo pipefail

packages=(clang-14 llvm-14 libbpf-dev bpftool gcc make iproute2)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
as_root=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
