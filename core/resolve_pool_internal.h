// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/resolve_pool_internal.h
// -----------------------------------------------------------------------------
//
// The process-wide pool of threads on which `net::ConnectByName()` runs the
// blocking `net::Resolve()` (getaddrinfo / GetAddrInfoW). A resolver call
// can block for seconds (DNS timeouts and retries), so it must not run on
// an event loop's thread; the OSes have no portable asynchronous resolver
// (getaddrinfo_a is glibc only, GetAddrInfoExW's callback form is Windows
// only), so, as libuv and Go's cgo resolver do, threads do the waiting.
//
// The pool is bounded: at most `kMaxResolverThreads` threads, started one
// at a time when a job finds no idle thread, so a process that resolves
// nothing has none. Jobs beyond that wait in one FIFO queue. A thread that
// has had no job for `kResolverIdleTime` exits. The pool is never
// destroyed (it must outlive every loop and every static destructor that
// might still hand it a job); its threads are detached.

#ifndef NET_CORE_RESOLVE_POOL_INTERNAL_H_
#define NET_CORE_RESOLVE_POOL_INTERNAL_H_

#include <cstddef>
#include <cstdint>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/time/time.h"

namespace net {
namespace internal {

inline constexpr int kMaxResolverThreads = 4;
inline constexpr absl::Duration kResolverIdleTime = absl::Seconds(10);

// RunOnResolverThread()
//
// Queues `job` to run once on a pool thread, after the jobs queued before
// it have started. The job must not assume anything about the thread it
// runs on, and must not block forever (it holds a thread of four).
//
// Errors: kResourceExhausted when the pool has no thread and the OS refuses
// to start one (the job is then dropped, never run).
absl::Status RunOnResolverThread(absl::AnyInvocable<void() &&> job);

// ResolverPoolStats
//
// A snapshot, for tests and diagnostics.
struct ResolverPoolStats {
  int threads = 0;              // running now, idle ones included
  int idle = 0;                 // waiting for a job
  std::size_t queued = 0;       // jobs not started yet
  std::uint64_t submitted = 0;  // jobs accepted since the process started
};
ResolverPoolStats GetResolverPoolStats();

// SetResolverIdleTimeForTesting()
//
// Sets how long an idle thread waits for a job before it exits (at first
// `kResolverIdleTime`) and returns the previous value. Threads waiting now
// start their wait again with the new time. For tests that watch the pool
// shrink.
absl::Duration SetResolverIdleTimeForTesting(absl::Duration idle_time);

}  // namespace internal
}  // namespace net

#endif  // NET_CORE_RESOLVE_POOL_INTERNAL_H_
