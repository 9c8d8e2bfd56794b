// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/socket_kind.h
// -----------------------------------------------------------------------------
//
// The kinds of socket net-probe opens, by the names its reports give them:
// the round trips run over some (probe.cc), the option defaults are read on
// others (options_report.cc).

#ifndef NET_TOOLS_NET_PROBE_SOCKET_KIND_H_
#define NET_TOOLS_NET_PROBE_SOCKET_KIND_H_

#include "net/net.h"

namespace net_probe {

// SocketKind
//
// A family and type, with the name the reports give them.
struct SocketKind {
  const char* name;
  net::AddressFamily family;
  net::SocketType type;
};

inline constexpr SocketKind kTcpIPv4 = {"tcp/ipv4", net::AddressFamily::kIPv4,
                                        net::SocketType::kStream};
inline constexpr SocketKind kTcpIPv6 = {"tcp/ipv6", net::AddressFamily::kIPv6,
                                        net::SocketType::kStream};
inline constexpr SocketKind kUdpIPv4 = {"udp/ipv4", net::AddressFamily::kIPv4,
                                        net::SocketType::kDatagram};
inline constexpr SocketKind kUdpIPv6 = {"udp/ipv6", net::AddressFamily::kIPv6,
                                        net::SocketType::kDatagram};
inline constexpr SocketKind kUnixStream = {
    "unix/stream", net::AddressFamily::kUnix, net::SocketType::kStream};

}  // namespace net_probe

#endif  // NET_TOOLS_NET_PROBE_SOCKET_KIND_H_
