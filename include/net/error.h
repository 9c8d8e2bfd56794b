// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: error.h
// -----------------------------------------------------------------------------
//
// This header defines the one error model of `net`. Every fallible call
// returns an `absl::Status` (or `absl::StatusOr<T>`). A status produced by the
// operating system carries, besides its canonical `absl::StatusCode` and its
// message, a `net::SocketError`: a portable value that means the same thing on
// POSIX and on Winsock (`ECONNREFUSED` and `WSAECONNREFUSED` are both
// `SocketError::kConnectionRefused`), and the raw native code for callers that
// still need it.
//
// Messages name the operation, the address where there is one, the portable
// meaning and the native code, e.g.
//
//   connect 127.0.0.1:9: connection refused [ECONNREFUSED 111: Connection
//   refused]
//
// Would-block and orderly end of stream are results of the data transfer
// calls (see `net::IoResult` in socket.h), not errors. Calls that produce an
// object or a connection (`Socket::Accept()`, `Socket::Connect()`) report
// "would block" / "in progress" as a status for which `IsWouldBlock()` or
// `IsInProgress()` is true; see docs/errors.md for why.
//
// Example:
//
//   absl::Status s = socket.Connect(address);
//   if (net::GetSocketError(s) == net::SocketError::kConnectionRefused) {
//     // nobody listens there, on every OS
//   }

#ifndef NET_ERROR_H_
#define NET_ERROR_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "net/export.h"

namespace net {

// SocketError
//
// The portable meaning of an operating-system error. The numeric values are
// part of the ABI of this enum only, never of any OS.
enum class SocketError : int {
  kNone = 0,  // no error: an OK status
  kAddressInUse,              // EADDRINUSE / WSAEADDRINUSE
  kAddressNotAvailable,       // EADDRNOTAVAIL / WSAEADDRNOTAVAIL
  kConnectionRefused,         // ECONNREFUSED / WSAECONNREFUSED
  kConnectionReset,           // ECONNRESET / WSAECONNRESET
  kConnectionAborted,         // ECONNABORTED / WSAECONNABORTED
  kTimedOut,                  // ETIMEDOUT / WSAETIMEDOUT
  kHostUnreachable,           // EHOSTUNREACH / WSAEHOSTUNREACH
  kNetworkUnreachable,        // ENETUNREACH / WSAENETUNREACH
  kNetworkDown,               // ENETDOWN / WSAENETDOWN
  kNetworkReset,              // ENETRESET / WSAENETRESET
  kBrokenPipe,                // EPIPE / WSAESHUTDOWN
  kNotConnected,              // ENOTCONN / WSAENOTCONN
  kAlreadyConnected,          // EISCONN / WSAEISCONN
  kInProgress,                // EINPROGRESS / WSAEINPROGRESS
  kAlready,                   // EALREADY / WSAEALREADY
  kWouldBlock,                // EAGAIN, EWOULDBLOCK / WSAEWOULDBLOCK
  kInterrupted,               // EINTR / WSAEINTR
  kMessageTooLong,            // EMSGSIZE / WSAEMSGSIZE
  kNoBufferSpace,             // ENOBUFS, ENOMEM / WSAENOBUFS
  kTooManyOpenFiles,          // EMFILE / WSAEMFILE (this process)
  kTooManyOpenFilesInSystem,  // ENFILE (the whole system)
  kAccessDenied,              // EACCES, EPERM / WSAEACCES
  kAddressFamilyNotSupported, // EAFNOSUPPORT / WSAEAFNOSUPPORT
  kProtocolNotSupported,      // EPROTONOSUPPORT / WSAEPROTONOSUPPORT
  kSocketTypeNotSupported,    // ESOCKTNOSUPPORT, EPROTOTYPE / WSAESOCKTNOSUPPORT
  kOptionNotSupported,        // ENOPROTOOPT / WSAENOPROTOOPT
  kOperationNotSupported,     // EOPNOTSUPP / WSAEOPNOTSUPP
  kInvalidArgument,           // EINVAL / WSAEINVAL
  kNotASocket,                // ENOTSOCK / WSAENOTSOCK
  kBadDescriptor,             // EBADF / WSAEBADF
  kFault,                     // EFAULT / WSAEFAULT
  kDestinationAddressRequired,// EDESTADDRREQ / WSAEDESTADDRREQ
  kProtocolError,             // EPROTO
  kHostNotFound,              // EAI_NONAME / WSAHOST_NOT_FOUND
  kTryAgain,                  // EAI_AGAIN / WSATRY_AGAIN
  kNoData,                    // EAI_NODATA / WSANO_DATA: name has no address
  kResolverFailure,           // EAI_FAIL / WSANO_RECOVERY
  kServiceNotFound,           // EAI_SERVICE / WSATYPE_NOT_FOUND
  kCancelled,                 // ECANCELED / WSA_OPERATION_ABORTED
  kNotInitialized,            // WSANOTINITIALISED, a failed WSAStartup
  kUnknown,                   // a native code with no portable meaning
};

// SocketErrorName()
//
// The stable, lowercase English name of `error` ("connection refused").
NET_EXPORT absl::string_view SocketErrorName(SocketError error);

// SocketErrorToStatusCode()
//
// The canonical status code that `net` uses for `error`, e.g.
// kConnectionRefused -> kUnavailable, kTimedOut -> kDeadlineExceeded,
// kAddressInUse -> kAlreadyExists, kAccessDenied -> kPermissionDenied.
NET_EXPORT absl::StatusCode SocketErrorToStatusCode(SocketError error);

// GetSocketError()
//
// The portable error carried by `status`: `kNone` for an OK status, the
// value the backend attached for an OS error, and `kUnknown` for any other
// non-OK status (for example an argument rejected before any system call).
NET_EXPORT SocketError GetSocketError(const absl::Status& status);

// GetNativeError()
//
// The raw native code (errno, WSAGetLastError() or EAI_* value) attached to
// `status`, or `std::nullopt` when the status did not come from the OS.
NET_EXPORT std::optional<int> GetNativeError(const absl::Status& status);

// IsWouldBlock()
//
// True when `status` means "try again when the socket is ready".
NET_EXPORT bool IsWouldBlock(const absl::Status& status);

// IsInProgress()
//
// True when a non-blocking `Connect()` started and has not finished yet
// (EINPROGRESS, EALREADY, WSAEWOULDBLOCK on connect).
NET_EXPORT bool IsInProgress(const absl::Status& status);

// IsTransient()
//
// True when the same call may succeed if retried later without any change
// by the caller: would-block, interrupted, no buffer space, too many open
// files, resolver try-again, connection aborted before accept.
NET_EXPORT bool IsTransient(const absl::Status& status);

// IsPeerGone()
//
// True when the peer closed or reset the connection: connection reset,
// connection aborted, broken pipe, network reset, not connected.
NET_EXPORT bool IsPeerGone(const absl::Status& status);

}  // namespace net

#endif  // NET_ERROR_H_
