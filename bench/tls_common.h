// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: bench/tls_common.h
// -----------------------------------------------------------------------------
//
// What the TLS echo servers of bench/ share (tls_echo_epoll, tls_echo_asio,
// tls_echo_bufferevent; issue 13): the command line of
// examples/tls_echo_server (`--listen ADDR:PORT --cert FILE --key FILE
// [--verify none|peer|require|once] [--ca FILE]`, plus `--max-seconds N` as
// the plain servers have it) and the one server `SSL_CTX` they all run on.
//
// One context for all three, so that they differ only in how they move
// bytes between OpenSSL and the socket, not in how OpenSSL is set up:
//
//   * TLS 1.2 minimum (net's default); the client (bench/tls_load.cc) offers
//     only TLS 1.3 and TLS_AES_128_GCM_SHA256, which forces both.
//   * SSL_MODE_ENABLE_PARTIAL_WRITE | ACCEPT_MOVING_WRITE_BUFFER |
//     RELEASE_BUFFERS (what Asio, HAProxy and folly set: a short write keeps
//     only what is left, and an idle connection holds no record buffers;
//     /work/shared/TLS.md measured 47.8 KB -> 14.5 KB of heap per idle
//     connection), read-ahead (one read() per wakeup instead of a header read
//     and a body read per record), except for libevent (`read_ahead` false):
//     its OpenSSL bufferevent does not look for records OpenSSL has already
//     read when the handshake ends, so the client's first record, read
//     ahead with its Finished, would wait there for more bytes that never
//     come (libevent #690, #854; measured here: 3 handshakes/s instead of
//     ~1,000).
//   * Session cache on (OpenSSL's server default) with a session id context,
//     and TLS 1.3 tickets: one per full handshake (net's default; a client
//     needs one, OpenSSL's default of two costs an encryption and a record
//     more per handshake).
//   * TCP_NODELAY on every accepted socket (`SetNoDelay()`), as nginx sets
//     it on every TLS connection: a TLS server sends its handshake flight,
//     then a session ticket, then data, each with a send of its own, and
//     with Nagle's algorithm the first echo waits behind the unacknowledged
//     ticket for the client's delayed ACK (40 ms). Measured here, this loop
//     with and without it, interleaved: 1.87k vs 1.19k and 1.29k vs 1.11k
//     full handshakes/s.
//   * No renegotiation; SIGPIPE ignored, since OpenSSL's socket BIO writes
//     with write(2) (and libevent's too).
//
// Benchmark code: Linux only, not part of the library.

#ifndef NET_BENCH_TLS_COMMON_H_
#define NET_BENCH_TLS_COMMON_H_

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common.h"

namespace bench {

struct TlsServerArgs {
  ServerArgs server;  // --listen, --max-seconds
  std::string cert;   // PEM chain, leaf first
  std::string key;
  std::string verify = "none";  // none, peer, require, once
  std::string ca;
};

// Parses the command line of examples/tls_echo_server; exits with status 2
// (and usage) on a bad one.
inline TlsServerArgs ParseTlsServerArgs(int argc, char** argv,
                                        const char* name) {
  TlsServerArgs args;
  args.server = ParseServerCommandLine(
      argc, argv, name,
      "--listen ADDR:PORT --cert FILE --key FILE\n"
      "       [--verify none|peer|require|once] [--ca FILE] [--max-seconds N]",
      [&](const std::string& arg, const std::string& value) {
        if (arg == "--cert") {
          args.cert = value;
        } else if (arg == "--key") {
          args.key = value;
        } else if (arg == "--verify") {
          if (value != "none" && value != "peer" && value != "require" &&
              value != "once") {
            return false;
          }
          args.verify = value;
        } else if (arg == "--ca") {
          args.ca = value;
        } else {
          return false;
        }
        return true;
      },
      [&] { return !args.cert.empty() && !args.key.empty(); });
  return args;
}

// TCP_NODELAY on an accepted socket (the file comment says why).
inline void SetNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

[[noreturn]] inline void DieSsl(const char* name, const char* what) {
  std::fprintf(stderr, "%s: %s\n", name, what);
  ERR_print_errors_fp(stderr);
  std::exit(1);
}

// Sets up `ctx` (made with TLS_server_method()) as the file comment says.
// Exits on a bad certificate, key or CA file.
inline void ConfigureServerContext(SSL_CTX* ctx, const TlsServerArgs& args,
                                   const char* name, bool read_ahead) {
  std::signal(SIGPIPE, SIG_IGN);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_read_ahead(ctx, read_ahead ? 1 : 0);
  static const unsigned char kSessionContext[] = "net bench";
  SSL_CTX_set_session_id_context(ctx, kSessionContext,
                                 sizeof(kSessionContext) - 1);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_set_num_tickets(ctx, 1);
  if (SSL_CTX_use_certificate_chain_file(ctx, args.cert.c_str()) != 1) {
    DieSsl(name, "cannot load the certificate chain");
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, args.key.c_str(), SSL_FILETYPE_PEM) !=
          1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    DieSsl(name, "cannot load the private key (or it does not match)");
  }
  if (!args.ca.empty() &&
      SSL_CTX_load_verify_locations(ctx, args.ca.c_str(), nullptr) != 1) {
    DieSsl(name, "cannot load the CA file");
  }
  int mode = SSL_VERIFY_NONE;
  if (args.verify == "peer") mode = SSL_VERIFY_PEER;
  if (args.verify == "require") {
    mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  if (args.verify == "once") mode = SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE;
  SSL_CTX_set_verify(ctx, mode, nullptr);
}

// A new server context set up as above; exits on failure.
inline SSL_CTX* NewServerContextOrDie(const TlsServerArgs& args,
                                      const char* name,
                                      bool read_ahead = true) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) DieSsl(name, "SSL_CTX_new failed");
  ConfigureServerContext(ctx, args, name, read_ahead);
  return ctx;
}

}  // namespace bench

#endif  // NET_BENCH_TLS_COMMON_H_
