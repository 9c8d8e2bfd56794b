// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: connection.h
// -----------------------------------------------------------------------------
//
// `net::Connection` is a buffered byte stream on a `net::EventLoop`: it owns
// one connected stream socket (TCP or unix) and takes off its user's hands
// what every event-loop program otherwise writes by hand: would-block,
// partial writes, backpressure, half-close, closing with data still queued,
// and timeouts. It is the model of libevent's bufferevent, libuv's
// `uv_write` and Node's `net.Socket`; docs/connection.md compares them.
//
// The public API says nothing about readiness: the connection owns its
// buffers, so a completion backend (io_uring, overlapped I/O) can sit under
// the same API.
//
// Reading: the handler's `OnData()` sees every byte received and not yet
// consumed, and returns how many it consumed; the rest stays buffered (as
// an evbuffer) and is shown again, with what arrives next. Reading stops
// while `PauseReading()` is in force, and while more than
// `read_high_water` bytes are unconsumed; one wakeup reads at most
// `read_budget` bytes, so one busy peer cannot starve the loop.
//
// Writing: `Write()` sends at once what the socket takes and queues the
// rest (a view is copied, a `std::string&&` moved, never copied); queued
// chunks leave in one vectored send. `Write()` returns false once the queue
// is at or above `write_high_water`: stop writing, and `OnDrain()` says when
// the queue fell to `write_low_water`. `OnFlushed()` says when everything
// queued has left.
//
// Half-close: `ShutdownWrite()` sends the FIN after the queue drains; the
// peer's FIN is `OnEndOfStream()`, and the connection stays writable.
//
// Closing: `Close()` (and destroying the connection) flushes the queue, then
// closes; if that takes longer than `linger`, the connection is reset.
// `Abort()` resets at once (SO_LINGER 0). No callback runs after `Close()`
// or `Abort()` returns, or after the connection is destroyed; destroying it
// inside any of its own callbacks is safe.
//
// Errors: `OnError()` runs exactly once, with the status (kConnectionReset,
// kBrokenPipe, kTimedOut, ...); the connection is closed when it returns.
// Timeouts (idle, read, write) end there with kTimedOut.
//
// Threads: a connection belongs to the thread that runs its loop; call it
// only there. Destroy connections before their loop (a connection still
// flushing after its owner let it go is freed by the loop's destruction).
//
// Memory: an idle connection holds no buffer (input and output are
// allocated on demand and freed when drained): `sizeof(Connection)` is 128
// bytes on 64-bit Linux and Windows, plus the loop's 32-byte registration.
//
// io_uring (docs/io-uring.md): on a loop on `EventLoopBackend::kIoUring` a
// plain connection runs on completions; the API is the same. What differs:
// a `Write()` from one of the loop's callbacks leaves with the iteration's
// submission (one send for everything written in the iteration), not inside
// the call; the read high-water mark may be passed by what the kernel
// received in the wait that crossed it; `read_budget` has no effect.
//
// TLS: a connection made by `NewTlsConnection()` or `ConnectTls()`
// (net/tls.h) is this same class, with this same API over TLS.
//
// Example:
//
//   class Echo final : public net::ConnectionHandler {
//     std::size_t OnData(net::Connection& c, absl::string_view data) override {
//       c.Write(data);
//       return data.size();
//     }
//     void OnError(net::Connection&, const absl::Status& s) override {}
//   } echo;  // one handler may serve every connection
//
//   listener callback:  [&](net::Socket s, const net::SocketAddress&) {
//     auto c = net::Connection::Create(*loop, std::move(s));
//     if (c.ok()) { (*c)->SetHandler(&echo); keep(std::move(*c)); }
//   }

#ifndef NET_CONNECTION_H_
#define NET_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "net/address.h"
#include "net/event_loop.h"
#include "net/export.h"
#include "net/socket.h"

