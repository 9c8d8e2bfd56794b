// Copyright 2026 The net Authors.
//
// Socket::PeerCredentials() on POSIX: the pid, uid and gid the OS recorded
// for the peer of a unix-domain stream socket, on a socketpair, on an
// accepted connection (both ends), and for a peer that is another process
// (a forked child: the pid must be the child's, not ours); and the sockets
// that have no peer credentials, refused before any system call. The
// Windows twin is tests/windows/credentials_test.cc.
//
// Cases of shared/RELIABILITY.md: the bad-input rule of P5/P10 (a call that
// does not apply to the socket is kInvalidArgument before the OS is asked,
// never a made-up answer: Linux itself answers SO_PEERCRED on a listening
// socket with the listener's own credentials, and on an unconnected one with
// pid 0).

#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "net/net.h"
#include "tests/posix/subprocess.h"
#include "tests/test_util.h"

namespace net_test {
namespace {

// Credentials every POSIX system gives (uid and gid); the pid where the
// OS tells it (Linux always: REQUIREd there).
void CheckIsThisProcess(const net::PeerCredentials& c, pid_t pid) {
#if defined(__linux__) || defined(__APPLE__) || defined(__OpenBSD__) || \
    defined(__NetBSD__)
  REQUIRE(c.pid.has_value());
#endif
  if (c.pid.has_value()) CHECK_EQ(*c.pid, static_cast<std::int64_t>(pid));
  REQUIRE(c.uid.has_value());
  REQUIRE(c.gid.has_value());
  CHECK_EQ(*c.uid, static_cast<std::uint32_t>(geteuid()));
  CHECK_EQ(*c.gid, static_cast<std::uint32_t>(getegid()));
}

TEST_CASE("PeerCredentials of a unix socketpair are this process's pid, "
          "effective uid and gid, on both ends") {
  absl::StatusOr<std::pair<net::Socket, net::Socket>> pair =
      net::SocketPair(net::AddressFamily::kUnix, net::SocketType::kStream);
  NET_REQUIRE_OK(pair);
  for (net::Socket* s : {&pair->first, &pair->second}) {
    absl::StatusOr<net::PeerCredentials> c = s->PeerCredentials();
    NET_REQUIRE_OK(c);
    CheckIsThisProcess(*c, getpid());
  }
}

TEST_CASE("PeerCredentials of an accepted unix connection and of the "
          "connecting socket name this process") {
  const std::string path = TempSocketPath("cred");
  absl::StatusOr<net::SocketAddress> address = net::SocketAddress::Unix(path);
  NET_REQUIRE_OK(address);
  for (net::SocketType type :
       {net::SocketType::kStream, net::SocketType::kSeqPacket}) {
    CAPTURE(net::SocketTypeName(type));
    absl::StatusOr<net::Socket> listener =
        net::Socket::Open(net::AddressFamily::kUnix, type);
    if (!listener.ok() && type == net::SocketType::kSeqPacket) {
      MESSAGE("no unix seqpacket sockets here: ", listener.status().ToString());
      continue;
    }
    NET_REQUIRE_OK(listener);
    unlink(path.c_str());
    NET_REQUIRE_OK(listener->Bind(*address));
    NET_REQUIRE_OK(listener->Listen());
    net::Socket client = OpenSocket(net::AddressFamily::kUnix, type);
    NET_REQUIRE_OK(client.Connect(*address));
    absl::StatusOr<net::Accepted> accepted = listener->Accept();
    NET_REQUIRE_OK(accepted);
    absl::StatusOr<net::PeerCredentials> server_side =
        accepted->socket.PeerCredentials();
    NET_REQUIRE_OK(server_side);
    CheckIsThisProcess(*server_side, getpid());
    absl::StatusOr<net::PeerCredentials> client_side = client.PeerCredentials();
    NET_REQUIRE_OK(client_side);
    CheckIsThisProcess(*client_side, getpid());
  }
  unlink(path.c_str());
}

TEST_CASE("PeerCredentials names the other process when a child connects") {
  const std::string path = TempSocketPath("cred-child");
  absl::StatusOr<net::SocketAddress> address = net::SocketAddress::Unix(path);
  NET_REQUIRE_OK(address);
  net::Socket listener = OpenSocket(net::AddressFamily::kUnix);
  NET_REQUIRE_OK(listener.Bind(*address));
  NET_REQUIRE_OK(listener.Listen());
  // The child's connect, prepared before fork (async-signal-safe calls
  // only after it): it connects, waits for the parent to close, and exits.
  struct sockaddr_un sun;
  std::memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  REQUIRE(path.size() < sizeof sun.sun_path);
  std::memcpy(sun.sun_path, path.data(), path.size());
  const pid_t child = fork();
  REQUIRE_MESSAGE(child >= 0, "fork: ", ErrnoText(errno));
  if (child == 0) {
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) _exit(10);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&sun), sizeof sun) != 0) {
      _exit(11);
    }
    char byte;
    (void)read(fd, &byte, 1);  // EOF when the parent is done
    _exit(0);
  }
  absl::StatusOr<bool> ready = listener.WaitReadable(absl::Seconds(5));
  NET_CHECK_OK(ready);
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_CHECK_OK(accepted);
  if (accepted.ok()) {
    absl::StatusOr<net::PeerCredentials> c = accepted->socket.PeerCredentials();
    NET_CHECK_OK(c);
    if (c.ok()) {
      CheckIsThisProcess(*c, child);
      if (c->pid.has_value()) CHECK_NE(*c->pid, static_cast<std::int64_t>(getpid()));
    }
    NET_CHECK_OK(accepted->socket.Close());
  }
  int status = 0;
  REQUIRE_EQ(waitpid(child, &status, 0), child);
  CHECK(WIFEXITED(status));
  CHECK_EQ(WEXITSTATUS(status), 0);
  unlink(path.c_str());
}

