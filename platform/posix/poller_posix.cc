// Copyright 2026 The net Authors.
//
// The POSIX poller factory and the wake channel. Which pollers exist is
// decided by CMake (NET_HAVE_EPOLL, NET_HAVE_KQUEUE are defined for this file
// only when poller_epoll_posix.cc / poller_kqueue_posix.cc are compiled;
// NET_HAVE_IO_URING with poller_uring_posix.cc).
// The Windows twin is poller_windows.cc.

#include "platform/posix/poller_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "platform/fault.h"
#include "platform/posix/posix_internal.h"

#if defined(__linux__)
#include <sys/eventfd.h>
#endif

namespace net::sys {
namespace posix {

absl::StatusOr<std::unique_ptr<WakeChannel>> WakeChannel::Create() {
#if defined(__linux__)
  // eventfd: one descriptor instead of two, and writes never fill up.
  int fd = NET_FAULT(kPollerCreate, kInvalidHandle, -1,
                     eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (fd < 0) return Fail("eventfd");
  return std::unique_ptr<WakeChannel>(new WakeChannel(fd, fd));
#else
  int fds[2];
  if (NET_FAULT(kPollerCreate, kInvalidHandle, -1, pipe(fds)) != 0) {
    return Fail("pipe");
  }
  for (int fd : fds) {
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  return std::unique_ptr<WakeChannel>(new WakeChannel(fds[0], fds[1]));
#endif
}

WakeChannel::~WakeChannel() {
  CloseHandle(read_fd_);
  if (write_fd_ != read_fd_) CloseHandle(write_fd_);
}

void WakeChannel::Signal() {
  const std::uint64_t one = 1;
  // A full pipe (EAGAIN) already means "wake up": nothing is lost.
  ssize_t rc;
  do {
    rc = write(write_fd_, &one, write_fd_ == read_fd_ ? sizeof(one) : 1);
  } while (rc < 0 && errno == EINTR);
}

void WakeChannel::Drain() {
  char buffer[64];
  ssize_t rc;
  if (read_fd_ == write_fd_) {
    // eventfd: one read takes the whole count (no second read to see
    // EAGAIN: one system call fewer per cross-thread wakeup).
    do {
      rc = read(read_fd_, buffer, sizeof(std::uint64_t));
    } while (rc < 0 && errno == EINTR);
    return;
  }
  do {
    rc = read(read_fd_, buffer, sizeof(buffer));
  } while (rc > 0 || (rc < 0 && errno == EINTR));
}

}  // namespace posix

#if !defined(NET_HAVE_IO_URING)
absl::Status IoUringSupport() {
  return absl::UnimplementedError(
      "io_uring: not compiled in (a Linux build with <linux/io_uring.h>)");
}
#endif

std::vector<EventLoopBackend> PollerBackends() {
  std::vector<EventLoopBackend> out;
#if defined(NET_HAVE_EPOLL)
  out.push_back(EventLoopBackend::kEpoll);
#endif
#if defined(NET_HAVE_IO_URING)
  out.push_back(EventLoopBackend::kIoUring);
#endif
#if defined(NET_HAVE_KQUEUE)
  out.push_back(EventLoopBackend::kKqueue);
#endif
  out.push_back(EventLoopBackend::kPoll);
  out.push_back(EventLoopBackend::kSelect);
  return out;
}

absl::StatusOr<std::unique_ptr<Poller>> NewPoller(EventLoopBackend backend) {
  switch (backend) {
#if defined(NET_HAVE_EPOLL)
    case EventLoopBackend::kEpoll: return posix::NewEpollPoller();
#endif
#if defined(NET_HAVE_KQUEUE)
    case EventLoopBackend::kKqueue: return posix::NewKqueuePoller();
#endif
#if defined(NET_HAVE_IO_URING)
    case EventLoopBackend::kIoUring: return posix::NewUringPoller();
#endif
    case EventLoopBackend::kPoll: return posix::NewPollPoller();
    case EventLoopBackend::kSelect: return posix::NewSelectPoller();
    default: break;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "event loop: backend ", EventLoopBackendName(backend),
      " is not compiled into the POSIX backend"));
}

}  // namespace net::sys
