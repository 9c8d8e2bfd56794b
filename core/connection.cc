// Copyright 2026 The net Authors.
//
// `net::Connection` and `net::Connect()`: a buffered byte stream, a client of
// `EventLoop` and `Socket` only (no OS call of its own). docs/connection.md
// has the model; the comments here say why each piece is the way it is.
//
// Lifetime. The user owns a connection through `ConnectionPtr`, whose
// deleter is `Release()`: the connection is closed (flushing in the
// background if bytes are queued) and frees itself when nothing is left to
// do. Callbacks run only from `OnReady()` and our timers, never from a
// user's call, so one flag (`in_dispatch_`) is enough to defer the `delete`
// of a connection released by its own callback to the end of the dispatch.

#include "net/connection.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/connection_internal.h"
#include "core/errors_internal.h"
#include "core/tls_internal.h"
#include "net/options.h"
#include "platform/sys.h"

namespace net {
namespace {

// The read buffer (core/connection_internal.h), freed at thread exit by the
// OS's thread-exit callback (sys::NewThreadBuffer() says why not by a
// thread_local destructor); `read_buffer` caches it, read on every wakeup: a
// trivially destructible thread_local with the initial-exec model is one
// load.
ABSL_ATTRIBUTE_INITIAL_EXEC thread_local char* read_buffer = nullptr;

ABSL_ATTRIBUTE_NOINLINE char* NewReadBuffer() {
  read_buffer = sys::NewThreadBuffer(kReadChunk);
  return read_buffer;
}

char* ReadBuffer() {
  char* buffer = read_buffer;
  return ABSL_PREDICT_TRUE(buffer != nullptr) ? buffer : NewReadBuffer();
}

Interest WithoutRead(Interest i) {
  return static_cast<Interest>(static_cast<std::uint8_t>(i) &
                               ~static_cast<std::uint8_t>(Interest::kReadable));
}


Clock::duration ToClock(absl::Duration d) {
  return std::chrono::duration_cast<Clock::duration>(
      absl::ToChronoNanoseconds(d));
}

}  // namespace

absl::Status internal::CheckConnectionOptions(const ConnectionOptions& o) {
  constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
  auto size = [&](absl::string_view name, std::size_t v) -> absl::Status {
    if (v == 0 || v > kMax) {
      return absl::InvalidArgumentError(absl::StrCat(
          "connection: ", name, " must be 1 to ", kMax, ", got ", v));
    }
    return absl::OkStatus();
  };
  for (auto [name, v] : {std::pair<absl::string_view, std::size_t>{
                             "read_high_water", o.read_high_water},
                         {"read_budget", o.read_budget},
                         {"write_high_water", o.write_high_water}}) {
    absl::Status s = size(name, v);
    if (!s.ok()) return s;
  }
  if (o.write_low_water >= o.write_high_water) {
    return absl::InvalidArgumentError(absl::StrCat(
        "connection: write_low_water (", o.write_low_water,
        ") must be below write_high_water (", o.write_high_water, ")"));
  }
  for (auto [name, d] :
       {std::pair<absl::string_view, absl::Duration>{"idle_timeout",
                                                     o.idle_timeout},
        {"read_timeout", o.read_timeout},
        {"write_timeout", o.write_timeout}}) {
    if (d <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "connection: ", name, " must be positive (InfiniteDuration: none), "
          "got ", absl::FormatDuration(d)));
    }
  }
  if (o.linger < absl::ZeroDuration() ||
      o.linger >= absl::Milliseconds(std::numeric_limits<std::uint32_t>::max())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "connection: linger must be finite (under 49 days) and not negative, "
        "got ", absl::FormatDuration(o.linger)));
  }
  return absl::OkStatus();
}

namespace internal {
char* ConnectionReadBuffer() { return ReadBuffer(); }
}  // namespace internal

// What an idle connection costs (connection.h says it): keep it in two
// cache lines.
static_assert(sizeof(void*) != 8 || sizeof(Connection) <= 128,
              "net::Connection grew past 128 bytes");

