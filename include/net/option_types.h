// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: option_types.h
// -----------------------------------------------------------------------------
//
// This header defines the value types of the socket options (net/options.h):
// plain, portable structs that each backend converts to and from the OS's own
// layout (`struct linger`, `ip_mreqn`, `group_source_req`, `icmp6_filter`,
// `sctp_initmsg`, `SIO_KEEPALIVE_VALS` ...), and `net::OptionValue`, the
// type-erased form every option travels in through `Socket::SetOptionValue()`
// and `Socket::GetOptionValue()`.
//
// Durations are `absl::Duration` whatever unit the OS counts in (seconds,
// milliseconds, `timeval`, `DWORD` milliseconds); net/options.h says, per
// option, how a value is rounded to the OS's unit.

#ifndef NET_OPTION_TYPES_H_
#define NET_OPTION_TYPES_H_

#include <array>
#include <cstdint>
#include <string>
#include <variant>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "net/address.h"

namespace net {

// Declared here, defined in net/socket.h (SO_TYPE reads one back).
enum class SocketType : std::uint8_t;

// Linger
//
// SO_LINGER: whether `Close()` waits up to `timeout` for unsent data (on),
// and `{true, ZeroDuration()}`, which makes close reset the connection.
// Whole seconds; a fraction is rounded up. At most 65535 s (Windows keeps
// it in a `u_short`).
struct Linger {
  bool on = false;  // `l_onoff`: close waits (or resets, with zero)
  absl::Duration timeout = absl::ZeroDuration();  // `l_linger`, whole seconds

  friend bool operator==(const Linger& a, const Linger& b) {
    return a.on == b.on && a.timeout == b.timeout;
  }
  friend bool operator!=(const Linger& a, const Linger& b) { return !(a == b); }
};

// KeepAlive
//
// The TCP keepalive tuple: the first probe after `idle` without traffic,
// then one every `interval`, and the connection is dropped after `count`
// unanswered probes. Setting it also turns SO_KEEPALIVE on. Whole seconds; a
// fraction is rounded up.
struct KeepAlive {
  // Idle time before the first probe (TCP_KEEPIDLE, TCP_KEEPALIVE on macOS,
  // SIO_KEEPALIVE_VALS's `keepalivetime` on Windows).
  absl::Duration idle = absl::ZeroDuration();
  // Time between probes (TCP_KEEPINTVL, `keepaliveinterval` on Windows).
  absl::Duration interval = absl::ZeroDuration();
  // Unanswered probes before the connection is dropped (TCP_KEEPCNT; fixed
  // at 10 on Windows before 10 1703, and under wine).
  int count = 0;

  friend bool operator==(const KeepAlive& a, const KeepAlive& b) {
    return a.idle == b.idle && a.interval == b.interval && a.count == b.count;
  }
  friend bool operator!=(const KeepAlive& a, const KeepAlive& b) {
    return !(a == b);
  }
};

// MulticastGroup
//
// A group to join or leave, and the interface to do it on. The protocol-
// independent (MCAST_*) and IPv6 options select the interface by index (0:
// the OS picks); the IPv4 options (IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP)
// by the interface's IPv4 address (0.0.0.0: the OS picks). Setting the
// field the option does not use is kInvalidArgument, not ignored.
struct MulticastGroup {
  MulticastGroup() = default;
  // For the MCAST_* and IPv6 options: the interface by index.
  MulticastGroup(const IpAddress& group_address, std::uint32_t if_index = 0)
      : group(group_address), interface_index(if_index) {}
  // For the IPv4 options: the interface by its IPv4 address.
  MulticastGroup(const IpAddress& group_address, const IpAddress& if_address)
      : group(group_address), interface_address(if_address) {}

  IpAddress group;                    // the group's address
  std::uint32_t interface_index = 0;  // MCAST_* and IPv6: 0, the OS picks
  IpAddress interface_address;  // IPv4 options only

