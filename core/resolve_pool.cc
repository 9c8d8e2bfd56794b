// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/resolve_pool.cc
// -----------------------------------------------------------------------------
//
// The resolver thread pool (core/resolve_pool_internal.h): a mutex-guarded
// FIFO queue, up to `kMaxResolverThreads` detached workers, idle ones
// waiting on a condition variable that also times their exit.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "core/resolve_pool_internal.h"

namespace net {
namespace internal {
namespace {

using Job = absl::AnyInvocable<void() &&>;

class ResolvePool {
 public:
  // The one pool, created on first use and never destroyed: detached
  // workers may still be finishing a job while the process exits.
  static ResolvePool& Get() {
    static ResolvePool* const pool = new ResolvePool();
    return *pool;
  }

  absl::Status Submit(Job job) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(job));
    if (queue_.size() <= static_cast<std::size_t>(idle_)) {
      // An idle worker takes it (Signal wakes one, FIFO order holds: every
      // worker takes the queue's front).
      cv_.Signal();
    } else if (threads_ < kMaxResolverThreads) {
      absl::Status started = StartThread();
      if (!started.ok() && threads_ == 0) {
        queue_.pop_back();  // nobody would ever run it
        return started;
      }
      // A failed start with workers left only means a longer wait.
    }
    // Else every worker is busy: the job waits its turn.
    ++submitted_;
    return absl::OkStatus();
  }

  absl::Duration SetIdleTime(absl::Duration idle_time) {
    absl::MutexLock lock(&mu_);
    cv_.SignalAll();  // waiters wait again, for the new time
    return std::exchange(idle_time_, idle_time);
  }

  ResolverPoolStats Stats() {
    absl::MutexLock lock(&mu_);
    ResolverPoolStats stats;
    stats.threads = threads_;
    stats.idle = idle_;
    stats.queued = queue_.size();
    stats.submitted = submitted_;
    return stats;
  }

 private:
  ResolvePool() = default;

  absl::Status StartThread() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // std::thread reports a refused thread (EAGAIN: RLIMIT_NPROC, memory)
    // only by throwing; that is the one exception net catches.
    try {
      std::thread([this] { Work(); }).detach();
    } catch (const std::system_error& e) {
      return absl::ResourceExhaustedError(
          absl::StrCat("resolve: cannot start a resolver thread: ", e.what()));
    }
    ++threads_;
    return absl::OkStatus();
  }

  void Work() {
    mu_.Lock();
    for (;;) {
      // A timed-out wait with work queued (a Signal that raced the
      // timeout) takes the work; only a quiet pool lets its threads go.
      bool timed_out = false;
      while (queue_.empty() && !timed_out) {
        ++idle_;
        timed_out = cv_.WaitWithTimeout(&mu_, idle_time_);
        --idle_;
      }
      if (queue_.empty()) break;
      Job job = std::move(queue_.front());
      queue_.pop_front();
      mu_.Unlock();
      std::move(job)();
      job = nullptr;  // what it holds is released outside the lock too
      mu_.Lock();
    }
    --threads_;
    mu_.Unlock();
  }

  absl::Mutex mu_;
  absl::CondVar cv_;
  std::deque<Job> queue_ ABSL_GUARDED_BY(mu_);
  absl::Duration idle_time_ ABSL_GUARDED_BY(mu_) = kResolverIdleTime;
  int threads_ ABSL_GUARDED_BY(mu_) = 0;
  int idle_ ABSL_GUARDED_BY(mu_) = 0;
  std::uint64_t submitted_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

absl::Status RunOnResolverThread(Job job) {
  return ResolvePool::Get().Submit(std::move(job));
}

ResolverPoolStats GetResolverPoolStats() { return ResolvePool::Get().Stats(); }

absl::Duration SetResolverIdleTimeForTesting(absl::Duration idle_time) {
  return ResolvePool::Get().SetIdleTime(idle_time);
}

}  // namespace internal
}  // namespace net
