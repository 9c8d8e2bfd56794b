// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: option_ids.h
// -----------------------------------------------------------------------------
//
// This header defines the socket option table of `net` as data: a portable
// id for every option (`net::OptionId`), which each backend maps to its
// native level and name; the listing API (`AllOptions()`, `FindOption()`)
// that tells, per option, its native name, level, value kind and whether it
// can be read and written; and the capability queries, per option and per
// feature (`IsSupported()`, `CheckSupported()`), answered at run time by the
// backend from what it was compiled with plus run-time probes where a header
// is not enough (SCTP in the headers but not in the kernel is unsupported).
//
// The typed options (`net::NoDelay`, `net::ReceiveBufferSize` ...) are in
// net/options.h; docs/options.md is the table with the platform notes.
//
// Example:
//
//   for (const net::OptionInfo& o : net::AllOptions()) {
//     std::cout << o.level_name << " " << o.name << " "
//               << (net::IsSupported(o.id) ? "yes" : "no") << "\n";
//   }

#ifndef NET_OPTION_IDS_H_
#define NET_OPTION_IDS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "net/export.h"
#include "net/option_types.h"

namespace net {

// OptionId
//
// One enumerator per option. The numeric values are stable within a
// release of `net` and mean nothing to any OS.
enum class OptionId : std::uint16_t {
  // SOL_SOCKET
  kBroadcast,            // SO_BROADCAST
  kDebug,                // SO_DEBUG
  kDontRoute,            // SO_DONTROUTE
  kSocketError,          // SO_ERROR (get)
  kKeepAlive,            // SO_KEEPALIVE
  kLinger,               // SO_LINGER
  kOutOfBandInline,      // SO_OOBINLINE
  kReceiveBuffer,        // SO_RCVBUF
  kSendBuffer,           // SO_SNDBUF
  kReceiveLowWatermark,  // SO_RCVLOWAT
  kSendLowWatermark,     // SO_SNDLOWAT
  kReceiveTimeout,       // SO_RCVTIMEO
  kSendTimeout,          // SO_SNDTIMEO
  kReuseAddress,         // SO_REUSEADDR
  kReusePort,            // SO_REUSEPORT
  kSocketType,           // SO_TYPE (get)
  kUseLoopback,          // SO_USELOOPBACK
  kAcceptConnections,    // SO_ACCEPTCONN (get)
  kSocketDomain,         // SO_DOMAIN (get)
  kSocketProtocol,       // SO_PROTOCOL (get)
  kExclusiveAddressUse,  // SO_EXCLUSIVEADDRUSE (Windows)
  kBindToDevice,         // SO_BINDTODEVICE (Linux)

  // IPPROTO_IP
  kIpHeaderIncluded,             // IP_HDRINCL
  kIpOptions,                    // IP_OPTIONS
  kIpReceiveDestinationAddress,  // IP_RECVDSTADDR
  kIpReceiveInterface,           // IP_RECVIF
  kIpTos,                        // IP_TOS
  kIpTtl,                        // IP_TTL
  kIpMulticastInterface,         // IP_MULTICAST_IF
  kIpMulticastTtl,               // IP_MULTICAST_TTL
  kIpMulticastLoop,              // IP_MULTICAST_LOOP
  kIpAddMembership,              // IP_ADD_MEMBERSHIP (set)
  kIpDropMembership,             // IP_DROP_MEMBERSHIP (set)
  kIpBlockSource,                // IP_BLOCK_SOURCE (set)
  kIpUnblockSource,              // IP_UNBLOCK_SOURCE (set)
  kIpAddSourceMembership,        // IP_ADD_SOURCE_MEMBERSHIP (set)
  kIpDropSourceMembership,       // IP_DROP_SOURCE_MEMBERSHIP (set)
  kIpPacketInfo,                 // IP_PKTINFO
  kIpReceiveTtl,                 // IP_RECVTTL
  kIpReceiveTos,                 // IP_RECVTOS

  // IPPROTO_ICMPV6
  kIcmp6Filter,  // ICMP6_FILTER

  // IPPROTO_IPV6
  kIpv6Checksum,                   // IPV6_CHECKSUM
  kIpv6DontFragment,               // IPV6_DONTFRAG
  kIpv6NextHop,                    // IPV6_NEXTHOP
  kIpv6PathMtu,                    // IPV6_PATHMTU (get)
  kIpv6ReceiveDestinationOptions,  // IPV6_RECVDSTOPTS
  kIpv6ReceiveHopLimit,            // IPV6_RECVHOPLIMIT
  kIpv6ReceiveHopOptions,          // IPV6_RECVHOPOPTS
  kIpv6ReceivePathMtu,             // IPV6_RECVPATHMTU
  kIpv6ReceivePacketInfo,          // IPV6_RECVPKTINFO
  kIpv6ReceiveRoutingHeader,       // IPV6_RECVRTHDR
  kIpv6ReceiveTrafficClass,        // IPV6_RECVTCLASS
  kIpv6UnicastHops,                // IPV6_UNICAST_HOPS
  kIpv6UseMinMtu,                  // IPV6_USE_MIN_MTU
  kIpv6V6Only,                     // IPV6_V6ONLY
  kIpv6MulticastInterface,         // IPV6_MULTICAST_IF
  kIpv6MulticastHops,              // IPV6_MULTICAST_HOPS
  kIpv6MulticastLoop,              // IPV6_MULTICAST_LOOP
  kIpv6JoinGroup,                  // IPV6_JOIN_GROUP (set)
  kIpv6LeaveGroup,                 // IPV6_LEAVE_GROUP (set)
  kIpv6TrafficClass,               // IPV6_TCLASS

