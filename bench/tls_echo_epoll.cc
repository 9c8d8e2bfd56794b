// Copyright 2026 The net Authors.
//
// The TLS baseline of bench/ (issue 13): a single-threaded TLS echo server
// written by hand on level-triggered epoll and OpenSSL, with no layer in
// between, the way a careful engineer writes one when speed is all that
// matters. It is "the limit on this machine" that net's TLS echo server
// (examples/tls_echo_server, `net-tls`) is measured against.
//
//   tls_echo_epoll --listen ADDR:PORT --cert FILE --key FILE
//                  [--verify none|peer|require|once] [--ca FILE]
//                  [--max-seconds N]
//
// Same command line and output as examples/tls_echo_server; the OpenSSL
// settings are bench/tls_common.h's, shared with the Asio and libevent
// servers. Built twice, `tls_echo_epoll` and `tls_echo_epoll_b` (the A/A
// control, docs/bench.md). The choices, beside bench/echo_epoll.cc's:
//
//   * OpenSSL reads and writes the socket itself (SSL_set_fd, its socket
//     BIO): no copy between a memory BIO and the socket.
//   * The handshake waits for the ClientHello to arrive (EPOLLIN) rather
//     than trying at once: on loopback the accept wakes before it is there,
//     and a try would be a read() that finds nothing.
//   * Each record read is written back at once from one loop-wide buffer
//     (SSL_read returns one record, at most 16 KiB). Only when SSL_write
//     would block is the rest copied (one heap string) and the connection
//     switched to wait for whatever OpenSSL wants (WANT_WRITE: EPOLLOUT;
//     WANT_READ: EPOLLIN), not reading meanwhile: backpressure, and the
//     retry passes the same bytes (ACCEPT_MOVING_WRITE_BUFFER lets them
//     live at another address).
//   * The read loop ends when OpenSSL holds no more input (!SSL_has_pending):
//     what is still in the socket makes the level-triggered epoll report it
//     again, and no read() is spent just to see EAGAIN. Records already
//     inside OpenSSL are never left behind (libevent #690's bug).
//   * SSL_read wanting to write (a post-handshake message to send) switches
//     to EPOLLOUT; the next event simply reads again.
//   * The peer's close_notify is answered with ours (SSL_shutdown, once,
//     without waiting), then the socket is closed; any other end (EOF
//     without close_notify, an error) just frees and closes. OpenSSL's
//     error queue is cleared there: in one thread, a failure (a fatal error,
//     a close_notify to a peer already gone) is the only thing that leaves
//     entries in it, and a stale entry would make the next connection's
//     SSL_get_error() report SSL_ERROR_SSL.

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "common.h"
#include "tls_common.h"

namespace {

constexpr int kMaxEvents = 1024;

class TlsEpollEcho {
 public:
  TlsEpollEcho(int epfd, int listen_fd, SSL_CTX* ctx)
      : epfd_(epfd), listen_fd_(listen_fd), ctx_(ctx) {}

  void OnEvent(int fd) {
    if (fd == listen_fd_) return AcceptAll();
    OnConnection(fd);
  }

 private:
  // By descriptor: 24 bytes per slot, the SSL being the real cost.
  struct Conn {
    SSL* ssl = nullptr;
    // Set only while an echo is only partly written.
    std::unique_ptr<std::string> pending;
    std::uint32_t interest = 0;  // the epoll events asked for
    bool handshaking = false;
  };

  void Want(int fd, Conn& c, std::uint32_t events) {
    if (c.interest == events) return;
    c.interest = events;
    epoll_event e{};
    e.events = events;
    e.data.fd = fd;
    epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &e);
  }

