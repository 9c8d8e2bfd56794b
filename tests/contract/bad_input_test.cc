// Copyright 2026 The net Authors.
//
// Bad input never crashes and never reaches the OS: calls on a socket that
// owns nothing (default-constructed, moved from, closed, released), zero-
// length buffers, negative and huge timeouts, addresses of the wrong family,
// over-long unix paths, out-of-range backlogs and vector counts, invalid
// handles. Each returns a Status with a clear code and message. No OS
// header, no OS #if.

#include <climits>
#include <cstddef>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::IoResult;
using net::SocketError;
using net::SocketType;

// A timeout far beyond any OS's native range (int milliseconds, DWORD),
// meaning "wait".
const absl::Duration kHuge = absl::Hours(1e6);

net::SocketAddress V4Loopback(std::uint16_t port = 0) {
  return net::SocketAddress(net::IpAddress::Loopback(AddressFamily::kIPv4),
                            port);
}
net::SocketAddress V6Loopback(std::uint16_t port = 0) {
  return net::SocketAddress(net::IpAddress::Loopback(AddressFamily::kIPv6),
                            port);
}

// Checks that `status` was produced before any system call: the expected
// code, a message, and no native error attached.
void CheckRejected(const absl::Status& status, absl::StatusCode code,
                   const std::string& what) {
  INFO(what, " -> ", status.ToString());
  CHECK(status.code() == code);
  CHECK_FALSE(status.message().empty());
  CHECK_FALSE(net::GetNativeError(status).has_value());
}

// Every operation of net::Socket, as a named call returning its status.
std::vector<std::pair<std::string, std::function<absl::Status(net::Socket&)>>>
AllOperations() {
  static char buffer[8];
  static const char data[] = "data";
  return {
      {"Bind", [](net::Socket& s) { return s.Bind(V4Loopback()); }},
      {"Listen", [](net::Socket& s) { return s.Listen(); }},
      {"Accept", [](net::Socket& s) { return s.Accept().status(); }},
      {"TryAccept", [](net::Socket& s) { return s.TryAccept().status(); }},
      {"Connect", [](net::Socket& s) { return s.Connect(V4Loopback(9)); }},
      {"Connect(timeout)",
       [](net::Socket& s) {
         return s.Connect(V4Loopback(9), absl::Seconds(1));
       }},
      {"Send", [](net::Socket& s) { return s.Send(data).status(); }},
      {"Receive",
       [](net::Socket& s) {
         return s.Receive(absl::MakeSpan(buffer)).status();
       }},
      {"SendTo",
       [](net::Socket& s) { return s.SendTo(data, V4Loopback(9)).status(); }},
      {"ReceiveFrom",
       [](net::Socket& s) {
         return s.ReceiveFrom(absl::MakeSpan(buffer)).status();
       }},
      {"SendVector",
       [](net::Socket& s) {
         const absl::Span<const char> parts[] = {absl::MakeConstSpan(data)};
         return s.SendVector(parts).status();
       }},
      {"ReceiveVector",
       [](net::Socket& s) {
         const absl::Span<char> parts[] = {absl::MakeSpan(buffer)};
         return s.ReceiveVector(parts).status();
       }},
      {"SendAll", [](net::Socket& s) { return s.SendAll(data); }},
      {"Shutdown",
       [](net::Socket& s) { return s.Shutdown(net::ShutdownMode::kBoth); }},
      {"LocalAddress",
       [](net::Socket& s) { return s.LocalAddress().status(); }},
      {"PeerAddress", [](net::Socket& s) { return s.PeerAddress().status(); }},
      {"WaitReadable",
       [](net::Socket& s) {
         return s.WaitReadable(absl::ZeroDuration()).status();
       }},
      {"WaitWritable",
       [](net::Socket& s) {
         return s.WaitWritable(absl::ZeroDuration()).status();
       }},
      {"SetNonBlocking", [](net::Socket& s) { return s.SetNonBlocking(true); }},
      {"IsNonBlocking",
       [](net::Socket& s) { return s.IsNonBlocking().status(); }},
      {"SetAsync", [](net::Socket& s) { return s.SetAsync(true); }},
      {"IsAsync", [](net::Socket& s) { return s.IsAsync().status(); }},
      {"SetOwner", [](net::Socket& s) { return s.SetOwner(0); }},
      {"GetOwner", [](net::Socket& s) { return s.GetOwner().status(); }},
      {"BytesAvailable",
       [](net::Socket& s) { return s.BytesAvailable().status(); }},
      {"AtOutOfBandMark",
       [](net::Socket& s) { return s.AtOutOfBandMark().status(); }},
      {"SetCloseOnExec", [](net::Socket& s) { return s.SetCloseOnExec(true); }},
      {"IsCloseOnExec",
       [](net::Socket& s) { return s.IsCloseOnExec().status(); }},
      {"SetOption",
       [](net::Socket& s) { return s.SetOption(net::NoDelay(true)); }},
      {"GetOption",
       [](net::Socket& s) {
         return s.GetOption<net::ReceiveBufferSize>().status();
       }},
  };
}