  friend bool operator==(const MulticastGroup& a, const MulticastGroup& b) {
    return a.group == b.group && a.interface_index == b.interface_index &&
           a.interface_address == b.interface_address;
  }
};

// SourceGroup
//
// Source-specific multicast: a group, one source in it, and the interface
// (as in `MulticastGroup`: by index for MCAST_*, by IPv4 address for the
// IP_*_SOURCE_* options).
struct SourceGroup {
  SourceGroup() = default;
  // For the MCAST_* options: the interface by index.
  SourceGroup(const IpAddress& group_address, const IpAddress& source_address,
              std::uint32_t if_index = 0)
      : group(group_address),
        source(source_address),
        interface_index(if_index) {}
  // For the IPv4 options: the interface by its IPv4 address.
  SourceGroup(const IpAddress& group_address, const IpAddress& source_address,
              const IpAddress& if_address)
      : group(group_address),
        source(source_address),
        interface_address(if_address) {}

  IpAddress group;                    // the group's address
  IpAddress source;                   // the source's address
  std::uint32_t interface_index = 0;  // MCAST_*: 0, the OS picks
  IpAddress interface_address;  // IPv4 options only

  friend bool operator==(const SourceGroup& a, const SourceGroup& b) {
    return a.group == b.group && a.source == b.source &&
           a.interface_index == b.interface_index &&
           a.interface_address == b.interface_address;
  }
};

// Icmp6Filter
//
// ICMP6_FILTER on a raw ICMPv6 socket (RFC 3542 section 3.2): which of the
// 256 ICMPv6 message types the socket receives. A default-constructed
// filter passes every type, as a new socket does.
//
// Example:
//
//   net::Icmp6Filter f = net::Icmp6Filter::BlockAll();
//   f.Pass(129);  // echo reply only
//   NET_RETURN_IF_ERROR(raw.SetOption(net::Icmp6FilterOption(f)));
class Icmp6Filter {
 public:
  // Passes every type (ICMP6_FILTER_SETPASSALL).
  Icmp6Filter() { SetAll(true); }

  // Icmp6Filter::PassAll(), Icmp6Filter::BlockAll()
  //
  // A filter passing every type (ICMP6_FILTER_SETPASSALL) or none
  // (ICMP6_FILTER_SETBLOCKALL).
  static Icmp6Filter PassAll() { return Icmp6Filter(); }
  static Icmp6Filter BlockAll() {
    Icmp6Filter f;
    f.SetAll(false);
    return f;
  }

  // Icmp6Filter::Pass(), Icmp6Filter::Block()
  //
  // Lets messages of `type` through (ICMP6_FILTER_SETPASS) or drops them
  // (ICMP6_FILTER_SETBLOCK).
  void Pass(std::uint8_t type) { Set(type, true); }
  void Block(std::uint8_t type) { Set(type, false); }

  // Icmp6Filter::WillPass(), Icmp6Filter::WillBlock()
  //
  // Whether messages of `type` get through (ICMP6_FILTER_WILLPASS) or are
  // dropped (ICMP6_FILTER_WILLBLOCK).
  bool WillPass(std::uint8_t type) const {
    return (pass_[type >> 5] >> (type & 31u) & 1u) != 0;
  }
  bool WillBlock(std::uint8_t type) const { return !WillPass(type); }

  friend bool operator==(const Icmp6Filter& a, const Icmp6Filter& b) {
    return a.pass_ == b.pass_;
  }
  friend bool operator!=(const Icmp6Filter& a, const Icmp6Filter& b) {
    return !(a == b);
  }

 private:
  void SetAll(bool pass) { pass_.fill(pass ? ~std::uint32_t{0} : 0u); }
  void Set(std::uint8_t type, bool pass) {
    const std::uint32_t bit = std::uint32_t{1} << (type & 31u);
    pass_[type >> 5] =
        pass ? (pass_[type >> 5] | bit) : (pass_[type >> 5] & ~bit);
  }

