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
// (`EchoReady()`), with the flush of what the peer did not take at once.
//
// Benchmark code: Linux only, not part of the library, free to use the OS
// headers directly.

#ifndef NET_BENCH_COMMON_H_
#define NET_BENCH_COMMON_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

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

// Parses the command line shared with examples/echo_server; exits with
// status 2 (and usage) on a bad one.
inline ServerArgs ParseServerArgs(int argc, char** argv, const char* name) {
  ServerArgs args;
  std::string listen = "127.0.0.1:0";
  auto usage = [&](int status) {
    std::fprintf(status == 0 ? stdout : stderr,
                 "usage: %s [--listen ADDR:PORT] [--max-seconds N]\n", name);
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
      char* end = nullptr;
      const long n = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || n < 0 || n > 1000000) usage(2);
      args.max_seconds = static_cast<int>(n);
    } else {
      usage(2);
    }
  }
  if (!ParseAddress(listen, &args.address, &args.address_length)) {
    std::fprintf(stderr, "%s: bad address %s\n", name, listen.c_str());
    std::exit(2);
  }
  return args;
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

}  // namespace bench

#endif  // NET_BENCH_COMMON_H_
