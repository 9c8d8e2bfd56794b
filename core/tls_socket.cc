// Copyright 2026 The net Authors.
//
// `TlsSocket`: the engine driven by poll() against a deadline. The socket
// is non-blocking inside, whatever its user thinks: a blocking SSL with
// SO_RCVTIMEO cannot tell a timeout from an error (openssl#12416), and
// auto-retry hangs select()-based code (#7908).

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/errors_internal.h"
#include "core/tls_internal.h"
#include "net/tls.h"
#include "platform/sys.h"
#include "net/tls_openssl.h"

namespace net {

using internal::TlsEngine;
using internal::TlsStep;

struct TlsSocket::Impl {
  Socket socket;
  std::unique_ptr<TlsEngine> engine;
  TlsStreamOptions options;
  bool write_shut = false;
  bool peer_closed = false;


  // A socket whose readability cancels reads and the handshake (the
  // server's closing flag, core/server_pool.cc); none by default.
  NativeHandle cancel = kInvalidHandle;

  // Waits for what `step` wants. False when `deadline` passed first;
  // kCancelled when `cancellable` and `cancel` became readable.
  absl::StatusOr<bool> Wait(const TlsStep& step, absl::Time deadline,
                            bool cancellable = false) const {
    const absl::Duration left = deadline == absl::InfiniteFuture()
                                    ? absl::InfiniteDuration()
                                    : deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    if (cancellable && cancel != kInvalidHandle) {
      absl::StatusOr<sys::WaitOutcome> outcome =
          sys::WaitOrCancel(socket.native_handle(), !step.wants_write(),
                            step.wants_write(), cancel, left);
      if (!outcome.ok()) return outcome.status();
      if (*outcome == sys::WaitOutcome::kCancelled) {
        return absl::CancelledError(
            absl::StrCat("tls: cancelled (", engine->PeerText(), ")"));
      }
      return *outcome == sys::WaitOutcome::kReady;
    }
    return step.wants_write() ? socket.WaitWritable(left)
                              : socket.WaitReadable(left);
  }

  absl::Status TimedOut(absl::string_view operation) const {
    return internal::PortableError(operation, engine->PeerText(),
                                   SocketError::kTimedOut);
  }
};

namespace {

absl::StatusOr<std::unique_ptr<TlsSocket::Impl>> NewImpl(
    Socket socket, std::shared_ptr<const TlsContext> context,
    const TlsStreamOptions& options, bool server) {
  if (context == nullptr || context->is_server() != server) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls: TlsSocket::", server ? "Server" : "Client", "() needs a ",
        server ? "server" : "client", " context"));
  }
  if (!socket.is_open()) {
    return absl::InvalidArgumentError("tls: the socket is not open");
  }
  if (socket.type() != SocketType::kStream) {
    return absl::InvalidArgumentError("tls: the socket must be a stream");
  }
  if (absl::Status s = socket.SetNonBlocking(true); !s.ok()) return s;
  internal::PrepareSocket(socket, options);
  auto impl = std::make_unique<TlsSocket::Impl>();
  impl->socket = std::move(socket);
  impl->options = options;
  absl::StatusOr<std::unique_ptr<TlsEngine>> engine =
      TlsEngine::Create(std::move(context), &impl->socket, options);
  if (!engine.ok()) return engine.status();
  impl->engine = std::move(*engine);
  return impl;
}

}  // namespace

absl::StatusOr<TlsSocket> TlsSocket::Handshake(
    absl::StatusOr<std::unique_ptr<Impl>> made, absl::Time deadline) {
  if (!made.ok()) return made.status();
  TlsSocket s(std::move(*made));  // closes the socket on every failure
  Impl& impl = *s.impl_;
  while (true) {
    absl::StatusOr<TlsStep> step = impl.engine->Handshake();
    if (!step.ok()) return step.status();
    if (step->done()) return s;
    absl::StatusOr<bool> ready = impl.Wait(*step, deadline, true);
    if (!ready.ok()) return ready.status();
    if (!*ready) return impl.engine->HandshakeTimeout();
  }
}

absl::StatusOr<TlsSocket> TlsSocket::Client(
    Socket socket, std::shared_ptr<const TlsContext> context,
    const TlsStreamOptions& options, absl::Time deadline) {
  return Handshake(
      NewImpl(std::move(socket), std::move(context), options, false),
      deadline);
}

absl::StatusOr<TlsSocket> TlsSocket::Server(
    Socket socket, std::shared_ptr<const TlsContext> context,
    const TlsStreamOptions& options, absl::Time deadline) {
  return Handshake(
      NewImpl(std::move(socket), std::move(context), options, true),
      deadline);
}

absl::StatusOr<TlsSocket> internal::TlsSocketAccess::Server(
    Socket socket, std::shared_ptr<const TlsContext> context,
    const TlsStreamOptions& options, absl::Time deadline,
    NativeHandle cancel) {
  absl::StatusOr<std::unique_ptr<TlsSocket::Impl>> made =
      NewImpl(std::move(socket), std::move(context), options, true);
  if (made.ok()) (*made)->cancel = cancel;
  return TlsSocket::Handshake(std::move(made), deadline);
}

