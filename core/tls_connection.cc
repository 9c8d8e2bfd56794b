// Copyright 2026 The net Authors.
//
// TLS on `net::Connection`: the same class, its reads and writes going
// through the engine (core/tls_internal.h) instead of straight to the
// socket, like nginx's ssl recv/send in place of the plain ones. The
// plaintext read buffer, the write queue, the watermarks, the timeouts and
// the lifetime rules are the plain connection's; what TLS adds:
//
//   * the handshake, first, on the loop, under `handshake_timeout`; writes
//     made meanwhile wait in the queue, nothing is read for the handler;
//   * cross wants: a read that must write (a KeyUpdate answer) watches for
//     writability, a write that must read watches for readability;
//   * records inside OpenSSL that the socket no longer shows: read from the
//     loop when reading starts again, and after a read budget runs out
//     (libevent #690 and #854 are this bug);
//   * close_notify before the FIN (`ShutdownWrite()`) and before closing
//     (`Close()`), after the queue drains, waiting for writability if it
//     must; never during the handshake.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/connection_internal.h"
#include "core/errors_internal.h"
#include "core/tls_internal.h"
#include "net/connect.h"
#include "net/connection.h"
#include "net/tls.h"
#include "net/tls_openssl.h"

namespace net {

using internal::TlsEngine;
using internal::TlsState;
using internal::TlsStep;

namespace internal {

// What the TLS functions below need of a connection's insides.
struct ConnectionAccess {
  static Socket* socket(Connection& c) { return &c.socket_; }
  static const TlsState* tls(const Connection& c) { return c.tls_.get(); }
  static TlsState* tls(Connection& c) { return c.tls_.get(); }

  static void AttachTls(Connection& c, std::unique_ptr<TlsEngine> engine,
                        const TlsStreamOptions& options) {
    c.UseReadiness();  // OpenSSL does its own I/O on the socket
    c.tls_ = std::make_unique<TlsState>();
    c.tls_->engine = std::move(engine);
    c.tls_->handshake_timeout = options.handshake_timeout;
    c.secure_ = true;
  }

  // Back to "no handler yet" (ConnectTls() hands the connection over after
  // the handshake, as Connect() does after the connect).
  static void Unstart(Connection& c) {
    c.handler_ = nullptr;
    c.started_ = false;
    c.UpdateInterest();
  }
};

}  // namespace internal

using internal::ConnectionAccess;

namespace {

absl::Status CheckStreamOptions(const TlsStreamOptions& o) {
  if (o.handshake_timeout <= absl::ZeroDuration() ||
      o.close_notify_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls: handshake_timeout must be positive and close_notify_timeout "
        "not negative, got ", absl::FormatDuration(o.handshake_timeout),
        " and ", absl::FormatDuration(o.close_notify_timeout)));
  }
  return absl::OkStatus();
}

}  // namespace

// --- The TLS half of Connection -----------------------------------------------

// The handshake starts with the handler: a client speaks first (its hello
// goes out when the socket is writable), a server listens.
void Connection::TlsStart() {
  TlsState& t = *tls_;
  if (!t.handshaking || t.handshake_timer != 0) return;
  t.handshake_want =
      t.engine->is_server() ? Interest::kReadable : Interest::kWritable;
  if (t.handshake_timeout == absl::InfiniteDuration()) return;
  t.handshake_timer = loop_->AddTimer(t.handshake_timeout, [this] {
    tls_->handshake_timer = 0;
    Dispatch([this] { Fail(tls_->engine->HandshakeTimeout()); });
  });
}

Interest Connection::TlsInterest() const {
  const TlsState& t = *tls_;
  if (t.handshaking) {
    // A close with bytes queued lets the handshake finish to send them.
    const bool going = started_ && (!closing_ || linger_timer_ != 0);
    return going ? t.handshake_want : Interest::kNone;
  }
  Interest want = PlainInterest();
  if (t.read_wants_write || t.close_notify_pending) {
    want = want | Interest::kWritable;
  }
  if (t.write_wants_read) want = want | Interest::kReadable;
  return want;
}

