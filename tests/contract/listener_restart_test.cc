// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/contract/listener_restart_test.cc
// -----------------------------------------------------------------------------
//
// A listener restarted on its port, and who else may bind that port
// (RELIABILITY.md L6 and W1; Go's TestListenCloseListen, libuv's
// SO_REUSEADDR in uv__tcp_bind and its Windows comment on port hijacking):
//
//   * POSIX: after a server closed a connection first, its side waits in
//     TIME_WAIT on the listener's port. A new listener on that port binds
//     with `ListenerFlags::kReusable` (SO_REUSEADDR) and is refused with
//     kAddressInUse without it: the flag exists for exactly this restart.
//   * Windows: SO_REUSEADDR would let another socket steal a port in active
//     use, so `kReusable` leaves it off there and the listener keeps
//     SO_EXCLUSIVEADDRUSE (core/listener.cc, ReuseAddressIsSafe()). The
//     restart is then whatever Windows does for an exclusive socket with a
//     TIME_WAIT on its port (bound or kAddressInUse, both typed), and a
//     second socket asking for SO_REUSEADDR cannot bind the listener's port
//     on any OS.
//   * Sockets that are not listeners (a port-0 bind, a client's implicit
//     bind, `net::Connect()`'s sockets) never get SO_REUSEADDR: on the BSDs
//     it would let them share a port in use (libuv PR #5256).
//
// Which OS runs is asked at run time (`IsSupported()` of
// SO_EXCLUSIVEADDRUSE), not with #if: the same file runs in the event loop
// executables of every backend, iocp and wsapoll under wine included.

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "net/connect.h"
#include "net/listener.h"
#include "net/net.h"
#include "tests/test_util.h"

namespace {

using net::ListenerFlags;
using net_test::NewLoop;
using net_test::RunUntil;

net::SocketAddress LoopbackPort(std::uint16_t port) {
  return net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4),
                            port);
}

// Windows is the OS with SO_EXCLUSIVEADDRUSE.
bool ExclusiveAddressOs() {
  return net::IsSupported(net::OptionId::kExclusiveAddressUse);
}

// Option `O` of a handle owned elsewhere (a listener's, a connection's).
template <typename O>
typename O::Value OptionOfHandle(net::NativeHandle handle) {
  absl::StatusOr<net::Socket> view = net::Socket::Adopt(handle);
  NET_REQUIRE_OK(view);
  absl::StatusOr<typename O::Value> value = view->GetOption<O>();
  view->Release();
  NET_REQUIRE_OK(value);
  return *value;
}

// How many TCP sockets in TIME_WAIT have local port `port`, from Linux's
// /proc/net/tcp; -1 where that file does not exist.
int TimeWaitOnPort(std::uint16_t port) {
  std::ifstream table("/proc/net/tcp");
  if (!table) return -1;
  int n = 0;
  std::string line;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    std::vector<std::string> f =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    // "sl local_address rem_address st ...": local "0100007F:1F90", st 06.
    if (f.size() < 4 || f[3] != "06") continue;
    const std::size_t colon = f[1].find(':');
    std::uint32_t local_port = 0;
    if (colon != std::string::npos &&
        absl::SimpleHexAtoi(f[1].substr(colon + 1), &local_port) &&
        local_port == port) {
      ++n;
    }
  }
  return n;
}

struct Accepted {
  std::vector<net::Socket> sockets;
  net::Listener::AcceptCallback Callback() {
    return [this](net::Socket s, const net::SocketAddress&) {
      sockets.push_back(std::move(s));
    };
  }
};

absl::StatusOr<std::unique_ptr<net::Listener>> BindOn(
    net::EventLoop& loop, std::uint16_t port, ListenerFlags flags,
    Accepted& accepted) {
  net::ListenerOptions options;
  options.flags = flags;
  return net::Listener::Bind(loop, LoopbackPort(port), accepted.Callback(),
                             options);
}

// A loop of the backend under test and a listener on 127.0.0.1, port 0,
// with `flags`, keeping what it accepts; `where` is its address.
struct ListeningLoop {
  explicit ListeningLoop(ListenerFlags flags) {
    absl::StatusOr<std::unique_ptr<net::Listener>> bound =
        BindOn(*loop, 0, flags, accepted);
    NET_REQUIRE_OK(bound);
    listener = *std::move(bound);
    absl::StatusOr<net::SocketAddress> address = listener->LocalAddress();
    NET_REQUIRE_OK(address);
    where = *address;
  }

  std::unique_ptr<net::EventLoop> loop = NewLoop();
  Accepted accepted;
  std::unique_ptr<net::Listener> listener;
  net::SocketAddress where;
};

// A blocking client connected to `where` (REQUIREd).
net::Socket ConnectTo(const net::SocketAddress& where) {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(s);
  NET_REQUIRE_OK(s->Connect(where, absl::Seconds(5)));
  return *std::move(s);
}

}  // namespace

