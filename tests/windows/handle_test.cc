// Copyright 2026 The net Authors.
//
// Handles are not inheritable: a child process started with handle
// inheritance must not keep our connections open (the Windows meaning of
// close-on-exec). Checked on the OS's own flag, HANDLE_FLAG_INHERIT.

#include <utility>

#include "platform/windows/winsock_internal.h"
#include "tests/test_util.h"

namespace {

bool Inheritable(net::NativeHandle handle) {
  DWORD flags = 0;
  REQUIRE(GetHandleInformation(reinterpret_cast<HANDLE>(handle), &flags));
  return (flags & HANDLE_FLAG_INHERIT) != 0;
}

}  // namespace

TEST_CASE("new sockets of every family and type are not inheritable") {
  for (net::SocketType type :
       {net::SocketType::kStream, net::SocketType::kDatagram}) {
    for (net::AddressFamily family :
         {net::AddressFamily::kIPv4, net::AddressFamily::kIPv6}) {
      absl::StatusOr<net::Socket> s = net::Socket::Open(family, type);
      if (!s.ok() && family == net::AddressFamily::kIPv6) continue;
      NET_REQUIRE_OK(s);
      CAPTURE(net::SocketTypeName(type));
      CHECK_FALSE(Inheritable(s->native_handle()));
      absl::StatusOr<bool> cloexec = s->IsCloseOnExec();
      NET_REQUIRE_OK(cloexec);
      CHECK(*cloexec);
    }
  }
}

TEST_CASE("accepted sockets and socket pairs are not inheritable") {
  auto [client, server] = net_test::TcpPair();
  CHECK_FALSE(Inheritable(client.native_handle()));
  CHECK_FALSE(Inheritable(server.native_handle()));
  absl::StatusOr<std::pair<net::Socket, net::Socket>> pair = net::SocketPair();
  NET_REQUIRE_OK(pair);
  CHECK_FALSE(Inheritable(pair->first.native_handle()));
  CHECK_FALSE(Inheritable(pair->second.native_handle()));
}

TEST_CASE("an accepted socket is not inheritable even from an inheritable listener") {
  net::Socket listener = net_test::Listen();
  NET_REQUIRE_OK(listener.SetCloseOnExec(false));
  REQUIRE(Inheritable(listener.native_handle()));
  absl::StatusOr<net::Socket> client =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(client);
  NET_REQUIRE_OK(client->Connect(net_test::LocalAddressOf(listener)));
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  CHECK_FALSE(Inheritable(accepted->socket.native_handle()));
}

TEST_CASE("SetCloseOnExec toggles HANDLE_FLAG_INHERIT and reads it back") {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(s);
  NET_REQUIRE_OK(s->SetCloseOnExec(false));
  CHECK(Inheritable(s->native_handle()));
  absl::StatusOr<bool> cloexec = s->IsCloseOnExec();
  NET_REQUIRE_OK(cloexec);
  CHECK_FALSE(*cloexec);
  NET_REQUIRE_OK(s->SetCloseOnExec(true));
  CHECK_FALSE(Inheritable(s->native_handle()));
}

TEST_CASE("an accepted socket is blocking even from a non-blocking listener") {
  // Winsock's accept() copies the listener's FIONBIO; the contract says an
  // accepted socket is blocking. The OS is asked, not net's cache: with a
  // 100 ms SO_RCVTIMEO and nothing to read, a blocking recv times out
  // (WSAETIMEDOUT) where a non-blocking one says WSAEWOULDBLOCK at once.
  net::Socket listener = net_test::Listen();
  NET_REQUIRE_OK(listener.SetNonBlocking(true));
  absl::StatusOr<net::Socket> client =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(client);
  NET_REQUIRE_OK(client->Connect(net_test::LocalAddressOf(listener)));
  NET_REQUIRE_OK(listener.WaitReadable(absl::Seconds(5)));
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  const SOCKET s = static_cast<SOCKET>(accepted->socket.native_handle());
  const DWORD timeout_ms = 100;
  REQUIRE(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO,
                     reinterpret_cast<const char*>(&timeout_ms),
                     sizeof(timeout_ms)) == 0);
  char byte = 0;
  CHECK(recv(s, &byte, 1, 0) == SOCKET_ERROR);
  CHECK(WSAGetLastError() == WSAETIMEDOUT);
}
