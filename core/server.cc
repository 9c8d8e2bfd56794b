// Copyright 2026 The net Authors.
//
// `net::Server`'s lifecycle: the options' checks, Listen/Start/Serve/Stop/
// Drain, and the process-wide registry behind `StopAllServers()` and
// `ShutdownServers()`. The strategies are in core/server_loop.cc and
// core/server_pool.cc.

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/internal/raw_logging.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/connection_internal.h"
#include "core/errors_internal.h"
#include "core/server_internal.h"
#include "net/server.h"
#include "net/status_macros.h"
#include "platform/sys.h"

namespace net {

using internal::Shard;

namespace {

// The server whose thread this is (a loop or a worker): Drain() refuses to
// run there, since it would join itself.
thread_local const Server::Core* current_core = nullptr;

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("server: ", what));
}

absl::Status CheckOptions(const ServerOptions& o) {
  if (o.threads < 1 || o.threads > 1024) {
    return Invalid(absl::StrCat("threads must be 1 to 1024, got ", o.threads));
  }
  if (o.pool_min < 1) {
    return Invalid(absl::StrCat("pool_min must be at least 1, got ", o.pool_min));
  }
  if (o.pool_max < o.pool_min || o.pool_max > 65536) {
    return Invalid(absl::StrCat("pool_max must be pool_min (", o.pool_min,
                                ") to 65536, got ", o.pool_max));
  }
  if (o.backlog < -1) {
    return Invalid(absl::StrCat("backlog must be -1 (SOMAXCONN) or more, got ",
                                o.backlog));
  }
  if (o.max_connections == 0 || o.max_connections < -1) {
    return Invalid(absl::StrCat(
        "max_connections must be -1 (no cap) or at least 1, got ",
        o.max_connections));
  }
  for (auto [name, d] : {std::pair<absl::string_view, absl::Duration>{
                             "delay", o.delay},
                         {"pool_idle", o.pool_idle},
                         {"handshake_timeout", o.handshake_timeout},
                         {"idle_timeout", o.idle_timeout}}) {
    if (d <= absl::ZeroDuration()) {
      return Invalid(absl::StrCat(name, " must be positive, got ",
                                  absl::FormatDuration(d)));
    }
  }
  if (o.delay == absl::InfiniteDuration()) {
    return Invalid("delay must be finite");
  }
  if (o.drain_timeout < absl::ZeroDuration()) {
    return Invalid(absl::StrCat("drain_timeout must not be negative, got ",
                                absl::FormatDuration(o.drain_timeout)));
  }
  if (o.tls.has_value() && o.tls_context != nullptr) {
    return Invalid("give tls or tls_context, not both");
  }
  if (o.tls_context != nullptr && !o.tls_context->is_server()) {
    return Invalid("tls_context is a client context");
  }
  const AddressFamily family = o.address.family();
  if (family != AddressFamily::kUnspecified && !o.address.is_ip() &&
      family != AddressFamily::kUnix) {
    return Invalid(absl::StrCat("address ", o.address.ToString(),
                                " is not IPv4, IPv6 or unix"));
  }
  if (o.address.is_ip() && o.address.port() != 0 && o.port != 0 &&
      o.address.port() != o.port) {
    return Invalid(absl::StrCat("the port is given twice: ", o.address.ToString(),
                                " and port ", o.port));
  }
  return internal::CheckConnectionOptions(o.connection);
}

// StopAllServers()'s end of the registry's wakeup pair: constant-initialized,
// so a signal handler reads it without running any initialization.
std::atomic<NativeHandle> stop_wake{kInvalidHandle};

// The process's servers, for StopAllServers() and ShutdownServers(), and
// the stopper thread. The wakeup pair is made once and never closed, so a
// signal handler can always write to it.
struct Registry {
  absl::Mutex mu;
  std::vector<std::weak_ptr<Server::Core>> servers ABSL_GUARDED_BY(mu);
  std::thread stopper ABSL_GUARDED_BY(mu);
  bool quit ABSL_GUARDED_BY(mu) = false;
  Socket wake_read;   // the stopper's end
  Socket wake_write;  // StopAllServers()'s end

  static Registry& Get() {
    static Registry* const registry = new Registry;  // never destroyed
    return *registry;
  }

