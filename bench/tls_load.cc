// Copyright 2026 The net Authors.
//
// The TLS load generator of bench/ (issue 13): bench/load.cc's method over
// TLS, one client written directly on epoll and OpenSSL (not on `net`), so
// that every TLS server is measured with the same client.
//
//   tls_load --connect ADDR:PORT [--connect ADDR:PORT ...] --case CASE
//            [options]
//
// As bench/load.cc: with several --connect, the servers are measured
// interleaved, in slices of `--slice` seconds (`bench::Schedule`,
// bench/load_common.h), `--warmup` seconds each not counted, then
// `--seconds` each counted; one line of output per server, "target=K " first
// when there are several:
//
//   value=<number> unit=<unit> errors=<n> tls=<version>/<cipher> [more]
//
// `tls=` is what the first handshake with that server settled (to show that
// the run measured what it says). `errors` counts connections that failed,
// closed early or echoed bytes other than those sent; a result with errors
// is not a clean measurement.
//
// The client offers TLS 1.3 only, with `--ciphersuites` only (default
// TLS_AES_128_GCM_SHA256), and X25519 first (OpenSSL's default key share),
// so every server negotiates the same thing. It does not verify the
// server's certificate unless `--ca FILE` is given (then the chain against
// that CA and the target's IP against the certificate's IP SANs): the
// handshake signature is checked either way, by the protocol; verifying
// the chain would only add client CPU, and the client's core bounds the
// handshake cases. Its SSLs set ENABLE_PARTIAL_WRITE and
// ACCEPT_MOVING_WRITE_BUFFER and read ahead; they keep their record buffers
// (no RELEASE_BUFFERS: the client's memory is not measured, its CPU is).
//
// Cases (all bounded; the whole run is cut off by an alarm):
//
//   pingpong  --conns C --size M: C connections (handshaken before the
//             schedule starts) each send M bytes and wait for the whole
//             echo before sending again. Round trips/s. Every echoed byte
//             is compared with the byte sent (a pseudo-random message).
//   stream    --size M: one connection per server sends M-byte chunks as
//             fast as it can and reads the echo concurrently. MB/s (10^6
//             bytes/s) of echo received; every byte is compared with the
//             byte sent at that position of the stream.
//   handshake --inflight K [--resume]: K connections at a time (per server,
//             while it has its turn) each connect, handshake, echo 64 bytes,
//             send close_notify and close. The echo is what makes the
//             connection complete (a client's handshake is done before the
//             server's last word) and reads the server's session ticket,
//             which TLS 1.3 sends after the handshake. Without --resume every
//             handshake is a full one (a fresh client each time);
//             handshakes/s of completed connections. With --resume each
//             slot offers the session of its previous connection (the
//             latest ticket; the first is a full handshake, in the warm-up)
//             and only resumed handshakes (SSL_session_reused) are counted;
//             `reused=` says what fraction of the counted window's
//             handshakes resumed, which should be 1. The client closes
//             first and leaves TIME_WAIT behind, so, as load.cc's accept
//             case, it connects from `--sources N` (default 32) loopback
//             addresses in turn.
//   idle      --conns C --server-pid PID [--echo B]: one connection
//             handshakes and echoes one byte (the server's first-use
//             costs), the server's VmRSS is read, then C more connections
//             each handshake and echo B bytes (default 1) and stay open,
//             and VmRSS is read again. Bytes of RSS per idle connection.
//             The client frees its SSL of each held connection (without
//             close_notify, so the connection stays open): it holds only
//             descriptors.
//
// With --server-pid (one per --connect), the throughput cases also report
// the server's CPU time over the counted window as load.cc does
// (`server_cpu`, `server_ns_per_op`: per round trip, 16 KiB chunk or
// handshake), and, for every case with a schedule, the client's own
// (`client_busy`, the fraction of its core it used over the counted
// window): near 1, the client bounds the rates, and the server's CPU per
// operation is what tells the servers apart. Loopback only.

#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
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
#include <vector>

#include "common.h"
#include "load_common.h"