// `ConnectionCallbacks` as a handler.
class Connection::CallbackHandler final : public ConnectionHandler {
 public:
  explicit CallbackHandler(ConnectionCallbacks callbacks)
      : cb_(std::move(callbacks)) {}
  std::size_t OnData(Connection& c, absl::string_view data) override {
    return cb_.on_data ? cb_.on_data(c, data) : data.size();
  }
  void OnEndOfStream(Connection& c) override {
    if (cb_.on_end_of_stream) cb_.on_end_of_stream(c);
  }
  void OnDrain(Connection& c) override {
    if (cb_.on_drain) cb_.on_drain(c);
  }
  void OnFlushed(Connection& c) override {
    if (cb_.on_flushed) cb_.on_flushed(c);
  }
  void OnError(Connection& c, const absl::Status& error) override {
    if (cb_.on_error) cb_.on_error(c, error);
  }

 private:
  ConnectionCallbacks cb_;
};

void ConnectionDeleter::operator()(Connection* connection) const {
  connection->Release();
}

absl::StatusOr<ConnectionPtr> Connection::Create(
    EventLoop& loop, Socket socket, const ConnectionOptions& options) {
  if (!socket.is_open()) {
    return absl::FailedPreconditionError(
        "connection: the socket is not open (closed, released or moved from)");
  }
  if (socket.type() != SocketType::kStream) {
    return absl::InvalidArgumentError(absl::StrCat(
        "connection: the socket must be a stream socket, got ",
        SocketTypeName(socket.type())));
  }
  absl::Status valid = internal::CheckConnectionOptions(options);
  if (!valid.ok()) return valid;
  // Accepted with AcceptFlags::kNonBlocking (the Listener's default) or
  // opened with OpenFlags::kNonBlocking, the socket is already: no call.
  if (!socket.nonblocking_) {
    absl::Status nonblocking = socket.SetNonBlocking(true);
    if (!nonblocking.ok()) return nonblocking;
  }
  ConnectionPtr c(new Connection(loop, std::move(socket), options));
  // On io_uring: completions (core/connection_ring.cc), no watch.
  if (!c->RingAttach()) {
    absl::StatusOr<WatchId> watch =
        loop.Watch(c->socket_.native_handle(), Interest::kNone, c.get());
    if (!watch.ok()) return watch.status();
    c->watch_ = *watch;
  }
  c->ArmTimeouts();
  return c;
}

Connection::Connection(EventLoop& loop, Socket socket,
                       const ConnectionOptions& options)
    : socket_(std::move(socket)),
      read_budget_(static_cast<std::uint32_t>(options.read_budget)),
      edge_(options.edge_triggered && HasEdgeTriggering(loop.backend())),
      started_(false),
      paused_(false),
      peer_eof_(false),
      write_shut_(false),
      fin_sent_(false),
      above_high_(false),
      closing_(false),
      released_(false),
      in_dispatch_(false),
      yielded_(false),
      secure_(false),
      ringed_(false),
      loop_(&loop),
      read_high_water_(static_cast<std::uint32_t>(options.read_high_water)),
      write_high_water_(static_cast<std::uint32_t>(options.write_high_water)),
      write_low_water_(static_cast<std::uint32_t>(options.write_low_water)),
      linger_ms_(static_cast<std::uint32_t>(
          absl::ToInt64Milliseconds(options.linger + absl::Microseconds(999)))) {
  const bool idle = options.idle_timeout != absl::InfiniteDuration();
  const bool read = options.read_timeout != absl::InfiniteDuration();
  const bool write = options.write_timeout != absl::InfiniteDuration();
  if (idle || read || write) {
    timeouts_ = std::make_unique<Timeouts>();
    timeouts_->has_idle = idle;
    timeouts_->has_read = read;
    timeouts_->has_write = write;
    if (idle) timeouts_->idle = ToClock(options.idle_timeout);
    if (read) timeouts_->read = ToClock(options.read_timeout);
    if (write) timeouts_->write = ToClock(options.write_timeout);
    const Clock::time_point now = Clock::now();
    timeouts_->last_read = timeouts_->last_write = now;
    timeouts_->last_activity = now;
  }
}

