// Copyright 2026 The net Authors.
//
// A TCP peer that resets the connection while we are sending, on every
// event loop backend (this file is built into the per-backend event loop
// executables: NET_EVENT_LOOP=epoll/poll/select, iocp/wsapoll under wine).
// It proves (shared/RELIABILITY.md):
//
//   C6  the peer resets mid-stream, by closing with SO_LINGER {on, 0} or
//       with our data unread, while we send in a loop: on a blocking and on
//       a non-blocking `Socket` the sends end in kConnectionReset or
//       kBrokenPipe (kConnectionAborted accepted), IsPeerGone() holds, the
//       sends after it fail too, and the next Receive gives kConnectionReset
//       or end of stream; on the loop the reset is reported as error and
//       hang-up readiness (where the backend has them) and the loop does not
//       spin afterwards; a `net::Connection` with a queued write hears of it
//       in exactly one OnError() with that status and no write-completion
//       callback after it.
//   L1  a second Shutdown(kWrite): what socket.h promises (only a socket that
//       is not connected fails, with kNotConnected), on every OS.

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/connection.h"
#include "net/options.h"
#include "tests/test_util.h"

namespace {

using net::Interest;
using net::Readiness;
using net::SocketError;
using net_test::NewLoop;
using net_test::RunIdle;
using net_test::RunUntil;

// How the peer ends the connection.
enum class PeerEnd {
  kLingerZero,  // SO_LINGER {on, 0}, then close: an RST at once
  kUnreadData,  // close with our data unread: the kernel answers with an RST
};
constexpr PeerEnd kPeerEnds[] = {PeerEnd::kLingerZero, PeerEnd::kUnreadData};

const char* Name(PeerEnd how) {
  return how == PeerEnd::kLingerZero ? "linger {on, 0}" : "unread data";
}

// Closes `peer` the way `how` says. No doctest assertion here: it also runs
// on a thread of its own.
absl::Status EndPeerStatus(net::Socket& peer, PeerEnd how) {
  if (how == PeerEnd::kLingerZero) {
    absl::Status s =
        peer.SetOption(net::LingerOption({true, absl::ZeroDuration()}));
    if (!s.ok()) return s;
  }
  return peer.Close();
}
void EndPeer(net::Socket& peer, PeerEnd how) {
  NET_REQUIRE_OK(EndPeerStatus(peer, how));
}

// The errors a send into a reset connection may give.
bool IsSendAfterReset(const absl::Status& s) {
  const SocketError e = net::GetSocketError(s);
  return e == SocketError::kConnectionReset || e == SocketError::kBrokenPipe ||
         e == SocketError::kConnectionAborted;
}

// The next Receive after the failed send: the reset, or the end of the stream
// (Linux hands the reset to the one call that fails and reports end of stream
// after it; wine may report a receive after a reset as the end of the
// stream). Never data, never would-block, never another error.
void CheckReceiveAfterReset(net::Socket& s) {
  char buffer[256];
  absl::StatusOr<net::IoResult> r = s.Receive(absl::MakeSpan(buffer));
  const std::string what =
      r.ok() ? (r->end_of_stream()  ? std::string("end of stream")
                : r->would_block() ? std::string("would block")
                                   : absl::StrCat(r->bytes(), " bytes"))
             : r.status().ToString();
  INFO("receive after the reset: ", what);
  if (r.ok()) {
    CHECK(r->end_of_stream());
  } else {
    const SocketError e = net::GetSocketError(r.status());
    CHECK((e == SocketError::kConnectionReset ||
           e == SocketError::kConnectionAborted));
    CHECK(net::IsPeerGone(r.status()));
  }
}

// Sends 16 KiB chunks on `writer` until a send fails or `limit` passes; a
// non-blocking writer waits for writability between would-blocks and calls
// `on_full()` the first time its buffers are full (a would-block). Returns
// the failure, or OK if every send succeeded until `limit`; `*sent` counts
// the bytes sent.
absl::Status SendUntilFailure(net::Socket& writer,
                              const std::function<void()>& on_full,
                              std::size_t* sent, absl::Duration limit) {
  const std::string chunk(16 * 1024, 'c');
  const absl::Time deadline = absl::Now() + limit;
  bool full = false;
  *sent = 0;
  for (int sends = 0; sends < 100000 && absl::Now() < deadline; ++sends) {
    absl::StatusOr<net::IoResult> r = writer.Send(chunk);
    if (!r.ok()) return r.status();
    if (r->would_block()) {
      if (!full) {
        full = true;
        on_full();
      }
      absl::StatusOr<bool> ready = writer.WaitWritable(absl::Milliseconds(100));
      if (!ready.ok()) return ready.status();
      continue;
    }
    *sent += r->bytes();
  }
  return absl::OkStatus();
}

// A loopback TCP pair {writer, peer} with small buffers (64 KiB to send,
// 64 KiB to receive), which a send loop fills fast.
std::pair<net::Socket, net::Socket> SmallBufferPair() {
  net::Socket writer, peer;
  std::tie(writer, peer) = net_test::TcpPair();
  NET_REQUIRE_OK(writer.SetOption(net::SendBufferSize(64 * 1024)));
  NET_REQUIRE_OK(peer.SetOption(net::ReceiveBufferSize(64 * 1024)));
  return {std::move(writer), std::move(peer)};
}

// The Socket view of C6, for one writer mode and one way the peer ends.
void CheckResetMidSend(bool blocking, PeerEnd how) {
  INFO(std::string(blocking ? "blocking" : "non-blocking"), " writer, peer closes with ",
       Name(how));
  net::Socket writer, peer;
  std::tie(writer, peer) = SmallBufferPair();
  NET_REQUIRE_OK(writer.SetNonBlocking(!blocking));
  // A blocking send that the reset somehow did not end gives up after 5 s
  // rather than hanging the test.
  if (blocking) NET_REQUIRE_OK(writer.SetOption(net::SendTimeout(absl::Seconds(5))));
  // The peer reads a little first, so the reset comes mid-stream, after
  // bytes went through.
  NET_REQUIRE_OK(writer.SendAll(std::string(1000, 'a'), absl::Seconds(5)));
  CHECK(net_test::ReceiveExactly(peer, 1000) == std::string(1000, 'a'));

  std::thread closer;
  absl::Status closed;
  if (blocking) {
    // The writer fills the buffers in far less than this and blocks in
    // send(): the reset must end the blocked call.
    closer = std::thread([&peer, how, &closed] {
      absl::SleepFor(absl::Milliseconds(200));
      closed = EndPeerStatus(peer, how);
    });
  }
  std::size_t sent = 0;
  absl::Status failure = SendUntilFailure(
      writer, [&] { EndPeer(peer, how); }, &sent, absl::Seconds(8));
  if (closer.joinable()) closer.join();
  NET_REQUIRE_OK(closed);
  INFO("sent ", sent, " bytes before: ", failure.ToString());
  REQUIRE_FALSE(failure.ok());
  CHECK(IsSendAfterReset(failure));
  CHECK(net::IsPeerGone(failure));
  // The connection stays dead: the next sends fail as well (never SIGPIPE:
  // net suppresses it on every send).
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<net::IoResult> again = writer.Send(std::string("late"));
    INFO("send after the failure: ", again.status().ToString());
    REQUIRE_FALSE(again.ok());
    CHECK(net::IsPeerGone(again.status()));
  }
  CheckReceiveAfterReset(writer);
}

}  // namespace

