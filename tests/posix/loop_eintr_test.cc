// Copyright 2026 The net Authors.
//
// EINTR: signals arriving while the loop waits (handler installed without
// SA_RESTART, so epoll_wait/poll/select fail with EINTR) must neither stop
// the loop nor lose a timer or an I/O event. Built into every POSIX event
// loop executable.

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <memory>
#include <thread>

#include "absl/time/clock.h"
#include "tests/test_util.h"

namespace {

std::atomic<int> g_signals{0};
void CountSignal(int) { g_signals.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

TEST_CASE("signals interrupting the wait (EINTR) do not disturb the loop") {
  struct sigaction action {};
  struct sigaction saved {};
  action.sa_handler = CountSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: the wait fails with EINTR
  REQUIRE(sigaction(SIGUSR1, &action, &saved) == 0);

  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop = net::EventLoop::Create();
  NET_REQUIRE_OK(loop);
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(server.SetNonBlocking(true));
  bool got_data = false;
  absl::StatusOr<net::WatchId> w = (*loop)->Watch(
      server.native_handle(), net::Interest::kReadable, [&](net::Readiness) {
        char b[16];
        absl::StatusOr<net::IoResult> r = server.Receive(absl::MakeSpan(b));
        if (r.ok() && r->bytes() > 0) got_data = true;
      });
  NET_REQUIRE_OK(w);
  // The loop ends once the 300 ms timer has fired and the data has come,
  // whichever is later (on a loaded machine the 100 one-millisecond sleeps
  // before the send can take longer than the timer); 10 s at most.
  int timer_runs = 0;
  (*loop)->AddTimer(absl::Milliseconds(300), [&] { ++timer_runs; });
  (*loop)->AddTimer(absl::Seconds(10), [&] { (*loop)->Stop(); });
  (*loop)->AddRepeatingTimer(absl::Milliseconds(5), [&] {
    if (timer_runs == 1 && got_data) (*loop)->Stop();
  });

  const pthread_t loop_thread = pthread_self();
  std::atomic<bool> done{false};
  std::thread pest([&] {
    for (int i = 0; i < 5000 && !done.load(); ++i) {
      pthread_kill(loop_thread, SIGUSR1);
      absl::SleepFor(absl::Milliseconds(1));
      if (i == 100) client.SendAll(std::string("ping")).IgnoreError();
    }
  });
  absl::Status run = (*loop)->Run();
  done = true;
  pest.join();
  sigaction(SIGUSR1, &saved, nullptr);
  NET_CHECK_OK(run);
  CHECK(timer_runs == 1);
  CHECK(got_data);
  CHECK(g_signals.load() > 0);
  NET_CHECK_OK((*loop)->Unwatch(*w));
}
