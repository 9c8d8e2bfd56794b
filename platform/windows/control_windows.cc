// Copyright 2026 The net Authors.
//
// Control operations on Windows: the ioctlsocket table (FIONBIO, FIONREAD,
// SIOCATMARK) and handle inheritance. The POSIX twin is control_posix.cc.
//
// What Windows has no equivalent for is kUnimplemented, with the same
// message shape as every other missing feature ("... is not available on
// Windows"): O_ASYNC (signal-driven I/O) and F_SETOWN/F_GETOWN (there are no
// signals), and reading the non-blocking mode back (Winsock has no
// F_GETFL; core/ reports the mode it last set, see Socket::IsNonBlocking()).

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "platform/fault.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"

namespace net::sys {
namespace {

using windows::Fail;
using windows::Sock;

absl::Status NotOnWindows(absl::string_view what) {
  return absl::UnimplementedError(
      absl::StrCat(what, " is not available on Windows"));
}

HANDLE AsHandle(Handle handle) { return reinterpret_cast<HANDLE>(handle); }

// The status for a failed Win32 handle call: GetLastError(), not
// WSAGetLastError(). The two share one number space for these codes.
absl::Status FailWin32(absl::string_view operation) {
  return internal::SystemError(operation, "", static_cast<int>(GetLastError()));
}

}  // namespace

absl::Status SetNonBlocking(Handle handle, bool on) {
  u_long mode = on ? 1 : 0;
  if (NET_FAULT(kControl, handle, SOCKET_ERROR,
                ioctlsocket(Sock(handle), FIONBIO, &mode)) != 0) {
    return Fail("ioctlsocket FIONBIO");
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> GetNonBlocking(Handle) {
  return NotOnWindows("reading the non-blocking mode back (F_GETFL)");
}

absl::Status SetAsync(Handle, bool) {
  return NotOnWindows("signal-driven I/O (O_ASYNC)");
}

absl::StatusOr<bool> GetAsync(Handle) {
  return NotOnWindows("signal-driven I/O (O_ASYNC)");
}

absl::Status SetOwner(Handle, std::int64_t) {
  return NotOnWindows("the signal owner (F_SETOWN)");
}

absl::StatusOr<std::int64_t> GetOwner(Handle) {
  return NotOnWindows("the signal owner (F_GETOWN)");
}

absl::StatusOr<std::size_t> BytesAvailable(Handle handle) {
  u_long available = 0;
  if (NET_FAULT(kControl, handle, SOCKET_ERROR,
                ioctlsocket(Sock(handle), FIONREAD, &available)) != 0) {
    return Fail("ioctlsocket FIONREAD");
  }
  return static_cast<std::size_t>(available);
}

// SIOCATMARK answers the opposite question of sockatmark(): Winsock returns
// TRUE when no urgent data lies ahead of the read position ("all OOB data
// has been read"), FALSE while normal data before the mark is still unread.
// So the POSIX answer is its negation. Measured under wine 8, which
// implements SIOCATMARK as exactly !sockatmark() of the host, at every step
// of tests/contract/stream_test.cc's out-of-band case.
absl::StatusOr<bool> AtOutOfBandMark(Handle handle) {
  u_long no_urgent_data_ahead = 0;
  if (NET_FAULT(kControl, handle, SOCKET_ERROR,
                ioctlsocket(Sock(handle), SIOCATMARK, &no_urgent_data_ahead)) !=
      0) {
    return Fail("ioctlsocket SIOCATMARK");
  }
  return no_urgent_data_ahead == 0;
}

absl::Status SetCloseOnExec(Handle handle, bool on) {
  // "Close on exec" is "not inherited by child processes" on Windows.
  if (!SetHandleInformation(AsHandle(handle), HANDLE_FLAG_INHERIT,
                            on ? 0 : HANDLE_FLAG_INHERIT)) {
    return FailWin32("SetHandleInformation HANDLE_FLAG_INHERIT");
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> GetCloseOnExec(Handle handle) {
  DWORD flags = 0;
  if (!GetHandleInformation(AsHandle(handle), &flags)) {
    return FailWin32("GetHandleInformation");
  }
  return (flags & HANDLE_FLAG_INHERIT) == 0;
}

}  // namespace net::sys
