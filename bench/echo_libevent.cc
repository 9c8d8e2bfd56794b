// Copyright 2026 The net Authors.
//
// The echo server of bench/ on libevent 2.1 (Debian's libevent-dev).
//
//   echo_libevent [--listen ADDR:PORT] [--max-seconds N] [--bufferevent]
//
// Same command line and output as examples/echo_server. Connections come
// from an evconnlistener (accepted non-blocking and close-on-exec, backlog
// SOMAXCONN, drained on each wakeup). The echo itself has two forms:
//
//   * default: one persistent EV_READ `event` per connection, raw recv/send
//     through one loop-wide 64 KiB buffer, and a heap copy of the unsent rest
//     only when the peer does not take the whole echo (the connection then
//     waits for EV_WRITE instead of reading: backpressure). This is the
//     faster form, and the one the benchmark runs: it makes the same system
//     calls as the hand-written epoll loop, while a bufferevent copies every
//     byte into its input evbuffer and again into its output evbuffer and
//     keeps two evbuffers and two events per connection (see docs/bench.md
//     for the measured difference).
//   * --bufferevent: the textbook form, a bufferevent per connection whose
//     read callback moves the input buffer to the output buffer, reading
//     paused while more than 1 MiB waits to be written.

#include <event2/buffer.h>
#include <event2/bufferevent.h>
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

namespace {

constexpr std::size_t kHighWater = 1024 * 1024;  // bufferevent form only

struct Server {
  event_base* base = nullptr;
  // Raw-event form: the unsent rest of an echo, by descriptor, only while
  // the peer is not taking it.
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

void OnAcceptRaw(evconnlistener* /*listener*/, evutil_socket_t fd,
                 sockaddr* /*peer*/, int /*length*/, void* /*arg*/) {
  if (static_cast<std::size_t>(fd) >= g_server->pending.size()) {
    g_server->pending.resize(static_cast<std::size_t>(fd) * 2 + 1);
  }
  event* ev = event_new(g_server->base, fd, EV_READ | EV_PERSIST, OnConnection,
                        event_self_cbarg());
  event_add(ev, nullptr);
}

// The bufferevent form.
void OnBufferRead(bufferevent* bev, void* /*arg*/) {
  evbuffer* out = bufferevent_get_output(bev);
  evbuffer_add_buffer(out, bufferevent_get_input(bev));
  if (evbuffer_get_length(out) > kHighWater) bufferevent_disable(bev, EV_READ);
}

void OnBufferWrite(bufferevent* bev, void* /*arg*/) {
  // Called when the output drained to the low-water mark (0).
  bufferevent_enable(bev, EV_READ);
}

void OnBufferEvent(bufferevent* bev, short what, void* /*arg*/) {
  if ((what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) != 0) bufferevent_free(bev);
}

void OnAcceptBuffered(evconnlistener* /*listener*/, evutil_socket_t fd,
                      sockaddr* /*peer*/, int /*length*/, void* /*arg*/) {
  bufferevent* bev =
      bufferevent_socket_new(g_server->base, fd, BEV_OPT_CLOSE_ON_FREE);
  bufferevent_setcb(bev, OnBufferRead, OnBufferWrite, OnBufferEvent, nullptr);
  bufferevent_enable(bev, EV_READ);
}

void OnTimeout(evutil_socket_t, short, void* /*arg*/) {
  event_base_loopbreak(g_server->base);
}

}  // namespace

int main(int argc, char** argv) {
  bool buffered = false;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--bufferevent") == 0) {
      buffered = true;
    } else {
      rest.push_back(argv[i]);
    }
  }
  const bench::ServerArgs args = bench::ParseServerArgs(
      static_cast<int>(rest.size()), rest.data(), "echo_libevent");
  const int listen_fd = bench::ListenOrDie(args, "echo_libevent");

  auto server = std::make_unique<Server>();
  g_server = server.get();
  server->base = event_base_new();
  if (server->base == nullptr) {
    std::fprintf(stderr, "echo_libevent: event_base_new failed\n");
    return 1;
  }
  // Backlog 0: the socket already listens (with SOMAXCONN).
  evconnlistener* listener = evconnlistener_new(
      server->base, buffered ? OnAcceptBuffered : OnAcceptRaw, nullptr,
      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, listen_fd);
  if (listener == nullptr) {
    std::fprintf(stderr, "echo_libevent: evconnlistener_new failed\n");
    return 1;
  }
  event* timeout = nullptr;
  if (args.max_seconds > 0) {
    timeout = evtimer_new(server->base, OnTimeout, nullptr);
    const timeval tv{args.max_seconds, 0};
    evtimer_add(timeout, &tv);
  }
  bench::PrintBoundAddress(listen_fd);
  event_base_dispatch(server->base);
  if (timeout != nullptr) event_free(timeout);
  evconnlistener_free(listener);
  event_base_free(server->base);
  return 0;
}
