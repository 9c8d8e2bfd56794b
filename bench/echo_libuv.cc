// Copyright 2026 The net Authors.
//
// The echo server of bench/ on libuv 1.44 (Debian's libuv1-dev).
//
//   echo_libuv [--listen ADDR:PORT] [--max-seconds N]
//
// Same command line and output as examples/echo_server. The fast libuv idiom:
// uv_read_start with an alloc callback that hands out one loop-wide 64 KiB
// buffer (libuv calls read_cb before it allocates again, so one buffer is
// enough), the echo written at once with uv_try_write, and only what the
// peer did not take copied into a uv_write request; reading then stops until
// that write completes (backpressure). An idle connection costs its
// uv_tcp_t.

#include <uv.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common.h"

namespace {

char g_buffer[bench::kBufferSize];

// A write of the rest of an echo; the bytes follow the struct.
struct PendingWrite {
  uv_write_t request;
  std::size_t length;
  char* data() { return reinterpret_cast<char*>(this + 1); }
};

void OnClosed(uv_handle_t* handle) {
  std::free(handle);
}

void OnAlloc(uv_handle_t*, std::size_t, uv_buf_t* buf) {
  *buf = uv_buf_init(g_buffer, sizeof(g_buffer));
}

void OnRead(uv_stream_t* stream, ssize_t n, const uv_buf_t* buf);

void OnWritten(uv_write_t* request, int status) {
  auto* pending = reinterpret_cast<PendingWrite*>(request);
  uv_stream_t* stream = request->handle;
  std::free(pending);
  if (status < 0) {
    if (!uv_is_closing(reinterpret_cast<uv_handle_t*>(stream))) {
      uv_close(reinterpret_cast<uv_handle_t*>(stream), OnClosed);
    }
    return;
  }
  uv_read_start(stream, OnAlloc, OnRead);
}

void OnRead(uv_stream_t* stream, ssize_t n, const uv_buf_t* buf) {
  if (n < 0) {  // UV_EOF or an error
    uv_close(reinterpret_cast<uv_handle_t*>(stream), OnClosed);
    return;
  }
  if (n == 0) return;  // EAGAIN
  uv_buf_t out = uv_buf_init(buf->base, static_cast<unsigned int>(n));
  const int written = uv_try_write(stream, &out, 1);
  std::size_t sent = written > 0 ? static_cast<std::size_t>(written) : 0;
  if (written < 0 && written != UV_EAGAIN) {
    uv_close(reinterpret_cast<uv_handle_t*>(stream), OnClosed);
    return;
  }
  if (sent == static_cast<std::size_t>(n)) return;
  const std::size_t rest = static_cast<std::size_t>(n) - sent;
  auto* pending =
      static_cast<PendingWrite*>(std::malloc(sizeof(PendingWrite) + rest));
  pending->length = rest;
  std::memcpy(pending->data(), buf->base + sent, rest);
  uv_buf_t rest_buf = uv_buf_init(pending->data(), static_cast<unsigned>(rest));
  uv_read_stop(stream);
  uv_write(&pending->request, stream, &rest_buf, 1, OnWritten);
}

void OnConnection(uv_stream_t* server, int status) {
  if (status < 0) return;
  auto* client = static_cast<uv_tcp_t*>(std::malloc(sizeof(uv_tcp_t)));
  uv_tcp_init(server->loop, client);
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(client)) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(client), OnClosed);
    return;
  }
  uv_read_start(reinterpret_cast<uv_stream_t*>(client), OnAlloc, OnRead);
}

void OnTimeout(uv_timer_t* timer) { uv_stop(timer->loop); }

}  // namespace

int main(int argc, char** argv) {
  const bench::ServerArgs args =
      bench::ParseServerArgs(argc, argv, "echo_libuv");
  const int listen_fd = bench::ListenOrDie(args, "echo_libuv");

  uv_loop_t* loop = uv_default_loop();
  uv_tcp_t server;
  uv_tcp_init(loop, &server);
  // Adopt the socket every server of bench/ starts from (bench/common.h).
  if (uv_tcp_open(&server, listen_fd) != 0 ||
      uv_listen(reinterpret_cast<uv_stream_t*>(&server), SOMAXCONN,
                OnConnection) != 0) {
    std::fprintf(stderr, "echo_libuv: cannot listen\n");
    return 1;
  }
  uv_timer_t deadline;
  if (args.max_seconds > 0) {
    uv_timer_init(loop, &deadline);
    uv_timer_start(&deadline, OnTimeout,
                   static_cast<std::uint64_t>(args.max_seconds) * 1000, 0);
  }
  bench::PrintBoundAddress(listen_fd);
  uv_run(loop, UV_RUN_DEFAULT);
  return 0;
}