  // Adds `core` and makes sure the stopper runs.
  absl::Status Add(const std::shared_ptr<Server::Core>& core) {
    absl::MutexLock lock(&mu);
    if (!wake_read.is_open()) {
      NET_ASSIGN_OR_RETURN(auto pair, SocketPair());
      NET_RETURN_IF_ERROR(pair.first.SetNonBlocking(true));
      NET_RETURN_IF_ERROR(pair.second.SetNonBlocking(true));
      wake_read = std::move(pair.first);
      wake_write = std::move(pair.second);
      stop_wake.store(wake_write.native_handle(), std::memory_order_release);
    }
    servers.erase(std::remove_if(servers.begin(), servers.end(),
                                 [](const auto& w) { return w.expired(); }),
                  servers.end());
    servers.push_back(core);
    if (!stopper.joinable()) {
      quit = false;
      Discard();  // a stop asked while no server existed is not for these
      stopper = std::thread([this] { RunStopper(); });
    }
    return absl::OkStatus();
  }

  std::vector<std::shared_ptr<Server::Core>> Live() {
    absl::MutexLock lock(&mu);
    std::vector<std::shared_ptr<Server::Core>> live;
    for (const auto& w : servers) {
      if (auto core = w.lock()) live.push_back(std::move(core));
    }
    return live;
  }

  // Reads whatever bytes are pending on the stopper's end.
  void Discard() {
    char scratch[64];
    while (true) {
      absl::StatusOr<IoResult> r = wake_read.Receive(absl::MakeSpan(scratch));
      if (!r.ok() || r->would_block() || r->end_of_stream()) return;
    }
  }

  void RunStopper() {
    while (true) {
      absl::StatusOr<bool> ready =
          wake_read.WaitReadable(absl::InfiniteDuration());
      Discard();
      {
        absl::MutexLock lock(&mu);
        if (quit) return;
      }
      if (!ready.ok()) return;  // cannot happen on an open pair
      for (const auto& core : Live()) core->Stop();
    }
  }

  void JoinStopper() {
    std::thread stopper_thread;
    {
      absl::MutexLock lock(&mu);
      if (!stopper.joinable()) return;
      quit = true;
      stopper_thread = std::move(stopper);
    }
    sys::SignalSafeWake(wake_write.native_handle());
    stopper_thread.join();
  }
};

}  // namespace

// --- Core ---------------------------------------------------------------------

Server::Core::Core(const ServerOptions& o, std::shared_ptr<const TlsContext> t)
    : options(o), tls(std::move(t)), connection_options(o.connection) {
  if (o.idle_timeout != absl::InfiniteDuration()) {
    connection_options.idle_timeout = o.idle_timeout;
  }
  tls_stream.handshake_timeout = o.handshake_timeout;
  if (options.address.family() == AddressFamily::kUnspecified) {
    address = SocketAddress(IpAddress::Any(AddressFamily::kIPv4), options.port);
  } else if (options.address.is_ip() && options.address.port() == 0) {
    address = SocketAddress(options.address.ip(), options.port);
  } else {
    address = options.address;
  }
}

Server::Core::~Core() = default;

void Server::Core::EnterThread(const Core* core) { current_core = core; }
bool Server::Core::OnOwnThread() const { return current_core == this; }

void Server::Core::ReportError(const absl::Status& error) const {
  if (options.on_error) options.on_error(error);
}

