// Copyright 2026 The net Authors.
//
// Threads against a running loop, on every event loop backend (built into
// the per-backend event loop executables, and run under ThreadSanitizer by
// scripts/test-tsan.sh). It proves (shared/RELIABILITY.md):
//
//   X6  a storm of Post()s from several threads into a blocking Run() with
//       no timer (a lost wakeup would hang it: a watchdog of the test's own,
//       woken through a socket rather than the loop's wakeup, fails it),
//       with Stop() racing the Posts: every task runs exactly once, in order
//       per thread, and the last one sees all the others done.
//   L4  Disable()/Enable() of a kThreadSafe listener hammered from another
//       thread while Run() accepts a stream of clients: every client is
//       accepted exactly once, none lost after the final Enable(), and no
//       accept callback starts once a Disable() has taken effect (see the
//       test for what that means).
//   X3  two loops on two threads sharing one listening socket: every client
//       is accepted exactly once between them, and the one that finds the
//       backlog already drained says nothing (no error callback).
//   L7  destroying a loop with live watches, due timers and posted tasks
//       runs none of them, destroys their callbacks, and leaves the unowned
//       handles open and working.

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/listener.h"
#include "tests/test_util.h"

namespace {

using net::EventLoop;
using net::Interest;
using net::Listener;
using net::ListenerFlags;
using net::Readiness;
using net_test::NewLoop;

// A bound on any one wait in these tests; generous for ThreadSanitizer and
// wine, far below ctest's timeout.
constexpr absl::Duration kWatchdog = absl::Seconds(30);

// The loopback address a listener is on (REQUIREs success).
net::SocketAddress AddressOf(const Listener& listener) {
  absl::StatusOr<net::SocketAddress> a = listener.LocalAddress();
  NET_REQUIRE_OK(a);
  return *a;
}

// A client connection's own port, which the server sees as the peer's.
// Returns 0 on failure (the caller counts those).
std::uint16_t Connect(const net::SocketAddress& to, net::Socket* out) {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(to.family(), net::SocketType::kStream);
  if (!s.ok()) return 0;
  if (!s->Connect(to, absl::Seconds(10)).ok()) return 0;
  absl::StatusOr<net::SocketAddress> local = s->LocalAddress();
  if (!local.ok()) return 0;
  *out = std::move(*s);
  return local->port();
}

// A watchdog that does not rely on the loop's own wakeup: a TCP pair whose
// read end is watched on the loop. `Fire()` (from any thread) writes a byte;
// the callback then stops the loop, so a loop that lost a Post wakeup still
// returns, and the test fails with a message instead of hanging.
struct SocketWatchdog {
  explicit SocketWatchdog(EventLoop& on) : loop(on) {
    std::tie(poke, watched) = net_test::TcpPair();
    NET_REQUIRE_OK(watched.SetNonBlocking(true));
    absl::StatusOr<net::WatchId> w =
        on.Watch(watched.native_handle(), Interest::kReadable,
                   [this](Readiness) {
                     char b[16];
                     (void)this->watched.Receive(absl::MakeSpan(b));
                     this->loop.Stop();
                   });
    NET_REQUIRE_OK(w);
    id = *w;
  }
  ~SocketWatchdog() { (void)loop.Unwatch(id); }

  // Starts a thread that fires after `limit` unless `done` is notified.
  void Start(absl::Notification* done, absl::Duration limit) {
    thread = std::thread([this, done, limit] {
      if (!done->WaitForNotificationWithTimeout(limit)) {
        fired = true;
        (void)poke.Send(std::string("!"));
      }
    });
  }
  void Join() {
    if (thread.joinable()) thread.join();
  }

  EventLoop& loop;
  net::Socket poke, watched;
  net::WatchId id = 0;
  std::thread thread;
  std::atomic<bool> fired{false};
};

}  // namespace

