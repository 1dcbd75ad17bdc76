#!/usr/bin/env bash
# Fails when a committed test/progs/*.o, configured/*.o, net/*.o or bench/progs/*.o is missing, stale or orphaned
# relative to a fresh build of its .c. Usage: scripts/check-progs.sh [--load]   (--load also loads every test/progs/*.o with
# bpftool; needs root + bpffs. configured/ objects need a program type or map sizes first, so they are not
# loaded here: test/integration/run-config-kernel.test.ts loads them through the oracle)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
export LC_ALL=C

load=0
case "${1:-}" in
  --load) load=1 ;;
  '') ;;
  *)
    echo "usage: scripts/check-progs.sh [--load]" >&2
    exit 2
    ;;
esac

fresh_dir="$(mktemp -d)"
pin_dir=''
cleanup() {
  rm -rf "$fresh_dir"
  if [[ -n "$pin_dir" ]]; then rm -rf "$pin_dir"; fi
}
trap cleanup EXIT

scripts/build-progs.sh "$fresh_dir"

failures=0
fail() {
  echo "check-progs: $*" >&2
  failures=$((failures + 1))
}

shopt -s nullglob
for fresh in "$fresh_dir"/*.o "$fresh_dir"/configured/*.o "$fresh_dir"/net/*.o; do
  name="${fresh#"$fresh_dir"/}"
  committed="test/progs/$name"
  source_file="test/progs/${name%%.*}.c"
  if [[ ! -f "$committed" ]]; then
    fail "$source_file has no committed object $committed (run scripts/build-progs.sh and commit it)"
  elif ! cmp -s "$fresh" "$committed"; then
    fail "$committed differs from a fresh build of its source (run scripts/build-progs.sh and commit it)"
  fi
done

for committed in test/progs/*.o test/progs/configured/*.o test/progs/net/*.o; do
  name="${committed#test/progs/}"
  if [[ ! -f "$fresh_dir/$name" ]]; then
    fail "$committed has no source that builds it (delete it or add its .c)"
  fi
done

for fresh in "$fresh_dir"/bench/*.o; do
  committed="bench/progs/$(basename "$fresh")"
  if [[ ! -f "$committed" ]]; then
    fail "bench/progs/$(basename "$fresh" .o).c has no committed object $committed (run scripts/build-progs.sh and commit it)"
  elif ! cmp -s "$fresh" "$committed"; then
    fail "$committed differs from a fresh build of its source (run scripts/build-progs.sh and commit it)"
  fi
done
for committed in bench/progs/*.o; do
  if [[ ! -f "$fresh_dir/bench/$(basename "$committed")" ]]; then
    fail "$committed has no source that builds it (delete it or add its .c)"
  fi
done

for committed in test/progs/*.o test/progs/configured/*.o test/progs/net/*.o bench/progs/*.o; do
  if grep -q -a -F "$repo_root" "$committed"; then
    fail "$committed embeds the absolute path $repo_root"
  fi
done

if ((load)); then
  for committed in test/progs/*.o bench/progs/*.o; do
    name="$(basename "$committed" .o)"
    pin_dir="/sys/fs/bpf/tsbpf_chk_${name//./_}"
    rm -rf "$pin_dir"
    if ! log="$(bpftool prog loadall "$committed" "$pin_dir" 2>&1)"; then
      fail "$committed does not load: $(printf '%s\n' "$log" | tail -n 5)"
    fi
    rm -rf "$pin_dir"
    pin_dir=''
  done
fi

if ((failures)); then
  echo "check-progs: $failures problem(s)" >&2
  exit 1
fi
echo "check-progs: all $(ls test/progs/*.o test/progs/configured/*.o test/progs/net/*.o bench/progs/*.o 2>/dev/null | wc -l) objects match their sources$( ((load)) && echo ' and load')"
