// Copyright 2026 The net Authors.
//
// The multithreaded echo client of the classic exercise: M connections over
// N threads, blocking sockets, each connection sending K messages of S bytes
// and reading every echo back completely before it sends the next.
//
//   mt_client --connect HOST:PORT --threads N --connections M --messages K
//             --size S [--reconnect] [--timeout SECONDS]
//
// Each thread owns M/N of the connections (the remainder goes one each to
// the first threads; a thread with none ends at once), opens all of them,
// then sends message 0 on each in turn, then message 1, and so on: the
// server holds all M connections at once. Message k of connection c is a
// byte pattern of its own (a hash of c, k and the offset; the last byte is
// '\n' so that a line server such as examples/tcpserver echoes it too), so
// a byte that comes back in the wrong place, on the wrong connection or
// from another message is caught; the echo is compared byte for byte.
//
// A message is sent in 64 KiB pieces while its echo is read, with at most
// 256 KiB sent and not yet echoed: a blocking client that sent a 4 MiB
// message whole before reading would wait forever on a server that stops
// reading while its echo is not taken (backpressure).
//
// Prints ONE line on standard output:
//
//   mt_client: 4 threads, 100 connections, 100000 of 100000 messages echoed
//   (6400000 bytes) in 1.234 s, 81037 msg/s, 0 reconnects, 0 errors
//
// (on one line) and exits 0 only if every byte came back; else 1, with the
// reasons on stderr (the first few; then how many more). A connection that
// fails is an error and ends that connection, unless --reconnect: then a
// connection that is refused, reset, closed by the server before the echo
// was complete, or finds the pipe broken connects again (back-off 20 ms
// doubling to 500 ms) and sends the message it was on again from its
// start; it gives up (an error) after 15 s without an echoed message. So it
// survives a restart of the server. A mismatch is always an error.
//
// --timeout (default 30 s) bounds every connect, send and receive
// (SO_SNDTIMEO / SO_RCVTIMEO on the blocking sockets): nothing waits
// forever. Exits 2 for a bad command line.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "examples/classic.h"
#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr const char kProgram[] = "mt_client";
constexpr const char kUsage[] =
    "usage: mt_client --connect HOST:PORT --threads N --connections M "
    "--messages K\n"
    "                 --size S [--reconnect] [--timeout SECONDS]\n"
    "  --connect      the echo server (HOST a name or an IP literal, "
    "[::1]:7 for IPv6)\n"
    "  --threads      threads (1..1024, default 4)\n"
    "  --connections  connections in all, spread over the threads "
    "(1..100000, default 100)\n"
    "  --messages     messages per connection (1..1000000000, default 1000)\n"
    "  --size         bytes per message (1..16777216, default 64)\n"
    "  --reconnect    a connection that fails (refused, reset, closed early) "
    "connects\n"
    "                 again and resends its message (gives up after 15 s "
    "without an echo)\n"
    "  --timeout      give up on a connect, send or receive after this many "
    "seconds\n"
    "                 (default 30)\n";

constexpr std::size_t kChunk = 64 * 1024;    // one send or receive at most
constexpr std::size_t kWindow = 256 * 1024;  // sent and not yet echoed
constexpr absl::Duration kFirstBackoff = absl::Milliseconds(20);
constexpr absl::Duration kMaxBackoff = absl::Milliseconds(500);
constexpr absl::Duration kGiveUp = absl::Seconds(15);
constexpr int kErrorsShown = 3;

struct Config {
  std::vector<net::SocketAddress> addresses;
  int threads = 4;
  std::int64_t connections = 100;
  std::int64_t messages = 1000;
  std::int64_t size = 64;
  bool reconnect = false;
  absl::Duration timeout = absl::Seconds(30);
};

// What all threads count.
struct Totals {
  std::atomic<std::uint64_t> echoed{0};
  std::atomic<std::uint64_t> reconnects{0};
  std::atomic<std::uint64_t> errors{0};
};

// Error lines on stderr, the first kErrorsShown of them; the rest counted.
class ErrorLog {
 public:
  void Report(const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shown_ < kErrorsShown) {
      ++shown_;
      std::fprintf(stderr, "%s: %s\n", kProgram, line.c_str());
    } else {
      ++hidden_;
    }
  }
  void Finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (hidden_ > 0) {
      std::fprintf(stderr, "%s: %s\n", kProgram,
                   absl::StrCat(hidden_, " more errors not shown").c_str());
    }
  }

 private:
  std::mutex mutex_;
  int shown_ = 0;
  std::uint64_t hidden_ = 0;
};

