// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/tls_internal.h
// -----------------------------------------------------------------------------
//
// The pieces of net's TLS that its three users share: the context's
// internals, the status builders, and `TlsEngine`, the one state machine
// that both the blocking `TlsSocket` and the TLS `Connection` drive.
//
// The engine does no waiting: each step returns done, "want read", "want
// write", "closed" or an error, and its caller decides how to wait (poll()
// against a deadline, or the event loop). OpenSSL reaches the socket
// through net's own BIO over `Socket::Send()`/`Receive()`: no SIGPIPE, no
// `SOCKET`-to-`int` cast on Win64, and the socket's precise error (a reset
// stays `kConnectionReset`) instead of OpenSSL's "syscall failure".

#ifndef NET_CORE_TLS_INTERNAL_H_
#define NET_CORE_TLS_INTERNAL_H_

#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "net/connection.h"
#include "net/event_loop.h"
#include "net/socket.h"
#include "net/tls.h"

namespace net {

struct TlsContext::Impl {
  ~Impl();

  SSL_CTX* ctx = nullptr;
  bool server = false;
  bool verify_peer = true;  // clients: off only when insecure
  TlsVerifyMode verify_mode = TlsVerifyMode::kNone;
  bool session_resumption = true;
  int tickets = 1;
  std::function<void(absl::string_view)> key_log;
  // Servers: ALPN protocols in preference order; SNI contexts.
  std::vector<std::string> alpn;
  std::vector<std::pair<std::string, std::shared_ptr<const TlsContext>>> sni;

  // Clients: the last session per server (name and address), offered again.
  mutable absl::Mutex mu;
  mutable absl::flat_hash_map<std::string, SSL_SESSION*> sessions
      ABSL_GUARDED_BY(mu);
};

namespace internal {

// TlsErrorStatus()
//
// A status carrying `error` (and optionally an alert and an X.509 verify
// result) with `message`; `socket_error` adds the socket payload too (a
// handshake timeout is also kTimedOut).
absl::Status TlsErrorStatus(TlsError error, std::string message,
                            int alert = -1, int verify_result = -1,
                            SocketError socket_error = SocketError::kNone);

// DrainErrorQueue()
//
// Empties this thread's OpenSSL error queue (so nothing leaks into the next
// call) and returns its entries' text, oldest first: all of them joined by
// "; ", or only the newest (the most specific) with `newest_only`.
std::string DrainErrorQueue(bool newest_only = false);

// TlsConfigError()
//
// kConfiguration for option `what`, with OpenSSL's queued reason.
absl::Status TlsConfigError(absl::string_view what);

// PrepareSocket()
//
// What every TLS stream does to its socket first: TCP_NODELAY unless the
// options say not to (best effort: a unix socket has no Nagle).
void PrepareSocket(Socket& socket, const TlsStreamOptions& options);

// One step of the engine.
struct TlsStep {
  enum class Kind : std::uint8_t {
    kDone,       // the call finished: `bytes` moved (handshake: complete)
    kWantRead,   // retry when the socket is readable
    kWantWrite,  // retry when the socket is writable
    kClosed,     // the peer's close_notify (or an allowed EOF)
  };
  Kind kind = Kind::kDone;
  std::size_t bytes = 0;

  static TlsStep Done(std::size_t n = 0) { return {Kind::kDone, n}; }
  bool done() const { return kind == Kind::kDone; }
  bool wants_read() const { return kind == Kind::kWantRead; }
  bool wants_write() const { return kind == Kind::kWantWrite; }
  bool closed() const { return kind == Kind::kClosed; }
};

// TlsEngine
//
// One SSL object on one socket, in one role. Not thread-safe: one owner.
class TlsEngine {
 public:
  // Makes the SSL for `context` on `socket` (not owned; it must outlive
  // the engine and not move). Clients verify and send `options.server_name`
  // as the header says. `socket` may be null until `set_socket()`.
  static absl::StatusOr<std::unique_ptr<TlsEngine>> Create(
      std::shared_ptr<const TlsContext> context, Socket* socket,
      const TlsStreamOptions& options);

  ~TlsEngine();
  TlsEngine(const TlsEngine&) = delete;
  TlsEngine& operator=(const TlsEngine&) = delete;

  void set_socket(Socket* socket) { socket_ = socket; }

