// Copyright 2026 The net Authors.
//
// The echo server of bench/ on standalone Asio (Debian's libasio-dev), one
// io_context run by one thread, or by N (--threads N: the anchor for
// net::Server's callback strategy with N loops, bench/server_run.sh).
//
//   echo_asio [--listen ADDR:PORT] [--max-seconds N] [--threads N]
//
// Same command line and output as examples/echo_server. The Asio idiom:
// a session per connection, kept alive by the handler that is pending on it,
// looping async_read_some -> async_write (the whole chunk) -> async_read_some.
// A completion-based read needs a buffer of its own for as long as it is
// pending, so each session owns one (64 KiB, the size the other servers
// read with, for the same throughput); the page of it that the first read
// touches is what an idle connection costs here. The acceptor is the socket
// every server of bench/ starts from (bench/common.h), adopted with
// `assign()`.
//
// With --threads N > 1, the Asio idiom for more than one thread:
// `io_context io(N)` (the concurrency hint: Asio keeps its locking) and
// io.run() on N threads (the main thread and N - 1 more), so any thread runs
// any completion. A session has one operation pending at a time, so its
// handlers never run concurrently and it needs no strand; the acceptor
// likewise (one async_accept pending at a time). The default, 1, is the
// single-threaded server of bench/run.sh (`io_context(1)`: Asio drops its
// locking).

#include <asio.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common.h"

namespace {

using asio::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : socket_(std::move(socket)) {}

  void Read() {
    socket_.async_read_some(
        asio::buffer(buffer_, sizeof(buffer_)),
        [self = shared_from_this()](const asio::error_code& error,
                                    std::size_t n) {
          if (!error) self->Write(n);
        });
  }

 private:
  void Write(std::size_t n) {
    asio::async_write(socket_, asio::buffer(buffer_, n),
                      [self = shared_from_this()](
                          const asio::error_code& error, std::size_t) {
                        if (!error) self->Read();
                      });
  }

  tcp::socket socket_;
  char buffer_[bench::kBufferSize];
};

void Accept(tcp::acceptor& acceptor) {
  acceptor.async_accept(
      [&acceptor](const asio::error_code& error, tcp::socket socket) {
        if (!error) std::make_shared<Session>(std::move(socket))->Read();
        Accept(acceptor);
      });
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1;
  const bench::ServerArgs args = bench::ParseServerCommandLine(
      argc, argv, "echo_asio",
      "[--listen ADDR:PORT] [--max-seconds N] [--threads N]",
      [&](const std::string& arg, const std::string& value) {
        return arg == "--threads" && bench::ParseInt(value, 1, 1024, &threads);
      },
      [] { return true; });
  const int listen_fd = bench::ListenOrDie(args, "echo_asio");

  // One thread (the default): lets Asio drop its locking.
  asio::io_context io(threads);
  const tcp protocol = args.address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4();
  tcp::acceptor acceptor(io, protocol, listen_fd);
  Accept(acceptor);
  asio::steady_timer deadline(io);
  if (args.max_seconds > 0) {
    deadline.expires_after(std::chrono::seconds(args.max_seconds));
    deadline.async_wait([&io](const asio::error_code& error) {
      if (!error) io.stop();
    });
  }
  bench::PrintBoundAddress(listen_fd);
  if (threads == 1) {
    io.run();
    return 0;
  }
  std::vector<std::thread> runners;
  for (int i = 1; i < threads; ++i) runners.emplace_back([&io] { io.run(); });
  io.run();
  for (std::thread& t : runners) t.join();
  // Sessions still open hold their sockets; end without destroying them
  // under the threads' feet.
  std::_Exit(0);
}
