// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: options.h
// -----------------------------------------------------------------------------
//
// This header defines the typed socket options: one type per option of the
// table (net/option_ids.h), each knowing its portable id, its value type,
// and whether it can be set and read. `Socket::SetOption()` takes an option
// object; `Socket::GetOption<O>()` returns `O::Value`. Setting a get-only
// option (SO_ERROR, SO_TYPE ...) or reading a set-only request (a group
// join) does not compile.
//
// What every option does the same way on every backend:
//
//   * Values are checked before any system call: a TTL of 256, a negative
//     size or duration, a group that is not multicast, an IPv4 group on an
//     IPv6 option, an interface that does not exist are kInvalidArgument,
//     naming the option and the value.
//   * An option that does not apply to the socket (TCP_NODELAY on a UDP
//     socket, an IPPROTO_IP option on an IPv6 socket, a multicast option on
//     a stream socket) is kInvalidArgument naming the option and the
//     socket's family and type; never a silent no-op.
//   * An option this OS lacks is kUnimplemented ("SO_REUSEPORT is not
//     available on Windows", portable error kOptionNotSupported); ask first
//     with `IsSupported(OptionId)`.
//   * Native quirks are the backend's: Windows' 1-byte BOOL results and
//     `DWORD` millisecond timeouts, macOS' TCP_KEEPALIVE name for the idle
//     time, Linux doubling the buffer sizes (see `ReceiveBufferSize`).
//
// docs/options.md has the whole table, the per-platform notes and the
// decisions behind them.
//
// Example:
//
//   NET_RETURN_IF_ERROR(socket.SetOption(net::NoDelay(true)));
//   NET_RETURN_IF_ERROR(socket.SetOption(
//       net::TcpKeepAlive({absl::Seconds(30), absl::Seconds(5), 4})));
//   absl::StatusOr<int> size = socket.GetOption<net::ReceiveBufferSize>();

#ifndef NET_OPTIONS_H_
#define NET_OPTIONS_H_

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "net/address.h"
#include "net/export.h"
#include "net/option_ids.h"
#include "net/option_types.h"

namespace net {

namespace option_internal {

// What an option allows: set and read, read only, or set only.
enum class Access { kSetAndGet, kGetOnly, kSetOnly };

// TypedOption
//
// The one template behind `SettableOption`, `ReadOnlyOption` and
// `WriteOnlyOption`: an option's id, value type and access. `value` is what
// `SetOption()` sets; for a get with a query (`GetOption(const O&)`) it is
// the query.
template <OptionId Id, typename T, Access A>
struct TypedOption {
  static constexpr OptionId kId = Id;
  static constexpr bool kSettable = A != Access::kGetOnly;
  static constexpr bool kGettable = A != Access::kSetOnly;
  using Value = T;
  T value{};