namespace {

using bench::Report;
using bench::Schedule;
using bench::Target;

struct Options : bench::LoadOptions {
  Options() { inflight = 64; }
  bool resume = false;
  std::string ca;
  std::string ciphersuites = "TLS_AES_128_GCM_SHA256";
};

// The echo of the handshake case.
constexpr std::size_t kHandshakeEcho = 64;
// Enough for one record's plaintext.
constexpr std::size_t kReadSize = 16 * 1024;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "tls_load: %s: %s\n", what, std::strerror(errno));
  ERR_print_errors_fp(stderr);
  std::exit(1);
}

[[noreturn]] void Usage() {
  bench::LoadUsage("tls_load", "pingpong|stream|handshake|idle",
                   {"[--slice S] [--inflight K] [--resume] [--sources N]",
                    "[--echo B] [--ca FILE] [--ciphersuites LIST]"});
}

// The command line: bench::ParseLoadOptions(), and the options of TLS.
Options ParseOptions(int argc, char** argv) {
  return bench::ParseLoadOptions<Options>(
      argc, argv, "tls_load", Usage, /*max_inflight=*/256,
      static_cast<int>(kReadSize),
      [](const std::string& arg, Options& o) {
        if (arg != "--resume") return false;
        o.resume = true;
        return true;
      },
      [](const std::string& arg, const std::string& v, Options& o) {
        if (arg == "--ca") {
          o.ca = v;
        } else if (arg == "--ciphersuites") {
          o.ciphersuites = v;
        } else {
          return false;
        }
        return true;
      });
}

// --- TLS --------------------------------------------------------------------

// The client context, as the file comment says.
SSL_CTX* NewClientContext(const Options& o) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr ||
      SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, o.ciphersuites.c_str()) != 1) {
    Die("client context");
  }
  SSL_CTX_set_mode(
      ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_read_ahead(ctx, 1);
  if (!o.ca.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, o.ca.c_str(), nullptr) != 1) {
      Die("--ca");
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  }
  return ctx;
}

// A client SSL on `fd` for `target`; with verification on, the target's IP
// must be in the certificate.
SSL* NewClientSsl(SSL_CTX* ctx, int fd, const Target& target) {
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) Die("SSL_new");
  SSL_set_connect_state(ssl);
  if (SSL_CTX_get_verify_mode(ctx) != SSL_VERIFY_NONE) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&target.address);
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&target.address);
    const bool is_v4 = target.address.ss_family == AF_INET;
    X509_VERIFY_PARAM_set1_ip(
        SSL_get0_param(ssl),
        is_v4 ? reinterpret_cast<const unsigned char*>(&v4->sin_addr)
              : reinterpret_cast<const unsigned char*>(&v6->sin6_addr),
        is_v4 ? 4 : 16);
  }
  return ssl;
}

// "TLSv1.3/TLS_AES_128_GCM_SHA256": what a handshake settled.
std::string Negotiated(const SSL* ssl) {
  return std::string(SSL_get_version(ssl)) + "/" + SSL_get_cipher_name(ssl);
}

// The epoll events OpenSSL waits for after a call on `ssl` returned `r` <= 0,
// or 0 when the connection failed or ended.
std::uint32_t WantedEvents(const SSL* ssl, int r) {
  switch (SSL_get_error(ssl, r)) {
    case SSL_ERROR_WANT_READ:
      return EPOLLIN;
    case SSL_ERROR_WANT_WRITE:
      return EPOLLOUT;
    default:
      return 0;
  }
}

// A connected, handshaken TLS connection on a blocking socket with 5 s
// timeouts (bench::ConnectBlocking), or nullptr with `*fd` -1.
SSL* HandshakeBlocking(SSL_CTX* ctx, const Target& target, int* fd) {
  *fd = bench::ConnectBlocking(target);
  if (*fd < 0) return nullptr;
  SSL* ssl = NewClientSsl(ctx, *fd, target);
  if (SSL_do_handshake(ssl) != 1) {
    SSL_free(ssl);
    close(*fd);
    *fd = -1;
    return nullptr;
  }
  return ssl;
}

