// Copyright 2026 The net Authors.
//
// The server's thread-pool strategy: the acceptor (a `Listener` on one
// loop) hands each connection to a worker thread, which serves it through a
// blocking `ServerStream`. There is no queue of connections beyond the
// workers: the acceptor accepts only while `busy + pending < pool_max`,
// and pauses otherwise, so the kernel's backlog holds the rest.
//
// Blocking reads wait with poll() on the socket and on the server's wakeup
// (readable for good once the server is closing), so a read blocked when
// the server stops wakes at once. TLS streams are `TlsSocket`s given the
// same wakeup (core/tls_socket.cc); their handshakes run here, in the
// worker, never in the acceptor.

#include <deque>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/errors_internal.h"
#include "core/server_internal.h"
#include "core/tls_internal.h"
#include "net/server.h"
#include "platform/sys.h"

namespace net {


using internal::Handoff;
using internal::Pool;
using internal::Shard;

// The worker's side: makes the stream, runs the handshake and the handler.
struct ServerStreamAccess {
  static void Serve(Server::Core& core, Handoff handoff) {
    // The socket is blocking (the acceptor leaves it so): a read is one
    // recv() that the stop can end (sys::ReceiveOrCancel()), a write one
    // send(), as in a hand-written thread-per-connection server.
    ServerStream stream(core.server, std::move(handoff.socket), handoff.peer);
    if (core.tls != nullptr) {
      absl::StatusOr<TlsSocket> tls = internal::TlsSocketAccess::Server(
          std::move(stream.socket_), core.tls, core.tls_stream,
          absl::Now() + core.options.handshake_timeout,
          core.wake_read.native_handle());
      if (!tls.ok()) {
        if (!absl::IsCancelled(tls.status())) core.ReportError(tls.status());
        core.open.fetch_sub(1);
        return;
      }
      stream.tls_.emplace(std::move(*tls));
    }
    Pool& pool = *core.pool;
    {
      absl::MutexLock lock(&pool.mu);
      pool.active.emplace(&stream, false);
    }
    core.worker(stream);
    {
      absl::MutexLock lock(&pool.mu);
      pool.active.erase(&stream);
    }
    core.open.fetch_sub(1);
  }
};

namespace {

void RunWorker(Server::Core& core, Pool& pool) {
  Server::Core::EnterThread(&core);
  absl::MutexLock lock(&pool.mu);
  auto has_work = [&pool]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool.mu) {
    return pool.stopping || !pool.pending.empty();
  };
  while (true) {
    ++pool.idle;
    const bool woken = pool.mu.AwaitWithTimeout(
        absl::Condition(&has_work), core.options.pool_idle);
    --pool.idle;
    if (pool.stopping) break;
    if (pool.pending.empty()) {
      if (!woken && pool.total > core.options.pool_min) break;  // shrink
      continue;
    }
    Handoff handoff = std::move(pool.pending.front());
    pool.pending.pop_front();
    ++pool.busy;
    pool.mu.Unlock();
    ServerStreamAccess::Serve(core, std::move(handoff));
    pool.mu.Lock();
    --pool.busy;
    if (core.paused.load() && !pool.stopping) {
      core.paused.store(false);  // a worker is free: accept again
      core.Resume();
    }
  }
  --pool.total;
  auto self = pool.threads.find(std::this_thread::get_id());
  if (self != pool.threads.end()) {  // else PoolJoin() holds it already
    pool.exited.push_back(std::move(self->second));
    pool.threads.erase(self);
  }
}

void SpawnWorker(Server::Core& core, Pool& pool)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool.mu) {
  ++pool.total;
  std::thread t([&core, &pool] { RunWorker(core, pool); });
  const std::thread::id id = t.get_id();
  pool.threads.emplace(id, std::move(t));
}

}  // namespace

void Server::Core::PoolStart() {
  pool = std::make_unique<Pool>();
  absl::MutexLock lock(&pool->mu);
  for (int i = 0; i < options.pool_min; ++i) SpawnWorker(*this, *pool);
}

void Server::Core::PoolAccept(Shard& shard, Socket socket,
                              const SocketAddress& peer) {
  accepted.fetch_add(1, std::memory_order_relaxed);
  open.fetch_add(1);
  Pool& p = *pool;
  const int max = options.pool_max;
  auto has_room = [&p, max]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(p.mu) {
    return p.stopping || p.busy + static_cast<int>(p.pending.size()) < max;
  };
  bool full;
  {
    absl::MutexLock lock(&p.mu);
    if (p.stopping) {
      open.fetch_sub(1);
      return;  // closed unserved
    }
    p.pending.push_back({std::move(socket), peer});
    if (static_cast<int>(p.pending.size()) > p.idle && p.total < max) {
      SpawnWorker(*this, p);
    }
    full = !has_room();
    if (full) {
      // Every worker has a connection: accept nothing more until one is
      // free; the kernel's backlog holds the rest. The acceptor waits
      // here, on the pool, which is all its loop serves: the worker that
      // finishes wakes it by releasing the lock (no task posted to the
      // loop, no wakeup of it, no listener disabled and enabled again:
      // under a steady load that was one round of each per connection).
      // Nothing is accepted meanwhile, the listener staying enabled: the
      // readiness backends accept only from the loop, and on io_uring the
      // ring's accept runs as deferred task work, only inside the loop's
      // own wait (server_test counts the descriptors). Stop() wakes it
      // too (PoolStop() sets `stopping`). The wait is bounded by `delay`,
      // the loop's housekeeping period; after that the listener is paused
      // and the loop goes back to its timers.
      accepting.store(false);
      full = !p.mu.AwaitWithTimeout(absl::Condition(&has_room), options.delay);
      if (p.stopping) {
        full = true;  // accept no more; the stop's StopShard() closes it
      } else if (full) {
        paused.store(true);  // under the lock: a worker's resume sees it
      } else {
        accepting.store(true);
      }
    }
  }
  // Still full after `delay`, or stopping: stop accepting (until a worker
  // is free: its Resume() is posted behind this).
  if (full) Pause(shard);
}

