// Copyright 2026 The net Authors.
//
// The poll(2) and select(2) pollers: portable to every POSIX system, O(n)
// per wait. Kept for systems without epoll/kqueue and so the suite can run
// on every backend. The Windows twin of the poll poller is the WSAPoll one
// in poller_windows.cc; what they share (the registration list, the pollfd
// array) is in platform/bsd/poller_bsd.h.

#include <errno.h>
#include <poll.h>
#include <sys/select.h>

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/poll_registry_internal.h"
#include "platform/fault.h"
#include "platform/posix/poller_posix.h"
#include "platform/posix/posix_internal.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/poller_bsd.h"

namespace net::sys::posix {
namespace {

// POLLRDHUP (Linux 2.6.17+) reports the peer's FIN; poll(2) answers it only
// when asked, so it is asked with read interest only and a write-only
// registration does not hear of a FIN (docs/event-loop.md, "Readiness
// flags"). Elsewhere poll has no such bit: a FIN there is POLLIN alone
// (macOS and the BSDs use kqueue, which reports it).
#if defined(POLLRDHUP)
constexpr short kPeerClosed = POLLRDHUP;
#else
constexpr short kPeerClosed = 0;
#endif

class PollPoller final : public bsd::ScanningPoller {
 public:
  explicit PollPoller(std::unique_ptr<WakeChannel> wake)
      : ScanningPoller("poll"), wake_(std::move(wake)) {}

  absl::Status Wait(absl::Duration timeout,
                    std::vector<PollEvent>* events) override {
    fds_.Fill(wake_->read_fd(), registry_.entries());
    int n = NET_FAULT(kPollerWait, kInvalidHandle, -1,
                      poll(fds_.data(), static_cast<nfds_t>(fds_.size()),
                           bsd::TimeoutMilliseconds(timeout)));
    if (n < 0) return errno == EINTR ? absl::OkStatus() : Fail("poll");
    if (fds_.woken()) wake_->Drain();
    fds_.Collect(registry_.entries(), events);
    return absl::OkStatus();
  }

  void Wake() override { wake_->Signal(); }

 private:
  std::unique_ptr<WakeChannel> wake_;
  bsd::PollSet<pollfd> fds_{POLLIN, POLLOUT, kPeerClosed,
                            bsd::PollSet<pollfd>::Hangups::kPoll};
};

class SelectPoller final : public bsd::ScanningPoller {
 public:
  explicit SelectPoller(std::unique_ptr<WakeChannel> wake)
      : ScanningPoller("select"), wake_(std::move(wake)) {}

  absl::Status Add(Handle handle, std::uint64_t token,
                   Interest interest) override {
    const int fd = Fd(handle);
    if (fd < 0 || fd >= FD_SETSIZE) {
      return absl::InvalidArgumentError(absl::StrCat(
          "select: descriptor ", fd, " is at or above FD_SETSIZE (",
          FD_SETSIZE, "); use the epoll, kqueue or poll backend"));
    }
    return ScanningPoller::Add(handle, token, interest);
  }

  absl::Status Wait(absl::Duration timeout,
                    std::vector<PollEvent>* events) override {
    fd_set readable, writable, failed;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_ZERO(&failed);
    int max_fd = wake_->read_fd();
    FD_SET(wake_->read_fd(), &readable);
    for (const internal::PollRegistry::Entry& e : registry_.entries()) {
      if (Wants(e.interest, Interest::kReadable)) FD_SET(Fd(e.handle), &readable);
      if (Wants(e.interest, Interest::kWritable)) FD_SET(Fd(e.handle), &writable);
      FD_SET(Fd(e.handle), &failed);  // exceptional conditions (out-of-band data)
      if (Fd(e.handle) > max_fd) max_fd = Fd(e.handle);
    }
    timeval tv{};
    timeval* wait = nullptr;
    if (timeout != absl::InfiniteDuration()) {
      const int ms = bsd::TimeoutMilliseconds(timeout);
      tv.tv_sec = ms / 1000;
      tv.tv_usec = (ms % 1000) * 1000;
      wait = &tv;
    }
    int n = NET_FAULT(kPollerWait, kInvalidHandle, -1,
                      select(max_fd + 1, &readable, &writable, &failed, wait));
    if (n < 0) return errno == EINTR ? absl::OkStatus() : Fail("select");
    if (FD_ISSET(wake_->read_fd(), &readable)) wake_->Drain();
    for (const internal::PollRegistry::Entry& e : registry_.entries()) {
      PollEvent out;
      out.token = e.token;
      out.readiness.readable = FD_ISSET(Fd(e.handle), &readable) != 0 ||
                               FD_ISSET(Fd(e.handle), &failed) != 0;
      out.readiness.writable = FD_ISSET(Fd(e.handle), &writable) != 0;
      if (out.readiness.readable || out.readiness.writable) {
        events->push_back(out);
      }
    }
    return absl::OkStatus();
  }

  void Wake() override { wake_->Signal(); }

 private:
  std::unique_ptr<WakeChannel> wake_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> NewPollPoller() {
  absl::StatusOr<std::unique_ptr<WakeChannel>> wake = WakeChannel::Create();
  if (!wake.ok()) return wake.status();
  return std::unique_ptr<Poller>(new PollPoller(std::move(*wake)));
}

absl::StatusOr<std::unique_ptr<Poller>> NewSelectPoller() {
  absl::StatusOr<std::unique_ptr<WakeChannel>> wake = WakeChannel::Create();
  if (!wake.ok()) return wake.status();
  return std::unique_ptr<Poller>(new SelectPoller(std::move(*wake)));
}

}  // namespace net::sys::posix