// Writes `n` bytes and reads all of them back on a blocking connection.
bool EchoBlocking(SSL* ssl, std::size_t n) {
  std::vector<char> bytes(n, 'x');
  for (std::size_t sent = 0; sent < n;) {
    const int w =
        SSL_write(ssl, bytes.data() + sent, static_cast<int>(n - sent));
    if (w <= 0) return false;
    sent += static_cast<std::size_t>(w);
  }
  for (std::size_t got = 0; got < n;) {
    const int r = SSL_read(ssl, bytes.data(), static_cast<int>(n - got));
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

// `n` pseudo-random bytes (fixed seed): an echo from the wrong place of
// what was sent shows.
std::vector<char> Pattern(std::size_t n) {
  std::vector<char> bytes(n);
  std::uint32_t x = 2463534242u;
  for (char& b : bytes) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<char>(x >> 24);
  }
  return bytes;
}

// Whether `data[0, n)` is what was sent from position `at` of a stream that
// repeats `pattern`.
bool MatchesAt(const std::vector<char>& pattern, std::uint64_t at,
               const char* data, std::size_t n) {
  std::size_t offset = static_cast<std::size_t>(at % pattern.size());
  while (n > 0) {
    const std::size_t k = std::min(n, pattern.size() - offset);
    if (std::memcmp(data, pattern.data() + offset, k) != 0) return false;
    data += k;
    n -= k;
    offset = 0;
  }
  return true;
}

void Control(int ep, int op, int fd, std::uint32_t events,
             std::uint32_t index) {
  epoll_event e{};
  e.events = events;
  e.data.u32 = index;
  epoll_ctl(ep, op, fd, &e);
}

// What each server's first handshake settled, for the report.
std::string TlsField(const std::string& negotiated) {
  return " tls=" + (negotiated.empty() ? std::string("none") : negotiated);
}

// --- pingpong ---------------------------------------------------------------

int PingPong(const Options& o, SSL_CTX* ctx) {
  struct Conn {
    int fd = -1;
    SSL* ssl = nullptr;
    int target = 0;
    bool busy = false;  // a message is out, its echo not all back
    std::size_t received = 0;
    std::size_t unsent = 0;  // bytes of the current message not sent yet
    std::uint32_t interest = EPOLLIN;
  };
  const int targets = static_cast<int>(o.targets.size());
  std::vector<Conn> conns(static_cast<std::size_t>(targets) * o.conns);
  std::vector<long> errors(targets, 0);
  std::vector<std::string> negotiated(targets);
  const std::vector<char> message = Pattern(o.size);
  std::vector<char> scratch(kReadSize);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  for (std::size_t i = 0; i < conns.size(); ++i) {
    Conn& c = conns[i];
    c.target = static_cast<int>(i / static_cast<std::size_t>(o.conns));
    c.ssl = HandshakeBlocking(ctx, o.targets[c.target], &c.fd);
    if (c.ssl == nullptr) Die("connect and handshake");
    if (negotiated[c.target].empty()) negotiated[c.target] = Negotiated(c.ssl);
    bench::SetNoDelay(c.fd);
    bench::SetNonBlocking(c.fd);
    Control(ep, EPOLL_CTL_ADD, c.fd, EPOLLIN, static_cast<std::uint32_t>(i));
  }
  auto fail = [&](Conn& c) {
    ++errors[c.target];
    SSL_free(c.ssl);
    ERR_clear_error();
    close(c.fd);  // also leaves the epoll set
    c.fd = -1;
    c.ssl = nullptr;
  };
  auto want = [&](Conn& c, std::uint32_t index, std::uint32_t events) {
    if (c.interest == events) return;
    c.interest = events;
    Control(ep, EPOLL_CTL_MOD, c.fd, events, index);
  };
  // Writes the rest of the current message; waits for writability if
  // OpenSSL cannot write it all (never expected for these sizes). After
  // WANT_WRITE the retry passes the same bytes, as OpenSSL requires.
  auto send_rest = [&](Conn& c, std::uint32_t index) {
    while (c.unsent > 0) {
      const int w = SSL_write(c.ssl, message.data() + (o.size - c.unsent),
                              static_cast<int>(c.unsent));
      if (w <= 0) {
        const std::uint32_t events = WantedEvents(c.ssl, w);
        if (events == 0) return fail(c);
        return want(c, index, EPOLLIN | events);
      }
      c.unsent -= static_cast<std::size_t>(w);
    }
    want(c, index, EPOLLIN);
  };
  auto start = [&](Conn& c, std::uint32_t index) {
    c.busy = true;
    c.received = 0;
    c.unsent = o.size;
    send_rest(c, index);
  };
  // Every idle connection of `target` sends a message.
  auto start_target = [&](int target) {
    const std::size_t first = static_cast<std::size_t>(target) * o.conns;
    for (std::size_t i = first; i < first + static_cast<std::size_t>(o.conns);
         ++i) {
      if (conns[i].fd >= 0 && !conns[i].busy) {
        start(conns[i], static_cast<std::uint32_t>(i));
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
      if (c.unsent > 0) {
        send_rest(c, index);
        if (c.fd < 0 || c.unsent > 0) continue;
      }
      // Until OpenSSL wants the socket again; what is left in the socket
      // (level-triggered) comes back in the next epoll_wait.
      for (;;) {
        const int r =
            SSL_read(c.ssl, scratch.data(), static_cast<int>(scratch.size()));
        if (r <= 0) {
          const std::uint32_t wanted = WantedEvents(c.ssl, r);
          if (wanted == 0) {
            fail(c);
          } else if (wanted == EPOLLOUT) {
            want(c, index, EPOLLIN | EPOLLOUT);
          }
          break;
        }
        const std::size_t got = static_cast<std::size_t>(r);
        if (!c.busy || c.received + got > o.size ||
            std::memcmp(scratch.data(), message.data() + c.received, got) !=
                0) {
          fail(c);  // more than was sent, or other bytes
          break;
        }
        c.received += got;
        if (c.received == o.size) {
          schedule.Count(c.target);
          c.busy = false;
          if (c.target == schedule.active()) start(c, index);
          if (c.fd < 0) break;
        }
        if (!SSL_has_pending(c.ssl)) break;
      }
    }
  }
  for (Conn& c : conns) {
    if (c.fd < 0) continue;
    SSL_free(c.ssl);
    close(c.fd);
  }
  close(ep);
  for (int t = 0; t < targets; ++t) {
    const double ops = static_cast<double>(schedule.ops(t));
    Report(t, targets, schedule.rate(t), "rt/s", errors[t],
           "count=" + std::to_string(schedule.ops(t)) +
               TlsField(negotiated[t]) + schedule.Cpu(t, ops) +
               schedule.ClientBusy());
  }
  return 0;
}

// --- stream -----------------------------------------------------------------

int Stream(const Options& o, SSL_CTX* ctx) {
  struct Conn {
    int fd = -1;
    SSL* ssl = nullptr;
    bool open = true;
    std::size_t offset = 0;      // into the chunk being written
    std::uint64_t received = 0;  // echo bytes so far: the stream position
  };
  const int targets = static_cast<int>(o.targets.size());
  std::vector<Conn> conns(targets);
  std::vector<std::string> negotiated(targets);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  auto want = [&](int t, bool write) {
    Control(ep, EPOLL_CTL_MOD, conns[t].fd, EPOLLIN | (write ? EPOLLOUT : 0u),
            static_cast<std::uint32_t>(t));
  };
  for (int t = 0; t < targets; ++t) {
    Conn& c = conns[t];
    c.ssl = HandshakeBlocking(ctx, o.targets[t], &c.fd);
    if (c.ssl == nullptr) Die("connect and handshake");
    negotiated[t] = Negotiated(c.ssl);
    bench::SetNoDelay(c.fd);
    bench::SetNonBlocking(c.fd);
    Control(ep, EPOLL_CTL_ADD, c.fd, EPOLLIN, static_cast<std::uint32_t>(t));
  }
  const std::vector<char> chunk = Pattern(o.size);
  std::vector<char> scratch(kReadSize);
  std::vector<long> errors(targets, 0);
  std::vector<epoll_event> events(targets);
  Schedule schedule(o);
  int writer = schedule.active();  // the one connection that writes
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
      if ((events[k].events & EPOLLOUT) != 0 && t == writer) {
        // Fill the socket, a bounded number of records per wakeup. After
        // WANT_WRITE the retry passes the same bytes (offset unchanged).
        for (int i = 0; i < 16; ++i) {
          const int w = SSL_write(c.ssl, chunk.data() + c.offset,
                                  static_cast<int>(o.size - c.offset));
          if (w <= 0) {
            c.open = WantedEvents(c.ssl, w) != 0;
            break;
          }
          c.offset = (c.offset + static_cast<std::size_t>(w)) % o.size;
        }
      }
      for (int i = 0; c.open && i < 16; ++i) {
        const int r =
            SSL_read(c.ssl, scratch.data(), static_cast<int>(scratch.size()));
        if (r <= 0) {
          c.open = WantedEvents(c.ssl, r) != 0;
          break;
        }
        const std::size_t got = static_cast<std::size_t>(r);
        if (!MatchesAt(chunk, c.received, scratch.data(), got)) {
          c.open = false;  // other bytes than were sent
          break;
        }
        c.received += got;
        schedule.Count(t, got);
        if (!SSL_has_pending(c.ssl)) break;
      }
      if (!c.open) {
        ++errors[t];
        ERR_clear_error();
        epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
      }
    }
  }
  for (int t = 0; t < targets; ++t) {
    SSL_free(conns[t].ssl);
    close(conns[t].fd);
    const double bytes = static_cast<double>(schedule.ops(t));
    Report(t, targets, schedule.rate(t) / 1e6, "MB/s", errors[t],
           "bytes=" + std::to_string(schedule.ops(t)) +
               TlsField(negotiated[t]) +
               schedule.Cpu(t, bytes / static_cast<double>(o.size)) +
               schedule.ClientBusy());
  }
  close(ep);
  return 0;
}

