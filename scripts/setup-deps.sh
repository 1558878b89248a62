#!/usr/bin/env bash
# Install the Debian 12 packages carematch needs, only those missing. Idempotent.
set -euo pipefail
PKGS=(build-essential cmake pkg-config libxapian-dev libuv1-dev libcjson-dev liblmdb-dev
      node-llhttp libssl-dev python3 curl clang libclang-rt-14-dev)
PKGS+=(wrk) # tests/load (load smoke test) needs it
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" != 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