TEST_CASE("a Post storm from 4 threads into a blocking Run with Stop racing "
          "it runs every task once, in order per thread, and never loses a "
          "wakeup") {
  std::unique_ptr<EventLoop> loop = NewLoop();
  constexpr int kThreads = 4;
  constexpr int kTasks = 5000;
  // Loop thread only (tasks run there).
  net_test::PostOrder order(kThreads);
  int total_at_last = -1;
  // Written by the last task (loop thread), read after Run returns.
  bool last_ran = false;

  SocketWatchdog watchdog(*loop);
  absl::Notification done;
  std::atomic<int> posters_left{kThreads};
  std::atomic<bool> posting{true};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTasks; ++i) {
        loop->Post([&order, t, i] { order.Ran(t, i); });
        // Now and then let the loop catch up and block in its wait, so
        // that later Posts must wake it.
        if (i % 500 == 499) absl::SleepFor(absl::Milliseconds(1));
      }
      // The last poster's final task is ordered after every task of every
      // thread (each posted before its thread's decrement): it must see
      // them all, then it stops the loop.
      if (posters_left.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        posting = false;
        loop->Post([&] {
          total_at_last = order.total();
          last_ran = true;
          loop->Stop();
        });
      }
    });
  }
  // Stop races the Posts: each makes Run() return early, and Run() goes
  // on again below.
  std::atomic<int> stops{0};
  std::thread stopper([&] {
    while (posting && stops < 200) {
      loop->Stop();
      ++stops;
      absl::SleepFor(absl::Microseconds(200));
    }
  });
  watchdog.Start(&done, kWatchdog);
  int runs = 0;
  // Run() blocks with no timer: only Posts (and Stop) can wake it.
  while (!last_ran && !watchdog.fired) {
    NET_REQUIRE_OK(loop->Run());
    ++runs;
  }
  done.Notify();
  watchdog.Join();
  for (std::thread& t : threads) t.join();
  stopper.join();
  INFO("Run() returned ", runs, " times; ", stops.load(), " racing Stop()s; ",
       order.total(), " of ", kThreads * kTasks, " tasks ran");
  REQUIRE_FALSE(watchdog.fired);  // a lost wakeup: Run() slept through Posts
  CHECK(last_ran);
  CHECK(total_at_last == kThreads * kTasks);
  CHECK(order.total() == kThreads * kTasks);
  CHECK(order.in_order());
  for (int t = 0; t < kThreads; ++t) CHECK(order.last(t) == kTasks - 1);
}

// L4. What "a Disable() has taken effect" means: listener.h makes
// Disable() of a kThreadSafe listener post its change to the loop, and Post
// keeps order, so a task posted after Disable() returns runs after the
// change is applied. From when that task runs until the next Enable() is
// called, no accept callback may start. (Between Disable() returning and
// that task, one may: the loop may be in the middle of an accept.)
TEST_CASE("a thread-safe listener disabled and enabled from another thread "
          "while Run accepts a stream of clients accepts each exactly once "
          "and none while disabled") {
  std::unique_ptr<EventLoop> loop = NewLoop();
  constexpr int kClients = 150;
  // Loop thread only.
  std::vector<std::uint16_t> accepted_ports;
  std::vector<net::Socket> accepted;
  // Set by the marker task after a Disable() (loop thread), cleared by the
  // hammer before Enable().
  std::atomic<bool> disabled_applied{false};
  std::atomic<int> violations{0};
  std::atomic<int> accepted_count{0};
  int errors = 0;

  absl::StatusOr<std::unique_ptr<Listener>> bound = Listener::Bind(
      *loop,
      net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0),
      [&](net::Socket s, const net::SocketAddress& peer) {
        if (disabled_applied) ++violations;
        accepted_ports.push_back(peer.port());
        accepted.push_back(std::move(s));
        ++accepted_count;
      },
      {.flags = ListenerFlags::kThreadSafe});
  NET_REQUIRE_OK(bound);
  std::unique_ptr<Listener> listener = *std::move(bound);
  listener->SetErrorCallback([&](const absl::Status&) { ++errors; });
  const net::SocketAddress address = AddressOf(*listener);

  // Clients: connect one by one, keeping each open (so its port stays its
  // own), a short pause now and then.
  std::vector<std::uint16_t> client_ports;
  std::vector<net::Socket> clients(kClients);
  std::atomic<bool> clients_done{false};
  std::atomic<int> connect_failures{0};
  std::thread client_thread([&] {
    for (int i = 0; i < kClients; ++i) {
      const std::uint16_t port = Connect(address, &clients[i]);
      if (port == 0) {
        ++connect_failures;
      } else {
        client_ports.push_back(port);
      }
      if (i % 10 == 9) absl::SleepFor(absl::Milliseconds(2));
    }
    clients_done = true;
  });

  // The hammer: Disable, wait for it to take effect, hold a moment, Enable,
  // until the clients are all in (and at least 20 rounds).
  int rounds = 0;
  int marker_timeouts = 0;
  absl::Status hammer_status;
  std::thread hammer([&] {
    const absl::Time end = absl::Now() + kWatchdog;
    while ((!clients_done || rounds < 20) && absl::Now() < end) {
      absl::Status s = listener->Disable();
      if (!s.ok()) hammer_status = s;
      auto applied = std::make_shared<absl::Notification>();
      loop->Post([&disabled_applied, applied] {
        disabled_applied = true;
        applied->Notify();
      });
      if (!applied->WaitForNotificationWithTimeout(absl::Seconds(10))) {
        ++marker_timeouts;
      }
      absl::SleepFor(absl::Microseconds(300 * (rounds % 4)));
      disabled_applied = false;
      s = listener->Enable();
      if (!s.ok()) hammer_status = s;
      absl::SleepFor(absl::Microseconds(200 * (rounds % 3)));
      ++rounds;
    }
    // Ends enabled; then wait for the backlog to be accepted, and stop.
    const absl::Time accept_end = absl::Now() + absl::Seconds(10);
    while (accepted_count < kClients - connect_failures &&
           absl::Now() < accept_end) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    loop->Post([&] { loop->Stop(); });
  });
  // The hammer stops the loop in any case (its loops are bounded in time).
  NET_REQUIRE_OK(loop->Run());
  client_thread.join();
  hammer.join();

  INFO(rounds, " disable/enable rounds; ", accepted_ports.size(),
       " accepted of ", client_ports.size(), " connected (",
       connect_failures.load(), " connect failures)");
  NET_CHECK_OK(hammer_status);
  CHECK(marker_timeouts == 0);
  CHECK(connect_failures == 0);
  CHECK(violations == 0);
  CHECK(errors == 0);
  CHECK(rounds >= 20);
  CHECK(listener->enabled());
  // Exactly once each: same multiset of ports.
  std::multiset<std::uint16_t> got(accepted_ports.begin(), accepted_ports.end());
  std::multiset<std::uint16_t> want(client_ports.begin(), client_ports.end());
  CHECK(got.size() == want.size());
  CHECK(got == want);
  CHECK(std::set<std::uint16_t>(got.begin(), got.end()).size() == got.size());
}

