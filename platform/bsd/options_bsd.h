// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/bsd/options_bsd.h
// -----------------------------------------------------------------------------
//
// The option code of both backends: options_*.cc, options_ip_*.cc and
// features_*.cc in platform/posix/ and platform/windows/. Winsock has the
// same option structures as BSD sockets, with the same names and fields:
// `linger`, `in_addr`, `in6_addr`, `sockaddr_storage`, `ip_mreq`,
// `ip_mreq_source`, `ipv6_mreq`, `group_req` and `group_source_req`.
// platform/bsd/socket_bsd.h says what this directory is, and why a file here
// includes no OS header. Include this one after the OS headers that declare
// these structures: <sys/socket.h> and <netinet/in.h>, or
// winsock_internal.h.
//
// setsockopt and getsockopt themselves (their errors, their length type)
// stay in each backend's SetRaw() / GetRaw(). So does the table of which
// options a system has.

#ifndef NET_PLATFORM_BSD_OPTIONS_BSD_H_
#define NET_PLATFORM_BSD_OPTIONS_BSD_H_

#include <cstddef>
#include <cstring>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/address.h"
#include "net/options.h"
#include "platform/bsd/socket_bsd.h"
#include "platform/sys.h"

namespace net::sys::bsd {

// --- Plain values (options_*.cc) ---------------------------------------------

// IntFromAnswer()
//
// The int in a getsockopt answer of `length` bytes at `raw` (an int-sized
// buffer, zeroed). Some options are answered in one byte: Winsock answers
// BOOL options that way, and the BSDs answer IP_MULTICAST_TTL and
// IP_MULTICAST_LOOP as u_char. A one-byte answer is read as an unsigned
// char.
inline int IntFromAnswer(const void* raw, std::size_t length) {
  if (length == 1) {
    unsigned char byte = 0;
    std::memcpy(&byte, raw, 1);
    return byte;
  }
  int value = 0;
  std::memcpy(&value, raw, sizeof(value));
  return value;
}

// NativeLinger(), LingerFromNative()
//
// Linger <-> struct linger, in whole seconds rounded up. The fields are int
// on POSIX and u_short on Windows. core/ has checked the range.
inline linger NativeLinger(const Linger& value) {
  linger native{};
  native.l_onoff = static_cast<decltype(native.l_onoff)>(value.on ? 1 : 0);
  native.l_linger = static_cast<decltype(native.l_linger)>(
      internal::CeilSeconds(value.timeout));
  return native;
}

inline Linger LingerFromNative(const linger& native) {
  return Linger{native.l_onoff != 0, absl::Seconds(native.l_linger)};
}

// SocketTypeValue(), SocketErrorValue()
//
// The values of SO_TYPE and SO_ERROR. A type `net` does not handle is an
// internal error: `net` cannot have made such a socket. A pending error is
// translated like any native error (errno or WSA code); 0 is OK.
inline absl::StatusOr<OptionValue> SocketTypeValue(int native) {
  const std::optional<SocketType> type = TypeFromNative(native);
  if (!type.has_value()) {
    return absl::InternalError(
        absl::StrCat("getsockopt SO_TYPE: unknown type ", native));
  }
  return OptionValue(*type);
}

inline OptionValue SocketErrorValue(int native) {
  if (native == 0) return OptionValue(absl::OkStatus());
  return OptionValue(internal::SystemError("SO_ERROR", "", native));
}

// --- IP options with struct values (options_ip_*.cc) -------------------------

// IsIpOption()
//
// The options that options_ip_*.cc handles: those whose value is an
// address, a group request, the ICMPv6 filter or the path MTU. Usable
// while the option table is being built.
inline bool IsIpOption(OptionId id) {
  switch (id) {
    case OptionId::kIpMulticastInterface:
    case OptionId::kIpAddMembership:
    case OptionId::kIpDropMembership:
    case OptionId::kIpBlockSource:
    case OptionId::kIpUnblockSource:
    case OptionId::kIpAddSourceMembership:
    case OptionId::kIpDropSourceMembership:
    case OptionId::kIcmp6Filter:
    case OptionId::kIpv6NextHop:
    case OptionId::kIpv6PathMtu:
    case OptionId::kIpv6JoinGroup:
    case OptionId::kIpv6LeaveGroup:
    case OptionId::kMcastJoinGroup:
    case OptionId::kMcastLeaveGroup:
    case OptionId::kMcastBlockSource:
    case OptionId::kMcastUnblockSource:
    case OptionId::kMcastJoinSourceGroup:
    case OptionId::kMcastLeaveSourceGroup:
      return true;
    default:
      return false;
  }
}

// GroupFamily()
//
// The family of the group in a group request value. The MCAST_* options
// take their level from it: IPPROTO_IP or IPPROTO_IPV6. Any other value is
// kIPv4.
inline AddressFamily GroupFamily(const OptionValue& value) {
  if (const auto* g = std::get_if<MulticastGroup>(&value)) {
    return g->group.family();
  }
  if (const auto* s = std::get_if<SourceGroup>(&value)) {
    return s->group.family();
  }
  return AddressFamily::kIPv4;
}

// ToInAddr(), FromInAddr(), ToIn6Addr(), ToStorage()
//
// An IpAddress as in_addr, in6_addr, or a sockaddr with port 0 in a zeroed
// sockaddr_storage.
inline in_addr ToInAddr(const IpAddress& ip) {
  in_addr a{};
  const IpAddress::V4Bytes bytes = ip.v4_bytes();
  std::memcpy(&a, bytes.data(), sizeof(a));
  return a;
}

inline IpAddress FromInAddr(const in_addr& a) {
  IpAddress::V4Bytes bytes;
  std::memcpy(bytes.data(), &a, sizeof(a));
  return IpAddress::V4(bytes);
}

inline in6_addr ToIn6Addr(const IpAddress& ip) {
  in6_addr a{};
  std::memcpy(&a, ip.v6_bytes().data(), sizeof(a));
  return a;
}

inline void ToStorage(const IpAddress& ip, sockaddr_storage* storage) {
  const SocketAddress address(ip, 0);
  std::memset(storage, 0, sizeof(*storage));
  std::memcpy(storage, address.native(), address.native_length());
}

// IpMreq(), IpMreqSource(), Ipv6Mreq(), GroupReq(), GroupSourceReq()
//
// The native request of a group option: `ip_mreq` (BSD's own), `ipv6_mreq`
// (RFC 3493), `ip_mreq_source`, and the protocol-independent `group_req`
// and `group_source_req` (RFC 3678). The structure is a template
// argument: the backend names it, so a system whose headers lack one (the
// POSIX backend tests MCAST_JOIN_GROUP and IP_BLOCK_SOURCE) never
// instantiates its function.
//
// Example:
//
//   const ip_mreq m = bsd::IpMreq<ip_mreq>(std::get<MulticastGroup>(value));
template <typename Request>
Request IpMreq(const MulticastGroup& g) {
  Request m{};
  m.imr_multiaddr = ToInAddr(g.group);
  m.imr_interface = ToInAddr(g.interface_address);
  return m;
}

template <typename Request>
Request IpMreqSource(const SourceGroup& g) {
  Request m{};
  m.imr_multiaddr = ToInAddr(g.group);
  m.imr_sourceaddr = ToInAddr(g.source);
  m.imr_interface = ToInAddr(g.interface_address);
  return m;
}

template <typename Request>
Request Ipv6Mreq(const MulticastGroup& g) {
  Request m{};
  m.ipv6mr_multiaddr = ToIn6Addr(g.group);
  m.ipv6mr_interface = g.interface_index;
  return m;
}

template <typename Request>
Request GroupReq(const MulticastGroup& g) {
  Request r{};
  r.gr_interface = g.interface_index;
  ToStorage(g.group, &r.gr_group);
  return r;
}

template <typename Request>
Request GroupSourceReq(const SourceGroup& g) {
  Request r{};
  r.gsr_interface = g.interface_index;
  ToStorage(g.group, &r.gsr_group);
  ToStorage(g.source, &r.gsr_source);
  return r;
}

// --- Features (features_*.cc) ------------------------------------------------

// ProbedFeatureSupport()
//
// sys::FeatureSupport() (platform/sys.h) for the features that both APIs
// answer the same way: by opening a socket, or by asking about an option.
// `probe(family, type, protocol, what)` opens and closes a socket.
// `dual_stack_probe()` opens an IPv6 stream socket and turns IPV6_V6ONLY
// off. Each returns the status of the attempt. Answers that cannot change
// while the process runs are cached. Raw sockets depend on privileges,
// which can change (setuid, capabilities), so they are asked every time.
// The backend answers the other features itself before calling this; for
// those this returns kInvalidArgument, as for a value that is not a
// Feature.
template <typename Probe, typename DualStackProbe>
absl::Status ProbedFeatureSupport(Feature feature, Probe probe,
                                  DualStackProbe dual_stack_probe) {
  switch (feature) {
    case Feature::kIPv6: {
      static const absl::Status status =
          probe(AF_INET6, SOCK_DGRAM, 0, "ipv6 datagram");
      return status;
    }
    case Feature::kDualStack: {
      static const absl::Status status = dual_stack_probe();
      return status;
    }
    case Feature::kUnixSockets: {
      static const absl::Status status =
          probe(AF_UNIX, SOCK_STREAM, 0, "unix stream");
      return status;
    }
    case Feature::kRawSockets:
      return probe(AF_INET, SOCK_RAW, IPPROTO_ICMP, "ipv4 raw");
    case Feature::kSourceSpecificMulticast:
      return OptionSupport(OptionId::kMcastJoinSourceGroup);
    default:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "feature ", static_cast<int>(feature), " is not a net::Feature"));
}

}  // namespace net::sys::bsd

#endif  // NET_PLATFORM_BSD_OPTIONS_BSD_H_