absl::Status Server::Core::Listen() {
  absl::MutexLock lock(&mu);
  if (phase != Phase::kCreated) {
    return absl::FailedPreconditionError(
        phase == Phase::kListening || phase == Phase::kRunning
            ? "server listen: already listening"
            : "server listen: the server was stopped");
  }
  const bool callback = handler != nullptr;
  const int loops = callback ? options.threads : 1;
  std::vector<std::unique_ptr<Shard>> made;
  for (int i = 0; i < loops; ++i) {
    auto shard = std::make_unique<Shard>(*this);
    NET_ASSIGN_OR_RETURN(shard->loop, EventLoop::Create(options.loop));
    made.push_back(std::move(shard));
  }
  ListenerOptions lo;
  lo.flags = options.listener_flags | ListenerFlags::kDisabled;
  // Workers read and write with blocking calls (core/server_pool.cc).
  if (!callback) lo.flags = lo.flags | ListenerFlags::kLeaveSocketsBlocking;
  lo.backlog = options.backlog;
  auto bind = [&](Shard* s, const SocketAddress& at,
                  const ListenerOptions& with) {
    auto accept = [this, s](Socket socket, const SocketAddress& peer) {
      if (handler != nullptr) {
        LoopAccept(*s, std::move(socket));
      } else {
        PoolAccept(*s, std::move(socket), peer);
      }
    };
    absl::StatusOr<std::unique_ptr<Listener>> made_listener =
        Listener::Bind(*s->loop, at, std::move(accept), with);
    // Accept failures (out of descriptors, ...: the listener backs off and
    // reports once per episode) are what `on_error` is for.
    if (made_listener.ok()) {
      (*made_listener)->SetErrorCallback(
          [this](const absl::Status& error) { ReportError(error); });
    }
    return made_listener;
  };
  // Several loops: one SO_REUSEPORT socket each where the OS balances them
  // (the kernel spreads the connections); else the first loop accepts for
  // all and hands off.
  bool per_loop = callback && loops > 1 && address.is_ip();
  ListenerOptions first = lo;
  if (per_loop) first.flags = first.flags | ListenerFlags::kReusablePort;
  absl::StatusOr<std::unique_ptr<Listener>> listener =
      bind(made[0].get(), address, first);
  if (per_loop && absl::IsUnimplemented(listener.status())) {
    per_loop = false;  // no SO_REUSEPORT here (Windows, macOS)
    listener = bind(made[0].get(), address, lo);
  }
  auto failed = [&](const absl::Status& status, const SocketAddress& at) {
    return internal::Prefixed(status, absl::StrCat("server listen ", at.ToString()));
  };
  if (!listener.ok()) return failed(listener.status(), address);
  made[0]->listener = std::move(*listener);
  NET_ASSIGN_OR_RETURN(bound, made[0]->listener->LocalAddress());
  for (int i = 1; per_loop && i < loops; ++i) {
    listener = bind(made[i].get(), bound, first);
    if (!listener.ok()) return failed(listener.status(), bound);
    made[i]->listener = std::move(*listener);
  }
  per_loop_accept = per_loop;
  shards = std::move(made);
  phase = Phase::kListening;
  return absl::OkStatus();
}


absl::Status Server::Core::Start() {
  bool created;
  {
    absl::MutexLock lock(&mu);
    created = phase == Phase::kCreated;
  }
  if (created) {
    absl::Status listened = Listen();
    // (A Listen() of another thread in between is as good as ours.)
    if (!listened.ok() && !absl::IsFailedPrecondition(listened)) return listened;
  }
  absl::MutexLock lock(&mu);
  if (phase != Phase::kListening) {
    return absl::FailedPreconditionError(
        phase == Phase::kRunning ? "server start: already running"
                                 : "server start: the server was stopped");
  }
  if (handler == nullptr) PoolStart();
  for (auto& shard : shards) {
    Shard* s = shard.get();
    s->tick = s->loop->AddRepeatingTimer(options.delay, [this, s] {
      // The backstop of the wakeups: a stop is noticed within `delay`.
      if (closing.load(std::memory_order_acquire)) StopShard(*s);
      if (handler == nullptr) {
        PoolReap();
      } else {
        LoopSweep(*s);
      }
    });
    if (s->listener != nullptr) {
      s->loop->Post([s] {
        if (s->listener != nullptr) s->listener->Enable().IgnoreError();
      });
    }
    s->thread = std::thread([this, s] {
      EnterThread(this);
      s->loop->Run().IgnoreError();
    });
  }
  accepting.store(true);
  phase = Phase::kRunning;
  return absl::OkStatus();
}

void Server::Core::Stop() {
  if (closing.exchange(true, std::memory_order_acq_rel)) return;
  accepting.store(false);
  // Blocked worker reads wake on this (it stays readable).
  if (wake_write.is_open()) sys::SignalSafeWake(wake_write.native_handle());
  {
    absl::MutexLock lock(&mu);
    stop_requested = true;
    if (phase == Phase::kRunning || phase == Phase::kListening) {
      for (auto& shard : shards) {
        Shard* s = shard.get();
        s->loop->Post([this, s] { StopShard(*s); });
      }
    }
  }
  if (handler == nullptr) PoolStop();
}

