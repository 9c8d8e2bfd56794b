// Copyright 2026 The net Authors.
//
// The load generator of bench/: one client, written directly on epoll (not
// on `net`), so that every server is measured with the same client.
//
//   load --connect ADDR:PORT [--connect ADDR:PORT ...] --case CASE [options]
//
// With several --connect, the servers are measured interleaved in one run:
// time is cut into slices (`--slice`, 0.1 s) that go to each server in
// turn, so slow drifts of a shared machine fall on every server alike (see
// `Schedule`, bench/load_common.h, shared with bench/tls_load.cc); `--warmup`
// and `--seconds` are then per server. Without, it is one warm-up + counted
// window.
//
// Cases (each bounded: `--warmup` seconds not counted, then `--seconds`
// counted; the whole run is cut off by an alarm well after that):
//
//   pingpong  --conns C --size M: C connections each send M bytes and wait
//             for the whole echo before sending again. Round trips/s.
//             With --session R (issue 14), a connection ends its session
//             after R round trips: it closes and a new one connects in its
//             place (non-blocking connect, its first message sent at once),
//             so a thread-per-connection server with fewer workers than C
//             connections serves them all in turn instead of leaving the
//             rest in its backlog for good. The reconnect is part of the
//             measured time; the new connections come from `--sources`
//             loopback addresses, as in the accept case (a session's close
//             leaves the client's end in TIME_WAIT). A connection that
//             fails counts an error and connects again at its server's
//             next turn. The line adds `sessions=` (sessions completed in
//             the counted window). Without --session (0) the C connections
//             are made once, before the schedule, and kept.
//   stream    --size M: one connection sends M-byte chunks as fast as the
//             socket takes them and reads the echo concurrently. MB/s
//             (10^6 bytes/s) of echo received.
//   accept    --inflight K: K connections at a time each connect, send one
//             byte, read it back and close. Connections/s. The client
//             closes first, so its side of each connection waits in
//             TIME_WAIT for a minute: at tens of thousands of connections a
//             second the 28,000 ephemeral ports of one source address fill
//             up, and connect() spends its time searching for a free one
//             (the rate halves, whatever the server). So the connections
//             come from `--sources N` (default 32) loopback addresses,
//             127.0.0.1 to 127.0.0.N, in turn; the server sees the normal
//             close, and nothing leaves the loopback interface.
//   idle      --conns C --server-pid PID [--echo B]: one connection echoes
//             one byte (the server's first-use costs), the server's VmRSS
//             is read, then C more connections each echo B bytes (default
//             1) and stay open, and VmRSS is read again. Bytes of RSS per
//             idle connection. With --echo 0 the connections never send a
//             byte: VmRSS is read once the server holds them all (its
//             descriptor count, /proc/PID/fd, says when it accepted them).
//
// With --io-uring (issue 19; built only with liburing-dev, else the option
// fails and says so), pingpong (without --session) and stream run on one
// io_uring ring instead of epoll: multishot receives into one shared
// provided-buffer ring, each message sent as one SQE, one batched
// io_uring_enter per iteration (--uring-wait N completions, default 16, at
// most an eighth of those outstanding; --uring-min-wait-us U, default 10:
// after U µs one is enough, Linux 6.12+). The client then spends less CPU
// per message than the epoll one, so a server faster than the epoll loop
// is not held back by it. The line adds `client=io_uring ring=<mode>`.
// accept and idle stay on epoll.
//
// With --server-pid (one per --connect), the throughput cases also report
// the server's CPU time over the counted window (from /proc/PID/schedstat):
// `server_cpu` in cores (while in its turns) and `server_ns_per_op`,
// nanoseconds of server CPU per round trip, connection or echoed chunk. Where the client is the bottleneck (one core
// each), that, not the rate, tells the servers apart.
//
// Prints one line on standard output per server (with several, each
// starting with "target=K ", K the --connect's position from 0):
//
//   value=<number> unit=<unit> errors=<n> [more key=value pairs]
//
// where `errors` counts connections that failed or closed early; a result
// with errors is not a clean measurement. Loopback only: the address must be
// in 127.0.0.0/8 or ::1.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common.h"
#include "load_common.h"
#ifdef BENCH_HAVE_LIBURING
#include "uring_common.h"
#endif

