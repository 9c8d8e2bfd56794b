// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/fuzz/option_value_fuzz.cc
// -----------------------------------------------------------------------------
//
// Fuzz target: `Socket::SetOptionValue()` with any OptionId (also ids that
// are not one) and any OptionValue, of the option's kind or not, on real
// UDP and TCP sockets, IPv4 and IPv6 (RELIABILITY.md P10). The sockets are
// opened once, reused, and opened afresh every kReopenEvery inputs; they
// are never bound, connected or sent on.
//
// This executable interposes setsockopt(2): every call the library makes
// is counted (then forwarded to libc), so the oracle sees whether a value
// reached the OS. Oracles:
//
//   * a value rejected before the syscall -- kInvalidArgument, or the
//     "not available here" kUnimplemented, with no native error attached --
//     made no setsockopt() call at all;
//   * a failure after a setsockopt() call carries the OS's error (a native
//     error is attached);
//   * an independent table of the documented rules (docs/options.md,
//     core/option_checks.cc): an id that is no OptionId, a get-only option,
//     a value of the wrong kind, an int out of its documented range, a
//     negative duration, a keepalive count below 1, more than 40 bytes of
//     IP_OPTIONS -- each must be rejected before the syscall.
//
// Safety: multicast joins and leaves only ever name the loopback interface
// (by index or by 127.0.0.1) or one that does not exist, so no IGMP/MLD
// report leaves the machine; nothing is ever sent.

#include <dlfcn.h>
#include <sys/socket.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "net/error.h"
#include "net/option_ids.h"
#include "net/option_types.h"
#include "net/resolver.h"
#include "net/socket.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

int g_setsockopt_calls = 0;

}  // namespace

// The library is linked into this executable, so its setsockopt() calls
// come here first.
extern "C" int setsockopt(int fd, int level, int name, const void* value,
                          socklen_t length) {
  using Fn = int (*)(int, int, int, const void*, socklen_t);
  static Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "setsockopt"));
  ++g_setsockopt_calls;
  return real(fd, level, name, value, length);
}

