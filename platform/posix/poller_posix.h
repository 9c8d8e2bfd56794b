// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/posix/poller_posix.h
// -----------------------------------------------------------------------------
//
// Pieces shared by the POSIX pollers (epoll, kqueue, poll, select). The
// Windows twin is platform/windows/poller_windows.h. What the pollers of both
// backends share (bsd::TimeoutMilliseconds(), the scanning pollers' base and
// pollfd array) comes with it from platform/bsd/poller_bsd.h.

#ifndef NET_PLATFORM_POSIX_POLLER_POSIX_H_
#define NET_PLATFORM_POSIX_POLLER_POSIX_H_

#include <poll.h>

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/poller_bsd.h"

namespace net::sys::posix {

// WakeChannel
//
// A descriptor that becomes readable when signalled, from any thread:
// eventfd on Linux (one descriptor, 8-byte counter), a non-blocking pipe
// elsewhere. Signal() coalesces: many signals before a Drain() are one
// wakeup.
class WakeChannel {
 public:
  static absl::StatusOr<std::unique_ptr<WakeChannel>> Create();
  ~WakeChannel();
  WakeChannel(const WakeChannel&) = delete;
  WakeChannel& operator=(const WakeChannel&) = delete;

  int read_fd() const { return read_fd_; }
  void Signal();
  void Drain();

 private:
  WakeChannel(int read_fd, int write_fd)
      : read_fd_(read_fd), write_fd_(write_fd) {}
  int read_fd_;
  int write_fd_;  // == read_fd_ for eventfd
};

absl::StatusOr<std::unique_ptr<Poller>> NewEpollPoller();

// EpollSet
//
// The epoll poller as the io_uring poller uses it (poller_uring_posix.cc):
// the watches, the wake channel and the timer stay in the epoll set, and the
// ring polls the set's descriptor instead of blocking in epoll_wait.
class EpollSet : public Poller {
 public:
  // The epoll descriptor (readable when the set has something to report).
  virtual int fd() const = 0;
  // Arms the timer for `deadline` as WaitUntil() does; false when the
  // deadline may already have passed, so the wait must not block.
  // kUnavailable when the set has no timer: the caller times its wait.
  virtual absl::StatusOr<bool> ArmDeadline(MonotonicTime deadline) = 0;
  // Collects what the set reports now, without blocking.
  virtual absl::Status CollectReady(std::vector<PollEvent>* events) = 0;
};
absl::StatusOr<std::unique_ptr<EpollSet>> NewEpollSet();
absl::StatusOr<std::unique_ptr<Poller>> NewUringPoller();
absl::StatusOr<std::unique_ptr<Poller>> NewKqueuePoller();
absl::StatusOr<std::unique_ptr<Poller>> NewPollPoller();
absl::StatusOr<std::unique_ptr<Poller>> NewSelectPoller();

}  // namespace net::sys::posix

#endif  // NET_PLATFORM_POSIX_POLLER_POSIX_H_
