// Copyright 2026 The net Authors.
//
// The option table: every option's native name (as the POSIX headers spell
// it; a backend renames the few that differ), level, value kind, and whether
// it can be read and written; the listing and capability queries; and the
// text form of values. Validation and the `Socket` members are in
// core/option_checks.cc.

#include "net/options.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "core/option_table.h"
#include "core/options_internal.h"
#include "net/option_ids.h"
#include "net/socket.h"
#include "platform/sys.h"

namespace net {
namespace internal {
namespace {

using K = OptionValueKind;
using L = OptionLevel;

constexpr bool kGet = true;
constexpr bool kNoGet = false;
constexpr bool kSet = true;
constexpr bool kNoSet = false;

// Families and types an option applies to (see OptionRow).
constexpr std::uint8_t kV4 = kFamilyIPv4;
constexpr std::uint8_t kV6 = kFamilyIPv6;
constexpr std::uint8_t kIp = kFamilyIPv4 | kFamilyIPv6;
constexpr std::uint8_t kAnyFamily = kFamilyIPv4 | kFamilyIPv6 | kFamilyUnix;
constexpr std::uint8_t kSt = kTypeStream;
constexpr std::uint8_t kDg = kTypeDatagram;
constexpr std::uint8_t kSq = kTypeSeqPacket;
constexpr std::uint8_t kRw = kTypeRaw;
constexpr std::uint8_t kAnyType = kSt | kDg | kSq | kRw;
constexpr std::uint8_t kDgRw = kDg | kRw;
constexpr std::uint8_t kConnected = kSt | kSq;

#define NET_OPTION(id, name, level_name, level, kind, get, set, families,  \
                   types)                                                  \
  OptionRow {                                                              \
    OptionId::id, name, level_name, L::level, K::kind, get, set, families, \
        types                                                              \
  }

// In `OptionId` order (checked at compile time below).
constexpr OptionRow kRows[] = {
    // SOL_SOCKET
    NET_OPTION(kBroadcast, "SO_BROADCAST", "SOL_SOCKET", kSocket, kBool, kGet,
               kSet, kV4, kDgRw),
    NET_OPTION(kDebug, "SO_DEBUG", "SOL_SOCKET", kSocket, kBool, kGet, kSet,
               kAnyFamily, kAnyType),
    NET_OPTION(kDontRoute, "SO_DONTROUTE", "SOL_SOCKET", kSocket, kBool, kGet,
               kSet, kIp, kAnyType),
    NET_OPTION(kSocketError, "SO_ERROR", "SOL_SOCKET", kSocket, kError, kGet,
               kNoSet, kAnyFamily, kAnyType),
    NET_OPTION(kKeepAlive, "SO_KEEPALIVE", "SOL_SOCKET", kSocket, kBool, kGet,
               kSet, kIp, kConnected),
    NET_OPTION(kLinger, "SO_LINGER", "SOL_SOCKET", kSocket, kLinger, kGet, kSet,
               kIp, kConnected),
    NET_OPTION(kOutOfBandInline, "SO_OOBINLINE", "SOL_SOCKET", kSocket, kBool,
               kGet, kSet, kIp, kSt),
    NET_OPTION(kReceiveBuffer, "SO_RCVBUF", "SOL_SOCKET", kSocket, kInt, kGet,
               kSet, kAnyFamily, kAnyType),
    NET_OPTION(kSendBuffer, "SO_SNDBUF", "SOL_SOCKET", kSocket, kInt, kGet,
               kSet, kAnyFamily, kAnyType),
    NET_OPTION(kReceiveLowWatermark, "SO_RCVLOWAT", "SOL_SOCKET", kSocket, kInt,
               kGet, kSet, kAnyFamily, kAnyType),
    NET_OPTION(kSendLowWatermark, "SO_SNDLOWAT", "SOL_SOCKET", kSocket, kInt,
               kGet, kSet, kAnyFamily, kAnyType),
    NET_OPTION(kReceiveTimeout, "SO_RCVTIMEO", "SOL_SOCKET", kSocket, kDuration,
               kGet, kSet, kAnyFamily, kAnyType),
    NET_OPTION(kSendTimeout, "SO_SNDTIMEO", "SOL_SOCKET", kSocket, kDuration,
               kGet, kSet, kAnyFamily, kAnyType),
    NET_OPTION(kReuseAddress, "SO_REUSEADDR", "SOL_SOCKET", kSocket, kBool,
               kGet, kSet, kIp, kAnyType),
    NET_OPTION(kReusePort, "SO_REUSEPORT", "SOL_SOCKET", kSocket, kBool, kGet,
               kSet, kIp, kAnyType),
    NET_OPTION(kSocketType, "SO_TYPE", "SOL_SOCKET", kSocket, kSocketType, kGet,
               kNoSet, kAnyFamily, kAnyType),
    NET_OPTION(kUseLoopback, "SO_USELOOPBACK", "SOL_SOCKET", kSocket, kBool,
               kGet, kSet, kAnyFamily, kAnyType),
    NET_OPTION(kAcceptConnections, "SO_ACCEPTCONN", "SOL_SOCKET", kSocket,
               kBool, kGet, kNoSet, kAnyFamily, kAnyType),
    NET_OPTION(kSocketDomain, "SO_DOMAIN", "SOL_SOCKET", kSocket,
               kAddressFamily, kGet, kNoSet, kAnyFamily, kAnyType),
    NET_OPTION(kSocketProtocol, "SO_PROTOCOL", "SOL_SOCKET", kSocket, kInt,
               kGet, kNoSet, kAnyFamily, kAnyType),
    NET_OPTION(kExclusiveAddressUse, "SO_EXCLUSIVEADDRUSE", "SOL_SOCKET",
               kSocket, kBool, kGet, kSet, kIp, kAnyType),
    NET_OPTION(kBindToDevice, "SO_BINDTODEVICE", "SOL_SOCKET", kSocket, kString,
               kGet, kSet, kIp, kAnyType),

    // IPPROTO_IP
    NET_OPTION(kIpHeaderIncluded, "IP_HDRINCL", "IPPROTO_IP", kIPv4, kBool,
               kGet, kSet, kV4, kRw),
    NET_OPTION(kIpOptions, "IP_OPTIONS", "IPPROTO_IP", kIPv4, kBytes, kGet,
               kSet, kV4, kSt | kDgRw),
    NET_OPTION(kIpReceiveDestinationAddress, "IP_RECVDSTADDR", "IPPROTO_IP",
               kIPv4, kBool, kGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpReceiveInterface, "IP_RECVIF", "IPPROTO_IP", kIPv4, kBool,
               kGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpTos, "IP_TOS", "IPPROTO_IP", kIPv4, kInt, kGet, kSet, kV4,
               kSt | kDgRw),
    NET_OPTION(kIpTtl, "IP_TTL", "IPPROTO_IP", kIPv4, kInt, kGet, kSet, kV4,
               kSt | kDgRw),
    NET_OPTION(kIpMulticastInterface, "IP_MULTICAST_IF", "IPPROTO_IP", kIPv4,
               kIpAddress, kGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpMulticastTtl, "IP_MULTICAST_TTL", "IPPROTO_IP", kIPv4, kInt,
               kGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpMulticastLoop, "IP_MULTICAST_LOOP", "IPPROTO_IP", kIPv4,
               kBool, kGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpAddMembership, "IP_ADD_MEMBERSHIP", "IPPROTO_IP", kIPv4,
               kGroup, kNoGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpDropMembership, "IP_DROP_MEMBERSHIP", "IPPROTO_IP", kIPv4,
               kGroup, kNoGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpBlockSource, "IP_BLOCK_SOURCE", "IPPROTO_IP", kIPv4,
               kSourceGroup, kNoGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpUnblockSource, "IP_UNBLOCK_SOURCE", "IPPROTO_IP", kIPv4,
               kSourceGroup, kNoGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpAddSourceMembership, "IP_ADD_SOURCE_MEMBERSHIP", "IPPROTO_IP",
               kIPv4, kSourceGroup, kNoGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpDropSourceMembership, "IP_DROP_SOURCE_MEMBERSHIP",
               "IPPROTO_IP", kIPv4, kSourceGroup, kNoGet, kSet, kV4, kDgRw),
    NET_OPTION(kIpPacketInfo, "IP_PKTINFO", "IPPROTO_IP", kIPv4, kBool, kGet,
               kSet, kV4, kDgRw),
    NET_OPTION(kIpReceiveTtl, "IP_RECVTTL", "IPPROTO_IP", kIPv4, kBool, kGet,
               kSet, kV4, kDgRw),
    NET_OPTION(kIpReceiveTos, "IP_RECVTOS", "IPPROTO_IP", kIPv4, kBool, kGet,
               kSet, kV4, kDgRw),

    // IPPROTO_ICMPV6
    NET_OPTION(kIcmp6Filter, "ICMP6_FILTER", "IPPROTO_ICMPV6", kICMPv6,
               kIcmp6Filter, kGet, kSet, kV6, kRw),

    // IPPROTO_IPV6
    NET_OPTION(kIpv6Checksum, "IPV6_CHECKSUM", "IPPROTO_IPV6", kIPv6, kInt,
               kGet, kSet, kV6, kRw),
    NET_OPTION(kIpv6DontFragment, "IPV6_DONTFRAG", "IPPROTO_IPV6", kIPv6, kBool,
               kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6NextHop, "IPV6_NEXTHOP", "IPPROTO_IPV6", kIPv6,
               kSocketAddress, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6PathMtu, "IPV6_PATHMTU", "IPPROTO_IPV6", kIPv6, kInt, kGet,
               kNoSet, kV6, kSt | kDgRw),
    NET_OPTION(kIpv6ReceiveDestinationOptions, "IPV6_RECVDSTOPTS",
               "IPPROTO_IPV6", kIPv6, kBool, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6ReceiveHopLimit, "IPV6_RECVHOPLIMIT", "IPPROTO_IPV6", kIPv6,
               kBool, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6ReceiveHopOptions, "IPV6_RECVHOPOPTS", "IPPROTO_IPV6",
               kIPv6, kBool, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6ReceivePathMtu, "IPV6_RECVPATHMTU", "IPPROTO_IPV6", kIPv6,
               kBool, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6ReceivePacketInfo, "IPV6_RECVPKTINFO", "IPPROTO_IPV6",
               kIPv6, kBool, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6ReceiveRoutingHeader, "IPV6_RECVRTHDR", "IPPROTO_IPV6",
               kIPv6, kBool, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6ReceiveTrafficClass, "IPV6_RECVTCLASS", "IPPROTO_IPV6",
               kIPv6, kBool, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6UnicastHops, "IPV6_UNICAST_HOPS", "IPPROTO_IPV6", kIPv6,
               kInt, kGet, kSet, kV6, kSt | kDgRw),
    NET_OPTION(kIpv6UseMinMtu, "IPV6_USE_MIN_MTU", "IPPROTO_IPV6", kIPv6, kInt,
               kGet, kSet, kV6, kSt | kDgRw),
    NET_OPTION(kIpv6V6Only, "IPV6_V6ONLY", "IPPROTO_IPV6", kIPv6, kBool, kGet,
               kSet, kV6, kAnyType),
    NET_OPTION(kIpv6MulticastInterface, "IPV6_MULTICAST_IF", "IPPROTO_IPV6",
               kIPv6, kInterfaceIndex, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6MulticastHops, "IPV6_MULTICAST_HOPS", "IPPROTO_IPV6", kIPv6,
               kInt, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6MulticastLoop, "IPV6_MULTICAST_LOOP", "IPPROTO_IPV6", kIPv6,
               kBool, kGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6JoinGroup, "IPV6_JOIN_GROUP", "IPPROTO_IPV6", kIPv6, kGroup,
               kNoGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6LeaveGroup, "IPV6_LEAVE_GROUP", "IPPROTO_IPV6", kIPv6,
               kGroup, kNoGet, kSet, kV6, kDgRw),
    NET_OPTION(kIpv6TrafficClass, "IPV6_TCLASS", "IPPROTO_IPV6", kIPv6, kInt,
               kGet, kSet, kV6, kSt | kDgRw),

    // MCAST_* at the family's IP level
    NET_OPTION(kMcastJoinGroup, "MCAST_JOIN_GROUP", "IPPROTO_IP/IPPROTO_IPV6",
               kIpOfFamily, kGroup, kNoGet, kSet, kIp, kDgRw),
    NET_OPTION(kMcastLeaveGroup, "MCAST_LEAVE_GROUP", "IPPROTO_IP/IPPROTO_IPV6",
               kIpOfFamily, kGroup, kNoGet, kSet, kIp, kDgRw),
    NET_OPTION(kMcastBlockSource, "MCAST_BLOCK_SOURCE",
               "IPPROTO_IP/IPPROTO_IPV6", kIpOfFamily, kSourceGroup, kNoGet,
               kSet, kIp, kDgRw),
    NET_OPTION(kMcastUnblockSource, "MCAST_UNBLOCK_SOURCE",
               "IPPROTO_IP/IPPROTO_IPV6", kIpOfFamily, kSourceGroup, kNoGet,
               kSet, kIp, kDgRw),
    NET_OPTION(kMcastJoinSourceGroup, "MCAST_JOIN_SOURCE_GROUP",
               "IPPROTO_IP/IPPROTO_IPV6", kIpOfFamily, kSourceGroup, kNoGet,
               kSet, kIp, kDgRw),
    NET_OPTION(kMcastLeaveSourceGroup, "MCAST_LEAVE_SOURCE_GROUP",
               "IPPROTO_IP/IPPROTO_IPV6", kIpOfFamily, kSourceGroup, kNoGet,
               kSet, kIp, kDgRw),

    // IPPROTO_TCP
    NET_OPTION(kTcpNoDelay, "TCP_NODELAY", "IPPROTO_TCP", kTcp, kBool, kGet,
               kSet, kIp, kSt),
    NET_OPTION(kTcpMaxSegment, "TCP_MAXSEG", "IPPROTO_TCP", kTcp, kInt, kGet,
               kSet, kIp, kSt),
    NET_OPTION(kTcpKeepAlive, "TCP_KEEPIDLE+TCP_KEEPINTVL+TCP_KEEPCNT",
               "IPPROTO_TCP", kTcp, kKeepAlive, kGet, kSet, kIp, kSt),
    NET_OPTION(kTcpUserTimeout, "TCP_USER_TIMEOUT", "IPPROTO_TCP", kTcp,
               kDuration, kGet, kSet, kIp, kSt),
    NET_OPTION(kTcpFastOpen, "TCP_FASTOPEN", "IPPROTO_TCP", kTcp, kInt, kGet,
               kSet, kIp, kSt),
    NET_OPTION(kTcpCongestion, "TCP_CONGESTION", "IPPROTO_TCP", kTcp, kString,
               kGet, kSet, kIp, kSt),
    NET_OPTION(kTcpDeferAccept, "TCP_DEFER_ACCEPT", "IPPROTO_TCP", kTcp,
               kDuration, kGet, kSet, kIp, kSt),
    NET_OPTION(kTcpQuickAck, "TCP_QUICKACK", "IPPROTO_TCP", kTcp, kBool, kGet,
               kSet, kIp, kSt),
    NET_OPTION(kTcpCork, "TCP_CORK", "IPPROTO_TCP", kTcp, kBool, kGet, kSet,
               kIp, kSt),

    // IPPROTO_SCTP
    NET_OPTION(kSctpAdaptationLayer, "SCTP_ADAPTATION_LAYER", "IPPROTO_SCTP",
               kSctp, kUnsigned, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpAssocInfo, "SCTP_ASSOCINFO", "IPPROTO_SCTP", kSctp,
               kSctpAssocInfo, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpAutoClose, "SCTP_AUTOCLOSE", "IPPROTO_SCTP", kSctp,
               kDuration, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpDefaultSendParam, "SCTP_DEFAULT_SEND_PARAM", "IPPROTO_SCTP",
               kSctp, kSctpSendParams, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpDisableFragments, "SCTP_DISABLE_FRAGMENTS", "IPPROTO_SCTP",
               kSctp, kBool, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpEvents, "SCTP_EVENTS", "IPPROTO_SCTP", kSctp, kSctpEvents,
               kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpGetPeerAddrInfo, "SCTP_GET_PEER_ADDR_INFO", "IPPROTO_SCTP",
               kSctp, kSctpPeerAddrInfo, kGet, kNoSet, kIp, kConnected),
    NET_OPTION(kSctpIWantMappedV4Addr, "SCTP_I_WANT_MAPPED_V4_ADDR",
               "IPPROTO_SCTP", kSctp, kBool, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpInitMsg, "SCTP_INITMSG", "IPPROTO_SCTP", kSctp,
               kSctpInitMsg, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpMaxBurst, "SCTP_MAXBURST", "IPPROTO_SCTP", kSctp, kInt,
               kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpMaxSegment, "SCTP_MAXSEG", "IPPROTO_SCTP", kSctp, kInt,
               kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpNoDelay, "SCTP_NODELAY", "IPPROTO_SCTP", kSctp, kBool, kGet,
               kSet, kIp, kConnected),
    NET_OPTION(kSctpPeerAddrParams, "SCTP_PEER_ADDR_PARAMS", "IPPROTO_SCTP",
               kSctp, kSctpPeerAddrParams, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpPrimaryAddr, "SCTP_PRIMARY_ADDR", "IPPROTO_SCTP", kSctp,
               kSctpPrimaryAddr, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpRtoInfo, "SCTP_RTOINFO", "IPPROTO_SCTP", kSctp,
               kSctpRtoInfo, kGet, kSet, kIp, kConnected),
    NET_OPTION(kSctpSetPeerPrimaryAddr, "SCTP_SET_PEER_PRIMARY_ADDR",
               "IPPROTO_SCTP", kSctp, kSctpPrimaryAddr, kNoGet, kSet, kIp,
               kConnected),
    NET_OPTION(kSctpStatus, "SCTP_STATUS", "IPPROTO_SCTP", kSctp, kSctpStatus,
               kGet, kNoSet, kIp, kConnected),
};

#undef NET_OPTION

constexpr std::size_t kOptionCount = sizeof(kRows) / sizeof(kRows[0]);
static_assert(static_cast<std::size_t>(OptionId::kSctpStatus) + 1 ==
                  kOptionCount,
              "one row per OptionId");

// Rows are in OptionId order; this checks it once, at compile time.
constexpr bool RowsInOrder() {
  for (std::size_t i = 0; i < kOptionCount; ++i) {
    if (static_cast<std::size_t>(kRows[i].id) != i) return false;
  }
  return true;
}
static_assert(RowsInOrder(), "kRows must be in OptionId order");

// IsSctpOption() (core/options_internal.h) relies on this.
constexpr bool SctpRowsLastAndContiguous() {
  for (const OptionRow& row : kRows) {
    if ((row.level == L::kSctp) != IsSctpOption(row.id)) return false;
  }
  return true;
}
static_assert(SctpRowsLastAndContiguous(),
              "the IPPROTO_SCTP options must be the last block of OptionId");

constexpr Feature kFeatures[] = {
    Feature::kIPv6,
    Feature::kDualStack,
    Feature::kUnixSockets,
    Feature::kAbstractUnixSockets,
    Feature::kRawSockets,
    Feature::kSctp,
    Feature::kReusePortLoadBalancing,
    Feature::kSourceSpecificMulticast,
    Feature::kDescriptorPassing,
    Feature::kCredentialPassing,
    Feature::kUdpSegmentation,
};

}  // namespace

const OptionRow* FindRow(OptionId id) {
  const auto index = static_cast<std::size_t>(id);
  return index < kOptionCount ? &kRows[index] : nullptr;
}

}  // namespace internal

