#!/bin/sh
# Refreshes the expectation headers of test/verifier/cases/*.s from the running kernel (needs root and bpf()).
# Usage: scripts/record-verifier-cases.sh [TOPIC...]
set -eu
cd "$(dirname "$0")/.."
mkdir -p build
node_modules/.bin/esbuild test/verifier/record-cases.ts --bundle --platform=node --format=esm \
  --log-level=warning --outfile=build/record-cases.mjs
node build/record-cases.mjs "$@"
