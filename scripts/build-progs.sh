#!/usr/bin/env bash
# Rebuilds every test/progs/*.c, test/progs/configured/*.c, test/progs/net/*.c and bench/progs/*.c into a BPF object,
# reproducibly and without this machine's paths. Usage: scripts/build-progs.sh [output-dir]   (default: test/progs,
# next to the sources; configured/ and net/ objects go to <output-dir>/configured and /net; bench/progs objects go
# next to their sources, or to <output-dir>/bench when an output directory is given)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
export LC_ALL=C

out_dir="${1:-test/progs}"
bench_out_dir="bench/progs"
if (($# > 0)); then bench_out_dir="$1/bench"; fi
mkdir -p "$out_dir" "$bench_out_dir"

# Relative source paths plus the prefix map keep DW_AT_comp_dir/DW_AT_name (and so the BTF line info)
# free of the checkout's absolute path; nothing else in the object depends on the machine.
base_flags=(-O2 -g -target bpf -I/usr/include/x86_64-linux-gnu "-fdebug-prefix-map=$repo_root=.")

# Sources that also get a second object built with -mcpu=v3 (ALU32/JMP32 instructions), named NAME.v3.o.
v3_sources=(alu32)

build() {
  local src="$1" out="$2"
  shift 2
  if ! clang-14 "${base_flags[@]}" "$@" -c "$src" -o "$out"; then
    echo "build-progs: clang-14 failed on $src" >&2
    exit 1
  fi
}

shopt -s nullglob
sources=(test/progs/*.c test/progs/configured/*.c test/progs/net/*.c)
if ((${#sources[@]} == 0)); then
  echo "build-progs: no test/progs/*.c found" >&2
  exit 1
fi

for src in "${sources[@]}"; do
  name="$(basename "$src" .c)"
  sub="${src#test/progs/}"
  sub="${sub%"$name.c"}"
  mkdir -p "$out_dir/$sub"
  build "$src" "$out_dir/$sub$name.o"
  for v3 in "${v3_sources[@]}"; do
    if [[ "$name" == "$v3" ]]; then
      build "$src" "$out_dir/$name.v3.o" -mcpu=v3
    fi
  done
done

bench_sources=(bench/progs/*.c)
if ((${#bench_sources[@]} == 0)); then
  echo "build-progs: no bench/progs/*.c found" >&2
  exit 1
fi
for src in "${bench_sources[@]}"; do
  build "$src" "$bench_out_dir/$(basename "$src" .c).o"
done
