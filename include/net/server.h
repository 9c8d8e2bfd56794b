// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: server.h
// -----------------------------------------------------------------------------
//
// `net::Server` is a TCP server in the model of cp_socket's: create it on an
// address with a strategy, set the backlog, the delay, the pool sizes and
// an owner pointer, listen, serve; stop every server from a signal handler;
// shut everything down. A TLS variant takes a certificate, a key and one
// of cp_socket's four verification modes. docs/server.md maps cp_socket's
// calls to these one by one and explains the decisions.
//
// Two strategies, chosen by the handler given to `Create()`:
//
// * Callback (`ServerHandler`): the connections live on event loops, as
//   `net::Connection`s; the handler runs on a loop each time one has data.
//   `threads` loops (default 1) share them: each loop accepts on its own
//   SO_REUSEPORT socket where the OS balances those (Linux, FreeBSD);
//   elsewhere the first loop accepts and hands connections round-robin to
//   the others. TLS handshakes run on the connection's loop.
//
// * Thread pool (`WorkerHandler`): each accepted connection is handed to a
//   worker thread as a blocking `ServerStream` (plain or TLS), the
//   thread-per-connection model. The pool starts `pool_min` workers, grows
//   on demand to `pool_max` and lets a worker above `pool_min` exit after
//   `pool_idle` without work. When every one of `pool_max` workers is busy,
//   the acceptor stops accepting and the kernel's backlog holds the rest:
//   there is no queue in between and no thread beyond `pool_max`. TLS
//   handshakes run in the workers, under `handshake_timeout`, never in the
//   acceptor.
//
// Stopping. `Stop()` (or `StopAllServers()`) sets the server's closing
// flag: it stops accepting (the listening sockets close, so new clients
// are refused), each loop connection hears `OnClosing()`, and a worker
// blocked in `ServerStream::Read()` wakes at once with kCancelled. Nothing
// is cut yet. `Drain(deadline)` then waits for the connections to end,
// resets the ones still open at the deadline, and joins every thread.
// `Serve()` is `Start()`, a wait for the stop, and `Drain()` with
// `drain_timeout`.
//
// Signals. net installs no signal handler. `StopAllServers()` only stores
// to an atomic and writes one byte to a socket, so a handler you install
// may call it; a stopper thread (started with the first server, joined by
// `ShutdownServers()`) stops the servers. Example:
//
//   void OnSignal(int) { net::StopAllServers(); }
//
//   int main() {
//     std::signal(SIGINT, OnSignal);
//     net::ServerOptions options;
//     options.address = *net::SocketAddress::Parse("127.0.0.1:7000");
//     options.pool_max = 64;
//     auto server = net::Server::Create(options, [](net::ServerStream& s) {
//       char buf[4096];
//       while (true) {
//         absl::StatusOr<net::IoResult> r = s.Read(absl::MakeSpan(buf));
//         if (!r.ok() || r->end_of_stream()) return;  // kCancelled: closing
//         if (!s.Write(absl::string_view(buf, r->bytes())).ok()) return;
//       }
//     });
//     if (!server.ok() || !(*server)->Serve().ok()) return 1;
//     net::ShutdownServers();
//   }

#ifndef NET_SERVER_H_
#define NET_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "net/address.h"
#include "net/connection.h"
#include "net/event_loop.h"
#include "net/export.h"
#include "net/listener.h"
#include "net/socket.h"
#include "net/tls.h"