namespace net {

class Connection;
namespace internal {
struct TlsState;
struct ConnectionAccess;
}  // namespace internal

// ConnectionOptions
//
// Sizes are in bytes; a duration of `absl::InfiniteDuration()` is "none".
struct ConnectionOptions {
  // Reading pauses while more than this many received bytes are
  // unconsumed, and resumes when `Consume()` brings them below it.
  std::size_t read_high_water = 4 << 20;
  // At most this many bytes are read per wakeup before the loop serves
  // others (at least one read is always made).
  std::size_t read_budget = 1 << 20;
  // `Write()` returns false once this many bytes or more are queued.
  std::size_t write_high_water = 4 << 20;
  // `OnDrain()` runs when the queue, having reached the high-water mark,
  // falls to this many bytes or fewer. Must not be above the high-water
  // mark.
  std::size_t write_low_water = 0;
  // Idle: no byte read or written for this long. Read: no byte received
  // for this long while reading is wanted (not paused, no end of stream).
  // Write: bytes queued and none of them sent for this long. Each ends the
  // connection with `OnError(kTimedOut)`. They count from when a handler
  // is set.
  absl::Duration idle_timeout = absl::InfiniteDuration();
  absl::Duration read_timeout = absl::InfiniteDuration();
  absl::Duration write_timeout = absl::InfiniteDuration();
  // How long `Close()` (or destruction) may flush the queue before the
  // connection is reset. Finite.
  absl::Duration linger = absl::Seconds(30);
  // Watch the socket edge-triggered where the backend has it (fewer system
  // calls; the connection reads and writes until would-block either way).
  bool edge_triggered = true;
};

// ConnectionHandler
//
// What a connection tells its user, on the loop thread. One handler may
// serve many connections (each call names its connection; per-connection
// state hangs off `Connection::set_context()`). Every callback may call
// any method of its connection, including destroying it.
class NET_EXPORT ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;

  // ConnectionHandler::OnData()
  //
  // `data` is every byte received and not consumed yet, oldest first.
  // Returns how many of them were consumed (at most `data.size()`); the
  // rest is shown again with the next bytes. `data` is valid only during
  // the call.
  virtual std::size_t OnData(Connection& connection, absl::string_view data) = 0;

  // ConnectionHandler::OnEndOfStream()
  //
  // The peer shut down its write side (its FIN), after every byte before it
  // was delivered. The connection can still write.
  virtual void OnEndOfStream(Connection& connection) { (void)connection; }

  // ConnectionHandler::OnDrain()
  //
  // The write queue, having reached `write_high_water`, fell to
  // `write_low_water`: write again.
  virtual void OnDrain(Connection& connection) { (void)connection; }

  // ConnectionHandler::OnFlushed()
  //
  // Everything written so far has been handed to the OS.
  virtual void OnFlushed(Connection& connection) { (void)connection; }

  // ConnectionHandler::OnError()
  //
  // The connection failed: reset, broken pipe, timed out, ... Called once;
  // the connection is closed when it returns (it may be destroyed here).
  virtual void OnError(Connection& connection, const absl::Status& error) = 0;
};

// ConnectionCallbacks
//
// The same, as functions (`Connection::SetCallbacks()`). Missing ones do
// nothing, except `on_data`, without which everything is consumed unseen.
struct ConnectionCallbacks {
  absl::AnyInvocable<std::size_t(Connection&, absl::string_view)> on_data;  // as `OnData()`
  absl::AnyInvocable<void(Connection&)> on_end_of_stream;  // as `OnEndOfStream()`
  absl::AnyInvocable<void(Connection&)> on_drain;  // as `OnDrain()`
  absl::AnyInvocable<void(Connection&)> on_flushed;  // as `OnFlushed()`
  absl::AnyInvocable<void(Connection&, const absl::Status&)> on_error;  // as `OnError()`
};

// ConnectionPtr
//
// The owner of a connection. Destroying it is `Close()`: the queue is
// flushed (bounded by `linger`), in the background if need be.
struct NET_EXPORT ConnectionDeleter {
  // Closes `connection` (flushing first) and frees it when done.
  void operator()(Connection* connection) const;
};
// The owning pointer `Connection::Create()` returns.
using ConnectionPtr = std::unique_ptr<Connection, ConnectionDeleter>;