  // Only a get-only option is made without a value: a plain get needs none.
  template <Access B = A, typename = std::enable_if_t<B == Access::kGetOnly>>
  TypedOption() {}
  explicit TypedOption(T v) : value(std::move(v)) {}
};

}  // namespace option_internal

// SettableOption
//
// An option that can be set and read.
template <OptionId Id, typename T>
using SettableOption =
    option_internal::TypedOption<Id, T, option_internal::Access::kSetAndGet>;

// ReadOnlyOption
//
// A get-only option. Constructed with a value only by the options that take
// a query (SCTP_GET_PEER_ADDR_INFO, SCTP_STATUS).
template <OptionId Id, typename T>
using ReadOnlyOption =
    option_internal::TypedOption<Id, T, option_internal::Access::kGetOnly>;

// WriteOnlyOption
//
// A request, not a state: joins, leaves, blocks. Cannot be read back.
template <OptionId Id, typename T>
using WriteOnlyOption =
    option_internal::TypedOption<Id, T, option_internal::Access::kSetOnly>;

// The common shapes: a flag, a number, a duration.
template <OptionId Id>
using BoolOption = SettableOption<Id, bool>;
template <OptionId Id>
using IntOption = SettableOption<Id, int>;
template <OptionId Id>
using DurationOption = SettableOption<Id, absl::Duration>;

// --- SOL_SOCKET
// ----------------------------------------------------------------

using Broadcast = BoolOption<OptionId::kBroadcast>;  // IPv4 datagram and raw
using Debug = BoolOption<OptionId::kDebug>;  // Linux: needs CAP_NET_ADMIN
using DontRoute = BoolOption<OptionId::kDontRoute>;
// The pending error, cleared by reading it: an OK status when there is
// none, else a status with the portable and native codes ("SO_ERROR:
// connection refused [ECONNREFUSED 111 ...]").
using SocketErrorOption = ReadOnlyOption<OptionId::kSocketError, absl::Status>;
using SocketKeepAlive = BoolOption<OptionId::kKeepAlive>;  // stream sockets
// {on, 0} makes `Close()` reset the connection (the peer sees
// kConnectionReset). Whole seconds, rounded up; at most 65535 s.
using LingerOption = SettableOption<OptionId::kLinger, Linger>;
using OutOfBandInline = BoolOption<OptionId::kOutOfBandInline>;
// SO_RCVBUF / SO_SNDBUF, bytes. What `GetOption` returns is what the kernel
// reports: Linux doubles the value set (room for its bookkeeping) and
// clamps it to [a minimum, net.core.rmem_max]; macOS and Windows return the
// value set. So after `SetOption(ReceiveBufferSize(65536))` Linux reads
// 131072 back. Negative sizes are kInvalidArgument.
using ReceiveBufferSize = IntOption<OptionId::kReceiveBuffer>;
using SendBufferSize = IntOption<OptionId::kSendBuffer>;
// SO_RCVLOWAT / SO_SNDLOWAT, bytes. Linux cannot set SO_SNDLOWAT (the OS
// answers kOptionNotSupported); Windows has neither.
using ReceiveLowWatermark = IntOption<OptionId::kReceiveLowWatermark>;
using SendLowWatermark = IntOption<OptionId::kSendLowWatermark>;
// SO_RCVTIMEO / SO_SNDTIMEO. `absl::InfiniteDuration()` (or zero) means no
// timeout, and a socket without one reads back InfiniteDuration. The OS
// rounds up to its granularity: a jiffy on Linux (1-10 ms), 1 ms on
// Windows (a `DWORD` of milliseconds). A blocking receive or send that
// times out fails with kTimedOut (kDeadlineExceeded), on every OS.
using ReceiveTimeout = DurationOption<OptionId::kReceiveTimeout>;
using SendTimeout = DurationOption<OptionId::kSendTimeout>;
// SO_REUSEADDR. On Windows this is the native SO_REUSEADDR, which also lets
// a second socket bind a port another socket is actively using ("port
// stealing"); `net` never sets it on its own. See docs/options.md and
// `ExclusiveAddressUse`.
using ReuseAddress = BoolOption<OptionId::kReuseAddress>;
// SO_REUSEPORT: several sockets bind one port; on Linux the kernel spreads
// connections over them (Feature::kReusePortLoadBalancing). Not on Windows.
using ReusePort = BoolOption<OptionId::kReusePort>;
using SocketTypeOption = ReadOnlyOption<OptionId::kSocketType, SocketType>;
using UseLoopback = BoolOption<OptionId::kUseLoopback>;  // BSD routing
using AcceptConnections = ReadOnlyOption<OptionId::kAcceptConnections, bool>;
using SocketDomain = ReadOnlyOption<OptionId::kSocketDomain, AddressFamily>;
using SocketProtocol = ReadOnlyOption<OptionId::kSocketProtocol, int>;
// Windows only: no other socket may bind this address, SO_REUSEADDR or not.
using ExclusiveAddressUse = BoolOption<OptionId::kExclusiveAddressUse>;
// Linux only: an interface name; "" unbinds. An unknown name is
// kInvalidArgument.
using BindToDevice = SettableOption<OptionId::kBindToDevice, std::string>;

// --- IPPROTO_IP (IPv4 sockets only)
// -------------------------------------------

using IpHeaderIncluded = BoolOption<OptionId::kIpHeaderIncluded>;  // raw
// Raw IPv4 options, at most 40 bytes; empty clears them.
using IpOptions = SettableOption<OptionId::kIpOptions, std::string>;
using IpReceiveDestinationAddress =
    BoolOption<OptionId::kIpReceiveDestinationAddress>;
using IpReceiveInterface = BoolOption<OptionId::kIpReceiveInterface>;
using IpTos = IntOption<OptionId::kIpTos>;  // 0..255
using IpTtl = IntOption<OptionId::kIpTtl>;  // 1..255
// The IPv4 address of the interface multicast is sent from; 0.0.0.0: the
// routing table picks.
using IpMulticastInterface =
    SettableOption<OptionId::kIpMulticastInterface, IpAddress>;
using IpMulticastTtl = IntOption<OptionId::kIpMulticastTtl>;  // 0..255
using IpMulticastLoop = BoolOption<OptionId::kIpMulticastLoop>;
// IPv4 group requests; the interface is given by `interface_address`.
using IpAddMembership =
    WriteOnlyOption<OptionId::kIpAddMembership, MulticastGroup>;
using IpDropMembership =
    WriteOnlyOption<OptionId::kIpDropMembership, MulticastGroup>;
using IpBlockSource = WriteOnlyOption<OptionId::kIpBlockSource, SourceGroup>;
using IpUnblockSource =
    WriteOnlyOption<OptionId::kIpUnblockSource, SourceGroup>;
using IpAddSourceMembership =
    WriteOnlyOption<OptionId::kIpAddSourceMembership, SourceGroup>;
using IpDropSourceMembership =
    WriteOnlyOption<OptionId::kIpDropSourceMembership, SourceGroup>;
using IpPacketInfo = BoolOption<OptionId::kIpPacketInfo>;
using IpReceiveTtl = BoolOption<OptionId::kIpReceiveTtl>;
using IpReceiveTos = BoolOption<OptionId::kIpReceiveTos>;

// --- IPPROTO_ICMPV6 (raw ICMPv6 sockets)
// ----------------------------------------

using Icmp6FilterOption = SettableOption<OptionId::kIcmp6Filter, Icmp6Filter>;

// --- IPPROTO_IPV6 (IPv6 sockets only)
// -----------------------------------------

// Offset of the checksum the kernel computes on a raw socket; -1: none.
using Ipv6Checksum = IntOption<OptionId::kIpv6Checksum>;
using Ipv6DontFragment = BoolOption<OptionId::kIpv6DontFragment>;
using Ipv6NextHop = SettableOption<OptionId::kIpv6NextHop, SocketAddress>;
// The path MTU of a connected socket, as the kernel knows it.
using Ipv6PathMtu = ReadOnlyOption<OptionId::kIpv6PathMtu, int>;
using Ipv6ReceiveDestinationOptions =
    BoolOption<OptionId::kIpv6ReceiveDestinationOptions>;
using Ipv6ReceiveHopLimit = BoolOption<OptionId::kIpv6ReceiveHopLimit>;
using Ipv6ReceiveHopOptions = BoolOption<OptionId::kIpv6ReceiveHopOptions>;
using Ipv6ReceivePathMtu = BoolOption<OptionId::kIpv6ReceivePathMtu>;
using Ipv6ReceivePacketInfo = BoolOption<OptionId::kIpv6ReceivePacketInfo>;
using Ipv6ReceiveRoutingHeader =
    BoolOption<OptionId::kIpv6ReceiveRoutingHeader>;
using Ipv6ReceiveTrafficClass = BoolOption<OptionId::kIpv6ReceiveTrafficClass>;
// Hop limits: -1 restores the default (and reads back the default), 0..255.
using Ipv6UnicastHops = IntOption<OptionId::kIpv6UnicastHops>;
using Ipv6UseMinMtu = IntOption<OptionId::kIpv6UseMinMtu>;  // -1, 0, 1
// Off: the socket also carries IPv4 (v4-mapped addresses). Defaults differ
// (Linux off unless net.ipv6.bindv6only, Windows on): set it explicitly.
using Ipv6V6Only = BoolOption<OptionId::kIpv6V6Only>;
// An interface index; 0: the routing table picks. Must exist.
using Ipv6MulticastInterface =
    SettableOption<OptionId::kIpv6MulticastInterface, std::uint32_t>;
using Ipv6MulticastHops = IntOption<OptionId::kIpv6MulticastHops>;
using Ipv6MulticastLoop = BoolOption<OptionId::kIpv6MulticastLoop>;
using Ipv6JoinGroup = WriteOnlyOption<OptionId::kIpv6JoinGroup, MulticastGroup>;
using Ipv6LeaveGroup =
    WriteOnlyOption<OptionId::kIpv6LeaveGroup, MulticastGroup>;
using Ipv6TrafficClass = IntOption<OptionId::kIpv6TrafficClass>;  // -1..255

// --- Protocol-independent multicast (RFC 3678), IPv4 and IPv6
// -------------------

// The group's family must be the socket's; the interface is an index.
using McastJoinGroup =
    WriteOnlyOption<OptionId::kMcastJoinGroup, MulticastGroup>;
using McastLeaveGroup =
    WriteOnlyOption<OptionId::kMcastLeaveGroup, MulticastGroup>;
using McastBlockSource =
    WriteOnlyOption<OptionId::kMcastBlockSource, SourceGroup>;
using McastUnblockSource =
    WriteOnlyOption<OptionId::kMcastUnblockSource, SourceGroup>;
using McastJoinSourceGroup =
    WriteOnlyOption<OptionId::kMcastJoinSourceGroup, SourceGroup>;
using McastLeaveSourceGroup =
    WriteOnlyOption<OptionId::kMcastLeaveSourceGroup, SourceGroup>;

// --- IPPROTO_TCP (IPv4 and IPv6 stream sockets)
// ---------------------------------

using NoDelay = BoolOption<OptionId::kTcpNoDelay>;
using TcpMaxSegment = IntOption<OptionId::kTcpMaxSegment>;
// The keepalive tuple; setting it turns SO_KEEPALIVE on. Whole seconds,
// rounded up. Windows sets it with SIO_KEEPALIVE_VALS (and TCP_KEEPCNT
// where the OS has it: without it only the fixed count 10 is accepted), and
// reads it back only where TCP_KEEPIDLE exists (Windows 10 1709).
using TcpKeepAlive = SettableOption<OptionId::kTcpKeepAlive, KeepAlive>;
// The portable dead-peer timeout: how long sent data may stay unacknowledged
// before the connection is dropped. Linux TCP_USER_TIMEOUT (milliseconds),
// Windows TCP_MAXRT and macOS TCP_RXT_CONNDROPTIME (whole seconds, rounded
// up). Zero restores the system default.
using TcpUserTimeout = DurationOption<OptionId::kTcpUserTimeout>;
// Linux: the server's queue of pending fast-open requests; macOS and
// Windows: 0 or 1.
using TcpFastOpen = IntOption<OptionId::kTcpFastOpen>;
// The congestion control algorithm by name ("cubic", "reno"); at most 15
// characters.
using TcpCongestion = SettableOption<OptionId::kTcpCongestion, std::string>;
// Linux: accept() wakes up only when data arrived or this passed. Whole
// seconds, and the kernel rounds up to the end of the SYN-ACK retransmission
// period it falls in (1, 3, 7, 15 ... s): setting 5 s reads back 7 s.
using TcpDeferAccept = DurationOption<OptionId::kTcpDeferAccept>;
using TcpQuickAck = BoolOption<OptionId::kTcpQuickAck>;  // Linux, not sticky
using TcpCork = BoolOption<OptionId::kTcpCork>;  // TCP_CORK / TCP_NOPUSH

// --- IPPROTO_SCTP (where the headers and the kernel have SCTP)
// -----------------

using SctpAdaptationLayer =
    SettableOption<OptionId::kSctpAdaptationLayer, std::uint32_t>;
using SctpAssocInfoOption =
    SettableOption<OptionId::kSctpAssocInfo, SctpAssocInfo>;
using SctpAutoClose = DurationOption<OptionId::kSctpAutoClose>;  // seconds
using SctpDefaultSendParam =
    SettableOption<OptionId::kSctpDefaultSendParam, SctpSendParams>;
using SctpDisableFragments = BoolOption<OptionId::kSctpDisableFragments>;
using SctpEventsOption =
    SettableOption<OptionId::kSctpEvents, SctpEventSubscription>;
using SctpGetPeerAddrInfo =
    ReadOnlyOption<OptionId::kSctpGetPeerAddrInfo, SctpPeerAddrInfo>;
using SctpIWantMappedV4Addr = BoolOption<OptionId::kSctpIWantMappedV4Addr>;
using SctpInitMsgOption = SettableOption<OptionId::kSctpInitMsg, SctpInitMsg>;
using SctpMaxBurst = IntOption<OptionId::kSctpMaxBurst>;
using SctpMaxSegment = IntOption<OptionId::kSctpMaxSegment>;
using SctpNoDelay = BoolOption<OptionId::kSctpNoDelay>;
using SctpPeerAddrParamsOption =
    SettableOption<OptionId::kSctpPeerAddrParams, SctpPeerAddrParams>;
using SctpPrimaryAddrOption =
    SettableOption<OptionId::kSctpPrimaryAddr, SctpPrimaryAddr>;
using SctpRtoInfoOption = SettableOption<OptionId::kSctpRtoInfo, SctpRtoInfo>;
using SctpSetPeerPrimaryAddr =
    WriteOnlyOption<OptionId::kSctpSetPeerPrimaryAddr, SctpPrimaryAddr>;
using SctpStatusOption = ReadOnlyOption<OptionId::kSctpStatus, SctpStatus>;

namespace option_internal {

// The status for a backend that answered with the wrong alternative (a bug
// in `net`, never the caller's).
NET_EXPORT absl::Status WrongValueType(OptionId id, const OptionValue& got);

// `GetOption<O>()`'s unpacking of the type-erased answer.
template <typename T>
absl::StatusOr<T> Extract(OptionId id, absl::StatusOr<OptionValue> value) {
  if (!value.ok()) return value.status();
  if (T* typed = std::get_if<T>(&*value)) return std::move(*typed);
  return WrongValueType(id, *value);
}

}  // namespace option_internal
}  // namespace net

#endif  // NET_OPTIONS_H_