Connection::~Connection() {
  if (socket_.is_open()) CloseSocket(/*reset=*/false);
  if (ringed_) RingDetach();  // the loop went first
}

// --- Setup ------------------------------------------------------------------

void Connection::SetHandler(ConnectionHandler* handler) {
  if (handler == nullptr || closing_) return;
  handler_ = handler;
  callbacks_.reset();
  Start();
}

void Connection::SetCallbacks(ConnectionCallbacks callbacks) {
  if (closing_) return;
  callbacks_ = std::make_unique<CallbackHandler>(std::move(callbacks));
  handler_ = callbacks_.get();
  Start();
}

// Reading starts, and the timeouts count from now: a connection waiting
// for its handler (a server's hand-off, a connect callback) is not idle.
void Connection::Start() {
  if (!started_ && timeouts_ != nullptr) {
    const Clock::time_point now = Clock::now();
    timeouts_->last_read = timeouts_->last_write = now;
    timeouts_->last_activity = now;
  }
  started_ = true;
  if (ABSL_PREDICT_FALSE(secure_)) TlsStart();
  UpdateInterest();
}

absl::StatusOr<SocketAddress> Connection::LocalAddress() const {
  return socket_.LocalAddress();
}

absl::StatusOr<SocketAddress> Connection::PeerAddress() const {
  return socket_.PeerAddress();
}

// --- Interest ---------------------------------------------------------------

bool Connection::reading_wanted() const {
  return started_ && !paused_ && !peer_eof_ && !closing_ &&
         buffered_bytes() < read_high_water_;
}

// Reading while wanted; writing while bytes are queued.
Interest Connection::PlainInterest() const {
  Interest want = Interest::kNone;
  if (reading_wanted()) want = want | Interest::kReadable;
  if (output_ != nullptr && output_->bytes > 0 && output_->error.ok()) {
    want = want | Interest::kWritable;
  }
  return want;
}

void Connection::UpdateInterest() {
  if (!socket_.is_open()) return;
  if (ringed_) return RingUpdate();
  Interest want =
      ABSL_PREDICT_FALSE(secure_) ? TlsInterest() : PlainInterest();
  if (edge_ && !yielded_ && want != Interest::kNone) {
    want = want | Interest::kEdgeTriggered;
  }
  if (want == interest_) return;
  // Edge-triggered, after the peer's FIN: no readable edge can come any
  // more (a reset still shows as an error), so read interest is left as it
  // is rather than dropped, a system call saved per connection (and
  // usually the only one between the FIN and the close, which removes the
  // registration by itself). OnReady() does not read after the FIN.
  if (peer_eof_ && Wants(interest_, Interest::kEdgeTriggered) &&
      Wants(interest_, Interest::kReadable) && !yielded_ &&
      (want == WithoutRead(interest_) ||
       (want == Interest::kNone &&
        WithoutRead(interest_) == Interest::kEdgeTriggered))) {
    return;
  }
  // TLS: records already inside OpenSSL show no readiness on the socket;
  // when reading starts again, read them from the loop (libevent #690).
  if (ABSL_PREDICT_FALSE(secure_) && Wants(want, Interest::kReadable) &&
      !Wants(interest_, Interest::kReadable)) {
    TlsScheduleRead(/*only_if_pending=*/true);
  }
  interest_ = want;
  absl::Status s = loop_->Modify(watch_, want);
  if (!s.ok() && !closing_) Fail(std::move(s));
}

void Connection::PauseReading() {
  paused_ = true;
  UpdateInterest();
}

void Connection::ResumeReading() {
  if (!paused_) return;
  paused_ = false;
  if (timeouts_ != nullptr) timeouts_->last_read = Clock::now();
  UpdateInterest();
}

absl::string_view Connection::input() const {
  return input_ == nullptr ? absl::string_view() : input_->view();
}

