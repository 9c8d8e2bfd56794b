// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/contract/connect_fail_loop_test.cc
// -----------------------------------------------------------------------------
//
// A failed non-blocking connect seen through the event loop, on every
// backend (this file is built into the per-backend event loop executables:
// epoll, poll and select here, iocp and wsapoll under wine). Covers
// RELIABILITY.md C1 (a refused connect reads ECONNREFUSED from SO_ERROR,
// promptly, leaving no descriptor behind), C4 (the outcome is read from
// SO_ERROR after the readiness report) and W4 (WSAPoll's POLLHUP/POLLERR and
// AFD's connect-fail bit must wake the loop, or a refused connect hangs),
// and the async `net::Connect()` half of R3 (refused connects in a row
// leave nothing open).
//
// The blocking and Socket-level halves (10,000 refused non-blocking
// connects, refused connects with a deadline, a second connect while one is
// under way) are in tests/contract/connect_fail_test.cc.

#include <cstdint>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/connect.h"
#include "net/net.h"
#include "tests/test_util.h"

namespace {

using net_test::NewLoop;
using net_test::RunUntil;

// How soon the loop must report the refusal. Linux and wine refuse on
// loopback at once; real Windows retries the SYN for about 2 s before it
// believes the RST (see contract/socket_test.cc), so it gets 3 s.
#ifdef _WIN32
constexpr absl::Duration kPromptly = absl::Seconds(3);
#else
constexpr absl::Duration kPromptly = absl::Seconds(1);
#endif

// `after` is `before`, where both could be counted (-1: this OS does not
// count its descriptors).
void CheckSameCount(int before, int after) {
  if (before <= 0 || after <= 0) {
    MESSAGE("this OS does not count the process's descriptors");
    return;
  }
  CHECK(after == before);
}

}  // namespace

TEST_CASE("a refused non-blocking connect watched for writability wakes the "
          "loop promptly, reads connection refused, and is quiet after "
          "unwatch") {
  std::unique_ptr<net::EventLoop> loop = NewLoop();
  const int descriptors_before = net_test::OpenDescriptorCount();
  for (net::Interest interest :
       {net::Interest::kWritable, net::Interest::kBoth}) {
    CAPTURE(static_cast<int>(interest));
    const net::SocketAddress closed = net_test::ClosedPort();
    absl::StatusOr<net::Socket> s =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream,
                          0, net::OpenFlags::kNonBlocking);
    NET_REQUIRE_OK(s);
    const absl::Time begin = absl::Now();
    absl::Status started = s->Connect(closed);
    INFO("connect: ", started.ToString());
    if (net::GetSocketError(started) == net::SocketError::kConnectionRefused) {
      NET_SKIP("this OS refuses a non-blocking loopback connect at once: "
               "nothing for the loop to report");
    }
    REQUIRE(net::IsInProgress(started));
    int calls = 0;
    net::Readiness seen;
    absl::Duration elapsed;
    net::WatchId id = 0;
    absl::StatusOr<net::WatchId> watch = loop->Watch(
        s->native_handle(), interest, [&](net::Readiness r) {
          ++calls;
          seen = r;
          elapsed = absl::Now() - begin;
          // Level-triggered: the failure stays reported until unwatched.
          NET_CHECK_OK(loop->Unwatch(id));
        });
    NET_REQUIRE_OK(watch);
    id = *watch;
    REQUIRE(RunUntil(*loop, [&] { return calls > 0; }, absl::Seconds(10)));
    MESSAGE(net::EventLoopBackendName(loop->backend()), ": refusal reported after ",
            elapsed, " as writable=", seen.writable, " error=", seen.error,
            " hangup=", seen.hangup, " readable=", seen.readable);
    CHECK(elapsed < kPromptly);
    // select() reports a failed connect as writable; the others may say
    // error (or hangup) instead or as well. It must be one of them.
    CHECK((seen.writable || seen.error || seen.hangup));
    // The outcome comes from SO_ERROR, not from the readiness bits.
    absl::StatusOr<absl::Status> error =
        s->GetOption<net::SocketErrorOption>();
    NET_REQUIRE_OK(error);
    INFO("SO_ERROR: ", error->ToString());
    CHECK(net::GetSocketError(*error) == net::SocketError::kConnectionRefused);
    // No wakeup after the unwatch: for 300 ms the loop runs nothing and
    // does not spin on the (still failed, still open) socket. (A wait may
    // end early with nothing to run, as RunOnce allows: a timer the backend
    // armed for an earlier, shorter wait; so the waits are counted, not
    // timed.)
    const absl::Time quiet_until = absl::Now() + absl::Milliseconds(300);
    int waits = 0;
    while (absl::Now() < quiet_until) {
      absl::StatusOr<int> ran = loop->RunOnce(absl::Milliseconds(100));
      NET_REQUIRE_OK(ran);
      CHECK(*ran == 0);
      ++waits;
    }
    CHECK(waits <= 10);
    CHECK(calls == 1);
    CHECK(loop->watch_count() == 0);
    NET_REQUIRE_OK(s->Close());
  }
  CheckSameCount(descriptors_before, net_test::OpenDescriptorCount());
}

TEST_CASE("async connects to a closed port each fail once with connection "
          "refused and leave no descriptor behind") {
  std::unique_ptr<net::EventLoop> loop = NewLoop();
  const net::SocketAddress closed = net_test::ClosedPort();
  // 1,000 on Linux: ~0.1 s per backend in the Debug build. Under wine each
  // connect is several wineserver round trips: 200 there.
#ifdef _WIN32
  constexpr int kConnects = 200;
#else
  constexpr int kConnects = 1000;
#endif
  const int before = net_test::OpenDescriptorCount();
  const absl::Time begin = absl::Now();
  for (int i = 0; i < kConnects; ++i) {
    CAPTURE(i);
    int calls = 0;
    absl::Status status;
    std::unique_ptr<net::PendingConnect> pending = net::Connect(
        *loop, closed, {}, [&](absl::StatusOr<net::ConnectionPtr> c) {
          ++calls;
          status = c.status();
        });
    REQUIRE(RunUntil(*loop, [&] { return calls > 0; }, absl::Seconds(10)));
    REQUIRE(calls == 1);
    INFO(status.ToString());
    REQUIRE(net::GetSocketError(status) == net::SocketError::kConnectionRefused);
  }
  // A second call would show in a few more iterations.
  NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(10)));
  MESSAGE(kConnects, " refused async connects on ",
          net::EventLoopBackendName(loop->backend()), " in ",
          absl::Now() - begin);
  CHECK(loop->watch_count() == 0);
  CheckSameCount(before, net_test::OpenDescriptorCount());
}