namespace net {

class Server;
class ServerStream;

// ServerOptions
//
// Checked by `Server::Create()`: a bad value is kInvalidArgument there and
// nothing is started.
struct ServerOptions {
  // Where to listen. Unset (kUnspecified): 0.0.0.0 on `port`, cp_socket's
  // INADDR_ANY. Port 0 picks a free port (`Server::LocalAddress()`).
  SocketAddress address;
  std::uint16_t port = 0;
  // listen()'s backlog; -1: SOMAXCONN. In the thread-pool strategy this is
  // where connections wait while every worker is busy.
  int backlog = -1;
  // cp_socket's select timeout. net's loops and workers are woken by the
  // stop itself (a task posted to each loop; a blocked worker read is
  // ended), so a stop is noticed at once; `delay` is the period of the
  // server's housekeeping (joining exited workers, letting go of loop
  // connections closed outside their callbacks, the loops' look at the
  // closing flag): the longest anything not woken directly waits.
  absl::Duration delay = absl::Seconds(1);
  // Callback strategy: the number of loop threads, each with its own
  // poller and connections. At most one per CPU the server may run on
  // (`AvailableParallelism()`, below): loops beyond that share CPUs and
  // each costs more per operation than one loop alone (docs/server.md,
  // "How many loops").
  int threads = 1;
  // Thread-pool strategy: workers kept, workers at most, and how long a
  // worker above `pool_min` may wait for work before it exits.
  int pool_min = 1;
  int pool_max = 16;
  absl::Duration pool_idle = absl::Seconds(30);
  // cp_socket's owner: handed to handlers through `Server::owner()`.
  void* owner = nullptr;
  // The listening sockets' flags (net/listener.h). kReusable by default
  // (a restarted server can bind while old connections are in TIME_WAIT);
  // kReusablePort is added by the server where it needs it.
  ListenerFlags listener_flags = ListenerFlags::kReusable;
  // The most connections open at once: at the cap the server stops
  // accepting and the backlog holds the rest, as in the pool. -1: no cap
  // (the thread pool is capped by `pool_max` anyway). With several loops
  // on SO_REUSEPORT, each loop checks after its own accepts, so the count
  // may pass the cap by at most `threads - 1`.
  int max_connections = -1;
  // TLS: the handshake must finish within this.
  absl::Duration handshake_timeout = absl::Seconds(10);
  // A connection with no byte received for this long is closed (callback:
  // `ConnectionOptions::idle_timeout`; thread pool: a `Read()` without a
  // deadline ends with kTimedOut). Infinite: none.
  absl::Duration idle_timeout = absl::InfiniteDuration();
  // How long `Serve()` drains after a stop before cutting.
  absl::Duration drain_timeout = absl::Seconds(5);
  // The TLS variant: a server context made from these options
  // (certificate, key, verification mode ...), or one made already. At
  // most one of the two.
  std::optional<TlsServerOptions> tls;
  std::shared_ptr<const TlsContext> tls_context;
  // Callback strategy: each connection's options (`idle_timeout` above
  // overrides this one's when set).
  ConnectionOptions connection;
  // The loops' backend (NET_EVENT_LOOP in the environment, else the OS's
  // best, by default).
  EventLoopOptions loop;
  // Hears what no connection can report: accept failures (out of
  // descriptors ...) and, in the thread pool, failed TLS handshakes. May be
  // called on any of the server's threads.
  std::function<void(const absl::Status& error)> on_error;
};

// ServerHandler
//
// The callback strategy's handler, called on the connection's loop. One
// handler serves every connection of the server (per-connection state
// hangs off `Connection::set_context()`), from `threads` loops at once.
class NET_EXPORT ServerHandler {
 public:
  virtual ~ServerHandler() = default;

  // A connection was accepted (for TLS, its handshake is still running:
  // writes are queued until it finishes). Optional.
  virtual void OnOpen(Server& server, Connection& connection) {
    (void)server;
    (void)connection;
  }

  // As `ConnectionHandler::OnData()`: every unconsumed byte; returns how
  // many were consumed. The connection may be closed here.
  virtual std::size_t OnData(Server& server, Connection& connection,
                             absl::string_view data) = 0;

  // The peer's FIN. By default the connection is closed (after its queue
  // is flushed).
  virtual void OnEndOfStream(Server& server, Connection& connection) {
    (void)server;
    connection.Close();
  }

  // As `ConnectionHandler::OnDrain()`.
  virtual void OnDrain(Server& server, Connection& connection) {
    (void)server;
    (void)connection;
  }

  // The server began to stop (`Stop()`, `Drain()`, `StopAllServers()`):
  // finish what is in flight, then close. Called once per connection. By
  // default nothing happens: the connection stays until it ends or the
  // drain deadline cuts it.
  virtual void OnClosing(Server& server, Connection& connection) {
    (void)server;
    (void)connection;
  }

