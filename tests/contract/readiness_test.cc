// Copyright 2026 The net Authors.
//
// What `net::Readiness` says about a connection's end, on every backend
// (ctest runs this once per backend: NET_EVENT_LOOP=epoll/poll/select,
// iocp/wsapoll). The definition is in include/net/event_loop.h: `hangup` is
// "nothing more will arrive from the peer" (a FIN, heard only with read
// interest; a reset or a failed connect, heard with any interest), `error`
// is "an error is pending" (a reset, a failed connect). select has neither
// bit: there both flags stay false (`ReportsHangupAndError()`), and the
// cases check that too.

#include <cstdlib>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/types/optional.h"
#include "tests/test_util.h"

namespace {

using net::EventLoop;
using net::Interest;
using net::Readiness;
using net_test::ClosedPort;
using net_test::NewLoop;

std::string Describe(const Readiness& r) {
  return absl::StrCat("{readable=", r.readable, " writable=", r.writable,
                      " error=", r.error, " hangup=", r.hangup, "}");
}

// A loop of the backend under test, a connected TCP pair (the server side
// non-blocking, as a loop's user has it), and one registration for the
// server side that records every report.
struct Watched {
  Watched() {
    std::tie(client, server) = net_test::TcpPair();
    NET_REQUIRE_OK(server.SetNonBlocking(true));
  }
  ~Watched() {
    if (id != 0) (void)loop->Unwatch(id);
  }

  // Whether the backend sets `error` and `hangup` at all.
  bool reports() const { return net::ReportsHangupAndError(loop->backend()); }

  void Watch(net::NativeHandle handle, Interest interest) {
    absl::StatusOr<net::WatchId> w = loop->Watch(
        handle, interest, [this](Readiness r) { seen.push_back(r); });
    NET_REQUIRE_OK(w);
    id = *w;
  }

  // Runs the loop (waits of 10 ms) until a report arrives, at most 10 s;
  // returns the first report of those iterations.
  absl::optional<Readiness> NextReport() {
    seen.clear();
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (seen.empty() && absl::Now() < deadline) {
      NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(10)));
    }
    if (seen.empty()) return absl::nullopt;
    return seen.front();
  }

  // Runs the loop until a report is readable (the peer's FIN or reset has
  // arrived: the socket had nothing to read before), as NextReport().
  absl::optional<Readiness> NextReadable() {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      absl::optional<Readiness> r = NextReport();
      if (r && r->readable) return r;
    }
    return absl::nullopt;
  }

  // Makes the client reset the connection: SO_LINGER {on, 0}, then close.
  void ResetClient() {
    NET_REQUIRE_OK(
        client.SetOption(net::LingerOption({true, absl::ZeroDuration()})));
    NET_REQUIRE_OK(client.Close());
  }

  std::unique_ptr<EventLoop> loop = NewLoop();
  net::Socket client;
  net::Socket server;
  net::WatchId id = 0;
  std::vector<Readiness> seen;
};

}  // namespace

TEST_CASE("every backend but select reports hangup and error") {
  using net::EventLoopBackend;
  for (EventLoopBackend b :
       {EventLoopBackend::kDefault, EventLoopBackend::kEpoll,
        EventLoopBackend::kKqueue, EventLoopBackend::kPoll,
        EventLoopBackend::kIocp, EventLoopBackend::kWsaPoll}) {
    CAPTURE(net::EventLoopBackendName(b));
    CHECK(net::ReportsHangupAndError(b));
  }
  CHECK_FALSE(net::ReportsHangupAndError(EventLoopBackend::kSelect));
  static_assert(!net::ReportsHangupAndError(EventLoopBackend::kSelect));
}

TEST_CASE_FIXTURE(Watched, "plain data is readable, without hangup or error") {
  Watch(server.native_handle(), Interest::kReadable);
  NET_REQUIRE_OK(client.SendAll(absl::string_view("x")));
  absl::optional<Readiness> r = NextReport();
  REQUIRE(r.has_value());
  CAPTURE(Describe(*r));
  CHECK(r->readable);
  CHECK_FALSE(r->writable);
  CHECK_FALSE(r->hangup);
  CHECK_FALSE(r->error);
}

