// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/contract/fault_util.h
// -----------------------------------------------------------------------------
//
// What the fault-injection tests share (platform/fault.h is the hook): the
// native code of an error by its name on each backend, and the skip for a
// build without the hook.

#ifndef NET_TESTS_CONTRACT_FAULT_UTIL_H_
#define NET_TESTS_CONTRACT_FAULT_UTIL_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "doctest/doctest.h"
#include "platform/fault.h"
#include "platform/sys.h"
#include "tests/contract/error_expectations.h"
#include "tests/test_util.h"

namespace net_test {

// The fault hook's names, for the fault test files that keep their cases in
// namespace net_test.
using net::sys::fault::kForever;
using net::sys::fault::Point;
using net::sys::fault::Rule;
using net::sys::fault::ScopedFault;

inline bool OnWindowsBackend() { return net::sys::BackendName() == "windows"; }

// The native code named `posix` on POSIX and `windows` on Winsock, read from
// the backend's own translation table, so that no test needs an OS header.
inline int NativeCode(absl::string_view posix, absl::string_view windows) {
  const absl::string_view name = OnWindowsBackend() ? windows : posix;
  const net::sys::ErrorRow* row = FindErrorRow(net::sys::ErrorTable(), name);
  REQUIRE_MESSAGE(row != nullptr, "no row named " << std::string(name));
  return row->native;
}

}  // namespace net_test

// A test file of fault cases is wrapped in `#if NET_HAS_FAULT_INJECTION`;
// its `#else` branch is one case that calls this, so that a build without
// the hook (a release build) says why the cases are not there.
#define NET_FAULT_CASES_SKIPPED(file)                                      \
  TEST_CASE(file ": fault injection cases") {                              \
    net_test::PrintSkip(                                                   \
        "built without NET_FAULT_INJECTION (the Debug presets have it)"); \
  }

#endif  // NET_TESTS_CONTRACT_FAULT_UTIL_H_