namespace {

using bench::Clock;
using bench::ConnectBlocking;
using bench::ConnectStart;
using bench::CountDescriptors;
using bench::IsLoopback;
using bench::ReadRssKiB;
using bench::Report;
using bench::Schedule;
using bench::SecondsSince;
using bench::SetNoDelay;
using bench::SetNonBlocking;
using bench::SocketOpener;
using bench::StartConnect;
using bench::Target;

// bench::LoadOptions and this program's own.
struct Options : bench::LoadOptions {
  long session = 0;  // pingpong: round trips per connection; 0: one session
  bool io_uring = false;     // --io-uring: pingpong and stream on io_uring
  int uring_wait = 16;       // --uring-wait: completions to wait for
  int uring_min_wait_us = 10;  // --uring-min-wait-us
};

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "load: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

[[noreturn]] void Usage() {
  bench::LoadUsage(
      "load", "pingpong|stream|accept|idle",
      {"[--slice S] [--inflight K] [--sources N] [--echo B]",
       "[--session R]",
       "[--io-uring [--uring-wait N] [--uring-min-wait-us U]]",
       "  (pingpong without --session and stream on one io_uring ring;",
       "   accept and idle stay on epoll)"});
}

// Sends `n` bytes and waits for all of them to come back on a blocking
// socket.
bool Echo(int fd, std::size_t n) {
  std::vector<char> bytes(n, 'x');
  if (send(fd, bytes.data(), n, MSG_NOSIGNAL) != static_cast<ssize_t>(n)) {
    return false;
  }
  for (std::size_t got = 0; got < n;) {
    const ssize_t r = recv(fd, bytes.data(), n - got, 0);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

// --- pingpong ---------------------------------------------------------------

int PingPong(const Options& o) {
  struct Conn {
    int fd = -1;
    int target = 0;
    bool busy = false;       // a message is out, its echo not all back
    std::size_t received = 0;
    std::size_t unsent = 0;  // bytes of the current message not sent yet
    long trips = 0;          // --session: round trips in this session
  };
  const int targets = static_cast<int>(o.targets.size());
  const bool sessions = o.session > 0;
  std::vector<Conn> conns(static_cast<std::size_t>(targets) * o.conns);
  std::vector<long> errors(targets, 0);
  std::vector<std::uint64_t> sessions_done(targets, 0);
  std::string first_error;  // --session: what went wrong first
  long no_port = 0;         // --session: connects that found no free port
  std::vector<char> message(o.size, 'p');
  std::vector<char> scratch(bench::kBufferSize);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  for (std::size_t i = 0; i < conns.size(); ++i) {
    Conn& c = conns[i];
    c.target = static_cast<int>(i / static_cast<std::size_t>(o.conns));
    if (sessions) continue;  // connected at their server's turn
    c.fd = ConnectBlocking(o.targets[c.target]);
    if (c.fd < 0) Die("connect");
    SetNoDelay(c.fd);
    SetNonBlocking(c.fd);
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u32 = static_cast<std::uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &e);
  }
  auto fail = [&](Conn& c) {
    ++errors[c.target];
    if (sessions && first_error.empty()) {
      first_error = errno == 0 ? "end_of_stream" : std::strerror(errno);
      for (char& ch : first_error) ch = ch == ' ' ? '_' : ch;
    }
    close(c.fd);  // also leaves the epoll set
    c.fd = -1;
  };
  // Sends the rest of the current message; switches to EPOLLOUT if the
  // socket does not take it all (never expected for these sizes).
  auto send_rest = [&](Conn& c, std::uint32_t index) {
    while (c.unsent > 0) {
      const ssize_t w = send(c.fd, message.data() + (o.size - c.unsent),
                             c.unsent, MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EINTR) continue;
        // ENOTCONN, EAGAIN: a --session connection still connecting.
        if (errno != EAGAIN && errno != ENOTCONN) return fail(c);
        epoll_event e{};
        e.events = EPOLLIN | EPOLLOUT;
        e.data.u32 = index;
        epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &e);
        return;
      }
      c.unsent -= static_cast<std::size_t>(w);
    }
  };
  auto start = [&](Conn& c, std::uint32_t index) {
    c.busy = true;
    c.received = 0;
    c.unsent = o.size;
    send_rest(c, index);
  };
  // --session: a new connection in the place of `c` (non-blocking connect
  // from the next source address), and its first message.
  SocketOpener opener(o.sources);
  auto open = [&](Conn& c, std::uint32_t index) {
    const Target& target = o.targets[c.target];
    c.fd = opener.Open(target, Die);
    c.busy = false;
    c.trips = 0;
    SetNoDelay(c.fd);
    switch (StartConnect(&c.fd, target, &no_port)) {
      case ConnectStart::kStarted: break;
      case ConnectStart::kNoPort: return;  // again at the next turn
      case ConnectStart::kFailed: return fail(c);
    }
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u32 = index;
    epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &e);
    start(c, index);  // waits for EPOLLOUT while the handshake runs
  };
  // Every idle connection of `target` sends a message (--session: every
  // closed one connects again first).
  auto start_target = [&](int target) {
    const std::size_t first = static_cast<std::size_t>(target) * o.conns;
    for (std::size_t i = first; i < first + static_cast<std::size_t>(o.conns); ++i) {
      if (conns[i].fd >= 0 && !conns[i].busy) {
        start(conns[i], static_cast<std::uint32_t>(i));
      } else if (sessions && conns[i].fd < 0) {
        open(conns[i], static_cast<std::uint32_t>(i));
      }
    }
  };

  Schedule schedule(o);
  start_target(schedule.active());
  std::vector<epoll_event> events(1024);
  while (schedule.Tick()) {
    if (schedule.TakeSwitch()) start_target(schedule.active());
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()),
                             schedule.TimeoutMs());
    if (n < 0 && errno != EINTR) Die("epoll_wait");
    for (int k = 0; k < n; ++k) {
      const std::uint32_t index = events[k].data.u32;
      Conn& c = conns[index];
      if (c.fd < 0) continue;
      if ((events[k].events & EPOLLOUT) != 0 && c.unsent > 0) {
        send_rest(c, index);
        if (c.fd < 0) continue;
        if (c.unsent == 0) {
          epoll_event e{};
          e.events = EPOLLIN;
          e.data.u32 = index;
          epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &e);
        }
      }
      if ((events[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) == 0) continue;
      const ssize_t r = recv(c.fd, scratch.data(), scratch.size(), 0);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (r <= 0) {
        if (r == 0) errno = 0;
        fail(c);
        continue;
      }
      c.received += static_cast<std::size_t>(r);
      if (c.received < o.size) continue;
      if (c.received > o.size) {  // the server echoed more than was sent
        fail(c);
        continue;
      }
      schedule.Count(c.target);
      c.busy = false;
      if (sessions && ++c.trips >= o.session) {
        // The session is over: close, and connect again at once if it is
        // this server's turn (else at its next turn).
        close(c.fd);
        c.fd = -1;
        if (schedule.counting()) ++sessions_done[c.target];
        if (c.target == schedule.active()) open(c, index);
        continue;
      }
      if (c.target == schedule.active()) start(c, index);
    }
  }
  for (Conn& c : conns) {
    if (c.fd >= 0) close(c.fd);
  }
  close(ep);
  for (int t = 0; t < targets; ++t) {
    const double ops = static_cast<double>(schedule.ops(t));
    std::string extra = "count=" + std::to_string(schedule.ops(t));
    if (sessions) {
      extra += " session=" + std::to_string(o.session) +
               " sessions=" + std::to_string(sessions_done[t]) +
               " no_port=" + std::to_string(no_port) +
               (first_error.empty() ? "" : " first_error=" + first_error);
    }
    Report(t, targets, schedule.rate(t), "rt/s", errors[t],
           extra + schedule.Cpu(t, ops));
  }
  return 0;
}

