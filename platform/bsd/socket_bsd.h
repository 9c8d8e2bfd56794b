// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/bsd/socket_bsd.h
// -----------------------------------------------------------------------------
//
// platform/bsd/ holds the code that is the same in both backends. It is the
// same because Winsock 2 kept the BSD sockets API ("bsd" names that API, not
// the BSD operating systems, which are part of the POSIX backend). Both have
// the same constant names (AF_INET, SOCK_STREAM, MSG_PEEK, POLLERR, AI_PASSIVE
// ...) and the same structures with the same field names (sockaddr_in,
// sockaddr_in6, ip_mreq, group_req, linger, pollfd / WSAPOLLFD, addrinfo /
// ADDRINFOW). The POSIX backend (platform/posix/) and the Winsock backend
// (platform/windows/) both include these headers, and always after their
// own OS headers (posix_internal.h and the <netinet/...> headers, or
// winsock_internal.h). A file here includes no OS header and tests no OS in
// the preprocessor, so it reads the same on every OS. It compiles only
// where the names it uses are declared, and they mean the same thing on
// both APIs. Templates take the types whose names differ (addrinfo and
// ADDRINFOW, pollfd and WSAPOLLFD) or that some BSD headers lack
// (group_req). What differs between the two APIs stays in the backends:
// errno vs WSAGetLastError(), close vs closesocket, socklen_t vs int
// lengths, ioctl vs ioctlsocket. ci/check-layering.sh checks the "no OS
// header, no OS #if" rule for this directory too.
//
// This file maps portable families, socket types and message flags to the
// native ones and back. Used by socket_*.cc, address_*.cc, options_*.cc and
// resolver_*.cc. Needs AF_*, SOCK_* and MSG_*: <sys/socket.h> or
// <winsock2.h>.

#ifndef NET_PLATFORM_BSD_SOCKET_BSD_H_
#define NET_PLATFORM_BSD_SOCKET_BSD_H_

#include <optional>

#include "net/address.h"
#include "net/socket.h"

namespace net::sys::bsd {

// NativeFamily(), FamilyFromNative()
//
// AddressFamily <-> AF_*. kUnspecified is AF_UNSPEC, and so is any family
// `net` does not handle.
inline int NativeFamily(AddressFamily family) {
  switch (family) {
    case AddressFamily::kIPv4: return AF_INET;
    case AddressFamily::kIPv6: return AF_INET6;
    case AddressFamily::kUnix: return AF_UNIX;
    case AddressFamily::kUnspecified: break;
  }
  return AF_UNSPEC;
}

inline AddressFamily FamilyFromNative(int family) {
  switch (family) {
    case AF_INET: return AddressFamily::kIPv4;
    case AF_INET6: return AddressFamily::kIPv6;
    case AF_UNIX: return AddressFamily::kUnix;
    default: return AddressFamily::kUnspecified;
  }
}

// NativeType(), TypeFromNative()
//
// SocketType <-> SOCK_*. TypeFromNative() returns nullopt for a type `net`
// does not handle. The caller decides what that means: an error for
// adopting a socket, or the hint for a resolver result.
inline int NativeType(SocketType type) {
  switch (type) {
    case SocketType::kStream: return SOCK_STREAM;
    case SocketType::kDatagram: return SOCK_DGRAM;
    case SocketType::kSeqPacket: return SOCK_SEQPACKET;
    case SocketType::kRaw: return SOCK_RAW;
  }
  return SOCK_STREAM;
}

inline std::optional<SocketType> TypeFromNative(int type) {
  switch (type) {
    case SOCK_STREAM: return SocketType::kStream;
    case SOCK_DGRAM: return SocketType::kDatagram;
    case SOCK_SEQPACKET: return SocketType::kSeqPacket;
    case SOCK_RAW: return SocketType::kRaw;
    default: return std::nullopt;
  }
}

// NativeMessageFlags()
//
// MessageFlags -> MSG_*, for send and receive calls. A backend adds its own
// flags (MSG_NOSIGNAL on POSIX).
inline int NativeMessageFlags(MessageFlags flags) {
  if (flags == MessageFlags::kNone) return 0;  // the common case: one test
  int out = 0;
  if (HasFlag(flags, MessageFlags::kPeek)) out |= MSG_PEEK;
  if (HasFlag(flags, MessageFlags::kOutOfBand)) out |= MSG_OOB;
  if (HasFlag(flags, MessageFlags::kDontRoute)) out |= MSG_DONTROUTE;
  if (HasFlag(flags, MessageFlags::kWaitAll)) out |= MSG_WAITALL;
  return out;
}

}  // namespace net::sys::bsd

#endif  // NET_PLATFORM_BSD_SOCKET_BSD_H_
