// Copyright 2026 The net Authors.
//
// Winsock answers getsockopt for BOOL options (TCP_NODELAY, SO_KEEPALIVE,
// IPV6_V6ONLY) in one byte, not in the four of an int: the bytes after it
// are whatever the caller's buffer held. `GetOption` must read exactly the
// byte Winsock wrote (platform/windows/options_windows.cc).

#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"
#include "tests/test_util.h"

namespace {

// What Winsock itself answers for TCP_NODELAY in a buffer of 0xff bytes.
struct RawAnswer {
  int length = 0;
  unsigned char bytes[4] = {0xff, 0xff, 0xff, 0xff};
};

RawAnswer RawNoDelay(const net::Socket& s) {
  RawAnswer a;
  a.length = sizeof(a.bytes);
  REQUIRE(getsockopt(static_cast<SOCKET>(s.native_handle()), IPPROTO_TCP,
                     TCP_NODELAY, reinterpret_cast<char*>(a.bytes),
                     &a.length) == 0);
  return a;
}

}  // namespace

TEST_CASE("a BOOL option answered in one byte reads back as set") {
  auto [client, server] = net_test::TcpPair();
  for (bool on : {true, false, true, false}) {
    CAPTURE(on);
    NET_REQUIRE_OK(client.SetOption(net::NoDelay(on)));
    RawAnswer raw = RawNoDelay(client);
    MESSAGE("Winsock answered TCP_NODELAY in ", raw.length, " byte(s)");
    CHECK((raw.bytes[0] != 0) == on);
    CHECK(net_test::OptionOf<net::NoDelay>(client) == on);
  }
}

TEST_CASE("SO_KEEPALIVE and IPV6_V6ONLY read back through the one-byte path") {
  auto [client, server] = net_test::TcpPair();
  for (bool on : {true, false}) {
    NET_REQUIRE_OK(client.SetOption(net::SocketKeepAlive(on)));
    CHECK(net_test::OptionOf<net::SocketKeepAlive>(client) == on);
  }
  absl::StatusOr<net::Socket> v6 =
      net::Socket::Open(net::AddressFamily::kIPv6, net::SocketType::kStream);
  if (!v6.ok()) NET_SKIP(absl::StrCat("no IPv6 here: ", v6.status().ToString()));
  // Windows' default is v6-only (unlike Linux); a read must say so.
  CHECK(net_test::OptionOf<net::Ipv6V6Only>(*v6));
  NET_REQUIRE_OK(v6->SetOption(net::Ipv6V6Only(false)));
  CHECK_FALSE(net_test::OptionOf<net::Ipv6V6Only>(*v6));
}