TEST_CASE("two loops on two threads sharing one listening socket accept "
          "every client exactly once between them, with no error callback") {
  constexpr int kClients = 200;
  net::Socket shared = net_test::Listen();
  const net::SocketAddress address = net_test::LocalAddressOf(shared);

  struct Side {
    std::unique_ptr<EventLoop> loop;
    std::vector<std::uint16_t> ports;  // its thread only, read after join
    std::vector<net::Socket> sockets;
    std::atomic<int> errors{0};
    absl::Status setup;
    std::uint64_t accept_calls = 0;
    std::thread thread;
  };
  Side sides[2];
  std::atomic<int> total{0};
  absl::Notification ready[2];
  for (Side& side : sides) side.loop = NewLoop();
  for (int i = 0; i < 2; ++i) {
    Side& side = sides[i];
    side.thread = std::thread([&, i] {
      // Each loop adopts the same (already listening) handle, without
      // kCloseOnFree: the listener releases it, the test closes it.
      absl::StatusOr<std::unique_ptr<Listener>> listener;
      absl::StatusOr<net::Socket> handle =
          net::Socket::Adopt(shared.native_handle());
      if (handle.ok()) {
        net::ListenerOptions options;
        options.backlog = 0;  // already listening
        listener = Listener::Adopt(
            *side.loop, *std::move(handle),
            [&side, &total](net::Socket s, const net::SocketAddress& peer) {
              side.ports.push_back(peer.port());
              side.sockets.push_back(std::move(s));
              ++total;
            },
            options);
        if (listener.ok()) {
          (*listener)->SetErrorCallback(
              [&side](const absl::Status&) { ++side.errors; });
        }
      } else {
        listener = handle.status();
      }
      side.setup = listener.status();
      ready[i].Notify();
      if (listener.ok()) {
        side.setup = side.loop->Run();
        side.accept_calls = (*listener)->accept_calls();
        listener->reset();  // on its loop thread
      }
    });
  }
  for (absl::Notification& n : ready) n.WaitForNotification();
  // Clients from 4 threads at once, so that both loops wake for the same
  // connections and race for them.
  constexpr int kClientThreads = 4;
  std::vector<std::uint16_t> ports_of[kClientThreads];
  std::vector<net::Socket> clients(kClients);
  std::atomic<int> connect_failures{0};
  std::vector<std::thread> connecting;
  for (int t = 0; t < kClientThreads; ++t) {
    connecting.emplace_back([&, t] {
      for (int i = t; i < kClients; i += kClientThreads) {
        const std::uint16_t port = Connect(address, &clients[i]);
        if (port == 0) {
          ++connect_failures;
        } else {
          ports_of[t].push_back(port);
        }
      }
    });
  }
  for (std::thread& t : connecting) t.join();
  std::vector<std::uint16_t> client_ports;
  for (const auto& ports : ports_of) {
    client_ports.insert(client_ports.end(), ports.begin(), ports.end());
  }
  const absl::Time end = absl::Now() + kWatchdog;
  while (total < kClients - connect_failures && absl::Now() < end) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  // Let a late, redundant wakeup of either loop find nothing.
  absl::SleepFor(absl::Milliseconds(50));
  for (Side& side : sides) side.loop->Stop();
  for (Side& side : sides) side.thread.join();
  NET_CHECK_OK(shared.Close());

  for (Side& side : sides) NET_CHECK_OK(side.setup);
  INFO("accepted ", sides[0].ports.size(), " + ", sides[1].ports.size(),
       " of ", client_ports.size());
  CHECK(connect_failures == 0);
  // Every wakeup ends with an accept that finds nothing (the silent path).
  // On io_uring the kernel's multishot accept makes no empty accepts.
  if (sides[0].loop->backend() != net::EventLoopBackend::kIoUring) {
    CHECK(sides[0].accept_calls + sides[1].accept_calls >
          sides[0].ports.size() + sides[1].ports.size());
  }
  CHECK(sides[0].errors == 0);
  CHECK(sides[1].errors == 0);
  std::multiset<std::uint16_t> got(sides[0].ports.begin(), sides[0].ports.end());
  got.insert(sides[1].ports.begin(), sides[1].ports.end());
  std::multiset<std::uint16_t> want(client_ports.begin(), client_ports.end());
  CHECK(got == want);
  CHECK(std::set<std::uint16_t>(got.begin(), got.end()).size() == got.size());
  MESSAGE("loop 0 accepted ", sides[0].ports.size(), " in ",
          sides[0].accept_calls, " accept calls, loop 1 accepted ",
          sides[1].ports.size(), " in ", sides[1].accept_calls);
}