namespace {

using net::AddressFamily;
using net::IpAddress;
using net::OptionId;
using net::OptionValue;
using net::OptionValueKind;
using net::SocketType;
using net_fuzz::FuzzCheck;
using net_fuzz::FuzzInput;

constexpr int kReopenEvery = 1000;
constexpr int kAlternatives = std::variant_size_v<OptionValue>;

struct Sockets {
  std::optional<net::Socket> s[4];  // udp4, tcp4, udp6, tcp6
};

Sockets* g_sockets = nullptr;
int g_inputs = 0;
std::uint32_t g_loopback_index = 1;

void OpenSockets() {
  delete g_sockets;
  g_sockets = new Sockets;
  const AddressFamily families[] = {AddressFamily::kIPv4,
                                    AddressFamily::kIPv6};
  const SocketType types[] = {SocketType::kDatagram, SocketType::kStream};
  for (int f = 0; f < 2; ++f) {
    for (int t = 0; t < 2; ++t) {
      absl::StatusOr<net::Socket> s = net::Socket::Open(families[f], types[t]);
      if (s.ok()) g_sockets->s[f * 2 + t] = std::move(*s);
    }
  }
  absl::StatusOr<std::uint32_t> lo = net::InterfaceIndex("lo");
  if (lo.ok()) g_loopback_index = *lo;
}

// The alternative index of OptionValue that carries `kind`.
int AlternativeOf(OptionValueKind kind) {
  switch (kind) {
    case OptionValueKind::kBool: return 1;
    case OptionValueKind::kInt: return 2;
    case OptionValueKind::kUnsigned:
    case OptionValueKind::kInterfaceIndex: return 3;
    case OptionValueKind::kDuration: return 4;
    case OptionValueKind::kBytes:
    case OptionValueKind::kString: return 5;
    case OptionValueKind::kIpAddress: return 6;
    case OptionValueKind::kSocketAddress: return 7;
    case OptionValueKind::kAddressFamily: return 8;
    case OptionValueKind::kSocketType: return 9;
    case OptionValueKind::kError: return 10;
    case OptionValueKind::kLinger: return 11;
    case OptionValueKind::kKeepAlive: return 12;
    case OptionValueKind::kGroup: return 13;
    case OptionValueKind::kSourceGroup: return 14;
    case OptionValueKind::kIcmp6Filter: return 15;
    case OptionValueKind::kSctpInitMsg: return 16;
    case OptionValueKind::kSctpRtoInfo: return 17;
    case OptionValueKind::kSctpAssocInfo: return 18;
    case OptionValueKind::kSctpEvents: return 19;
    case OptionValueKind::kSctpSendParams: return 20;
    case OptionValueKind::kSctpPeerAddrParams: return 21;
    case OptionValueKind::kSctpPeerAddrInfo: return 22;
    case OptionValueKind::kSctpStatus: return 23;
    case OptionValueKind::kSctpPrimaryAddr: return 24;
  }
  return 0;
}

// Small values and the edges more often than uniform 32-bit noise.
int Int(FuzzInput& in) {
  switch (in.Byte() % 8) {
    case 0: return 0;
    case 1: return -1;
    case 2: return static_cast<int>(in.Byte());
    case 3: return static_cast<int>(in.U16()) - 256;
    case 4: return INT_MAX;
    case 5: return INT_MIN;
    default: return static_cast<int>(in.U32());
  }
}

absl::Duration Duration(FuzzInput& in) {
  switch (in.Byte() % 8) {
    case 0: return absl::ZeroDuration();
    case 1: return absl::InfiniteDuration();
    case 2: return -absl::InfiniteDuration();
    case 3: return absl::Milliseconds(static_cast<std::int16_t>(in.U16()));
    case 4: return absl::Seconds(static_cast<std::int32_t>(in.U32()));
    case 5: return absl::Nanoseconds(static_cast<std::int64_t>(in.U64()));
    default: return absl::Microseconds(static_cast<std::int32_t>(in.U32()));
  }
}

IpAddress Ip(FuzzInput& in) {
  const std::uint8_t pick = in.Byte();
  if (pick % 4 == 0) {
    IpAddress::V6Bytes b{};
    for (auto& x : b) x = in.Byte();
    return IpAddress::V6(b, in.Byte() % 4 == 0 ? in.U32() : 0);
  }
  if (pick % 4 == 1) return IpAddress::V4(239, 255, in.Byte(), in.Byte());
  return IpAddress::V4(in.Byte(), in.Byte(), in.Byte(), in.Byte());
}

// Interfaces for group requests: loopback, or one that does not exist
// (never index 0 or 0.0.0.0, where the kernel would pick a real link).
std::uint32_t GroupIndex(FuzzInput& in) {
  return in.Bool() ? g_loopback_index : 0x7fff0000u | in.U16();
}
IpAddress GroupInterfaceAddress(FuzzInput& in) {
  switch (in.Byte() % 4) {
    case 0: return IpAddress::Loopback(AddressFamily::kIPv6);
    case 1: return IpAddress();  // 0.0.0.0: only with the index selector
    default: return IpAddress::V4(127, 0, 0, 1);
  }
}

// The interface of a group request (MulticastGroup or SourceGroup): mostly
// the selector the option wants (so joins get to the OS), sometimes both or
// the other; never "any interface".
template <typename Group>
void ChooseInterface(FuzzInput& in, bool group_by_address, Group& g) {
  const std::uint8_t mix = in.Byte() % 4;
  if (group_by_address ? mix != 0 : mix == 0) {
    g.interface_address = GroupInterfaceAddress(in);
  }
  if (group_by_address ? mix == 1 : mix != 1) {
    g.interface_index = GroupIndex(in);
  }
  if (!group_by_address && g.interface_address.IsUnspecified() &&
      g.interface_index == 0) {
    g.interface_index = g_loopback_index;
  }
  if (group_by_address && g.interface_index == 0 &&
      g.interface_address.is_v4() && g.interface_address.IsUnspecified()) {
    g.interface_address = IpAddress::V4(127, 0, 0, 1);
  }
}

net::SocketAddress Endpoint(FuzzInput& in) {
  if (in.Byte() % 4 == 0) return net::SocketAddress();
  return net::SocketAddress(Ip(in), in.U16(), in.U32());
}

OptionValue MakeValue(int alternative, FuzzInput& in, bool group_by_address) {
  switch (alternative) {
    case 0: return std::monostate();
    case 1: return in.Bool();
    case 2: return Int(in);
    case 3: return in.Bool() ? in.U32() : static_cast<std::uint32_t>(in.Byte());
    case 4: return Duration(in);
    case 5: return in.String(64);
    case 6: return Ip(in);
    case 7: return Endpoint(in);
    case 8: return static_cast<AddressFamily>(in.Byte() % 5);
    case 9: return static_cast<SocketType>(in.Byte() % 5);
    case 10: return absl::Status(static_cast<absl::StatusCode>(in.Byte() % 17),
                                 "fuzz");
    case 11: return net::Linger{in.Bool(), Duration(in)};
    case 12: return net::KeepAlive{Duration(in), Duration(in), Int(in)};
    case 13: {
      net::MulticastGroup g(Ip(in));
      ChooseInterface(in, group_by_address, g);
      return g;
    }
    case 14: {
      net::SourceGroup g(Ip(in), Ip(in));
      ChooseInterface(in, group_by_address, g);
      return g;
    }
    case 15: {
      net::Icmp6Filter f = in.Bool() ? net::Icmp6Filter::PassAll()
                                     : net::Icmp6Filter::BlockAll();
      for (int i = in.Byte() % 8; i > 0; --i) {
        if (in.Bool()) f.Pass(in.Byte()); else f.Block(in.Byte());
      }
      return f;
    }
    case 16:
      return net::SctpInitMsg{in.U16(), in.U16(), in.U16(), Duration(in)};
    case 17:
      return net::SctpRtoInfo{in.U32(), Duration(in), Duration(in),
                              Duration(in)};
    case 18: {
      net::SctpAssocInfo a;
      a.assoc_id = in.U32();
      a.max_retransmissions = in.U16();
      a.cookie_life = Duration(in);
      return a;
    }
    case 19: {
      net::SctpEventSubscription e;
      const std::uint16_t bits = in.U16();
      e.data_io = bits & 1;
      e.association = bits & 2;
      e.address = bits & 4;
      e.send_failure = bits & 8;
      e.peer_error = bits & 16;
      e.shutdown = bits & 32;
      e.partial_delivery = bits & 64;
      e.adaptation_layer = bits & 128;
      e.authentication = bits & 256;
      e.sender_dry = bits & 512;
      return e;
    }
    case 20: {
      net::SctpSendParams p;
      p.assoc_id = in.U32();
      p.stream = in.U16();
      p.flags = in.U16();
      p.ppid = in.U32();
      p.context = in.U32();
      p.time_to_live = Duration(in);
      return p;
    }
    case 21: {
      net::SctpPeerAddrParams p;
      p.assoc_id = in.U32();
      p.address = Endpoint(in);
      p.heartbeat_interval = Duration(in);
      p.path_max_retransmissions = in.U16();
      p.path_mtu = in.U32();
      p.sack_delay = Duration(in);
      p.flags = in.U32();
      return p;
    }
    case 22: {
      net::SctpPeerAddrInfo p;
      p.assoc_id = in.U32();
      p.address = Endpoint(in);
      return p;
    }
    case 23: return net::SctpStatus{};
    default: {
      net::SctpPrimaryAddr p;
      p.assoc_id = in.U32();
      p.address = Endpoint(in);
      return p;
    }
  }
}

// The documented rules, written independently of core/option_checks.cc:
// true when `value` must be rejected before the syscall whatever the
// socket and OS.
bool MustReject(const net::OptionInfo* info, const OptionValue& value) {
  if (info == nullptr) return true;   // not an OptionId
  if (!info->settable) return true;   // get-only
  if (value.index() != static_cast<std::size_t>(AlternativeOf(info->kind))) {
    return true;                      // wrong kind
  }
  auto out_of = [&](int min, int max) {
    const int v = std::get<int>(value);
    return v < min || v > max;
  };
  switch (info->id) {
    case OptionId::kIpTtl: return out_of(1, 255);
    case OptionId::kIpTos:
    case OptionId::kIpMulticastTtl: return out_of(0, 255);
    case OptionId::kIpv6UnicastHops:
    case OptionId::kIpv6MulticastHops:
    case OptionId::kIpv6TrafficClass: return out_of(-1, 255);
    case OptionId::kReceiveBuffer:
    case OptionId::kSendBuffer:
    case OptionId::kReceiveLowWatermark:
    case OptionId::kSendLowWatermark: return out_of(0, INT_MAX);
    case OptionId::kTcpMaxSegment: return out_of(0, 65535);
    case OptionId::kReceiveTimeout:
    case OptionId::kSendTimeout:
    case OptionId::kTcpUserTimeout:
    case OptionId::kTcpDeferAccept:
      return std::get<absl::Duration>(value) < absl::ZeroDuration();
    case OptionId::kLinger:
      return std::get<net::Linger>(value).timeout < absl::ZeroDuration();
    case OptionId::kTcpKeepAlive: {
      const net::KeepAlive& k = std::get<net::KeepAlive>(value);
      return k.count < 1 || k.idle <= absl::ZeroDuration() ||
             k.interval <= absl::ZeroDuration();
    }
    case OptionId::kIpOptions:
      return std::get<std::string>(value).size() > 40;
    case OptionId::kTcpCongestion: {
      const std::string& s = std::get<std::string>(value);
      return s.empty() || s.size() > 15 || s.find('\0') != std::string::npos;
    }
    case OptionId::kIpAddMembership:
    case OptionId::kIpDropMembership:
    case OptionId::kIpv6JoinGroup:
    case OptionId::kIpv6LeaveGroup:
    case OptionId::kMcastJoinGroup:
    case OptionId::kMcastLeaveGroup:
      return !std::get<net::MulticastGroup>(value).group.IsMulticast();
    default:
      return false;
  }
}

// The IPv4 group options, which name the interface by its address (the
// others by index): the oracle's own statement of the rule.
bool IsGroupByAddress(OptionId id) {
  constexpr OptionId kByAddress[] = {
      OptionId::kIpAddMembership,       OptionId::kIpDropMembership,
      OptionId::kIpBlockSource,         OptionId::kIpUnblockSource,
      OptionId::kIpAddSourceMembership, OptionId::kIpDropSourceMembership};
  return absl::c_linear_search(kByAddress, id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (g_sockets == nullptr || ++g_inputs % kReopenEvery == 0) OpenSockets();
  FuzzInput in(data, size);

  const absl::Span<const net::OptionInfo> all = net::AllOptions();
  // Mostly a real id; one in 16 any 16-bit value.
  const std::uint16_t raw_id = in.U16();
  const OptionId id = (raw_id & 0xf000) == 0xf000
                          ? static_cast<OptionId>(raw_id & 0x0fff)
                          : all[raw_id % all.size()].id;
  const net::OptionInfo* info = net::FindOption(id);

  const std::uint8_t which = in.Byte();
  std::optional<net::Socket>& slot = g_sockets->s[which % 4];
  if (!slot.has_value()) return 0;  // no IPv6 here
  net::Socket& socket = *slot;

  const std::uint8_t kind_pick = in.Byte();
  const int alternative = info != nullptr && kind_pick % 8 != 0
                              ? AlternativeOf(info->kind)
                              : kind_pick % kAlternatives;
  const OptionValue value =
      MakeValue(alternative, in, info != nullptr && IsGroupByAddress(id));
  const std::string what =
      absl::StrCat("option ", static_cast<int>(id), " (",
                   info != nullptr ? info->name : "not an id", ") value ",
                   net::FormatOptionValue(value), " on socket ", which % 4);

  g_setsockopt_calls = 0;
  const absl::Status s = socket.SetOptionValue(id, value);
  const int calls = g_setsockopt_calls;
  const bool native = net::GetNativeError(s).has_value();
  const std::string detail = absl::StrCat(what, ": ", s.ToString(),
                                          " after ", calls, " setsockopt()");

  if ((s.code() == absl::StatusCode::kInvalidArgument ||
       s.code() == absl::StatusCode::kUnimplemented) &&
      !native) {
    FuzzCheck(calls == 0, "a value rejected before the syscall reached it",
              detail);
  }
  if (!s.ok() && calls > 0) {
    FuzzCheck(native, "an OS refusal without the OS's error attached",
              detail);
  }
  if (MustReject(info, value)) {
    FuzzCheck(!s.ok() && calls == 0 && !native,
              "a value the documented rules refuse was not rejected before "
              "the syscall",
              detail);
  }

  // Reading the option back (when it can be read) must not crash either.
  if (info != nullptr && info->gettable && in.Bool()) {
    (void)socket.GetOptionValue(id);
  }
  return 0;
}
