// Copyright 2026 The net Authors.
//
// Peer credentials and socket activation on Windows (the POSIX twins are
// tests/posix/credentials_test.cc and activation_test.cc). Windows gives
// only the peer's process id of an AF_UNIX connection
// (SIO_AF_UNIX_GETPEERPID), never a uid or gid; a socket that is not a unix
// stream socket is refused before any system call, as on POSIX. wine 8 has
// no AF_UNIX sockets: the unix case then skips, saying so. There is no
// systemd and no inetd: ListenFds() is an empty list and InetdSocket()
// kUnimplemented, whatever the environment says.
//
// Cases of shared/RELIABILITY.md: the bad-input rule of P5/P10 (refused
// before the OS, the same code as on POSIX).

#include <stdlib.h>

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/activation.h"
#include "platform/windows/winsock_internal.h"
#include "tests/test_util.h"

TEST_CASE("PeerCredentials on TCP and UDP sockets is an invalid argument, "
          "as on POSIX") {
  auto [client, server] = net_test::TcpPair();
  CHECK_EQ(client.PeerCredentials().status().code(),
           absl::StatusCode::kInvalidArgument);
  CHECK_EQ(server.PeerCredentials().status().code(),
           absl::StatusCode::kInvalidArgument);
  net::Socket udp = net_test::OpenSocket(net::AddressFamily::kIPv4,
                                         net::SocketType::kDatagram);
  CHECK_EQ(udp.PeerCredentials().status().code(),
           absl::StatusCode::kInvalidArgument);
  NET_REQUIRE_OK(udp.Close());
  CHECK_EQ(udp.PeerCredentials().status().code(),
           absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("PeerCredentials of an AF_UNIX connection is this process's pid, "
          "with no uid or gid") {
  absl::StatusOr<net::Socket> listener =
      net::Socket::Open(net::AddressFamily::kUnix, net::SocketType::kStream);
  if (!listener.ok()) {
    NET_SKIP(absl::StrCat("no AF_UNIX sockets here (Windows 10 1803 and "
                          "later have them, wine 8 does not): ",
                          listener.status().ToString()));
  }
  const std::string path = net_test::TempSocketPath("cred");
  absl::StatusOr<net::SocketAddress> address = net::SocketAddress::Unix(path);
  NET_REQUIRE_OK(address);
  NET_REQUIRE_OK(listener->Bind(*address));
  NET_REQUIRE_OK(listener->Listen());
  net::Socket client = net_test::OpenSocket(net::AddressFamily::kUnix);
  NET_REQUIRE_OK(client.Connect(*address));
  absl::StatusOr<net::Accepted> accepted = listener->Accept();
  NET_REQUIRE_OK(accepted);
  absl::StatusOr<net::PeerCredentials> c = accepted->socket.PeerCredentials();
  if (!c.ok() && absl::IsUnimplemented(c.status())) {
    NET_SKIP(absl::StrCat("SIO_AF_UNIX_GETPEERPID not implemented here: ",
                          c.status().ToString()));
  }
  NET_REQUIRE_OK(c);
  REQUIRE(c->pid.has_value());
  CHECK_EQ(*c->pid, static_cast<std::int64_t>(GetCurrentProcessId()));
  CHECK_FALSE(c->uid.has_value());
  CHECK_FALSE(c->gid.has_value());
  DeleteFileA(path.c_str());
}

TEST_CASE("ListenFds is an empty list and InetdSocket unimplemented on "
          "Windows, whatever the environment says") {
  const std::string pid = absl::StrCat(GetCurrentProcessId());
  _putenv_s("LISTEN_PID", pid.c_str());
  _putenv_s("LISTEN_FDS", "1");
  absl::StatusOr<std::vector<net::ActivatedSocket>> fds = net::ListenFds();
  NET_REQUIRE_OK(fds);
  CHECK(fds->empty());
  _putenv_s("LISTEN_PID", "");
  _putenv_s("LISTEN_FDS", "");
  CHECK_EQ(net::InetdSocket().status().code(),
           absl::StatusCode::kUnimplemented);
}
