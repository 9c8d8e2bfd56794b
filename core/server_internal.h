// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/server_internal.h
// -----------------------------------------------------------------------------
//
// `Server::Core`: what a server is, shared by its lifecycle (core/server.cc),
// the callback strategy (core/server_loop.cc) and the thread pool
// (core/server_pool.cc). The server is a client of the layers below it: its
// acceptors are `Listener`s on `EventLoop`s, its loop connections are
// `Connection`s (TLS ones from `NewTlsConnection()`), its workers' TLS
// streams are `TlsSocket`s.
//
// Threads: the shards' loop threads (one per loop), the pool's workers, and
// whoever calls the public API. `mu` guards the lifecycle; each shard's
// connections belong to its loop thread; the pool has its own lock.

#ifndef NET_CORE_SERVER_INTERNAL_H_
#define NET_CORE_SERVER_INTERNAL_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "net/connection.h"
#include "net/event_loop.h"
#include "net/listener.h"
#include "net/server.h"
#include "net/socket.h"
#include "net/tls.h"

namespace net {
namespace internal {

// The thread pool (core/server_pool.cc): accepted sockets waiting for a
// worker (never more than `pool_max - busy`), the workers, the streams.
struct Handoff {
  Socket socket;
  SocketAddress peer;
};

struct Pool {
  absl::Mutex mu;
  std::deque<Handoff> pending ABSL_GUARDED_BY(mu);
  int total ABSL_GUARDED_BY(mu) = 0;  // worker threads alive
  int idle ABSL_GUARDED_BY(mu) = 0;   // ... waiting for work
  int busy ABSL_GUARDED_BY(mu) = 0;   // ... serving a connection
  bool stopping ABSL_GUARDED_BY(mu) = false;
  absl::flat_hash_map<std::thread::id, std::thread> threads ABSL_GUARDED_BY(mu);
  std::vector<std::thread> exited ABSL_GUARDED_BY(mu);  // to join
  // The streams being served, and whether the drain cut them.
  absl::flat_hash_map<ServerStream*, bool> active ABSL_GUARDED_BY(mu);
};

struct Shard;

}  // namespace internal

struct Server::Core {
  enum class Phase : std::uint8_t {
    kCreated,    // nothing bound
    kListening,  // bound, loops made, no thread
    kRunning,    // threads started
    kDraining,   // a Drain() is running
    kStopped,    // everything joined and closed; final
  };

  Core(const ServerOptions& options, std::shared_ptr<const TlsContext> tls);
  ~Core();

  // The `Server` handle of `core` (its constructor is private).
  static std::unique_ptr<Server> NewServer(std::shared_ptr<Core> core) {
    return std::unique_ptr<Server>(new Server(std::move(core)));
  }

  // The lifecycle (core/server.cc).
  absl::Status Listen();
  absl::Status Start();
  void Stop();
  absl::Status Drain(absl::Time deadline);

  // Each shard's part of a stop, on its loop thread: stop accepting, tell
  // the callback handler. Idempotent.
  void StopShard(internal::Shard& shard);
  // The acceptors' pause and resume: at the connection cap (callback) or
  // with every worker busy (pool). The caller sets `paused` first (true
  // before `Pause()`, false before `Resume()`). `Pause()` runs on an
  // acceptor's loop thread, for its own listener, `Resume()` on any.
  void Pause(internal::Shard& shard);
  void Resume();
  // Marks the calling thread as one of this server's (loop or worker);
  // Drain() refuses to run on those, as it would join itself.
  static void EnterThread(const Core* core);
  bool OnOwnThread() const;

  // The callback strategy (core/server_loop.cc).
  void LoopAccept(internal::Shard& shard, Socket socket);
  void LoopAdopt(internal::Shard& shard, Socket socket);
  void LoopCut(internal::Shard& shard);
  // Resume() if paused at the cap and now below it.
  void LoopMaybeResume();
  // Lets go of connections the handler closed outside their callbacks
  // (on each tick of `delay`, and while draining).
  void LoopSweep(internal::Shard& shard);
  bool LoopQuiet(internal::Shard& shard);

  // The thread pool (core/server_pool.cc).
  void PoolStart();
  void PoolAccept(internal::Shard& shard, Socket socket,
                  const SocketAddress& peer);
  void PoolStop();
  void PoolCut();
  void PoolJoin();
  void PoolReap();
  std::uint64_t PoolBusy();
  void PoolStats(ServerStats& stats);

  void ReportError(const absl::Status& error) const;

  const ServerOptions options;
  const std::shared_ptr<const TlsContext> tls;
  // What every connection is made with, worked out once from `options`:
  // the loop connections' options (`idle_timeout` folded in) and the TLS
  // streams' (`handshake_timeout`).
  ConnectionOptions connection_options;
  TlsStreamOptions tls_stream;
  ServerHandler* handler = nullptr;  // callback strategy
  WorkerHandler worker;              // thread pool
  Server* server = nullptr;          // the handle handlers are given
  SocketAddress address;             // where to bind

  // The closing flag, and a pair whose `wake_read` end becomes readable for
  // good when it is set: blocked worker reads wait on it.
  std::atomic<bool> closing{false};
  Socket wake_read;
  Socket wake_write;

  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> open{0};
  std::atomic<std::uint64_t> cut{0};
  std::atomic<bool> accepting{false};
  // The acceptors were paused (cap or busy pool) and wait for `Resume()`
  // (pool: changed under the pool's lock).
  std::atomic<bool> paused{false};

  // Shards: the loops with their threads. The pool has one, the acceptor.
  std::vector<std::unique_ptr<internal::Shard>> shards;
  // Each loop accepts on its own SO_REUSEPORT socket (set by Listen()).
  bool per_loop_accept = false;
  // Hand-off without SO_REUSEPORT: the next shard to get a connection.
  std::atomic<std::uint32_t> next_shard{0};
  std::unique_ptr<internal::Pool> pool;

  mutable absl::Mutex mu;
  Phase phase ABSL_GUARDED_BY(mu) = Phase::kCreated;
  bool stop_requested ABSL_GUARDED_BY(mu) = false;
  absl::Status drain_status ABSL_GUARDED_BY(mu);
  SocketAddress bound ABSL_GUARDED_BY(mu);
};

namespace internal {

// Shard
//
// One event loop and its thread, maybe with an acceptor; in the callback
// strategy it also holds the connections that live on the loop.
struct Shard final : ConnectionHandler {
  explicit Shard(Server::Core& server_core) : core(server_core) {}

  // The loop connections' handler: forwards to the `ServerHandler` and lets
  // go of a connection once it is closed (core/server_loop.cc).
  std::size_t OnData(Connection& connection, absl::string_view data) override;
  void OnEndOfStream(Connection& connection) override;
  void OnDrain(Connection& connection) override;
  void OnError(Connection& connection, const absl::Status& error) override;
  // The connection ended with `status`: tell the handler, free it.
  void Finish(Connection& connection, const absl::Status& status);
  // Finish() if the handler closed it.
  void FinishIfClosed(Connection& connection);

  Server::Core& core;
  std::unique_ptr<EventLoop> loop;
  std::unique_ptr<Listener> listener;  // null: no acceptor here, or stopped
  std::thread thread;
  TimerId tick = 0;
  bool stopped = false;  // StopShard() ran (loop thread)
  // Loop thread only.
  absl::flat_hash_map<Connection*, ConnectionPtr> connections;
  // Set by LoopQuiet() on the loop thread, read by Drain().
  std::atomic<bool> quiet{false};
};

}  // namespace internal
}  // namespace net

#endif  // NET_CORE_SERVER_INTERNAL_H_
