#!/usr/bin/env bash
# Import throughput through the CLI: generate N offers (default 100,000) with carematch-gen,
# import them into a fresh data directory, print records/s and append to bench/results/.
# Usage: bench/import.sh [N] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
BUILD=${2:-build}
[ -x "$BUILD/carematch" ] || { echo "build first: cmake --build $BUILD" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BUILD/carematch-gen" --offers "$N" --candidates 0 --seed 42 --out-offers "$tmp/offers.ndjson" >/dev/null
bytes=$(stat -c %s "$tmp/offers.ndjson")
out=$("$BUILD/carematch" --data "$tmp/data" import --kind offers "$tmp/offers.ndjson" 2>"$tmp/rejects.log")
rejected_lines=$(wc -l < "$tmp/rejects.log")
size=$(du -sb "$tmp/data" | cut -f1)
echo "import of $N offers ($bytes bytes NDJSON) through the CLI: $out"
echo "data directory after import: $size bytes; rejected lines logged: $rejected_lines"
"$BUILD/carematch" --data "$tmp/data" check
mkdir -p bench/results
printf '{"bench":"cli_import","offers":%s,"result":%s,"data_bytes":%s,"date":"%s"}\n' \
  "$N" "$out" "$size" "$(date -u +%FT%TZ)" >> bench/results/import.ndjson
