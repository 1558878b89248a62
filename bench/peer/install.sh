#!/usr/bin/env bash
# Install the peer (PostgreSQL 15 + PostGIS 3 from Debian 12 packages), only what is missing.
# Idempotent; the cluster itself is created per run by bench/peer/pg.sh (own data dir, own port).
set -euo pipefail
PKGS=(postgresql-15 postgresql-15-postgis-3 postgresql-client-15)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "peer: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" != 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# Debian may start the default cluster on 5432: we never use it, and do not touch it.
test -x /usr/lib/postgresql/15/bin/initdb
test -f /usr/share/postgresql/15/extension/postgis.control
