// Copyright 2026 The net Authors.
//
// The epoll poller (Linux). Its twin for macOS/BSD is
// poller_kqueue_posix.cc; on Windows, poller_iocp_windows.cc.

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "platform/posix/poller_posix.h"
#include "platform/posix/posix_internal.h"

namespace net::sys::posix {
namespace {

constexpr std::uint64_t kWakeToken = 0;  // registration tokens are never 0

std::uint32_t EpollEvents(Interest interest) {
  std::uint32_t events = 0;
  if (Wants(interest, Interest::kReadable)) events |= EPOLLIN | EPOLLRDHUP;
  if (Wants(interest, Interest::kWritable)) events |= EPOLLOUT;
  return events;
}

class EpollPoller final : public Poller {
 public:
  EpollPoller(int epfd, std::unique_ptr<WakeChannel> wake)
      : epfd_(epfd), wake_(std::move(wake)), ready_(256) {}
  ~EpollPoller() override { CloseHandle(epfd_); }

  absl::Status Add(Handle handle, std::uint64_t token,
                   Interest interest) override {
    return Control(EPOLL_CTL_ADD, handle, token, interest);
  }
  absl::Status Modify(Handle handle, std::uint64_t token,
                      Interest interest) override {
    return Control(EPOLL_CTL_MOD, handle, token, interest);
  }
  absl::Status Remove(Handle handle) override {
    epoll_event unused{};
    if (epoll_ctl(epfd_, EPOLL_CTL_DEL, Fd(handle), &unused) != 0 &&
        errno != ENOENT && errno != EBADF) {
      return Fail("epoll_ctl del");
    }
    return absl::OkStatus();
  }

  absl::Status Wait(absl::Duration timeout,
                    std::vector<PollEvent>* events) override {
    int n = epoll_wait(epfd_, ready_.data(), static_cast<int>(ready_.size()),
                       bsd::TimeoutMilliseconds(timeout));
    if (n < 0) return errno == EINTR ? absl::OkStatus() : Fail("epoll_wait");
    for (int i = 0; i < n; ++i) {
      const epoll_event& e = ready_[i];
      if (e.data.u64 == kWakeToken) {
        wake_->Drain();
        continue;
      }
      PollEvent out;
      out.token = e.data.u64;
      out.readiness.error = (e.events & EPOLLERR) != 0;
      out.readiness.hangup = (e.events & (EPOLLHUP | EPOLLRDHUP)) != 0;
      // Errors and hang-ups are delivered as readable and writable too, so
      // the next read or write call reports them (libuv does the same).
      const bool fault = out.readiness.error || out.readiness.hangup;
      out.readiness.readable = (e.events & EPOLLIN) != 0 || fault;
      out.readiness.writable = (e.events & EPOLLOUT) != 0 || out.readiness.error;
      events->push_back(out);
    }
    // A full batch: there may be more; grow for the next round.
    if (n == static_cast<int>(ready_.size()) && ready_.size() < 65536) {
      ready_.resize(ready_.size() * 2);
    }
    return absl::OkStatus();
  }

  void Wake() override { wake_->Signal(); }

 private:
  absl::Status Control(int op, Handle handle, std::uint64_t token,
                       Interest interest) {
    epoll_event e{};
    e.events = EpollEvents(interest);
    e.data.u64 = token;
    if (epoll_ctl(epfd_, op, Fd(handle), &e) != 0) {
      return Fail(op == EPOLL_CTL_ADD ? "epoll_ctl add" : "epoll_ctl mod");
    }
    return absl::OkStatus();
  }

  const int epfd_;
  std::unique_ptr<WakeChannel> wake_;
  std::vector<epoll_event> ready_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> NewEpollPoller() {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return Fail("epoll_create1");
  absl::StatusOr<std::unique_ptr<WakeChannel>> wake = WakeChannel::Create();
  if (!wake.ok()) {
    CloseHandle(epfd);
    return wake.status();
  }
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.u64 = kWakeToken;
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, (*wake)->read_fd(), &e) != 0) {
    absl::Status failed = Fail("epoll_ctl add wake");
    CloseHandle(epfd);
    return failed;
  }
  return std::unique_ptr<Poller>(new EpollPoller(epfd, std::move(*wake)));
}

}  // namespace net::sys::posix