void Server::Core::StopShard(Shard& shard) {
  if (shard.stopped) return;
  shard.stopped = true;
  // Closing the listening socket: new clients are refused, not left in a
  // backlog nobody reads.
  shard.listener.reset();
  if (handler == nullptr) return;
  std::vector<Connection*> open_now;
  open_now.reserve(shard.connections.size());
  for (const auto& [c, ptr] : shard.connections) open_now.push_back(c);
  for (Connection* c : open_now) {
    if (!shard.connections.contains(c)) continue;  // finished meanwhile
    handler->OnClosing(*server, *c);
    if (shard.connections.contains(c)) shard.FinishIfClosed(*c);
  }
}

void Server::Core::Pause(Shard& shard) {
  accepting.store(false);
  if (shard.listener != nullptr) shard.listener->Disable().IgnoreError();
}

void Server::Core::Resume() {
  for (auto& shard : shards) {
    Shard* s = shard.get();
    s->loop->Post([this, s] {
      // (Paused again since, or stopping? Then stay disabled.) Runs after
      // the accept callback that paused, so a pause and a resume that
      // crossed end enabled.
      if (s->listener != nullptr && !closing.load() && !paused.load()) {
        s->listener->Enable().IgnoreError();
        accepting.store(true);
      }
    });
  }
}

absl::Status Server::Core::Drain(absl::Time deadline) {
  if (OnOwnThread()) {
    return absl::FailedPreconditionError(
        "server drain: called from the server's own thread (use Stop())");
  }
  Stop();
  {
    absl::MutexLock lock(&mu);
    if (phase == Phase::kDraining) {
      mu.Await(absl::Condition(
          +[](Phase* p) { return *p == Phase::kStopped; }, &phase));
    }
    if (phase == Phase::kStopped) return drain_status;
    if (phase != Phase::kRunning) {
      // Never started: nothing to wait for.
      phase = Phase::kStopped;
      shards.clear();
      wake_read.Close().IgnoreError();
      wake_write.Close().IgnoreError();
      drain_status = absl::OkStatus();
      return drain_status;
    }
    phase = Phase::kDraining;
  }
  // Wait for the connections to end by themselves. Loop connections still
  // flushing after their close are watched by their loop: the shard is
  // quiet when its loop watches nothing.
  const bool callback = handler != nullptr;
  auto all_quiet = [&] {
    if (!callback) return open.load() == 0 && PoolBusy() == 0;
    for (auto& shard : shards) shard->quiet.store(false);
    for (auto& shard : shards) {
      Shard* s = shard.get();
      s->loop->Post([this, s] { s->quiet.store(LoopQuiet(*s)); });
    }
    const absl::Time limit = absl::Now() + absl::Milliseconds(50);
    for (auto& shard : shards) {
      while (!shard->quiet.load() && absl::Now() < limit) {
        absl::SleepFor(absl::Microseconds(200));
      }
      if (!shard->quiet.load()) return false;
    }
    return open.load() == 0;  // (and no hand-off in flight)
  };
  bool done = all_quiet();
  while (!done && absl::Now() < deadline) {
    absl::SleepFor(std::min(absl::Milliseconds(5), deadline - absl::Now()));
    done = all_quiet();
  }
  const std::uint64_t cut_before = cut.load();
  if (!done) {
    // Cut the rest: loop connections are aborted on their loops, worker
    // streams shut down (their handlers' calls fail and they return).
    if (callback) {
      for (auto& shard : shards) {
        Shard* s = shard.get();
        s->loop->Post([this, s] { LoopCut(*s); });
      }
    } else {
      PoolCut();
    }
  }
  for (auto& shard : shards) shard->loop->Stop();
  for (auto& shard : shards) {
    if (shard->thread.joinable()) shard->thread.join();
  }
  if (callback) {
    // Tasks posted after the loop stopped (a cut racing the stop) run now,
    // on this thread: the loops are ours.
    for (auto& shard : shards) {
      LoopCut(*shard);
      shard->loop->RunOnce(absl::ZeroDuration()).IgnoreError();
    }
  } else {
    PoolCut();
    PoolJoin();
  }
  for (auto& shard : shards) {
    if (shard->tick != 0) shard->loop->CancelTimer(shard->tick);
    shard->listener.reset();
  }
  std::vector<std::unique_ptr<Shard>> gone;
  absl::MutexLock lock(&mu);
  gone.swap(shards);
  gone.clear();  // the loops free connections still flushing
  wake_read.Close().IgnoreError();
  wake_write.Close().IgnoreError();
  accepting.store(false);
  const std::uint64_t was_cut = cut.load() - cut_before;
  drain_status =
      was_cut == 0
          ? absl::OkStatus()
          : absl::DeadlineExceededError(absl::StrCat(
                "server drain: ", was_cut, " connection",
                was_cut == 1 ? "" : "s", " still open at the deadline, reset"));
  phase = Phase::kStopped;
  return drain_status;
}