// --- handshake --------------------------------------------------------------

int Handshakes(const Options& o, SSL_CTX* ctx) {
  enum class State { kIdle, kHandshake, kEcho };
  struct Slot {
    int fd = -1;
    SSL* ssl = nullptr;
    SSL_SESSION* session = nullptr;  // --resume: offered next time
    int target = 0;
    State state = State::kIdle;
    std::size_t unsent = 0;
    std::size_t received = 0;
    std::uint32_t interest = 0;
  };
  const int targets = static_cast<int>(o.targets.size());
  std::vector<Slot> slots(static_cast<std::size_t>(targets) * o.inflight);
  for (std::size_t i = 0; i < slots.size(); ++i) {
    slots[i].target =
        static_cast<int>(i / static_cast<std::size_t>(o.inflight));
  }
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  std::vector<long> errors(targets, 0);
  std::vector<std::uint64_t> completed(targets, 0);  // in the counted window
  std::vector<std::uint64_t> resumed(targets, 0);    // of those
  std::vector<std::string> negotiated(targets);
  std::string first_error;
  long no_port = 0;
  const std::vector<char> message = Pattern(kHandshakeEcho);
  char scratch[kHandshakeEcho];
  Schedule schedule(o);

  auto want = [&](Slot& s, std::uint32_t index, std::uint32_t events) {
    if (s.interest == events) return;
    Control(ep, s.interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, s.fd, events,
            index);
    s.interest = events;
  };
  auto release = [&](Slot& s) {
    SSL_free(s.ssl);
    close(s.fd);  // also leaves the epoll set
    s.ssl = nullptr;
    s.fd = -1;
    s.interest = 0;
    s.state = State::kIdle;
  };
  auto fail = [&](Slot& s, const char* what) {
    if (errors[s.target]++ == 0 && first_error.empty()) {
      const unsigned long e = ERR_peek_error();
      first_error =
          std::string(what) + ":" +
          (e != 0 ? ERR_reason_error_string(e) : std::strerror(errno));
      for (char& ch : first_error) ch = ch == ' ' ? '_' : ch;
    }
    ERR_clear_error();
    release(s);
  };
  bench::SocketOpener opener(o.sources);
  auto connect_slot = [&](Slot& s) -> bool {
    const Target& target = o.targets[s.target];
    s.fd = opener.Open(target, Die);
    switch (bench::StartConnect(&s.fd, target, &no_port)) {
      case bench::ConnectStart::kStarted: break;
      case bench::ConnectStart::kNoPort: return false;  // retried later
      case bench::ConnectStart::kFailed: fail(s, "connect"); return false;
    }
    bench::SetNoDelay(s.fd);
    return true;
  };
  // The connection is done: count it, keep its session for the next one
  // (--resume), say goodbye with close_notify and close.
  auto finish = [&](Slot& s) {
    const bool reused = SSL_session_reused(s.ssl) == 1;
    if (schedule.counting()) {
      ++completed[s.target];
      resumed[s.target] += reused ? 1 : 0;
    }
    if (!o.resume || reused) schedule.Count(s.target);
    if (o.resume) {
      // The latest ticket, read before the echo (TLS 1.3 sends it after the
      // handshake).
      SSL_SESSION* session = SSL_get1_session(s.ssl);
      if (session != nullptr && SSL_SESSION_is_resumable(session) == 1) {
        SSL_SESSION_free(s.session);
        s.session = session;
      } else {
        SSL_SESSION_free(session);
      }
    }
    SSL_shutdown(s.ssl);  // our close_notify; not waiting for the peer's
    ERR_clear_error();    // in case the server was quicker to close
    release(s);
  };
  // Moves slot `s` on as far as the socket lets it.
  auto drive = [&](Slot& s, std::uint32_t index) {
    if (s.state == State::kHandshake) {
      const int r = SSL_do_handshake(s.ssl);
      if (r != 1) {
        const std::uint32_t events = WantedEvents(s.ssl, r);
        if (events == 0) return fail(s, "handshake");
        return want(s, index, events);
      }
      if (negotiated[s.target].empty())
        negotiated[s.target] = Negotiated(s.ssl);
      s.state = State::kEcho;
      s.unsent = kHandshakeEcho;
      s.received = 0;
    }
    while (s.unsent > 0) {
      const int w =
          SSL_write(s.ssl, message.data() + (kHandshakeEcho - s.unsent),
                    static_cast<int>(s.unsent));
      if (w <= 0) {
        const std::uint32_t events = WantedEvents(s.ssl, w);
        if (events == 0) return fail(s, "write");
        return want(s, index, events);
      }
      s.unsent -= static_cast<std::size_t>(w);
    }
    for (;;) {
      const int r = SSL_read(s.ssl, scratch, static_cast<int>(sizeof(scratch)));
      if (r <= 0) {
        const std::uint32_t events = WantedEvents(s.ssl, r);
        if (events == 0) return fail(s, "read");
        return want(s, index, events);
      }
      const std::size_t got = static_cast<std::size_t>(r);
      if (s.received + got > kHandshakeEcho ||
          std::memcmp(scratch, message.data() + s.received, got) != 0) {
        return fail(s, "echo_mismatch");
      }
      s.received += got;
      if (s.received == kHandshakeEcho) return finish(s);
    }
  };
  auto start = [&](Slot& s, std::uint32_t index) {
    if (!connect_slot(s)) return;
    s.ssl = NewClientSsl(ctx, s.fd, o.targets[s.target]);
    if (o.resume && s.session != nullptr) SSL_set_session(s.ssl, s.session);
    s.state = State::kHandshake;
    // On loopback the TCP handshake is usually over when connect()
    // returns: the ClientHello goes out at once.
    drive(s, index);
  };

  std::vector<epoll_event> events(slots.size());
  while (schedule.Tick()) {
    // Every iteration starts the active server's idle slots, so a switch
    // needs nothing more.
    const std::size_t first =
        static_cast<std::size_t>(schedule.active()) * o.inflight;
    for (std::size_t i = first;
         i < first + static_cast<std::size_t>(o.inflight); ++i) {
      if (slots[i].state == State::kIdle) {
        start(slots[i], static_cast<std::uint32_t>(i));
      }
    }
    // With slots waiting for a free port, sleep a little, not spin.
    const int timeout =
        no_port > 0 ? std::min(1, schedule.TimeoutMs()) : schedule.TimeoutMs();
    const int n =
        epoll_wait(ep, events.data(), static_cast<int>(events.size()), timeout);
    if (n < 0 && errno != EINTR) Die("epoll_wait");
    for (int k = 0; k < n; ++k) {
      const std::uint32_t index = events[k].data.u32;
      Slot& s = slots[index];
      if (s.state == State::kIdle) continue;
      drive(s, index);
      // A finished slot of the active server starts again at once.
      if (s.state == State::kIdle && s.target == schedule.active()) {
        start(s, index);
      }
    }
  }
  for (Slot& s : slots) {
    if (s.state != State::kIdle) release(s);
    SSL_SESSION_free(s.session);
  }
  close(ep);
  for (int t = 0; t < targets; ++t) {
    char fraction[64];
    std::snprintf(fraction, sizeof(fraction), " reused=%.4f",
                  completed[t] > 0 ? static_cast<double>(resumed[t]) /
                                         static_cast<double>(completed[t])
                                   : 0.0);
    Report(t, targets, schedule.rate(t), "hs/s", errors[t],
           "count=" + std::to_string(schedule.ops(t)) +
               " completed=" + std::to_string(completed[t]) +
               " resumed=" + std::to_string(resumed[t]) + fraction +
               TlsField(negotiated[t]) + " no_port=" + std::to_string(no_port) +
               (first_error.empty() ? "" : " first_error=" + first_error) +
               schedule.Cpu(t, static_cast<double>(schedule.ops(t))) +
               schedule.ClientBusy());
  }
  return 0;
}

