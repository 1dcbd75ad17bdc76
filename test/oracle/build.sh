#!/bin/sh
# Builds the kernel oracle against the system libbpf: build.sh [OUTPUT] (default: build/oracle next to this script).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/build/oracle"}
mkdir -p "$(dirname "$out")"
exec "${CC:-cc}" -O2 -Wall -o "$out" "$here/oracle.c" -lbpf -lelf -lz
