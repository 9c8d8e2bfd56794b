// Copyright 2026 The net Authors.
//
// The `bufferevent` server of bench/: libevent 2.1's buffered connections
// (Debian's libevent-dev), the anchor for net::Connection (the `net-conn`
// server) among the buffered libraries.
//
//   echo_bufferevent [--listen ADDR:PORT] [--max-seconds N]
//
// Same command line and output as examples/echo_server. The textbook echo:
// an evconnlistener (bench/libevent_common.h) hands each socket to
// bufferevent_socket_new(BEV_OPT_CLOSE_ON_FREE); the read callback moves the
// whole input evbuffer to the output evbuffer (evbuffer_add_buffer: the
// chains change hands, no copy), and libevent writes it when the socket is
// writable. Backpressure as examples/echo_server has it: while more than
// 1 MiB waits to be written the read callback disables EV_READ, and the
// write callback (the output drained to its low-water mark, 0) enables it
// again. End of stream or an error frees the bufferevent, which closes the
// socket.
//
// What buffering costs here (docs/bench.md): each byte is copied from the
// socket into the input evbuffer and from the output evbuffer to the
// socket, a read takes at most 4 KiB (libevent 2.1's EVBUFFER_MAX_READ) and
// the write waits for the next loop iteration; two evbuffers and two events
// per connection.

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <cstddef>

#include "libevent_common.h"

namespace {

void OnEvent(bufferevent* bev, short what, void* /*arg*/) {
  if ((what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) != 0) bufferevent_free(bev);
}

void OnAccept(evconnlistener* listener, evutil_socket_t fd,
              sockaddr* /*peer*/, int /*length*/, void* /*arg*/) {
  bench::StartEcho(bufferevent_socket_new(evconnlistener_get_base(listener),
                                          fd, BEV_OPT_CLOSE_ON_FREE),
                   fd, OnEvent);
}

}  // namespace

int main(int argc, char** argv) {
  event_base* base = event_base_new();
  const int status = bench::ServeLibevent(argc, argv, "echo_bufferevent",
                                          base, OnAccept, nullptr);
  if (base != nullptr) event_base_free(base);
  return status;
}
