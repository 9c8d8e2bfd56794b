// Copyright 2026 The net Authors.
//
// The server's callback strategy: accepted sockets become `Connection`s
// (TLS ones through `NewTlsConnection()`) on a shard's loop; the shard is
// their `ConnectionHandler`, forwarding to the user's `ServerHandler` and
// letting go of a connection once it is closed. No second copy of the
// connection's logic: reads, writes, timeouts and TLS are Connection's.

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/server_internal.h"
#include "net/connection.h"
#include "net/server.h"
#include "net/tls.h"

namespace net {

using internal::Shard;

void Server::Core::LoopAccept(Shard& shard, Socket socket) {
  accepted.fetch_add(1, std::memory_order_relaxed);
  const std::uint64_t now_open = open.fetch_add(1) + 1;
  if (options.max_connections > 0 &&
      now_open >= static_cast<std::uint64_t>(options.max_connections)) {
    paused.store(true);
    Pause(shard);  // the backlog holds the rest until one closes
  }
  if (shards.size() == 1 || per_loop_accept) {
    LoopAdopt(shard, std::move(socket));  // each loop accepts its own
    return;
  }
  // One acceptor for all: round-robin hand-off.
  Shard* target = shards[next_shard.fetch_add(1, std::memory_order_relaxed) %
                         shards.size()]
                      .get();
  if (target == &shard) {
    LoopAdopt(shard, std::move(socket));
    return;
  }
  target->loop->Post([this, target, s = std::move(socket)]() mutable {
    LoopAdopt(*target, std::move(s));
  });
}

void Server::Core::LoopAdopt(Shard& shard, Socket socket) {
  auto dropped = [&] {
    open.fetch_sub(1);
    LoopMaybeResume();
  };
  if (closing.load(std::memory_order_acquire)) {
    dropped();  // accepted as the server stopped: closed unserved
    return;
  }
  absl::StatusOr<ConnectionPtr> made =
      tls != nullptr
          ? NewTlsConnection(*shard.loop, std::move(socket), tls, tls_stream,
                             connection_options)
          : Connection::Create(*shard.loop, std::move(socket),
                               connection_options);
  if (!made.ok()) {
    ReportError(made.status());
    dropped();
    return;
  }
  Connection* c = made->get();
  shard.connections.emplace(c, std::move(*made));
  c->SetHandler(&shard);
  handler->OnOpen(*server, *c);
  if (shard.connections.contains(c)) shard.FinishIfClosed(*c);
}

void Server::Core::LoopCut(Shard& shard) {
  while (!shard.connections.empty()) {
    Connection* c = shard.connections.begin()->first;
    cut.fetch_add(1);
    ConnectionPtr owned = std::move(shard.connections.begin()->second);
    shard.connections.erase(shard.connections.begin());
    handler->OnClose(*server, *c,
                     absl::CancelledError("server drain: cut at the deadline"));
    c->Abort();
    open.fetch_sub(1);
  }
}

void Server::Core::LoopMaybeResume() {
  if (paused.load(std::memory_order_acquire) &&
      open.load() < static_cast<std::uint64_t>(options.max_connections) &&
      paused.exchange(false)) {
    Resume();
  }
}

void Server::Core::LoopSweep(Shard& shard) {
  // Connections the handler closed outside a callback of theirs (from a
  // timer, say): the shard hears of those only here.
  std::vector<Connection*> closed;
  for (const auto& [c, ptr] : shard.connections) {
    if (!c->is_open()) closed.push_back(c);
  }
  for (Connection* c : closed) shard.FinishIfClosed(*c);
}

bool Server::Core::LoopQuiet(Shard& shard) {
  LoopSweep(shard);
  // With the listener gone and no connection held, what the loop still
  // watches are connections flushing after their close.
  return shard.connections.empty() && shard.listener == nullptr &&
         shard.loop->watch_count() == 0;
}

namespace internal {

std::size_t Shard::OnData(Connection& connection, absl::string_view data) {
  const std::size_t used = core.handler->OnData(*core.server, connection, data);
  FinishIfClosed(connection);
  return used;
}

void Shard::OnEndOfStream(Connection& connection) {
  core.handler->OnEndOfStream(*core.server, connection);
  FinishIfClosed(connection);
}

void Shard::OnDrain(Connection& connection) {
  core.handler->OnDrain(*core.server, connection);
  FinishIfClosed(connection);
}

void Shard::OnError(Connection& connection, const absl::Status& error) {
  Finish(connection, error);
}

void Shard::FinishIfClosed(Connection& connection) {
  if (!connection.is_open() && connections.contains(&connection)) {
    Finish(connection, absl::OkStatus());
  }
}

void Shard::Finish(Connection& connection, const absl::Status& status) {
  auto it = connections.find(&connection);
  if (it == connections.end()) return;
  // Freed after the handler heard of it (inside a callback of its own,
  // which Connection allows): a connection still flushing goes on in the
  // background.
  ConnectionPtr owned = std::move(it->second);
  connections.erase(it);
  core.handler->OnClose(*core.server, connection, status);
  owned.reset();
  core.open.fetch_sub(1);
  core.LoopMaybeResume();
}

}  // namespace internal
}  // namespace net