TEST_CASE("PeerCredentials is refused on sockets that have no peer "
          "credentials, before any system call") {
  SUBCASE("TCP, UDP and unix datagram sockets are invalid arguments") {
    auto [client, server] = TcpPair();
    absl::StatusOr<net::PeerCredentials> c = client.PeerCredentials();
    CHECK_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    CHECK(absl::StrContains(c.status().message(), "ipv4 stream"));
    net::Socket udp = OpenSocket(net::AddressFamily::kIPv4, net::SocketType::kDatagram);
    CHECK_EQ(udp.PeerCredentials().status().code(),
             absl::StatusCode::kInvalidArgument);
    absl::StatusOr<std::pair<net::Socket, net::Socket>> dgram =
        net::SocketPair(net::AddressFamily::kUnix, net::SocketType::kDatagram);
    NET_REQUIRE_OK(dgram);
    // Linux would answer this one; macOS and FreeBSD would not: one rule.
    CHECK_EQ(dgram->first.PeerCredentials().status().code(),
             absl::StatusCode::kInvalidArgument);
  }
  SUBCASE("a listening unix socket is an invalid argument") {
    const std::string path = TempSocketPath("cred-listen");
    absl::StatusOr<net::SocketAddress> address = net::SocketAddress::Unix(path);
    NET_REQUIRE_OK(address);
    net::Socket listener = OpenSocket(net::AddressFamily::kUnix);
    NET_REQUIRE_OK(listener.Bind(*address));
    NET_REQUIRE_OK(listener.Listen());
    absl::StatusOr<net::PeerCredentials> c = listener.PeerCredentials();
    CHECK_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    CHECK(absl::StrContains(c.status().message(), "listening"));
    // The same socket adopted: known as listening too.
    absl::StatusOr<net::Socket> adopted = net::Socket::Adopt(listener.Release());
    NET_REQUIRE_OK(adopted);
    CHECK_EQ(adopted->PeerCredentials().status().code(),
             absl::StatusCode::kInvalidArgument);
    unlink(path.c_str());
  }
  SUBCASE("an unconnected unix stream socket is not connected") {
    net::Socket s = OpenSocket(net::AddressFamily::kUnix);
    absl::StatusOr<net::PeerCredentials> c = s.PeerCredentials();
    CHECK_FALSE(c.ok());
    CHECK_EQ(net::GetSocketError(c.status()), net::SocketError::kNotConnected);
  }
  SUBCASE("a closed socket is a failed precondition") {
    net::Socket s = OpenSocket(net::AddressFamily::kUnix);
    NET_REQUIRE_OK(s.Close());
    CHECK_EQ(s.PeerCredentials().status().code(),
             absl::StatusCode::kFailedPrecondition);
  }
}

}  // namespace
}  // namespace net_test