absl::string_view OptionLevelName(OptionLevel level) {
  switch (level) {
    case OptionLevel::kSocket:
      return "SOL_SOCKET";
    case OptionLevel::kIPv4:
      return "IPPROTO_IP";
    case OptionLevel::kIPv6:
      return "IPPROTO_IPV6";
    case OptionLevel::kICMPv6:
      return "IPPROTO_ICMPV6";
    case OptionLevel::kIpOfFamily:
      return "IPPROTO_IP/IPPROTO_IPV6";
    case OptionLevel::kTcp:
      return "IPPROTO_TCP";
    case OptionLevel::kSctp:
      return "IPPROTO_SCTP";
  }
  return "unknown";
}

absl::string_view OptionValueKindName(OptionValueKind kind) {
  switch (kind) {
    case OptionValueKind::kBool:
      return "bool";
    case OptionValueKind::kInt:
      return "int";
    case OptionValueKind::kUnsigned:
      return "unsigned";
    case OptionValueKind::kDuration:
      return "duration";
    case OptionValueKind::kLinger:
      return "linger";
    case OptionValueKind::kBytes:
      return "bytes";
    case OptionValueKind::kString:
      return "string";
    case OptionValueKind::kIpAddress:
      return "ip address";
    case OptionValueKind::kInterfaceIndex:
      return "interface index";
    case OptionValueKind::kSocketAddress:
      return "socket address";
    case OptionValueKind::kAddressFamily:
      return "address family";
    case OptionValueKind::kSocketType:
      return "socket type";
    case OptionValueKind::kError:
      return "error";
    case OptionValueKind::kGroup:
      return "group";
    case OptionValueKind::kSourceGroup:
      return "source group";
    case OptionValueKind::kIcmp6Filter:
      return "icmp6 filter";
    case OptionValueKind::kKeepAlive:
      return "keepalive";
    case OptionValueKind::kSctpInitMsg:
      return "sctp initmsg";
    case OptionValueKind::kSctpRtoInfo:
      return "sctp rtoinfo";
    case OptionValueKind::kSctpAssocInfo:
      return "sctp associnfo";
    case OptionValueKind::kSctpEvents:
      return "sctp events";
    case OptionValueKind::kSctpSendParams:
      return "sctp send params";
    case OptionValueKind::kSctpPeerAddrParams:
      return "sctp peer addr params";
    case OptionValueKind::kSctpPeerAddrInfo:
      return "sctp peer addr info";
    case OptionValueKind::kSctpStatus:
      return "sctp status";
    case OptionValueKind::kSctpPrimaryAddr:
      return "sctp primary addr";
  }
  return "unknown";
}