std::uint64_t Mix(std::uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15u;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
  return x ^ (x >> 31);
}

// Bytes [offset, offset + out.size()) of message `message` of connection
// `connection`, `size` bytes long.
void FillPattern(std::uint64_t connection, std::uint64_t message,
                 std::size_t size, std::size_t offset, absl::Span<char> out) {
  const std::uint64_t seed = Mix(Mix(connection) ^ message);
  std::size_t i = 0;
  while (i < out.size()) {
    const std::size_t j = offset + i;
    const std::uint64_t word = Mix(seed + (j >> 3));
    for (std::size_t b = j & 7; b < 8 && i < out.size(); ++b, ++i) {
      out[i] = static_cast<char>((word >> (8 * b)) & 0xff);
    }
  }
  if (offset + out.size() == size) out[out.size() - 1] = '\n';
}

// The server closed the connection before the echo was complete. (kAborted:
// no socket error maps to it, see net::SocketErrorToStatusCode.)
absl::Status ServerClosed(absl::string_view message) {
  return absl::AbortedError(message);
}

// Whether --reconnect retries after `status`.
bool Recoverable(const absl::Status& status) {
  return net::IsPeerGone(status) ||
         net::GetSocketError(status) == net::SocketError::kConnectionRefused ||
         absl::IsAborted(status);
}

// One thread's connections.
class Worker {
 public:
  Worker(const Config& config, Totals& totals, ErrorLog& log, std::size_t first,
         std::size_t count)
      : config_(config),
        totals_(totals),
        log_(log),
        out_(kChunk),
        in_(kChunk),
        expected_(kChunk) {
    for (std::size_t i = 0; i < count; ++i) {
      connections_.emplace_back();
      connections_.back().index = first + i;
    }
  }

  void Run() {
    for (Connection& c : connections_) {
      absl::Status connected = Connect(c);
      if (!connected.ok() && !Reconnect(c, connected, "")) {
        c.alive = false;
      }
    }
    for (std::int64_t k = 0; k < config_.messages; ++k) {
      bool any = false;
      for (Connection& c : connections_) {
        if (!c.alive) continue;
        c.alive = Send(c, static_cast<std::uint64_t>(k));
        any = any || c.alive;
      }
      if (!any) break;
    }
    Close();
  }

 private:
  struct Connection {
    std::size_t index = 0;
    net::Socket socket;
    bool alive = true;
    // Since when it fails with no message echoed (InfiniteFuture: not
    // failing), and the pause before its next connect.
    absl::Time failing_since = absl::InfiniteFuture();
    absl::Duration backoff = kFirstBackoff;
  };

  // One connect attempt, with the timeouts set.
  absl::Status Connect(Connection& c) {
    c.socket.Close().IgnoreError();
    NET_ASSIGN_OR_RETURN(c.socket, net_examples::ConnectToAny(config_.addresses,
                                                              config_.timeout));
    // Request and response: no Nagle delay for the last piece.
    NET_RETURN_IF_ERROR(c.socket.SetOption(net::NoDelay(true)));
    NET_RETURN_IF_ERROR(c.socket.SetOption(net::SendTimeout(config_.timeout)));
    NET_RETURN_IF_ERROR(
        c.socket.SetOption(net::ReceiveTimeout(config_.timeout)));
    return absl::OkStatus();
  }

  // After `failure` (in `what`: "message 5", or "" for the first connect):
  // with --reconnect and a failure that allows it, connects again (with
  // back-off) and returns true; else reports the error and returns false.
  bool Reconnect(Connection& c, absl::Status failure, absl::string_view what) {
    c.socket.Close().IgnoreError();
    if (config_.reconnect && Recoverable(failure)) {
      // The first try after a success is at once; every later one waits.
      bool wait = true;
      if (c.failing_since == absl::InfiniteFuture()) {
        c.failing_since = absl::Now();
        wait = false;
      }
      while (Recoverable(failure) && absl::Now() - c.failing_since < kGiveUp) {
        if (wait) {
          absl::SleepFor(c.backoff);
          c.backoff = std::min(c.backoff * 2, kMaxBackoff);
        }
        wait = true;
        failure = Connect(c);
        if (failure.ok()) {
          totals_.reconnects.fetch_add(1, std::memory_order_relaxed);
          return true;
        }
      }
      if (Recoverable(failure)) {
        failure = absl::Status(failure.code(),
                               absl::StrCat("gave up reconnecting after ",
                                            absl::FormatDuration(kGiveUp), ": ",
                                            failure.message()));
      }
    }
    totals_.errors.fetch_add(1, std::memory_order_relaxed);
    log_.Report(absl::StrCat("connection ", c.index, what.empty() ? "" : ", ",
                             what, ": ", failure.message()));
    return false;
  }

