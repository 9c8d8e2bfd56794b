// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/windows/winsock_internal.h
// -----------------------------------------------------------------------------
//
// Helpers shared by the Winsock backend files, and the one place where
// <windows.h> is included. The POSIX twin is platform/posix/posix_internal.h.
//
// Macro hygiene: WIN32_LEAN_AND_MEAN keeps <windows.h> from dragging in the
// old <winsock.h> (whose declarations clash with <winsock2.h>) and half of
// the Windows API; NOMINMAX keeps it from defining `min` and `max` macros
// that break `std::min`. The include order is the one Winsock requires:
// winsock2.h, then ws2tcpip.h, then windows.h. None of this leaks into
// include/: users of <net/net.h> never see these headers (shared/DESIGN.md).

#ifndef NET_PLATFORM_WINDOWS_WINSOCK_INTERNAL_H_
#define NET_PLATFORM_WINDOWS_WINSOCK_INTERNAL_H_

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif

// clang-format off: the order matters.
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <mswsock.h>
#include <afunix.h>
// clang-format on

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/errors_internal.h"
#include "net/address.h"
#include "net/socket.h"
#include "platform/sys.h"

namespace net::sys::windows {

static_assert(sizeof(SOCKET) == sizeof(Handle),
              "net::NativeHandle must hold a SOCKET");

inline SOCKET Sock(Handle handle) { return static_cast<SOCKET>(handle); }
inline Handle ToHandle(SOCKET s) { return static_cast<Handle>(s); }

// The status for the current WSAGetLastError(), raised by `operation` on
// `subject`. The one egress point of Winsock's error codes.
inline absl::Status Fail(absl::string_view operation,
                         absl::string_view subject = {}) {
  return internal::SystemError(operation, subject, WSAGetLastError());
}
inline absl::Status Fail(absl::string_view operation,
                         const SocketAddress& address) {
  return internal::SystemError(operation, address.ToString(),
                               WSAGetLastError());
}

// OpenSocket()
//
// WSASocketW, non-inheritable from birth (WSA_FLAG_NO_HANDLE_INHERIT) and
// overlapped-capable (WSA_FLAG_OVERLAPPED: what socket() gives too, so that
// the event loop's completion port can take the handle). Datagram sockets
// get SIO_UDP_CONNRESET off (see socket_windows.cc). INVALID_SOCKET on
// failure, with WSAGetLastError() set.
SOCKET OpenSocket(int family, int type, int protocol);

// MakeNotInheritable()
//
// Clears HANDLE_FLAG_INHERIT on a handle Winsock created without the flag
// (accepted sockets): a child process must not keep a connection open.
void MakeNotInheritable(SOCKET s);

// SetBlocking()
//
// ioctlsocket(FIONBIO). An accepted socket inherits the listener's
// non-blocking mode on Windows (not on Linux): Accept() sets the mode its
// caller asked for, so the contract is the same on every backend.
bool SetBlocking(SOCKET s, bool blocking);

// Utf8ToWide(), WideToUtf8()
//
// UTF-8 <-> UTF-16 for the wide Windows API (GetAddrInfoW, adapter names).
// Invalid sequences become U+FFFD.
std::wstring Utf8ToWide(absl::string_view utf8);
std::string WideToUtf8(const wchar_t* wide);

// GetIntOption()
//
// getsockopt(SOL_SOCKET, `name`) as an int; false if it fails.
bool GetIntOption(SOCKET s, int name, int* value);

// TypeOf()
//
// SOCK_STREAM, SOCK_DGRAM ... of `s`; 0 if it cannot be read.
int TypeOf(SOCKET s);

// IsUnbound()
//
// True if `s` has no local address: Winsock's getsockname() fails with
// WSAEINVAL there, where POSIX answers the wildcard address, port 0.
bool IsUnbound(SOCKET s);

}  // namespace net::sys::windows

#endif  // NET_PLATFORM_WINDOWS_WINSOCK_INTERNAL_H_