void Connection::Consume(std::size_t bytes) {
  if (input_ == nullptr) return;
  input_->Consume(std::min(bytes, input_->view().size()));
  if (input_->empty()) input_.reset();
  UpdateInterest();
}

bool Connection::write_failed() const {
  return output_ != nullptr && !output_->error.ok();
}

std::size_t Connection::queued_bytes() const {
  return output_ == nullptr ? 0 : output_->bytes;
}

// --- Dispatch ---------------------------------------------------------------

void Connection::OnReady(Readiness readiness) {
  in_dispatch_ = true;
  if (ABSL_PREDICT_FALSE(secure_)) {
    TlsOnReady(readiness);
  } else {
    if (output_ != nullptr && readiness.writable) {
      FlushOutput();
    }
    if (socket_.is_open() && (readiness.readable || readiness.hangup) &&
        Wants(interest_, Interest::kReadable) && !peer_eof_) {
      ReadSome(readiness.hangup);
    }
  }
  in_dispatch_ = false;
  if (released_ && !socket_.is_open()) delete this;
}

// `hangup`: the peer's FIN (or a reset) came with this event, so a short
// read does not mean drained: the end of the stream is still to be read, and
// an edge-triggered registration gets no new edge for it.
void Connection::ReadSome(bool hangup) {
  std::size_t budget = read_budget_;
  char* const buffer = ReadBuffer();
  while (Wants(interest_, Interest::kReadable) && socket_.is_open()) {
    absl::StatusOr<IoResult> r =
        socket_.Receive(absl::MakeSpan(buffer, kReadChunk));
    if (!r.ok()) return Fail(r.status());
    if (r->would_block()) break;
    if (r->end_of_stream()) {
      peer_eof_ = true;
      UpdateInterest();
      if (!closing_) handler_->OnEndOfStream(*this);
      return;
    }
    const std::size_t n = r->bytes();
    if (timeouts_ != nullptr) Touch(/*read=*/true, /*wrote=*/false);
    if (!Deliver(buffer, n)) return;
    // A short stream read: drained for now (one recv fewer per event than
    // reading on to would-block), unless the FIN is already known.
    if (n < kReadChunk && !hangup) break;
    if (n >= budget) {
      // Yield to the other connections. Edge-triggered, no new edge comes
      // for bytes already there: watch level-triggered until drained.
      if (edge_ && !yielded_) {
        yielded_ = true;
        UpdateInterest();
      }
      return;
    }
    budget -= n;
  }
  if (yielded_) {
    yielded_ = false;
    UpdateInterest();
  }
}

// Shows the new bytes (after any unconsumed ones) to the handler and keeps
// what it leaves. Returns false if the connection closed meanwhile.
bool Connection::Deliver(const char* data, std::size_t size) {
  if (closing_) return false;
  if (input_ == nullptr) {
    const std::size_t consumed =
        std::min(handler_->OnData(*this, absl::string_view(data, size)), size);
    if (!socket_.is_open() || closing_) return false;
    if (consumed < size) {
      input_ = std::make_unique<Input>();
      input_->Append(data + consumed, size - consumed);
    }
  } else {
    input_->Append(data, size);
    const absl::string_view all = input_->view();
    const std::size_t consumed =
        std::min(handler_->OnData(*this, all), all.size());
    if (!socket_.is_open() || closing_) return false;
    if (input_ != nullptr) {  // Consume() inside may have released it
      input_->Consume(std::min(consumed, input_->view().size()));
      if (input_->empty()) input_.reset();
    }
  }
  // Only kept bytes can reach the mark (the common case keeps none).
  if (input_ != nullptr && input_->view().size() >= read_high_water_) {
    UpdateInterest();
  }
  return true;
}

// --- Writing ----------------------------------------------------------------

bool Connection::Write(absl::string_view data) {
  return WriteImpl(data, nullptr);
}

bool Connection::Write(std::string&& data) {
  // A small string goes the view's way (sent, or copied into a chunk with
  // others): keeping it would cost an iovec, copying it costs less.
  return WriteImpl(data, data.size() <= kCoalesceLimit ? nullptr : &data);
}

