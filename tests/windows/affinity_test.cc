// Copyright 2026 The net Authors.
//
// net::AvailableParallelism() on Windows is the process's affinity mask
// (platform/windows/features_windows.cc): narrowing the mask to one CPU
// narrows the count, and restoring it restores the count.

#include <windows.h>

#include <cstdint>

#include "absl/numeric/bits.h"
#include "net/server.h"
#include "tests/test_util.h"

namespace {

int Bits(DWORD_PTR mask) {
  return absl::popcount(static_cast<std::uint64_t>(mask));
}

}  // namespace

TEST_CASE("AvailableParallelism counts the CPUs of the process's affinity "
          "mask") {
  DWORD_PTR process = 0;
  DWORD_PTR system = 0;
  REQUIRE(GetProcessAffinityMask(GetCurrentProcess(), &process, &system));
  REQUIRE(process != 0);
  CHECK(net::AvailableParallelism() == Bits(process));
  const DWORD_PTR lowest = process & (~process + 1);
  if (!SetProcessAffinityMask(GetCurrentProcess(), lowest)) {
    MESSAGE("[net-skip] SetProcessAffinityMask failed (error "
            << GetLastError() << "): the narrowed count is not checked");
    return;
  }
  CHECK(net::AvailableParallelism() == 1);
  REQUIRE(SetProcessAffinityMask(GetCurrentProcess(), process));
  CHECK(net::AvailableParallelism() == Bits(process));
}