// --- stream -----------------------------------------------------------------

int Stream(const Options& o) {
  struct Conn {
    int fd = -1;
    bool open = true;
    std::size_t offset = 0;  // into the chunk being sent
  };
  const int targets = static_cast<int>(o.targets.size());
  std::vector<Conn> conns(targets);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  auto want = [&](int t, bool write) {
    epoll_event e{};
    e.events = EPOLLIN | (write ? EPOLLOUT : 0u);
    e.data.u32 = static_cast<std::uint32_t>(t);
    epoll_ctl(ep, EPOLL_CTL_MOD, conns[t].fd, &e);
  };
  for (int t = 0; t < targets; ++t) {
    conns[t].fd = ConnectBlocking(o.targets[t]);
    if (conns[t].fd < 0) Die("connect");
    SetNoDelay(conns[t].fd);
    SetNonBlocking(conns[t].fd);
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u32 = static_cast<std::uint32_t>(t);
    epoll_ctl(ep, EPOLL_CTL_ADD, conns[t].fd, &e);
  }
  std::vector<char> chunk(o.size, 's');
  std::vector<char> scratch(bench::kBufferSize);
  std::vector<long> errors(targets, 0);
  std::vector<epoll_event> events(targets);
  Schedule schedule(o);
  int writer = schedule.active();  // the one connection that sends
  want(writer, true);
  while (schedule.Tick()) {
    if (schedule.TakeSwitch()) {
      if (conns[writer].open) want(writer, false);
      writer = schedule.active();
      if (conns[writer].open) want(writer, true);
    }
    const int n = epoll_wait(ep, events.data(), targets, schedule.TimeoutMs());
    if (n < 0 && errno != EINTR) Die("epoll_wait");
    for (int k = 0; k < n; ++k) {
      const int t = static_cast<int>(events[k].data.u32);
      Conn& c = conns[t];
      if (!c.open) continue;
      if ((events[k].events & EPOLLOUT) != 0) {
        // Fill the socket, a bounded number of chunks per wakeup.
        for (int i = 0; i < 16; ++i) {
          const ssize_t w = send(c.fd, chunk.data() + c.offset,
                                 o.size - c.offset, MSG_NOSIGNAL);
          if (w < 0) {
            if (errno == EAGAIN || errno == EINTR) break;
            c.open = false;
            break;
          }
          c.offset = (c.offset + static_cast<std::size_t>(w)) % o.size;
        }
      }
      if (c.open && (events[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) {
        for (int i = 0; i < 16; ++i) {
          const ssize_t r = recv(c.fd, scratch.data(), scratch.size(), 0);
          if (r < 0 && (errno == EAGAIN || errno == EINTR)) break;
          if (r <= 0) {
            c.open = false;
            break;
          }
          schedule.Count(t, static_cast<std::uint64_t>(r));
          if (static_cast<std::size_t>(r) < scratch.size()) break;
        }
      }
      if (!c.open) {
        ++errors[t];
        epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
      }
    }
  }
  for (int t = 0; t < targets; ++t) {
    close(conns[t].fd);
    const double bytes = static_cast<double>(schedule.ops(t));
    Report(t, targets, schedule.rate(t) / 1e6, "MB/s", errors[t],
           "bytes=" + std::to_string(schedule.ops(t)) +
               schedule.Cpu(t, bytes / static_cast<double>(o.size)));
  }
  close(ep);
  return 0;
}

// --- accept -----------------------------------------------------------------

int AcceptRate(const Options& o) {
  enum class State { kIdle, kConnecting, kWaitingEcho };
  struct Slot {
    int fd = -1;
    int target = 0;
    State state = State::kIdle;
  };
  const int targets = static_cast<int>(o.targets.size());
  std::vector<Slot> slots(static_cast<std::size_t>(targets) * o.inflight);
  for (std::size_t i = 0; i < slots.size(); ++i) {
    slots[i].target = static_cast<int>(i / static_cast<std::size_t>(o.inflight));
  }
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  std::vector<long> errors(targets, 0);
  std::string first_error;  // what went wrong first, for the report
  long no_port = 0;  // connect refused for want of an ephemeral port

  auto watch = [&](Slot& s, std::uint32_t index, std::uint32_t events,
                   int op) {
    epoll_event e{};
    e.events = events;
    e.data.u32 = index;
    epoll_ctl(ep, op, s.fd, &e);
  };
  auto drop = [&](Slot& s, const char* error) {
    if (error != nullptr) {
      if (errors[s.target]++ == 0 && first_error.empty()) {
        first_error = std::string(error) + ":" + std::strerror(errno);
        for (char& ch : first_error) ch = ch == ' ' ? '_' : ch;
      }
    }
    close(s.fd);
    s.fd = -1;
    s.state = State::kIdle;
  };
  // Connects; on loopback the handshake has usually finished when connect()
  // returns, so the byte is sent at once when the socket takes it.
  SocketOpener opener(o.sources);
  auto start = [&](Slot& s, std::uint32_t index) {
    const Target& target = o.targets[s.target];
    s.fd = opener.Open(target, Die);
    switch (StartConnect(&s.fd, target, &no_port)) {
      case ConnectStart::kStarted: break;
      case ConnectStart::kNoPort: return;  // retried on the next iteration
      case ConnectStart::kFailed: return drop(s, "connect");
    }
    const char c = 'a';
    if (send(s.fd, &c, 1, MSG_NOSIGNAL) == 1) {
      s.state = State::kWaitingEcho;
      watch(s, index, EPOLLIN, EPOLL_CTL_ADD);
    } else if (errno == EAGAIN || errno == ENOTCONN) {
      s.state = State::kConnecting;
      watch(s, index, EPOLLOUT, EPOLL_CTL_ADD);
    } else {
      drop(s, "send");
    }
  };

  std::vector<epoll_event> events(slots.size());
  Schedule schedule(o);
  while (schedule.Tick()) {
    // Every iteration starts the active server's idle slots, so a switch
    // needs nothing more.
    const std::size_t first =
        static_cast<std::size_t>(schedule.active()) * o.inflight;
    for (std::size_t i = first; i < first + static_cast<std::size_t>(o.inflight); ++i) {
      if (slots[i].state == State::kIdle) {
        start(slots[i], static_cast<std::uint32_t>(i));
      }
    }
    // With every slot waiting for a free port, sleep a little instead of
    // spinning.
    const int timeout = no_port > 0 ? std::min(1, schedule.TimeoutMs())
                                    : schedule.TimeoutMs();
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()),
                             timeout);
    if (n < 0 && errno != EINTR) Die("epoll_wait");
    for (int k = 0; k < n; ++k) {
      const std::uint32_t index = events[k].data.u32;
      Slot& s = slots[index];
      if (s.state == State::kConnecting) {
        if ((events[k].events & (EPOLLERR | EPOLLHUP)) != 0) {
          int error = 0;
          socklen_t length = sizeof(error);
          getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &length);
          errno = error;
          drop(s, "connecting");
          continue;
        }
        const char c = 'a';
        if (send(s.fd, &c, 1, MSG_NOSIGNAL) != 1) {
          drop(s, "send");
          continue;
        }
        s.state = State::kWaitingEcho;
        watch(s, index, EPOLLIN, EPOLL_CTL_MOD);
      } else if (s.state == State::kWaitingEcho) {
        char c;
        const ssize_t r = recv(s.fd, &c, 1, 0);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (r != 1) {
          if (r == 0) errno = 0;
          drop(s, r == 0 ? "recv_eof" : "recv");
          continue;
        }
        schedule.Count(s.target);
        drop(s, nullptr);
        if (s.target == schedule.active()) start(s, index);
      }
    }
  }
  for (Slot& s : slots) {
    if (s.fd >= 0) close(s.fd);
  }
  close(ep);
  for (int t = 0; t < targets; ++t) {
    Report(t, targets, schedule.rate(t), "conn/s", errors[t],
           "count=" + std::to_string(schedule.ops(t)) +
               " no_port=" + std::to_string(no_port) +
               (first_error.empty() ? "" : " first_error=" + first_error) +
               schedule.Cpu(t, static_cast<double>(schedule.ops(t))));
  }
  return 0;
}

