// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/windows/poller_windows.h
// -----------------------------------------------------------------------------
//
// Pieces shared by the Windows pollers (IOCP-light and WSAPoll). The POSIX
// twin is platform/posix/poller_posix.h. What the pollers of both backends
// share (bsd::TimeoutMilliseconds(), the scanning pollers' base and pollfd
// array) comes with it from platform/bsd/poller_bsd.h.

#ifndef NET_PLATFORM_WINDOWS_POLLER_WINDOWS_H_
#define NET_PLATFORM_WINDOWS_POLLER_WINDOWS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"

// After the OS headers (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/poller_bsd.h"

namespace net::sys::windows {

// WakeSocket
//
// A loopback UDP socket connected to itself, readable when signalled: what
// WSAPoll, which waits on sockets only, can be woken with. The IOCP poller
// wakes with PostQueuedCompletionStatus instead.
class WakeSocket {
 public:
  static absl::StatusOr<std::unique_ptr<WakeSocket>> Create();
  ~WakeSocket();
  WakeSocket(const WakeSocket&) = delete;
  WakeSocket& operator=(const WakeSocket&) = delete;

  SOCKET socket() const { return socket_; }
  void Signal();
  void Drain();

 private:
  explicit WakeSocket(SOCKET s) : socket_(s) {}
  SOCKET socket_;
};

absl::StatusOr<std::unique_ptr<Poller>> NewIocpPoller();
absl::StatusOr<std::unique_ptr<Poller>> NewWsaPollPoller();

}  // namespace net::sys::windows

#endif  // NET_PLATFORM_WINDOWS_POLLER_WINDOWS_H_