TEST_CASE("a listener restarted on its port while TIME_WAIT holds it binds "
          "with kReusable, and without it is address in use on POSIX") {
  ListeningLoop t(ListenerFlags::kReusable);
  const std::uint16_t port = t.where.port();

  // A connection that the server closes first: its side, on `port`, goes
  // to TIME_WAIT once the client's FIN is acknowledged.
  net::Socket client = ConnectTo(t.where);
  REQUIRE(RunUntil(*t.loop, [&] { return t.accepted.sockets.size() == 1; }));
  NET_REQUIRE_OK(t.accepted.sockets[0].Close());
  absl::StatusOr<bool> readable = client.WaitReadable(absl::Seconds(5));
  NET_REQUIRE_OK(readable);
  REQUIRE(*readable);
  char byte;
  absl::StatusOr<net::IoResult> eof = client.Receive(absl::MakeSpan(&byte, 1));
  NET_REQUIRE_OK(eof);
  REQUIRE(eof->end_of_stream());
  NET_REQUIRE_OK(client.Close());
  t.listener.reset();
  const int time_wait = TimeWaitOnPort(port);
  MESSAGE("TIME_WAIT sockets on port ", port, ": ", time_wait,
          " (-1: this OS does not tell)");
  if (time_wait >= 0) REQUIRE(time_wait >= 1);

  // Without the flag first: it must not take the port (on POSIX), so the
  // flagged attempt after it finds the port as the restart would.
  absl::StatusOr<std::unique_ptr<net::Listener>> plain =
      BindOn(*t.loop, port, ListenerFlags::kNone, t.accepted);
  const absl::Status plain_status = plain.status();
  plain = absl::UnknownError("released");  // frees the port if it bound
  absl::StatusOr<std::unique_ptr<net::Listener>> reusable =
      BindOn(*t.loop, port, ListenerFlags::kReusable, t.accepted);
  MESSAGE("rebind without kReusable: ", plain_status,
          "; with kReusable: ", reusable.status());
  if (ExclusiveAddressOs()) {
    // Windows: kReusable sets no SO_REUSEADDR; each answer is typed.
    for (const absl::Status& s : {plain_status, reusable.status()}) {
      CHECK((s.ok() ||
             net::GetSocketError(s) == net::SocketError::kAddressInUse));
    }
    return;
  }
  CHECK(net::GetSocketError(plain_status) == net::SocketError::kAddressInUse);
  CHECK(plain_status.code() == absl::StatusCode::kAlreadyExists);
  NET_REQUIRE_OK(reusable);
  // The restarted listener works.
  net::Socket again = ConnectTo(t.where);
  CHECK(RunUntil(*t.loop, [&] { return t.accepted.sockets.size() == 2; }));
}

TEST_CASE("a reusable listener keeps its port to itself: a socket asking for "
          "SO_REUSEADDR cannot bind it") {
  ListeningLoop t(ListenerFlags::kReusable);
  const net::NativeHandle handle = t.listener->native_handle();
  if (ExclusiveAddressOs()) {
    // Windows: exclusive use stays, SO_REUSEADDR stays off.
    CHECK(OptionOfHandle<net::ExclusiveAddressUse>(handle));
    CHECK_FALSE(OptionOfHandle<net::ReuseAddress>(handle));
  } else {
    CHECK(OptionOfHandle<net::ReuseAddress>(handle));
  }
  // A thief on the same address, and on the wildcard address of the port.
  for (const net::SocketAddress& target :
       {t.where, net::SocketAddress(
                    net::IpAddress::Any(net::AddressFamily::kIPv4),
                    t.where.port())}) {
    CAPTURE(target.ToString());
    absl::StatusOr<net::Socket> thief =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
    NET_REQUIRE_OK(thief);
    NET_REQUIRE_OK(thief->SetOption(net::ReuseAddress(true)));
    absl::Status bound = thief->Bind(target);
    INFO(bound.ToString());
    CHECK(net::GetSocketError(bound) == net::SocketError::kAddressInUse);
  }
  // The listener still gets its connections.
  net::Socket client = ConnectTo(t.where);
  CHECK(RunUntil(*t.loop, [&] { return t.accepted.sockets.size() == 1; }));
}

TEST_CASE("port-0 binds, client sockets and listeners without kReusable do "
          "not get SO_REUSEADDR") {
  ListeningLoop t(ListenerFlags::kNone);
  CHECK_FALSE(OptionOfHandle<net::ReuseAddress>(t.listener->native_handle()));

  // An explicit bind to port 0, then a connect from it.
  absl::StatusOr<net::Socket> bound =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(bound);
  NET_REQUIRE_OK(bound->Bind(LoopbackPort(0)));
  CHECK_FALSE(net_test::OptionOf<net::ReuseAddress>(*bound));
  NET_REQUIRE_OK(bound->Connect(t.where, absl::Seconds(5)));
  CHECK_FALSE(net_test::OptionOf<net::ReuseAddress>(*bound));

  // A connect's implicit bind.
  net::Socket client = ConnectTo(t.where);
  CHECK_FALSE(net_test::OptionOf<net::ReuseAddress>(client));

  // `net::Connect()`'s socket.
  net::ConnectionPtr connection;
  absl::Status status;
  bool called = false;
  std::unique_ptr<net::PendingConnect> pending = net::Connect(
      *t.loop, t.where, {}, [&](absl::StatusOr<net::ConnectionPtr> c) {
        called = true;
        status = c.status();
        if (c.ok()) connection = *std::move(c);
      });
  REQUIRE(RunUntil(*t.loop, [&] { return called; }));
  NET_REQUIRE_OK(status);
  CHECK_FALSE(OptionOfHandle<net::ReuseAddress>(connection->native_handle()));
  CHECK(RunUntil(*t.loop, [&] { return t.accepted.sockets.size() == 3; }));
}