void Connection::TlsOnReady(Readiness readiness) {
  TlsState& t = *tls_;
  if (t.handshaking) {
    if (!started_ || !TlsHandshake()) return;
    // Finished: what was written meanwhile, a shutdown asked meanwhile, and
    // what came in with the last flight.
    if (output_ != nullptr && !FlushOutput()) return;
    if (!socket_.is_open()) return;
    if (output_ == nullptr) TlsContinueShutdown();
    if (socket_.is_open() && reading_wanted()) TlsReadSome(readiness.hangup);
    return;
  }
  const bool writable = readiness.writable || readiness.error;
  const bool readable =
      readiness.readable || readiness.hangup || readiness.error;
  if (t.close_notify_pending && writable) {
    TlsContinueShutdown();
    if (!socket_.is_open()) return;
  }
  if (output_ != nullptr && (writable || (t.write_wants_read && readable))) {
    if (!FlushOutput()) return;
  }
  if (socket_.is_open() && reading_wanted() &&
      (readable || (t.read_wants_write && writable))) {
    TlsReadSome(readiness.hangup);
  }
}

// One handshake step. True when it finished and the connection is still
// open (the handler may have closed it in `on_handshake`).
bool Connection::TlsHandshake() {
  TlsState& t = *tls_;
  absl::StatusOr<TlsStep> step = t.engine->Handshake();
  if (!step.ok()) {
    Fail(step.status());
    return false;
  }
  if (!step->done()) {
    t.handshake_want =
        step->wants_write() ? Interest::kWritable : Interest::kReadable;
    UpdateInterest();
    return false;
  }
  t.handshaking = false;
  if (t.handshake_timer != 0) {
    loop_->CancelTimer(std::exchange(t.handshake_timer, 0));
  }
  if (timeouts_ != nullptr) Touch(/*read=*/true, /*wrote=*/true);
  if (t.on_handshake) {
    auto told = std::move(t.on_handshake);
    told(*this);
    if (!socket_.is_open() || (closing_ && linger_timer_ == 0)) return false;
  }
  UpdateInterest();
  return true;
}

// Reads until OpenSSL wants the socket again, or until a short read left
// nothing inside OpenSSL (a record can sit whole there after a short read),
// delivering as the plain path does.
void Connection::TlsReadSome(bool until_blocked) {
  TlsState& t = *tls_;
  if (t.read_wants_write) {
    t.read_wants_write = false;
    UpdateInterest();
  }
  std::size_t budget = read_budget_;
  char* const buffer = internal::ConnectionReadBuffer();
  while (socket_.is_open() && reading_wanted()) {
    absl::StatusOr<TlsStep> step = t.engine->Read(buffer, kReadChunk);
    if (!step.ok()) return Fail(step.status());
    if (step->wants_read()) return;
    if (step->wants_write()) {
      t.read_wants_write = true;
      UpdateInterest();
      return;
    }
    if (step->closed()) {  // close_notify (or an EOF taken as one)
      peer_eof_ = true;
      UpdateInterest();
      if (!closing_) handler_->OnEndOfStream(*this);
      return;
    }
    const std::size_t n = step->bytes;
    if (timeouts_ != nullptr) Touch(/*read=*/true, /*wrote=*/false);
    if (!Deliver(buffer, n)) return;
    // Drained for now (as the plain path's short read): one receive fewer
    // per event than reading on to "want read". An edge-triggered watch
    // gets a new edge for what comes next; not for a FIN that came with
    // this event, nor for what a read from the loop (a yield) left, which
    // are read `until_blocked`.
    if (!until_blocked && t.engine->Drained()) return;
    if (n >= budget) {
      // Yield to the other connections; what is left (in the socket or
      // inside OpenSSL) is read from the loop, readiness or not.
      TlsScheduleRead(/*only_if_pending=*/false);
      return;
    }
    budget -= n;
  }
}

void Connection::TlsScheduleRead(bool only_if_pending) {
  TlsState& t = *tls_;
  if (t.read_timer != 0 || t.handshaking) return;
  if (only_if_pending && !t.engine->HasPending()) return;
  t.read_timer = loop_->AddTimer(absl::ZeroDuration(), [this] {
    tls_->read_timer = 0;
    Dispatch([this] {
      if (socket_.is_open() && reading_wanted()) TlsReadSome(/*until_blocked=*/true);
    });
  });
}