// --- idle -------------------------------------------------------------------

int Idle(const Options& o) {
  if (o.targets.size() != 1 || o.targets[0].server_pid <= 0) {
    std::fprintf(stderr, "load: the idle case needs one --connect and its --server-pid\n");
    return 2;
  }
  const Target& target = o.targets[0];
  // First use: the server's read buffer and loop structures are touched.
  const int first = ConnectBlocking(target);
  if (first < 0 || !Echo(first, 1)) Die("first connection");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const long before = ReadRssKiB(target.server_pid);
  const long descriptors = CountDescriptors(target.server_pid);

  std::vector<int> fds;
  fds.reserve(o.conns);
  long errors = 0;
  const Clock::time_point started = Clock::now();
  const double budget = o.warmup + o.seconds + 30.0;
  for (int i = 0; i < o.conns && SecondsSince(started) < budget; ++i) {
    const int fd = ConnectBlocking(target);
    if (fd < 0 || (o.echo > 0 && !Echo(fd, static_cast<std::size_t>(o.echo)))) {
      ++errors;
      if (fd >= 0) close(fd);
      if (errors > 10) break;
      continue;
    }
    fds.push_back(fd);
  }
  const double open_seconds = SecondsSince(started);
  if (o.echo == 0) {
    // Nothing was echoed, so nothing says the server has accepted them
    // yet: wait (10 s at most) until it holds as many more descriptors.
    for (int i = 0; i < 1000 && CountDescriptors(target.server_pid) <
                                    descriptors + static_cast<long>(fds.size());
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const long after = ReadRssKiB(target.server_pid);
  for (int fd : fds) close(fd);
  close(first);
  if (before < 0 || after < 0 || fds.empty()) {
    std::fprintf(stderr, "load: cannot read VmRSS of %ld\n", target.server_pid);
    return 1;
  }
  const double per_conn = static_cast<double>(after - before) * 1024.0 /
                          static_cast<double>(fds.size());
  Report(0, 1, per_conn, "B/conn", errors,
         "held=" + std::to_string(fds.size()) +
             " echo=" + std::to_string(o.echo) +
             " rss_before_kib=" + std::to_string(before) +
             " rss_after_kib=" + std::to_string(after) +
             " open_s=" + std::to_string(open_seconds));
  return 0;
}


// --- io_uring (--io-uring, issue 19) ----------------------------------------
//
// The same pingpong and stream cases driven through one io_uring ring
// instead of epoll, so that a server faster than the epoll loop is not held
// back by this client (one core, like the server): a multishot receive per
// connection into one provided-buffer ring shared by all of them
// (bench/uring_common.h), each message sent as one SQE (MSG_WAITALL; on
// pingpong without a completion unless it fails, IOSQE_CQE_SKIP_SUCCESS),
// and one io_uring_enter per iteration that submits everything and waits,
// batched: for --uring-wait completions (at most as many as are
// outstanding), but once --uring-min-wait-us has passed for one (Linux
// 6.12+; below that, for --uring-wait or until the slice ends). Same
// schedule, output line (plus `client=io_uring` and the ring's mode) and
// bounds as the epoll cases.

#ifdef BENCH_HAVE_LIBURING

using bench::Op;
using bench::Tag;

// The ring and its buffers for `conns` connections receiving at most
// `size` bytes a message; exits on failure.
void StartUring(const Options& o, int conns, std::size_t size,
                bench::Ring* ring, bench::BufferRing* buffers) {
  std::string error;
  const unsigned cq = static_cast<unsigned>(
      std::min(65536, std::max(4096, 4 * conns)));
  if (!bench::SetupRing(ring, 4096, cq, &error)) {
    std::fprintf(stderr, "load: --io-uring: %s\n", error.c_str());
    std::exit(1);
  }
  // Enough buffers for every connection at once, at most 64 MiB.
  const unsigned buffer_size = size <= 1024 ? 2048 : 65536;
  unsigned count = 64;
  while (count < static_cast<unsigned>(conns) + 64 && count < 32768 &&
         static_cast<std::size_t>(count) * 2 * buffer_size <= (64u << 20)) {
    count *= 2;
  }
  if (!buffers->Init(&ring->ring, count, buffer_size, &error)) {
    std::fprintf(stderr, "load: --io-uring: %s\n", error.c_str());
    std::exit(1);
  }
  (void)o;
}

// The wait of one iteration: `outstanding` completions expected at most,
// until the slice ends at the latest.
int UringWait(bench::Ring& ring, const Options& o, const Schedule& schedule,
              int outstanding) {
  // An eighth of what is outstanding: the rest keeps the server busy
  // while this client sleeps.
  const unsigned wait_nr = static_cast<unsigned>(
      std::max(1, std::min(o.uring_wait, outstanding / 8)));
  const long long timeout_ns =
      static_cast<long long>(schedule.TimeoutMs()) * 1000000LL;
  const int ret = bench::SubmitAndWait(
      ring, wait_nr, static_cast<unsigned>(o.uring_min_wait_us), timeout_ns);
  if (ret < 0 && ret != -ETIME && ret != -EINTR && ret != -EBUSY) {
    errno = -ret;
    Die("io_uring_enter");
  }
  return ret;
}

int PingPongUring(const Options& o) {
  struct Conn {
    int fd = -1;
    int target = 0;
    bool busy = false;  // a message is out, its echo not all back
    std::size_t received = 0;
  };
  const int targets = static_cast<int>(o.targets.size());
  std::vector<Conn> conns(static_cast<std::size_t>(targets) * o.conns);
  std::vector<long> errors(targets, 0);
  std::vector<int> busy(targets, 0);  // connections with a message out
  std::vector<char> message(o.size, 'p');
  bench::Ring ring;
  bench::BufferRing buffers;
  StartUring(o, static_cast<int>(conns.size()), o.size, &ring, &buffers);
  for (std::size_t i = 0; i < conns.size(); ++i) {
    Conn& c = conns[i];
    c.target = static_cast<int>(i / static_cast<std::size_t>(o.conns));
    c.fd = ConnectBlocking(o.targets[c.target]);
    if (c.fd < 0) Die("connect");
    SetNoDelay(c.fd);
    bench::ArmRecv(ring, c.fd, Tag(Op::kRecv, static_cast<std::uint32_t>(i)));
  }
  auto fail = [&](Conn& c) {
    ++errors[c.target];
    if (c.busy) --busy[c.target];
    c.busy = false;
    shutdown(c.fd, SHUT_RDWR);  // ends its receive
    close(c.fd);
    c.fd = -1;
  };
  auto start = [&](Conn& c, std::uint32_t index) {
    c.busy = true;
    ++busy[c.target];
    c.received = 0;
    io_uring_sqe* sqe = bench::GetSqe(ring);
    io_uring_prep_send(sqe, c.fd, message.data(), o.size,
                       MSG_WAITALL | MSG_NOSIGNAL);
    if (ring.skip_success) sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
    io_uring_sqe_set_data64(sqe, Tag(Op::kSend, index));
  };
  auto start_target = [&](int target) {
    const std::size_t first = static_cast<std::size_t>(target) * o.conns;
    for (std::size_t i = first; i < first + static_cast<std::size_t>(o.conns); ++i) {
      if (conns[i].fd >= 0 && !conns[i].busy) {
        start(conns[i], static_cast<std::uint32_t>(i));
      }
    }
  };

  Schedule schedule(o);
  start_target(schedule.active());
  while (schedule.Tick()) {
    if (schedule.TakeSwitch()) start_target(schedule.active());
    buffers.Publish();
    UringWait(ring, o, schedule, busy[schedule.active()]);
    unsigned head;
    unsigned seen = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring.ring, head, cqe) {
      ++seen;
      const std::uint32_t index = bench::TagWho(cqe->user_data);
      Conn& c = conns[index];
      const int res = cqe->res;
      if (bench::TagOp(cqe->user_data) == Op::kSend) {
        if (c.fd >= 0 && res != static_cast<int>(o.size)) {
          errno = res < 0 ? -res : 0;
          fail(c);
        }
        continue;
      }
      const bool more = (cqe->flags & IORING_CQE_F_MORE) != 0;
      if (res > 0) {
        const unsigned bid = bench::CqeBuffer(cqe);
        buffers.Took(bid);
        buffers.Give(bid);
      }
      if (c.fd < 0) continue;
      if (res == -ENOBUFS) buffers.NoBuffers();
      if (!more) {
        if (res > 0 || res == -ENOBUFS) {
          bench::ArmRecv(ring, c.fd, Tag(Op::kRecv, index));
        } else {
          errno = res < 0 ? -res : 0;
          fail(c);
          continue;
        }
      }
      if (res <= 0) continue;
      c.received += static_cast<std::size_t>(res);
      if (c.received < o.size) continue;
      if (c.received > o.size) {  // the server echoed more than was sent
        fail(c);
        continue;
      }
      schedule.Count(c.target);
      c.busy = false;
      --busy[c.target];
      if (c.target == schedule.active()) start(c, index);
    }
    io_uring_cq_advance(&ring.ring, seen);
  }
  for (Conn& c : conns) {
    if (c.fd >= 0) close(c.fd);
  }
  io_uring_queue_exit(&ring.ring);
  for (int t = 0; t < targets; ++t) {
    const double ops = static_cast<double>(schedule.ops(t));
    Report(t, targets, schedule.rate(t), "rt/s", errors[t],
           "count=" + std::to_string(schedule.ops(t)) +
               " client=io_uring ring=" + ring.Mode() +
               schedule.Cpu(t, ops));
  }
  return 0;
}

int StreamUring(const Options& o) {
  // Sends kept in flight on the writing connection (each a whole chunk,
  // MSG_WAITALL): the socket always has the next one waiting.
  constexpr int kSendsInFlight = 2;
  struct Conn {
    int fd = -1;
    bool open = true;
    int sending = 0;  // sends in flight
  };
  const int targets = static_cast<int>(o.targets.size());
  std::vector<Conn> conns(targets);
  bench::Ring ring;
  bench::BufferRing buffers;
  StartUring(o, targets, 65536, &ring, &buffers);
  std::vector<char> chunk(o.size, 's');
  std::vector<long> errors(targets, 0);
  for (int t = 0; t < targets; ++t) {
    conns[t].fd = ConnectBlocking(o.targets[t]);
    if (conns[t].fd < 0) Die("connect");
    SetNoDelay(conns[t].fd);
    bench::ArmRecv(ring, conns[t].fd,
                   Tag(Op::kRecv, static_cast<std::uint32_t>(t)));
  }
  auto fail = [&](int t) {
    if (!conns[t].open) return;
    conns[t].open = false;
    ++errors[t];
    shutdown(conns[t].fd, SHUT_RDWR);
  };
  auto fill = [&](int t) {
    Conn& c = conns[t];
    while (c.open && c.sending < kSendsInFlight) {
      io_uring_sqe* sqe = bench::GetSqe(ring);
      io_uring_prep_send(sqe, c.fd, chunk.data(), o.size,
                         MSG_WAITALL | MSG_NOSIGNAL);
      io_uring_sqe_set_data64(sqe, Tag(Op::kSend, static_cast<std::uint32_t>(t)));
      ++c.sending;
    }
  };
  Schedule schedule(o);
  fill(schedule.active());
  while (schedule.Tick()) {
    if (schedule.TakeSwitch()) fill(schedule.active());
    buffers.Publish();
    UringWait(ring, o, schedule, 1);
    unsigned head;
    unsigned seen = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring.ring, head, cqe) {
      ++seen;
      const int t = static_cast<int>(bench::TagWho(cqe->user_data));
      Conn& c = conns[t];
      const int res = cqe->res;
      if (bench::TagOp(cqe->user_data) == Op::kSend) {
        --c.sending;
        if (res != static_cast<int>(o.size)) {
          fail(t);
        } else if (t == schedule.active()) {
          fill(t);
        }
        continue;
      }
      const bool more = (cqe->flags & IORING_CQE_F_MORE) != 0;
      if (res > 0) {
        const unsigned bid = bench::CqeBuffer(cqe);
        buffers.Took(bid);
        buffers.Give(bid);
        if (c.open) schedule.Count(t, static_cast<std::uint64_t>(res));
      }
      if (res == -ENOBUFS) buffers.NoBuffers();
      if (!more && c.open) {
        if (res > 0 || res == -ENOBUFS) {
          bench::ArmRecv(ring, c.fd, Tag(Op::kRecv, static_cast<std::uint32_t>(t)));
        } else {
          fail(t);
        }
      }
    }
    io_uring_cq_advance(&ring.ring, seen);
  }
  for (int t = 0; t < targets; ++t) close(conns[t].fd);
  io_uring_queue_exit(&ring.ring);
  for (int t = 0; t < targets; ++t) {
    const double bytes = static_cast<double>(schedule.ops(t));
    Report(t, targets, schedule.rate(t) / 1e6, "MB/s", errors[t],
           "bytes=" + std::to_string(schedule.ops(t)) +
               " client=io_uring ring=" + ring.Mode() +
               schedule.Cpu(t, bytes / static_cast<double>(o.size)));
  }
  return 0;
}

