// Copyright 2026 The net Authors.
//
// `net::Connect()`, `net::ConnectToAny()` and `net::ConnectByName()` on
// every backend (ctest runs this once per backend: NET_EVENT_LOOP=epoll/
// poll/select, iocp/wsapoll), on loopback. Timed out and unreachable
// destinations, and Happy Eyeballs with a silent IPv6 address, need a
// network namespace: tests/posix/netns_connect_test.cc.

#include "net/connect.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/resolve_pool_internal.h"
#include "tests/test_util.h"

namespace {

using net::ConnectionPtr;
using net_test::NewLoop;
using net_test::RunUntil;

// What a connect's callback saw: how often it ran and the last result.
struct Outcome {
  int calls = 0;
  absl::Status status;
  ConnectionPtr connection;

  net::ConnectCallback Callback() {
    return [this](absl::StatusOr<ConnectionPtr> c) {
      ++calls;
      status = c.status();
      if (c.ok()) connection = *std::move(c);
    };
  }
};

// Runs `loop` until `outcome` has its call (bounded), then a few more
// iterations in which a second call would show.
void AwaitOnce(net::EventLoop& loop, const Outcome& outcome) {
  REQUIRE(RunUntil(loop, [&] { return outcome.calls > 0; }));
  for (int i = 0; i < 3; ++i) {
    NET_REQUIRE_OK(loop.RunOnce(absl::Milliseconds(5)));
  }
  CHECK(outcome.calls == 1);
}

// Runs `loop` for `how_long` whatever happens.
void RunFor(net::EventLoop& loop, absl::Duration how_long) {
  const absl::Time end = absl::Now() + how_long;
  while (absl::Now() < end) {
    NET_REQUIRE_OK(loop.RunOnce(absl::Milliseconds(10)));
  }
}

// Waits (bounded) until the resolver pool has no job queued or running.
bool ResolverPoolQuiet(absl::Duration limit = absl::Seconds(20)) {
  const absl::Time deadline = absl::Now() + limit;
  for (;;) {
    net::internal::ResolverPoolStats s = net::internal::GetResolverPoolStats();
    if (s.queued == 0 && s.idle == s.threads) return true;
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
}

// The listener accepted exactly the connection made (bounded wait).
void CheckAccepted(net::Socket& listener, Outcome& outcome) {
  REQUIRE(outcome.connection != nullptr);
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  CHECK(outcome.connection->Write(absl::string_view("hi")));
  CHECK(net_test::ReceiveExactly(accepted->socket, 2) == "hi");
}

// `ConnectByName()` to `host` at the port `listener` is bound to.
std::unique_ptr<net::PendingConnect> ConnectByNameTo(
    net::EventLoop& loop, const char* host, const net::Socket& listener,
    Outcome& outcome) {
  return net::ConnectByName(loop, host,
                            net_test::LocalAddressOf(listener).port(), {},
                            outcome.Callback());
}

// `ConnectByName()` to `host` reaches a listener on 127.0.0.1.
void CheckConnectsByName(const char* host) {
  auto loop = NewLoop();
  net::Socket listener = net_test::Listen();
  Outcome outcome;
  auto pending = ConnectByNameTo(*loop, host, listener, outcome);
  CHECK(outcome.calls == 0);  // never from inside ConnectByName()
  AwaitOnce(*loop, outcome);
  NET_REQUIRE_OK(outcome.status);
  CheckAccepted(listener, outcome);
}

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

TEST_CASE("connect by name to localhost reaches a listener on 127.0.0.1") {
  CheckConnectsByName("localhost");
}

TEST_CASE(
    "connect by name to a literal address connects without the "
    "resolver pool") {
  const net::internal::ResolverPoolStats before =
      net::internal::GetResolverPoolStats();
  CheckConnectsByName("127.0.0.1");
  const net::internal::ResolverPoolStats after =
      net::internal::GetResolverPoolStats();
  CHECK(after.submitted == before.submitted);
  // Nothing resolved in this process yet: no thread was ever started.
  if (before.submitted == 0) CHECK(after.threads == 0);
}

TEST_CASE(
    "connect by name to a name that does not exist reports host not "
    "found, naming the host") {
  auto loop = NewLoop();
  Outcome outcome;
  auto pending = net::ConnectByName(*loop, "nonexistent.invalid", 80, {},
                                    outcome.Callback());
  AwaitOnce(*loop, outcome);
  INFO(outcome.status);
  CHECK(net::GetSocketError(outcome.status) == net::SocketError::kHostNotFound);
  CHECK(outcome.status.code() == absl::StatusCode::kNotFound);
  CHECK(absl::StrContains(outcome.status.message(), "nonexistent.invalid"));
}

TEST_CASE("a connect by name cancelled while resolving calls nothing") {
  auto loop = NewLoop();
  net::Socket listener = net_test::Listen();
  Outcome outcome;
  auto pending = ConnectByNameTo(*loop, "localhost", listener, outcome);
  pending.reset();
  RunFor(*loop, absl::Milliseconds(200));
  CHECK(outcome.calls == 0);
  CHECK(loop->watch_count() == 0);
  CHECK(loop->timer_count() == 0);
  CHECK(ResolverPoolQuiet());
}

TEST_CASE(
    "a resolution that outlives its cancelled connect and its loop "
    "touches neither") {
  Outcome outcome;
  {
    auto loop = NewLoop();
    auto pending =
        net::ConnectByName(*loop, "localhost", 9, {}, outcome.Callback());
    pending.reset();
    loop.reset();  // the worker may still be resolving: it must not post
  }
  CHECK(ResolverPoolQuiet());
  CHECK(outcome.calls == 0);
}

TEST_CASE("connect by name refuses bad arguments through the callback") {
  auto loop = NewLoop();
  struct Case {
    const char* what;
    std::string host;
    std::uint16_t port;
    absl::Duration attempt_delay;
    absl::Duration timeout;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"empty host", "", 80, absl::Milliseconds(250), absl::Seconds(5),
       "host is empty"},
      {"port 0", "localhost", 0, absl::Milliseconds(250), absl::Seconds(5),
       "port must not be 0"},
      {"port 0, literal", "127.0.0.1", 0, absl::Milliseconds(250),
       absl::Seconds(5), "port must not be 0"},
      {"attempt delay below 100 ms", "localhost", 80, absl::Milliseconds(99),
       absl::Seconds(5), "attempt_delay"},
      {"attempt delay above 2 s", "127.0.0.1", 80, absl::Milliseconds(2001),
       absl::Seconds(5), "attempt_delay"},
      {"negative timeout", "localhost", 80, absl::Milliseconds(250),
       absl::Seconds(-1), "timeout"},
  };
  const std::uint64_t submitted =
      net::internal::GetResolverPoolStats().submitted;
  for (const Case& c : cases) {
    CAPTURE(c.what);
    net::ConnectOptions options;
    options.attempt_delay = c.attempt_delay;
    options.timeout = c.timeout;
    Outcome outcome;
    auto pending =
        net::ConnectByName(*loop, c.host, c.port, options, outcome.Callback());
    CHECK(outcome.calls == 0);
    AwaitOnce(*loop, outcome);
    INFO(outcome.status);
    CHECK(outcome.status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(absl::StrContains(outcome.status.message(), c.message));
  }
  // Refused before any resolution.
  CHECK(net::internal::GetResolverPoolStats().submitted == submitted);
}

TEST_CASE(
    "connect to any refuses an empty list, a unix address and port 0 "
    "through the callback") {
  auto loop = NewLoop();
  const std::vector<std::vector<net::SocketAddress>> cases = {
      {},
      {*net::SocketAddress::Unix(net_test::TempSocketPath("any"))},
      {*net::SocketAddress::Parse("127.0.0.1:0")},
  };
  for (const std::vector<net::SocketAddress>& addresses : cases) {
    CAPTURE(addresses.size());
    Outcome outcome;
    auto pending = net::ConnectToAny(*loop, addresses, {}, outcome.Callback());
    CHECK(outcome.calls == 0);
    AwaitOnce(*loop, outcome);
    INFO(outcome.status);
    CHECK(outcome.status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(absl::StrContains(outcome.status.message(), "addresses"));
  }
}

TEST_CASE(
    "connect to any moves on at once from a refused address to the "
    "next") {
  auto loop = NewLoop();
  net::Socket listener = net_test::Listen();
  Outcome outcome;
  net::ConnectOptions options;
  options.attempt_delay = net::kMaxAttemptDelay;  // never the reason here
  const absl::Time start = absl::Now();
  auto pending = net::ConnectToAny(
      *loop, {net_test::ClosedPort(), net_test::LocalAddressOf(listener)},
      options, outcome.Callback());
  AwaitOnce(*loop, outcome);
  NET_REQUIRE_OK(outcome.status);
  CHECK(absl::Now() - start < absl::Seconds(1));
  CheckAccepted(listener, outcome);
}

TEST_CASE(
    "connect to any reports the error of the attempt that failed "
    "last when all fail") {
  auto loop = NewLoop();
  const net::SocketAddress first = net_test::ClosedPort();
  const net::SocketAddress last = net_test::ClosedPort();
  Outcome outcome;
  auto pending =
      net::ConnectToAny(*loop, {first, last}, {}, outcome.Callback());
  AwaitOnce(*loop, outcome);
  INFO(outcome.status);
  CHECK(net::GetSocketError(outcome.status) ==
        net::SocketError::kConnectionRefused);
  CHECK(absl::StrContains(outcome.status.message(), last.ToString()));
  CHECK(loop->watch_count() == 0);
  CHECK(loop->timer_count() == 0);
}

TEST_CASE(
    "the resolver pool runs at most 4 jobs at once, queues the rest "
    "in order, and its idle threads exit") {
  const absl::Duration idle =
      net::internal::SetResolverIdleTimeForTesting(absl::Milliseconds(50));
  // Shared with the jobs, which may outlive a failed check below.
  struct Jobs {
    absl::Mutex mu;
    std::vector<int> started ABSL_GUARDED_BY(mu);
    int finished ABSL_GUARDED_BY(mu) = 0;
    absl::Notification gate;
  };
  auto jobs = std::make_shared<Jobs>();
  constexpr int kJobs = 10;
  for (int i = 0; i < kJobs; ++i) {
    NET_REQUIRE_OK(net::internal::RunOnResolverThread([jobs, i] {
      {
        absl::MutexLock lock(&jobs->mu);
        jobs->started.push_back(i);
      }
      jobs->gate.WaitForNotificationWithTimeout(absl::Seconds(20));
      absl::MutexLock lock(&jobs->mu);
      ++jobs->finished;
    }));
  }
  auto started = [&jobs] {
    absl::MutexLock lock(&jobs->mu);
    return jobs->started;
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (started().size() < net::internal::kMaxResolverThreads &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(2));
  }
  absl::SleepFor(absl::Milliseconds(20));  // a fifth would show by now
  const net::internal::ResolverPoolStats busy =
      net::internal::GetResolverPoolStats();
  std::vector<int> first = started();
  jobs->gate.Notify();
  CHECK(busy.threads == net::internal::kMaxResolverThreads);
  CHECK(busy.queued == kJobs - net::internal::kMaxResolverThreads);
  std::sort(first.begin(), first.end());
  CHECK(first == std::vector<int>{0, 1, 2, 3});  // the first four asked
  CHECK(ResolverPoolQuiet());
  {
    absl::MutexLock lock(&jobs->mu);
    CHECK(jobs->finished == kJobs);
  }
  // Idle for 50 ms, every thread leaves.
  while (net::internal::GetResolverPoolStats().threads > 0 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  CHECK(net::internal::GetResolverPoolStats().threads == 0);
  net::internal::SetResolverIdleTimeForTesting(idle);
}
