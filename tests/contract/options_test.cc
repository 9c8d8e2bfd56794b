// Copyright 2026 The net Authors.
//
// The option table as every backend must serve it: for each option either a
// round trip (set, get, the same value or the documented transform) or, where
// this OS lacks it, the exact "not available" error; the get-only options;
// and bad values and misplaced options rejected before any system call.
// Portable: no OS header, no OS #if; runs unchanged under wine.
//
// Options that need a privileged socket (raw) are in
// option_behaviour_test.cc; the group requests in multicast_test.cc.

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::OptionId;
using net::OptionValue;
using net::SocketError;
using net::SocketType;

struct Kind {
  AddressFamily family;
  SocketType type;
  int protocol = 0;
};
constexpr Kind kTcp4{AddressFamily::kIPv4, SocketType::kStream};
constexpr Kind kUdp4{AddressFamily::kIPv4, SocketType::kDatagram};
constexpr Kind kTcp6{AddressFamily::kIPv6, SocketType::kStream};
constexpr Kind kUdp6{AddressFamily::kIPv6, SocketType::kDatagram};

// An error that an option supported here may still give on this OS, and why
// (documented in docs/options.md).
struct Allowed {
  SocketError error;
  const char* why;
};

using Check = std::function<bool(const OptionValue& got)>;

struct Case {
  OptionId id;
  Kind kind;
  OptionValue value;
  Check check = nullptr;  // null: what was set comes back
  std::vector<Allowed> allowed = {};
};

// Linux doubles SO_RCVBUF / SO_SNDBUF (see net::ReceiveBufferSize).
Check BufferSize(int set) {
  return [set](const OptionValue& got) {
    const int* v = std::get_if<int>(&got);
    return v != nullptr && (*v == set || *v == 2 * set);
  };
}

Check OneOf(std::vector<OptionValue> values) {
  return [values = std::move(values)](const OptionValue& got) {
    for (const OptionValue& v : values) {
      if (v == got) return true;
    }
    return false;
  };
}

Check IntIn(int min, int max) {
  return [min, max](const OptionValue& got) {
    const int* v = std::get_if<int>(&got);
    return v != nullptr && *v >= min && *v <= max;
  };
}

std::string NameOf(OptionId id) {
  const net::OptionInfo* info = net::FindOption(id);
  return info != nullptr ? std::string(info->name) : "?";
}

// What a call on an option this OS lacks must say.
void CheckUnavailable(const absl::Status& s, OptionId id) {
  INFO("status: ", s.ToString());
  CHECK(s.code() == absl::StatusCode::kUnimplemented);
  const SocketError e = net::GetSocketError(s);
  CHECK((e == SocketError::kOptionNotSupported ||
         e == SocketError::kProtocolNotSupported));
  CHECK(absl::StrContains(s.message(), NameOf(id)));
  CHECK(s.message() == net::CheckSupported(id).message());
}

bool IsAllowed(const absl::Status& s, const Case& c, const char* step) {
  for (const Allowed& a : c.allowed) {
    if (net::GetSocketError(s) == a.error) {
      MESSAGE(NameOf(c.id), ": ", std::string(step), " gave the allowed ",
              std::string(net::SocketErrorName(a.error)), " here (",
              std::string(a.why), ")");
      return true;
    }
  }
  return false;
}

absl::StatusOr<net::Socket> Open(const Kind& kind) {
  return net::Socket::Open(kind.family, kind.type, kind.protocol);
}

void RunCase(const Case& c) {
  INFO("option ", NameOf(c.id), " = ", net::FormatOptionValue(c.value));
  absl::StatusOr<net::Socket> s = Open(c.kind);
  NET_REQUIRE_OK(s);
  const absl::Status set = s->SetOptionValue(c.id, c.value);
  if (!net::IsSupported(c.id)) {
    CheckUnavailable(set, c.id);
    CheckUnavailable(s->GetOptionValue(c.id).status(), c.id);
    MESSAGE(NameOf(c.id),
            " not available here: ", net::CheckSupported(c.id).message());
    return;
  }
  if (!set.ok()) {
    if (!IsAllowed(set, c, "set")) FAIL_CHECK("set failed: ", set.ToString());
    return;
  }
  absl::StatusOr<OptionValue> got = s->GetOptionValue(c.id);
  if (!got.ok()) {
    if (!IsAllowed(got.status(), c, "get")) {
      FAIL_CHECK("get failed: ", got.status().ToString());
    }
    return;
  }
  const bool ok = c.check ? c.check(*got) : *got == c.value;
  CHECK_MESSAGE(ok, "read back ", net::FormatOptionValue(*got));
}

void RunCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) RunCase(c);
}

