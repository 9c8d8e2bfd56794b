// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: bench/common.h
// -----------------------------------------------------------------------------
//
// What the comparison echo servers of bench/ share: the command line of
// examples/echo_server (`--listen ADDR:PORT`, `--max-seconds N`), address
// parsing and printing in the same text form as `net::SocketAddress`, and a
// listening socket made the way `net::Listener::Bind()` makes one
// (SO_REUSEADDR, non-blocking, close-on-exec, backlog SOMAXCONN), so every
// server starts from the same socket; and the echo of one readiness event
// (`EchoReady()`), with the flush of what the peer did not take at once;
// and the command line and the end of the thread-pool servers
// (`ParsePoolServerArgs()`, `SleepThenExit()`).
//
// Benchmark code: Linux only, not part of the library, free to use the OS
// headers directly.

#ifndef NET_BENCH_COMMON_H_
#define NET_BENCH_COMMON_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

namespace bench {

// The size of the loop-wide read buffer of every server (and of
// bench/echo_listener; net::Connection reads 64 KiB at a time too).
inline constexpr std::size_t kBufferSize = 64 * 1024;

struct ServerArgs {
  sockaddr_storage address{};
  socklen_t address_length = 0;
  int max_seconds = 0;  // 0: until killed
};

// Parses "A.B.C.D:PORT" or "[V6]:PORT" into `out`. Returns false on bad text.
inline bool ParseAddress(const std::string& text, sockaddr_storage* out,
                         socklen_t* length) {
  std::memset(out, 0, sizeof(*out));
  std::string host;
  std::string port;
  if (!text.empty() && text[0] == '[') {
    const std::size_t close = text.find("]:");
    if (close == std::string::npos) return false;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  char* end = nullptr;
  const long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 0 || p > 65535) return false;
  auto* v4 = reinterpret_cast<sockaddr_in*>(out);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(p));
    *length = sizeof(sockaddr_in);
    return true;
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(p));
    *length = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// "127.0.0.1:4242" or "[::1]:4242".
inline std::string FormatAddress(const sockaddr* address) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
    port = ntohs(v4->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
  inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
  port = ntohs(v6->sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

// Parses `value` as a whole number from `min` to `max` into `*out`; false
// (`*out` untouched) on bad text or a number out of range.
inline bool ParseInt(const std::string& value, int min, int max, int* out) {
  char* end = nullptr;
  const long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || n < min || n > max) return false;
  *out = static_cast<int>(n);
  return true;
}

// Parses a server's command line: `--listen ADDR:PORT` and `--max-seconds
// N` (examples/echo_server's), and, by `option(arg, value)`, the server's
// own options (each with a value; false: unknown or bad). `complete()` says
// whether all that is required was given. Prints "usage: NAME `options`"
// and exits with status 2 on a bad command line (0 on --help).
template <typename Option, typename Complete>
inline ServerArgs ParseServerCommandLine(int argc, char** argv,
                                         const char* name, const char* options,
                                         Option option, Complete complete) {
  ServerArgs args;
  std::string listen = "127.0.0.1:0";
  auto usage = [&](int status) {
    std::fprintf(status == 0 ? stdout : stderr, "usage: %s %s\n", name,
                 options);
    std::exit(status);
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") usage(0);
    if (i + 1 >= argc) usage(2);
    const std::string value = argv[++i];
    if (arg == "--listen") {
      listen = value;
    } else if (arg == "--max-seconds") {
      if (!ParseInt(value, 0, 1000000, &args.max_seconds)) usage(2);
    } else if (!option(arg, value)) {
      usage(2);
    }
  }
  if (!complete()) usage(2);
  if (!ParseAddress(listen, &args.address, &args.address_length)) {
    std::fprintf(stderr, "%s: bad address %s\n", name, listen.c_str());
    std::exit(2);
  }
  return args;
}

// Parses the command line shared with examples/echo_server; exits with
// status 2 (and usage) on a bad one.
inline ServerArgs ParseServerArgs(int argc, char** argv, const char* name) {
  return ParseServerCommandLine(
      argc, argv, name, "[--listen ADDR:PORT] [--max-seconds N]",
      [](const std::string&, const std::string&) { return false; },
      [] { return true; });
}

// The command line of a thread-pool server (bench/server_pool,
// bench/server_poco): ServerArgs's, `--workers W` (required) and
// `--min-workers M` (workers started up front; default and at most W), and
// by `option(arg, value)` the server's own, `own_usage` in its usage.
struct PoolArgs {
  ServerArgs server;
  int workers = 0;
  int min_workers = 0;
};

template <typename Option>
inline PoolArgs ParsePoolServerArgs(int argc, char** argv, const char* name,
                                    const char* own_usage, Option option) {
  PoolArgs pool;
  int min_workers = -1;  // -1: all W up front
  const std::string usage =
      std::string(
          "[--listen ADDR:PORT] [--max-seconds N] --workers W "
          "[--min-workers M] ") +
      own_usage;
  pool.server = ParseServerCommandLine(
      argc, argv, name, usage.c_str(),
      [&](const std::string& arg, const std::string& value) {
        if (arg == "--workers") return ParseInt(value, 1, 100000, &pool.workers);
        if (arg == "--min-workers") {
          return ParseInt(value, 1, 100000, &min_workers);
        }
        return option(arg, value);
      },
      [&] { return pool.workers > 0; });
  pool.min_workers = min_workers < 0 || min_workers > pool.workers
                         ? pool.workers
                         : min_workers;
  return pool;
}

// The main thread of a thread-pool server, once its threads serve: sleeps
// for `max_seconds` (0: until killed), then ends the process without the
// destructors (workers may be blocked in a receive; a pool's destructor
// would wait for them).
[[noreturn]] inline void SleepThenExit(int max_seconds) {
  if (max_seconds > 0) {
    std::this_thread::sleep_for(std::chrono::seconds(max_seconds));
  } else {
    for (;;) pause();
  }
  std::fflush(stdout);
  std::_Exit(0);
}

// A non-blocking, close-on-exec listening socket with SO_REUSEADDR, bound to
// `args.address`, backlog SOMAXCONN. Exits on failure.
inline int ListenOrDie(const ServerArgs& args, const char* name) {
  const int fd = socket(args.address.ss_family,
                        SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 ||
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
      bind(fd, reinterpret_cast<const sockaddr*>(&args.address),
           args.address_length) != 0 ||
      listen(fd, SOMAXCONN) != 0) {
    std::fprintf(stderr, "%s: listen: %s\n", name, std::strerror(errno));
    std::exit(1);
  }
  return fd;
}

// The next connection on the non-blocking `listen_fd`, non-blocking and
// close-on-exec; retries on EINTR and on connections that failed before
// they were accepted. -1 when there is none (EAGAIN), or out of descriptors
// (not exercised here).
inline int AcceptNext(int listen_fd) {
  for (;;) {
    const int fd =
        accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) return fd;
    if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO) return -1;
  }
}

