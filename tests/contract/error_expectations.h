// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/contract/error_expectations.h
// -----------------------------------------------------------------------------
//
// The one list of expectations both translation tables are checked against:
// for each portable error, the native name that must map to it on POSIX and
// on Winsock ("" where that OS has no such code), and the lookup of a name
// in a backend's table. Used by tests/contract/error_table_test.cc on every
// backend and by tests/windows/wsa_table_test.cc.

#ifndef NET_TESTS_CONTRACT_ERROR_EXPECTATIONS_H_
#define NET_TESTS_CONTRACT_ERROR_EXPECTATIONS_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "net/error.h"
#include "platform/sys.h"

namespace net_test {

struct ErrorExpectation {
  net::SocketError error;
  const char* posix;
  const char* windows;
};

inline constexpr ErrorExpectation kSocketErrorExpectations[] = {
    {net::SocketError::kAddressInUse, "EADDRINUSE", "WSAEADDRINUSE"},
    {net::SocketError::kAddressNotAvailable, "EADDRNOTAVAIL", "WSAEADDRNOTAVAIL"},
    {net::SocketError::kConnectionRefused, "ECONNREFUSED", "WSAECONNREFUSED"},
    {net::SocketError::kConnectionReset, "ECONNRESET", "WSAECONNRESET"},
    {net::SocketError::kConnectionAborted, "ECONNABORTED", "WSAECONNABORTED"},
    {net::SocketError::kTimedOut, "ETIMEDOUT", "WSAETIMEDOUT"},
    {net::SocketError::kHostUnreachable, "EHOSTUNREACH", "WSAEHOSTUNREACH"},
    {net::SocketError::kHostUnreachable, "EHOSTDOWN", "WSAEHOSTDOWN"},
    {net::SocketError::kNetworkUnreachable, "ENETUNREACH", "WSAENETUNREACH"},
    {net::SocketError::kNetworkDown, "ENETDOWN", "WSAENETDOWN"},
    {net::SocketError::kNetworkReset, "ENETRESET", "WSAENETRESET"},
    {net::SocketError::kBrokenPipe, "EPIPE", "WSAESHUTDOWN"},
    {net::SocketError::kNotConnected, "ENOTCONN", "WSAENOTCONN"},
    {net::SocketError::kAlreadyConnected, "EISCONN", "WSAEISCONN"},
    {net::SocketError::kInProgress, "EINPROGRESS", "WSAEINPROGRESS"},
    {net::SocketError::kAlready, "EALREADY", "WSAEALREADY"},
    {net::SocketError::kWouldBlock, "EAGAIN", "WSAEWOULDBLOCK"},
    {net::SocketError::kWouldBlock, "EWOULDBLOCK", "WSAEWOULDBLOCK"},
    {net::SocketError::kInterrupted, "EINTR", "WSAEINTR"},
    {net::SocketError::kMessageTooLong, "EMSGSIZE", "WSAEMSGSIZE"},
    {net::SocketError::kNoBufferSpace, "ENOBUFS", "WSAENOBUFS"},
    {net::SocketError::kTooManyOpenFiles, "EMFILE", "WSAEMFILE"},
    {net::SocketError::kTooManyOpenFilesInSystem, "ENFILE", ""},
    {net::SocketError::kAccessDenied, "EACCES", "WSAEACCES"},
    {net::SocketError::kAddressFamilyNotSupported, "EAFNOSUPPORT", "WSAEAFNOSUPPORT"},
    {net::SocketError::kAddressFamilyNotSupported, "EPFNOSUPPORT", "WSAEPFNOSUPPORT"},
    {net::SocketError::kProtocolNotSupported, "EPROTONOSUPPORT", "WSAEPROTONOSUPPORT"},
    {net::SocketError::kSocketTypeNotSupported, "ESOCKTNOSUPPORT", "WSAESOCKTNOSUPPORT"},
    {net::SocketError::kSocketTypeNotSupported, "EPROTOTYPE", "WSAEPROTOTYPE"},
    {net::SocketError::kOptionNotSupported, "ENOPROTOOPT", "WSAENOPROTOOPT"},
    {net::SocketError::kOperationNotSupported, "EOPNOTSUPP", "WSAEOPNOTSUPP"},
    {net::SocketError::kInvalidArgument, "EINVAL", "WSAEINVAL"},
    {net::SocketError::kNotASocket, "ENOTSOCK", "WSAENOTSOCK"},
    {net::SocketError::kBadDescriptor, "EBADF", "WSAEBADF"},
    {net::SocketError::kFault, "EFAULT", "WSAEFAULT"},
    {net::SocketError::kDestinationAddressRequired, "EDESTADDRREQ", "WSAEDESTADDRREQ"},
    {net::SocketError::kCancelled, "ECANCELED", "WSA_OPERATION_ABORTED"},
    {net::SocketError::kNotInitialized, "", "WSANOTINITIALISED"},
};

inline constexpr ErrorExpectation kResolverErrorExpectations[] = {
    {net::SocketError::kHostNotFound, "EAI_NONAME", "WSAHOST_NOT_FOUND"},
    {net::SocketError::kTryAgain, "EAI_AGAIN", "WSATRY_AGAIN"},
    {net::SocketError::kResolverFailure, "EAI_FAIL", "WSANO_RECOVERY"},
    {net::SocketError::kServiceNotFound, "EAI_SERVICE", "WSATYPE_NOT_FOUND"},
    {net::SocketError::kAddressFamilyNotSupported, "EAI_FAMILY", "WSAEAFNOSUPPORT"},
    {net::SocketError::kSocketTypeNotSupported, "EAI_SOCKTYPE", "WSAESOCKTNOSUPPORT"},
    {net::SocketError::kNoBufferSpace, "EAI_MEMORY", "WSA_NOT_ENOUGH_MEMORY"},
    {net::SocketError::kInvalidArgument, "EAI_BADFLAGS", "WSAEINVAL"},
    {net::SocketError::kNoData, "EAI_NODATA", "WSANO_DATA"},
};

// The row of a backend's translation table for the native name `name`
// ("ECONNREFUSED", "WSAECONNREFUSED"), or null.
inline const net::sys::ErrorRow* FindErrorRow(
    absl::Span<const net::sys::ErrorRow> table, absl::string_view name) {
  for (const net::sys::ErrorRow& row : table) {
    if (name == row.name) return &row;
  }
  return nullptr;
}

}  // namespace net_test

#endif  // NET_TESTS_CONTRACT_ERROR_EXPECTATIONS_H_