// --- Server -------------------------------------------------------------------

Server::Server(std::shared_ptr<Core> core) : core_(std::move(core)) {
  core_->server = this;
}

namespace {

absl::StatusOr<std::unique_ptr<Server>> MakeServer(
    const ServerOptions& options, ServerHandler* handler, WorkerHandler worker) {
  NET_RETURN_IF_ERROR(CheckOptions(options));
  std::shared_ptr<const TlsContext> tls = options.tls_context;
  if (options.tls.has_value()) {
    NET_ASSIGN_OR_RETURN(tls, TlsContext::NewServer(*options.tls));
  }
  auto core = std::make_shared<Server::Core>(options, std::move(tls));
  core->handler = handler;
  core->worker = std::move(worker);
  NET_ASSIGN_OR_RETURN(auto pair, SocketPair());
  NET_RETURN_IF_ERROR(pair.first.SetNonBlocking(true));
  NET_RETURN_IF_ERROR(pair.second.SetNonBlocking(true));
  core->wake_read = std::move(pair.first);
  core->wake_write = std::move(pair.second);
  std::unique_ptr<Server> server = Server::Core::NewServer(core);
  NET_RETURN_IF_ERROR(Registry::Get().Add(core));
  return server;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Create(
    const ServerOptions& options, ServerHandler* handler) {
  if (handler == nullptr) return Invalid("the handler is null");
  return MakeServer(options, handler, nullptr);
}

absl::StatusOr<std::unique_ptr<Server>> Server::Create(
    const ServerOptions& options, WorkerHandler handler) {
  if (!handler) return Invalid("the worker handler is empty");
  return MakeServer(options, nullptr, std::move(handler));
}

Server::~Server() {
  if (core_->OnOwnThread()) {
    // A handler destroying its own server cannot join its own thread.
    ABSL_RAW_LOG(FATAL, "net::Server destroyed from one of its own threads");
  }
  core_->Drain(absl::Now()).IgnoreError();
}

absl::Status Server::Listen() { return core_->Listen(); }
absl::Status Server::Start() { return core_->Start(); }
void Server::Stop() { core_->Stop(); }
absl::Status Server::Drain(absl::Time deadline) { return core_->Drain(deadline); }
bool Server::closing() const { return core_->closing.load(); }
void* Server::owner() const { return core_->options.owner; }

absl::Status Server::Serve() {
  NET_RETURN_IF_ERROR(core_->Start());
  {
    absl::MutexLock lock(&core_->mu);
    core_->mu.Await(absl::Condition(&core_->stop_requested));
  }
  core_->Drain(absl::Now() + core_->options.drain_timeout).IgnoreError();
  return absl::OkStatus();
}

absl::StatusOr<SocketAddress> Server::LocalAddress() const {
  absl::MutexLock lock(&core_->mu);
  if (core_->phase != Core::Phase::kListening &&
      core_->phase != Core::Phase::kRunning) {
    return absl::FailedPreconditionError("server: not listening");
  }
  return core_->bound;
}

ServerStats Server::stats() const {
  ServerStats s;
  s.accepted = core_->accepted.load();
  s.open = core_->open.load();
  s.cut = core_->cut.load();
  s.accepting = core_->accepting.load();
  s.closing = core_->closing.load();
  if (core_->handler == nullptr) {
    core_->PoolStats(s);
  } else {
    absl::MutexLock lock(&core_->mu);
    s.loops = core_->phase == Core::Phase::kRunning ||
                      core_->phase == Core::Phase::kDraining
                  ? static_cast<int>(core_->shards.size())
                  : 0;
  }
  return s;
}

int AvailableParallelism() { return sys::AvailableParallelism(); }

void StopAllServers() {
  const NativeHandle wake = stop_wake.load(std::memory_order_acquire);
  if (wake != kInvalidHandle) sys::SignalSafeWake(wake);
}

void ShutdownServers() {
  Registry& registry = Registry::Get();
  for (const auto& core : registry.Live()) {
    if (!core->OnOwnThread()) core->Drain(absl::Now()).IgnoreError();
  }
  registry.JoinStopper();
}

}  // namespace net
