// Copyright 2026 The net Authors.
//
// `net::Connect()`: a non-blocking connect on the event loop, a client of
// `EventLoop` and `Socket` only.
//
// The outcome is judged the way Go's internal/poll and libuv judge it: when
// the socket reports writable, SO_ERROR says whether the connect failed; if
// it says nothing, `Socket::Connect()` is asked once more, which answers OK
// once connected on every OS (core/socket.cc), and in progress for a
// spurious wakeup, after which the wait goes on.

#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/errors_internal.h"
#include "net/connect.h"
#include "net/options.h"

namespace net {
namespace {

class PendingConnectImpl final : public PendingConnect {
 public:
  PendingConnectImpl(EventLoop& loop, const SocketAddress& address,
                     const ConnectOptions& options, ConnectCallback callback)
      : loop_(loop),
        address_(address),
        options_(options),
        callback_(std::move(callback)) {}

  ~PendingConnectImpl() override { Stop(); }

  void Start() {
    starting_ = true;
    absl::Status started = Begin();
    if (!started.ok() || watch_ == 0) Finish(std::move(started));
    starting_ = false;
  }

 private:
  absl::Status Begin() {
    if (options_.timeout < absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "connect: timeout must not be negative, got ",
          absl::FormatDuration(options_.timeout)));
    }
    if (!address_.is_ip() && address_.family() != AddressFamily::kUnix) {
      return absl::InvalidArgumentError(absl::StrCat(
          "connect: the address must be IPv4, IPv6 or unix, got ",
          address_.ToString()));
    }
    absl::StatusOr<Socket> s = Socket::Open(
        address_.family(), SocketType::kStream, 0, OpenFlags::kNonBlocking);
    if (!s.ok()) return s.status();
    socket_ = *std::move(s);
    absl::Status status = socket_.Connect(address_);
    if (IsInProgress(status)) {
      // Asked once more before watching: on loopback the handshake is
      // usually over by now (OK, or the refusal), which saves the watch,
      // the wait and SO_ERROR (4 system calls of 8); elsewhere it costs one
      // call that says "still in progress" (bench/connect_rate.sh).
      status = socket_.Connect(address_);
    }
    if (status.ok()) return Done();
    if (!IsInProgress(status)) return status;
    absl::StatusOr<WatchId> watch =
        loop_.Watch(socket_.native_handle(), Interest::kWritable,
                    [this](Readiness) { OnWritable(); });
    if (!watch.ok()) return watch.status();
    watch_ = *watch;
    if (options_.timeout != absl::InfiniteDuration()) {
      timer_ = loop_.AddTimer(options_.timeout, [this] {
        timer_ = 0;
        Finish(internal::PortableError("connect", address_.ToString(),
                                       SocketError::kTimedOut));
      });
    }
    return absl::OkStatus();
  }

  void OnWritable() {
    absl::StatusOr<absl::Status> pending =
        socket_.GetOption<SocketErrorOption>();
    absl::Status status = pending.ok() ? *pending : pending.status();
    if (status.ok()) status = socket_.Connect(address_);
    if (IsInProgress(status)) return;  // spurious: wait on
    if (!status.ok()) {
      // SO_ERROR names no address: say which one failed.
      const std::optional<int> native = GetNativeError(status);
      if (native.has_value()) {
        status = internal::SystemError("connect", address_.ToString(), *native);
      }
      return Finish(std::move(status));
    }
    Finish(Done());
  }

  // Connected: the socket becomes the connection (reported from the loop
  // on the next iteration when the connect finished at once).
  absl::Status Done() {
    Unwatch();
    absl::StatusOr<ConnectionPtr> c =
        Connection::Create(loop_, std::move(socket_), options_.connection);
    if (!c.ok()) return c.status();
    connection_ = *std::move(c);
    return absl::OkStatus();
  }

  // Ends the attempt and calls back, always from the loop: a result known
  // inside Start() waits for a zero-delay timer.
  void Finish(absl::Status status) {
    Unwatch();
    if (timer_ != 0) loop_.CancelTimer(std::exchange(timer_, 0));
    socket_.Close().IgnoreError();
    result_ = std::move(status);
    if (!callback_) return;
    if (starting_) {
      timer_ = loop_.AddTimer(absl::ZeroDuration(), [this] {
        timer_ = 0;
        Deliver();
      });
      return;
    }
    Deliver();
  }

  void Deliver() {
    // Moved out first: the callback may destroy this object.
    ConnectCallback callback = std::move(callback_);
    callback_ = nullptr;
    if (result_.ok()) {
      callback(std::move(connection_));
    } else {
      callback(std::move(result_));
    }
  }

  void Unwatch() {
    if (watch_ != 0) {
      loop_.Unwatch(std::exchange(watch_, 0), UnwatchMode::kKeepOpen)
          .IgnoreError();
    }
  }

  void Stop() {
    Unwatch();
    if (timer_ != 0) loop_.CancelTimer(std::exchange(timer_, 0));
    socket_.Close().IgnoreError();
    connection_.reset();
    callback_ = nullptr;
  }

  EventLoop& loop_;
  const SocketAddress address_;
  const ConnectOptions options_;
  ConnectCallback callback_;
  Socket socket_;
  WatchId watch_ = 0;
  TimerId timer_ = 0;
  absl::Status result_;
  ConnectionPtr connection_;
  bool starting_ = false;  // inside Start(): report from the loop
};

}  // namespace

std::unique_ptr<PendingConnect> Connect(EventLoop& loop,
                                        const SocketAddress& address,
                                        const ConnectOptions& options,
                                        ConnectCallback callback) {
  auto pending = std::make_unique<PendingConnectImpl>(loop, address, options,
                                                      std::move(callback));
  pending->Start();
  return pending;
}

}  // namespace net
