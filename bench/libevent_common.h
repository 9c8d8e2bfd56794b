// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: bench/libevent_common.h
// -----------------------------------------------------------------------------
//
// The `main()` the libevent servers of bench/ share (echo_libevent, raw
// events; echo_bufferevent, bufferevents; tls_echo_bufferevent, OpenSSL
// bufferevents, with its own command line): the listening socket every server
// of bench/ starts from (bench/common.h) handed to an evconnlistener, the
// --max-seconds deadline as a libevent timer, the bound address printed, the
// loop run; and the echo of the bufferevent servers (echo_bufferevent,
// tls_echo_bufferevent).

#ifndef NET_BENCH_LIBEVENT_COMMON_H_
#define NET_BENCH_LIBEVENT_COMMON_H_

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <cstddef>
#include <cstdio>

#include "common.h"

namespace bench {

// Listens on `args.address` (bench/common.h's socket) and runs `base` with
// `on_accept` as the evconnlistener's callback (its argument `arg`) until
// `args.max_seconds` pass or forever. Returns what main() returns.
inline int RunLibevent(const ServerArgs& args, const char* name,
                       event_base* base, evconnlistener_cb on_accept,
                       void* arg) {
  const int listen_fd = ListenOrDie(args, name);
  if (base == nullptr) {
    std::fprintf(stderr, "%s: event_base_new failed\n", name);
    return 1;
  }
  // Backlog 0: the socket already listens (with SOMAXCONN).
  evconnlistener* listener =
      evconnlistener_new(base, on_accept, arg,
                         LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0,
                         listen_fd);
  if (listener == nullptr) {
    std::fprintf(stderr, "%s: evconnlistener_new failed\n", name);
    return 1;
  }
  event* timeout = nullptr;
  if (args.max_seconds > 0) {
    timeout = evtimer_new(
        base,
        [](evutil_socket_t, short, void* b) {
          event_base_loopbreak(static_cast<event_base*>(b));
        },
        base);
    const timeval tv{args.max_seconds, 0};
    evtimer_add(timeout, &tv);
  }
  PrintBoundAddress(listen_fd);
  event_base_dispatch(base);
  if (timeout != nullptr) event_free(timeout);
  evconnlistener_free(listener);
  return 0;
}

// Parses the command line (bench/common.h), then RunLibevent().
inline int ServeLibevent(int argc, char** argv, const char* name,
                         event_base* base, evconnlistener_cb on_accept,
                         void* arg) {
  return RunLibevent(ParseServerArgs(argc, argv, name), name, base, on_accept,
                     arg);
}

// The bufferevent servers' echo: what comes in goes to the output; reading
// stops while more than kEchoHighWater bytes wait to be sent, and starts
// again once the output has drained (to the low-water mark, 0).
inline constexpr std::size_t kEchoHighWater = 1024 * 1024;

inline void EchoOnRead(bufferevent* bev, void* /*arg*/) {
  evbuffer* out = bufferevent_get_output(bev);
  evbuffer_add_buffer(out, bufferevent_get_input(bev));
  if (evbuffer_get_length(out) > kEchoHighWater) {
    bufferevent_disable(bev, EV_READ);
  }
}

inline void EchoOnWrite(bufferevent* bev, void* /*arg*/) {
  bufferevent_enable(bev, EV_READ);
}

// Starts the echo on `bev`, the new bufferevent of the accepted `fd`, with
// `on_event` for its end; without one (libevent could not make it), closes
// `fd`.
inline void StartEcho(bufferevent* bev, evutil_socket_t fd,
                      bufferevent_event_cb on_event) {
  if (bev == nullptr) {
    evutil_closesocket(fd);
    return;
  }
  bufferevent_setcb(bev, EchoOnRead, EchoOnWrite, on_event, nullptr);
  bufferevent_enable(bev, EV_READ);
}

}  // namespace bench

#endif  // NET_BENCH_LIBEVENT_COMMON_H_
