// Copyright 2026 The net Authors.
//
// The POCO echo server of bench/ (issue 14): Poco::Net::TCPServer (POCO
// 1.11, Debian 12's libpoco-dev), the thread-per-connection server that
// net::Server's thread-pool strategy is measured against.
//
//   server_poco [--listen ADDR:PORT] [--max-seconds N] --workers W
//               [--min-workers M] [--max-queued Q]
//
// Same output as the other servers of bench/: the bound address as the
// first line of standard output, then it echoes until killed (SIGTERM's
// default action) or until --max-seconds pass. The POCO idiom:
//
//   * A TCPServerConnectionFactoryImpl<EchoConnection>; each connection's
//     run() echoes with blocking StreamSocket::receiveBytes() into a
//     64 KiB buffer on its stack (bench::kBufferSize, what every server of
//     bench/ reads with) and sendBytes() of all of it back, until end of
//     stream or an exception (a reset).
//   * TCPServerParams: maxThreads = W, and a Poco::ThreadPool of its own
//     with capacity W (minCapacity = maxCapacity = W: W threads made up
//     front, a fixed pool like the others'). --min-workers M makes the pool
//     start with M threads and grow on demand to W (the idle RSS case, so
//     that each held connection's thread is counted).
//   * maxQueued = Q, default 1024. TCPServer's acceptor thread accepts
//     every connection at once (with TCP_NODELAY; it polls the listening
//     socket every 250 ms for its stop flag) and queues it for the
//     dispatcher's threads; beyond maxQueued waiting connections it
//     closes new ones without a word. POCO's default, 64, would close
//     connections in the 100-connection cases (100 - W of them wait), so
//     it is raised above what any case has waiting, as users raise it for
//     more clients than threads. (net::Server and bench/server_pool keep
//     the waiting ones in the kernel's backlog instead.)
//   * The listening socket: ServerSocket bound with SO_REUSEADDR and
//     listen(SOMAXCONN), the backlog of every server of bench/ (POCO's
//     default is 64).

#include <sys/socket.h>

#include <cstdio>
#include <string>

#include "Poco/Exception.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/Net/StreamSocket.h"
#include "Poco/Net/TCPServer.h"
#include "Poco/Net/TCPServerConnection.h"
#include "Poco/Net/TCPServerConnectionFactory.h"
#include "Poco/Net/TCPServerParams.h"
#include "Poco/ThreadPool.h"
#include "Poco/Timespan.h"
#include "common.h"

namespace {

class EchoConnection : public Poco::Net::TCPServerConnection {
 public:
  explicit EchoConnection(const Poco::Net::StreamSocket& socket)
      : Poco::Net::TCPServerConnection(socket) {}

  void run() override {
    Poco::Net::StreamSocket& s = socket();
    char buffer[bench::kBufferSize];
    try {
      for (;;) {
        const int n = s.receiveBytes(buffer, static_cast<int>(sizeof(buffer)));
        if (n <= 0) return;
        int sent = 0;
        while (sent < n) {
          const int w = s.sendBytes(buffer + sent, n - sent);
          if (w <= 0) return;
          sent += w;
        }
      }
    } catch (const Poco::Exception&) {
      // A reset by the peer: the connection ends.
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  int max_queued = 1024;
  const bench::PoolArgs pool_args = bench::ParsePoolServerArgs(
      argc, argv, "server_poco", "[--max-queued Q]",
      [&](const std::string& arg, const std::string& value) {
        return arg == "--max-queued" &&
               bench::ParseInt(value, 1, 1000000, &max_queued);
      });
  const bench::ServerArgs& args = pool_args.server;
  const int workers = pool_args.workers;

  try {
    const std::string listen =
        bench::FormatAddress(reinterpret_cast<const sockaddr*>(&args.address));
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(listen), /*reuseAddress=*/true,
                /*reusePort=*/false);
    socket.listen(SOMAXCONN);

    // POCO's ThreadPool(minCapacity, maxCapacity, idleTime s, stackSize).
    Poco::ThreadPool pool(pool_args.min_workers, workers, 60);
    Poco::Net::TCPServerParams::Ptr params = new Poco::Net::TCPServerParams;
    params->setMaxThreads(workers);
    params->setMaxQueued(max_queued);
    Poco::Net::TCPServer server(
        new Poco::Net::TCPServerConnectionFactoryImpl<EchoConnection>(), pool,
        socket, params);
    server.start();

    std::printf("%s\n", bench::FormatAddress(
                            reinterpret_cast<const sockaddr*>(
                                socket.address().addr()))
                            .c_str());
    std::fflush(stdout);
    // Workers may be blocked in a receive: the process ends without the
    // destructors (the pool's would wait for them).
    bench::SleepThenExit(args.max_seconds);
  } catch (const Poco::Exception& e) {
    std::fprintf(stderr, "server_poco: %s\n", e.displayText().c_str());
    return 1;
  }
}
