// Copyright 2026 The net Authors.
//
// The epoll poller (Linux). Its twin for macOS/BSD is
// poller_kqueue_posix.cc; on Windows, poller_iocp_windows.cc.

#include <errno.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "net/status_macros.h"
#include "platform/fault.h"
#include "platform/posix/poller_posix.h"
#include "platform/posix/posix_internal.h"

namespace net::sys::posix {
namespace {

// Registration tokens are (generation << 32 | slot + 1): never 0, and their
// low half reaches 2^32 - 1 only with four billion registrations.
constexpr std::uint64_t kWakeToken = 0;
constexpr std::uint64_t kTimerToken = ~std::uint64_t{0};

constexpr Readiness kReadable = {.readable = true};

// EPOLLRDHUP (the peer's FIN) only with read interest: a write-only
// registration does not hear of a FIN (docs/event-loop.md, "Readiness
// flags"). EPOLLERR and EPOLLHUP come unasked.
std::uint32_t EpollEvents(Interest interest) {
  std::uint32_t events = 0;
  if (Wants(interest, Interest::kReadable)) events |= EPOLLIN | EPOLLRDHUP;
  if (Wants(interest, Interest::kWritable)) events |= EPOLLOUT;
  if (Wants(interest, Interest::kEdgeTriggered)) events |= EPOLLET;
  return events;
}

class EpollPoller final : public EpollSet {
 public:
  EpollPoller(int epfd, std::unique_ptr<WakeChannel> wake, int timer_fd)
      : epfd_(epfd), timer_fd_(timer_fd), wake_(std::move(wake)), ready_(256) {}
  ~EpollPoller() override {
    if (timer_fd_ >= 0) close(timer_fd_);
    CloseHandle(epfd_);
  }

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
  // close() removes the descriptor from every epoll set once no other
  // descriptor refers to its open file (epoll(7), Q6), so a handle about to
  // be closed needs no EPOLL_CTL_DEL. Asio skips it the same way
  // (epoll_reactor::deregister_descriptor with closing = true).
  absl::Status Forget(Handle) override { return absl::OkStatus(); }

  absl::Status Wait(absl::Duration timeout,
                    std::vector<PollEvent>* events) override {
    return Collect(bsd::TimeoutMilliseconds(timeout), events);
  }

  // The deadline goes into the timerfd (see Poller::WaitUntil()), and
  // epoll_wait blocks without a timeout. Without a timerfd (it could not be
  // made), the default: a timed epoll_wait.
  absl::Status WaitUntil(MonotonicTime deadline,
                         std::vector<PollEvent>* events) override {
    if (timer_fd_ < 0) return Poller::WaitUntil(deadline, events);
    absl::StatusOr<bool> block = ArmDeadline(deadline);
    if (!block.ok()) return block.status();
    return Collect(*block ? -1 : 0, events);
  }

  int fd() const override { return epfd_; }

  absl::Status CollectReady(std::vector<PollEvent>* events) override {
    return Collect(0, events);
  }

  absl::StatusOr<bool> ArmDeadline(MonotonicTime deadline) override {
    if (timer_fd_ < 0) {
      // No timerfd (it could not be made): the caller times its own wait.
      deadline_may_have_passed_ = true;
      return absl::UnavailableError("epoll: no timerfd");
    }
    deadline_may_have_passed_ = deadline == MonotonicTime::min();
    if (deadline_may_have_passed_) return false;
    if (deadline < armed_) {
      const auto ns = deadline.time_since_epoch();
      itimerspec when{};
      // 0 would disarm; a deadline at the clock's origin is long past.
      when.it_value.tv_sec = static_cast<time_t>(
          std::chrono::duration_cast<std::chrono::seconds>(ns).count());
      when.it_value.tv_nsec = static_cast<long>((ns % std::chrono::seconds(1)).count());
      if (when.it_value.tv_sec == 0 && when.it_value.tv_nsec == 0) when.it_value.tv_nsec = 1;
      if (timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &when, nullptr) != 0) {
        return Fail("timerfd_settime");
      }
      armed_ = deadline;
    }
    return true;
  }

  // The deadline has passed only if the timerfd fired (or the wait did not
  // block, or there is no timerfd): the loop then need not read the clock
  // after a wait that events ended.
  bool DeadlineMayHavePassed() const override {
    return deadline_may_have_passed_;
  }

  void Wake() override { wake_->Signal(); }