// Every operation on `s` (which owns nothing) is kFailedPrecondition; then
// Release gives kInvalidHandle and Close is OK, twice.
void CheckOwnsNothing(net::Socket& s, const std::string& how) {
  CAPTURE(how);
  CHECK_FALSE(s.is_open());
  CHECK(s.native_handle() == net::kInvalidHandle);
  for (const auto& [name, call] : AllOperations()) {
    CheckRejected(call(s), absl::StatusCode::kFailedPrecondition,
                  absl::StrCat(name, " on a socket ", how));
  }
  CHECK(s.Release() == net::kInvalidHandle);
  NET_CHECK_OK(s.Close());
  NET_CHECK_OK(s.Close());
}

}  // namespace

TEST_CASE(
    "every call on a default-constructed socket is a failed "
    "precondition") {
  net::Socket s;
  CheckOwnsNothing(s, "that was default-constructed");
}

TEST_CASE("every call on a moved-from socket is a failed precondition") {
  net::Socket opened = net_test::OpenSocket();
  net::Socket s = std::move(opened);
  CheckOwnsNothing(opened, "that was moved from (construction)");  // NOLINT
  net::Socket t;
  t = std::move(s);
  CheckOwnsNothing(s, "that was moved from (assignment)");  // NOLINT
  CHECK(t.is_open());
}

TEST_CASE(
    "every call on a closed or released socket is a failed "
    "precondition") {
  net::Socket s = net_test::OpenSocket();
  NET_REQUIRE_OK(s.Close());
  CheckOwnsNothing(s, "that was closed");

  net::Socket r = net_test::OpenSocket();
  net::NativeHandle h = r.Release();
  CheckOwnsNothing(r, "that was released");
  absl::StatusOr<net::Socket> back = net::Socket::Adopt(h);  // closes it
  NET_CHECK_OK(back);
}

TEST_CASE("zero-length buffers transfer nothing and are not end of stream") {
  auto [client, server] = net_test::TcpPair();
  absl::StatusOr<IoResult> sent = client.Send(absl::Span<const char>());
  NET_REQUIRE_OK(sent);
  CHECK(sent->kind() == IoResult::Kind::kTransferred);
  CHECK(sent->bytes() == 0);
  NET_CHECK_OK(client.SendAll(absl::Span<const char>()));
  absl::StatusOr<IoResult> sent_v =
      client.SendVector(absl::Span<const absl::Span<const char>>());
  NET_REQUIRE_OK(sent_v);
  CHECK(sent_v->bytes() == 0);

  // With data waiting: a zero-length receive takes none of it.
  NET_REQUIRE_OK(client.SendAll(std::string("kept")));
  absl::StatusOr<bool> ready = server.WaitReadable(absl::Seconds(5));
  NET_REQUIRE_OK(ready);
  REQUIRE(*ready);
  absl::StatusOr<IoResult> got = server.Receive(absl::Span<char>());
  NET_REQUIRE_OK(got);
  CHECK(got->kind() == IoResult::Kind::kTransferred);
  CHECK(got->bytes() == 0);
  absl::StatusOr<IoResult> got_v =
      server.ReceiveVector(absl::Span<const absl::Span<char>>());
  NET_REQUIRE_OK(got_v);
  CHECK(got_v->kind() == IoResult::Kind::kTransferred);
  CHECK(got_v->bytes() == 0);
  const absl::Span<char> empties[] = {absl::Span<char>(), absl::Span<char>()};
  got_v = server.ReceiveVector(empties);
  NET_REQUIRE_OK(got_v);
  CHECK(got_v->kind() == IoResult::Kind::kTransferred);
  CHECK(net_test::ReceiveExactly(server, 4) == "kept");
}

