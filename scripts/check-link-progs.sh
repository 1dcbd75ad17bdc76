#!/usr/bin/env bash
# Fails when a committed test/link object is missing, stale or orphaned relative to a fresh build of its .c.
# Usage: scripts/check-link-progs.sh
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
export LC_ALL=C

if (($# > 0)); then
  echo "usage: scripts/check-link-progs.sh" >&2
  exit 2
fi

fresh_dir="$(mktemp -d)"
trap 'rm -rf "$fresh_dir"' EXIT

scripts/build-link-progs.sh "$fresh_dir"

failures=0
fail() {
  echo "check-link-progs: $*" >&2
  failures=$((failures + 1))
}

shopt -s nullglob
for fresh in "$fresh_dir"/*.o "$fresh_dir"/cases/*.o; do
  relative="${fresh#"$fresh_dir"/}"
  committed="test/link/$relative"
  if [[ ! -f "$committed" ]]; then
    fail "test/link/${relative%.o}.c has no committed object $committed (run scripts/build-link-progs.sh and commit it)"
  elif ! cmp -s "$fresh" "$committed"; then
    fail "$committed differs from a fresh build of its source (run scripts/build-link-progs.sh and commit it)"
  fi
done

for committed in test/link/*.o test/link/cases/*.o; do
  relative="${committed#test/link/}"
  if [[ ! -f "$fresh_dir/$relative" ]]; then
    fail "$committed has no source that builds it (delete it or add its .c)"
  fi
  if grep -q -a -F "$repo_root" "$committed"; then
    fail "$committed embeds the absolute path $repo_root"
  fi
done

if ((failures)); then
  echo "check-link-progs: $failures problem(s)" >&2
  exit 1
fi
echo "check-link-progs: all $(ls test/link/*.o test/link/cases/*.o | wc -l) objects match their sources"