TEST_CASE("destroying a loop with live watches, due timers and posted tasks "
          "runs none of them and leaves the handles open") {
  const int fds_before = net_test::OpenDescriptorCount();
  net::Socket client, server;
  std::tie(client, server) = net_test::TcpPair();
  NET_REQUIRE_OK(server.SetNonBlocking(true));
  int ran = 0;
  // Every callback holds a reference: destroying the loop must drop them
  // all (destroy the callbacks), without calling one.
  auto token = std::make_shared<int>(0);
  {
    std::unique_ptr<EventLoop> loop = NewLoop();
    // Readable (data waiting) and writable: both would fire at once.
    NET_REQUIRE_OK(client.SendAll(std::string("pending")));
    NET_REQUIRE_OK(loop->Watch(server.native_handle(), Interest::kReadable,
                               [&ran, token](Readiness) { ++ran; }));
    NET_REQUIRE_OK(loop->Watch(client.native_handle(), Interest::kWritable,
                               [&ran, token](Readiness) { ++ran; }));
    // Due timers (zero delay and already past), a later one, a repeating
    // one.
    loop->AddTimer(absl::ZeroDuration(), [&ran, token] { ++ran; });
    loop->AddTimer(absl::Milliseconds(1), [&ran, token] { ++ran; });
    loop->AddTimer(absl::Hours(1), [&ran, token] { ++ran; });
    loop->AddRepeatingTimer(absl::Milliseconds(1), [&ran, token] { ++ran; });
    // Posted tasks, from this thread and another.
    for (int i = 0; i < 3; ++i) loop->Post([&ran, token] { ++ran; });
    std::thread([&loop, &ran, token] {
      for (int i = 0; i < 3; ++i) loop->Post([&ran, token] { ++ran; });
    }).join();
    absl::SleepFor(absl::Milliseconds(20));  // the timers are due
    CHECK(loop->watch_count() == 2);
    CHECK(loop->timer_count() == 4);
    CHECK(token.use_count() > 1);
  }
  CHECK(ran == 0);
  CHECK(token.use_count() == 1);  // every callback destroyed
  // The sockets are still open and work both ways: the data waiting is
  // there, and more goes through.
  CHECK(server.is_open());
  CHECK(client.is_open());
  NET_REQUIRE_OK(server.SetNonBlocking(false));
  CHECK(net_test::ReceiveExactly(server, 7) == "pending");
  NET_REQUIRE_OK(server.SendAll(std::string("back")));
  CHECK(net_test::ReceiveExactly(client, 4) == "back");
  // And the loop's own descriptors are gone (POSIX: /proc/self/fd where
  // there is one; a Windows process's handle count moves on its own).
  client = net::Socket();
  server = net::Socket();
#ifndef _WIN32
  if (fds_before >= 0) CHECK(net_test::OpenDescriptorCount() == fds_before);
#else
  (void)fds_before;
#endif
}
