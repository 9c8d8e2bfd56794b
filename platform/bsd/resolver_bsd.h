// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/bsd/resolver_bsd.h
// -----------------------------------------------------------------------------
//
// The resolver code of both backends: getaddrinfo(3) in
// platform/posix/resolver_posix.cc and GetAddrInfoW in
// platform/windows/resolver_windows.cc. GetAddrInfoW's ADDRINFOW is addrinfo
// with a wide canonical name: the other fields (ai_flags, ai_family,
// ai_socktype, ai_protocol, ai_addrlen, ai_addr, ai_next) and the AI_*
// flags are the same. So the code over them is a template on the addrinfo
// type. platform/bsd/socket_bsd.h says what this directory is, and why a
// file here includes no OS header. Include this one after the OS headers
// that declare addrinfo and AI_*: <netdb.h>, or winsock_internal.h.
//
// Each backend keeps what differs: the call and its error codes, the
// canonical name's encoding, and what "nothing usable came back" is called.
// The list itself is best owned by a bsd::OwnedList (owned_list_bsd.h).

#ifndef NET_PLATFORM_BSD_RESOLVER_BSD_H_
#define NET_PLATFORM_BSD_RESOLVER_BSD_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "net/address.h"
#include "net/resolver.h"
#include "net/socket.h"
#include "platform/bsd/socket_bsd.h"

namespace net::sys::bsd {

// NativeHints()
//
// The hints argument for `hints`. core/ has rejected hints.family kUnix
// (CheckResolveHints in core/resolver.cc).
template <typename AddrInfo>
AddrInfo NativeHints(const ResolveHints& hints) {
  AddrInfo native{};
  native.ai_family = NativeFamily(hints.family);
  native.ai_socktype = NativeType(hints.type);
  native.ai_protocol = hints.protocol;
  if (hints.passive) native.ai_flags |= AI_PASSIVE;
  if (hints.numeric_host) native.ai_flags |= AI_NUMERICHOST;
  if (hints.numeric_service) native.ai_flags |= AI_NUMERICSERV;
  if (hints.canonical_name) native.ai_flags |= AI_CANONNAME;
  if (hints.address_config) native.ai_flags |= AI_ADDRCONFIG;
  return native;
}

// Subject()
//
// What the error messages call the query: `host:service`, with an IPv6
// literal in brackets so the port stays readable (`[::1]:80`).
inline std::string Subject(absl::string_view host, absl::string_view service) {
  if (host.find(':') != absl::string_view::npos) {
    return absl::StrCat("[", host, "]:", service);
  }
  return absl::StrCat(host, ":", service);
}

// ResolvedAddresses()
//
// The IPv4 and IPv6 results of the list at `head`, in the OS's order. The
// OS has sorted them by RFC 6724, and re-sorting or de-duplicating here
// would silently change which address a caller tries first. Results that
// `net` cannot represent are skipped. A result's type is the OS's, or
// `fallback` (the hint) where the OS leaves the field 0. Not the canonical
// name: its encoding is the backend's business.
template <typename AddrInfo>
std::vector<ResolvedAddress> ResolvedAddresses(const AddrInfo* head,
                                               SocketType fallback) {
  std::vector<ResolvedAddress> out;
  for (const AddrInfo* ai = head; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addr == nullptr ||
        (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)) {
      continue;
    }
    absl::StatusOr<SocketAddress> address = SocketAddress::FromNative(
        ai->ai_addr, static_cast<std::size_t>(ai->ai_addrlen));
    if (!address.ok()) continue;
    ResolvedAddress r;
    r.address = *address;
    r.type = TypeFromNative(ai->ai_socktype).value_or(fallback);
    r.protocol = ai->ai_protocol;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace net::sys::bsd

#endif  // NET_PLATFORM_BSD_RESOLVER_BSD_H_