  // Sends message `k` on `c` until its echo came back whole (true), or the
  // connection failed for good (false, reported).
  bool Send(Connection& c, std::uint64_t k) {
    for (;;) {
      const absl::Status echoed = Exchange(c, k);
      if (echoed.ok()) {
        totals_.echoed.fetch_add(1, std::memory_order_relaxed);
        c.failing_since = absl::InfiniteFuture();
        c.backoff = kFirstBackoff;
        return true;
      }
      if (!Reconnect(c, echoed, absl::StrCat("message ", k))) return false;
    }
  }

  // Message `k` on `c`: sent in pieces while the echo is read and compared.
  absl::Status Exchange(Connection& c, std::uint64_t k) {
    const std::size_t size = static_cast<std::size_t>(config_.size);
    std::size_t sent = 0, got = 0;
    while (got < size) {
      if (sent < size && sent - got < kWindow) {
        const std::size_t n =
            std::min({kChunk, size - sent, kWindow - (sent - got)});
        absl::Span<char> piece = absl::MakeSpan(out_).first(n);
        FillPattern(c.index, k, size, sent, piece);
        NET_RETURN_IF_ERROR(SendAll(c.socket, piece));
        sent += n;
        continue;
      }
      const std::size_t want = std::min(kChunk, sent - got);
      NET_ASSIGN_OR_RETURN(net::IoResult r,
                           c.socket.Receive(absl::MakeSpan(in_).first(want)));
      if (r.end_of_stream()) {
        return ServerClosed(
            absl::StrCat("the server closed the connection after ", got, " of ",
                         size, " bytes of the echo"));
      }
      absl::Span<char> expected = absl::MakeSpan(expected_).first(r.bytes());
      FillPattern(c.index, k, size, got, expected);
      if (std::memcmp(in_.data(), expected.data(), r.bytes()) != 0) {
        std::size_t at = 0;
        while (in_[at] == expected[at]) ++at;
        return absl::DataLossError(
            absl::StrCat("echo differs at byte ", got + at, " of ", size));
      }
      got += r.bytes();
    }
    return absl::OkStatus();
  }

  // A blocking send of all of `data` (SO_SNDTIMEO bounds each call).
  static absl::Status SendAll(net::Socket& socket,
                              absl::Span<const char> data) {
    while (!data.empty()) {
      NET_ASSIGN_OR_RETURN(net::IoResult r, socket.Send(data));
      if (r.would_block()) {  // not on a blocking socket; never spin
        return absl::DeadlineExceededError("send: would block");
      }
      data.remove_prefix(r.bytes());
    }
    return absl::OkStatus();
  }

  // Ends every connection: shuts down the write side of all, then reads
  // each to its end (the server closes after our end). A byte more than was
  // echoed is an error; a reset or a silent server at this point is not (every
  // echo came back).
  void Close() {
    const absl::Time deadline =
        absl::Now() + std::min(config_.timeout, absl::Seconds(5));
    for (Connection& c : connections_) {
      if (c.alive) c.alive = c.socket.Shutdown(net::ShutdownMode::kWrite).ok();
    }
    for (Connection& c : connections_) {
      std::size_t extra = 0;
      while (c.alive) {
        absl::StatusOr<bool> readable = c.socket.WaitReadable(
            std::max(deadline - absl::Now(), absl::ZeroDuration()));
        if (!readable.ok() || !*readable) break;
        absl::StatusOr<net::IoResult> r = c.socket.Receive(absl::MakeSpan(in_));
        if (!r.ok() || r->end_of_stream()) break;
        extra += r->bytes();
      }
      if (extra > 0) {
        totals_.errors.fetch_add(1, std::memory_order_relaxed);
        log_.Report(absl::StrCat("connection ", c.index, ": the server sent ",
                                 extra, " bytes more than it was sent"));
      }
      c.socket.Close().IgnoreError();
    }
  }