TEST_CASE(
    "a negative timeout is an invalid argument for every call that "
    "takes one") {
  net::Socket listener = net_test::Listen();
  auto [client, server] = net_test::TcpPair();
  net::Socket s = net_test::OpenSocket();
  for (absl::Duration negative :
       {absl::Nanoseconds(-1), absl::Seconds(-1), -absl::InfiniteDuration()}) {
    CAPTURE(absl::FormatDuration(negative));
    CheckRejected(s.Connect(net_test::LocalAddressOf(listener), negative),
                  absl::StatusCode::kInvalidArgument, "Connect");
    CheckRejected(client.SendAll(std::string("x"), negative),
                  absl::StatusCode::kInvalidArgument, "SendAll");
    CheckRejected(server.WaitReadable(negative).status(),
                  absl::StatusCode::kInvalidArgument, "WaitReadable");
    CheckRejected(server.WaitWritable(negative).status(),
                  absl::StatusCode::kInvalidArgument, "WaitWritable");
  }
  // Rejected before the syscall: the socket is still unconnected and usable.
  NET_CHECK_OK(s.Connect(net_test::LocalAddressOf(listener)));
}

TEST_CASE("a huge timeout means wait, not overflow") {
  net::Socket listener = net_test::Listen();
  net::Socket s = net_test::OpenSocket();
  NET_CHECK_OK(s.Connect(net_test::LocalAddressOf(listener), kHuge));

  // (Not a structured binding: C++17 lambdas cannot capture those.)
  std::pair<net::Socket, net::Socket> pair = net_test::TcpPair();
  net::Socket& client = pair.first;
  net::Socket& server = pair.second;
  for (absl::Duration wait : {kHuge, absl::InfiniteDuration()}) {
    CAPTURE(absl::FormatDuration(wait));
    absl::StatusOr<bool> writable = client.WaitWritable(wait);
    NET_REQUIRE_OK(writable);
    CHECK(*writable);
    NET_CHECK_OK(client.SendAll(std::string("x"), wait));
    CHECK(net_test::ReceiveExactly(server, 1) == "x");

    // Data that comes 100 ms later is waited for: a timeout mangled into 0
    // or a negative number would return false at once (or fail).
    std::thread later([&client] {
      absl::SleepFor(absl::Milliseconds(100));
      (void)client.SendAll(std::string("y"));
    });
    const absl::Time start = absl::Now();
    absl::StatusOr<bool> readable = server.WaitReadable(wait);
    const absl::Duration took = absl::Now() - start;
    later.join();
    NET_REQUIRE_OK(readable);
    CHECK(*readable);
    CHECK(took >= absl::Milliseconds(50));
    CHECK(net_test::ReceiveExactly(server, 1) == "y");
  }
}

TEST_CASE(
    "an address of another family than the socket is an invalid "
    "argument") {
  absl::StatusOr<net::SocketAddress> unix_address =
      net::SocketAddress::Unix(net_test::TempSocketPath("family"));
  NET_REQUIRE_OK(unix_address);
  const net::SocketAddress not_ipv4[] = {V6Loopback(9), *unix_address,
                                         net::SocketAddress()};

  net::Socket tcp4 = net_test::OpenSocket();
  for (const net::SocketAddress& wrong : not_ipv4) {
    CAPTURE(wrong.ToString());
    CheckRejected(tcp4.Bind(wrong), absl::StatusCode::kInvalidArgument, "Bind");
    CheckRejected(tcp4.Connect(wrong), absl::StatusCode::kInvalidArgument,
                  "Connect");
    CheckRejected(tcp4.Connect(wrong, absl::Seconds(1)),
                  absl::StatusCode::kInvalidArgument, "Connect(timeout)");
  }

  net::Socket udp4 =
      net_test::OpenSocket(AddressFamily::kIPv4, SocketType::kDatagram);
  for (const net::SocketAddress& wrong : not_ipv4) {
    CAPTURE(wrong.ToString());
    CheckRejected(udp4.SendTo(std::string("x"), wrong).status(),
                  absl::StatusCode::kInvalidArgument, "SendTo");
  }

  absl::StatusOr<net::Socket> tcp6 =
      net::Socket::Open(AddressFamily::kIPv6, SocketType::kStream);
  if (!tcp6.ok()) {
    MESSAGE("IPv6 part not run: ", tcp6.status().ToString());
    return;
  }
  CheckRejected(tcp6->Bind(V4Loopback()), absl::StatusCode::kInvalidArgument,
                "Bind v4 on v6");
  CheckRejected(tcp6->Connect(V4Loopback(9)),
                absl::StatusCode::kInvalidArgument, "Connect v4 on v6");
}