#endif  // BENCH_HAVE_LIBURING

}  // namespace

int main(int argc, char** argv) {
  const Options o = bench::ParseLoadOptions<Options>(
      argc, argv, "load", Usage, /*max_inflight=*/64,
      static_cast<int>(bench::kBufferSize),
      [](const std::string& arg, Options& options) {
        if (arg != "--io-uring") return false;
        options.io_uring = true;
        return true;
      },
      [](const std::string& arg, const std::string& value, Options& options) {
        if (arg == "--uring-wait") {
          return bench::ParseInt(value, 1, 4096, &options.uring_wait);
        }
        if (arg == "--uring-min-wait-us") {
          return bench::ParseInt(value, 0, 1000000, &options.uring_min_wait_us);
        }
        if (arg != "--session") return false;
        char* end = nullptr;
        options.session = std::strtol(value.c_str(), &end, 10);
        return !value.empty() && *end == '\0' && options.session >= 0 &&
               options.session <= 1000000000;
      });
  // A hard bound on the run, whatever the server does.
  alarm(static_cast<unsigned>(
            std::ceil((o.warmup + o.seconds) * static_cast<double>(o.targets.size()))) +
        60);
  if (o.io_uring && (o.test_case == "pingpong" || o.test_case == "stream")) {
#ifdef BENCH_HAVE_LIBURING
    if (o.test_case == "stream") return StreamUring(o);
    if (o.session == 0) return PingPongUring(o);
    std::fprintf(stderr, "load: --io-uring does not take --session\n");
    return 2;
#else
    std::fprintf(stderr,
                 "load: built without liburing (install liburing-dev and "
                 "configure again): no --io-uring\n");
    return 2;
#endif
  }
  // --io-uring: the accept and idle cases stay on epoll (the usage says so).
  if (o.test_case == "pingpong") return PingPong(o);
  if (o.test_case == "stream") return Stream(o);
  if (o.test_case == "accept") return AcceptRate(o);
  if (o.test_case == "idle") return Idle(o);
  Usage();
}