 private:
  absl::Status Collect(int timeout_ms, std::vector<PollEvent>* events) {
    int n = NET_FAULT(kPollerWait, kInvalidHandle, -1,
                      epoll_wait(epfd_, ready_.data(),
                                 static_cast<int>(ready_.size()), timeout_ms));
    if (n < 0) return errno == EINTR ? absl::OkStatus() : Fail("epoll_wait");
    // Appended one by one into room reserved at once: the loop keeps the
    // vector's capacity from wait to wait, so the room is there (a compare;
    // reserve() itself is a call) and each append a store. A resize() would
    // be a call that zero-fills, twice per wait: a tenth of the loop's own
    // instructions with one event per wait.
    if (events->capacity() - events->size() < static_cast<std::size_t>(n)) {
      events->reserve(events->size() + static_cast<std::size_t>(n));
    }
    for (int i = 0; i < n; ++i) {
      const epoll_event& e = ready_[i];
      if (e.data.u64 == kWakeToken) {
        wake_->Drain();
        continue;
      }
      if (e.data.u64 == kTimerToken) {
        std::uint64_t expirations;
        while (read(timer_fd_, &expirations, sizeof(expirations)) < 0 &&
               errno == EINTR) {
        }
        armed_ = MonotonicTime::max();  // fired: disarmed
        deadline_may_have_passed_ = true;
        continue;
      }
      if (e.events == EPOLLIN) {  // the common case
        events->push_back({e.data.u64, kReadable});
        continue;
      }
      // The `Readiness` flags of include/net/event_loop.h: a reset or a
      // failed connect is EPOLLERR | EPOLLHUP, a FIN EPOLLRDHUP, asked with
      // read interest only (EpollEvents()). Errors and hang-ups are
      // delivered as readable and writable too, so the next read or write
      // call reports them (libuv does the same). Bitwise, not logical,
      // operators: no branch per flag.
      const bool error = (e.events & EPOLLERR) != 0;
      const bool hangup = (e.events & (EPOLLHUP | EPOLLRDHUP)) != 0;
      Readiness r;
      r.error = error;
      r.hangup = hangup;
      r.readable = ((e.events & EPOLLIN) != 0) | error | hangup;
      r.writable = ((e.events & EPOLLOUT) != 0) | error;
      events->push_back({e.data.u64, r});
    }
    // A full batch: there may be more; grow for the next round.
    if (n == static_cast<int>(ready_.size()) && ready_.size() < 65536) {
      ready_.resize(ready_.size() * 2);
    }
    return absl::OkStatus();
  }

  absl::Status Control(int op, Handle handle, std::uint64_t token,
                       Interest interest) {
    epoll_event e{};
    e.events = EpollEvents(interest);
    e.data.u64 = token;
    if (NET_FAULT(kPollerControl, handle, -1,
                  epoll_ctl(epfd_, op, Fd(handle), &e)) != 0) {
      return Fail(op == EPOLL_CTL_ADD ? "epoll_ctl add" : "epoll_ctl mod");
    }
    return absl::OkStatus();
  }

  const int epfd_;
  const int timer_fd_;  // -1: none, timed waits instead
  MonotonicTime armed_ = MonotonicTime::max();  // the timerfd's deadline
  bool deadline_may_have_passed_ = true;  // of the last WaitUntil()
  std::unique_ptr<WakeChannel> wake_;
  std::vector<epoll_event> ready_;
};

// A timerfd on the steady clock (CLOCK_MONOTONIC, which is what
// std::chrono::steady_clock reads on Linux) in the epoll set, or -1 if
// either step fails: the poller then falls back to timed waits.
int AddTimerFd(int epfd) {
  static_assert(std::chrono::steady_clock::is_steady);
  const int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0) return -1;
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.u64 = kTimerToken;
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> NewEpollPoller() {
  NET_ASSIGN_OR_RETURN(std::unique_ptr<EpollSet> set, NewEpollSet());
  return std::unique_ptr<Poller>(std::move(set));
}

absl::StatusOr<std::unique_ptr<EpollSet>> NewEpollSet() {
  int epfd = NET_FAULT(kPollerCreate, kInvalidHandle, -1,
                       epoll_create1(EPOLL_CLOEXEC));
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
  return std::unique_ptr<EpollSet>(
      new EpollPoller(epfd, std::move(*wake), AddTimerFd(epfd)));
}

}  // namespace net::sys::posix
