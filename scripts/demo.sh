#!/usr/bin/env bash
# Install what is missing, build, load the demo corpus (first run only) and start carematchd
# on 127.0.0.1:8080 with demo keys. Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target carematchd carematch -j"$(nproc 2>/dev/null || echo 2)"

DATA=${CAREMATCH_DATA:-demo-data}
LISTEN=${CAREMATCH_LISTEN:-127.0.0.1:8080}
mkdir -p "$DATA"
if [ ! -e "$DATA/lmdb/data.mdb" ]; then
  echo "loading the demo corpus into $DATA ..."
  build/carematch --data "$DATA" import --kind offers corpora/demo/offers.ndjson
  build/carematch --data "$DATA" import --kind candidates corpora/demo/candidates.ndjson
fi
KEYS="$DATA/demo-keys.json"
if [ ! -e "$KEYS" ]; then
  # Fixed, well-known demo keys: fine on loopback, never in production (see README).
  cat > "$KEYS" <<'JSON'
{"keys": [
  {"key": "demo-admin", "scope": "admin", "name": "ops (demo)"},
  {"key": "demo-adviser", "scope": "adviser", "name": "adviser (demo)"},
  {"key": "demo-portal", "scope": "portal", "name": "portal (demo)"}
]}
JSON
fi
cat <<MSG
carematchd on http://$LISTEN  (data: $DATA)
demo keys:  admin = demo-admin   adviser = demo-adviser   portal = demo-portal
try:        curl -s -H 'Authorization: Bearer demo-portal' 'http://$LISTEN/v1/offers/search?q=aide-soignant&per_page=3'
MSG
exec build/carematchd --data "$DATA" --listen "$LISTEN" --keys "$KEYS"
