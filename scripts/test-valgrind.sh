#!/usr/bin/env bash
# core_test and contract_test under valgrind memcheck, in one command: the
# dev preset's tree (build/dev: Debug gcc without sanitizers, which valgrind
# needs; .ci/run has built it already, so nothing is rebuilt there), with
# only those two executables built. Prints the wall time.
#
#   bash scripts/test-valgrind.sh
#
# Fails (non-zero) when, in either executable:
#   * memcheck reports any error (invalid read or write, use of an
#     uninitialised value, a bad free, a system call given uninitialised or
#     unaddressable memory): --error-exitcode=99;
#   * a block is definitely or indirectly lost at exit
#     (--errors-for-leak-kinds=definite,indirect; those are the kinds shown
#     too). "Possibly lost" is neither shown nor counted: the only such
#     blocks are net's deliberately never-freed function-local statics
#     (e.g. internal::ConnectInProgress's two absl::Status), which valgrind
#     reaches only through an interior pointer because absl::Status keeps its
#     heap rep as a tagged integer;
#   * a descriptor the test process opened is still open at exit. Valgrind
#     3.19's --track-fds=yes only prints the open descriptors (it has no
#     option to count them as errors), so the script reads that list: every
#     descriptor not "<inherited from parent>" is a leak, printed with the
#     stack that opened it;
#   * a test case fails (the executable's own exit status), or a run takes
#     more than 10 minutes (timeout).
#
# Suppressions: tests/valgrind.supp, only for Debian's own libraries (each
# with its reason), never for net's code.
#
# Nothing is left out: every case of both suites runs (none lowers an rlimit,
# which valgrind refuses, and none waits long enough to time out at
# valgrind's slowdown). They run one after the other, core_test first: in
# parallel they would save a few seconds but share 2 cores with the timing
# checks of contract_test. Cases that skip here skip natively too (SCTP
# absent, no IPv6 multicast route on lo): they print "[net-skip]".
#
# NET_VALGRIND_BUILD_DIR names another build directory instead, configured
# here like the dev preset.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$SECONDS
bash scripts/setup-debian.sh --valgrind
if [[ -n ${NET_VALGRIND_BUILD_DIR:-} ]]; then
  build=$NET_VALGRIND_BUILD_DIR
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER=g++ -DNET_WERROR=ON -DNET_FAULT_INJECTION=ON \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
  cmake --build "$build" -j2 --target core_test contract_test
else
  build=build/dev
  cmake --preset dev >/dev/null
  cmake --build --preset dev --target core_test contract_test
fi
echo "test-valgrind.sh: built in $((SECONDS - start)) s"

memcheck=(valgrind --tool=memcheck --error-exitcode=99 --num-callers=30
  --leak-check=full "--show-leak-kinds=definite,indirect"
  "--errors-for-leak-kinds=definite,indirect" --track-fds=yes
  --suppressions=tests/valgrind.supp)

# Descriptors valgrind lists as open at exit that the process opened itself
# (not "<inherited from parent>"), each with the lines after it (its stack).
fd_leaks() {
  awk '
    / Open (file descriptor|AF_[A-Z0-9]+ socket|pipe)/ {
      if (open != "" && !inherited) print block
      open = $0; block = $0; inherited = 0; next
    }
    open != "" && /<inherited from parent>/ { inherited = 1 }
    open != "" && /^==[0-9]+== *$/ {
      if (!inherited) print block
      open = ""; next
    }
    open != "" { block = block "\n" $0 }
    END { if (open != "" && !inherited) print block }
  ' "$1"
}

failed=()
for test in core_test contract_test; do
  log=$build/$test.valgrind.log
  t0=$SECONDS
  echo
  echo "=== valgrind memcheck: $test"
  rc=0
  timeout 600 "${memcheck[@]}" --log-file="$log" "$build/tests/$test" || rc=$?
  # Memcheck's own report: errors, leaks, the descriptors open at exit.
  cat "$log"
  leaks=$(fd_leaks "$log")
  if [[ -n $leaks ]]; then
    echo "test-valgrind.sh: $test: descriptors opened by the test still open at exit:"
    echo "$leaks"
  fi
  case $rc in
    0) why="" ;;
    99) why="memcheck errors or definite/indirect leaks (exit 99)" ;;
    124) why="timed out after 600 s" ;;
    *) why="exit status $rc (a failed test case, or valgrind itself)" ;;
  esac
  if [[ -n $leaks ]]; then why="${why:+$why; }descriptor leak"; fi
  if [[ -n $why ]]; then
    echo "test-valgrind.sh: $test FAILED under valgrind: $why ($((SECONDS - t0)) s)"
    failed+=("$test")
  else
    echo "test-valgrind.sh: $test clean under valgrind ($((SECONDS - t0)) s)"
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "test-valgrind.sh: FAILED (${failed[*]}) in $((SECONDS - start)) s"
  exit 1
fi
echo "test-valgrind.sh: passed in $((SECONDS - start)) s"
