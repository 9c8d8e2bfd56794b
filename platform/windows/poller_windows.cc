// Copyright 2026 The net Authors.
//
// The Windows poller factory and the WSAPoll poller (the fallback backend).
// The POSIX twin is poller_posix.cc (factory) and poller_poll_posix.cc
// (poll). The default Windows backend, IOCP-light, is
// poller_iocp_windows.cc.
//
// WSAPoll has one known defect on Windows before 10 2004: a failed
// non-blocking connect is not reported (no POLLHUP/POLLERR), see
// https://daniel.haxx.se/blog/2012/10/10/wsapoll-is-broken/. Code that needs
// connect failures through the loop uses the IOCP backend, the default.

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/poll_registry_internal.h"
#include "platform/windows/poller_windows.h"
#include "platform/windows/winsock_internal.h"

namespace net::sys {
namespace windows {

absl::StatusOr<std::unique_ptr<WakeSocket>> WakeSocket::Create() {
  // A UDP socket connected to itself: WSAPoll can only wait on sockets, so
  // the wakeup is a datagram to ourselves.
  SOCKET s = OpenSocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (s == INVALID_SOCKET) return Fail("socket (wakeup)");
  auto wake = std::unique_ptr<WakeSocket>(new WakeSocket(s));
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int length = sizeof(local);
  if (bind(s, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
      getsockname(s, reinterpret_cast<sockaddr*>(&local), &length) != 0 ||
      connect(s, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
    return Fail("bind/connect (wakeup)");
  }
  if (!SetBlocking(s, false)) return Fail("ioctlsocket FIONBIO (wakeup)");
  return wake;
}

WakeSocket::~WakeSocket() { closesocket(socket_); }

void WakeSocket::Signal() {
  // A full buffer (WSAEWOULDBLOCK) already means "wake up".
  const char one = 1;
  send(socket_, &one, 1, 0);
}

void WakeSocket::Drain() {
  char buffer[64];
  while (recv(socket_, buffer, sizeof(buffer), 0) > 0) {
  }
}

int TimeoutMilliseconds(absl::Duration timeout) {
  if (timeout == absl::InfiniteDuration()) return -1;
  if (timeout <= absl::ZeroDuration()) return 0;
  const long long ms =
      absl::ToInt64Milliseconds(timeout + absl::Microseconds(999));
  return ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(ms);
}

namespace {

class WsaPollPoller final : public Poller {
 public:
  explicit WsaPollPoller(std::unique_ptr<WakeSocket> wake)
      : wake_(std::move(wake)), registry_("wsapoll") {}

  absl::Status Add(Handle handle, std::uint64_t token,
                   Interest interest) override {
    return registry_.Add(handle, token, interest);
  }
  absl::Status Modify(Handle handle, std::uint64_t token,
                      Interest interest) override {
    return registry_.Modify(handle, token, interest);
  }
  absl::Status Remove(Handle handle) override {
    registry_.Remove(handle);
    return absl::OkStatus();
  }

  absl::Status Wait(absl::Duration timeout,
                    std::vector<PollEvent>* events) override {
    const auto& entries = registry_.entries();
    fds_.resize(entries.size() + 1);
    fds_[0] = {wake_->socket(), POLLRDNORM, 0};
    for (std::size_t i = 0; i < entries.size(); ++i) {
      // Only POLLRDNORM/POLLWRNORM: WSAPoll rejects POLLPRI with WSAEINVAL.
      SHORT wanted = 0;
      if (Wants(entries[i].interest, Interest::kReadable)) wanted |= POLLRDNORM;
      if (Wants(entries[i].interest, Interest::kWritable)) wanted |= POLLWRNORM;
      fds_[i + 1] = {Sock(entries[i].handle), wanted, 0};
    }
    int n = WSAPoll(fds_.data(), static_cast<ULONG>(fds_.size()),
                    TimeoutMilliseconds(timeout));
    if (n == SOCKET_ERROR) {
      return WSAGetLastError() == WSAEINTR ? absl::OkStatus() : Fail("WSAPoll");
    }
    if (fds_[0].revents != 0) wake_->Drain();
    for (std::size_t i = 1; i < fds_.size(); ++i) {
      const SHORT r = fds_[i].revents;
      if (r == 0) continue;
      PollEvent out;
      out.token = entries[i - 1].token;
      out.readiness.error = (r & (POLLERR | POLLNVAL)) != 0;
      out.readiness.hangup = (r & POLLHUP) != 0;
      const bool fault = out.readiness.error || out.readiness.hangup;
      out.readiness.readable = (r & POLLRDNORM) != 0 || fault;
      out.readiness.writable = (r & POLLWRNORM) != 0 || out.readiness.error;
      events->push_back(out);
    }
    return absl::OkStatus();
  }

  void Wake() override { wake_->Signal(); }

 private:
  std::unique_ptr<WakeSocket> wake_;
  internal::PollRegistry registry_;
  std::vector<WSAPOLLFD> fds_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> NewWsaPollPoller() {
  absl::StatusOr<std::unique_ptr<WakeSocket>> wake = WakeSocket::Create();
  if (!wake.ok()) return wake.status();
  return std::unique_ptr<Poller>(new WsaPollPoller(std::move(*wake)));
}

}  // namespace windows

std::vector<EventLoopBackend> PollerBackends() {
  return {EventLoopBackend::kIocp, EventLoopBackend::kWsaPoll};
}

absl::StatusOr<std::unique_ptr<Poller>> NewPoller(EventLoopBackend backend) {
  switch (backend) {
    case EventLoopBackend::kIocp: return windows::NewIocpPoller();
    case EventLoopBackend::kWsaPoll: return windows::NewWsaPollPoller();
    default: break;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "event loop: backend ", EventLoopBackendName(backend),
      " is not compiled into the Windows backend"));
}

}  // namespace net::sys
