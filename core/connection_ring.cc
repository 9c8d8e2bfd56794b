// Copyright 2026 The net Authors.
//
// `Connection` on completions (issue 19, docs/io-uring.md): on a loop whose
// poller is an io_uring ring, a plain (not TLS) connection is not watched
// for readiness. One multishot receive stays armed while reading is wanted
// and hands over the bytes the kernel put in the loop's buffer ring; the
// write queue leaves in sends the ring makes from the queue itself (one in
// flight at a time, with every chunk queued when it starts). The rest of
// the connection (Deliver(), the queue, AfterFlush(), timeouts, closing) is
// the same code as on readiness.
//
// Lifetime: operations in flight refer to `RingIo` (their handler) and to
// the queued bytes being sent, so both outlive the connection until the
// last completion: a closed connection leaves its `RingIo` "orphaned"
// (owner null), holding the queue of a send in flight, and the last
// completion frees it. A close cancels what is in flight and has the ring
// let go of the socket at once (SubmitNow()), so the FIN or the reset
// leaves when the socket is closed, as on readiness.

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "core/connection_internal.h"
#include "core/errors_internal.h"
#include "core/loop_internal.h"
#include "net/connection.h"
#include "net/options.h"
#include "platform/sys.h"

namespace net {

using sys::Completion;
using sys::CompletionOp;

struct Connection::RingIo final : sys::CompletionHandler {
  Connection* owner = nullptr;  // null: the connection is gone
  sys::CompletionIo* io = nullptr;
  bool receiving = false;  // a receive is in flight (until its last completion)
  bool cancelling = false;  // ... and its cancellation was asked
  bool sending = false;    // a send is in flight
  bool submit_asked = false;  // OnSubmit() is due
  bool unshown = false;  // the input holds bytes the handler has not seen
  TimerId show_timer = 0;
  // The queue whose front a send in flight reads, once the connection is
  // gone.
  std::unique_ptr<Output> orphan;
  // The vectors of a send of more than one chunk.
  std::unique_ptr<sys::SendStorage> storage;

  bool busy() const { return receiving || sending || submit_asked; }
  void FreeIfDone() {
    if (owner != nullptr || busy()) return;
    io->Unorphan(this);
    delete this;
  }
  // From inside the ring's destructor, which is still whole: the queue of
  // a send in flight gives its held buffers back as it goes.
  void Abandon() override { delete this; }