// Sends what is left of an echo that the peer did not take at once, until
// it is all sent or the socket would block; false if the connection failed.
inline bool FlushPending(int fd, std::string& pending) {
  while (!pending.empty()) {
    const ssize_t w = send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN;
    }
    pending.erase(0, static_cast<std::size_t>(w));
  }
  return true;
}

// One readiness event of an echo connection, as every hand-written server
// of bench/ handles it: first what the peer did not take before (then
// `arm(false)`: wait for reads again), then reads into `buffer` until a
// short read or would-block, each read written back at once; a short write
// keeps the rest in `pending` and calls `arm(true)` (wait for writability
// instead: backpressure). Returns false when the connection is to be
// closed (end of stream or an error).
template <typename Arm>
inline bool EchoReady(int fd, char* buffer, std::size_t size,
                      std::unique_ptr<std::string>& pending, Arm arm) {
  if (pending != nullptr) {
    if (!FlushPending(fd, *pending)) return false;
    if (!pending->empty()) return true;  // still blocked
    pending.reset();
    arm(false);
  }
  for (;;) {
    const ssize_t n = recv(fd, buffer, size, 0);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && errno == EAGAIN;  // else end of stream or error
    }
    std::size_t sent = 0;
    while (sent < static_cast<std::size_t>(n)) {
      const ssize_t w = send(fd, buffer + sent, n - sent, MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) break;
        return false;
      }
      sent += static_cast<std::size_t>(w);
    }
    if (sent < static_cast<std::size_t>(n)) {
      pending = std::make_unique<std::string>(buffer + sent, n - sent);
      arm(true);
      return true;
    }
    if (static_cast<std::size_t>(n) < size) return true;  // drained
  }
}

// Prints the bound address of `fd` as the first line of standard output.
inline void PrintBoundAddress(int fd) {
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  std::printf("%s\n",
              FormatAddress(reinterpret_cast<sockaddr*>(&bound)).c_str());
  std::fflush(stdout);
}

// The loop of the hand-written epoll servers (echo_epoll, tls_echo_epoll):
// an epoll instance watching `listen_fd` (EPOLLIN, level-triggered) and,
// with --max-seconds, a timer that ends the loop; the bound address printed
// once both are set up.
struct EpollLoop {
  int epfd = -1;
  int timer_fd = -1;  // -1: no deadline
};

// Sets up `loop` as said above; false (with a message naming `name`) when
// epoll_create1 fails.
inline bool StartEpollLoop(int listen_fd, int max_seconds, const char* name,
                           EpollLoop* loop) {
  loop->epfd = epoll_create1(EPOLL_CLOEXEC);
  if (loop->epfd < 0) {
    std::fprintf(stderr, "%s: epoll_create1: %s\n", name, std::strerror(errno));
    return false;
  }
  epoll_event e{};
  e.events = EPOLLIN;
  e.data.fd = listen_fd;
  epoll_ctl(loop->epfd, EPOLL_CTL_ADD, listen_fd, &e);
  if (max_seconds > 0) {
    loop->timer_fd =
        timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    itimerspec when{};
    when.it_value.tv_sec = max_seconds;
    timerfd_settime(loop->timer_fd, 0, &when, nullptr);
    e.data.fd = loop->timer_fd;
    epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->timer_fd, &e);
  }
  PrintBoundAddress(listen_fd);
  return true;
}

// Runs `loop`: `on_event(fd)` for every ready descriptor, up to
// `kMaxEvents` per epoll_wait, until the deadline. Returns what main()
// returns: 0 at the deadline, 1 if epoll_wait fails.
template <int kMaxEvents, typename OnEvent>
inline int RunEpollLoop(const EpollLoop& loop, const char* name,
                        OnEvent on_event) {
  epoll_event events[kMaxEvents];
  for (;;) {
    const int n = epoll_wait(loop.epfd, events, kMaxEvents, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "%s: epoll_wait: %s\n", name, std::strerror(errno));
      return 1;
    }
    for (int i = 0; i < n; ++i) {
      if (events[i].data.fd == loop.timer_fd) return 0;
      on_event(events[i].data.fd);
    }
  }
}

}  // namespace bench

#endif  // NET_BENCH_COMMON_H_