absl::Span<const OptionInfo> AllOptions() {
  // Built once: the table's names, with the backend's where they differ.
  static const std::vector<OptionInfo>* const table = [] {
    auto* rows = new std::vector<OptionInfo>();
    rows->reserve(internal::kOptionCount);
    for (const internal::OptionRow& row : internal::kRows) {
      absl::string_view native = sys::NativeOptionName(row.id);
      rows->push_back(OptionInfo{row.id, native.empty() ? row.name : native,
                                 row.level_name, row.level, row.kind,
                                 row.gettable, row.settable});
    }
    return rows;
  }();
  return *table;
}

const OptionInfo* FindOption(OptionId id) {
  absl::Span<const OptionInfo> all = AllOptions();
  const auto index = static_cast<std::size_t>(id);
  return index < all.size() ? &all[index] : nullptr;
}

absl::Status CheckSupported(OptionId id) {
  if (internal::FindRow(id) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "option id ", static_cast<int>(id), " is not a net::OptionId"));
  }
  // A backend may probe with a socket (Windows: which options this version
  // implements).
  absl::Status initialized = sys::EnsureInitialized();
  if (!initialized.ok()) return initialized;
  return sys::OptionSupport(id);
}

bool IsSupported(OptionId id) { return CheckSupported(id).ok(); }