// Encrypts what the engine takes now (one record per step, partial writes
// on); the rest is queued as the plain path queues it.
bool Connection::TlsSendNow(absl::string_view data, std::size_t* sent) {
  TlsState& t = *tls_;
  std::size_t done = 0;
  if (!t.handshaking && !t.write_wants_read) {
    while (done < data.size()) {
      absl::StatusOr<TlsStep> step =
          t.engine->Write(data.data() + done, data.size() - done);
      if (!step.ok()) {
        DeferWriteError(step.status());
        return false;
      }
      if (step->done()) {
        done += step->bytes;
        continue;
      }
      if (step->wants_read()) t.write_wants_read = true;
      break;  // wants write: the rest waits in the queue
    }
  }
  *sent = done;
  if (done > 0 && timeouts_ != nullptr) Touch(/*read=*/false, /*wrote=*/true);
  if (done < data.size()) output_ = std::make_unique<Output>();
  return true;
}

// The queue, chunk by chunk. After a "want write" the same chunk is offered
// again from the same offset (its bytes may have moved, never shrunk), as
// OpenSSL requires.
bool Connection::TlsFlushOutput() {
  TlsState& t = *tls_;
  if (t.handshaking) return true;
  if (t.write_wants_read) {
    t.write_wants_read = false;
    UpdateInterest();
  }
  while (output_ != nullptr && output_->bytes > 0) {
    if (!output_->error.ok()) {
      Fail(output_->error);
      return false;
    }
    const absl::string_view rest =
        output_->chunks.front().view().substr(output_->offset);
    absl::StatusOr<TlsStep> step = t.engine->Write(rest.data(), rest.size());
    if (!step.ok()) {
      Fail(step.status());
      return false;
    }
    if (step->wants_write()) return true;
    if (step->wants_read()) {
      t.write_wants_read = true;
      UpdateInterest();
      return true;
    }
    output_->Sent(step->bytes);
    if (timeouts_ != nullptr) Touch(/*read=*/false, /*wrote=*/true);
  }
  AfterFlush();
  return socket_.is_open();
}

// Sends close_notify. True when it has left, or cannot or need not be sent
// (a handshake not finished while closing; a fatal error; the peer gone):
// go on with the FIN or the close. False while it waits for writability, or
// for the handshake to finish (a ShutdownWrite() asked meanwhile). Never
// calls back: ShutdownWrite() and Close() are users' calls.
bool Connection::TlsCloseNotify() {
  TlsState& t = *tls_;
  if (t.handshaking) return closing_;
  if (!t.engine->can_shut_down()) return true;
  if (t.engine->close_notify_sent() && !t.close_notify_pending) return true;
  absl::StatusOr<TlsStep> step = t.engine->SendCloseNotify();
  if (!step.ok() || step->done()) {
    if (t.close_notify_pending) {
      t.close_notify_pending = false;
      UpdateInterest();
    }
    return true;
  }
  if (!t.close_notify_pending) {
    t.close_notify_pending = true;
    UpdateInterest();
  }
  return false;
}

// Goes on with a close or a half-close that waited for close_notify.
void Connection::TlsContinueShutdown() {
  if (closing_) {
    if (TlsCloseNotify()) CloseSocket(/*reset=*/false);
    return;
  }
  if (!write_shut_ || fin_sent_ || queued_bytes() > 0) return;
  if (!TlsCloseNotify()) return;
  fin_sent_ = true;
  absl::Status s = socket_.Shutdown(ShutdownMode::kWrite);
  if (!s.ok() && !IsPeerGone(s)) return Fail(std::move(s));
  UpdateInterest();
}

void Connection::TlsCancelTimers() {
  TlsState& t = *tls_;
  if (t.handshake_timer != 0) {
    loop_->CancelTimer(std::exchange(t.handshake_timer, 0));
  }
  if (t.read_timer != 0) loop_->CancelTimer(std::exchange(t.read_timer, 0));
}

// --- Public functions -----------------------------------------------------------

absl::StatusOr<ConnectionPtr> NewTlsConnection(
    EventLoop& loop, Socket socket, std::shared_ptr<const TlsContext> context,
    const TlsStreamOptions& options,
    const ConnectionOptions& connection_options) {
  if (context == nullptr) return absl::InvalidArgumentError("tls: no context");
  if (absl::Status s = CheckStreamOptions(options); !s.ok()) return s;
  internal::PrepareSocket(socket, options);
  absl::StatusOr<ConnectionPtr> c =
      Connection::Create(loop, std::move(socket), connection_options);
  if (!c.ok()) return c.status();
  absl::StatusOr<std::unique_ptr<TlsEngine>> engine = TlsEngine::Create(
      std::move(context), ConnectionAccess::socket(**c), options);
  if (!engine.ok()) return engine.status();
  ConnectionAccess::AttachTls(**c, std::move(*engine), options);
  return c;
}