  // The server let go of the connection, once per `OnOpen()`: status OK
  // after a close by either side, else the error (kTimedOut for
  // `idle_timeout`, kCancelled when the drain deadline cut it, ...). A
  // close from inside a callback is seen when the callback returns; one
  // from elsewhere (a timer of yours) within `delay`.
  virtual void OnClose(Server& server, Connection& connection,
                       const absl::Status& status) {
    (void)server;
    (void)connection;
    (void)status;
  }
};

// WorkerHandler
//
// The thread-pool strategy's handler: serves one connection on a worker
// thread and returns when done (the stream is then closed). Called from
// up to `pool_max` threads at once.
using WorkerHandler = std::function<void(ServerStream& stream)>;

// ServerStream
//
// A worker's connection: blocking calls over the accepted socket (or its
// TLS stream), each with a deadline, woken by the server's closing flag.
class NET_EXPORT ServerStream {
 public:
  ServerStream(const ServerStream&) = delete;
  ServerStream& operator=(const ServerStream&) = delete;

  // ServerStream::Read()
  //
  // Up to `buffer.size()` bytes, waiting until at least one is there.
  // Bytes that are already there are returned even while the server is
  // closing; a read that would have to wait then fails at once with
  // kCancelled ("server closing"), and one waiting when the flag is set
  // wakes with it. kDeadlineExceeded (kTimedOut) at `deadline`, or after
  // `idle_timeout` when no deadline is given. End of stream: the peer's
  // FIN (TLS: its close_notify).
  absl::StatusOr<IoResult> Read(absl::Span<char> buffer,
                                absl::Time deadline = absl::InfiniteFuture());

  // ServerStream::Write()
  //
  // Writes all of `data`. Not interrupted by the closing flag (a response
  // in flight goes out); the drain deadline cuts it. kDeadlineExceeded at
  // `deadline`.
  absl::Status Write(absl::string_view data,
                     absl::Time deadline = absl::InfiniteFuture());

  // ServerStream::ShutdownWrite()
  //
  // The FIN (TLS: close_notify, then the FIN, which may wait for room in
  // the socket until `deadline`); reading goes on.
  absl::Status ShutdownWrite(absl::Time deadline = absl::InfiniteFuture());

  // The server's closing flag, its owner pointer, and the server.
  bool closing() const;
  void* owner() const;
  Server& server() const { return *server_; }

  // The client's address, and whether the stream is TLS.
  const SocketAddress& peer() const { return peer_; }
  bool is_tls() const { return tls_.has_value(); }
  // What the TLS handshake settled; kFailedPrecondition for plain.
  absl::StatusOr<TlsSessionInfo> TlsInfo() const;
  NativeHandle native_handle() const;

 private:
  friend struct ServerStreamAccess;
  ServerStream(Server* server, Socket socket, const SocketAddress& peer);
  ~ServerStream();

  Server* server_;
  Socket socket_;  // plain; empty once `tls_` took it
  std::optional<TlsSocket> tls_;
  SocketAddress peer_;
};

// ServerStats
//
// A snapshot, for diagnostics and tests.
struct ServerStats {
  std::uint64_t accepted = 0;  // connections accepted so far
  std::uint64_t open = 0;      // connections open now
  std::uint64_t cut = 0;       // connections reset by a drain deadline
  int workers = 0;             // thread pool: worker threads alive
  int idle_workers = 0;        // ... of which waiting for work
  int loops = 0;               // callback: loop threads
  bool accepting = false;      // the acceptors are enabled now
  bool closing = false;  // `Stop()` was called
};

// Server
//
// A TCP (or TLS) server: a callback strategy on N loops or a thread pool
// of blocking streams (see the file comment). Made by `Create()`.
class NET_EXPORT Server {
 public:
  // Server::Create()
  //
  // A server of the callback strategy (`handler`, not owned: it must
  // outlive the server) or of the thread-pool strategy. Checks the options
  // and makes the TLS context; binds nothing and starts nothing.
  //
  // Errors: kInvalidArgument for bad options (a size of zero or below,
  // `pool_min` above `pool_max`, a non-positive duration, both TLS fields,
  // an address that is not IP, a null handler, ...); the TLS context's
  // errors (a missing certificate or key file, a key that does not match
  // the certificate: kInvalidArgument naming the file).
  static absl::StatusOr<std::unique_ptr<Server>> Create(
      const ServerOptions& options, ServerHandler* handler);
  static absl::StatusOr<std::unique_ptr<Server>> Create(
      const ServerOptions& options, WorkerHandler handler);