void Server::Core::PoolStop() {
  if (pool == nullptr) return;
  std::deque<Handoff> unserved;
  {
    absl::MutexLock lock(&pool->mu);
    pool->stopping = true;
    unserved.swap(pool->pending);
  }
  // Accepted, never served: closed (counted as cut).
  cut.fetch_add(unserved.size());
  open.fetch_sub(unserved.size());
  // Workers blocked in a plain read: ended (POSIX; on Windows the wakeup
  // socket, written by Stop(), ends their wait).
  absl::MutexLock lock(&pool->mu);
  for (const auto& [stream, was_cut] : pool->active) {
    if (!stream->is_tls()) sys::InterruptReceive(stream->native_handle());
  }
}

void Server::Core::PoolCut() {
  if (pool == nullptr) return;
  absl::MutexLock lock(&pool->mu);
  for (auto& [stream, was_cut] : pool->active) {
    if (was_cut) continue;
    was_cut = true;
    cut.fetch_add(1);
    // The worker's calls fail from here on; it returns and closes.
    sys::AbortTransfers(stream->native_handle());
  }
}

void Server::Core::PoolJoin() {
  if (pool == nullptr) return;
  while (true) {
    std::vector<std::thread> joining;
    {
      absl::MutexLock lock(&pool->mu);
      joining.swap(pool->exited);
      for (auto& [id, t] : pool->threads) joining.push_back(std::move(t));
      pool->threads.clear();
    }
    if (joining.empty()) return;
    for (std::thread& t : joining) t.join();
  }
}

void Server::Core::PoolReap() {
  std::vector<std::thread> joining;
  {
    absl::MutexLock lock(&pool->mu);
    joining.swap(pool->exited);
  }
  for (std::thread& t : joining) t.join();
}

std::uint64_t Server::Core::PoolBusy() {
  if (pool == nullptr) return 0;
  absl::MutexLock lock(&pool->mu);
  return static_cast<std::uint64_t>(pool->busy);
}

void Server::Core::PoolStats(ServerStats& stats) {
  if (pool == nullptr) return;
  absl::MutexLock lock(&pool->mu);
  stats.workers = pool->total;
  stats.idle_workers = pool->idle;
}

// --- ServerStream -------------------------------------------------------------

ServerStream::ServerStream(Server* server, Socket socket,
                           const SocketAddress& peer)
    : server_(server), socket_(std::move(socket)), peer_(peer) {}

ServerStream::~ServerStream() = default;  // TLS: close_notify, not waited for

bool ServerStream::closing() const { return server_->closing(); }
void* ServerStream::owner() const { return server_->owner(); }

NativeHandle ServerStream::native_handle() const {
  return tls_.has_value() ? tls_->socket().native_handle()
                          : socket_.native_handle();
}

absl::StatusOr<TlsSessionInfo> ServerStream::TlsInfo() const {
  if (!tls_.has_value()) {
    return absl::FailedPreconditionError("server stream: not TLS");
  }
  return tls_->Info();
}

absl::StatusOr<IoResult> ServerStream::Read(absl::Span<char> buffer,
                                            absl::Time deadline) {
  const Server::Core& core = *server_->core();
  if (deadline == absl::InfiniteFuture() &&
      core.options.idle_timeout != absl::InfiniteDuration()) {
    deadline = absl::Now() + core.options.idle_timeout;
  }
  if (tls_.has_value()) return tls_->Read(buffer, deadline);
  auto cancelled = [this] {
    return absl::CancelledError(
        absl::StrCat("server read ", peer_.ToString(), ": server closing"));
  };
  // Closing: what is there already, without waiting.
  const bool closing = core.closing.load(std::memory_order_acquire);
  const absl::Duration wait =
      closing ? absl::ZeroDuration()
      : deadline == absl::InfiniteFuture()
          ? absl::InfiniteDuration()
          : std::max(deadline - absl::Now(), absl::ZeroDuration());
  bool woken = false;
  absl::StatusOr<IoResult> r = sys::ReceiveOrCancel(
      socket_.native_handle(), buffer,
      closing ? kInvalidHandle : core.wake_read.native_handle(), wait, &woken);
  if (!r.ok()) return r;
  // The stop ends a blocked read with an end of stream (InterruptReceive()).
  if (r->end_of_stream() && core.closing.load(std::memory_order_acquire)) {
    return cancelled();
  }
  if (!r->would_block()) return r;
  if (closing || woken) return cancelled();
  return internal::PortableError("server read", peer_.ToString(),
                                 SocketError::kTimedOut);
}

absl::Status ServerStream::Write(absl::string_view data, absl::Time deadline) {
  if (tls_.has_value()) return tls_->Write(data, deadline);
  return socket_.SendAll(absl::MakeConstSpan(data.data(), data.size()),
                         deadline == absl::InfiniteFuture()
                             ? absl::InfiniteDuration()
                             : std::max(deadline - absl::Now(),
                                        absl::Nanoseconds(1)));
}

absl::Status ServerStream::ShutdownWrite(absl::Time deadline) {
  if (tls_.has_value()) return tls_->ShutdownWrite(deadline);
  return socket_.Shutdown(ShutdownMode::kWrite);
}

}  // namespace net
