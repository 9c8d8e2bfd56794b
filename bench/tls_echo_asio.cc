// Copyright 2026 The net Authors.
//
// The TLS echo server of bench/ on standalone Asio (Debian's libasio-dev
// 1.22): `asio::ssl::stream<tcp::socket>`, one io_context run by one thread
// (issue 13).
//
//   tls_echo_asio --listen ADDR:PORT --cert FILE --key FILE
//                 [--verify none|peer|require|once] [--ca FILE]
//                 [--max-seconds N]
//
// Same command line and output as examples/tls_echo_server. The Asio idiom,
// as bench/echo_asio.cc for plain TCP: a session per connection, kept alive
// by the handler pending on it, async_handshake(server), then looping
// async_read_some -> async_write (the whole chunk) -> async_read_some. Each
// session owns a 16 KiB buffer (a pending read needs one of its own; one
// record's plaintext is at most 16 KiB, and Asio's engine returns one record
// per read). The peer's close_notify (asio::error::eof) is answered with
// async_shutdown, which sends ours and, the peer's being in, completes at
// once; any other error drops the session, which closes the socket.
//
// The SSL_CTX is bench/tls_common.h's, adopted by asio::ssl::context (it
// takes ownership). Asio itself puts a memory BIO pair between OpenSSL and
// the socket (its engine): every byte is copied once more each way, and each
// stream keeps the pair's and its own record-sized buffers.

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <chrono>
#include <memory>
#include <utility>

#include "common.h"
#include "tls_common.h"

namespace {

using asio::ip::tcp;
using SslStream = asio::ssl::stream<tcp::socket>;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, asio::ssl::context& ctx)
      : stream_(std::move(socket), ctx) {
    stream_.lowest_layer().set_option(tcp::no_delay(true));  // tls_common.h
  }

  void Start() {
    stream_.async_handshake(
        asio::ssl::stream_base::server,
        [self = shared_from_this()](const asio::error_code& error) {
          if (!error) self->Read();
        });
  }

 private:
  void Read() {
    stream_.async_read_some(asio::buffer(buffer_, sizeof(buffer_)),
                            [self = shared_from_this()](
                                const asio::error_code& error, std::size_t n) {
                              if (!error) return self->Write(n);
                              if (error == asio::error::eof) self->Shutdown();
                            });
  }

  void Write(std::size_t n) {
    asio::async_write(stream_, asio::buffer(buffer_, n),
                      [self = shared_from_this()](const asio::error_code& error,
                                                  std::size_t) {
                        if (!error) self->Read();
                      });
  }

  void Shutdown() {
    stream_.async_shutdown(
        [self = shared_from_this()](const asio::error_code&) {});
  }

  SslStream stream_;
  char buffer_[16 * 1024];
};

void Accept(tcp::acceptor& acceptor, asio::ssl::context& ctx) {
  acceptor.async_accept(
      [&acceptor, &ctx](const asio::error_code& error, tcp::socket socket) {
        if (!error) std::make_shared<Session>(std::move(socket), ctx)->Start();
        Accept(acceptor, ctx);
      });
}

}  // namespace

int main(int argc, char** argv) {
  const char* const name = "tls_echo_asio";
  const bench::TlsServerArgs args = bench::ParseTlsServerArgs(argc, argv, name);
  asio::ssl::context ctx(bench::NewServerContextOrDie(args, name));
  const int listen_fd = bench::ListenOrDie(args.server, name);

  asio::io_context io(1);  // one thread: lets Asio drop its locking
  const tcp protocol =
      args.server.address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4();
  tcp::acceptor acceptor(io, protocol, listen_fd);
  Accept(acceptor, ctx);
  asio::steady_timer deadline(io);
  if (args.server.max_seconds > 0) {
    deadline.expires_after(std::chrono::seconds(args.server.max_seconds));
    deadline.async_wait([&io](const asio::error_code& error) {
      if (!error) io.stop();
    });
  }
  bench::PrintBoundAddress(listen_fd);
  io.run();
  return 0;
}