// The loopback interface, for the options that name one.
bool Loopback(net::NetworkInterface* out) {
  absl::StatusOr<std::vector<net::NetworkInterface>> all =
      net::ListInterfaces();
  if (!all.ok()) return false;
  for (const net::NetworkInterface& i : *all) {
    if (i.flags.loopback) {
      *out = i;
      return true;
    }
  }
  return false;
}

TEST_CASE("the option table lists every option once, in id order") {
  absl::Span<const net::OptionInfo> all = net::AllOptions();
  REQUIRE(all.size() == static_cast<std::size_t>(OptionId::kSctpStatus) + 1);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const net::OptionInfo& o = all[i];
    INFO("row ", i, " ", o.name);
    CHECK(static_cast<std::size_t>(o.id) == i);
    CHECK(net::FindOption(o.id) == &o);
    CHECK_FALSE(o.name.empty());
    CHECK(o.level_name == net::OptionLevelName(o.level));
    CHECK((o.gettable || o.settable));
    CHECK(net::OptionValueKindName(o.kind) != "unknown");
  }
  CHECK(net::FindOption(static_cast<OptionId>(9999)) == nullptr);
  CHECK(net::FindOption(OptionId::kReuseAddress)->name == "SO_REUSEADDR");
  CHECK(net::FindOption(OptionId::kTcpNoDelay)->level ==
        net::OptionLevel::kTcp);
}

