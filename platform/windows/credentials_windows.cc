// Copyright 2026 The net Authors.
//
// Peer credentials on Windows: AF_UNIX sockets (Windows 10 1803 and later)
// tell the peer's process id through the SIO_AF_UNIX_GETPEERPID ioctl, and
// nothing else: Windows has no uid or gid (a peer's identity is a token,
// which this call does not give). The POSIX twin is credentials_posix.cc.
// wine 8 has no AF_UNIX at all, so under wine no socket reaches this call
// (docs/messages.md, "Peer credentials").

#include "platform/windows/winsock_internal.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/socket.h"
#include "platform/sys.h"

// afunix.h has it from the Windows 10 SDK 17763 on (mingw-w64 has it too);
// the value is fixed by the ABI.
#ifndef SIO_AF_UNIX_GETPEERPID
#define SIO_AF_UNIX_GETPEERPID _WSAIOR(IOC_VENDOR, 256)
#endif

namespace net::sys {

absl::StatusOr<net::PeerCredentials> PeerCredentials(Handle handle) {
  ULONG pid = 0;
  DWORD returned = 0;
  if (WSAIoctl(windows::Sock(handle), SIO_AF_UNIX_GETPEERPID, nullptr, 0,
               &pid, sizeof(pid), &returned, nullptr, nullptr) != 0) {
    return windows::Fail("WSAIoctl SIO_AF_UNIX_GETPEERPID");
  }
  net::PeerCredentials credentials;
  if (returned == sizeof(pid)) credentials.pid = pid;
  return credentials;
}

}  // namespace net::sys
