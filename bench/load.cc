// Copyright 2026 The net Authors.
//
// The load generator of bench/: one client, written directly on epoll (not
// on `net`), so that every server is measured with the same client.
//
//   load --connect ADDR:PORT --case CASE [options]
//
// Cases (each bounded: `--warmup` seconds not counted, then `--seconds`
// counted; the whole run is cut off by an alarm well after that):
//
//   pingpong  --conns C --size M: C connections each send M bytes and wait
//             for the whole echo before sending again. Round trips/s.
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
//   idle      --conns C --server-pid PID: one connection echoes one byte
//             (the server's first-use costs), the server's VmRSS is read,
//             then C more connections each echo one byte and stay open, and
//             VmRSS is read again. Bytes of RSS per idle connection.
//
// With --server-pid, the throughput cases also report the server's CPU time
// over the counted window (from /proc/PID/schedstat): `server_cpu` in cores
// and `server_ns_per_op`, nanoseconds of server CPU per round trip,
// connection or echoed chunk. Where the client is the bottleneck (one core
// each), that, not the rate, tells the servers apart.
//
// Prints one line on standard output:
//
//   value=<number> unit=<unit> errors=<n> [more key=value pairs]
//
// where `errors` counts connections that failed or closed early; a result
// with errors is not a clean measurement. Loopback only: the address must be
// in 127.0.0.0/8 or ::1.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  sockaddr_storage address{};
  socklen_t address_length = 0;
  std::string test_case;
  int conns = 1;
  std::size_t size = 64;
  double warmup = 0.5;
  double seconds = 2.0;
  int inflight = 4;
  int sources = 32;
  long server_pid = 0;
};

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "load: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

[[noreturn]] void Usage() {
  std::fputs(
      "usage: load --connect ADDR:PORT --case pingpong|stream|accept|idle\n"
      "            [--conns C] [--size BYTES] [--warmup S] [--seconds S]\n"
      "            [--inflight K] [--sources N] [--server-pid PID]\n",
      stderr);
  std::exit(2);
}

bool IsLoopback(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
  return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  bool have_address = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) Usage();
    const std::string v = argv[++i];
    if (arg == "--connect") {
      have_address = bench::ParseAddress(v, &o.address, &o.address_length);
    } else if (arg == "--case") {
      o.test_case = v;
    } else if (arg == "--conns") {
      o.conns = std::atoi(v.c_str());
    } else if (arg == "--size") {
      o.size = static_cast<std::size_t>(std::atol(v.c_str()));
    } else if (arg == "--warmup") {
      o.warmup = std::atof(v.c_str());
    } else if (arg == "--seconds") {
      o.seconds = std::atof(v.c_str());
    } else if (arg == "--inflight") {
      o.inflight = std::atoi(v.c_str());
    } else if (arg == "--sources") {
      o.sources = std::atoi(v.c_str());
    } else if (arg == "--server-pid") {
      o.server_pid = std::atol(v.c_str());
    } else {
      Usage();
    }
  }
  if (!have_address || o.test_case.empty() || o.conns < 1 || o.size < 1 ||
      o.size > bench::kBufferSize || o.seconds <= 0 || o.warmup < 0 ||
      o.inflight < 1 || o.sources < 1 || o.sources > 254) {
    Usage();
  }
  if (!IsLoopback(o.address)) {
    std::fprintf(stderr, "load: only loopback addresses are allowed\n");
    std::exit(2);
  }
  return o;
}

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

Clock::time_point After(Clock::time_point t, double seconds) {
  return t + std::chrono::duration_cast<Clock::duration>(
                 std::chrono::duration<double>(seconds));
}

