// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/posix/resolver_posix.cc
// -----------------------------------------------------------------------------
//
// sys::Resolve() over getaddrinfo(3). The Windows twin is
// platform/windows/resolver_windows.cc (GetAddrInfoW). The EAI_* table that
// translates resolver codes is in errors_posix.cc; this file is the one
// egress point of those codes.
//
// Results keep the OS's order: getaddrinfo already sorts them by RFC 6724
// (gai.conf), and re-sorting or de-duplicating here would silently change
// which address a caller tries first.

#include <netdb.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/errors_internal.h"
#include "net/address.h"
#include "net/resolver.h"
#include "net/socket.h"
#include "platform/sys.h"

namespace net::sys {
namespace {

int NativeFamily(AddressFamily family) {
  switch (family) {
    case AddressFamily::kIPv4:
      return AF_INET;
    case AddressFamily::kIPv6:
      return AF_INET6;
    default:
      return AF_UNSPEC;  // core/ rejected kUnix already
  }
}

int NativeType(SocketType type) {
  switch (type) {
    case SocketType::kStream:
      return SOCK_STREAM;
    case SocketType::kDatagram:
      return SOCK_DGRAM;
    case SocketType::kSeqPacket:
      return SOCK_SEQPACKET;
    case SocketType::kRaw:
      return SOCK_RAW;
  }
  return SOCK_STREAM;
}

// The type of one result; getaddrinfo echoes the hint, so `fallback` is only
// for an OS that leaves the field 0.
SocketType PortableType(int native, SocketType fallback) {
  switch (native) {
    case SOCK_STREAM:
      return SocketType::kStream;
    case SOCK_DGRAM:
      return SocketType::kDatagram;
    case SOCK_SEQPACKET:
      return SocketType::kSeqPacket;
    case SOCK_RAW:
      return SocketType::kRaw;
    default:
      return fallback;
  }
}

int NativeFlags(const ResolveHints& hints) {
  int flags = 0;
  if (hints.passive) flags |= AI_PASSIVE;
  if (hints.numeric_host) flags |= AI_NUMERICHOST;
  if (hints.numeric_service) flags |= AI_NUMERICSERV;
  if (hints.canonical_name) flags |= AI_CANONNAME;
  if (hints.address_config) flags |= AI_ADDRCONFIG;
  return flags;
}

// What the error messages call the query: `host:service`, with an IPv6
// literal in brackets so the port stays readable (`[::1]:80`).
std::string Subject(absl::string_view host, absl::string_view service) {
  if (host.find(':') != absl::string_view::npos) {
    return absl::StrCat("[", host, "]:", service);
  }
  return absl::StrCat(host, ":", service);
}

// Owns the list getaddrinfo returned: freeaddrinfo on every path.
class AddrInfoList {
 public:
  AddrInfoList() = default;
  ~AddrInfoList() {
    if (head_ != nullptr) ::freeaddrinfo(head_);
  }
  AddrInfoList(const AddrInfoList&) = delete;
  AddrInfoList& operator=(const AddrInfoList&) = delete;

  addrinfo** out() { return &head_; }
  const addrinfo* head() const { return head_; }

 private:
  addrinfo* head_ = nullptr;
};

}  // namespace

absl::StatusOr<std::vector<ResolvedAddress>> Resolve(
    absl::string_view host, absl::string_view service,
    const ResolveHints& hints) {
  // core/ checked both for NUL and length; copies give them terminators.
  const std::string host_z(host);
  const std::string service_z(service);

  addrinfo native_hints{};
  native_hints.ai_family = NativeFamily(hints.family);
  native_hints.ai_socktype = NativeType(hints.type);
  native_hints.ai_protocol = hints.protocol;
  native_hints.ai_flags = NativeFlags(hints);

  AddrInfoList list;
  const int rc = ::getaddrinfo(host.empty() ? nullptr : host_z.c_str(),
                               service.empty() ? nullptr : service_z.c_str(),
                               &native_hints, list.out());
  if (rc != 0) {
    // EAI_SYSTEM means "look at errno"; with errno 0 there is nothing more
    // to say than the resolver code itself.
    const int saved_errno = errno;
    if (rc == EAI_SYSTEM && saved_errno != 0) {
      return internal::SystemError("resolve", Subject(host, service),
                                   saved_errno);
    }
    return internal::ResolverError("resolve", Subject(host, service), rc);
  }

  std::vector<ResolvedAddress> out;
  for (const addrinfo* ai = list.head(); ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addr == nullptr ||
        (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)) {
      continue;
    }
    absl::StatusOr<SocketAddress> address = SocketAddress::FromNative(
        ai->ai_addr, static_cast<std::size_t>(ai->ai_addrlen));
    if (!address.ok()) continue;  // a result we cannot represent
    ResolvedAddress r;
    r.address = *address;
    r.type = PortableType(ai->ai_socktype, hints.type);
    r.protocol = ai->ai_protocol;
    out.push_back(std::move(r));
  }
  if (out.empty()) {
    // Only families `net` does not handle came back.
    return internal::PortableError("resolve", Subject(host, service),
                                   SocketError::kNoData);
  }
  // getaddrinfo puts the canonical name in its first entry only.
  if (hints.canonical_name && list.head()->ai_canonname != nullptr) {
    out.front().canonical_name = list.head()->ai_canonname;
  }
  return out;
}

}  // namespace net::sys