  void OnComplete(CompletionOp op, const Completion& c) override;
  void OnSubmit() override;
};

bool Connection::RingAttach() {
  sys::CompletionIo* io = internal::LoopCompletions(*loop_);
  if (io == nullptr) return false;
  ring_ = new RingIo;
  ringed_ = true;
  ring_->owner = this;
  ring_->io = io;
  ring_->handle = socket_.native_handle();
  io->Attach();
  return true;
}

// TLS reads and writes through OpenSSL on the socket itself: a connection
// that becomes secure (right after Create(), before anything is in flight)
// is watched for readiness like on any other backend.
void Connection::UseReadiness() {
  if (!ringed_) return;
  RingDetach();
  absl::StatusOr<WatchId> watch =
      loop_->Watch(socket_.native_handle(), Interest::kNone, this);
  if (watch.ok()) {
    watch_ = *watch;
  } else {
    DeferWriteError(watch.status());
  }
}

// What UpdateInterest() is on readiness: a receive in flight while reading
// is wanted, a send while bytes are queued.
void Connection::RingUpdate() {
  RingIo& r = *ring_;
  const bool want_read = reading_wanted();
  if (want_read && r.unshown && r.show_timer == 0) {
    // Bytes that came while reading was not wanted: shown from the loop,
    // never from inside the call that made reading wanted again.
    r.show_timer = loop_->AddTimer(absl::ZeroDuration(), [this] {
      ring_->show_timer = 0;
      Dispatch([this] { RingShow(); });
    });
  }
  if (want_read && !r.receiving) {
    r.receiving = true;
    r.cancelling = false;
    r.io->Receive(&r);
  } else if (!want_read && r.receiving && !r.cancelling) {
    // Bytes already received still come (kept, not shown); the last
    // completion says the receive is over.
    r.cancelling = true;
    r.io->Cancel(&r, CompletionOp::kReceive);
  }
  if (output_ != nullptr && output_->bytes > 0 && output_->error.ok() &&
      !r.sending && !r.submit_asked) {
    r.submit_asked = true;
    r.io->SubmitLater(&r);
  }
}

void Connection::RingShow() {
  if (!reading_wanted() || input_ == nullptr || !ring_->unshown) return;
  ring_->unshown = false;
  Deliver(nullptr, 0);
}

bool Connection::RingDefersSend() const { return ring_->io->InIteration(); }

// Queues `data` as held ring memory if it is bytes a receive showed (in
// this loop's buffer ring) and the ring can spare the buffer.
bool Connection::RingHold(absl::string_view data) {
  sys::CompletionIo* io = ring_->io;
  const int hold = io->Hold(data);
  if (hold < 0) return false;
  output_->AddHeld(data, hold, io);
  return true;
}

// One send of everything queued (up to SendStorage::kMaxVectors chunks).
void Connection::RingSend() {
  RingIo& r = *ring_;
  absl::Span<const char> vectors[sys::SendStorage::kMaxVectors];
  std::size_t count = 0;
  std::size_t offset = output_->offset;
  for (const Output::Chunk& chunk : output_->chunks) {
    if (count == sys::SendStorage::kMaxVectors) break;
    vectors[count++] = absl::MakeConstSpan(chunk.view()).subspan(offset);
    offset = 0;
  }
  if (count > 1 && r.storage == nullptr) {
    r.storage = std::make_unique<sys::SendStorage>();
  }
  output_->in_flight = count;
  r.sending = true;
  r.io->Send(&r, absl::MakeConstSpan(vectors, count), r.storage.get());
}

void Connection::RingIo::OnSubmit() {
  submit_asked = false;
  if (owner == nullptr) return FreeIfDone();
  Connection& c = *owner;
  if (c.output_ != nullptr && c.output_->bytes > 0 && c.output_->error.ok() &&
      !sending && c.socket_.is_open()) {
    c.RingSend();
  }
}

void Connection::RingIo::OnComplete(CompletionOp op, const Completion& done) {
  if (op == CompletionOp::kReceive && !done.more) {
    receiving = false;
    cancelling = false;
  }
  if (op == CompletionOp::kSend) sending = false;
  if (owner == nullptr) return FreeIfDone();
  Connection& c = *owner;
  // As OnReady(): a release inside is freed after. Nothing below touches
  // `this` (the RingIo) once the connection may have closed: it may be
  // freed then.
  c.in_dispatch_ = true;
  if (op == CompletionOp::kReceive) {
    if (done.result > 0) {
      const std::size_t n = static_cast<std::size_t>(done.result);
      if (c.timeouts_ != nullptr) c.Touch(/*read=*/true, /*wrote=*/false);
      if (c.closing_) {
        // Dropped, as on readiness (nothing is read after Close()).
      } else if (!c.reading_wanted()) {
        if (c.input_ == nullptr) c.input_ = std::make_unique<Input>();
        c.input_->Append(done.data, n);
        unshown = true;
      } else {
        c.Deliver(done.data, n);
      }
    } else if (done.result == 0) {
      if (!c.closing_ && !c.peer_eof_) {
        c.peer_eof_ = true;
        c.UpdateInterest();
        c.handler_->OnEndOfStream(c);
      }
    } else if (!done.cancelled && !done.no_buffers && !done.would_block &&
               !c.closing_) {
      c.Fail(internal::SystemError("recv", "", -done.result));
    }
    // A receive that ended (cancelled to pause, out of buffers, or the
    // kernel's choice) starts again if reading is still wanted.
    if (!done.more && c.socket_.is_open() && !c.peer_eof_) c.RingUpdate();
  } else if (op == CompletionOp::kSend) {
    c.output_->in_flight = 0;
    if (done.would_block) {
      c.RingUpdate();  // again with the next submission
    } else if (done.result < 0) {
      c.Fail(internal::SystemError("send", "", -done.result));
    } else {
      const std::size_t n = static_cast<std::size_t>(done.result);
      c.output_->Sent(n);
      if (c.timeouts_ != nullptr && n > 0) c.Touch(false, true);
      if (c.output_->bytes > 0) {
        // The peer takes less than was offered: what stays queued may stay
        // a while, so it no longer keeps ring buffers from the receives.
        c.output_->CopyHeld();
        c.RingSend();
      } else {
        c.AfterFlush();
      }
    }
  }
  c.in_dispatch_ = false;
  if (c.released_ && !c.socket_.is_open()) delete &c;
}

// The connection is closing its socket: stop what is in flight and let the
// ring drop its reference to the socket now, so that closing it sends the
// FIN (or, after SO_LINGER 0, the reset) at once. The RingIo stays until
// its last completion.
void Connection::RingDetach() {
  RingIo* r = ring_;
  ringed_ = false;
  watch_ = 0;
  if (loop_ == nullptr) {
    // The loop (and its ring) is being destroyed: no completion will come.
    if (output_ != nullptr) output_->ForgetHolds();
    delete r;
    return;
  }
  r->io->Detach();
  if (r->show_timer != 0) loop_->CancelTimer(r->show_timer);
  r->show_timer = 0;
  r->owner = nullptr;
  bool in_flight = false;
  if (r->receiving) {
    r->io->Cancel(r, CompletionOp::kReceive);
    in_flight = true;
  }
  if (r->sending) {
    r->io->Cancel(r, CompletionOp::kSend);
    r->orphan = std::move(output_);  // the send reads it until it ends
    in_flight = true;
  }
  if (in_flight) r->io->SubmitNow();
  if (r->busy()) {
    r->io->Orphan(r);
  } else {
    delete r;
  }
}

}  // namespace net