// Milliseconds until `deadline`, rounded up, at least 0.
int MillisecondsUntil(Clock::time_point deadline) {
  const auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  return static_cast<int>(
      std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

void SetNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void SetNonBlocking(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// A blocking connection with a 5 s receive timeout, or -1.
int ConnectBlocking(const Options& o) {
  const int fd = socket(o.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  if (connect(fd, reinterpret_cast<const sockaddr*>(&o.address),
              o.address_length) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends one byte and waits for it to come back on a blocking socket.
bool EchoOneByte(int fd) {
  char c = 'x';
  if (send(fd, &c, 1, MSG_NOSIGNAL) != 1) return false;
  return recv(fd, &c, 1, 0) == 1;
}

void Report(double value, const char* unit, long errors,
            const std::string& extra) {
  std::printf("value=%.6g unit=%s errors=%ld%s%s\n", value, unit, errors,
              extra.empty() ? "" : " ", extra.c_str());
}

// On-CPU time of `pid` in nanoseconds (/proc/PID/schedstat), or -1.
long long ReadCpuNs(long pid) {
  if (pid <= 0) return -1;
  std::ifstream schedstat("/proc/" + std::to_string(pid) + "/schedstat");
  long long ns = -1;
  if (!(schedstat >> ns)) return -1;
  return ns;
}

// The measuring window: `warmup` seconds, then `seconds` counted; the
// server's CPU time is read when counting starts and ends.
class Window {
 public:
  explicit Window(const Options& o)
      : start_(Clock::now()),
        counted_from_(After(start_, o.warmup)),
        end_(After(counted_from_, o.seconds)),
        server_pid_(o.server_pid) {}

  // Call once per loop iteration; false when the window is over. Resets
  // the counter when the warm-up ends.
  bool Tick(std::uint64_t* counter) {
    const Clock::time_point now = Clock::now();
    if (!counting_ && now >= counted_from_) {
      counting_ = true;
      *counter = 0;
      t0_ = now;
      cpu0_ = ReadCpuNs(server_pid_);
    }
    if (now >= end_) {
      t1_ = now;
      cpu1_ = ReadCpuNs(server_pid_);
      return false;
    }
    return true;
  }
  // " server_cpu=<cores> server_ns_per_op=<ns>", or "" without a server pid.
  std::string ServerCpu(double ops) const {
    if (cpu0_ < 0 || cpu1_ < 0 || ops <= 0) return "";
    const double ns = static_cast<double>(cpu1_ - cpu0_);
    char text[96];
    std::snprintf(text, sizeof(text), " server_cpu=%.3f server_ns_per_op=%.0f",
                  ns / 1e9 / elapsed(), ns / ops);
    return text;
  }
  int TimeoutMs() const {
    return MillisecondsUntil(counting_ ? end_ : counted_from_);
  }
  double elapsed() const {
    return std::chrono::duration<double>(t1_ - t0_).count();
  }

 private:
  Clock::time_point start_, counted_from_, end_, t0_, t1_;
  const long server_pid_;
  long long cpu0_ = -1, cpu1_ = -1;
  bool counting_ = false;
};

// --- pingpong ---------------------------------------------------------------

int PingPong(const Options& o) {
  struct Conn {
    int fd = -1;
    std::size_t received = 0;
    std::size_t unsent = 0;  // bytes of the current message not sent yet
  };
  std::vector<Conn> conns(o.conns);
  std::vector<char> message(o.size, 'p');
  std::vector<char> scratch(bench::kBufferSize);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  for (int i = 0; i < o.conns; ++i) {
    conns[i].fd = ConnectBlocking(o);
    if (conns[i].fd < 0) Die("connect");
    SetNoDelay(conns[i].fd);
    SetNonBlocking(conns[i].fd);
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u32 = static_cast<std::uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &e);
  }
  long errors = 0;
  auto fail = [&](Conn& c) {
    ++errors;
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
        if (errno != EAGAIN) return fail(c);
        epoll_event e{};
        e.events = EPOLLIN | EPOLLOUT;
        e.data.u32 = index;
        epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &e);
        return;
      }
      c.unsent -= static_cast<std::size_t>(w);
    }
  };
  for (int i = 0; i < o.conns; ++i) {
    conns[i].unsent = o.size;
    send_rest(conns[i], static_cast<std::uint32_t>(i));
  }

  std::vector<epoll_event> events(1024);
  std::uint64_t round_trips = 0;
  Window window(o);
  while (window.Tick(&round_trips)) {
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()),
                             window.TimeoutMs());
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
        fail(c);
        continue;
      }
      c.received += static_cast<std::size_t>(r);
      if (c.received < o.size) continue;
      if (c.received > o.size) {  // the server echoed more than was sent
        fail(c);
        continue;
      }
      ++round_trips;
      c.received = 0;
      c.unsent = o.size;
      send_rest(c, index);
    }
  }
  for (Conn& c : conns) {
    if (c.fd >= 0) close(c.fd);
  }
  close(ep);
  Report(static_cast<double>(round_trips) / window.elapsed(), "rt/s", errors,
         "count=" + std::to_string(round_trips) +
             window.ServerCpu(static_cast<double>(round_trips)));
  return 0;
}

