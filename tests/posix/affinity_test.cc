// Copyright 2026 The net Authors.
//
// net::AvailableParallelism() reads the calling thread's CPU affinity on
// Linux (platform/posix/features_posix.cc): a thread pinned to some CPUs
// counts those, as `taskset` would make a whole process count them. The
// portable promise (at least 1, at most the machine's CPUs, a server given
// it runs that many loops) is in tests/contract/server_test.cc.

#include <pthread.h>
#include <sched.h>

#include <thread>

#include "net/server.h"
#include "tests/test_util.h"

#if defined(__linux__)

namespace {

// AvailableParallelism() on a thread whose affinity is the first `n` CPUs
// of this thread's own set; -1 if the affinity could not be set.
int CountOnThreadPinnedTo(int n) {
  cpu_set_t mine;
  CPU_ZERO(&mine);
  if (sched_getaffinity(0, sizeof(mine), &mine) != 0) return -1;
  int answer = -1;
  std::thread pinned([&] {
    cpu_set_t set;
    CPU_ZERO(&set);
    int taken = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && taken < n; ++cpu) {
      if (CPU_ISSET(cpu, &mine)) {
        CPU_SET(cpu, &set);
        ++taken;
      }
    }
    if (taken != n ||
        pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0) {
      return;
    }
    answer = net::AvailableParallelism();
  });
  pinned.join();
  return answer;
}

}  // namespace

TEST_CASE("AvailableParallelism counts the CPUs of the calling thread's "
          "affinity") {
  const int all = net::AvailableParallelism();
  cpu_set_t mine;
  CPU_ZERO(&mine);
  REQUIRE(sched_getaffinity(0, sizeof(mine), &mine) == 0);
  CHECK(all == CPU_COUNT(&mine));
  CHECK(CountOnThreadPinnedTo(1) == 1);
  if (all >= 2) {
    CHECK(CountOnThreadPinnedTo(2) == 2);
  } else {
    MESSAGE("one CPU here: the two-CPU pin is not tried");
  }
  // The pins were the threads' own: this thread's count is unchanged.
  CHECK(net::AvailableParallelism() == all);
}

#endif  // __linux__