  // Protocol-independent multicast (RFC 3678), at the socket family's IP
  // level.
  kMcastJoinGroup,         // MCAST_JOIN_GROUP (set)
  kMcastLeaveGroup,        // MCAST_LEAVE_GROUP (set)
  kMcastBlockSource,       // MCAST_BLOCK_SOURCE (set)
  kMcastUnblockSource,     // MCAST_UNBLOCK_SOURCE (set)
  kMcastJoinSourceGroup,   // MCAST_JOIN_SOURCE_GROUP (set)
  kMcastLeaveSourceGroup,  // MCAST_LEAVE_SOURCE_GROUP (set)

  // IPPROTO_TCP
  kTcpNoDelay,      // TCP_NODELAY
  kTcpMaxSegment,   // TCP_MAXSEG
  kTcpKeepAlive,    // TCP_KEEPIDLE + TCP_KEEPINTVL + TCP_KEEPCNT
  kTcpUserTimeout,  // TCP_USER_TIMEOUT / TCP_MAXRT / TCP_RXT_CONNDROPTIME
  kTcpFastOpen,     // TCP_FASTOPEN
  kTcpCongestion,   // TCP_CONGESTION
  kTcpDeferAccept,  // TCP_DEFER_ACCEPT
  kTcpQuickAck,     // TCP_QUICKACK
  kTcpCork,         // TCP_CORK / TCP_NOPUSH