  void AcceptAll() {
    for (;;) {
      const int fd = bench::AcceptNext(listen_fd_);
      if (fd < 0) return;  // EAGAIN, or out of descriptors
      bench::SetNoDelay(fd);
      SSL* ssl = SSL_new(ctx_);
      if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
        SSL_free(ssl);
        ERR_clear_error();
        close(fd);
        continue;
      }
      SSL_set_accept_state(ssl);
      if (static_cast<std::size_t>(fd) >= conns_.size()) {
        conns_.resize(static_cast<std::size_t>(fd) * 2 + 1);
      }
      Conn& c = conns_[fd];
      c.ssl = ssl;
      c.handshaking = true;
      c.interest = EPOLLIN;
      epoll_event e{};
      e.events = EPOLLIN;
      e.data.fd = fd;
      epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &e);
    }
  }

  // Frees the connection; with `clean`, after answering the peer's
  // close_notify with ours (a peer that is already gone makes that fail,
  // which leaves entries in the error queue too).
  void Close(int fd, Conn& c, bool clean) {
    if (clean) SSL_shutdown(c.ssl);
    ERR_clear_error();
    SSL_free(c.ssl);
    c.ssl = nullptr;
    c.pending.reset();
    close(fd);  // also leaves the epoll set
  }

  // What SSL_get_error() says after a call on `c` returned `r` <= 0: wait
  // for the socket (true, interest set), or the connection is over (false;
  // `clean` when the peer sent close_notify).
  bool WaitFor(int fd, Conn& c, int r, bool* clean) {
    switch (SSL_get_error(c.ssl, r)) {
      case SSL_ERROR_WANT_READ:
        Want(fd, c, EPOLLIN);
        return true;
      case SSL_ERROR_WANT_WRITE:
        Want(fd, c, EPOLLOUT);
        return true;
      case SSL_ERROR_ZERO_RETURN:
        *clean = true;
        return false;
      default:
        return false;
    }
  }

  void OnConnection(int fd) {
    Conn& c = conns_[fd];
    bool clean = false;
    if (c.handshaking) {
      const int r = SSL_do_handshake(c.ssl);
      if (r != 1) {
        if (!WaitFor(fd, c, r, &clean)) Close(fd, c, false);
        return;
      }
      c.handshaking = false;
      Want(fd, c, EPOLLIN);
      // The client's first record may have come with its Finished.
    }
    if (c.pending != nullptr) {
      std::string& rest = *c.pending;
      while (!rest.empty()) {
        const int w =
            SSL_write(c.ssl, rest.data(), static_cast<int>(rest.size()));
        if (w <= 0) {
          if (!WaitFor(fd, c, w, &clean)) Close(fd, c, clean);
          return;  // still blocked
        }
        rest.erase(0, static_cast<std::size_t>(w));
      }
      c.pending.reset();
      Want(fd, c, EPOLLIN);
    }
    for (;;) {
      const int n = SSL_read(c.ssl, buffer_, sizeof(buffer_));
      if (n <= 0) {
        if (!WaitFor(fd, c, n, &clean)) Close(fd, c, clean);
        return;
      }
      int sent = 0;
      while (sent < n) {
        const int w = SSL_write(c.ssl, buffer_ + sent, n - sent);
        if (w <= 0) {
          if (!WaitFor(fd, c, w, &clean)) return Close(fd, c, clean);
          c.pending = std::make_unique<std::string>(buffer_ + sent, n - sent);
          return;
        }
        sent += w;
      }
      // The socket says when there is more.
      if (!SSL_has_pending(c.ssl)) return;
    }
  }

  const int epfd_;
  const int listen_fd_;
  SSL_CTX* const ctx_;
  std::vector<Conn> conns_;
  char buffer_[bench::kBufferSize];
};

}  // namespace

int main(int argc, char** argv) {
  const char* const name = "tls_echo_epoll";
  const bench::TlsServerArgs args = bench::ParseTlsServerArgs(argc, argv, name);
  SSL_CTX* ctx = bench::NewServerContextOrDie(args, name);
  const int listen_fd = bench::ListenOrDie(args.server, name);
  bench::EpollLoop loop;
  if (!bench::StartEpollLoop(listen_fd, args.server.max_seconds, name, &loop)) {
    return 1;
  }
  auto server = std::make_unique<TlsEpollEcho>(loop.epfd, listen_fd, ctx);
  return bench::RunEpollLoop<kMaxEvents>(
      loop, name, [&](int fd) { server->OnEvent(fd); });
}
