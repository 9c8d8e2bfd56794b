// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/windows/resolver_windows.cc
// -----------------------------------------------------------------------------
//
// sys::Resolve() over GetAddrInfoW. The POSIX twin is
// platform/posix/resolver_posix.cc (getaddrinfo). Names cross the API as
// UTF-16: `host` and `service` are UTF-8 in `net`, converted here, and so is
// the canonical name on the way back (the ANSI getaddrinfo would mangle any
// name outside the system code page). The resolver's codes are translated by
// the table in errors_windows.cc; this file is their one egress point.
//
// Results keep the OS's order (RFC 6724 sorting), as on POSIX.

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
#include "platform/windows/winsock_internal.h"

namespace net::sys {
namespace windows {

std::wstring Utf8ToWide(absl::string_view utf8) {
  if (utf8.empty()) return std::wstring();
  const int size = static_cast<int>(utf8.size());
  const int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), size, nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n > 0 ? n : 0), L'\0');
  if (n > 0) MultiByteToWideChar(CP_UTF8, 0, utf8.data(), size, &out[0], n);
  return out;
}

std::string WideToUtf8(const wchar_t* wide) {
  if (wide == nullptr || *wide == L'\0') return std::string();
  const int n =
      WideCharToMultiByte(CP_UTF8, 0, wide, -1, nullptr, 0, nullptr, nullptr);
  if (n <= 1) return std::string();
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, wide, -1, &out[0], n, nullptr, nullptr);
  out.resize(static_cast<std::size_t>(n - 1));  // without the terminator
  return out;
}

}  // namespace windows

namespace {

int NativeFamily(AddressFamily family) {
  switch (family) {
    case AddressFamily::kIPv4: return AF_INET;
    case AddressFamily::kIPv6: return AF_INET6;
    default: return AF_UNSPEC;  // core/ rejected kUnix already
  }
}

SocketType PortableType(int native, SocketType fallback) {
  switch (native) {
    case SOCK_STREAM: return SocketType::kStream;
    case SOCK_DGRAM: return SocketType::kDatagram;
    case SOCK_SEQPACKET: return SocketType::kSeqPacket;
    case SOCK_RAW: return SocketType::kRaw;
    default: return fallback;
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
// literal in brackets (`[::1]:80`), as on POSIX.
std::string Subject(absl::string_view host, absl::string_view service) {
  if (host.find(':') != absl::string_view::npos) {
    return absl::StrCat("[", host, "]:", service);
  }
  return absl::StrCat(host, ":", service);
}

// Owns the list GetAddrInfoW returned: FreeAddrInfoW on every path.
class AddrInfoList {
 public:
  AddrInfoList() = default;
  ~AddrInfoList() {
    if (head_ != nullptr) FreeAddrInfoW(head_);
  }
  AddrInfoList(const AddrInfoList&) = delete;
  AddrInfoList& operator=(const AddrInfoList&) = delete;

  ADDRINFOW** out() { return &head_; }
  const ADDRINFOW* head() const { return head_; }

 private:
  ADDRINFOW* head_ = nullptr;
};

}  // namespace

absl::StatusOr<std::vector<ResolvedAddress>> Resolve(
    absl::string_view host, absl::string_view service,
    const ResolveHints& hints) {
  // core/ checked both for NUL and length.
  const std::wstring host_w = windows::Utf8ToWide(host);
  const std::wstring service_w = windows::Utf8ToWide(service);

  ADDRINFOW native_hints{};
  native_hints.ai_family = NativeFamily(hints.family);
  native_hints.ai_socktype = windows::NativeType(hints.type);
  native_hints.ai_protocol = hints.protocol;
  native_hints.ai_flags = NativeFlags(hints);

  AddrInfoList list;
  // GetAddrInfoW returns the error code itself (also WSAGetLastError()).
  const int rc = GetAddrInfoW(host.empty() ? nullptr : host_w.c_str(),
                              service.empty() ? nullptr : service_w.c_str(),
                              &native_hints, list.out());
  if (rc != 0) {
    return internal::ResolverError("resolve", Subject(host, service), rc);
  }

  std::vector<ResolvedAddress> out;
  for (const ADDRINFOW* ai = list.head(); ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addr == nullptr ||
        (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)) {
      continue;
    }
    absl::StatusOr<SocketAddress> address =
        SocketAddress::FromNative(ai->ai_addr, ai->ai_addrlen);
    if (!address.ok()) continue;  // a result we cannot represent
    ResolvedAddress r;
    r.address = *address;
    r.type = PortableType(ai->ai_socktype, hints.type);
    r.protocol = ai->ai_protocol;
    out.push_back(std::move(r));
  }
  if (out.empty()) {
    // Only families `net` does not handle came back: Winsock's own code for
    // "the name has no address of the kind asked for".
    return internal::ResolverError("resolve", Subject(host, service),
                                   WSANO_DATA);
  }
  if (hints.canonical_name && list.head()->ai_canonname != nullptr) {
    out.front().canonical_name =
        windows::WideToUtf8(list.head()->ai_canonname);
  }
  return out;
}

}  // namespace net::sys