  const Config& config_;
  Totals& totals_;
  ErrorLog& log_;
  std::vector<Connection> connections_;
  std::vector<char> out_, in_, expected_;
};

// "1.234" for 1234 ms.
std::string Seconds(absl::Duration d) {
  const std::int64_t ms = absl::ToInt64Milliseconds(d);
  return absl::StrCat(ms / 1000, ".", absl::Dec(ms % 1000, absl::kZeroPad3));
}

}  // namespace

int main(int argc, char** argv) {
  // --reconnect takes no value: take it out before ParseFlags() sees the
  // `--name value` pairs.
  Config config;
  std::vector<char*> args = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--reconnect") {
      config.reconnect = true;
      continue;
    }
    args.push_back(argv[i]);
    if (arg != "--help" && arg != "-h" && i + 1 < argc)
      args.push_back(argv[++i]);
  }
  std::string connect;
  const std::optional<int> stop = net_examples::ParseFlags(
      static_cast<int>(args.size()), args.data(), kProgram, kUsage,
      [&](const std::string& name, const std::string& value) {
        if (name == "--connect") {
          connect = value;
          return absl::OkStatus();
        }
        if (name == "--threads") {
          return net_examples::ParseInteger(name, value, 1, 1024,
                                            &config.threads);
        }
        if (name == "--connections") {
          return net_examples::ParseInteger<std::int64_t>(
              name, value, 1, 100000, &config.connections);
        }
        if (name == "--messages") {
          return net_examples::ParseInteger<std::int64_t>(
              name, value, 1, 1000000000, &config.messages);
        }
        if (name == "--size") {
          return net_examples::ParseInteger<std::int64_t>(
              name, value, 1, 16 << 20, &config.size);
        }
        if (name == "--timeout") {
          return net_examples::ParseSeconds(name, value, &config.timeout);
        }
        return absl::NotFoundError(name);
      });
  if (stop.has_value()) return *stop;
  absl::StatusOr<net_examples::Target> target =
      net_examples::ParseTarget(connect);
  if (!target.ok()) {
    return net_examples::Fail(kProgram, target.status().message(), 2);
  }
  absl::StatusOr<std::vector<net::SocketAddress>> addresses =
      net_examples::Resolve(*target);
  if (!addresses.ok()) {
    return net_examples::Fail(kProgram, addresses.status().message(), 1);
  }
  config.addresses = *std::move(addresses);

  Totals totals;
  ErrorLog log;
  const absl::Time start = absl::Now();
  {
    std::vector<Worker> workers;
    workers.reserve(static_cast<std::size_t>(config.threads));
    const std::size_t threads = static_cast<std::size_t>(config.threads);
    const std::size_t connections =
        static_cast<std::size_t>(config.connections);
    std::size_t first = 0;
    for (std::size_t t = 0; t < threads; ++t) {
      const std::size_t count =
          connections / threads + (t < connections % threads ? 1 : 0);
      workers.emplace_back(config, totals, log, first, count);
      first += count;
    }
    std::vector<std::thread> running;
    for (Worker& w : workers) running.emplace_back([&w] { w.Run(); });
    for (std::thread& t : running) t.join();
  }
  const absl::Duration elapsed = absl::Now() - start;
  log.Finish();

  const std::uint64_t wanted = static_cast<std::uint64_t>(config.connections) *
                               static_cast<std::uint64_t>(config.messages);
  const std::uint64_t echoed = totals.echoed.load();
  const std::uint64_t errors = totals.errors.load();
  const double seconds = absl::ToDoubleSeconds(elapsed);
  const std::uint64_t rate =
      seconds > 0
          ? static_cast<std::uint64_t>(static_cast<double>(echoed) / seconds)
          : 0;
  const std::string summary = absl::StrCat(
      kProgram, ": ", config.threads, " threads, ", config.connections,
      " connections, ", echoed, " of ", wanted, " messages echoed (",
      echoed * static_cast<std::uint64_t>(config.size), " bytes) in ",
      Seconds(elapsed), " s, ", rate, " msg/s, ", totals.reconnects.load(),
      " reconnects, ", errors, " errors\n");
  std::fputs(summary.c_str(), stdout);
  std::fflush(stdout);
  return echoed == wanted && errors == 0 ? 0 : 1;
}