TEST_CASE("every option answers IsSupported, and a no is explained") {
  int supported = 0;
  for (const net::OptionInfo& o : net::AllOptions()) {
    const absl::Status s = net::CheckSupported(o.id);
    CHECK(net::IsSupported(o.id) == s.ok());
    if (s.ok()) {
      ++supported;
    } else {
      CheckUnavailable(s, o.id);
    }
  }
  MESSAGE(supported, " of ", net::AllOptions().size(),
          " options are supported here");
  // The options every OS (and wine) has.
  for (OptionId id :
       {OptionId::kReuseAddress, OptionId::kReceiveBuffer, OptionId::kLinger,
        OptionId::kTcpNoDelay, OptionId::kIpTtl, OptionId::kIpv6V6Only,
        OptionId::kIpAddMembership, OptionId::kTcpKeepAlive}) {
    CHECK_MESSAGE(net::IsSupported(id), NameOf(id));
  }
  CHECK(net::CheckSupported(static_cast<OptionId>(9999)).code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("every feature answers IsSupported, and a no is explained") {
  for (net::Feature f : net::AllFeatures()) {
    const absl::Status s = net::CheckSupported(f);
    CHECK(net::IsSupported(f) == s.ok());
    MESSAGE(net::FeatureName(f), ": ", s.ok() ? "yes" : s.ToString());
    if (!s.ok()) {
      CHECK((s.code() == absl::StatusCode::kUnimplemented ||
             s.code() == absl::StatusCode::kPermissionDenied ||
             s.code() == absl::StatusCode::kInvalidArgument));
      CHECK_FALSE(s.message().empty());
    }
  }
}

TEST_CASE("typed options carry their value types") {
  static_assert(std::is_same_v<net::NoDelay::Value, bool>);
  static_assert(std::is_same_v<net::ReceiveBufferSize::Value, int>);
  static_assert(std::is_same_v<net::ReceiveTimeout::Value, absl::Duration>);
  static_assert(std::is_same_v<net::SocketTypeOption::Value, SocketType>);
  static_assert(std::is_same_v<net::SocketErrorOption::Value, absl::Status>);
  static_assert(!net::SocketErrorOption::kSettable);
  static_assert(!net::McastJoinGroup::kGettable);
  static_assert(net::NoDelay::kId == OptionId::kTcpNoDelay);

  absl::StatusOr<net::Socket> s = Open(kTcp4);
  NET_REQUIRE_OK(s);
  NET_CHECK_OK(s->SetOption(net::NoDelay(true)));
  CHECK(net_test::OptionOf<net::NoDelay>(*s));
  NET_CHECK_OK(s->SetOption(net::NoDelay(false)));
  CHECK_FALSE(net_test::OptionOf<net::NoDelay>(*s));
  CHECK(net_test::OptionOf<net::ReceiveBufferSize>(*s) > 0);
  CHECK(net_test::OptionOf<net::SocketTypeOption>(*s) == SocketType::kStream);
}

TEST_CASE("SOL_SOCKET options round-trip") {
  RunCases({
      {OptionId::kBroadcast, kUdp4, true},
      {OptionId::kBroadcast, kUdp4, false},
      {OptionId::kDebug,
       kTcp4,
       true,
       nullptr,
       {{SocketError::kAccessDenied, "SO_DEBUG needs CAP_NET_ADMIN on Linux"}}},
      {OptionId::kDontRoute, kUdp4, true},
      {OptionId::kKeepAlive, kTcp4, true},
      {OptionId::kKeepAlive, kTcp4, false},
      {OptionId::kLinger, kTcp4, net::Linger{true, absl::Seconds(5)}},
      {OptionId::kLinger, kTcp4, net::Linger{false, absl::ZeroDuration()}},
      // Whole seconds, rounded up.
      {OptionId::kLinger, kTcp4, net::Linger{true, absl::Milliseconds(1500)},
       OneOf({net::Linger{true, absl::Seconds(2)}})},
      {OptionId::kOutOfBandInline, kTcp4, true},
      {OptionId::kReceiveBuffer, kTcp4, 65536, BufferSize(65536)},
      {OptionId::kSendBuffer, kTcp4, 65536, BufferSize(65536)},
      {OptionId::kReceiveBuffer, kUdp4, 32768, BufferSize(32768)},
      {OptionId::kReceiveLowWatermark, kTcp4, 100},
      {OptionId::kSendLowWatermark,
       kTcp4,
       4096,
       nullptr,
       {{SocketError::kOptionNotSupported,
         "Linux cannot set SO_SNDLOWAT: it is fixed at 1"}}},
      {OptionId::kReceiveTimeout, kUdp4, absl::Milliseconds(1500)},
      {OptionId::kSendTimeout, kUdp4, absl::Seconds(2)},
      {OptionId::kReceiveTimeout, kUdp4, absl::InfiniteDuration()},
      // Zero is "no timeout" too, and reads back as infinite.
      {OptionId::kReceiveTimeout, kUdp4, absl::ZeroDuration(),
       OneOf({absl::InfiniteDuration()})},
      {OptionId::kReuseAddress, kTcp4, true},
      {OptionId::kReuseAddress, kTcp4, false},
      {OptionId::kReusePort, kTcp4, true},
      {OptionId::kUseLoopback, kUdp4, true},
      {OptionId::kExclusiveAddressUse, kTcp4, true},
  });
}

TEST_CASE("SO_BINDTODEVICE binds to the loopback interface and unbinds") {
  net::NetworkInterface lo;
  if (!Loopback(&lo)) NET_SKIP("no loopback interface listed here");
  RunCases({
      {OptionId::kBindToDevice,
       kUdp4,
       lo.name,
       nullptr,
       {{SocketError::kAccessDenied, "SO_BINDTODEVICE needs CAP_NET_RAW"}}},
      {OptionId::kBindToDevice, kUdp4, std::string()},
  });
}

TEST_CASE("IPPROTO_IP options round-trip on IPv4 sockets") {
  RunCases({
      // Three NOPs and an end-of-options: the smallest valid option list.
      {OptionId::kIpOptions, kTcp4, std::string("\x01\x01\x01\x00", 4)},
      {OptionId::kIpOptions, kTcp4, std::string()},
      {OptionId::kIpReceiveDestinationAddress, kUdp4, true},
      {OptionId::kIpReceiveInterface, kUdp4, true},
      {OptionId::kIpTos, kUdp4, 0x20},
      {OptionId::kIpTtl, kUdp4, 33},
      {OptionId::kIpTtl, kTcp4, 255},
      {OptionId::kIpMulticastInterface, kUdp4,
       net::IpAddress::Loopback(AddressFamily::kIPv4)},
      {OptionId::kIpMulticastInterface, kUdp4,
       net::IpAddress::Any(AddressFamily::kIPv4)},
      {OptionId::kIpMulticastTtl, kUdp4, 3},
      {OptionId::kIpMulticastTtl, kUdp4, 0},
      {OptionId::kIpMulticastLoop, kUdp4, false},
      {OptionId::kIpMulticastLoop, kUdp4, true},
      {OptionId::kIpPacketInfo, kUdp4, true},
      {OptionId::kIpReceiveTtl, kUdp4, true},
      {OptionId::kIpReceiveTos, kUdp4, true},
  });
}

TEST_CASE("IPPROTO_IPV6 options round-trip on IPv6 sockets") {
  if (!net_test::HaveIPv6()) NET_SKIP("IPv6 not available here");
  net::NetworkInterface lo;
  if (!Loopback(&lo)) NET_SKIP("no loopback interface listed here");
  absl::StatusOr<net::SocketAddress> next_hop =
      net::SocketAddress::Parse("[::1]:0");
  NET_REQUIRE_OK(next_hop);
  RunCases({
      {OptionId::kIpv6DontFragment, kUdp6, true},
      {OptionId::kIpv6NextHop, kUdp6, *next_hop},
      {OptionId::kIpv6ReceiveDestinationOptions, kUdp6, true},
      {OptionId::kIpv6ReceiveHopLimit, kUdp6, true},
      {OptionId::kIpv6ReceiveHopOptions, kUdp6, true},
      {OptionId::kIpv6ReceivePathMtu, kUdp6, true},
      {OptionId::kIpv6ReceivePacketInfo, kUdp6, true},
      {OptionId::kIpv6ReceiveRoutingHeader, kUdp6, true},
      {OptionId::kIpv6ReceiveTrafficClass, kUdp6, true},
      {OptionId::kIpv6UnicastHops, kUdp6, 17},
      // -1 restores the default, which is what reads back.
      {OptionId::kIpv6UnicastHops, kUdp6, -1, IntIn(1, 255)},
      {OptionId::kIpv6UseMinMtu, kUdp6, 1},
      {OptionId::kIpv6V6Only, kTcp6, true},
      {OptionId::kIpv6V6Only, kTcp6, false},
      {OptionId::kIpv6V6Only, kUdp6, true},
      {OptionId::kIpv6MulticastInterface, kUdp6, lo.index},
      {OptionId::kIpv6MulticastInterface, kUdp6, std::uint32_t{0}},
      {OptionId::kIpv6MulticastHops, kUdp6, 5},
      {OptionId::kIpv6MulticastHops, kUdp6, -1, IntIn(0, 255)},
      {OptionId::kIpv6MulticastLoop, kUdp6, false},
      {OptionId::kIpv6TrafficClass, kUdp6, 0x20},
      {OptionId::kIpv6TrafficClass, kTcp6, 0x48},
      {OptionId::kIpv6TrafficClass, kUdp6, -1, IntIn(0, 255)},
  });
}

TEST_CASE("IPPROTO_TCP options round-trip on TCP sockets") {
  RunCases({
      {OptionId::kTcpNoDelay, kTcp4, true},
      {OptionId::kTcpNoDelay, kTcp4, false},
      {OptionId::kTcpMaxSegment,
       kTcp4,
       1200,
       nullptr,
       {{SocketError::kOptionNotSupported,
         "Windows reads TCP_MAXSEG but cannot set it"},
        {SocketError::kInvalidArgument,
         "Windows reads TCP_MAXSEG but cannot set it"}}},
      // Windows without TCP_KEEPCNT (before 10 1703, wine) takes only the
      // fixed count 10 and cannot read the tuple back.
      {OptionId::kTcpKeepAlive,
       kTcp4,
       net::KeepAlive{absl::Seconds(30), absl::Seconds(5), 10},
       nullptr,
       {{SocketError::kOptionNotSupported,
         "Windows without TCP_KEEPIDLE cannot read the keepalive tuple"}}},
      {OptionId::kTcpKeepAlive,
       kTcp4,
       net::KeepAlive{absl::Seconds(60), absl::Seconds(10), 4},
       nullptr,
       {{SocketError::kOptionNotSupported,
         "Windows without TCP_KEEPCNT has a fixed probe count of 10"}}},
      // Whole seconds, rounded up.
      {OptionId::kTcpKeepAlive,
       kTcp4,
       net::KeepAlive{absl::Milliseconds(1200), absl::Milliseconds(500), 3},
       OneOf({net::KeepAlive{absl::Seconds(2), absl::Seconds(1), 3}}),
       {{SocketError::kOptionNotSupported,
         "Windows without TCP_KEEPCNT has a fixed probe count of 10"}}},
      {OptionId::kTcpKeepAlive,
       kTcp6,
       net::KeepAlive{absl::Seconds(7), absl::Seconds(3), 10},
       nullptr,
       {{SocketError::kOptionNotSupported,
         "Windows without TCP_KEEPIDLE cannot read the keepalive tuple"}}},
      {OptionId::kTcpUserTimeout, kTcp4, absl::Seconds(3)},
      // Milliseconds on Linux, whole seconds (rounded up) elsewhere.
      {OptionId::kTcpUserTimeout, kTcp4, absl::Milliseconds(1500),
       OneOf({absl::Milliseconds(1500), absl::Seconds(2)})},
      {OptionId::kTcpUserTimeout, kTcp4, absl::ZeroDuration()},
      {OptionId::kTcpFastOpen, kTcp4, 1},
      {OptionId::kTcpCongestion, kTcp4, std::string("reno")},
      // The kernel rounds to the end of a SYN-ACK retransmission period.
      {OptionId::kTcpDeferAccept, kTcp4, absl::Seconds(7)},
      {OptionId::kTcpDeferAccept, kTcp4, absl::Seconds(5),
       OneOf({absl::Seconds(5), absl::Seconds(7)})},
      {OptionId::kTcpQuickAck, kTcp4, true},
      {OptionId::kTcpQuickAck, kTcp4, false},
      {OptionId::kTcpCork, kTcp4, true},
      {OptionId::kTcpCork, kTcp4, false},
  });
}

TEST_CASE(
    "SCTP options round-trip on an SCTP socket, or say the protocol "
    "is missing") {
  const Kind sctp{AddressFamily::kIPv4, SocketType::kStream, 132};
  if (!net::IsSupported(net::Feature::kSctp)) {
    // Every SCTP option answers "protocol not supported", on any socket.
    absl::StatusOr<net::Socket> tcp = Open(kTcp4);
    NET_REQUIRE_OK(tcp);
    for (const net::OptionInfo& o : net::AllOptions()) {
      if (o.level != net::OptionLevel::kSctp) continue;
      const absl::Status s = net::CheckSupported(o.id);
      CheckUnavailable(s, o.id);
      CHECK(net::GetSocketError(s) == SocketError::kProtocolNotSupported);
      if (o.settable) {
        CHECK(tcp->SetOptionValue(o.id, OptionValue()).code() ==
              absl::StatusCode::kUnimplemented);
      }
      if (o.gettable)
        CheckUnavailable(tcp->GetOptionValue(o.id).status(), o.id);
    }
    MESSAGE("SCTP not available: ",
            net::CheckSupported(net::Feature::kSctp).message());
    return;
  }
  net::SctpEventSubscription events;
  events.data_io = true;
  events.association = true;
  events.shutdown = true;
  RunCases({
      {OptionId::kSctpAdaptationLayer, sctp, std::uint32_t{0x01020304}},
      {OptionId::kSctpAutoClose, sctp, absl::Seconds(30)},
      {OptionId::kSctpDisableFragments, sctp, true},
      {OptionId::kSctpIWantMappedV4Addr, sctp, false},
      {OptionId::kSctpInitMsg, sctp,
       net::SctpInitMsg{5, 6, 4, absl::Seconds(30)}},
      {OptionId::kSctpMaxBurst, sctp, 6},
      {OptionId::kSctpNoDelay, sctp, true},
      {OptionId::kSctpRtoInfo, sctp,
       net::SctpRtoInfo{0, absl::Seconds(2), absl::Seconds(40),
                        absl::Seconds(1)}},
      {OptionId::kSctpEvents, sctp, events},
  });
}

TEST_CASE("get-only options read what the socket is") {
  absl::StatusOr<net::Socket> tcp = Open(kTcp4);
  NET_REQUIRE_OK(tcp);
  absl::StatusOr<net::Socket> udp = Open(kUdp4);
  NET_REQUIRE_OK(udp);

  CHECK(net_test::OptionOf<net::SocketErrorOption>(*tcp).ok());
  CHECK(net_test::OptionOf<net::SocketTypeOption>(*tcp) == SocketType::kStream);
  CHECK(net_test::OptionOf<net::SocketTypeOption>(*udp) ==
        SocketType::kDatagram);

  CHECK_FALSE(net_test::OptionOf<net::AcceptConnections>(*tcp));
  NET_REQUIRE_OK(tcp->Bind(
      net::SocketAddress(net::IpAddress::Loopback(AddressFamily::kIPv4), 0)));
  NET_REQUIRE_OK(tcp->Listen());
  CHECK(net_test::OptionOf<net::AcceptConnections>(*tcp));

  if (net::IsSupported(OptionId::kSocketDomain)) {
    CHECK(net_test::OptionOf<net::SocketDomain>(*udp) == AddressFamily::kIPv4);
  } else {
    CheckUnavailable(udp->GetOption<net::SocketDomain>().status(),
                     OptionId::kSocketDomain);
  }
  if (net::IsSupported(OptionId::kSocketProtocol)) {
    // IPPROTO_TCP and IPPROTO_UDP: the IANA numbers everywhere.
    CHECK(net_test::OptionOf<net::SocketProtocol>(*tcp) == 6);
    CHECK(net_test::OptionOf<net::SocketProtocol>(*udp) == 17);
  } else {
    CheckUnavailable(tcp->GetOption<net::SocketProtocol>().status(),
                     OptionId::kSocketProtocol);
  }
}

TEST_CASE("SO_ERROR reports a refused non-blocking connect") {
  // A bound socket that does not listen: its port refuses connections.
  absl::StatusOr<net::Socket> closed = Open(kTcp4);
  NET_REQUIRE_OK(closed);
  NET_REQUIRE_OK(closed->Bind(
      net::SocketAddress(net::IpAddress::Loopback(AddressFamily::kIPv4), 0)));
  const net::SocketAddress target = net_test::LocalAddressOf(*closed);

  absl::StatusOr<net::Socket> client = Open(kTcp4);
  NET_REQUIRE_OK(client);
  NET_REQUIRE_OK(client->SetNonBlocking(true));
  const absl::Status connect = client->Connect(target);
  if (!net::IsInProgress(connect)) {
    // Refused at once (some loopbacks are that fast): nothing pending.
    CHECK(net::GetSocketError(connect) == SocketError::kConnectionRefused);
    MESSAGE("connect was refused synchronously; SO_ERROR has nothing to add");
    return;
  }
  absl::StatusOr<bool> ready = client->WaitWritable(absl::Seconds(10));
  NET_REQUIRE_OK(ready);
  REQUIRE(*ready);
  absl::StatusOr<absl::Status> pending =
      client->GetOption<net::SocketErrorOption>();
  NET_REQUIRE_OK(pending);
  INFO("pending: ", pending->ToString());
  CHECK(net::GetSocketError(*pending) == SocketError::kConnectionRefused);
  CHECK(net::GetNativeError(*pending).has_value());
  // POSIX clears the pending error when it is read; Windows keeps it. Not
  // asserted: both are what the OS says.
}

TEST_CASE("IPV6_PATHMTU reads the path MTU of a connected socket") {
  if (!net_test::HaveIPv6()) NET_SKIP("IPv6 not available here");
  if (!net::IsSupported(OptionId::kIpv6PathMtu)) {
    absl::StatusOr<net::Socket> s = Open(kUdp6);
    NET_REQUIRE_OK(s);
    CheckUnavailable(s->GetOption<net::Ipv6PathMtu>().status(),
                     OptionId::kIpv6PathMtu);
    return;
  }
  net::Socket receiver =
      net_test::Listen(AddressFamily::kIPv6, SocketType::kDatagram);
  absl::StatusOr<net::Socket> s = Open(kUdp6);
  NET_REQUIRE_OK(s);
  NET_REQUIRE_OK(s->Connect(net_test::LocalAddressOf(receiver)));
  NET_REQUIRE_OK(s->Send(absl::MakeConstSpan("x", 1)));
  // At least the IPv6 minimum link MTU.
  CHECK(net_test::OptionOf<net::Ipv6PathMtu>(*s) >= 1280);
}

// --- Bad input: rejected before any system call -----------------------------

// kInvalidArgument, no OS error attached, and the message names every piece.
void CheckRejected(const absl::Status& s, std::vector<std::string> names) {
  INFO("status: ", s.ToString());
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK(net::GetSocketError(s) == SocketError::kUnknown);
  CHECK_FALSE(net::GetNativeError(s).has_value());
  for (const std::string& n : names) CHECK(absl::StrContains(s.message(), n));
}

// The same where this OS has option `id`; its "not available" error where
// not (that check comes first).
void CheckRejected(OptionId id, const absl::Status& s,
                   std::vector<std::string> names) {
  if (!net::IsSupported(id)) {
    CheckUnavailable(s, id);
    return;
  }
  CheckRejected(s, std::move(names));
}

TEST_CASE("out-of-range option values are rejected, naming option and value") {
  absl::StatusOr<net::Socket> udp = Open(kUdp4);
  NET_REQUIRE_OK(udp);
  absl::StatusOr<net::Socket> tcp = Open(kTcp4);
  NET_REQUIRE_OK(tcp);
  CheckRejected(OptionId::kIpTtl, udp->SetOption(net::IpTtl(256)),
                {"IP_TTL", "256"});
  CheckRejected(OptionId::kIpTtl, udp->SetOption(net::IpTtl(0)),
                {"IP_TTL", "0"});
  CheckRejected(OptionId::kIpMulticastTtl,
                udp->SetOption(net::IpMulticastTtl(256)),
                {"IP_MULTICAST_TTL", "256"});
  CheckRejected(OptionId::kIpTos, udp->SetOption(net::IpTos(-1)),
                {"IP_TOS", "-1"});
  CheckRejected(OptionId::kReceiveBuffer,
                tcp->SetOption(net::ReceiveBufferSize(-1)),
                {"SO_RCVBUF", "-1"});
  CheckRejected(OptionId::kSendBuffer,
                tcp->SetOption(net::SendBufferSize(-4096)),
                {"SO_SNDBUF", "-4096"});
  CheckRejected(OptionId::kReceiveTimeout,
                udp->SetOption(net::ReceiveTimeout(absl::Seconds(-1))),
                {"SO_RCVTIMEO", "-1s"});
  CheckRejected(OptionId::kSendTimeout,
                udp->SetOption(net::SendTimeout(absl::Milliseconds(-5))),
                {"SO_SNDTIMEO", "-5ms"});
  CheckRejected(OptionId::kLinger,
                tcp->SetOption(net::LingerOption({true, absl::Seconds(-1)})),
                {"SO_LINGER", "-1s"});
  CheckRejected(OptionId::kLinger,
                tcp->SetOption(net::LingerOption({true, absl::Seconds(70000)})),
                {"SO_LINGER", "19h26m40s", "too long"});
  CheckRejected(OptionId::kTcpKeepAlive,
                tcp->SetOption(net::TcpKeepAlive(
                    {absl::ZeroDuration(), absl::Seconds(1), 3})),
                {"idle", "0"});
  CheckRejected(OptionId::kTcpKeepAlive,
                tcp->SetOption(
                    net::TcpKeepAlive({absl::Seconds(1), absl::Seconds(1), 0})),
                {"count", "0"});
  CheckRejected(OptionId::kTcpUserTimeout,
                tcp->SetOption(net::TcpUserTimeout(absl::Seconds(-2))),
                {"-2s"});
  CheckRejected(OptionId::kTcpUserTimeout,
                tcp->SetOption(net::TcpUserTimeout(absl::InfiniteDuration())),
                {"inf"});
  CheckRejected(OptionId::kIpOptions,
                tcp->SetOption(net::IpOptions(std::string(41, '\x01'))),
                {"IP_OPTIONS", "41"});
  if (net::IsSupported(OptionId::kTcpCongestion)) {
    CheckRejected(OptionId::kTcpCongestion,
                  tcp->SetOption(net::TcpCongestion("")), {"TCP_CONGESTION"});
    CheckRejected(OptionId::kTcpCongestion,
                  tcp->SetOption(net::TcpCongestion("sixteen-chars-xx")),
                  {"TCP_CONGESTION", "sixteen-chars-xx"});
  }
  if (net::IsSupported(OptionId::kBindToDevice)) {
    CheckRejected(OptionId::kBindToDevice,
                  udp->SetOption(net::BindToDevice("net-no-such-if0")),
                  {"SO_BINDTODEVICE", "net-no-such-if0", "does not exist"});
  }
  if (net_test::HaveIPv6()) {
    absl::StatusOr<net::Socket> udp6 = Open(kUdp6);
    NET_REQUIRE_OK(udp6);
    CheckRejected(OptionId::kIpv6UnicastHops,
                  udp6->SetOption(net::Ipv6UnicastHops(256)),
                  {"IPV6_UNICAST_HOPS", "256"});
    CheckRejected(OptionId::kIpv6MulticastHops,
                  udp6->SetOption(net::Ipv6MulticastHops(-2)),
                  {"IPV6_MULTICAST_HOPS", "-2"});
    CheckRejected(OptionId::kIpv6TrafficClass,
                  udp6->SetOption(net::Ipv6TrafficClass(300)),
                  {"IPV6_TCLASS", "300"});
    CheckRejected(OptionId::kIpv6MulticastInterface,
                  udp6->SetOption(net::Ipv6MulticastInterface(999999)),
                  {"IPV6_MULTICAST_IF", "999999", "does not exist"});
  }
}

TEST_CASE("bad multicast group requests are rejected, naming the fault") {
  const net::IpAddress group = net::IpAddress::V4(239, 255, 42, 2);
  const net::IpAddress unicast = net::IpAddress::V4(10, 0, 0, 1);
  absl::StatusOr<net::Socket> udp = Open(kUdp4);
  NET_REQUIRE_OK(udp);
  CheckRejected(OptionId::kMcastJoinGroup,
                udp->SetOption(net::McastJoinGroup(unicast)),
                {"MCAST_JOIN_GROUP", "10.0.0.1", "not a multicast"});
  CheckRejected(OptionId::kIpAddMembership,
                udp->SetOption(net::IpAddMembership(unicast)),
                {"IP_ADD_MEMBERSHIP", "10.0.0.1", "not a multicast"});
  CheckRejected(OptionId::kMcastJoinGroup,
                udp->SetOption(net::McastJoinGroup({group, 999999})),
                {"MCAST_JOIN_GROUP", "999999", "does not exist"});
  // The IPv4 options pick the interface by address, the others by index.
  CheckRejected(OptionId::kIpAddMembership,
                udp->SetOption(net::IpAddMembership({group, 1})),
                {"IP_ADD_MEMBERSHIP", "index 1"});
  CheckRejected(OptionId::kMcastJoinGroup,
                udp->SetOption(net::McastJoinGroup(
                    {group, net::IpAddress::Loopback(AddressFamily::kIPv4)})),
                {"MCAST_JOIN_GROUP", "127.0.0.1", "by index"});
  CheckRejected(OptionId::kMcastBlockSource,
                udp->SetOption(net::McastBlockSource({group, group})),
                {"MCAST_BLOCK_SOURCE", "source 239.255.42.2"});
  CheckRejected(OptionId::kIpMulticastInterface,
                udp->SetOption(net::IpMulticastInterface(group)),
                {"IP_MULTICAST_IF", "239.255.42.2"});
  if (net_test::HaveIPv6()) {
    absl::StatusOr<net::Socket> udp6 = Open(kUdp6);
    NET_REQUIRE_OK(udp6);
    // An IPv4 group on an IPv6 option.
    CheckRejected(OptionId::kIpv6JoinGroup,
                  udp6->SetOption(net::Ipv6JoinGroup(group)),
                  {"IPV6_JOIN_GROUP", "239.255.42.2", "ipv4"});
    CheckRejected(OptionId::kMcastJoinGroup,
                  udp6->SetOption(net::McastJoinGroup(group)),
                  {"MCAST_JOIN_GROUP", "239.255.42.2", "ipv4"});
  }
}

TEST_CASE(
    "an option that does not apply to the socket is rejected, never "
    "ignored") {
  absl::StatusOr<net::Socket> udp = Open(kUdp4);
  NET_REQUIRE_OK(udp);
  absl::StatusOr<net::Socket> tcp = Open(kTcp4);
  NET_REQUIRE_OK(tcp);
  CheckRejected(OptionId::kTcpNoDelay, udp->SetOption(net::NoDelay(true)),
                {"TCP_NODELAY", "ipv4 datagram"});
  CheckRejected(OptionId::kTcpNoDelay, udp->GetOption<net::NoDelay>().status(),
                {"TCP_NODELAY", "ipv4 datagram"});
  CheckRejected(OptionId::kIpMulticastTtl,
                tcp->SetOption(net::IpMulticastTtl(1)),
                {"IP_MULTICAST_TTL", "ipv4 stream"});
  CheckRejected(OptionId::kBroadcast, tcp->SetOption(net::Broadcast(true)),
                {"SO_BROADCAST", "ipv4 stream"});
  CheckRejected(OptionId::kLinger,
                udp->SetOption(net::LingerOption({true, absl::Seconds(1)})),
                {"SO_LINGER", "ipv4 datagram"});
  CheckRejected(OptionId::kIpHeaderIncluded,
                udp->SetOption(net::IpHeaderIncluded(true)),
                {"IP_HDRINCL", "ipv4 datagram"});
  CheckRejected(OptionId::kIpv6V6Only, udp->SetOption(net::Ipv6V6Only(true)),
                {"IPV6_V6ONLY", "ipv4 datagram"});
  if (net_test::HaveIPv6()) {
    absl::StatusOr<net::Socket> udp6 = Open(kUdp6);
    NET_REQUIRE_OK(udp6);
    // IPPROTO_IP options are for IPv4 sockets only (docs/options.md).
    CheckRejected(OptionId::kIpTtl, udp6->SetOption(net::IpTtl(5)),
                  {"IP_TTL", "ipv6 datagram"});
    CheckRejected(OptionId::kIpAddMembership,
                  udp6->SetOption(net::IpAddMembership(
                      net::IpAddress::V4(239, 255, 42, 3))),
                  {"IP_ADD_MEMBERSHIP", "ipv6 datagram"});
  }
}

TEST_CASE("the type-erased calls check the kind and the direction") {
  absl::StatusOr<net::Socket> tcp = Open(kTcp4);
  NET_REQUIRE_OK(tcp);
  CheckRejected(tcp->SetOptionValue(OptionId::kTcpNoDelay, OptionValue(5)),
                {"TCP_NODELAY", "bool", "5"});
  CheckRejected(tcp->SetOptionValue(OptionId::kSocketError,
                                    OptionValue(absl::OkStatus())),
                {"SO_ERROR", "get-only"});
  absl::StatusOr<net::Socket> udp = Open(kUdp4);
  NET_REQUIRE_OK(udp);
  CheckRejected(udp->GetOptionValue(OptionId::kMcastJoinGroup).status(),
                {"MCAST_JOIN_GROUP", "set-only"});
  CheckRejected(
      tcp->SetOptionValue(static_cast<OptionId>(9999), OptionValue(true)),
      {"9999"});

  net::Socket closed;
  const absl::Status s = closed.SetOption(net::NoDelay(true));
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(absl::StrContains(s.message(), "TCP_NODELAY"));
  CHECK(closed.GetOption<net::ReceiveBufferSize>().status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

}  // namespace