  std::array<std::uint32_t, 8> pass_;  // bit set: the type passes
};

// --- SCTP (RFC 6458) ---------------------------------------------------------
//
// The SCTP option values, with the RFC's fields under portable names. An
// association id of 0 addresses the socket's one association (one-to-one
// style sockets) or the endpoint defaults (one-to-many).

// SctpAssocId
//
// An association's id (`sctp_assoc_t`); 0 as said above.
using SctpAssocId = std::uint32_t;

// SCTP_INITMSG: the parameters of new associations.
struct SctpInitMsg {
  // Outbound streams to ask for (`sinit_num_ostreams`); 0: the default.
  std::uint16_t num_ostreams = 0;
  // Inbound streams to accept at most (`sinit_max_instreams`); 0: the
  // default.
  std::uint16_t max_instreams = 0;
  // INIT retransmissions before giving up (`sinit_max_attempts`); 0: the
  // default.
  std::uint16_t max_attempts = 0;
  // The longest INIT retransmission timeout (`sinit_max_init_timeo`);
  // milliseconds, zero: the default.
  absl::Duration max_init_timeout;

  friend bool operator==(const SctpInitMsg& a, const SctpInitMsg& b) {
    return a.num_ostreams == b.num_ostreams &&
           a.max_instreams == b.max_instreams &&
           a.max_attempts == b.max_attempts &&
           a.max_init_timeout == b.max_init_timeout;
  }
};

// SCTP_RTOINFO: the retransmission timeout bounds (milliseconds; zero
// leaves a field unchanged).
struct SctpRtoInfo {
  SctpAssocId assoc_id = 0;  // `srto_assoc_id`
  absl::Duration initial;    // `srto_initial`: the first RTO
  absl::Duration max;        // `srto_max`: the RTO's upper bound
  absl::Duration min;        // `srto_min`: the RTO's lower bound

  friend bool operator==(const SctpRtoInfo& a, const SctpRtoInfo& b) {
    return a.assoc_id == b.assoc_id && a.initial == b.initial &&
           a.max == b.max && a.min == b.min;
  }
};

// SCTP_ASSOCINFO: association parameters.
struct SctpAssocInfo {
  SctpAssocId assoc_id = 0;  // `sasoc_assoc_id`
  // Retransmissions before the association is given up
  // (`sasoc_asocmaxrxt`); 0 leaves it unchanged.
  std::uint16_t max_retransmissions = 0;
  std::uint16_t peer_destinations = 0;     // get only
  std::uint32_t peer_receive_window = 0;   // get only
  std::uint32_t local_receive_window = 0;  // get only
  absl::Duration cookie_life;              // milliseconds

  friend bool operator==(const SctpAssocInfo& a, const SctpAssocInfo& b) {
    return a.assoc_id == b.assoc_id &&
           a.max_retransmissions == b.max_retransmissions &&
           a.peer_destinations == b.peer_destinations &&
           a.peer_receive_window == b.peer_receive_window &&
           a.local_receive_window == b.local_receive_window &&
           a.cookie_life == b.cookie_life;
  }
};

// SCTP_EVENTS: the notifications the socket receives.
//
// Each field turns one kind on (the `sctp_event_subscribe` field named).
struct SctpEventSubscription {
  bool data_io = false;           // `sctp_data_io_event`: sndrcvinfo
  bool association = false;       // `sctp_association_event`
  bool address = false;           // `sctp_address_event`: peer addresses
  bool send_failure = false;      // `sctp_send_failure_event`
  bool peer_error = false;        // `sctp_peer_error_event`
  bool shutdown = false;          // `sctp_shutdown_event`
  bool partial_delivery = false;  // `sctp_partial_delivery_event`
  bool adaptation_layer = false;  // `sctp_adaptation_layer_event`
  bool authentication = false;    // `sctp_authentication_event`
  bool sender_dry = false;        // `sctp_sender_dry_event`

