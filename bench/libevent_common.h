// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: bench/libevent_common.h
// -----------------------------------------------------------------------------
//
// The `main()` the libevent servers of bench/ share (echo_libevent, raw
// events; echo_bufferevent, bufferevents): the listening socket every server
// of bench/ starts from (bench/common.h) handed to an evconnlistener, the
// --max-seconds deadline as a libevent timer, the bound address printed, the
// loop run.

#ifndef NET_BENCH_LIBEVENT_COMMON_H_
#define NET_BENCH_LIBEVENT_COMMON_H_

#include <event2/event.h>
#include <event2/listener.h>

#include <cstdio>

#include "common.h"

namespace bench {

// Parses the command line (bench/common.h), listens, and runs `base` with
// `on_accept` as the evconnlistener's callback (its argument `arg`) until
// --max-seconds pass or forever. Returns what main() returns.
inline int ServeLibevent(int argc, char** argv, const char* name,
                         event_base* base, evconnlistener_cb on_accept,
                         void* arg) {
  const ServerArgs args = ParseServerArgs(argc, argv, name);
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

}  // namespace bench

#endif  // NET_BENCH_LIBEVENT_COMMON_H_
