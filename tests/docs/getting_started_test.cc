// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/docs/getting_started_test.cc
// -----------------------------------------------------------------------------
//
// Proves that docs/getting-started.md is true: its code blocks (extracted at
// configure time by tests/docs/extract_blocks.cmake into fragments.inc,
// included below) compile, and the client, the two servers, the error
// handling, the options and the event loop of the guide do what the guide
// says, against each other on loopback (port 0). The guide's whole programs
// (`<!-- doc-test: program ... -->`) are built as their own executables by
// tests/docs/CMakeLists.txt, and run when marked `run`. Issue 16 (a guide
// that cannot rot); no RELIABILITY.md case.

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tests/test_util.h"

// The guide's blocks, in its order, at namespace scope.
#include "fragments.inc"

namespace {

net::SocketAddress Loopback() {
  return net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4),
                            0);
}

// A loopback port that nobody listens on (bound, then closed).
net::SocketAddress ClosedPort() {
  net::Socket s = net_test::OpenSocket();
  REQUIRE(s.Bind(Loopback()).ok());
  absl::StatusOr<net::SocketAddress> a = s.LocalAddress();
  REQUIRE(a.ok());
  return *a;
}

// The guide's EchoServer on a loop run by a thread; stops and joins on
// destruction.
class RunningEcho {
 public:
  RunningEcho() {
    absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
        net::EventLoop::Create();
    NET_REQUIRE_OK(loop);
    loop_ = *std::move(loop);
    absl::StatusOr<std::unique_ptr<EchoServer>> server =
        EchoServer::Start(*loop_, Loopback());
    NET_REQUIRE_OK(server);
    server_ = *std::move(server);
    absl::StatusOr<net::SocketAddress> address = server_->address();
    NET_REQUIRE_OK(address);
    address_ = *address;
    thread_ = std::thread([this] { run_status_ = loop_->Run(); });
  }
  ~RunningEcho() {
    loop_->Stop();
    thread_.join();
    server_.reset();
  }
  const net::SocketAddress& address() const { return address_; }
  const absl::Status& run_status() const { return run_status_; }

 private:
  std::unique_ptr<net::EventLoop> loop_;
  std::unique_ptr<EchoServer> server_;
  net::SocketAddress address_;
  std::thread thread_;
  absl::Status run_status_;
};

TEST_CASE("the guide's client gets its request back from the guide's "
          "event-loop echo server") {
  RunningEcho echo;
  const std::string request(100000, 'x');  // more than one read
  absl::StatusOr<std::string> reply = Ask(echo.address(), request);
  NET_REQUIRE_OK(reply);
  CHECK_EQ(reply->size(), request.size());
  CHECK(*reply == request);
  absl::StatusOr<std::string> hello = Ask(echo.address(), "hello");
  NET_REQUIRE_OK(hello);
  CHECK_EQ(*hello, "hello");
}

TEST_CASE("the guide's client gets its request back from the guide's "
          "thread-pool server") {
  absl::StatusOr<std::unique_ptr<net::Server>> server =
      StartPoolEcho(Loopback());
  NET_REQUIRE_OK(server);
  absl::StatusOr<net::SocketAddress> address = (*server)->LocalAddress();
  NET_REQUIRE_OK(address);
  absl::StatusOr<std::string> reply = Ask(*address, "ping");
  NET_CHECK_OK(reply);
  if (reply.ok()) CHECK_EQ(*reply, "ping");
  (*server)->Stop();
  NET_CHECK_OK((*server)->Drain(absl::Now() + absl::Seconds(5)));
}

TEST_CASE("the guide's IsListening says false for a closed port and true "
          "for a listening one") {
  absl::StatusOr<bool> closed = IsListening(ClosedPort());
  NET_REQUIRE_OK(closed);
  CHECK_FALSE(*closed);
  RunningEcho echo;
  absl::StatusOr<bool> open = IsListening(echo.address());
  NET_REQUIRE_OK(open);
  CHECK(*open);
}

TEST_CASE("the guide's SendUnlessGone sends to a live peer") {
  absl::StatusOr<std::pair<net::Socket, net::Socket>> pair = net::SocketPair();
  NET_REQUIRE_OK(pair);
  NET_CHECK_OK(SendUnlessGone(pair->first, "abc"));
  char buffer[3];
  absl::StatusOr<net::IoResult> got =
      pair->second.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(got);
  CHECK_EQ(got->bytes(), 3u);
}

TEST_CASE("the guide's TuneForRequests succeeds on a connected TCP socket") {
  RunningEcho echo;
  net::Socket s = net_test::OpenSocket();
  NET_REQUIRE_OK(s.Connect(echo.address(), absl::Seconds(5)));
  NET_CHECK_OK(TuneForRequests(s));
  absl::StatusOr<bool> no_delay = s.GetOption<net::NoDelay>();
  NET_REQUIRE_OK(no_delay);
  CHECK(*no_delay);
}

TEST_CASE("the guide's TimersAndPost ticks three times and runs the posted "
          "task") {
  NET_CHECK_OK(TimersAndPost());
}

}  // namespace
