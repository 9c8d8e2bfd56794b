// Copyright 2026 The net Authors.
//
// The IP options with struct values on Windows: the IPv4 multicast interface,
// group requests (ip_mreq, ip_mreq_source, ipv6_mreq, and RFC 3678's
// GROUP_REQ / GROUP_SOURCE_REQ) and the path MTU. The POSIX twin is
// options_ip_posix.cc; the requests both build the same way are in
// platform/bsd/options_bsd.h. Winsock has no ICMP6_FILTER and no
// IPV6_NEXTHOP socket option; the path MTU of a connected socket is
// IPV6_MTU.

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/address.h"
#include "net/options.h"
#include "net/status_macros.h"
#include "platform/sys.h"
#include "platform/windows/options_internal_windows.h"
#include "platform/windows/winsock_internal.h"

// After the OS headers (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/options_bsd.h"

namespace net::sys::windows {
namespace {

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
    case OptionId::kIpBlockSource:
      return IpNative{IPPROTO_IP, IP_BLOCK_SOURCE};
    case OptionId::kIpUnblockSource:
      return IpNative{IPPROTO_IP, IP_UNBLOCK_SOURCE};
    case OptionId::kIpAddSourceMembership:
      return IpNative{IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP};
    case OptionId::kIpDropSourceMembership:
      return IpNative{IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP};
    case OptionId::kIpv6PathMtu:
      return IpNative{IPPROTO_IPV6, IPV6_MTU};
    case OptionId::kIpv6JoinGroup:
      return IpNative{IPPROTO_IPV6, IPV6_JOIN_GROUP};
    case OptionId::kIpv6LeaveGroup:
      return IpNative{IPPROTO_IPV6, IPV6_LEAVE_GROUP};
    case OptionId::kMcastJoinGroup:
      return IpNative{ip_level, MCAST_JOIN_GROUP};
    case OptionId::kMcastLeaveGroup:
      return IpNative{ip_level, MCAST_LEAVE_GROUP};
    case OptionId::kMcastBlockSource:
      return IpNative{ip_level, MCAST_BLOCK_SOURCE};
    case OptionId::kMcastUnblockSource:
      return IpNative{ip_level, MCAST_UNBLOCK_SOURCE};
    case OptionId::kMcastJoinSourceGroup:
      return IpNative{ip_level, MCAST_JOIN_SOURCE_GROUP};
    case OptionId::kMcastLeaveSourceGroup:
      return IpNative{ip_level, MCAST_LEAVE_SOURCE_GROUP};
    default:
      return std::nullopt;  // kIcmp6Filter, kIpv6NextHop
  }
}

}  // namespace

absl::string_view IpNativeName(OptionId id) {
  return id == OptionId::kIpv6PathMtu ? "IPV6_MTU" : "";
}

// The request each set-only option takes, for the probe.
int RequestSize(OptionId id) {
  switch (id) {
    case OptionId::kIpAddMembership:
    case OptionId::kIpDropMembership:
      return sizeof(ip_mreq);
    case OptionId::kIpBlockSource:
    case OptionId::kIpUnblockSource:
    case OptionId::kIpAddSourceMembership:
    case OptionId::kIpDropSourceMembership:
      return sizeof(ip_mreq_source);
    case OptionId::kIpv6JoinGroup:
    case OptionId::kIpv6LeaveGroup:
      return sizeof(ipv6_mreq);
    case OptionId::kMcastJoinGroup:
    case OptionId::kMcastLeaveGroup:
      return sizeof(GROUP_REQ);
    default:
      return sizeof(GROUP_SOURCE_REQ);
  }
}

absl::Status IpOptionSupport(OptionId id) {
  const std::optional<IpNative> n = Lookup(id, AddressFamily::kIPv4);
  if (n.has_value()) {
    // Probed on IPv4 for MCAST_*: Winsock implements both families or none.
    const bool v6 = n->level == IPPROTO_IPV6;
    const bool request = FindOption(id) != nullptr && !FindOption(id)->gettable;
    return ProbeOption(id,
                       {v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, n->level, n->name,
                        request ? ProbeKind::kSetZeroed : ProbeKind::kGet,
                        request ? RequestSize(id) : 64});
  }
  if (id == OptionId::kIcmp6Filter) {
    return NotOnWindows(id, "Winsock has no ICMPv6 filter");
  }
  return NotOnWindows(id, "only as ancillary data");
}

absl::Status SetIpOption(Handle handle, OptionId id, const OptionValue& value) {
  const std::optional<IpNative> n = Lookup(id, bsd::GroupFamily(value));
  if (!n.has_value()) return IpOptionSupport(id);
  auto set = [&](const auto& native) {
    return SetRaw(handle, n->level, n->name, &native,
                  static_cast<int>(sizeof(native)), id, value);
  };
  switch (id) {
    case OptionId::kIpMulticastInterface:
      return set(bsd::ToInAddr(std::get<IpAddress>(value)));
    case OptionId::kIpAddMembership:
    case OptionId::kIpDropMembership:
      return set(bsd::IpMreq<ip_mreq>(std::get<MulticastGroup>(value)));
    case OptionId::kIpBlockSource:
    case OptionId::kIpUnblockSource:
    case OptionId::kIpAddSourceMembership:
    case OptionId::kIpDropSourceMembership:
      return set(
          bsd::IpMreqSource<ip_mreq_source>(std::get<SourceGroup>(value)));
    case OptionId::kIpv6JoinGroup:
    case OptionId::kIpv6LeaveGroup:
      return set(bsd::Ipv6Mreq<ipv6_mreq>(std::get<MulticastGroup>(value)));
    case OptionId::kMcastJoinGroup:
    case OptionId::kMcastLeaveGroup:
      return set(bsd::GroupReq<group_req>(std::get<MulticastGroup>(value)));
    case OptionId::kMcastBlockSource:
    case OptionId::kMcastUnblockSource:
    case OptionId::kMcastJoinSourceGroup:
    case OptionId::kMcastLeaveSourceGroup:
      return set(
          bsd::GroupSourceReq<group_source_req>(std::get<SourceGroup>(value)));
    default:
      break;
  }
  return absl::InternalError(
      absl::StrCat("setsockopt ", internal::OptionName(id), ": cannot be set"));
}

absl::StatusOr<OptionValue> GetIpOption(Handle handle, OptionId id) {
  const std::optional<IpNative> n = Lookup(id, AddressFamily::kIPv6);
  if (!n.has_value()) return IpOptionSupport(id);
  switch (id) {
    case OptionId::kIpMulticastInterface: {
      in_addr a{};
      int length = sizeof(a);
      NET_RETURN_IF_ERROR(GetRaw(handle, n->level, n->name, &a, &length, id));
      return OptionValue(bsd::FromInAddr(a));
    }
    case OptionId::kIpv6PathMtu: {
      DWORD mtu = 0;
      int length = sizeof(mtu);
      NET_RETURN_IF_ERROR(GetRaw(handle, n->level, n->name, &mtu, &length, id));
      return OptionValue(static_cast<int>(mtu));
    }
    default:
      break;
  }
  return absl::InternalError(absl::StrCat(
      "getsockopt ", internal::OptionName(id), ": cannot be read"));
}

}  // namespace net::sys::windows