// --- idle -------------------------------------------------------------------

int Idle(const Options& o, SSL_CTX* ctx) {
  if (o.targets.size() != 1 || o.targets[0].server_pid <= 0) {
    std::fprintf(
        stderr,
        "tls_load: the idle case needs one --connect and its --server-pid\n");
    return 2;
  }
  const Target& target = o.targets[0];
  // First use: the server's read buffer, loop structures and OpenSSL's
  // per-process state are touched.
  int first = -1;
  SSL* first_ssl = HandshakeBlocking(ctx, target, &first);
  if (first_ssl == nullptr || !EchoBlocking(first_ssl, 1))
    Die("first connection");
  const std::string negotiated = Negotiated(first_ssl);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const long before = bench::ReadRssKiB(target.server_pid);

  std::vector<int> fds;
  fds.reserve(o.conns);
  long errors = 0;
  const bench::Clock::time_point started = bench::Clock::now();
  const double budget = o.warmup + o.seconds + 60.0;
  for (int i = 0; i < o.conns && bench::SecondsSince(started) < budget; ++i) {
    int fd = -1;
    SSL* ssl = HandshakeBlocking(ctx, target, &fd);
    const bool ok =
        ssl != nullptr &&
        (o.echo == 0 || EchoBlocking(ssl, static_cast<std::size_t>(o.echo)));
    // Freed without close_notify: the connection stays open, and the
    // client holds only its descriptor.
    SSL_free(ssl);
    if (!ok) {
      ++errors;
      ERR_clear_error();
      if (fd >= 0) close(fd);
      if (errors > 10) break;
      continue;
    }
    fds.push_back(fd);
  }
  const double open_seconds = bench::SecondsSince(started);
  // With --echo 0 the server may not have finished its last handshakes.
  std::this_thread::sleep_for(
      std::chrono::milliseconds(o.echo == 0 ? 500 : 200));
  const long after = bench::ReadRssKiB(target.server_pid);
  for (int fd : fds) close(fd);
  SSL_free(first_ssl);
  close(first);
  if (before < 0 || after < 0 || fds.empty()) {
    std::fprintf(stderr, "tls_load: cannot read VmRSS of %ld\n",
                 target.server_pid);
    return 1;
  }
  const double per_conn = static_cast<double>(after - before) * 1024.0 /
                          static_cast<double>(fds.size());
  Report(0, 1, per_conn, "B/conn", errors,
         "held=" + std::to_string(fds.size()) +
             " echo=" + std::to_string(o.echo) + TlsField(negotiated) +
             " rss_before_kib=" + std::to_string(before) + " rss_after_kib=" +
             std::to_string(after) + " open_s=" + std::to_string(open_seconds));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  // A hard bound on the run, whatever the server does.
  alarm(static_cast<unsigned>(std::ceil(
            (o.warmup + o.seconds) * static_cast<double>(o.targets.size()))) +
        90);
  SSL_CTX* ctx = NewClientContext(o);
  int status = 2;
  if (o.test_case == "pingpong") {
    status = PingPong(o, ctx);
  } else if (o.test_case == "stream") {
    status = Stream(o, ctx);
  } else if (o.test_case == "handshake") {
    status = Handshakes(o, ctx);
  } else if (o.test_case == "idle") {
    status = Idle(o, ctx);
  } else {
    Usage();
  }
  SSL_CTX_free(ctx);
  return status;
}