  // Stops (as `Drain()` with a deadline of now) and frees everything. Not
  // from one of the server's own threads (that is fatal: it cannot join
  // itself; call `Stop()` there).
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Server::Listen()
  //
  // Binds and listens (one socket per loop with SO_REUSEPORT). Accepting
  // starts with `Start()`. Errors: the OS's, clearly (kAddressInUse,
  // kPermissionDenied for a privileged port without the privilege, ...);
  // kFailedPrecondition when called twice or after a stop.
  absl::Status Listen();

  // Server::Start()
  //
  // `Listen()` if not done, then starts the threads and accepting; returns
  // at once.
  absl::Status Start();

  // Server::Serve()
  //
  // Blocks, like cp_socket's serve loop: `Start()`, then waits for
  // `Stop()` or `StopAllServers()`, then `Drain()` for up to
  // `drain_timeout`. OK after a stop, whatever the drain had to cut; the
  // error of `Start()` otherwise.
  absl::Status Serve();

  // Server::Stop()
  //
  // Sets the closing flag (see the file comment). Returns at once; any
  // thread, including the server's own handlers.
  void Stop();

  // Server::Drain()
  //
  // Stops (as `Stop()`), waits for the open connections to end until
  // `deadline`, resets those still open (their handlers see kCancelled),
  // waits for the thread-pool handlers to return, and joins every thread.
  // OK when every connection ended by itself; kDeadlineExceeded saying how
  // many were cut. Not from the server's own threads (kFailedPrecondition).
  // Idempotent; the server cannot be started again.
  absl::Status Drain(absl::Time deadline);

  // The closing flag.
  bool closing() const;
  // `ServerOptions::owner`, as handed to the handlers.
  void* owner() const;
  // The bound address (after `Listen()`).
  absl::StatusOr<SocketAddress> LocalAddress() const;
  // A snapshot of the counters (`ServerStats`).
  ServerStats stats() const;

  // The server's state, shared with its threads (core/server_internal.h).
  struct Core;

 private:
  friend class ServerStream;
  // Made by `Core::NewServer()`, from `Create()`.
  explicit Server(std::shared_ptr<Core> core);
  Core* core() const { return core_.get(); }

  std::shared_ptr<Core> core_;
};

// AvailableParallelism()
//
// How many CPUs the calling thread may run on: the count to give
// `ServerOptions::threads` for a loop per CPU (libuv's
// uv_available_parallelism()). Always at least 1. Linux: the thread's CPU
// affinity (`sched_getaffinity`, so `taskset` and cpusets count; the
// server's threads inherit it from the thread that starts them); Windows:
// the process's affinity mask (`GetProcessAffinityMask`, its processor
// group only, so at most 64); other systems: the CPUs online. A CPU quota
// (a container's cgroup `cpu.max`, a Windows job's rate limit) is not
// counted: the threads may run on every CPU, for part of the time.
NET_EXPORT int AvailableParallelism();

// StopAllServers()
//
// `Stop()` on every server of the process. Async-signal-safe: it stores to
// an atomic and writes one byte to a socket (errno is preserved); the
// stopper thread does the rest. Safe to call with no server at all.
NET_EXPORT void StopAllServers();

// ShutdownServers()
//
// `Drain()` with a deadline of now on every server of the process, one
// after the other, then joins the stopper thread. When it returns no handler
// runs, every thread net started for servers is joined and their
// descriptors are closed. Servers made afterwards work as new.
NET_EXPORT void ShutdownServers();

}  // namespace net

#endif  // NET_SERVER_H_