// Sends `data` at once when nothing is queued; queues the rest: a copy, or
// `*owned` itself (whose bytes `data` views) moved into the queue.
bool Connection::WriteImpl(absl::string_view data, std::string* owned) {
  if (!can_write()) return false;
  std::size_t sent = 0;
  if (output_ == nullptr) {
    if (ABSL_PREDICT_FALSE(ringed_) && RingDefersSend()) {
      // io_uring, inside the loop's iteration: the send starts with the
      // iteration's submission, with whatever else is written until then.
      output_ = std::make_unique<Output>();
    } else {
      if (!SendNow(data, &sent)) return false;
      if (sent == data.size()) return true;
    }
  }
  const bool was_empty = output_->bytes == 0;
  const absl::string_view rest = data.substr(sent);
  if (ABSL_PREDICT_FALSE(ringed_) && owned == nullptr &&
      !output_->CanAppend(rest.size()) && RingHold(rest)) {
    // io_uring: bytes a receive just showed, sent from where they are.
  } else if (owned == nullptr) {
    output_->AddCopy(rest);
  } else {
    output_->Add(std::move(*owned), /*coalescable=*/false);
    if (was_empty) output_->offset = sent;
    output_->bytes -= sent;
  }
  return Queued(was_empty);
}

// One send of `data` with nothing queued before it; makes the queue for
// the rest. A failure is kept and reported from the loop (never from inside
// Write(): the caller may be in the middle of anything); returns false then.
bool Connection::SendNow(absl::string_view data, std::size_t* sent) {
  if (ABSL_PREDICT_FALSE(secure_)) return TlsSendNow(data, sent);
  absl::StatusOr<IoResult> r = socket_.Send(data);
  if (r.ok()) {
    *sent = r->bytes();
    if (*sent > 0 && timeouts_ != nullptr) Touch(/*read=*/false, /*wrote=*/true);
    if (*sent < data.size()) output_ = std::make_unique<Output>();
    return true;
  }
  DeferWriteError(r.status());
  return false;
}

void Connection::Dispatch(absl::FunctionRef<void()> f) {
  in_dispatch_ = true;
  f();
  in_dispatch_ = false;
  if (released_ && !socket_.is_open()) delete this;
}

// A send error inside Write() is reported from the loop, never from inside
// the call (the caller may be in the middle of anything).
void Connection::DeferWriteError(absl::Status error) {
  output_ = std::make_unique<Output>();
  output_->error = std::move(error);
  output_->error_timer = loop_->AddTimer(absl::ZeroDuration(), [this] {
    output_->error_timer = 0;
    Dispatch([this] { Fail(output_->error); });
  });
}

// After bytes were queued: watch for writability, start the write timeout,
// and say whether the caller may go on.
bool Connection::Queued(bool was_empty) {
  if (was_empty && timeouts_ != nullptr) timeouts_->last_write = Clock::now();
  UpdateInterest();
  if (output_->bytes < write_high_water_) return true;
  above_high_ = true;
  return false;
}

// Sends what is queued, many chunks per call. Returns false if the
// connection failed.
bool Connection::FlushOutput() {
  if (ABSL_PREDICT_FALSE(secure_)) return TlsFlushOutput();
  constexpr std::size_t kMaxVectors = Socket::kMaxIoVectors;
  while (output_ != nullptr && output_->bytes > 0) {
    if (!output_->error.ok()) {
      Fail(output_->error);
      return false;
    }
    absl::Span<const char> vectors[kMaxVectors];
    std::size_t count = 0;
    std::size_t offset = output_->offset;
    for (const Output::Chunk& chunk : output_->chunks) {
      if (count == kMaxVectors) break;
      vectors[count++] = absl::MakeConstSpan(chunk.view()).subspan(offset);
      offset = 0;
    }
    absl::StatusOr<IoResult> r =
        count == 1 ? socket_.Send(vectors[0])
                   : socket_.SendVector(absl::MakeConstSpan(vectors, count));
    if (!r.ok()) {
      Fail(r.status());
      return false;
    }
    if (r->would_block()) return true;
    output_->Sent(r->bytes());
    if (timeouts_ != nullptr && r->bytes() > 0) Touch(false, true);
  }
  AfterFlush();
  return socket_.is_open();
}

