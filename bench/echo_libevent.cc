// Copyright 2026 The net Authors.
//
// The `libevent` server of bench/ on libevent 2.1 (Debian's libevent-dev):
// raw events.
//
//   echo_libevent [--listen ADDR:PORT] [--max-seconds N]
//
// Same command line and output as examples/echo_server. Connections come
// from an evconnlistener (accepted non-blocking and close-on-exec, backlog
// SOMAXCONN, drained on each wakeup; bench/libevent_common.h). One
// persistent EV_READ `event` per connection, raw recv/send through one
// loop-wide 64 KiB buffer, and a heap copy of the unsent rest only when the
// peer does not take the whole echo (the connection then waits for EV_WRITE
// instead of reading: backpressure). This makes the same system calls as the
// hand-written epoll loop. The textbook form, a bufferevent per connection,
// is bench/echo_bufferevent.cc (the `bufferevent` server): it copies every
// byte into its input evbuffer and again into its output evbuffer and keeps
// two evbuffers and two events per connection (docs/bench.md has the
// measured difference).

#include <event2/event.h>
#include <event2/listener.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common.h"
#include "libevent_common.h"

namespace {

struct Server {
  event_base* base = nullptr;
  // The unsent rest of an echo, by descriptor, only while the peer is not
  // taking it.
  std::vector<std::unique_ptr<std::string>> pending;
  char buffer[bench::kBufferSize];
};

Server* g_server = nullptr;

void OnConnection(evutil_socket_t fd, short what, void* arg);

void CloseConnection(event* ev, evutil_socket_t fd) {
  g_server->pending[fd].reset();
  event_free(ev);
  close(fd);
}

// Re-arms `ev` for `what` (EV_READ or EV_WRITE), persistent.
void Rearm(event* ev, evutil_socket_t fd, short what) {
  event_del(ev);
  event_assign(ev, g_server->base, fd, what | EV_PERSIST, OnConnection, ev);
  event_add(ev, nullptr);
}

void OnConnection(evutil_socket_t fd, short /*what*/, void* arg) {
  auto* ev = static_cast<event*>(arg);
  const bool open = bench::EchoReady(
      fd, g_server->buffer, bench::kBufferSize, g_server->pending[fd],
      [&](bool writable) { Rearm(ev, fd, writable ? EV_WRITE : EV_READ); });
  if (!open) CloseConnection(ev, fd);
}

void OnAccept(evconnlistener* /*listener*/, evutil_socket_t fd,
              sockaddr* /*peer*/, int /*length*/, void* /*arg*/) {
  if (static_cast<std::size_t>(fd) >= g_server->pending.size()) {
    g_server->pending.resize(static_cast<std::size_t>(fd) * 2 + 1);
  }
  event* ev = event_new(g_server->base, fd, EV_READ | EV_PERSIST, OnConnection,
                        event_self_cbarg());
  event_add(ev, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  auto server = std::make_unique<Server>();
  g_server = server.get();
  server->base = event_base_new();
  const int status = bench::ServeLibevent(argc, argv, "echo_libevent",
                                          server->base, OnAccept, nullptr);
  if (server->base != nullptr) event_base_free(server->base);
  return status;
}