TEST_CASE("a peer that resets mid-stream ends a blocking or non-blocking "
          "send loop with reset or broken pipe, and the next receive sees "
          "the reset or end of stream") {
  for (bool blocking : {false, true}) {
    for (PeerEnd how : kPeerEnds) {
      CheckResetMidSend(blocking, how);
    }
  }
}

TEST_CASE("a reset in the middle of a send loop on the event loop is "
          "reported as error and hang-up readiness, and the loop does not "
          "spin") {
  for (PeerEnd how : kPeerEnds) {
    INFO("peer closes with ", Name(how));
    std::unique_ptr<net::EventLoop> loop = NewLoop();
    const bool flags = net::ReportsHangupAndError(loop->backend());
    net::Socket writer, peer;
    std::tie(writer, peer) = SmallBufferPair();
    NET_REQUIRE_OK(writer.SetNonBlocking(true));

    // A writer as a server writes: on each writability, send until
    // would-block. The peer never reads.
    const std::string chunk(16 * 1024, 'w');
    bool full = false;
    int calls = 0, calls_after_failure = 0;
    Readiness at_failure;
    absl::Status failure;
    net::WatchId id = 0;
    absl::StatusOr<net::WatchId> w = loop->Watch(
        writer.native_handle(), Interest::kWritable, [&](Readiness r) {
          ++calls;
          if (!failure.ok()) {
            ++calls_after_failure;
            return;
          }
          for (int i = 0; i < 1000; ++i) {
            absl::StatusOr<net::IoResult> s = writer.Send(chunk);
            if (!s.ok()) {
              failure = s.status();
              at_failure = r;
              // Stop hearing of it, as a server does until it closes.
              NET_CHECK_OK(loop->Modify(id, Interest::kNone));
              return;
            }
            if (s->would_block()) {
              full = true;
              return;
            }
          }
        });
    NET_REQUIRE_OK(w);
    id = *w;
    REQUIRE(RunUntil(*loop, [&] { return full; }, absl::Seconds(10)));
    // Now the writer's buffers are full and its registration armed: the
    // reset is what reports it next.
    EndPeer(peer, how);
    REQUIRE(RunUntil(*loop, [&] { return !failure.ok(); }, absl::Seconds(10)));
    INFO("failed send: ", failure.ToString(), "; readiness then: writable ",
         at_failure.writable, " error ", at_failure.error, " hangup ",
         at_failure.hangup);
    CHECK(IsSendAfterReset(failure));
    CHECK(net::IsPeerGone(failure));
    CHECK(at_failure.writable);  // error sets writable with write interest on
    if (flags) {
      // A reset sets both, whatever the interest (event_loop.h).
      CHECK(at_failure.error);
      CHECK(at_failure.hangup);
    }

    // Paused after the reset: nothing may wake the loop.
    int ran = 0;
    int iterations = RunIdle(*loop, &ran);
    CHECK(calls_after_failure == 0);
    CHECK(ran == 0);
    CHECK(iterations <= 10);

    // Read interest: the callback hears of the dead stream (hang-up where
    // the backend reports it), and the receive gives the reset or the end.
    int read_calls = 0;
    Readiness read_readiness;
    NET_REQUIRE_OK(loop->Unwatch(id));
    w = loop->Watch(writer.native_handle(), Interest::kReadable,
                    [&](Readiness r) {
                      ++read_calls;
                      read_readiness = r;
                      CheckReceiveAfterReset(writer);
                      NET_CHECK_OK(loop->Modify(id, Interest::kNone));
                    });
    NET_REQUIRE_OK(w);
    id = *w;
    REQUIRE(RunUntil(*loop, [&] { return read_calls > 0; }, absl::Seconds(10)));
    CHECK(read_readiness.readable);
    if (flags) CHECK(read_readiness.hangup);
    // Paused again, with a hang-up pending: still no spin.
    ran = 0;
    iterations = RunIdle(*loop, &ran);
    CHECK(read_calls == 1);
    CHECK(ran == 0);
    CHECK(iterations <= 10);
    NET_CHECK_OK(loop->Unwatch(id));
  }
}

