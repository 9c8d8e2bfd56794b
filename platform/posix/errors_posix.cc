// Copyright 2026 The net Authors.
//
// The POSIX translation tables: errno and getaddrinfo's EAI_* codes to the
// portable `SocketError`. The Windows twin is errors_windows.cc. Both are
// checked row by row against one list of expectations in
// tests/contract/error_table_test.cc.

#include <errno.h>
#include <netdb.h>
#include <string.h>

#include <string>

#include "absl/types/span.h"
#include "net/error.h"
#include "platform/sys.h"

namespace net::sys {
namespace {

#define NET_ROW(code, error) {code, #code, SocketError::error}

// EAGAIN and EWOULDBLOCK (and EOPNOTSUPP and ENOTSUP) are one value on
// Linux and two on some systems: both rows are listed, and a lookup takes
// the first match, which maps to the same portable error.
constexpr ErrorRow kErrnoTable[] = {
    NET_ROW(EADDRINUSE, kAddressInUse),
    NET_ROW(EADDRNOTAVAIL, kAddressNotAvailable),
    NET_ROW(ECONNREFUSED, kConnectionRefused),
    NET_ROW(ECONNRESET, kConnectionReset),
    NET_ROW(ECONNABORTED, kConnectionAborted),
    NET_ROW(ETIMEDOUT, kTimedOut),
    NET_ROW(EHOSTUNREACH, kHostUnreachable),
    NET_ROW(EHOSTDOWN, kHostUnreachable),
    NET_ROW(ENETUNREACH, kNetworkUnreachable),
    NET_ROW(ENETDOWN, kNetworkDown),
    NET_ROW(ENETRESET, kNetworkReset),
    NET_ROW(EPIPE, kBrokenPipe),
    NET_ROW(ENOTCONN, kNotConnected),
    NET_ROW(EISCONN, kAlreadyConnected),
    NET_ROW(EINPROGRESS, kInProgress),
    NET_ROW(EALREADY, kAlready),
    NET_ROW(EAGAIN, kWouldBlock),
    NET_ROW(EWOULDBLOCK, kWouldBlock),
    NET_ROW(EINTR, kInterrupted),
    NET_ROW(EMSGSIZE, kMessageTooLong),
    NET_ROW(ENOBUFS, kNoBufferSpace),
    NET_ROW(ENOMEM, kNoBufferSpace),
    NET_ROW(EMFILE, kTooManyOpenFiles),
    NET_ROW(ENFILE, kTooManyOpenFilesInSystem),
    NET_ROW(EACCES, kAccessDenied),
    NET_ROW(EPERM, kAccessDenied),
    NET_ROW(EAFNOSUPPORT, kAddressFamilyNotSupported),
    NET_ROW(EPFNOSUPPORT, kAddressFamilyNotSupported),
    NET_ROW(EPROTONOSUPPORT, kProtocolNotSupported),
    NET_ROW(ESOCKTNOSUPPORT, kSocketTypeNotSupported),
    NET_ROW(EPROTOTYPE, kSocketTypeNotSupported),
    NET_ROW(ENOPROTOOPT, kOptionNotSupported),
    NET_ROW(EOPNOTSUPP, kOperationNotSupported),
    NET_ROW(ENOTSUP, kOperationNotSupported),
    NET_ROW(EINVAL, kInvalidArgument),
    NET_ROW(ENOTSOCK, kNotASocket),
    NET_ROW(EBADF, kBadDescriptor),
    NET_ROW(EFAULT, kFault),
    NET_ROW(EDESTADDRREQ, kDestinationAddressRequired),
    NET_ROW(EPROTO, kProtocolError),
    NET_ROW(ECANCELED, kCancelled),
    NET_ROW(ENAMETOOLONG, kInvalidArgument),
    NET_ROW(ENOENT, kAddressNotAvailable),
    NET_ROW(ESHUTDOWN, kBrokenPipe),
};

// EAI_* values are negative on glibc and positive on the BSDs; they never
// share a table with errno. EAI_NODATA, EAI_ADDRFAMILY and EAI_CANCELED are
// extensions (glibc with _GNU_SOURCE, the BSDs): listed where defined.
constexpr ErrorRow kResolverTable[] = {
    NET_ROW(EAI_NONAME, kHostNotFound),
    NET_ROW(EAI_AGAIN, kTryAgain),
    NET_ROW(EAI_FAIL, kResolverFailure),
    NET_ROW(EAI_SERVICE, kServiceNotFound),
    NET_ROW(EAI_FAMILY, kAddressFamilyNotSupported),
    NET_ROW(EAI_SOCKTYPE, kSocketTypeNotSupported),
    NET_ROW(EAI_MEMORY, kNoBufferSpace),
    NET_ROW(EAI_BADFLAGS, kInvalidArgument),
#if defined(EAI_NODATA)
    NET_ROW(EAI_NODATA, kNoData),
#endif
#if defined(EAI_ADDRFAMILY)
    NET_ROW(EAI_ADDRFAMILY, kNoData),
#endif
#if defined(EAI_CANCELED)
    NET_ROW(EAI_CANCELED, kCancelled),
#endif
};

#undef NET_ROW

// glibc's strerror_r returns char* (GNU); the XSI one returns int. Both
// overloads make the call read the same either way.
[[maybe_unused]] const char* StrerrorResult(int rc, const char* buffer) {
  return rc == 0 ? buffer : "";
}
[[maybe_unused]] const char* StrerrorResult(const char* text, const char*) {
  return text != nullptr ? text : "";
}

}  // namespace

absl::Span<const ErrorRow> ErrorTable() { return kErrnoTable; }
absl::Span<const ErrorRow> ResolverErrorTable() { return kResolverTable; }

int LastError() { return errno; }

void SetLastErrorCode(int native) { errno = native; }

std::string NativeErrorText(int native) {
  char buffer[256] = {};
  return StrerrorResult(strerror_r(native, buffer, sizeof(buffer)), buffer);
}

std::string NativeResolverErrorText(int native) {
  const char* text = gai_strerror(native);
  return text != nullptr ? text : "";
}

}  // namespace net::sys
