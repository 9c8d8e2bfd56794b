// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/fuzz/tls_fuzz_common.h
// -----------------------------------------------------------------------------
//
// The body of the two TLS fuzz targets (tls_server_fuzz.cc,
// tls_client_fuzz.cc): net's `TlsEngine` (core/tls_internal.h), the state
// machine under both `TlsSocket` and the TLS `Connection`, in one role, fed
// the input as everything its peer ever sends. OpenSSL's fuzz/server.c and
// fuzz/client.c are the model; here the bytes go through a real socket and
// net's own BIO, not a memory BIO, so the BIO's EOF and error paths are in
// the loop too.
//
// Per input: a unix socketpair; the input (at most kMaxInput bytes) is
// written into one end and that end's write side shut down; the engine, on
// the other end (non-blocking), runs the handshake and, if it ever
// finished, reads and sends close_notify -- each step bounded. Whatever the
// engine sends goes into the peer end's receive buffer, unread. Oracles:
//
//   * every step returns a step or an error Status; an error carries a
//     TlsError other than kNone, or the socket's own (native) error;
//   * the engine never asks to read again ("want read") once the peer's
//     bytes and EOF are all there: EOF ends every handshake;
//   * the handshake never completes: the input cannot know the keys of an
//     ephemeral exchange made with this process's fresh randomness, so a
//     completed handshake would be an authentication bypass;
//   * the engine never asks to write: its flight fits the socket buffer.
//
// The context is made once, from the in-process test PKI (tests/tls/
// test_ca.h): a server with the `leaf` certificate (TLS 1.2 and 1.3), a
// client trusting the test CA, verifying "localhost", TLS 1.2 and 1.3.

#ifndef NET_TESTS_FUZZ_TLS_FUZZ_COMMON_H_
#define NET_TESTS_FUZZ_TLS_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/tls_internal.h"
#include "net/error.h"
#include "net/socket.h"
#include "net/tls.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/tls/test_ca.h"

namespace net_fuzz {

inline constexpr std::size_t kMaxInput = 64 * 1024;
inline constexpr int kMaxSteps = 64;

inline std::shared_ptr<const net::TlsContext> MakeContext(bool server) {
  const net_test::TestPki& pki = net_test::GetTestPki();
  absl::StatusOr<std::shared_ptr<const net::TlsContext>> context;
  if (server) {
    net::TlsServerOptions options;
    options.certificate_chain_pem = pki.leaf.cert_pem;
    options.private_key_pem = pki.leaf.key_pem;
    options.min_version = net::TlsVersion::kTls1_2;
    options.alpn = {"h2", "http/1.1"};
    context = net::TlsContext::NewServer(options);
  } else {
    net::TlsClientOptions options;
    options.ca_pem = pki.ca.cert_pem;
    options.min_version = net::TlsVersion::kTls1_2;
    options.alpn = {"h2", "http/1.1"};
    context = net::TlsContext::NewClient(options);
  }
  FuzzCheck(context.ok(), "cannot make the TLS context",
            context.status().ToString());
  return *context;
}

// An error of the engine: a TLS error, or the socket's.
inline void CheckError(const absl::Status& s, absl::string_view where) {
  FuzzCheck(!s.ok(), "an OK status as an error", where);
  // (GetSocketError() is kUnknown for any status without net's payload,
  // so the socket's side is asked for its native error.)
  FuzzCheck(net::GetTlsError(s) != net::TlsError::kNone ||
                net::GetNativeError(s).has_value(),
            "an engine error with neither a TlsError nor the socket's error",
            absl::StrCat(where, ": ", s.ToString()));
}

// A step that must not happen with all the peer's bytes and its EOF there.
inline void CheckStep(const net::internal::TlsStep& step,
                      absl::string_view where) {
  FuzzCheck(!step.wants_read(), "want read after the peer's EOF", where);
  FuzzCheck(!step.wants_write(), "want write with an empty socket buffer",
            where);
}

inline int RunTlsInput(bool server, const std::uint8_t* data,
                       std::size_t size) {
  static const std::shared_ptr<const net::TlsContext> context =
      MakeContext(server);
  if (size > kMaxInput) size = kMaxInput;

  absl::StatusOr<std::pair<net::Socket, net::Socket>> pair = net::SocketPair();
  FuzzCheck(pair.ok(), "socketpair", pair.status().ToString());
  net::Socket& mine = pair->first;
  net::Socket& peer = pair->second;
  std::size_t sent = 0;
  while (sent < size) {
    absl::StatusOr<net::IoResult> r = peer.Send(
        absl::MakeConstSpan(reinterpret_cast<const char*>(data) + sent,
                            size - sent));
    FuzzCheck(r.ok() && r->bytes() > 0, "writing the input to the socketpair",
              r.ok() ? "" : r.status().ToString());
    sent += r->bytes();
  }
  FuzzCheck(peer.Shutdown(net::ShutdownMode::kWrite).ok(), "shutdown");
  FuzzCheck(mine.SetNonBlocking(true).ok(), "non-blocking");

  net::TlsStreamOptions options;
  options.server_name = "localhost";
  absl::StatusOr<std::unique_ptr<net::internal::TlsEngine>> engine =
      net::internal::TlsEngine::Create(context, &mine, options);
  FuzzCheck(engine.ok(), "TlsEngine::Create", engine.status().ToString());
  net::internal::TlsEngine& e = **engine;

  for (int i = 0; i < kMaxSteps; ++i) {
    absl::StatusOr<net::internal::TlsStep> step = e.Handshake();
    if (!step.ok()) {
      CheckError(step.status(), "handshake");
      FuzzCheck(!e.handshake_done(), "handshake done after an error");
      return 0;
    }
    if (step->done()) break;
    CheckStep(*step, "handshake");
    FuzzCheck(!step->closed(), "handshake step 'closed' without an error");
  }
  FuzzCheck(!e.handshake_done(),
            "a handshake completed against bytes that cannot know the keys");

  // Not reached while the oracle above holds; kept so that a build with
  // that oracle relaxed (a deterministic RNG) still reads and closes.
  char buffer[4096];
  for (int i = 0; i < kMaxSteps; ++i) {
    absl::StatusOr<net::internal::TlsStep> step =
        e.Read(buffer, sizeof(buffer));
    if (!step.ok()) {
      CheckError(step.status(), "read");
      break;
    }
    if (step->closed()) break;
    CheckStep(*step, "read");
  }
  if (e.can_shut_down()) (void)e.SendCloseNotify();
  (void)e.Info();
  return 0;
}

}  // namespace net_fuzz

#endif  // NET_TESTS_FUZZ_TLS_FUZZ_COMMON_H_