TEST_CASE(
    "an over-long unix path or one with a NUL byte is an invalid "
    "argument") {
  for (std::size_t size :
       {std::size_t{200}, std::size_t{4096}, std::size_t{1} << 20}) {
    CAPTURE(size);
    absl::StatusOr<net::SocketAddress> a =
        net::SocketAddress::Unix(std::string(size, 'p'));
    CheckRejected(a.status(), absl::StatusCode::kInvalidArgument, "Unix(long)");
  }
  absl::StatusOr<net::SocketAddress> nul =
      net::SocketAddress::Unix(std::string("/tmp/a\0b", 8));
  CheckRejected(nul.status(), absl::StatusCode::kInvalidArgument, "Unix(NUL)");
  absl::StatusOr<net::SocketAddress> abstract =
      net::SocketAddress::UnixAbstract(std::string(4096, 'q'));
  CHECK_FALSE(abstract.ok());
  CHECK((abstract.status().code() == absl::StatusCode::kInvalidArgument ||
         abstract.status().code() == absl::StatusCode::kUnimplemented));
}

TEST_CASE("a backlog below -1 is an invalid argument") {
  for (int backlog : {-2, -100, INT_MIN}) {
    CAPTURE(backlog);
    net::Socket s = net_test::OpenSocket();
    NET_REQUIRE_OK(s.Bind(V4Loopback()));
    CheckRejected(s.Listen(backlog), absl::StatusCode::kInvalidArgument,
                  "Listen");
    NET_CHECK_OK(s.Listen(net::kDefaultBacklog));
  }
}

TEST_CASE(
    "more than kMaxIoVectors buffers is an invalid argument, and exactly "
    "kMaxIoVectors is fine") {
  auto [client, server] = net_test::TcpPair();
  const std::string one = "v";
  std::vector<absl::Span<const char>> out(net::Socket::kMaxIoVectors + 1,
                                          absl::MakeConstSpan(one));
  CheckRejected(client.SendVector(out).status(),
                absl::StatusCode::kInvalidArgument, "SendVector");
  std::vector<char> storage(net::Socket::kMaxIoVectors + 1);
  std::vector<absl::Span<char>> in;
  for (char& c : storage) in.push_back(absl::MakeSpan(&c, 1));
  CheckRejected(server.ReceiveVector(in).status(),
                absl::StatusCode::kInvalidArgument, "ReceiveVector");

  out.pop_back();
  absl::StatusOr<IoResult> sent = client.SendVector(out);
  NET_REQUIRE_OK(sent);
  CHECK(sent->bytes() == net::Socket::kMaxIoVectors);
  CHECK(net_test::ReceiveExactly(server, net::Socket::kMaxIoVectors) ==
        std::string(net::Socket::kMaxIoVectors, 'v'));
}

TEST_CASE("adopting kInvalidHandle is an invalid argument") {
  absl::StatusOr<net::Socket> s = net::Socket::Adopt(net::kInvalidHandle);
  CheckRejected(s.status(), absl::StatusCode::kInvalidArgument, "Adopt");
}

TEST_CASE("accept on a socket that is not listening is an invalid argument") {
  net::Socket s = net_test::OpenSocket();
  NET_REQUIRE_OK(s.Bind(V4Loopback()));
  absl::StatusOr<net::Accepted> a = s.Accept();
  INFO(a.status().ToString());
  CHECK(a.status().code() == absl::StatusCode::kInvalidArgument);
  // TryAccept says the same, in both modes: nullopt is only "nothing
  // pending" on a listener.
  for (bool nonblocking : {false, true}) {
    CAPTURE(nonblocking);
    NET_REQUIRE_OK(s.SetNonBlocking(nonblocking));
    absl::StatusOr<absl::optional<net::Accepted>> t =
        s.TryAccept(net::AcceptFlags::kNonBlocking);
    INFO(t.status().ToString());
    CHECK(t.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(net::GetSocketError(t.status()) == net::GetSocketError(a.status()));
  }
}

TEST_CASE("listen on a datagram socket is operation not supported") {
  net::Socket udp =
      net_test::Listen(AddressFamily::kIPv4, SocketType::kDatagram);
  absl::Status status = udp.Listen();
  INFO(status.ToString());
  CHECK(net::GetSocketError(status) == SocketError::kOperationNotSupported);
}

TEST_CASE("binding a socket twice is an invalid argument") {
  net::Socket udp =
      net_test::Listen(AddressFamily::kIPv4, SocketType::kDatagram);
  absl::Status status = udp.Bind(V4Loopback());
  INFO(status.ToString());
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(net::GetSocketError(status) == SocketError::kInvalidArgument);
}

TEST_CASE("shutdown of an unconnected stream socket is not connected") {
  net::Socket s = net_test::OpenSocket();
  absl::Status status = s.Shutdown(net::ShutdownMode::kBoth);
  INFO(status.ToString());
  CHECK(net::GetSocketError(status) == SocketError::kNotConnected);
}
