// Copyright 2026 The net Authors.
//
// `net::Connect()` on every backend (ctest runs this once per backend:
// NET_EVENT_LOOP=epoll/poll/select, iocp/wsapoll), on loopback. Timed out
// and unreachable destinations need a network namespace:
// tests/posix/netns_connect_test.cc.

#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "net/connect.h"
#include "tests/test_util.h"

namespace {

using net::ConnectionPtr;
using net_test::NewLoop;
using net_test::RunUntil;

}  // namespace

TEST_CASE("async connect to a closed port calls back once with connection "
          "refused") {
  auto loop = NewLoop();
  int calls = 0;
  absl::Status result;
  auto pending = net::Connect(
      *loop, net_test::ClosedPort(), {},
      [&](absl::StatusOr<ConnectionPtr> c) {
        ++calls;
        result = c.status();
      });
  CHECK(calls == 0);  // never from inside Connect()
  REQUIRE(RunUntil(*loop, [&] { return calls > 0; }));
  for (int i = 0; i < 3; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(5)));
  CHECK(calls == 1);
  CHECK(net::GetSocketError(result) == net::SocketError::kConnectionRefused);
  CHECK(absl::StrContains(result.message(), "127.0.0.1"));
}

TEST_CASE("async connect gives a working connection") {
  auto loop = NewLoop();
  net::Socket listener = net_test::Listen();
  ConnectionPtr connection;
  auto pending = net::Connect(
      *loop, net_test::LocalAddressOf(listener), {},
      [&](absl::StatusOr<ConnectionPtr> c) {
        NET_REQUIRE_OK(c);
        connection = *std::move(c);
      });
  REQUIRE(RunUntil(*loop, [&] { return connection != nullptr; }));
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  CHECK(connection->Write(absl::string_view("hi")));
  CHECK(net_test::ReceiveExactly(accepted->socket, 2) == "hi");
}

TEST_CASE("a connect cancelled before it completes calls nothing") {
  auto loop = NewLoop();
  net::Socket listener = net_test::Listen();
  int calls = 0;
  auto pending = net::Connect(*loop, net_test::LocalAddressOf(listener), {},
                              [&](absl::StatusOr<ConnectionPtr>) { ++calls; });
  pending.reset();
  for (int i = 0; i < 10; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(5)));
  CHECK(calls == 0);
  CHECK(loop->watch_count() == 0);
  CHECK(loop->timer_count() == 0);
}

TEST_CASE("async connect refuses a bad address or timeout through the "
          "callback") {
  auto loop = NewLoop();
  int calls = 0;
  absl::Status result;
  net::ConnectOptions options;
  options.timeout = absl::Seconds(-1);
  auto pending = net::Connect(*loop, *net::SocketAddress::Parse("127.0.0.1:1"),
                              options, [&](absl::StatusOr<ConnectionPtr> c) {
                                ++calls;
                                result = c.status();
                              });
  REQUIRE(RunUntil(*loop, [&] { return calls > 0; }));
  CHECK(result.code() == absl::StatusCode::kInvalidArgument);
}