TEST_CASE("a connection whose peer resets while a write is queued hears it "
          "in exactly one error callback, with no write callback after it, "
          "and the loop does not spin") {
  for (PeerEnd how : kPeerEnds) {
    INFO("peer closes with ", Name(how));
    std::unique_ptr<net::EventLoop> loop = NewLoop();
    auto [a, peer] = SmallBufferPair();
    absl::StatusOr<net::ConnectionPtr> c =
        net::Connection::Create(*loop, std::move(a));
    NET_REQUIRE_OK(c);
    net::ConnectionPtr connection = *std::move(c);

    std::vector<std::string> events;
    absl::Status error;
    net::ConnectionCallbacks cb;
    cb.on_data = [&](net::Connection&, absl::string_view d) {
      events.push_back("data");
      return d.size();
    };
    cb.on_end_of_stream = [&](net::Connection&) { events.push_back("eof"); };
    cb.on_drain = [&](net::Connection&) { events.push_back("drain"); };
    cb.on_flushed = [&](net::Connection&) { events.push_back("flushed"); };
    cb.on_error = [&](net::Connection&, const absl::Status& s) {
      events.push_back("error");
      error = s;
    };
    connection->SetCallbacks(std::move(cb));
    // 8 MiB into 64 KiB buffers: most of it stays queued.
    connection->Write(std::string(8 << 20, 'q'));
    for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(5)));
    REQUIRE(connection->queued_bytes() > 0);
    events.clear();

    EndPeer(peer, how);
    const bool failed =
        RunUntil(*loop, [&] { return !error.ok(); }, absl::Seconds(5));
    INFO("events after the reset: ", absl::StrJoin(events, ", "),
         "; error: ", error.ToString(), "; open ", connection->is_open(),
         ", queued ", connection->queued_bytes(), ", watches ",
         loop->watch_count());
    REQUIRE(failed);
    // The queue never left (the peer read none of it): no drain, no flush;
    // one error, last.
    CHECK(events == std::vector<std::string>{"error"});
    CHECK(IsSendAfterReset(error));
    CHECK(net::IsPeerGone(error));
    CHECK_FALSE(connection->is_open());
    CHECK_FALSE(connection->can_write());
    CHECK_FALSE(connection->Write(std::string("dropped")));
    CHECK(loop->watch_count() == 0);
    int ran = 0;
    const int iterations = RunIdle(*loop, &ran);
    CHECK(events.size() == 1);
    CHECK(ran == 0);
    CHECK(iterations <= 10);
  }
}

