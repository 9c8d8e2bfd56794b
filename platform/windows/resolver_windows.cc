// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/windows/resolver_windows.cc
// -----------------------------------------------------------------------------
//
// sys::Resolve() over GetAddrInfoW. The POSIX twin is
// platform/posix/resolver_posix.cc (getaddrinfo); the code over the addrinfo
// list that both share is in platform/bsd/resolver_bsd.h. Names cross the
// API as UTF-16: `host` and `service` are UTF-8 in `net`, converted here,
// and so is the canonical name on the way back (the ANSI getaddrinfo would
// mangle any name outside the system code page). The resolver's codes are
// translated by the table in errors_windows.cc; this file is their one
// egress point.
//
// Results keep the OS's order (RFC 6724 sorting), as on POSIX.

#include <algorithm>
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
#include "platform/windows/winsock_internal.h"

// After the OS headers (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/resolver_bsd.h"

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

// The free function of bsd::OwnedList. FreeAddrInfoW itself is imported
// from ws2_32.dll, so its address is no constant for a template argument
// (MSVC: C4232).
void FreeAddrInfoList(ADDRINFOW* list) { FreeAddrInfoW(list); }

}  // namespace

absl::StatusOr<std::vector<ResolvedAddress>> Resolve(
    absl::string_view host, absl::string_view service,
    const ResolveHints& hints) {
  // core/ checked both for NUL and length.
  const std::wstring host_w = windows::Utf8ToWide(host);
  const std::wstring service_w = windows::Utf8ToWide(service);
  const ADDRINFOW native_hints = bsd::NativeHints<ADDRINFOW>(hints);

  bsd::OwnedList<ADDRINFOW, FreeAddrInfoList> list;
  // GetAddrInfoW returns the error code itself (also WSAGetLastError()).
  const int rc = NET_FAULT(
      kResolve, kInvalidHandle, WSAGetLastError(),
      GetAddrInfoW(host.empty() ? nullptr : host_w.c_str(),
                   service.empty() ? nullptr : service_w.c_str(),
                   &native_hints, list.out()));
  if (rc != 0) {
    // Besides its own codes GetAddrInfoW passes on Winsock's (WSAEMFILE,
    // WSAENOBUFS, WSANOTINITIALISED): those are system errors, like POSIX's
    // EAI_SYSTEM with errno.
    const absl::Span<const ErrorRow> own = ResolverErrorTable();
    if (std::none_of(own.begin(), own.end(),
                     [rc](const ErrorRow& row) { return row.native == rc; })) {
      return internal::SystemError("resolve", bsd::Subject(host, service), rc);
    }
    return internal::ResolverError("resolve", bsd::Subject(host, service), rc);
  }

  std::vector<ResolvedAddress> out =
      bsd::ResolvedAddresses(list.head(), hints.type);
  if (out.empty()) {
    // Only families `net` does not handle came back: Winsock's own code for
    // "the name has no address of the kind asked for".
    return internal::ResolverError("resolve", bsd::Subject(host, service),
                                   WSANO_DATA);
  }
  if (hints.canonical_name && list.head()->ai_canonname != nullptr) {
    out.front().canonical_name =
        windows::WideToUtf8(list.head()->ai_canonname);
  }
  return out;
}

}  // namespace net::sys
