// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/posix/resolver_posix.cc
// -----------------------------------------------------------------------------
//
// sys::Resolve() over getaddrinfo(3). The Windows twin is
// platform/windows/resolver_windows.cc (GetAddrInfoW); the code over the
// addrinfo list that both share is in platform/bsd/resolver_bsd.h. The
// EAI_* table that translates resolver codes is in errors_posix.cc; this
// file is the one egress point of those codes.
//
// Results keep the OS's order: getaddrinfo already sorts them by RFC 6724
// (gai.conf).

#include <netdb.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/errors_internal.h"
#include "net/address.h"
#include "net/resolver.h"
#include "net/socket.h"
#include "platform/bsd/owned_list_bsd.h"
#include "platform/fault.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/resolver_bsd.h"

namespace net::sys {

absl::StatusOr<std::vector<ResolvedAddress>> Resolve(
    absl::string_view host, absl::string_view service,
    const ResolveHints& hints) {
  // core/ checked both for NUL and length; copies give them terminators.
  const std::string host_z(host);
  const std::string service_z(service);
  const addrinfo native_hints = bsd::NativeHints<addrinfo>(hints);

  bsd::OwnedList<addrinfo, ::freeaddrinfo> list;
  const int rc = NET_FAULT(
      kResolve, kInvalidHandle, EAI_SYSTEM,
      ::getaddrinfo(host.empty() ? nullptr : host_z.c_str(),
                    service.empty() ? nullptr : service_z.c_str(),
                    &native_hints, list.out()));
  if (rc != 0) {
    // EAI_SYSTEM means "look at errno"; with errno 0 there is nothing more
    // to say than the resolver code itself.
    const int saved_errno = errno;
    if (rc == EAI_SYSTEM && saved_errno != 0) {
      return internal::SystemError("resolve", bsd::Subject(host, service),
                                   saved_errno);
    }
    return internal::ResolverError("resolve", bsd::Subject(host, service), rc);
  }

  std::vector<ResolvedAddress> out =
      bsd::ResolvedAddresses(list.head(), hints.type);
  if (out.empty()) {
    // Only families `net` does not handle came back.
    return internal::PortableError("resolve", bsd::Subject(host, service),
                                   SocketError::kNoData);
  }
  // getaddrinfo puts the canonical name in its first entry only.
  if (hints.canonical_name && list.head()->ai_canonname != nullptr) {
    out.front().canonical_name = list.head()->ai_canonname;
  }
  return out;
}

}  // namespace net::sys
