// Copyright 2026 The net Authors.
//
// The TLS echo server of bench/ on libevent 2.1's OpenSSL bufferevents
// (Debian's libevent-dev, pkg-config module libevent_openssl; issue 13).
//
//   tls_echo_bufferevent --listen ADDR:PORT --cert FILE --key FILE
//                        [--verify none|peer|require|once] [--ca FILE]
//                        [--max-seconds N]
//
// Same command line and output as examples/tls_echo_server. The textbook
// echo of bench/echo_bufferevent.cc over TLS: an evconnlistener hands each
// socket to
// bufferevent_openssl_socket_new(BUFFEREVENT_SSL_ACCEPTING,
// BEV_OPT_CLOSE_ON_FREE), where OpenSSL reads and writes the socket through
// its socket BIO; the read callback moves the input evbuffer to the output
// (evbuffer_add_buffer), and libevent encrypts and writes it when the socket
// is writable. Backpressure as there: reading is disabled while more than
// 1 MiB waits to be written and enabled again when the output drains.
//
// main() does what bench/libevent_common.h's ServeLibevent() does for the
// plain servers (listener, --max-seconds timer), which parses their command
// line, not this one.
//
// Closing: libevent frees the SSL without SSL_shutdown, so the server
// answers the peer's close_notify (BEV_EVENT_EOF) itself, with
// SSL_shutdown once the echo already queued is written (libevent's le-proxy
// sample does the same), as the other servers of bench/ do; an error just
// frees the bufferevent, which closes the socket.
//
// The SSL_CTX is bench/tls_common.h's, without read-ahead (it says why), and
// every accepted socket gets TCP_NODELAY as the other servers' do. What
// libevent adds: every plaintext
// byte is copied into the input evbuffer and out of the output evbuffer
// (OpenSSL's own record buffers are the same as the hand loop's), and
// writes wait for the next loop iteration.

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstddef>
#include <cstdio>

#include "libevent_common.h"
#include "tls_common.h"

namespace {

// Sends our close_notify (the peer's is in) and frees the bufferevent,
// which frees the SSL and closes the socket.
void CloseClean(bufferevent* bev) {
  SSL_shutdown(bufferevent_openssl_get_ssl(bev));
  ERR_clear_error();  // a peer already gone: nothing for the next connection
  bufferevent_free(bev);
}

void OnWriteThenClose(bufferevent* bev, void* /*arg*/) { CloseClean(bev); }

void OnEvent(bufferevent* bev, short what, void* /*arg*/) {
  if ((what & BEV_EVENT_EOF) != 0 &&
      evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
    bufferevent_setcb(bev, nullptr, OnWriteThenClose, nullptr, nullptr);
    bufferevent_disable(bev, EV_READ);
    return;
  }
  if ((what & BEV_EVENT_EOF) != 0) return CloseClean(bev);
  if ((what & BEV_EVENT_ERROR) != 0) {
    ERR_clear_error();  // libevent keeps what it wants of it
    bufferevent_free(bev);
  }
}

void OnAccept(evconnlistener* listener, evutil_socket_t fd, sockaddr* /*peer*/,
              int /*length*/, void* arg) {
  bench::SetNoDelay(fd);
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(arg));
  if (ssl == nullptr) {
    ERR_clear_error();
    evutil_closesocket(fd);
    return;
  }
  bufferevent* bev = bufferevent_openssl_socket_new(
      evconnlistener_get_base(listener), fd, ssl, BUFFEREVENT_SSL_ACCEPTING,
      BEV_OPT_CLOSE_ON_FREE);
  // Without it (out of memory), only the socket is closed: whether libevent
  // freed the SSL depends on where it failed, and a leak beats a double free.
  bench::StartEcho(bev, fd, OnEvent);
}

}  // namespace

int main(int argc, char** argv) {
  const char* const name = "tls_echo_bufferevent";
  const bench::TlsServerArgs args = bench::ParseTlsServerArgs(argc, argv, name);
  // Without read-ahead: libevent would strand records (tls_common.h).
  SSL_CTX* ctx = bench::NewServerContextOrDie(args, name, /*read_ahead=*/false);
  event_base* base = event_base_new();
  const int status = bench::RunLibevent(args.server, name, base, OnAccept, ctx);
  if (base != nullptr) event_base_free(base);
  SSL_CTX_free(ctx);
  return status;
}
