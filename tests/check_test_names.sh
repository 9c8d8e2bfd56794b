#!/usr/bin/env bash
# Copyright 2026 The net Authors.
#
# tests/check_test_names.sh EXE...: fails if a test case of a doctest
# executable has a ';' in its name. ctest gets one entry per test case
# (doctest_discover_tests), and CMake cuts such a name at the ';' (a list
# separator): the entry then runs `EXE -tc=<the first part>`, which matches
# no test case, runs nothing and passes. A name with a ';' is a test that
# cannot fail. (The ctest entry test_names_run_under_ctest runs this.)
set -u
status=0
for exe in "$@"; do
  if ! names=$("$exe" --list-test-cases 2>&1); then
    echo "check_test_names: $exe --list-test-cases failed:" >&2
    echo "$names" >&2
    status=1
    continue
  fi
  bad=$(grep ';' <<<"$names" || true)
  if [[ -n $bad ]]; then
    echo "check_test_names: $(basename "$exe") has test cases whose names hold a ';' (ctest would run none of them; write ',' or ':'):" >&2
    echo "$bad" | sed 's/^/  /' >&2
    status=1
  fi
done
exit "$status"
