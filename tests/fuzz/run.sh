#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz/ for a while, from its seed corpus and past crashes.
#   tests/fuzz/run.sh                    30 s per target (CI runs --seconds 20)
#   tests/fuzz/run.sh --seconds 14400    the "hours" run: 4 h per target
#   tests/fuzz/run.sh --only fuzz_http --seconds 600 [-- extra libFuzzer flags]
# Builds build-fuzz/ (clang, CM_FUZZ, ASan+UBSan) first. New coverage goes to
# build-fuzz/fuzz/corpus/<target>/ (the checked-in seeds stay small); a crash stops the run, is
# copied to tests/fuzz/regression/<target>/ and must be fixed: ctest replays that directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=30
only=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v clang >/dev/null || { echo "run.sh: clang is needed (scripts/setup-deps.sh)" >&2; exit 2; }

targets=(fuzz_record_json fuzz_record_binary fuzz_ft fuzz_bulk fuzz_search fuzz_cand_search fuzz_http)
[ -n "$only" ] && targets=("$only")
build=${CM_FUZZ_BUILD:-build-fuzz}
# an existing build directory keeps its build type (and its compiler: it must be clang)
type=()
[ -f "$build/CMakeCache.txt" ] || type=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
CC=clang CXX=clang++ cmake -S . -B "$build" "${type[@]}" -DCM_FUZZ=ON -DCM_SANITIZE=ON >/dev/null
cmake --build "$build" --target "${targets[@]}" -j2 >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  work="$build/fuzz/corpus/$t"
  crashes="$build/fuzz/crashes/$t"
  mkdir -p "$work" "$crashes"
  dirs=("$work" "tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regression/$t" ] && dirs+=("tests/fuzz/regression/$t")
  echo "== $t: ${seconds}s"
  # -rss_limit_mb: LMDB maps and Xapian caches are not leaks; the limit catches runaway input
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" "${extra[@]}" \
        "${dirs[@]}" >"$build/fuzz/$t.log" 2>&1; then
    status=1
    tail -n 60 "$build/fuzz/$t.log" >&2
    mkdir -p "tests/fuzz/regression/$t"
    for f in "$crashes"/*; do
      if [ -f "$f" ]; then
        cp "$f" "tests/fuzz/regression/$t/"
        echo "kept $f in tests/fuzz/regression/$t/" >&2
      fi
    done
  else
    grep -E "stat::number_of_executed_units|cov: " "$build/fuzz/$t.log" | tail -n 2
  fi
done
exit $status
