#!/usr/bin/env bash
# Rebuilds the static-linker corpus (test/link/*.c and test/link/cases/*.c) into BPF objects, with the same
# reproducible flags as scripts/build-progs.sh (no machine paths in the objects).
# Usage: scripts/build-link-progs.sh [output-dir]   (default: next to the sources; cases/ objects go to
#        output-dir/cases)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
export LC_ALL=C

out_dir="${1:-test/link}"
mkdir -p "$out_dir/cases"

base_flags=(-O2 -g -target bpf -I/usr/include/x86_64-linux-gnu "-fdebug-prefix-map=$repo_root=.")

build() {
  local src="$1" out="$2"
  if ! clang-14 "${base_flags[@]}" -c "$src" -o "$out"; then
    echo "build-link-progs: clang-14 failed on $src" >&2
    exit 1
  fi
}

shopt -s nullglob
sources=(test/link/*.c test/link/cases/*.c)
if ((${#sources[@]} == 0)); then
  echo "build-link-progs: no test/link/*.c found" >&2
  exit 1
fi

for src in "${sources[@]}"; do
  relative="${src#test/link/}"
  build "$src" "$out_dir/${relative%.c}.o"
done