// Connection
//
// A buffered byte stream over a connected socket on an event loop:
// reads into an input buffer, queues writes, flushes before closing
// (see the file comment). Lives on its loop's thread.
class NET_EXPORT Connection final : private IoHandler {
 public:
  // Connection::Create()
  //
  // Takes a connected stream socket (made non-blocking here) onto `loop`.
  // Nothing is read until a handler or callbacks are set. Call on the
  // loop's thread.
  //
  // Errors: kFailedPrecondition for a closed socket; kInvalidArgument for a
  // socket that is not a stream, or invalid options (a low-water mark above
  // the high-water mark, a zero budget or high-water mark, an infinite or
  // negative linger, negative timeouts); the loop's error watching it.
  static absl::StatusOr<ConnectionPtr> Create(
      EventLoop& loop, Socket socket, const ConnectionOptions& options = {});

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connection::SetHandler(), Connection::SetCallbacks()
  //
  // Who hears of this connection. A handler is not owned and must outlive
  // the connection's callbacks (one handler may serve every connection);
  // callbacks are owned. The first one set starts reading.
  void SetHandler(ConnectionHandler* handler);
  void SetCallbacks(ConnectionCallbacks callbacks);

  // Connection::Write()
  //
  // Sends what the socket takes now and queues the rest: a view's rest is
  // copied, a `std::string&&` is moved into the queue. Returns true while
  // the queue is below `write_high_water`. Returns false when it is at or
  // above it (the data was taken all the same: stop writing until
  // `OnDrain()`), and when the connection cannot write any more (after
  // `ShutdownWrite()`, `Close()`, `Abort()` or an error: the data was
  // dropped; `can_write()` tells the two cases apart). A send error is not
  // reported here but through `OnError()`, from the loop, never from
  // inside `Write()`.
  bool Write(absl::string_view data);
  bool Write(std::string&& data);
  // A string literal is a view (without this, `Write("text")` would be
  // ambiguous between the two above).
  bool Write(const char* data) { return Write(absl::string_view(data)); }

  // Connection::ShutdownWrite()
  //
  // Sends the FIN once everything queued has left; later writes are
  // refused. Reading goes on.
  void ShutdownWrite();

  // Connection::PauseReading(), Connection::ResumeReading()
  //
  // Stops and restarts reading from the socket (the peer's sends then fill
  // the socket buffers and it is held back by TCP flow control). Resuming
  // does not repeat `OnData()` for bytes already shown.
  void PauseReading();
  void ResumeReading();

  // Connection::input(), Connection::Consume()
  //
  // The unconsumed bytes, and a way to consume them outside `OnData()`
  // (reading resumes when this brings them below `read_high_water`).
  absl::string_view input() const;
  void Consume(std::size_t bytes);

  // Connection::Close()
  //
  // No callback runs after it returns. Flushes the queue, then closes (a
  // FIN); a flush that takes longer than `linger` ends in a reset. The
  // connection object can still be asked for its state.
  void Close();

  // Connection::Abort()
  //
  // Resets the connection at once (SO_LINGER 0: the peer sees a reset,
  // queued bytes are dropped). No callback runs after it returns.
  void Abort();

  // State.
  bool is_open() const { return socket_.is_open() && !closing_; }
  bool can_write() const {
    return is_open() && !write_shut_ &&
           (output_ == nullptr || !write_failed());
  }
  bool reading_paused() const { return paused_; }
  bool peer_closed() const { return peer_eof_; }
  // Bytes queued and not yet handed to the OS.
  std::size_t queued_bytes() const;
  // Bytes received and not consumed.
  std::size_t buffered_bytes() const { return input().size(); }
  NativeHandle native_handle() const { return socket_.native_handle(); }
  EventLoop& loop() const { return *loop_; }
  absl::StatusOr<SocketAddress> LocalAddress() const;
  absl::StatusOr<SocketAddress> PeerAddress() const;

  // A pointer for the user (per-connection state when one handler serves
  // many connections); not touched by the connection.
  void set_context(void* context) { context_ = context; }
  void* context() const { return context_; }

 private:
  friend struct ConnectionDeleter;
  friend struct internal::ConnectionAccess;
  struct Input;
  struct Output;
  struct Timeouts;
  class CallbackHandler;
  struct RingIo;

