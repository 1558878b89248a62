#!/usr/bin/env bash
# Build and run the whole test suite, twice: a normal build, then AddressSanitizer +
# UndefinedBehaviorSanitizer. Installs missing Debian packages first. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh test
jobs=$(nproc 2>/dev/null || echo 2)
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

echo "== build (RelWithDebInfo) =="
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-test -j"$jobs"
echo "== tests =="
ctest --test-dir build-test --output-on-failure -j2 ${CM_CTEST_ARGS:-} | tee -a "$summary"

if [ "${CM_SKIP_ASAN:-0}" != 1 ]; then
  echo "== build (ASan + UBSan) =="
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCM_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  echo "== tests under ASan + UBSan =="
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    ctest --test-dir build-asan --output-on-failure -j2 ${CM_CTEST_ARGS:-} | tee -a "$summary"
fi

# Short fuzzing runs (tests/fuzz/run.sh): 20 s per libFuzzer target when clang is there.
if [ "${CM_SKIP_FUZZ:-0}" != 1 ] && command -v clang >/dev/null; then
  echo "== fuzz (20 s per target) =="
  tests/fuzz/run.sh --seconds 20
fi

# One closing line over both ctest runs (plain and sanitized).
awk '/tests passed, [0-9]+ tests failed out of/ { t += $(NF); f += $(NF-5) }
     END { printf "tests: %d passed, %d failed\n", t - f, f }' "$summary"