  friend bool operator==(const SctpEventSubscription& a,
                         const SctpEventSubscription& b) {
    return a.data_io == b.data_io && a.association == b.association &&
           a.address == b.address && a.send_failure == b.send_failure &&
           a.peer_error == b.peer_error && a.shutdown == b.shutdown &&
           a.partial_delivery == b.partial_delivery &&
           a.adaptation_layer == b.adaptation_layer &&
           a.authentication == b.authentication && a.sender_dry == b.sender_dry;
  }
};

// SCTP_DEFAULT_SEND_PARAM: what a plain send uses.
struct SctpSendParams {
  SctpAssocId assoc_id = 0;  // `sinfo_assoc_id`
  std::uint16_t stream = 0;  // `sinfo_stream`: the stream number
  std::uint16_t flags = 0;  // SCTP_UNORDERED ... as RFC 6458 numbers them
  std::uint32_t ppid = 0;   // payload protocol id, as sent on the wire
  // `sinfo_context`: an opaque value handed back in a send failure
  // notification.
  std::uint32_t context = 0;
  absl::Duration time_to_live;  // milliseconds; zero: no limit

  friend bool operator==(const SctpSendParams& a, const SctpSendParams& b) {
    return a.assoc_id == b.assoc_id && a.stream == b.stream &&
           a.flags == b.flags && a.ppid == b.ppid && a.context == b.context &&
           a.time_to_live == b.time_to_live;
  }
};

// SCTP_PEER_ADDR_PARAMS: per peer address (or, with an unspecified address,
// association or endpoint defaults).
struct SctpPeerAddrParams {
  // RFC 6458 `spp_flags` bits (the same numbers on every SCTP stack).
  static constexpr std::uint32_t kHeartbeatEnable = 1u << 0;
  static constexpr std::uint32_t kHeartbeatDisable = 1u << 1;
  static constexpr std::uint32_t kHeartbeatDemand = 1u << 2;
  static constexpr std::uint32_t kPathMtuDiscoveryEnable = 1u << 3;
  static constexpr std::uint32_t kPathMtuDiscoveryDisable = 1u << 4;
  static constexpr std::uint32_t kSackDelayEnable = 1u << 5;
  static constexpr std::uint32_t kSackDelayDisable = 1u << 6;

  SctpAssocId assoc_id = 0;           // `spp_assoc_id`
  SocketAddress address;              // unspecified: the defaults
  absl::Duration heartbeat_interval;  // milliseconds
  // Retransmissions before the address is deemed unreachable
  // (`spp_pathmaxrxt`).
  std::uint16_t path_max_retransmissions = 0;
  // The path MTU in bytes when discovery is off (`spp_pathmtu`).
  std::uint32_t path_mtu = 0;
  absl::Duration sack_delay;  // milliseconds
  std::uint32_t flags = 0;    // `spp_flags`: the k... bits above

  friend bool operator==(const SctpPeerAddrParams& a,
                         const SctpPeerAddrParams& b) {
    return a.assoc_id == b.assoc_id && a.address == b.address &&
           a.heartbeat_interval == b.heartbeat_interval &&
           a.path_max_retransmissions == b.path_max_retransmissions &&
           a.path_mtu == b.path_mtu && a.sack_delay == b.sack_delay &&
           a.flags == b.flags;
  }
};

// The reachability of a peer address (RFC 6458 `spinfo_state`).
enum class SctpPeerState : std::uint8_t {
  kInactive,           // SCTP_INACTIVE: unreachable
  kPotentiallyFailed,  // SCTP_POTENTIALLY_FAILED (RFC 7829)
  kActive,             // SCTP_ACTIVE: reachable
  kUnconfirmed,        // SCTP_UNCONFIRMED: not yet confirmed by a heartbeat
  kUnknown,            // a state this library does not know
};

// SCTP_GET_PEER_ADDR_INFO (get only; `assoc_id` and `address` are the
// query, the rest the answer).
struct SctpPeerAddrInfo {
  SctpAssocId assoc_id = 0;  // `spinfo_assoc_id`
  SocketAddress address;     // `spinfo_address`: the peer address asked about
  SctpPeerState state = SctpPeerState::kUnknown;  // `spinfo_state`
  std::uint32_t congestion_window = 0;  // `spinfo_cwnd`, bytes
  absl::Duration smoothed_rtt;  // milliseconds
  absl::Duration rto;           // milliseconds
  std::uint32_t mtu = 0;        // `spinfo_mtu`: the path MTU, bytes