namespace {

// ConnectByName(), then the handshake with this object as the handler;
// the connection goes to the user's callback once it finished.
class TlsConnect final : public PendingConnect, private ConnectionHandler {
 public:
  TlsConnect(EventLoop& loop, std::string host,
             std::shared_ptr<const TlsContext> context,
             const TlsStreamOptions& options, ConnectCallback callback)
      : loop_(&loop),
        host_(std::move(host)),
        context_(std::move(context)),
        options_(options),
        callback_(std::move(callback)) {
    if (options_.server_name.empty()) options_.server_name = host_;
  }

  ~TlsConnect() override {
    if (timer_ != 0) loop_->CancelTimer(timer_);
  }

  void Start(std::uint16_t port, const ConnectOptions& options) {
    connect_ = ConnectByName(*loop_, host_, port, options,
                             [this](absl::StatusOr<ConnectionPtr> c) {
                               Connected(std::move(c));
                             });
  }

  void Connected(absl::StatusOr<ConnectionPtr> c) {
    if (!c.ok()) return Finish(c.status());
    internal::PrepareSocket(*ConnectionAccess::socket(**c), options_);
    absl::StatusOr<std::unique_ptr<TlsEngine>> engine =
        TlsEngine::Create(context_, ConnectionAccess::socket(**c), options_);
    if (!engine.ok()) return Finish(engine.status());
    ConnectionAccess::AttachTls(**c, std::move(*engine), options_);
    ConnectionAccess::tls(**c)->on_handshake = [this](Connection&) {
      ConnectionAccess::Unstart(*connection_);
      ConnectCallback callback = std::move(callback_);
      callback(std::move(connection_));  // may destroy this
    };
    connection_ = std::move(*c);
    connection_->SetHandler(this);  // starts the handshake
  }

  // Bad arguments are reported from the loop too, never from inside
  // ConnectTls().
  void FailSoon(absl::Status status) {
    timer_ = loop_->AddTimer(absl::ZeroDuration(),
                             [this, status = std::move(status)]() mutable {
                               timer_ = 0;
                               Finish(std::move(status));
                             });
  }

 private:
  void Finish(absl::Status status) {
    ConnectCallback callback = std::move(callback_);
    callback(std::move(status));  // may destroy this
  }

  std::size_t OnData(Connection&, absl::string_view) override { return 0; }
  void OnError(Connection&, const absl::Status& error) override {
    // Released here, freed by the connection after this dispatch.
    ConnectionPtr failed = std::move(connection_);
    Finish(error);
  }

  EventLoop* loop_;
  TimerId timer_ = 0;
  std::string host_;
  std::shared_ptr<const TlsContext> context_;
  TlsStreamOptions options_;
  ConnectCallback callback_;
  ConnectionPtr connection_;
  std::unique_ptr<PendingConnect> connect_;
};

}  // namespace

std::unique_ptr<PendingConnect> ConnectTls(
    EventLoop& loop, absl::string_view host, std::uint16_t port,
    std::shared_ptr<const TlsContext> context, const ConnectOptions& options,
    const TlsStreamOptions& tls_options, ConnectCallback callback) {
  absl::Status valid = CheckStreamOptions(tls_options);
  if (valid.ok() && (context == nullptr || context->is_server())) {
    valid = absl::InvalidArgumentError("tls: ConnectTls() needs a client context");
  }
  auto pending = std::make_unique<TlsConnect>(
      loop, std::string(host), std::move(context), tls_options,
      std::move(callback));
  if (valid.ok()) {
    pending->Start(port, options);
  } else {
    pending->FailSoon(std::move(valid));
  }
  return pending;
}

absl::StatusOr<TlsSessionInfo> GetTlsInfo(const Connection& connection) {
  const TlsState* t = ConnectionAccess::tls(connection);
  if (t == nullptr) {
    return absl::FailedPreconditionError("tls: not a TLS connection");
  }
  return t->engine->Info();
}

SSL* NativeSsl(const Connection& connection) {
  const TlsState* t = ConnectionAccess::tls(connection);
  return t == nullptr ? nullptr : t->engine->ssl();
}

bool IsTls(const Connection& connection) {
  return ConnectionAccess::tls(connection) != nullptr;
}

}  // namespace net
