// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/test_util.h
// -----------------------------------------------------------------------------
//
// Helpers shared by the tests: run-time skips that say why, status checks
// that print the status, and loopback fixtures (port 0 always).

#ifndef NET_TESTS_TEST_UTIL_H_
#define NET_TESTS_TEST_UTIL_H_

#include <doctest/doctest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/net.h"

// NET_SKIP(reason)
//
// Ends the current test case as skipped: prints "[net-skip] <reason>" (which
// ctest's SKIP_REGULAR_EXPRESSION counts) and returns.
#define NET_SKIP(reason)                          \
  do {                                            \
    ::net_test::PrintSkip(reason);                \
    return;                                       \
  } while (false)

// Checks that a Status / StatusOr is OK; on failure doctest prints the
// status. (No INFO here: doctest's INFO inside a std::thread crashes at
// thread exit in the mingw-w64 build, in winpthreads' TLS cleanup.)
#define NET_CHECK_OK(expr) \
  CHECK_EQ(::net_test::StatusOf(expr).ToString(), std::string("OK"))
#define NET_REQUIRE_OK(expr) \
  REQUIRE_EQ(::net_test::StatusOf(expr).ToString(), std::string("OK"))

namespace net_test {

void PrintSkip(const std::string& reason);

inline absl::Status StatusOf(const absl::Status& s) { return s; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

// A new socket (REQUIREs success).
net::Socket OpenSocket(net::AddressFamily family = net::AddressFamily::kIPv4,
                       net::SocketType type = net::SocketType::kStream,
                       int protocol = 0);

// A TCP listener on 127.0.0.1 (or ::1), port 0.
net::Socket Listen(net::AddressFamily family = net::AddressFamily::kIPv4,
                   net::SocketType type = net::SocketType::kStream);

// A loopback address of `family` where nothing listens (or, for a datagram
// type, nothing is bound): bound, then closed. Another process could take
// the port in between; the window is tiny and the tests run on loopback.
net::SocketAddress ClosedPort(
    net::AddressFamily family = net::AddressFamily::kIPv4,
    net::SocketType type = net::SocketType::kStream);

// A loop of the backend under test: the one NET_EVENT_LOOP names when ctest
// sets it (REQUIREd to be the one created), else the default.
std::unique_ptr<net::EventLoop> NewLoop();

// Runs `loop` in waits of up to 50 ms until `done()` or `limit` passes;
// returns done().
template <typename Done>
bool RunUntil(net::EventLoop& loop, Done done,
              absl::Duration limit = absl::Seconds(20)) {
  const absl::Time deadline = absl::Now() + limit;
  while (!done() && absl::Now() < deadline) {
    absl::StatusOr<int> ran = loop.RunOnce(absl::Milliseconds(50));
    NET_REQUIRE_OK(ran);
  }
  return done();
}

// Polls `done()` every 5 ms (for what another thread does, without a loop
// to run) until it is true or `limit` passes; returns done().
template <typename Done>
bool WaitFor(Done done, absl::Duration limit = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + limit;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// The address a socket is bound to (REQUIREs success).
net::SocketAddress LocalAddressOf(const net::Socket& s);

// A connected TCP pair over loopback: {client, server side}.
std::pair<net::Socket, net::Socket> TcpPair(
    net::AddressFamily family = net::AddressFamily::kIPv4);

// The value of option `O` on `s` (REQUIREs success).
template <typename O>
typename O::Value OptionOf(const net::Socket& s) {
  absl::StatusOr<typename O::Value> value = s.GetOption<O>();
  NET_REQUIRE_OK(value);
  return *std::move(value);
}

// For each of `values` in turn: `(s.*set)(value)` succeeds and `(s.*get)()`
// reads the value back (`SetNonBlocking` / `IsNonBlocking` ...).
template <typename T>
void CheckRoundTrips(net::Socket& s, absl::Status (net::Socket::*set)(T),
                     absl::StatusOr<T> (net::Socket::*get)() const,
                     std::initializer_list<T> values) {
  for (const T& want : values) {
    CAPTURE(want);
    NET_REQUIRE_OK((s.*set)(want));
    absl::StatusOr<T> got = (s.*get)();
    NET_REQUIRE_OK(got);
    CHECK(*got == want);
  }
}

// True if an IPv6 socket can bind ::1 here.
bool HaveIPv6();

// A fresh path for a unix-domain socket in a temporary directory.
std::string TempSocketPath(const std::string& tag);

// Receives exactly `n` bytes (blocking socket).
std::string ReceiveExactly(net::Socket& s, std::size_t n);

// Sends `text` (REQUIREd to succeed) and reads back as many bytes as it
// has, within 10 s: what came back (shorter if the peer ended or went
// quiet).
std::string RoundTrip(net::Socket& s, absl::string_view text);

// The process's open descriptors (Linux: /proc/self/fd; Windows: its handle
// count) and threads (Linux: /proc/self/task), or -1 where this OS does not
// tell.
int OpenDescriptorCount();
int ThreadCount();

// Runs `loop` for 200 ms in waits of up to 50 ms. Returns the number of
// iterations (a loop with nothing to do makes about 4, a spinning one
// thousands) and adds the callbacks, timers and tasks run to `*ran`.
int RunIdle(net::EventLoop& loop, int* ran);

// The thread pool's echo of a net::Server: until end of stream, an error or
// kCancelled.
void EchoWorker(net::ServerStream& s);

// Tasks Posted from several threads, each numbering its own from 0: counts
// them and whether each thread's arrived in the order it posted them. Call
// Ran() from the task (on the loop thread only).
class PostOrder {
 public:
  explicit PostOrder(int threads) : last_(threads, -1) {}
  void Ran(int thread, int i) {
    if (last_[thread] != i - 1) in_order_ = false;
    last_[thread] = i;
    ++total_;
  }
  int total() const { return total_; }
  bool in_order() const { return in_order_; }
  int last(int thread) const { return last_[thread]; }  // -1: none yet

 private:
  std::vector<int> last_;
  int total_ = 0;
  bool in_order_ = true;
};

// A non-blocking IPv4 connect held in progress: a listener with backlog 0
// on 127.0.0.1 is filled with connections nobody accepts until one stays
// unanswered for 200 ms (Linux, and wine whose sockets are Linux's, drop
// the SYN of a full backlog and retry it after a second). Where a full
// backlog refuses instead (Windows), `skip` says so and `pending` is closed.
struct HeldConnect {
  net::Socket listener;
  net::SocketAddress where;        // the listener's address
  std::vector<net::Socket> queued;  // the connections that filled it
  net::Socket pending;             // the connect still under way
  absl::Time started;              // when `pending`'s connect began
  std::string skip;                // why there is none, if there is none
};
HeldConnect ConnectIntoFullBacklog();

}  // namespace net_test

#endif  // NET_TESTS_TEST_UTIL_H_