  Connection(EventLoop& loop, Socket socket, const ConnectionOptions& options);
  ~Connection();

  void Start();
  void OnReady(Readiness readiness) override;
  bool reading_wanted() const;
  Interest PlainInterest() const;
  void ReadSome(bool hangup);
  bool Deliver(const char* data, std::size_t size);
  bool WriteImpl(absl::string_view data, std::string* owned);
  bool SendNow(absl::string_view data, std::size_t* sent);
  bool Queued(bool was_empty);
  bool write_failed() const;
  bool FlushOutput();
  void AfterFlush();
  void UpdateInterest();
  void Fail(absl::Status status);
  void CloseSocket(bool reset);
  void Release();
  void ArmTimeouts();
  void CheckTimeouts();
  void Touch(bool read, bool wrote);
  void FinishLinger();
  void DeferWriteError(absl::Status error);
  // Runs `f` (a timer's work) as a dispatch: a release inside it is freed
  // after it.
  void Dispatch(absl::FunctionRef<void()> f);

  // Completions (core/connection_ring.cc): on a loop on io_uring, a plain
  // connection is not watched; `ring_` starts its receives and sends.
  bool RingAttach();
  void RingUpdate();
  void RingSend();
  bool RingDefersSend() const;
  bool RingHold(absl::string_view data);
  void RingDetach();
  void RingShow();
  void UseReadiness();

  // TLS (core/tls_connection.cc); `secure_` says `tls_` is set.
  void TlsStart();
  void TlsOnReady(Readiness readiness);
  bool TlsHandshake();
  void TlsReadSome(bool until_blocked);
  void TlsScheduleRead(bool only_if_pending);
  bool TlsSendNow(absl::string_view data, std::size_t* sent);
  bool TlsFlushOutput();
  bool TlsCloseNotify();
  void TlsContinueShutdown();
  Interest TlsInterest() const;
  void TlsCancelTimers();
  // The first cache line (with the vtable pointer) holds what every read
  // and write touches; the second what setup, closing, timers and interest
  // changes do. With many connections each event's connection is a cache
  // miss: one line, not two (docs/bench.md).
  Socket socket_;
  ConnectionHandler* handler_ = nullptr;
  std::unique_ptr<Input> input_;
  std::unique_ptr<Output> output_;
  std::unique_ptr<Timeouts> timeouts_;  // only when a timeout is set
  std::uint32_t read_budget_;
  Interest interest_ = Interest::kNone;
  // State bits (bit-fields: C++17 has no default member initializers for
  // them, so the constructor sets each).
  bool edge_ : 1;
  bool started_ : 1;      // a handler is set
  bool paused_ : 1;       // PauseReading()
  bool peer_eof_ : 1;     // the peer's FIN was read
  bool write_shut_ : 1;   // ShutdownWrite() asked
  bool fin_sent_ : 1;
  bool above_high_ : 1;   // OnDrain() owed
  bool closing_ : 1;      // Close()/Abort()/failed: no more callbacks
  bool released_ : 1;     // the owner let go: free when done
  bool in_dispatch_ : 1;  // in OnReady() or a timer of ours
  bool yielded_ : 1;      // read budget ran out (level until drained)
  bool secure_ : 1;       // TLS: tls_ is set
  bool ringed_ : 1;       // on completions: ring_, not watch_
  // Second line.
  EventLoop* loop_;
  union {
    WatchId watch_ = 0;  // readiness: the loop registration
    RingIo* ring_;       // io_uring (`ringed_`): outlives us while busy
  };
  std::unique_ptr<CallbackHandler> callbacks_;
  void* context_ = nullptr;
  // Options, as 32-bit sizes where they fit (validated in Create()).
  std::uint32_t read_high_water_;
  std::uint32_t write_high_water_;
  std::uint32_t write_low_water_;
  std::uint32_t linger_ms_;  // validated: at most 2^32 - 1 ms
  TimerId linger_timer_ = 0;
  std::unique_ptr<internal::TlsState> tls_;
};

}  // namespace net

#endif  // NET_CONNECTION_H_
