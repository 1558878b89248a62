#!/usr/bin/env bash
# Install the Debian 12 packages a command needs, only those missing. Idempotent.
#   scripts/setup-deps.sh demo   build and run carematchd and the CLI (the default)
#   scripts/setup-deps.sh test   + what the test suite runs: python3, wrk (load smoke test),
#                                clang and its runtime (fuzzers), dpkg-dev (the package test)
# llhttp: carematch compiles the C sources that Debian ships in node-llhttp. When that package
# is not installed, its .deb is downloaded and only its C sources are unpacked into
# .deps/llhttp (CMake looks there), so that nodejs, which node-llhttp depends on, is never
# installed for a C server.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-demo}
PKGS=(build-essential cmake pkg-config libxapian-dev libuv1-dev libcjson-dev liblmdb-dev
      libssl-dev zlib1g-dev)
case "$profile" in
  demo) ;;
  test) PKGS+=(python3 wrk clang libclang-rt-14-dev dpkg-dev) ;;
  *) echo "usage: $0 [demo|test]" >&2; exit 2 ;;
esac
SUDO=""
[ "$(id -u)" != 0 ] && SUDO="sudo"
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${PKGS[@]}"; do
  installed "$p" || missing+=("$p")
done
llhttp_ok() { [ -e /usr/share/llhttp/llhttp.c ] || [ -e .deps/llhttp/usr/share/llhttp/llhttp.c ]; }
updated=0
if [ ${#missing[@]} -gt 0 ] || ! llhttp_ok; then
  $SUDO apt-get update -qq
  updated=1
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
fi
if ! llhttp_ok; then
  echo "setup: fetching llhttp's C sources (node-llhttp .deb, unpacked into .deps/llhttp)" >&2
  tmp=$(mktemp -d)
  chmod 0777 "$tmp" # apt downloads as the _apt user
  if (cd "$tmp" && apt-get download -qq node-llhttp >&2) && \
     dpkg-deb -x "$tmp"/node-llhttp_*.deb .deps/llhttp; then
    :
  else
    echo "setup: download failed; installing node-llhttp instead" >&2
    [ "$updated" = 1 ] || $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      node-llhttp >&2
  fi
  rm -rf "$tmp"
fi