// L1. socket.h: "After kWrite the peer reads end of stream and sends here
// fail with kBrokenPipe. Errors: kNotConnected on a socket that is not
// connected." So a second Shutdown(kWrite) on a connection that is still up
// succeeds (it changes nothing), on every OS; the peer still sees one end of
// stream and can still send to us.
TEST_CASE("a second write shutdown of a connected stream succeeds and "
          "changes nothing") {
  auto [a, b] = net_test::TcpPair();
  NET_REQUIRE_OK(a.Shutdown(net::ShutdownMode::kWrite));
  NET_CHECK_OK(a.Shutdown(net::ShutdownMode::kWrite));
  NET_REQUIRE_OK(b.SetOption(net::ReceiveTimeout(absl::Seconds(5))));
  char buffer[16];
  absl::StatusOr<net::IoResult> r = b.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->end_of_stream());
  // Sends here still fail with kBrokenPipe, after either shutdown.
  absl::StatusOr<net::IoResult> s = a.Send(std::string("x"));
  CHECK(net::GetSocketError(s.status()) == SocketError::kBrokenPipe);
  NET_CHECK_OK(a.Shutdown(net::ShutdownMode::kWrite));
  s = a.Send(std::string("x"));
  CHECK(net::GetSocketError(s.status()) == SocketError::kBrokenPipe);
  // The read side still works.
  NET_REQUIRE_OK(b.SendAll(std::string("back")));
  CHECK(net_test::ReceiveExactly(a, 4) == "back");
}

// After both directions are closed (our FIN, then the peer's, read here), or
// after a reset, the socket is no longer connected: a further
// Shutdown(kWrite) is kNotConnected on POSIX (Linux and BSD drop the
// connected state), OK or kNotConnected on Windows (wine: OK),
// never another error.
TEST_CASE("a write shutdown after the connection ended is OK or not "
          "connected, never another error") {
  for (bool reset : {false, true}) {
    INFO(std::string(reset ? "after a reset" : "after both FINs"));
    auto [a, b] = net_test::TcpPair();
    NET_REQUIRE_OK(a.Shutdown(net::ShutdownMode::kWrite));
    if (reset) {
      NET_REQUIRE_OK(b.SetOption(net::LingerOption({true, absl::ZeroDuration()})));
    }
    NET_REQUIRE_OK(b.Close());
    NET_REQUIRE_OK(a.SetOption(net::ReceiveTimeout(absl::Seconds(5))));
    char buffer[16];
    absl::StatusOr<net::IoResult> r = a.Receive(absl::MakeSpan(buffer));
    const std::string what =
        r.ok() ? std::string(r->end_of_stream() ? "end of stream" : "data")
               : r.status().ToString();
    INFO("receive: ", what);
    CHECK((r.ok() ? r->end_of_stream() : net::IsPeerGone(r.status())));
    absl::Status second = a.Shutdown(net::ShutdownMode::kWrite);
    INFO("second shutdown: ", second.ToString());
    if (net::BackendName() == "posix") {
      // Linux and BSD: the socket is no longer connected.
      CHECK(net::GetSocketError(second) == SocketError::kNotConnected);
    } else {
      CHECK((second.ok() ||
             net::GetSocketError(second) == SocketError::kNotConnected));
    }
    MESSAGE(std::string(reset ? "after a reset" : "after both FINs"),
            ", a second Shutdown(kWrite) gave: ", second.ToString());
  }
}