  absl::StatusOr<TlsStep> Handshake();
  absl::StatusOr<TlsStep> Read(char* buffer, std::size_t size);
  // After kWantWrite, call again with the same bytes (the buffer may move;
  // at least as many bytes).
  absl::StatusOr<TlsStep> Write(const char* data, std::size_t size);
  // Sends close_notify (once; later calls only flush it). kDone once it
  // has left.
  absl::StatusOr<TlsStep> SendCloseNotify();

  bool handshake_done() const { return handshake_done_; }
  // SSL_shutdown may be called: the handshake finished and nothing fatal
  // happened.
  bool can_shut_down() const { return handshake_done_ && !fatal_; }
  bool close_notify_sent() const { return close_notify_sent_; }
  // Decrypted bytes or unprocessed records inside OpenSSL (the socket may
  // show nothing to read while they wait).
  bool HasPending() const;
  // The socket was drained when OpenSSL last read it (a short read) and
  // nothing waits inside OpenSSL: another read would only say "want read".
  bool Drained() const { return short_read_ && !HasPending(); }
  absl::StatusOr<TlsSessionInfo> Info() const;
  SSL* ssl() const { return ssl_; }
  bool is_server() const { return server_; }
  // The peer's address as text, for messages; empty once it is gone.
  std::string PeerText() const;
  // kHandshakeTimeout (and SocketError::kTimedOut), naming the peer.
  absl::Status HandshakeTimeout() const;

 private:
  TlsEngine() = default;
  static int BioWrite(BIO* bio, const char* data, int size);
  static int BioRead(BIO* bio, char* data, int size);
  static long BioCtrl(BIO* bio, int cmd, long num, void* ptr);
  static const BIO_METHOD* Method();

  // Turns the result of an SSL call that returned `ret` <= 0 into a step
  // or an error. `operation` names the call in messages.
  absl::StatusOr<TlsStep> Outcome(int ret, absl::string_view operation);
  absl::Status ErrorFromQueue(unsigned long code, absl::string_view operation);
  // Before each OpenSSL call: an empty error queue, no socket error kept.
  void BeginCall();
  void IssueTicket();

  std::shared_ptr<const TlsContext> context_;
  SSL* ssl_ = nullptr;
  Socket* socket_ = nullptr;
  absl::Status io_error_;  // the socket's error seen by the BIO
  bool saw_eof_ = false;   // the BIO read an EOF
  bool short_read_ = false;  // the BIO's last read got less than asked
  bool server_ = false;
  bool handshake_done_ = false;
  bool fatal_ = false;
  bool close_notify_sent_ = false;
  bool truncation_is_eof_ = false;
  bool ticket_owed_ = false;  // servers: TLS 1.3 ticket not sent yet
  std::string session_key_;   // clients: where the session is cached
};

// TlsState
//
// What a TLS `Connection` keeps beside the plain one (core/tls_connection.cc).
struct TlsState {
  std::unique_ptr<TlsEngine> engine;
  absl::Duration handshake_timeout;
  TimerId handshake_timer = 0;
  TimerId read_timer = 0;  // a read of records already inside OpenSSL
  Interest handshake_want = Interest::kNone;
  bool handshaking = true;
  bool read_wants_write = false;   // SSL_read must write first
  bool write_wants_read = false;   // SSL_write must read first
  bool close_notify_pending = false;  // SSL_shutdown waits for writability
  // ConnectTls(): told when the handshake finished, before any data.
  absl::AnyInvocable<void(Connection&)> on_handshake;
};

// TlsContextAccess, TlsSocketAccess
//
// The private parts of `TlsContext` and `TlsSocket`, for core/tls_*.cc.
struct TlsContextAccess {
  static const TlsContext::Impl& Impl(const TlsContext& context) {
    return context.impl();
  }
};

// For the server's workers (core/server_pool.cc): `TlsSocket::Server()`
// whose handshake and reads also end, with kCancelled, once `cancel` (a
// socket) is readable: the server's closing flag.
struct TlsSocketAccess {
  static absl::StatusOr<TlsSocket> Server(
      Socket socket, std::shared_ptr<const TlsContext> context,
      const TlsStreamOptions& options, absl::Time deadline,
      NativeHandle cancel);
  static TlsSocket::Impl* Impl(const TlsSocket& socket) {
    return socket.impl();
  }
};

}  // namespace internal
}  // namespace net

#endif  // NET_CORE_TLS_INTERNAL_H_
