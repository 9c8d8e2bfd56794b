// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/resolver.cc
// -----------------------------------------------------------------------------
//
// The front doors of name resolution and interface enumeration
// (include/net/resolver.h): arguments are checked here, before any system
// call, then the backend (platform/sys.h: resolver_*.cc, interface_*.cc,
// address_*.cc) does the work. Also `net::BackendName()` (socket.h), which
// only forwards to the backend.

#include "net/resolver.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "net/address.h"
#include "net/socket.h"
#include "platform/sys.h"

namespace net {
namespace {

// The longest host or service `Resolve()` passes to the OS. DNS names are at
// most 253 bytes; the bound is generous but keeps the OS from ever seeing
// unbounded input.
constexpr std::size_t kMaxResolveInputLength = 1024;

// CheckResolveInput()
//
// `value` is the `parameter` ("host" or "service") of `Resolve()`.
absl::Status CheckResolveInput(absl::string_view parameter,
                               absl::string_view value) {
  if (value.size() > kMaxResolveInputLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "resolve: ", parameter, " is ", value.size(), " bytes long; at most ",
        kMaxResolveInputLength, " are allowed"));
  }
  if (value.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("resolve: ", parameter, " contains a NUL byte"));
  }
  return absl::OkStatus();
}

absl::Status CheckResolveHints(const ResolveHints& hints) {
  switch (hints.family) {
    case AddressFamily::kUnspecified:
    case AddressFamily::kIPv4:
    case AddressFamily::kIPv6:
      break;
    case AddressFamily::kUnix:
      return absl::InvalidArgumentError(
          "resolve: hints.family: unix-domain addresses are not resolved; "
          "use SocketAddress::Unix()");
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("resolve: hints.family: unknown value ",
                       static_cast<int>(hints.family)));
  }
  switch (hints.type) {
    case SocketType::kStream:
    case SocketType::kDatagram:
    case SocketType::kSeqPacket:
    case SocketType::kRaw:
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "resolve: hints.type: unknown value ", static_cast<int>(hints.type)));
  }
  if (hints.protocol < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "resolve: hints.protocol: ", hints.protocol, " is negative"));
  }
  return absl::OkStatus();
}

// CheckInterfaceName()
//
// The bound is the longest zone `IpAddress::Parse()` accepts, the same on
// every OS; a backend whose OS holds shorter names (IF_NAMESIZE) checks that
// itself.
absl::Status CheckInterfaceName(absl::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("interface index: name is empty");
  }
  if (name.size() > kMaxZoneLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("interface index: name is ", name.size(),
                     " bytes long; at most ", kMaxZoneLength, " are allowed"));
  }
  if (name.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "interface index: name contains a NUL byte");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ResolvedAddress>> Resolve(
    absl::string_view host, absl::string_view service,
    const ResolveHints& hints) {
  if (absl::Status s = CheckResolveInput("host", host); !s.ok()) return s;
  if (absl::Status s = CheckResolveInput("service", service); !s.ok()) {
    return s;
  }
  if (host.empty() && service.empty()) {
    return absl::InvalidArgumentError(
        "resolve: host and service are both empty; give at least one");
  }
  if (absl::Status s = CheckResolveHints(hints); !s.ok()) return s;
  if (absl::Status s = sys::EnsureInitialized(); !s.ok()) return s;
  return sys::Resolve(host, service, hints);
}

absl::StatusOr<std::vector<NetworkInterface>> ListInterfaces() {
  if (absl::Status s = sys::EnsureInitialized(); !s.ok()) return s;
  return sys::ListInterfaces();
}

absl::StatusOr<std::uint32_t> InterfaceIndex(absl::string_view name) {
  if (absl::Status s = CheckInterfaceName(name); !s.ok()) return s;
  if (absl::Status s = sys::EnsureInitialized(); !s.ok()) return s;
  return sys::InterfaceIndex(name);
}

absl::StatusOr<std::string> InterfaceName(std::uint32_t index) {
  // Index 0 means "no interface" on every OS (RFC 3493); no need to ask.
  if (index == 0) {
    return absl::NotFoundError("interface name 0: no interface has index 0");
  }
  if (absl::Status s = sys::EnsureInitialized(); !s.ok()) return s;
  return sys::InterfaceName(index);
}

absl::string_view BackendName() { return sys::BackendName(); }

}  // namespace net
