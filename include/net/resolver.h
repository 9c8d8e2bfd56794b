// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: resolver.h
// -----------------------------------------------------------------------------
//
// Name resolution over the OS resolver (getaddrinfo / GetAddrInfoW) and the
// list of this machine's network interfaces. Both block. Resolver failures
// carry the portable errors kHostNotFound, kTryAgain, kNoData,
// kServiceNotFound and kResolverFailure, whatever the OS's EAI_* or WSA
// numbering.
//
// Example:
//
//   absl::StatusOr<std::vector<net::ResolvedAddress>> r =
//       net::Resolve("localhost", "80", {.type = net::SocketType::kStream});

#ifndef NET_RESOLVER_H_
#define NET_RESOLVER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "net/address.h"
#include "net/export.h"
#include "net/socket.h"

namespace net {

// ResolveHints
//
// What to ask the resolver for. The defaults ask for every family, stream
// sockets, and addresses of configured families only (AI_ADDRCONFIG).
struct ResolveHints {
  AddressFamily family = AddressFamily::kUnspecified;  // kUnspecified: IPv4 and IPv6
  SocketType type = SocketType::kStream;  // kStream, kDatagram ...
  int protocol = 0;  // 0: any
  bool passive = false;          // AI_PASSIVE: for bind, with an empty host
  bool numeric_host = false;     // AI_NUMERICHOST: never touch DNS
  bool numeric_service = false;  // AI_NUMERICSERV
  bool canonical_name = false;   // AI_CANONNAME
  bool address_config = true;    // AI_ADDRCONFIG
};

// ResolvedAddress
struct ResolvedAddress {
  SocketAddress address;  // with the port asked for
  SocketType type = SocketType::kStream;  // the socket type to open
  int protocol = 0;  // IPPROTO_TCP, IPPROTO_UDP ...
  std::string canonical_name;  // only in the first entry, if asked for
};

// Resolve()
//
// Resolves `host` (a name or a numeric address; empty with `passive` for
// the wildcard) and `service` (a port number or a service name; empty for
// port 0). Blocks.
//
// Errors: kInvalidArgument for input longer than 1024 bytes or containing
// NUL, or both host and service empty; kNotFound (kHostNotFound,
// kServiceNotFound, kNoData), kUnavailable (kTryAgain) from the resolver.
NET_EXPORT absl::StatusOr<std::vector<ResolvedAddress>> Resolve(
    absl::string_view host, absl::string_view service,
    const ResolveHints& hints = {});

// InterfaceFlags
struct InterfaceFlags {
  bool up = false;  // IFF_UP: configured up
  bool running = false;  // IFF_RUNNING: link is up
  bool loopback = false;  // the loopback interface
  bool broadcast = false;  // has a broadcast address
  bool multicast = false;  // supports multicast
  bool point_to_point = false;  // a point-to-point link
};

// InterfaceAddress
struct InterfaceAddress {
  IpAddress address;  // the interface's address
  IpAddress netmask;  // its netmask
  int prefix_length = 0;  // the netmask as a prefix length
};

// NetworkInterface
struct NetworkInterface {
  std::string name;  // "eth0", "lo", or a Windows adapter name
  std::uint32_t index = 0;  // the OS's interface index (scope ids)
  InterfaceFlags flags;  // state and capabilities
  std::vector<InterfaceAddress> addresses;  // IPv4 and IPv6 addresses
};

// ListInterfaces()
//
// This machine's network interfaces with their IPv4 and IPv6 addresses,
// ordered by index. Blocks briefly.
NET_EXPORT absl::StatusOr<std::vector<NetworkInterface>> ListInterfaces();

// InterfaceIndex(), InterfaceName()
//
// if_nametoindex / if_indextoname.
//
// Errors: kNotFound for an unknown name or index; kInvalidArgument for an
// empty or over-long name.
NET_EXPORT absl::StatusOr<std::uint32_t> InterfaceIndex(absl::string_view name);
NET_EXPORT absl::StatusOr<std::string> InterfaceName(std::uint32_t index);

}  // namespace net

#endif  // NET_RESOLVER_H_