// --- stream -----------------------------------------------------------------

int Stream(const Options& o) {
  const int fd = ConnectBlocking(o);
  if (fd < 0) Die("connect");
  SetNoDelay(fd);
  SetNonBlocking(fd);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event e{};
  e.events = EPOLLIN | EPOLLOUT;
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
  std::vector<char> chunk(o.size, 's');
  std::vector<char> scratch(bench::kBufferSize);
  std::size_t offset = 0;  // into the chunk being sent
  std::uint64_t received = 0;
  long errors = 0;
  bool open = true;
  epoll_event events[1];
  Window window(o);
  while (open && window.Tick(&received)) {
    const int n = epoll_wait(ep, events, 1, window.TimeoutMs());
    if (n < 0 && errno != EINTR) Die("epoll_wait");
    if (n <= 0) continue;
    if ((events[0].events & EPOLLOUT) != 0) {
      // Fill the socket, a bounded number of chunks per wakeup.
      for (int i = 0; i < 16; ++i) {
        const ssize_t w =
            send(fd, chunk.data() + offset, o.size - offset, MSG_NOSIGNAL);
        if (w < 0) {
          if (errno == EAGAIN || errno == EINTR) break;
          open = false;
          break;
        }
        offset = (offset + static_cast<std::size_t>(w)) % o.size;
      }
    }
    if (open && (events[0].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) {
      for (int i = 0; i < 16; ++i) {
        const ssize_t r = recv(fd, scratch.data(), scratch.size(), 0);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) break;
        if (r <= 0) {
          open = false;
          break;
        }
        received += static_cast<std::uint64_t>(r);
        if (static_cast<std::size_t>(r) < scratch.size()) break;
      }
    }
  }
  if (!open) {
    ++errors;
    window.Tick(&received);
  }
  close(fd);
  close(ep);
  Report(static_cast<double>(received) / 1e6 / window.elapsed(), "MB/s",
         errors,
         "bytes=" + std::to_string(received) +
             window.ServerCpu(static_cast<double>(received) /
                              static_cast<double>(o.size)));
  return 0;
}

// --- accept -----------------------------------------------------------------