  // IPPROTO_SCTP
  kSctpAdaptationLayer,     // SCTP_ADAPTATION_LAYER
  kSctpAssocInfo,           // SCTP_ASSOCINFO
  kSctpAutoClose,           // SCTP_AUTOCLOSE
  kSctpDefaultSendParam,    // SCTP_DEFAULT_SEND_PARAM
  kSctpDisableFragments,    // SCTP_DISABLE_FRAGMENTS
  kSctpEvents,              // SCTP_EVENTS
  kSctpGetPeerAddrInfo,     // SCTP_GET_PEER_ADDR_INFO (get, with a query)
  kSctpIWantMappedV4Addr,   // SCTP_I_WANT_MAPPED_V4_ADDR
  kSctpInitMsg,             // SCTP_INITMSG
  kSctpMaxBurst,            // SCTP_MAXBURST
  kSctpMaxSegment,          // SCTP_MAXSEG
  kSctpNoDelay,             // SCTP_NODELAY
  kSctpPeerAddrParams,      // SCTP_PEER_ADDR_PARAMS
  kSctpPrimaryAddr,         // SCTP_PRIMARY_ADDR
  kSctpRtoInfo,             // SCTP_RTOINFO
  kSctpSetPeerPrimaryAddr,  // SCTP_SET_PEER_PRIMARY_ADDR (set)
  kSctpStatus,              // SCTP_STATUS (get)
};

// OptionLevel
//
// Where an option lives. `kIpOfFamily` is the protocol-independent
// multicast API (MCAST_*): IPPROTO_IP on an IPv4 socket, IPPROTO_IPV6 on an
// IPv6 socket.
enum class OptionLevel : std::uint8_t {
  kSocket,      // SOL_SOCKET
  kIPv4,        // IPPROTO_IP
  kIPv6,        // IPPROTO_IPV6
  kICMPv6,      // IPPROTO_ICMPV6
  kIpOfFamily,  // IPPROTO_IP or IPPROTO_IPV6, by the socket's family
  kTcp,         // IPPROTO_TCP
  kSctp,        // IPPROTO_SCTP
};

// OptionValueKind
//
// The C++ type of an option's value; `OptionValue` (net/option_types.h)
// lists which alternative carries each kind.
enum class OptionValueKind : std::uint8_t {
  kBool,            // bool (on/off options, an `int` to the OS)
  kInt,             // int (sizes, counts, hop limits)
  kUnsigned,        // std::uint32_t
  kDuration,        // absl::Duration
  kLinger,          // Linger
  kBytes,           // std::string of raw bytes (IP_OPTIONS)
  kString,          // std::string of text (TCP_CONGESTION, SO_BINDTODEVICE)
  kIpAddress,       // IpAddress
  kInterfaceIndex,  // std::uint32_t, 0: the OS picks
  kSocketAddress,   // SocketAddress
  kAddressFamily,   // AddressFamily (SO_DOMAIN)
  kSocketType,      // SocketType (SO_TYPE)
  kError,           // absl::Status (SO_ERROR)
  kGroup,           // MulticastGroup
  kSourceGroup,     // SourceGroup
  kIcmp6Filter,     // Icmp6Filter
  kKeepAlive,       // KeepAlive
  kSctpInitMsg,         // SctpInitMsg (SCTP_INITMSG)
  kSctpRtoInfo,         // SctpRtoInfo (SCTP_RTOINFO)
  kSctpAssocInfo,       // SctpAssocInfo (SCTP_ASSOCINFO)
  kSctpEvents,          // SctpEventSubscription (SCTP_EVENTS)
  kSctpSendParams,      // SctpSendParams (SCTP_DEFAULT_SEND_PARAM)
  kSctpPeerAddrParams,  // SctpPeerAddrParams (SCTP_PEER_ADDR_PARAMS)
  kSctpPeerAddrInfo,    // SctpPeerAddrInfo (SCTP_GET_PEER_ADDR_INFO)
  kSctpStatus,          // SctpStatus (SCTP_STATUS)
  kSctpPrimaryAddr,     // SctpPrimaryAddr (SCTP_*PRIMARY_ADDR)
};

NET_EXPORT absl::string_view OptionLevelName(
    OptionLevel level);  // "IPPROTO_TCP"
NET_EXPORT absl::string_view OptionValueKindName(
    OptionValueKind kind);  // "duration"

// OptionInfo
//
// One row of the option table.
struct OptionInfo {
  OptionId id;  // the option
  absl::string_view name;        // the native name here: "SO_REUSEADDR"
  absl::string_view level_name;  // "SOL_SOCKET"
  OptionLevel level;  // its protocol level
  OptionValueKind kind;  // its value's type in `OptionValue`
  bool gettable;  // `GetOption()` reads it
  bool settable;  // `SetOption()` sets it
};

// AllOptions()
//
// Every option `net` knows, supported here or not, in `OptionId` order.
// `name` is this backend's native name where the platforms differ (the
// keepalive tuple is SIO_KEEPALIVE_VALS on Windows, TCP_KEEPALIVE on
// macOS). Never fails.
NET_EXPORT absl::Span<const OptionInfo> AllOptions();

// FindOption()
//
// The row of `id`, or nullptr for a value that is not an `OptionId`.
NET_EXPORT const OptionInfo* FindOption(OptionId id);

// IsSupported(OptionId), CheckSupported(OptionId)
//
// Whether this OS, as built and as running, has the option. `CheckSupported`
// says why not: kUnimplemented with a message such as "SO_REUSEPORT is not
// available on Windows" and the portable error kOptionNotSupported, or, for
// SCTP without kernel support, kProtocolNotSupported. Does not block on
// the network; the first question about an option may open and close a
// socket (Windows probes which options its version implements).
NET_EXPORT bool IsSupported(OptionId id);
NET_EXPORT absl::Status CheckSupported(OptionId id);

// Feature
//
// Whole capabilities, as opposed to single options.
enum class Feature : std::uint8_t {
  kIPv6,                     // IPv6 sockets can be created
  kDualStack,                // an IPv6 socket can also carry IPv4 (V6ONLY off)
  kUnixSockets,              // AF_UNIX stream sockets
  kAbstractUnixSockets,      // the Linux abstract namespace
  kRawSockets,               // SOCK_RAW, with this process's privileges
  kSctp,                     // SCTP sockets (headers and kernel)
  kReusePortLoadBalancing,   // SO_REUSEPORT spreads connections over listeners
  kSourceSpecificMulticast,  // MCAST_JOIN_SOURCE_GROUP and friends
  kDescriptorPassing,        // SCM_RIGHTS over unix sockets (net/message.h)
  kCredentialPassing,        // SCM_CREDENTIALS / SCM_CREDS (net/message.h)
  kUdpSegmentation,          // UDP GSO and GRO (net/message.h; Linux)
};

NET_EXPORT absl::string_view FeatureName(Feature feature);  // "sctp"

// AllFeatures()
NET_EXPORT absl::Span<const Feature> AllFeatures();

// IsSupported(Feature), CheckSupported(Feature)
//
// As for options. Run-time probes (raw sockets need privilege; SCTP needs
// the kernel module) open and close a socket; the answers for the kernel's
// protocols are remembered for the life of the process, the privilege
// check is not. `CheckSupported` explains a "no": kUnimplemented, or
// kPermissionDenied for raw sockets without the privilege.
NET_EXPORT bool IsSupported(Feature feature);
NET_EXPORT absl::Status CheckSupported(Feature feature);

// FormatOptionValue()
//
// The value as short text, for messages and tools: `true`, `64`, `1.5s`,
// `{on, 0s}`, `239.1.2.3 on if 1`, `"cubic"`. Never fails.
NET_EXPORT std::string FormatOptionValue(const OptionValue& value);

}  // namespace net

#endif  // NET_OPTION_IDS_H_
