#!/usr/bin/env bash
# Builds the libFuzzer fuzzers (tests/fuzz/, docs/fuzzing.md) and fuzzes each
# target for a while, seeded with its checked-in corpus.
#
#   scripts/fuzz.sh [--seconds N] [--targets a,b] [--jobs N]
#                   [--build-dir DIR] [--no-build] [--merge]
#
#   --seconds N     fuzz each target N seconds (default 60)
#   --targets a,b   only these targets (default: all of tests/fuzz)
#   --jobs N        targets fuzzed at once (default 2, the machine's cores)
#   --build-dir D   the fuzz tree (default build/fuzz, the `fuzz` preset's)
#   --no-build      use the fuzzers already built in the tree
#   --merge         afterwards, merge what each run found into the
#                   checked-in corpus (libFuzzer -merge=1: only inputs that
#                   add coverage); review the result before committing
#
# Each target fuzzes a scratch copy of tests/fuzz/corpus/<target>/ under
# <build-dir>/fuzz-work/<target>/ (the checked-in directory is never
# written, except with --merge), and prints one line:
#
#   fuzz address_text: ok, 600 s, 21000000 runs, 35000 execs/s, corpus 812 files 14 KiB, cov 702 ft 2011
#
# A finding (crash, sanitizer report, oracle failure, leak, timeout, out of
# memory) prints the path of the reproducer libFuzzer kept under
# <build-dir>/fuzz-work/<target>/artifacts/, and the script exits 1 once
# every target has run.
#
# Needs clang-14 and its runtime (scripts/setup-debian.sh --fuzz, run here
# when they are missing). Abseil and OpenSSL are Debian's.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=60
targets=""
jobs=2
build_dir="$root/build/fuzz"
do_build=1
do_merge=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --build-dir) build_dir=$(realpath -m "$2"); shift 2 ;;
    --no-build) do_build=0; shift ;;
    --merge) do_merge=1; shift ;;
    -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "fuzz.sh: --seconds N, N > 0" >&2; exit 2; }
[[ $jobs =~ ^[0-9]+$ && $jobs -gt 0 ]] || { echo "fuzz.sh: --jobs N, N > 0" >&2; exit 2; }

all_targets=$(cd "$root/tests/fuzz" && ls ./*_fuzz.cc | sed 's|^\./||; s|_fuzz\.cc$||' | sort)
if [[ -z $targets ]]; then
  targets=$(echo "$all_targets" | tr '\n' ' ')
else
  targets=$(echo "$targets" | tr ',' ' ')
  for t in $targets; do
    grep -qx "$t" <<<"$all_targets" || { echo "fuzz.sh: no target $t (have: $(echo $all_targets))" >&2; exit 2; }
  done
fi

fuzzer_runtime() {
  compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null
}

if [[ $do_build == 1 ]]; then
  if ! command -v clang++-14 >/dev/null || ! fuzzer_runtime; then
    echo "fuzz.sh: installing clang-14 and libFuzzer (scripts/setup-debian.sh --fuzz)"
    bash "$root/scripts/setup-debian.sh" --fuzz
  fi
  start=$(date +%s)
  # The `fuzz` preset (CMakePresets.json), in any build directory.
  cmake --preset fuzz -S "$root" -B "$build_dir" >/dev/null
  build_targets=()
  for t in $targets; do build_targets+=("${t}_fuzz"); done
  cmake --build "$build_dir" -j2 --target "${build_targets[@]}"
  echo "fuzz.sh: built in $(( $(date +%s) - start )) s"
fi

# Fuzzes target $1; writes its summary line to <work>/summary.
fuzz_one() {
  local t=$1
  local exe="$build_dir/tests/fuzz/${t}_fuzz"
  local work="$build_dir/fuzz-work/$t"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$root/tests/fuzz/corpus/$t/." "$work/corpus/" -R
  local rc=0
  # -timeout: one input taking 10 s is a finding (a hang); leaks count too.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -print_funcs=0 -print_pcs=0 \
      -artifact_prefix="$work/artifacts/" "$work/corpus" \
      >"$work/log" 2>&1 || rc=$?
  local last runs execs files bytes cov ft
  last=$(grep -E '^#[0-9]+' "$work/log" | tail -n 1 || true)
  runs=$(grep -oP 'stat::number_of_executed_units:\s*\K[0-9]+' "$work/log" || echo "?")
  execs=$(grep -oP 'stat::average_exec_per_sec:\s*\K[0-9]+' "$work/log" || echo "?")
  cov=$(grep -oP 'cov: \K[0-9]+' <<<"$last" || echo "?")
  ft=$(grep -oP 'ft: \K[0-9]+' <<<"$last" || echo "?")
  files=$(find "$work/corpus" -type f | wc -l)
  bytes=$(du -sb "$work/corpus" | cut -f1)
  local verdict="ok"
  local artifacts
  artifacts=$(find "$work/artifacts" -type f | sort)
  if [[ $rc != 0 || -n $artifacts ]]; then
    verdict="FINDING (exit $rc; log $work/log)"
  fi
  echo "fuzz $t: $verdict, $seconds s, $runs runs, $execs execs/s, corpus $files files $(( bytes / 1024 )) KiB, cov $cov ft $ft" >"$work/summary"
  for a in $artifacts; do
    echo "  reproducer: $a (replay: $exe $a)" >>"$work/summary"
  done
  [[ $verdict == ok ]]
}

mkdir -p "$build_dir/fuzz-work"
echo "fuzz.sh: $seconds s per target, $jobs at a time: $targets"
names=()
failed=0
for t in $targets; do
  while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do wait -n || true; done
  fuzz_one "$t" &
  names+=("$t")
done
wait || true
for t in "${names[@]}"; do
  summary="$build_dir/fuzz-work/$t/summary"
  if [[ -f $summary ]]; then
    cat "$summary"
    grep -q "^fuzz $t: ok," "$summary" || failed=1
  else
    echo "fuzz $t: no summary (the run did not finish)"
    failed=1
  fi
done

if [[ $do_merge == 1 ]]; then
  for t in $targets; do
    # Keeps what adds coverage to the checked-in corpus (files named by
    # their SHA-1); the seeds already there stay.
    "$build_dir/tests/fuzz/${t}_fuzz" -merge=1 -print_funcs=0 \
      "$root/tests/fuzz/corpus/$t" "$build_dir/fuzz-work/$t/corpus" \
      >"$build_dir/fuzz-work/$t/merge.log" 2>&1 || failed=1
    echo "merge $t: $(find "$root/tests/fuzz/corpus/$t" -type f | wc -l) files, $(du -sb "$root/tests/fuzz/corpus/$t" | cut -f1) bytes"
  done
fi

if [[ $failed != 0 ]]; then
  echo "fuzz.sh: FINDINGS (reproducers above; docs/fuzzing.md says how to minimise and keep one)" >&2
  exit 1
fi
echo "fuzz.sh: no finding"