int AcceptRate(const Options& o) {
  enum class State { kIdle, kConnecting, kWaitingEcho };
  struct Slot {
    int fd = -1;
    State state = State::kIdle;
  };
  std::vector<Slot> slots(o.inflight);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  long errors = 0;
  std::string first_error;  // what went wrong first, for the report
  long no_port = 0;  // connect refused for want of an ephemeral port
  std::uint64_t done = 0;

  auto watch = [&](Slot& s, std::uint32_t index, std::uint32_t events,
                   int op) {
    epoll_event e{};
    e.events = events;
    e.data.u32 = index;
    epoll_ctl(ep, op, s.fd, &e);
  };
  auto drop = [&](Slot& s, const char* error) {
    if (error != nullptr) {
      if (errors++ == 0) {
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
  std::uint32_t next_source = 0;
  const bool spread = o.address.ss_family == AF_INET && o.sources > 1;
  auto start = [&](Slot& s, std::uint32_t index) {
    s.fd = socket(o.address.ss_family,
                  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s.fd < 0) Die("socket");
    if (spread) {
      // The port is still chosen by connect() (for the whole 4-tuple).
      int one = 1;
      setsockopt(s.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
      sockaddr_in source{};
      source.sin_family = AF_INET;
      source.sin_addr.s_addr =
          htonl(0x7f000001u + next_source++ % static_cast<std::uint32_t>(o.sources));
      if (bind(s.fd, reinterpret_cast<const sockaddr*>(&source),
               sizeof(source)) != 0) {
        Die("bind to a loopback source address");
      }
    }
    if (connect(s.fd, reinterpret_cast<const sockaddr*>(&o.address),
                o.address_length) != 0 &&
        errno != EINPROGRESS) {
      if (errno == EADDRNOTAVAIL) {
        ++no_port;
        close(s.fd);
        s.fd = -1;
        return;  // retried on the next iteration
      }
      return drop(s, "connect");
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

  std::vector<epoll_event> events(o.inflight);
  Window window(o);
  while (window.Tick(&done)) {
    for (int i = 0; i < o.inflight; ++i) {
      if (slots[i].state == State::kIdle) {
        start(slots[i], static_cast<std::uint32_t>(i));
      }
    }
    // With every slot waiting for a free port, sleep a little instead of
    // spinning.
    const int timeout = no_port > 0 ? std::min(1, window.TimeoutMs())
                                    : window.TimeoutMs();
    const int n = epoll_wait(ep, events.data(), o.inflight, timeout);
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
        ++done;
        drop(s, nullptr);
        start(s, index);
      }
    }
  }
  for (Slot& s : slots) {
    if (s.fd >= 0) close(s.fd);
  }
  close(ep);
  Report(static_cast<double>(done) / window.elapsed(), "conn/s", errors,
         "count=" + std::to_string(done) +
             " no_port=" + std::to_string(no_port) +
             (first_error.empty() ? "" : " first_error=" + first_error) +
             window.ServerCpu(static_cast<double>(done)));
  return 0;
}

// --- idle -------------------------------------------------------------------

// VmRSS of `pid` in KiB, or -1.
long ReadRssKiB(long pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

int Idle(const Options& o) {
  if (o.server_pid <= 0) {
    std::fprintf(stderr, "load: the idle case needs --server-pid\n");
    return 2;
  }
  // First use: the server's read buffer and loop structures are touched.
  const int first = ConnectBlocking(o);
  if (first < 0 || !EchoOneByte(first)) Die("first connection");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const long before = ReadRssKiB(o.server_pid);

  std::vector<int> fds;
  fds.reserve(o.conns);
  long errors = 0;
  const Clock::time_point started = Clock::now();
  const double budget = o.warmup + o.seconds + 30.0;
  for (int i = 0; i < o.conns && SecondsSince(started) < budget; ++i) {
    const int fd = ConnectBlocking(o);
    if (fd < 0 || !EchoOneByte(fd)) {
      ++errors;
      if (fd >= 0) close(fd);
      if (errors > 10) break;
      continue;
    }
    fds.push_back(fd);
  }
  const double open_seconds = SecondsSince(started);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const long after = ReadRssKiB(o.server_pid);
  for (int fd : fds) close(fd);
  close(first);
  if (before < 0 || after < 0 || fds.empty()) {
    std::fprintf(stderr, "load: cannot read VmRSS of %ld\n", o.server_pid);
    return 1;
  }
  const double per_conn = static_cast<double>(after - before) * 1024.0 /
                          static_cast<double>(fds.size());
  Report(per_conn, "B/conn", errors,
         "held=" + std::to_string(fds.size()) +
             " rss_before_kib=" + std::to_string(before) +
             " rss_after_kib=" + std::to_string(after) +
             " open_s=" + std::to_string(open_seconds));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  // A hard bound on the run, whatever the server does.
  alarm(static_cast<unsigned>(std::ceil(o.warmup + o.seconds)) + 60);
  if (o.test_case == "pingpong") return PingPong(o);
  if (o.test_case == "stream") return Stream(o);
  if (o.test_case == "accept") return AcceptRate(o);
  if (o.test_case == "idle") return Idle(o);
  Usage();
}
