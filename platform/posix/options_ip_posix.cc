// Copyright 2026 The net Authors.
//
// The IP options with struct values on POSIX: the IPv4 multicast interface
// (in_addr), group requests (ip_mreq, ip_mreq_source, ipv6_mreq, and the
// protocol-independent group_req / group_source_req of RFC 3678), the
// ICMPv6 filter (RFC 3542 icmp6_filter), IPV6_NEXTHOP and IPV6_PATHMTU. The
// Windows twin is options_ip_windows.cc; the requests both build the same
// way are in platform/bsd/options_bsd.h. Which options exist is this file's
// business: some BSD headers lack the source-specific ones.

// macOS exposes the RFC 3542 names (IPV6_PATHMTU, IPV6_RECVPKTINFO ...) only
// when asked; other systems ignore this.
#define __APPLE_USE_RFC_3542 1

#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/address.h"
#include "net/options.h"
#include "net/status_macros.h"
#include "platform/posix/options_internal_posix.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/options_bsd.h"

namespace net::sys::posix {
namespace {

// NextHopIsSocketOption()
//
// RFC 3542 makes IPV6_NEXTHOP a sticky socket option; Linux defines the
// name but accepts it only as ancillary data on sendmsg (setsockopt answers
// ENOPROTOOPT), so there it is reported as unsupported up front.
constexpr bool NextHopIsSocketOption() {
#if defined(__linux__)
  return false;
#else
  return true;
#endif
}

// The native name and level of each IP option handled here; nullopt where
// the headers lack it. MCAST_* take their level from the group's family.
struct IpNative {
  int level;
  int name;
};

std::optional<IpNative> Lookup(OptionId id, AddressFamily family) {
  const int ip_level =
      family == AddressFamily::kIPv6 ? IPPROTO_IPV6 : IPPROTO_IP;
  switch (id) {
    case OptionId::kIpMulticastInterface:
      return IpNative{IPPROTO_IP, IP_MULTICAST_IF};
    case OptionId::kIpAddMembership:
      return IpNative{IPPROTO_IP, IP_ADD_MEMBERSHIP};
    case OptionId::kIpDropMembership:
      return IpNative{IPPROTO_IP, IP_DROP_MEMBERSHIP};
#if defined(IP_BLOCK_SOURCE)
    case OptionId::kIpBlockSource:
      return IpNative{IPPROTO_IP, IP_BLOCK_SOURCE};
    case OptionId::kIpUnblockSource:
      return IpNative{IPPROTO_IP, IP_UNBLOCK_SOURCE};
    case OptionId::kIpAddSourceMembership:
      return IpNative{IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP};
    case OptionId::kIpDropSourceMembership:
      return IpNative{IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP};
#endif
#if defined(ICMP6_FILTER)
    case OptionId::kIcmp6Filter:
      return IpNative{IPPROTO_ICMPV6, ICMP6_FILTER};
#endif
#if defined(IPV6_NEXTHOP)
    case OptionId::kIpv6NextHop:
      if (!NextHopIsSocketOption()) return std::nullopt;
      return IpNative{IPPROTO_IPV6, IPV6_NEXTHOP};
#endif
#if defined(IPV6_PATHMTU)
    case OptionId::kIpv6PathMtu:
      return IpNative{IPPROTO_IPV6, IPV6_PATHMTU};
#endif
    case OptionId::kIpv6JoinGroup:
      return IpNative{IPPROTO_IPV6, IPV6_JOIN_GROUP};
    case OptionId::kIpv6LeaveGroup:
      return IpNative{IPPROTO_IPV6, IPV6_LEAVE_GROUP};
#if defined(MCAST_JOIN_GROUP)
    case OptionId::kMcastJoinGroup:
      return IpNative{ip_level, MCAST_JOIN_GROUP};
    case OptionId::kMcastLeaveGroup:
      return IpNative{ip_level, MCAST_LEAVE_GROUP};
#endif
#if defined(MCAST_JOIN_SOURCE_GROUP)
    case OptionId::kMcastBlockSource:
      return IpNative{ip_level, MCAST_BLOCK_SOURCE};
    case OptionId::kMcastUnblockSource:
      return IpNative{ip_level, MCAST_UNBLOCK_SOURCE};
    case OptionId::kMcastJoinSourceGroup:
      return IpNative{ip_level, MCAST_JOIN_SOURCE_GROUP};
    case OptionId::kMcastLeaveSourceGroup:
      return IpNative{ip_level, MCAST_LEAVE_SOURCE_GROUP};
#endif
    default:
      return std::nullopt;
  }
}

}  // namespace

absl::Status IpOptionSupport(OptionId id) {
  if (Lookup(id, AddressFamily::kIPv4).has_value()) return absl::OkStatus();
  if (id == OptionId::kIpv6NextHop && !NextHopIsSocketOption()) {
    return internal::NotAvailable(
        absl::StrCat("IPV6_NEXTHOP is not a socket option on ", PlatformName(),
                     " (only ancillary data on sendmsg)"));
  }
  return internal::NotAvailable(absl::StrCat(
      internal::OptionName(id), " is not available on ", PlatformName()));
}

absl::Status SetIpOption(Handle handle, OptionId id, const OptionValue& value) {
  const std::optional<IpNative> n = Lookup(id, bsd::GroupFamily(value));
  if (!n.has_value()) return IpOptionSupport(id);
  auto set_bytes = [&](const void* data, std::size_t length) {
    return SetRaw(handle, n->level, n->name, data,
                  static_cast<socklen_t>(length), id, value);
  };
  auto set = [&](const auto& native) {
    return set_bytes(&native, sizeof(native));
  };
  switch (id) {
    case OptionId::kIpMulticastInterface:
      return set(bsd::ToInAddr(std::get<IpAddress>(value)));
    case OptionId::kIpAddMembership:
    case OptionId::kIpDropMembership:
      return set(bsd::IpMreq<ip_mreq>(std::get<MulticastGroup>(value)));
#if defined(IP_BLOCK_SOURCE)
    case OptionId::kIpBlockSource:
    case OptionId::kIpUnblockSource:
    case OptionId::kIpAddSourceMembership:
    case OptionId::kIpDropSourceMembership:
      return set(
          bsd::IpMreqSource<ip_mreq_source>(std::get<SourceGroup>(value)));
#endif
#if defined(ICMP6_FILTER)
    case OptionId::kIcmp6Filter: {
      const Icmp6Filter& f = std::get<Icmp6Filter>(value);
      icmp6_filter native;
      ICMP6_FILTER_SETBLOCKALL(&native);
      for (int t = 0; t < 256; ++t) {
        if (f.WillPass(static_cast<std::uint8_t>(t))) {
          ICMP6_FILTER_SETPASS(t, &native);
        }
      }
      return set(native);
    }
#endif
    case OptionId::kIpv6NextHop: {
      const SocketAddress& a = std::get<SocketAddress>(value);
      return set_bytes(a.native(), a.native_length());
    }
    case OptionId::kIpv6JoinGroup:
    case OptionId::kIpv6LeaveGroup:
      return set(bsd::Ipv6Mreq<ipv6_mreq>(std::get<MulticastGroup>(value)));
#if defined(MCAST_JOIN_GROUP)
    case OptionId::kMcastJoinGroup:
    case OptionId::kMcastLeaveGroup:
      return set(bsd::GroupReq<group_req>(std::get<MulticastGroup>(value)));
#endif
#if defined(MCAST_JOIN_SOURCE_GROUP)
    case OptionId::kMcastBlockSource:
    case OptionId::kMcastUnblockSource:
    case OptionId::kMcastJoinSourceGroup:
    case OptionId::kMcastLeaveSourceGroup:
      return set(
          bsd::GroupSourceReq<group_source_req>(std::get<SourceGroup>(value)));
#endif
    default:
      break;
  }
  return absl::InternalError(
      absl::StrCat("setsockopt ", internal::OptionName(id), ": cannot be set"));
}

absl::StatusOr<OptionValue> GetIpOption(Handle handle, OptionId id) {
  const std::optional<IpNative> n = Lookup(id, AddressFamily::kIPv6);
  if (!n.has_value()) return IpOptionSupport(id);
  auto get = [&](void* data, socklen_t* length) {
    return GetRaw(handle, n->level, n->name, data, length, id);
  };
  switch (id) {
    case OptionId::kIpMulticastInterface: {
      in_addr a{};
      socklen_t length = sizeof(a);
      NET_RETURN_IF_ERROR(get(&a, &length));
      return OptionValue(bsd::FromInAddr(a));
    }
#if defined(ICMP6_FILTER)
    case OptionId::kIcmp6Filter: {
      icmp6_filter native;
      socklen_t length = sizeof(native);
      NET_RETURN_IF_ERROR(get(&native, &length));
      Icmp6Filter f = Icmp6Filter::BlockAll();
      for (int t = 0; t < 256; ++t) {
        if (ICMP6_FILTER_WILLPASS(t, &native)) {
          f.Pass(static_cast<std::uint8_t>(t));
        }
      }
      return OptionValue(f);
    }
#endif
    case OptionId::kIpv6NextHop: {
      SocketAddress a;
      socklen_t length = SocketAddress::kStorageSize;
      NET_RETURN_IF_ERROR(get(a.mutable_native(), &length));
      a.set_native_length(length);
      return OptionValue(a);
    }
#if defined(IPV6_PATHMTU)
    case OptionId::kIpv6PathMtu: {
      ip6_mtuinfo info{};
      socklen_t length = sizeof(info);
      NET_RETURN_IF_ERROR(get(&info, &length));
      return OptionValue(static_cast<int>(info.ip6m_mtu));
    }
#endif
    default:
      break;
  }
  return absl::InternalError(absl::StrCat(
      "getsockopt ", internal::OptionName(id), ": cannot be read"));
}

}  // namespace net::sys::posix
