// Copyright 2026 The net Authors.
//
// The kqueue poller (macOS and the BSDs), shaped like its twin
// poller_epoll_posix.cc so that review can compare them line by line.
// kqueue has one filter per direction: interest changes add or delete the
// EVFILT_READ / EVFILT_WRITE filters; the token rides in `udata`.
// Compiled and tested by the macOS job of ci/github/workflows/ci.yml.

#include <errno.h>
#include <fcntl.h>
#include <sys/event.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "platform/fault.h"
#include "platform/posix/poller_posix.h"
#include "platform/posix/posix_internal.h"

namespace net::sys::posix {
namespace {

constexpr std::uint64_t kWakeToken = 0;  // registration tokens are never 0

void* TokenToUdata(std::uint64_t token) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(token));
}

class KqueuePoller final : public Poller {
 public:
  KqueuePoller(int kq, std::unique_ptr<WakeChannel> wake)
      : kq_(kq), wake_(std::move(wake)), ready_(256) {}
  ~KqueuePoller() override { CloseHandle(kq_); }

  absl::Status Add(Handle handle, std::uint64_t token,
                   Interest interest) override {
    return Apply(Fd(handle), token, Interest::kNone, interest);
  }
  absl::Status Modify(Handle handle, std::uint64_t token,
                      Interest interest) override {
    auto it = current_.find(Fd(handle));
    const Interest before = it == current_.end() ? Interest::kNone : it->second;
    return Apply(Fd(handle), token, before, interest);
  }
  absl::Status Remove(Handle handle) override {
    auto it = current_.find(Fd(handle));
    if (it == current_.end()) return absl::OkStatus();
    absl::Status s = Apply(Fd(handle), 0, it->second, Interest::kNone);
    // A descriptor already closed has lost its filters: not an error.
    return GetSocketError(s) == SocketError::kBadDescriptor ? absl::OkStatus()
                                                            : s;
  }
  // close() deletes every kevent of the descriptor (kqueue(2)), so a handle
  // about to be closed only leaves `current_`.
  absl::Status Forget(Handle handle) override {
    current_.erase(Fd(handle));
    return absl::OkStatus();
  }

  absl::Status Wait(absl::Duration timeout,
                    std::vector<PollEvent>* events) override {
    timespec ts{};
    timespec* wait = nullptr;
    if (timeout != absl::InfiniteDuration()) {
      ts = absl::ToTimespec(timeout);
      wait = &ts;
    }
    int n = NET_FAULT(kPollerWait, kInvalidHandle, -1,
                      kevent(kq_, nullptr, 0, ready_.data(),
                             static_cast<int>(ready_.size()), wait));
    if (n < 0) return errno == EINTR ? absl::OkStatus() : Fail("kevent wait");
    for (int i = 0; i < n; ++i) {
      const struct kevent& e = ready_[i];
      const auto token =
          static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(e.udata));
      if (token == kWakeToken) {
        wake_->Drain();
        continue;
      }
      // EV_EOF: the read filter's is the peer's FIN, or the end of the
      // connection; the write filter's, that nothing more can be sent. With
      // a socket error (a reset, a failed connect) `fflags` holds it
      // (kevent(2)), and either filter's EV_EOF is the end of the
      // connection: epoll's EPOLLERR | EPOLLHUP. EV_ERROR is a failed
      // registration (the errno in `data`), not the socket's state: an
      // error, not a hang-up.
      const bool eof = (e.flags & EV_EOF) != 0;
      const bool failed = eof && e.fflags != 0;
      PollEvent out;
      out.token = token;
      out.readiness.error = failed || (e.flags & EV_ERROR) != 0;
      out.readiness.hangup = eof && (e.filter == EVFILT_READ || failed);
      out.readiness.readable = e.filter == EVFILT_READ || out.readiness.error;
      out.readiness.writable = e.filter == EVFILT_WRITE || out.readiness.error;
      events->push_back(out);
    }
    if (n == static_cast<int>(ready_.size()) && ready_.size() < 65536) {
      ready_.resize(ready_.size() * 2);
    }
    return absl::OkStatus();
  }

  void Wake() override { wake_->Signal(); }

 private:
  absl::Status Apply(int fd, std::uint64_t token, Interest before,
                     Interest after) {
    struct kevent changes[2];
    int count = 0;
    // Re-adding an existing filter updates its flags, EV_CLEAR included.
    const std::uint16_t add = static_cast<std::uint16_t>(
        EV_ADD | (Wants(after, Interest::kEdgeTriggered) ? EV_CLEAR : 0));
    for (auto [want, filter] : {std::pair{Interest::kReadable, EVFILT_READ},
                                std::pair{Interest::kWritable, EVFILT_WRITE}}) {
      const bool had = Wants(before, want);
      const bool has = Wants(after, want);
      if (has) {
        EV_SET(&changes[count++], fd, filter, add, 0, 0, TokenToUdata(token));
      } else if (had) {
        EV_SET(&changes[count++], fd, filter, EV_DELETE, 0, 0, nullptr);
      }
    }
    if (count > 0 &&
        NET_FAULT(kPollerControl, ToHandle(fd), -1,
                  kevent(kq_, changes, count, nullptr, 0, nullptr)) != 0) {
      return Fail("kevent change");
    }
    if (!Wants(after, Interest::kBoth)) {
      current_.erase(fd);
    } else {
      current_[fd] = after;
    }
    return absl::OkStatus();
  }

  const int kq_;
  std::unique_ptr<WakeChannel> wake_;
  std::vector<struct kevent> ready_;
  absl::flat_hash_map<int, Interest> current_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> NewKqueuePoller() {
  int kq = NET_FAULT(kPollerCreate, kInvalidHandle, -1, kqueue());
  if (kq < 0) return Fail("kqueue");
  fcntl(kq, F_SETFD, FD_CLOEXEC);
  absl::StatusOr<std::unique_ptr<WakeChannel>> wake = WakeChannel::Create();
  if (!wake.ok()) {
    CloseHandle(kq);
    return wake.status();
  }
  struct kevent e;
  EV_SET(&e, (*wake)->read_fd(), EVFILT_READ, EV_ADD, 0, 0,
         TokenToUdata(kWakeToken));
  if (kevent(kq, &e, 1, nullptr, 0, nullptr) != 0) {
    absl::Status failed = Fail("kevent add wake");
    CloseHandle(kq);
    return failed;
  }
  return std::unique_ptr<Poller>(new KqueuePoller(kq, std::move(*wake)));
}

}  // namespace net::sys::posix