// The queue is empty: FIN or close if asked, the callbacks owed.
void Connection::AfterFlush() {
  output_.reset();
  if (closing_) {
    // TLS: close_notify first (it may have to wait for writability).
    if (secure_ && !TlsCloseNotify()) return;
    CloseSocket(/*reset=*/false);
    return;
  }
  if (write_shut_ && !fin_sent_) {
    if (secure_ && !TlsCloseNotify()) return;
    fin_sent_ = true;
    absl::Status s = socket_.Shutdown(ShutdownMode::kWrite);
    if (!s.ok() && !IsPeerGone(s)) return Fail(std::move(s));
  }
  UpdateInterest();
  if (above_high_ && started_) {
    above_high_ = false;
    handler_->OnDrain(*this);
    if (!socket_.is_open() || closing_) return;
    if (output_ != nullptr) return;  // it wrote again: not flushed
  }
  if (started_) handler_->OnFlushed(*this);
}

void Connection::ShutdownWrite() {
  if (write_shut_ || closing_ || !socket_.is_open()) return;
  write_shut_ = true;
  if (queued_bytes() > 0) return;  // after the queue drains
  // TLS: close_notify, then the FIN (after the handshake, if under way).
  if (secure_ && !TlsCloseNotify()) return;
  fin_sent_ = true;
  absl::Status s = socket_.Shutdown(ShutdownMode::kWrite);
  // A peer already gone shows on the next read; any other failure means the
  // FIN did not go: reported from the loop, as a failed write is (and as
  // AfterFlush() reports it when the FIN waited for the queue).
  if (!s.ok() && !IsPeerGone(s) && !write_failed()) {
    DeferWriteError(std::move(s));
  }
}

// --- Closing ----------------------------------------------------------------

void Connection::Close() {
  if (closing_) return;
  closing_ = true;
  if (!socket_.is_open()) return;
  input_.reset();
  if (queued_bytes() == 0 || !output_->error.ok()) {
    // TLS: unless close_notify has to wait for writability, close now.
    if (!secure_ || write_failed() || TlsCloseNotify()) {
      CloseSocket(/*reset=*/false);
      return;
    }
    if (!socket_.is_open()) return;
  }
  // Flush in the background, bounded by the linger time. The timer's task
  // owns a guard: if the loop is destroyed first, the guard closes the
  // socket without touching the loop and frees a released connection.
  struct Guard {
    Connection* c;
    explicit Guard(Connection* connection) : c(connection) {}
    Guard(Guard&& o) noexcept : c(std::exchange(o.c, nullptr)) {}
    Guard& operator=(Guard&&) = delete;
    ~Guard() {
      if (c == nullptr || c->linger_timer_ == 0) return;  // cancelled by us
      c->linger_timer_ = 0;
      c->loop_ = nullptr;  // the loop is going away: do not touch it
      c->socket_.Close().IgnoreError();
      if (c->released_) delete c;
    }
  };
  linger_timer_ = loop_->AddTimer(
      absl::Milliseconds(linger_ms_), [guard = Guard(this)]() mutable {
        Connection* c = std::exchange(guard.c, nullptr);
        c->linger_timer_ = 0;
        c->FinishLinger();
      });
  if (timeouts_ != nullptr && timeouts_->timer != 0) {
    loop_->CancelTimer(std::exchange(timeouts_->timer, 0));
  }
  UpdateInterest();
}

void Connection::FinishLinger() {
  // The queue did not drain in time: reset.
  in_dispatch_ = true;
  CloseSocket(/*reset=*/true);
  in_dispatch_ = false;
  if (released_) delete this;
}