  friend bool operator==(const SctpPeerAddrInfo& a, const SctpPeerAddrInfo& b) {
    return a.assoc_id == b.assoc_id && a.address == b.address &&
           a.state == b.state && a.congestion_window == b.congestion_window &&
           a.smoothed_rtt == b.smoothed_rtt && a.rto == b.rto && a.mtu == b.mtu;
  }
};

// The state of an association (RFC 6458 `sstat_state`).
enum class SctpAssociationState : std::uint8_t {
  kClosed,            // SCTP_CLOSED
  kCookieWait,        // SCTP_COOKIE_WAIT: INIT sent
  kCookieEchoed,      // SCTP_COOKIE_ECHOED: COOKIE ECHO sent
  kEstablished,       // SCTP_ESTABLISHED
  kShutdownPending,   // SCTP_SHUTDOWN_PENDING: closing, data still queued
  kShutdownSent,      // SCTP_SHUTDOWN_SENT
  kShutdownReceived,  // SCTP_SHUTDOWN_RECEIVED
  kShutdownAckSent,   // SCTP_SHUTDOWN_ACK_SENT
  kUnknown,           // a state this library does not know
};

// SCTP_STATUS (get only; `assoc_id` is the query).
struct SctpStatus {
  SctpAssocId assoc_id = 0;  // `sstat_assoc_id`
  SctpAssociationState state = SctpAssociationState::kUnknown;  // `sstat_state`
  std::uint32_t receive_window = 0;  // `sstat_rwnd`: the peer's, bytes
  std::uint16_t unacked_data = 0;    // `sstat_unackdata`: DATA chunks
  std::uint16_t pending_data = 0;    // `sstat_penddata`: DATA chunks
  std::uint16_t in_streams = 0;      // `sstat_instrms`
  std::uint16_t out_streams = 0;     // `sstat_outstrms`
  // `sstat_fragmentation_point`: the largest message sent unfragmented,
  // bytes.
  std::uint32_t fragmentation_point = 0;
  SctpPeerAddrInfo primary;  // `sstat_primary`: the primary path

  friend bool operator==(const SctpStatus& a, const SctpStatus& b) {
    return a.assoc_id == b.assoc_id && a.state == b.state &&
           a.receive_window == b.receive_window &&
           a.unacked_data == b.unacked_data &&
           a.pending_data == b.pending_data && a.in_streams == b.in_streams &&
           a.out_streams == b.out_streams &&
           a.fragmentation_point == b.fragmentation_point &&
           a.primary == b.primary;
  }
};

// SCTP_PRIMARY_ADDR (the peer address we send to) and
// SCTP_SET_PEER_PRIMARY_ADDR (ask the peer to send to one of ours).
struct SctpPrimaryAddr {
  SctpAssocId assoc_id = 0;  // `ssp_assoc_id` (`sspp_assoc_id`)
  SocketAddress address;     // `ssp_addr` (`sspp_addr`)

  friend bool operator==(const SctpPrimaryAddr& a, const SctpPrimaryAddr& b) {
    return a.assoc_id == b.assoc_id && a.address == b.address;
  }
};

// OptionValue
//
// Any option's value, type-erased: what `Socket::SetOptionValue()` takes and
// `Socket::GetOptionValue()` returns. `std::monostate` is "no value" (a get
// without a query). Each `OptionValueKind` (net/options.h) is carried by one
// alternative: kBool `bool`, kInt `int`, kUnsigned and kInterfaceIndex
// `std::uint32_t`, kDuration `absl::Duration`, kBytes and kString
// `std::string`, kError `absl::Status` (SO_ERROR: OK when no error is
// pending), and each struct above by itself.
using OptionValue = std::variant<
    std::monostate, bool, int, std::uint32_t, absl::Duration, std::string,
    IpAddress, SocketAddress, AddressFamily, SocketType, absl::Status, Linger,
    KeepAlive, MulticastGroup, SourceGroup, Icmp6Filter, SctpInitMsg,
    SctpRtoInfo, SctpAssocInfo, SctpEventSubscription, SctpSendParams,
    SctpPeerAddrParams, SctpPeerAddrInfo, SctpStatus, SctpPrimaryAddr>;

}  // namespace net

#endif  // NET_OPTION_TYPES_H_
