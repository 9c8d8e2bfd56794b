// Copyright 2026 The net Authors.
//
// Exclusive address use: a stream socket binds with SO_EXCLUSIVEADDRUSE
// (platform/windows/socket_windows.cc), so no other socket, even one that
// sets SO_REUSEADDR, can bind its port and steal its connections. A socket
// that asked for sharing (SO_REUSEADDR) before binding is left alone. A
// listener made with ListenerFlags::kReusable keeps exclusive use too.

#include <memory>

#include "net/listener.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"
#include "tests/test_util.h"

namespace {

// A raw socket with SO_REUSEADDR set, as a port thief would make it.
SOCKET ReuseAddrSocket(int type) {
  NET_REQUIRE_OK(net::sys::EnsureInitialized());  // a raw socket follows
  SOCKET s = socket(AF_INET, type, 0);
  REQUIRE(s != INVALID_SOCKET);
  BOOL on = TRUE;
  REQUIRE(setsockopt(s, SOL_SOCKET, SO_REUSEADDR,
                     reinterpret_cast<const char*>(&on), sizeof(on)) == 0);
  return s;
}

int BindError(SOCKET s, const net::SocketAddress& where) {
  if (bind(s, where.native(), static_cast<int>(where.native_length())) == 0) {
    return 0;
  }
  return WSAGetLastError();
}

// A raw BOOL socket option of `s` at SOL_SOCKET (REQUIREs success).
bool BoolOption(SOCKET s, int name) {
  BOOL value = FALSE;
  int length = sizeof(value);
  REQUIRE(getsockopt(s, SOL_SOCKET, name, reinterpret_cast<char*>(&value),
                     &length) == 0);
  return value != FALSE;
}

// Neither a thief with SO_REUSEADDR on `where` nor one on the wildcard
// address of its port can bind: Windows answers WSAEACCES for a port held
// exclusively, wine WSAEADDRINUSE; either way the bind fails.
void CheckNoReuseAddrThief(const net::SocketAddress& where) {
  const net::SocketAddress wildcard(
      net::IpAddress::Any(net::AddressFamily::kIPv4), where.port());
  for (const net::SocketAddress& target : {where, wildcard}) {
    CAPTURE(target.ToString());
    SOCKET thief = ReuseAddrSocket(SOCK_STREAM);
    const int error = BindError(thief, target);
    closesocket(thief);
    CAPTURE(error);
    CHECK((error == WSAEADDRINUSE || error == WSAEACCES));
  }
}

}  // namespace

TEST_CASE("a listener binds with SO_EXCLUSIVEADDRUSE") {
  net::Socket listener = net_test::Listen();
  CHECK(BoolOption(static_cast<SOCKET>(listener.native_handle()),
                   SO_EXCLUSIVEADDRUSE));
}

TEST_CASE("a second bind to a listener's port fails, even with SO_REUSEADDR") {
  net::Socket listener = net_test::Listen();
  const net::SocketAddress where = net_test::LocalAddressOf(listener);
  // Through net: address in use, as on every OS.
  absl::StatusOr<net::Socket> second =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(second);
  absl::Status status = second->Bind(where);
  INFO(status.ToString());
  CHECK(net::GetSocketError(status) == net::SocketError::kAddressInUse);
  // A thief with SO_REUSEADDR, on the address or the wildcard of its port.
  CheckNoReuseAddrThief(where);
}

TEST_CASE("a socket that asked for SO_REUSEADDR binds without exclusive use") {
  // SO_EXCLUSIVEADDRUSE and SO_REUSEADDR exclude each other (setting both is
  // WSAEINVAL): Bind() must not force exclusive use on a socket whose owner
  // asked for sharing.
  SOCKET raw = ReuseAddrSocket(SOCK_STREAM);
  absl::StatusOr<net::Socket> s = net::Socket::Adopt(raw);
  NET_REQUIRE_OK(s);
  NET_REQUIRE_OK(s->Bind(
      net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0)));
  CHECK_FALSE(BoolOption(raw, SO_EXCLUSIVEADDRUSE));
}

TEST_CASE("datagram sockets are not bound exclusively") {
  // Several receivers of one multicast port need sharing: exclusive use is
  // for stream listeners only.
  absl::StatusOr<net::Socket> udp =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kDatagram);
  NET_REQUIRE_OK(udp);
  NET_REQUIRE_OK(udp->Bind(
      net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0)));
  CHECK_FALSE(BoolOption(static_cast<SOCKET>(udp->native_handle()),
                         SO_EXCLUSIVEADDRUSE));
}

// ListenerFlags::kReusable asks for SO_REUSEADDR, which on Windows would let
// another socket bind the listener's port while it is in use: the listener
// must keep SO_EXCLUSIVEADDRUSE instead (core/listener.cc,
// ReuseAddressIsSafe(); RELIABILITY.md W1, L6).
TEST_CASE("a reusable listener keeps SO_EXCLUSIVEADDRUSE and no SO_REUSEADDR "
          "thief can bind its port") {
  std::unique_ptr<net::EventLoop> loop = net_test::NewLoop();
  net::ListenerOptions options;
  options.flags = net::ListenerFlags::kReusable;
  absl::StatusOr<std::unique_ptr<net::Listener>> listener = net::Listener::Bind(
      *loop,
      net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0),
      [](net::Socket, const net::SocketAddress&) {}, options);
  NET_REQUIRE_OK(listener);
  const SOCKET handle = static_cast<SOCKET>((*listener)->native_handle());
  CHECK(BoolOption(handle, SO_EXCLUSIVEADDRUSE));
  CHECK_FALSE(BoolOption(handle, SO_REUSEADDR));
  absl::StatusOr<net::SocketAddress> where = (*listener)->LocalAddress();
  NET_REQUIRE_OK(where);
  CheckNoReuseAddrThief(*where);
}
