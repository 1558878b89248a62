#!/usr/bin/env bash
# Load smoke test: the demo corpus imported with the CLI, carematchd on 127.0.0.1 port 0, then
# wrk at 16 connections for a few seconds per workload. Asserts 0 socket errors, 0 non-2xx
# responses, and a server still alive that stops cleanly on SIGTERM. No timing gate.
set -euo pipefail
SRC=${CM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${CM_BUILD_DIR:-$SRC/build}
SECS=${CM_LOAD_SECONDS:-2}
CONNS=${CM_LOAD_CONNS:-16}
KEY=load-smoke-admin-0123456789

command -v wrk >/dev/null || { echo "FAIL: wrk not installed (scripts/setup-deps.sh installs it)"; exit 1; }
for b in carematchd carematch; do
  [ -x "$BUILD/$b" ] || { echo "FAIL: $BUILD/$b not built"; exit 1; }
done
base=${CM_TEST_TMP:-${TMPDIR:-/tmp}}
mkdir -p "$base"
tmp=$(mktemp -d "$base/loadsmoke-XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$BUILD/carematch" --data "$tmp/data" import --kind offers "$SRC/corpora/demo/offers.ndjson" >/dev/null
"$BUILD/carematch" --data "$tmp/data" import --kind candidates "$SRC/corpora/demo/candidates.ndjson" >/dev/null
python3 "$SRC/bench/lib/mkreqs.py" --offers "$SRC/corpora/demo/offers.ndjson" \
  --candidates "$SRC/corpora/demo/candidates.ndjson" --out "$tmp/reqs" --n 300 >/dev/null
printf '{"keys":[{"key":"%s","scope":"admin","name":"loadsmoke"}]}\n' "$KEY" > "$tmp/keys.json"

"$BUILD/carematchd" --data "$tmp/data" --listen 127.0.0.1:0 --keys "$tmp/keys.json" 2> "$tmp/server.log" &
pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/^listening on [0-9.]*:\([0-9][0-9]*\)$/\1/p' "$tmp/server.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: carematchd exited at start"; cat "$tmp/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: no 'listening on' line from carematchd"; exit 1; }

fail=0
for w in get_offer search cand_matches offer_matches match_anon put_offer put_candidate; do
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 5s -s "$SRC/bench/wrk/requests.lua" \
        "http://127.0.0.1:$port" -- "$tmp/reqs/$w.req" "$KEY" 2>&1) || { echo "FAIL: wrk $w"; echo "$out"; fail=1; continue; }
  json=$(printf '%s\n' "$out" | sed -n 's/^CMJSON //p')
  verdict=$(printf '%s' "$json" | python3 -c '
import json, sys
r = json.load(sys.stdin)
e = r["errors"]
errs = e["connect"] + e["read"] + e["write"] + e["timeout"]
ok = r["requests"] > 0 and errs == 0 and r["non2xx"] == 0
print("%s requests=%d rps=%.0f socket_errors=%d non2xx=%d p99_ms=%.2f" % (
    "ok" if ok else "FAIL", r["requests"], r["rps"], errs, r["non2xx"], r["p99_ms"]))')
  # wrk prints these two lines only when they are not zero: belt and braces.
  if printf '%s\n' "$out" | grep -qE 'Socket errors|Non-2xx or 3xx responses'; then
    verdict="FAIL ($verdict) $(printf '%s\n' "$out" | grep -E 'Socket errors|Non-2xx')"
  fi
  echo "$w: $verdict"
  case "$verdict" in ok*) ;; *) fail=1 ;; esac
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: carematchd died during $w"; tail -5 "$tmp/server.log"; exit 1; }
done

kill -TERM "$pid"
if ! wait "$pid"; then
  echo "FAIL: carematchd did not stop cleanly on SIGTERM"
  fail=1
fi
pid=""
[ "$fail" = 0 ] && echo "load smoke: PASS" || echo "load smoke: FAIL"
exit "$fail"