void Connection::Abort() {
  if (!socket_.is_open()) {
    closing_ = true;
    return;
  }
  closing_ = true;
  CloseSocket(/*reset=*/true);
}

void Connection::Release() {
  released_ = true;
  Close();
  if (!in_dispatch_ && !socket_.is_open()) delete this;
}

void Connection::Fail(absl::Status status) {
  if (closing_) {
    CloseSocket(/*reset=*/false);
    return;
  }
  closing_ = true;
  if (started_) handler_->OnError(*this, status);
  CloseSocket(/*reset=*/false);
}

void Connection::CloseSocket(bool reset) {
  if (loop_ != nullptr) {
    if (linger_timer_ != 0) loop_->CancelTimer(std::exchange(linger_timer_, 0));
    if (timeouts_ != nullptr && timeouts_->timer != 0) {
      loop_->CancelTimer(std::exchange(timeouts_->timer, 0));
    }
    if (output_ != nullptr && output_->error_timer != 0) {
      loop_->CancelTimer(std::exchange(output_->error_timer, 0));
    }
    if (secure_) TlsCancelTimers();
    if (ringed_ && socket_.is_open()) RingDetach();
    if (watch_ != 0 && socket_.is_open()) {
      loop_->Unwatch(std::exchange(watch_, 0), UnwatchMode::kClosing)
          .IgnoreError();
    }
  }
  if (socket_.is_open()) {
    if (reset) {
      // SO_LINGER {on, 0}: close() sends a reset and drops what is queued.
      socket_.SetOption(LingerOption({true, absl::ZeroDuration()}))
          .IgnoreError();
    }
    socket_.Close().IgnoreError();
  }
  input_.reset();
  output_.reset();
  interest_ = Interest::kNone;
}

// --- Timeouts ---------------------------------------------------------------

void Connection::Touch(bool read, bool wrote) {
  const Clock::time_point now = Clock::now();
  timeouts_->last_activity = now;
  if (read) timeouts_->last_read = now;
  if (wrote) timeouts_->last_write = now;
}

void Connection::ArmTimeouts() {
  if (timeouts_ == nullptr || closing_ || !socket_.is_open()) return;
  // The earliest deadline that can pass. Deadlines are checked when the
  // timer fires, from the times of the last read and write: no timer is
  // re-armed per byte.
  Clock::time_point next = Clock::time_point::max();
  const Timeouts& t = *timeouts_;
  if (t.has_idle) next = std::min(next, t.last_activity + t.idle);
  if (t.has_read && !paused_ && !peer_eof_) {
    next = std::min(next, t.last_read + t.read);
  }
  if (t.has_write && queued_bytes() > 0) {
    next = std::min(next, t.last_write + t.write);
  }
  if (next == Clock::time_point::max()) {
    // Nothing can time out now (paused, nothing queued): look again later.
    next = Clock::now() + std::max({t.idle, t.read, t.write});
  }
  const absl::Duration delay =
      absl::FromChrono(std::max(next - Clock::now(), Clock::duration::zero()));
  timeouts_->timer = loop_->AddTimer(delay, [this] {
    timeouts_->timer = 0;
    Dispatch([this] { CheckTimeouts(); });
  });
}

void Connection::CheckTimeouts() {
  const Clock::time_point now = Clock::now();
  const Timeouts& t = *timeouts_;
  const char* which = nullptr;
  if (t.has_idle && now - t.last_activity >= t.idle) which = "idle";
  if (t.has_read && !paused_ && !peer_eof_ && now - t.last_read >= t.read) {
    which = "read";
  }
  if (t.has_write && queued_bytes() > 0 && now - t.last_write >= t.write) {
    which = "write";
  }
  if (which == nullptr) return ArmTimeouts();
  std::string subject;
  absl::StatusOr<SocketAddress> peer = socket_.PeerAddress();
  if (peer.ok()) subject = peer->ToString();
  Fail(internal::PortableError(absl::StrCat(which, " timeout"), subject,
                               SocketError::kTimedOut));
}

}  // namespace net
