// Copyright 2026 The net Authors.
//
// The Windows poller factory and the WSAPoll poller (the fallback backend).
// The POSIX twin is poller_posix.cc (factory) and poller_poll_posix.cc
// (poll); what WSAPoll and poll share is in platform/bsd/poller_bsd.h. The
// default Windows backend, IOCP-light, is poller_iocp_windows.cc.
//
// WSAPoll has one known defect on Windows before 10 2004: a failed
// non-blocking connect is not reported (no POLLHUP/POLLERR), see
// https://daniel.haxx.se/blog/2012/10/10/wsapoll-is-broken/. Code that needs
// connect failures through the loop uses the IOCP backend, the default.
// And it answers POLLHUP unasked, for a FIN as for a reset: how PollSet
// reads its hang-up and error bits is PollSet::Hangups::kWsaPoll.

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/poll_registry_internal.h"
#include "platform/fault.h"
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
  if (NET_FAULT(kPollerCreate, kInvalidHandle, SOCKET_ERROR,
                bind(s, reinterpret_cast<sockaddr*>(&local), sizeof(local))) !=
          0 ||
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

namespace {

class WsaPollPoller final : public bsd::ScanningPoller {
 public:
  explicit WsaPollPoller(std::unique_ptr<WakeSocket> wake)
      : ScanningPoller("wsapoll"), wake_(std::move(wake)) {}

  absl::Status Wait(absl::Duration timeout,
                    std::vector<PollEvent>* events) override {
    fds_.Fill(wake_->socket(), registry_.entries());
    int n = NET_FAULT(kPollerWait, kInvalidHandle, SOCKET_ERROR,
                      WSAPoll(fds_.data(), static_cast<ULONG>(fds_.size()),
                              bsd::TimeoutMilliseconds(timeout)));
    if (n == SOCKET_ERROR) {
      return WSAGetLastError() == WSAEINTR ? absl::OkStatus() : Fail("WSAPoll");
    }
    if (fds_.woken()) wake_->Drain();
    fds_.Collect(registry_.entries(), events);
    return absl::OkStatus();
  }

  void Wake() override { wake_->Signal(); }

 private:
  std::unique_ptr<WakeSocket> wake_;
  // Only POLLRDNORM/POLLWRNORM: WSAPoll rejects POLLPRI with WSAEINVAL (and
  // any hang-up bit: POLLHUP comes unasked; PollSet::Hangups::kWsaPoll).
  bsd::PollSet<WSAPOLLFD> fds_{POLLRDNORM, POLLWRNORM, 0,
                               bsd::PollSet<WSAPOLLFD>::Hangups::kWsaPoll};
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> NewWsaPollPoller() {
  absl::StatusOr<std::unique_ptr<WakeSocket>> wake = WakeSocket::Create();
  if (!wake.ok()) return wake.status();
  return std::unique_ptr<Poller>(new WsaPollPoller(std::move(*wake)));
}

}  // namespace windows

absl::Status IoUringSupport() {
  return absl::UnimplementedError("io_uring: Linux only");
}

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