TlsSocket::TlsSocket(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsSocket::TlsSocket(TlsSocket&& other) noexcept = default;
TlsSocket& TlsSocket::operator=(TlsSocket&& other) noexcept {
  if (this != &other) {
    TlsSocket old(std::move(*this));
    impl_ = std::move(other.impl_);
  }
  return *this;
}

TlsSocket::~TlsSocket() {
  if (impl_ == nullptr || !impl_->socket.is_open()) return;
  // One try at close_notify, without waiting: the peer can tell a close
  // from a truncation, and the session stays resumable.
  if (impl_->engine->can_shut_down() && !impl_->engine->close_notify_sent()) {
    impl_->engine->SendCloseNotify().IgnoreError();
  }
  impl_->socket.Close().IgnoreError();
}

bool TlsSocket::is_open() const {
  return impl_ != nullptr && impl_->socket.is_open();
}

const Socket& TlsSocket::socket() const { return impl_->socket; }

absl::StatusOr<IoResult> TlsSocket::Read(absl::Span<char> buffer,
                                         absl::Time deadline) {
  if (!is_open()) return absl::FailedPreconditionError("tls read: closed");
  if (buffer.empty()) return IoResult::Transferred(0);
  if (impl_->peer_closed) return IoResult::EndOfStream();
  while (true) {
    absl::StatusOr<TlsStep> step =
        impl_->engine->Read(buffer.data(), buffer.size());
    if (!step.ok()) return step.status();
    if (step->done()) return IoResult::Transferred(step->bytes);
    if (step->closed()) {
      impl_->peer_closed = true;
      return IoResult::EndOfStream();
    }
    absl::StatusOr<bool> ready = impl_->Wait(*step, deadline, true);
    if (!ready.ok()) return ready.status();
    if (!*ready) return impl_->TimedOut("tls read");
  }
}

absl::Status TlsSocket::Write(absl::string_view data, absl::Time deadline,
                              std::size_t* written) {
  std::size_t done = 0;
  if (written != nullptr) *written = 0;
  if (!is_open()) return absl::FailedPreconditionError("tls write: closed");
  if (impl_->write_shut) {
    return internal::PortableError("tls write", impl_->engine->PeerText(),
                                   SocketError::kBrokenPipe);
  }
  while (done < data.size()) {
    absl::StatusOr<TlsStep> step =
        impl_->engine->Write(data.data() + done, data.size() - done);
    if (!step.ok()) return step.status();
    if (step->done()) {
      done += step->bytes;
      if (written != nullptr) *written = done;
      continue;
    }
    if (step->closed()) {
      return internal::PortableError("tls write", impl_->engine->PeerText(),
                                     SocketError::kBrokenPipe);
    }
    absl::StatusOr<bool> ready = impl_->Wait(*step, deadline);
    if (!ready.ok()) return ready.status();
    if (!*ready) return impl_->TimedOut("tls write");
  }
  return absl::OkStatus();
}

absl::Status TlsSocket::ShutdownWrite(absl::Time deadline) {
  if (!is_open()) return absl::FailedPreconditionError("tls shutdown: closed");
  if (impl_->write_shut) return absl::OkStatus();
  while (true) {
    absl::StatusOr<TlsStep> step = impl_->engine->SendCloseNotify();
    if (!step.ok()) return step.status();
    if (step->done()) break;
    absl::StatusOr<bool> ready = impl_->Wait(*step, deadline);
    if (!ready.ok()) return ready.status();
    if (!*ready) return impl_->TimedOut("tls shutdown");
  }
  impl_->write_shut = true;
  // close_notify, then the FIN: a real half-close.
  absl::Status s = impl_->socket.Shutdown(ShutdownMode::kWrite);
  return s.ok() || IsPeerGone(s) ? absl::OkStatus() : s;
}

absl::Status TlsSocket::Close(absl::Time deadline) {
  if (!is_open()) return absl::OkStatus();
  // Our close_notify, then the peer's, bounded by close_notify_timeout.
  const absl::Time limit =
      std::min(deadline, absl::Now() + impl_->options.close_notify_timeout);
  bool sent = impl_->write_shut || !impl_->engine->can_shut_down();
  while (!sent) {
    absl::StatusOr<TlsStep> step = impl_->engine->SendCloseNotify();
    if (!step.ok() || step->done()) {
      sent = step.ok();
      break;
    }
    absl::StatusOr<bool> ready = impl_->Wait(*step, limit);
    if (!ready.ok() || !*ready) break;
  }
  if (sent && !impl_->peer_closed && impl_->engine->can_shut_down()) {
    char scratch[4096];
    while (true) {
      absl::StatusOr<TlsStep> step =
          impl_->engine->Read(scratch, sizeof(scratch));
      if (!step.ok() || step->closed()) break;
      if (step->done()) continue;  // data after our close: discarded
      absl::StatusOr<bool> ready = impl_->Wait(*step, limit);
      if (!ready.ok() || !*ready) break;
    }
  }
  return impl_->socket.Close();
}

SSL* NativeSsl(const TlsSocket& socket) {
  return socket.is_open()
             ? internal::TlsSocketAccess::Impl(socket)->engine->ssl()
             : nullptr;
}

absl::StatusOr<TlsSessionInfo> TlsSocket::Info() const {
  if (!is_open()) return absl::FailedPreconditionError("tls: closed");
  return impl_->engine->Info();
}

}  // namespace net