TEST_CASE_FIXTURE(Watched,
                  "a peer's FIN is readable and hangup, without error") {
  Watch(server.native_handle(), Interest::kReadable);
  SUBCASE("the peer shuts down its write side") {
    NET_REQUIRE_OK(client.Shutdown(net::ShutdownMode::kWrite));
  }
  SUBCASE("the peer closes with nothing unread") {
    NET_REQUIRE_OK(client.Close());
  }
  absl::optional<Readiness> r = NextReport();
  REQUIRE(r.has_value());
  CAPTURE(Describe(*r));
  CHECK(r->readable);
  CHECK(r->hangup == reports());
  CHECK_FALSE(r->error);
  // And the read that the flags announce sees the end of the stream.
  char byte;
  absl::StatusOr<net::IoResult> got = server.Receive(absl::MakeSpan(&byte, 1));
  NET_REQUIRE_OK(got);
  CHECK(got->end_of_stream());
}

TEST_CASE_FIXTURE(Watched,
                  "a peer's FIN is not reported to a write-only registration") {
  // First hear the FIN (read interest), then switch to write only: the
  // socket stays writable, so every wait reports it, never with hangup.
  Watch(server.native_handle(), Interest::kReadable);
  NET_REQUIRE_OK(client.Shutdown(net::ShutdownMode::kWrite));
  absl::optional<Readiness> fin = NextReadable();
  REQUIRE(fin.has_value());
  CHECK(fin->hangup == reports());
  NET_REQUIRE_OK(loop->Modify(id, Interest::kWritable));
  seen.clear();
  for (int i = 0; i < 5; ++i) {
    NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(10)));
  }
  CHECK(!seen.empty());
  for (const Readiness& r : seen) {
    CAPTURE(Describe(r));
    CHECK(r.writable);
    CHECK_FALSE(r.readable);
    CHECK_FALSE(r.hangup);
    CHECK_FALSE(r.error);
  }
}

TEST_CASE_FIXTURE(Watched, "a peer's reset is readable, hangup and error") {
  Watch(server.native_handle(), Interest::kReadable);
  ResetClient();
  absl::optional<Readiness> r = NextReport();
  REQUIRE(r.has_value());
  CAPTURE(Describe(*r));
  CHECK(r->readable);
  CHECK(r->hangup == reports());
  CHECK(r->error == reports());
}

TEST_CASE_FIXTURE(Watched,
                  "a peer's reset is reported to a write-only registration "
                  "as writable, hangup and error") {
  // Hear the reset first (read interest), without reading it, then switch
  // to write only: the error is still pending.
  Watch(server.native_handle(), Interest::kReadable);
  ResetClient();
  REQUIRE(NextReadable().has_value());
  NET_REQUIRE_OK(loop->Modify(id, Interest::kWritable));
  absl::optional<Readiness> r = NextReport();
  REQUIRE(r.has_value());
  CAPTURE(Describe(*r));
  CHECK(r->writable);
  CHECK_FALSE(r->readable);
  CHECK(r->hangup == reports());
  CHECK(r->error == reports());
}

TEST_CASE_FIXTURE(Watched,
                  "a failed connect is reported to write interest as "
                  "writable, hangup and error") {
  net::Socket s = net_test::OpenSocket(net::AddressFamily::kIPv4);
  NET_REQUIRE_OK(s.SetNonBlocking(true));
  absl::Status started = s.Connect(ClosedPort());
  if (!net::IsInProgress(started)) {
    CHECK(net::GetSocketError(started) == net::SocketError::kConnectionRefused);
    NET_SKIP("the connect to a closed loopback port failed at once here: "
             "there is no failure for the loop to report");
  }
  Watch(s.native_handle(), Interest::kWritable);
  absl::optional<Readiness> r = NextReport();
  NET_CHECK_OK(loop->Unwatch(id));  // before `s` closes
  id = 0;
  REQUIRE(r.has_value());
  CAPTURE(Describe(*r));
  CHECK(r->writable);
  CHECK_FALSE(r->readable);
  CHECK(r->hangup == reports());
  CHECK(r->error == reports());
  // And the error that the flags announce is the refusal.
  absl::StatusOr<absl::Status> pending = s.GetOption<net::SocketErrorOption>();
  NET_REQUIRE_OK(pending);
  CHECK(net::GetSocketError(*pending) == net::SocketError::kConnectionRefused);
}
