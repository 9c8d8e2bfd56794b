// Copyright 2026 The net Authors.
//
// The Winsock translation tables: WSAGetLastError() codes and the resolver's
// codes to the portable `SocketError`. The POSIX twin is errors_posix.cc.
// Both are checked row by row against one list of expectations
// (tests/contract/error_expectations.h) by tests/contract/error_table_test.cc.
//
// Messages never include FormatMessage text: it is missing for some WSA
// codes under wine and localized on real Windows, so a message would read
// differently from machine to machine. The symbolic name and the number are
// what a status carries ("[WSAECONNREFUSED 10061]").

#include <string>

#include "absl/types/span.h"
#include "net/error.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"

namespace net::sys {
namespace {

#define NET_ROW(code, error) {code, #code, SocketError::error}

constexpr ErrorRow kWsaTable[] = {
    NET_ROW(WSAEADDRINUSE, kAddressInUse),
    NET_ROW(WSAEADDRNOTAVAIL, kAddressNotAvailable),
    NET_ROW(WSAECONNREFUSED, kConnectionRefused),
    NET_ROW(WSAECONNRESET, kConnectionReset),
    NET_ROW(WSAECONNABORTED, kConnectionAborted),
    NET_ROW(WSAETIMEDOUT, kTimedOut),
    NET_ROW(WSAEHOSTUNREACH, kHostUnreachable),
    NET_ROW(WSAEHOSTDOWN, kHostUnreachable),
    NET_ROW(WSAENETUNREACH, kNetworkUnreachable),
    NET_ROW(WSAENETDOWN, kNetworkDown),
    NET_ROW(WSAENETRESET, kNetworkReset),
    // A send after shutdown(SD_SEND): Winsock's EPIPE.
    NET_ROW(WSAESHUTDOWN, kBrokenPipe),
    NET_ROW(WSAENOTCONN, kNotConnected),
    NET_ROW(WSAEISCONN, kAlreadyConnected),
    NET_ROW(WSAEINPROGRESS, kInProgress),
    NET_ROW(WSAEALREADY, kAlready),
    NET_ROW(WSAEWOULDBLOCK, kWouldBlock),
    NET_ROW(WSAEINTR, kInterrupted),
    NET_ROW(WSAEMSGSIZE, kMessageTooLong),
    NET_ROW(WSAENOBUFS, kNoBufferSpace),
    NET_ROW(WSAEMFILE, kTooManyOpenFiles),
    NET_ROW(WSAEACCES, kAccessDenied),
    NET_ROW(WSAEAFNOSUPPORT, kAddressFamilyNotSupported),
    NET_ROW(WSAEPFNOSUPPORT, kAddressFamilyNotSupported),
    NET_ROW(WSAEPROTONOSUPPORT, kProtocolNotSupported),
    NET_ROW(WSAESOCKTNOSUPPORT, kSocketTypeNotSupported),
    NET_ROW(WSAEPROTOTYPE, kSocketTypeNotSupported),
    NET_ROW(WSAENOPROTOOPT, kOptionNotSupported),
    NET_ROW(WSAEOPNOTSUPP, kOperationNotSupported),
    NET_ROW(WSAEINVAL, kInvalidArgument),
    NET_ROW(WSAENAMETOOLONG, kInvalidArgument),
    NET_ROW(WSAENOTSOCK, kNotASocket),
    NET_ROW(WSAEBADF, kBadDescriptor),
    NET_ROW(WSAEFAULT, kFault),
    NET_ROW(WSAEDESTADDRREQ, kDestinationAddressRequired),
    NET_ROW(WSA_OPERATION_ABORTED, kCancelled),
    NET_ROW(WSAECANCELLED, kCancelled),
    // WSAStartup's failures (startup_windows.cc), and any call made without
    // it: Winsock is not usable in this process.
    NET_ROW(WSANOTINITIALISED, kNotInitialized),
    NET_ROW(WSASYSNOTREADY, kNotInitialized),
    NET_ROW(WSAVERNOTSUPPORTED, kNotInitialized),
    NET_ROW(WSAEPROCLIM, kNotInitialized),
    // Win32 codes that overlapped completions report through the same
    // channel (GetOverlappedResult, WSAGetOverlappedResult).
    NET_ROW(ERROR_NETNAME_DELETED, kConnectionReset),
    NET_ROW(ERROR_CONNECTION_REFUSED, kConnectionRefused),
    NET_ROW(ERROR_CONNECTION_ABORTED, kConnectionAborted),
    NET_ROW(ERROR_PORT_UNREACHABLE, kConnectionRefused),
    NET_ROW(ERROR_HOST_UNREACHABLE, kHostUnreachable),
    NET_ROW(ERROR_NETWORK_UNREACHABLE, kNetworkUnreachable),
    NET_ROW(ERROR_SEM_TIMEOUT, kTimedOut),
    // Get/SetHandleInformation on something that is not a handle.
    NET_ROW(ERROR_INVALID_HANDLE, kBadDescriptor),
};

// GetAddrInfoW's codes. mingw-w64's ws2tcpip.h defines the EAI_* names as
// these WSA values (EAI_NONAME = WSAHOST_NOT_FOUND, EAI_AGAIN = WSATRY_AGAIN,
// EAI_FAIL = WSANO_RECOVERY, EAI_SERVICE = WSATYPE_NOT_FOUND, EAI_FAMILY =
// WSAEAFNOSUPPORT, EAI_SOCKTYPE = WSAESOCKTNOSUPPORT, EAI_MEMORY =
// WSA_NOT_ENOUGH_MEMORY, EAI_BADFLAGS = WSAEINVAL, EAI_NODATA = WSANO_DATA),
// so one row serves both spellings; the rows carry the WSA names, which are
// what WSAGetLastError() reports.
constexpr ErrorRow kResolverTable[] = {
    NET_ROW(WSAHOST_NOT_FOUND, kHostNotFound),
    NET_ROW(WSATRY_AGAIN, kTryAgain),
    NET_ROW(WSANO_RECOVERY, kResolverFailure),
    NET_ROW(WSATYPE_NOT_FOUND, kServiceNotFound),
    NET_ROW(WSAEAFNOSUPPORT, kAddressFamilyNotSupported),
    NET_ROW(WSAESOCKTNOSUPPORT, kSocketTypeNotSupported),
    NET_ROW(WSA_NOT_ENOUGH_MEMORY, kNoBufferSpace),
    NET_ROW(WSAEINVAL, kInvalidArgument),
    NET_ROW(WSANO_DATA, kNoData),
};

#undef NET_ROW

static_assert(EAI_NONAME == WSAHOST_NOT_FOUND && EAI_AGAIN == WSATRY_AGAIN &&
                  EAI_FAIL == WSANO_RECOVERY &&
                  EAI_SERVICE == WSATYPE_NOT_FOUND &&
                  EAI_FAMILY == WSAEAFNOSUPPORT &&
                  EAI_SOCKTYPE == WSAESOCKTNOSUPPORT &&
                  EAI_MEMORY == WSA_NOT_ENOUGH_MEMORY &&
                  EAI_BADFLAGS == WSAEINVAL && EAI_NODATA == WSANO_DATA,
              "the EAI_* codes are WSA codes on Windows");

}  // namespace

absl::Span<const ErrorRow> ErrorTable() { return kWsaTable; }
absl::Span<const ErrorRow> ResolverErrorTable() { return kResolverTable; }

int LastError() { return WSAGetLastError(); }

// WSASetLastError is SetLastError: GetLastError() reads it too.
void SetLastErrorCode(int native) { WSASetLastError(native); }

// See the file comment: no OS text on Windows.
std::string NativeErrorText(int) { return std::string(); }
std::string NativeResolverErrorText(int) { return std::string(); }

}  // namespace net::sys