absl::string_view FeatureName(Feature feature) {
  switch (feature) {
    case Feature::kIPv6:
      return "ipv6";
    case Feature::kDualStack:
      return "dual-stack";
    case Feature::kUnixSockets:
      return "unix sockets";
    case Feature::kAbstractUnixSockets:
      return "abstract unix sockets";
    case Feature::kRawSockets:
      return "raw sockets";
    case Feature::kSctp:
      return "sctp";
    case Feature::kReusePortLoadBalancing:
      return "reuseport load balancing";
    case Feature::kSourceSpecificMulticast:
      return "source-specific multicast";
    case Feature::kDescriptorPassing:
      return "descriptor passing";
    case Feature::kCredentialPassing:
      return "credential passing";
    case Feature::kUdpSegmentation:
      return "udp segmentation";
  }
  return "unknown";
}

absl::Span<const Feature> AllFeatures() { return internal::kFeatures; }

absl::Status CheckSupported(Feature feature) {
  absl::Status initialized = sys::EnsureInitialized();
  if (!initialized.ok()) return initialized;
  return sys::FeatureSupport(feature);
}

bool IsSupported(Feature feature) { return CheckSupported(feature).ok(); }

namespace {

std::string Quote(absl::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", std::string(1, static_cast<char>(c)));
    } else if (c < 0x20 || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      absl::StrAppend(&out, "\\x", std::string(1, kHex[c >> 4]),
                      std::string(1, kHex[c & 15]));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

std::string Interface(std::uint32_t index, const IpAddress& address) {
  if (index != 0) return absl::StrCat(" on if ", index);
  if (!address.IsUnspecified()) return absl::StrCat(" on ", address.ToString());
  return "";
}

std::string FilterText(const Icmp6Filter& f) {
  std::vector<int> pass;
  std::vector<int> block;
  for (int t = 0; t < 256; ++t) {
    (f.WillPass(static_cast<std::uint8_t>(t)) ? pass : block).push_back(t);
  }
  if (block.empty()) return "pass all";
  if (pass.empty()) return "block all";
  if (pass.size() <= block.size()) {
    return absl::StrCat("pass only ", absl::StrJoin(pass, ","));
  }
  return absl::StrCat("block only ", absl::StrJoin(block, ","));
}

std::string Ms(absl::Duration d) { return absl::FormatDuration(d); }

struct Formatter {
  std::string operator()(std::monostate) const { return "(none)"; }
  std::string operator()(bool v) const { return v ? "true" : "false"; }
  std::string operator()(int v) const { return absl::StrCat(v); }
  std::string operator()(std::uint32_t v) const { return absl::StrCat(v); }
  std::string operator()(absl::Duration v) const {
    return absl::FormatDuration(v);
  }
  std::string operator()(const std::string& v) const { return Quote(v); }
  std::string operator()(const IpAddress& v) const { return v.ToString(); }
  std::string operator()(const SocketAddress& v) const { return v.ToString(); }
  std::string operator()(AddressFamily v) const {
    return std::string(AddressFamilyName(v));
  }
  std::string operator()(SocketType v) const {
    return std::string(SocketTypeName(v));
  }
  std::string operator()(const absl::Status& v) const {
    return v.ok() ? "none" : std::string(v.message());
  }
  std::string operator()(const Linger& v) const {
    return absl::StrCat("{", v.on ? "on" : "off", ", ", Ms(v.timeout), "}");
  }
  std::string operator()(const KeepAlive& v) const {
    return absl::StrCat("{idle ", Ms(v.idle), ", interval ", Ms(v.interval),
                        ", count ", v.count, "}");
  }
  std::string operator()(const MulticastGroup& v) const {
    return absl::StrCat(v.group.ToString(),
                        Interface(v.interface_index, v.interface_address));
  }
  std::string operator()(const SourceGroup& v) const {
    return absl::StrCat(v.group.ToString(), " from ", v.source.ToString(),
                        Interface(v.interface_index, v.interface_address));
  }
  std::string operator()(const Icmp6Filter& v) const { return FilterText(v); }
  std::string operator()(const SctpInitMsg& v) const {
    return absl::StrCat("{ostreams ", v.num_ostreams, ", instreams ",
                        v.max_instreams, ", attempts ", v.max_attempts,
                        ", init timeout ", Ms(v.max_init_timeout), "}");
  }
  std::string operator()(const SctpRtoInfo& v) const {
    return absl::StrCat("{initial ", Ms(v.initial), ", max ", Ms(v.max),
                        ", min ", Ms(v.min), "}");
  }
  std::string operator()(const SctpAssocInfo& v) const {
    return absl::StrCat("{max retransmissions ", v.max_retransmissions,
                        ", peer destinations ", v.peer_destinations,
                        ", peer rwnd ", v.peer_receive_window, ", local rwnd ",
                        v.local_receive_window, ", cookie life ",
                        Ms(v.cookie_life), "}");
  }
  std::string operator()(const SctpEventSubscription& v) const {
    std::vector<absl::string_view> on;
    if (v.data_io) on.push_back("data io");
    if (v.association) on.push_back("association");
    if (v.address) on.push_back("address");
    if (v.send_failure) on.push_back("send failure");
    if (v.peer_error) on.push_back("peer error");
    if (v.shutdown) on.push_back("shutdown");
    if (v.partial_delivery) on.push_back("partial delivery");
    if (v.adaptation_layer) on.push_back("adaptation layer");
    if (v.authentication) on.push_back("authentication");
    if (v.sender_dry) on.push_back("sender dry");
    return absl::StrCat("{", absl::StrJoin(on, ", "), "}");
  }
  std::string operator()(const SctpSendParams& v) const {
    return absl::StrCat("{stream ", v.stream, ", flags ", v.flags, ", ppid ",
                        v.ppid, ", context ", v.context, ", ttl ",
                        Ms(v.time_to_live), "}");
  }
  std::string operator()(const SctpPeerAddrParams& v) const {
    return absl::StrCat("{", v.address.ToString(), ", heartbeat ",
                        Ms(v.heartbeat_interval), ", max retransmissions ",
                        v.path_max_retransmissions, ", mtu ", v.path_mtu,
                        ", sack delay ", Ms(v.sack_delay), ", flags ", v.flags,
                        "}");
  }
  std::string operator()(const SctpPeerAddrInfo& v) const {
    return absl::StrCat("{", v.address.ToString(), ", state ",
                        static_cast<int>(v.state), ", cwnd ",
                        v.congestion_window, ", srtt ", Ms(v.smoothed_rtt),
                        ", rto ", Ms(v.rto), ", mtu ", v.mtu, "}");
  }
  std::string operator()(const SctpStatus& v) const {
    return absl::StrCat("{state ", static_cast<int>(v.state), ", rwnd ",
                        v.receive_window, ", streams in ", v.in_streams,
                        " out ", v.out_streams, ", primary ",
                        v.primary.address.ToString(), "}");
  }
  std::string operator()(const SctpPrimaryAddr& v) const {
    return v.address.ToString();
  }
};

}  // namespace

std::string FormatOptionValue(const OptionValue& value) {
  return std::visit(Formatter{}, value);
}

namespace option_internal {

absl::Status WrongValueType(OptionId id, const OptionValue& got) {
  return absl::InternalError(absl::StrCat(
      "get ", internal::OptionName(id),
      ": the backend answered with a value of the wrong type (alternative ",
      got.index(), "); this is a bug in net"));
}

}  // namespace option_internal
}  // namespace net
