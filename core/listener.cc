// Copyright 2026 The net Authors.
//
// `net::Listener`: the evconnlistener model on `net::EventLoop`. Portable:
// everything OS-specific is reached through `net::Socket`, the options and
// the loop.
//
// Lifetime: the listener's state is shared between the `Listener` object,
// the loop callback and timers (which hold weak references). The accept loop
// holds a strong reference while it runs, so a callback may destroy the
// listener; the loop then stops at once.

#include "net/listener.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/optional.h"
#include "core/errors_internal.h"
#include "core/loop_internal.h"
#include "net/options.h"
#include "net/status_macros.h"
#include "platform/sys.h"

namespace net {
namespace {

constexpr absl::Duration kFirstBackoff = absl::Milliseconds(10);
constexpr absl::Duration kDeferAcceptWait = absl::Seconds(1);

// On Windows SO_REUSEADDR lets another socket bind a port in use ("port
// stealing"); a reusable listener there keeps its exclusive use, as
// libevent's evutil_make_listen_socket_reuseable does.
bool ReuseAddressIsSafe() { return sys::BackendName() != "windows"; }

bool IsResourceExhaustion(const absl::Status& status) {
  switch (GetSocketError(status)) {
    case SocketError::kTooManyOpenFiles:
    case SocketError::kTooManyOpenFilesInSystem:
    case SocketError::kNoBufferSpace:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<Socket> OpenReserve() {
  return Socket::Open(AddressFamily::kIPv4, SocketType::kDatagram);
}

}  // namespace

struct Listener::State : std::enable_shared_from_this<Listener::State> {
  EventLoop* loop = nullptr;
  Socket socket;
  ListenerOptions options;

  mutable absl::Mutex mu;
  std::shared_ptr<AcceptCallback> accept_cb ABSL_GUARDED_BY(mu);
  std::shared_ptr<ErrorCallback> error_cb ABSL_GUARDED_BY(mu);
  bool want_enabled ABSL_GUARDED_BY(mu) = true;

  // Loop thread only.
  WatchId watch = 0;
  bool paused = false;  // backing off after resource exhaustion or an error
  bool freed = false;
  TimerId backoff_timer = 0;
  absl::Duration backoff = absl::ZeroDuration();
  bool in_episode = false;
  Socket reserve;
  std::uint64_t accept_calls = 0;

  // io_uring (issue 19): a multishot accept instead of a watch. Its handler
  // holds the state while an accept is in flight, so a listener destroyed
  // meanwhile leaves the state until the accept's last completion.
  struct RingAccept final : sys::CompletionHandler {
    std::shared_ptr<State> keep;  // while an accept is in flight
    bool accepting = false;
    bool cancelling = false;
    void OnComplete(sys::CompletionOp op,
                    const sys::Completion& done) override;
    // The loop went first: let go of the state (which frees this).
    void Abandon() override { keep.reset(); }
  };
  sys::CompletionIo* io = nullptr;
  std::unique_ptr<RingAccept> ring;
  // Connections the ring accepted while accepting was not wanted (they
  // were under way when it was stopped): handed over when it is wanted
  // again, as the kernel's backlog would have kept them.
  std::vector<std::pair<Socket, SocketAddress>> held;
  TimerId held_timer = 0;

  bool thread_safe() const {
    return HasFlag(options.flags, ListenerFlags::kThreadSafe);
  }

  // Runs `fn` on the loop thread: now, or posted when thread-safe.
  template <typename Fn>
  void OnLoop(Fn fn) {
    if (!thread_safe()) {
      fn(this);
      return;
    }
    std::weak_ptr<State> weak = weak_from_this();
    loop->Post([weak, fn]() mutable {
      if (std::shared_ptr<State> self = weak.lock()) fn(self.get());
    });
  }

  // Makes the loop registration match the wanted state.
  absl::Status Arm() {
    if (freed || (watch == 0 && io == nullptr)) return absl::OkStatus();
    bool active;
    {
      absl::MutexLock lock(&mu);
      active = want_enabled && accept_cb != nullptr && !paused;
    }
    if (io != nullptr) {
      RingArm(active);
      return absl::OkStatus();
    }
    return loop->Modify(watch, active ? Interest::kReadable : Interest::kNone);
  }

  // An accept in flight while accepting is wanted.
  void RingArm(bool active) {
    RingAccept& r = *ring;
    if (active && !held.empty() && held_timer == 0) {
      // From the loop, never inside Enable() or SetCallback().
      std::weak_ptr<State> weak = weak_from_this();
      held_timer = loop->AddTimer(absl::ZeroDuration(), [weak] {
        std::shared_ptr<State> self = weak.lock();
        if (self == nullptr) return;
        self->held_timer = 0;
        self->DeliverHeld();
      });
    }
    if (active && !r.accepting) {
      r.accepting = true;
      r.cancelling = false;
      r.keep = shared_from_this();
      io->Accept(&r, !HasFlag(options.flags,
                              ListenerFlags::kLeaveSocketsBlocking));
    } else if (!active && r.accepting && !r.cancelling) {
      r.cancelling = true;
      io->Cancel(&r, sys::CompletionOp::kAccept);
    }
  }

  // A connection the ring accepted: as OnReadable() does with one from
  // TryAccept().
  void OnRingAccepted(NativeHandle handle) {
    ++accept_calls;
    Socket accepted(handle, socket.family(), socket.type());
    accepted.nonblocking_ =
        !HasFlag(options.flags, ListenerFlags::kLeaveSocketsBlocking);
    if (freed) return;  // closed on return
    // The ring's accept cannot return each peer's address (multishot).
    // A connection already gone has none: closed, and the next one taken,
    // as sys::Accept() does.
    absl::StatusOr<SocketAddress> peer = accepted.PeerAddress();
    if (!peer.ok()) return;
    in_episode = false;
    backoff = absl::ZeroDuration();
    std::shared_ptr<AcceptCallback> cb = paused ? nullptr : CurrentCallback();
    if (cb == nullptr || !held.empty()) {
      held.emplace_back(std::move(accepted), *peer);
      return;
    }
    (*cb)(std::move(accepted), *peer);
  }

  void DeliverHeld() {
    std::shared_ptr<State> self = shared_from_this();  // a callback may free us
    while (!held.empty() && !freed && !paused) {
      std::shared_ptr<AcceptCallback> cb = CurrentCallback();
      if (cb == nullptr) return;
      auto [accepted, peer] = std::move(held.front());
      held.erase(held.begin());
      (*cb)(std::move(accepted), peer);
    }
  }

  void OnRingAcceptError(int native) {
    ++accept_calls;
    absl::Status status = internal::SystemError("accept", "", native);
    switch (GetSocketError(status)) {
      case SocketError::kConnectionAborted:  // a client gone before accept
      case SocketError::kProtocolError:
      case SocketError::kInterrupted:
      case SocketError::kWouldBlock:
        return;  // retried, as sys::Accept() does
      default:
        break;
    }
    OnAcceptError(status);
  }

  // An accept failed with an error that is not retried.
  void OnAcceptError(const absl::Status& status) {
    if (IsResourceExhaustion(status)) {
      OnResourceExhausted(status);
    } else {
      // Not retriable: report it, and back off so that an error that
      // persists cannot make the loop spin.
      ReportError(status);
      StartBackoff();
    }
  }

  void Sync() {
    absl::Status s = Arm();
    if (!s.ok()) ReportError(s);
  }

  void ReportError(const absl::Status& status) {
    std::shared_ptr<ErrorCallback> cb;
    {
      absl::MutexLock lock(&mu);
      cb = error_cb;
    }
    if (cb != nullptr && *cb) (*cb)(status);
  }

  void StartBackoff() {
    paused = true;
    Sync();
    backoff = backoff == absl::ZeroDuration()
                  ? kFirstBackoff
                  : std::min(backoff * 2, options.max_backoff);
    std::weak_ptr<State> weak = weak_from_this();
    backoff_timer = loop->AddTimer(backoff, [weak] {
      std::shared_ptr<State> self = weak.lock();
      if (self == nullptr) return;
      self->backoff_timer = 0;
      self->paused = false;
      if (!self->reserve.is_open()) {
        absl::StatusOr<Socket> r = OpenReserve();
        if (r.ok()) self->reserve = std::move(*r);
      }
      self->Sync();
    });
  }

  // Out of descriptors or buffers: give up the reserve to accept and close
  // the connection at the head of the queue (so the client hears "closed"
  // instead of hanging), report once per episode, and pause.
  void OnResourceExhausted(const absl::Status& status) {
    if (reserve.is_open()) {
      reserve.Close().IgnoreError();
      ++accept_calls;
      // Closed on scope exit.
      absl::StatusOr<absl::optional<Accepted>> shed = socket.TryAccept();
      absl::StatusOr<Socket> r = OpenReserve();
      if (r.ok()) reserve = std::move(*r);
    }
    if (!in_episode) {
      in_episode = true;
      ReportError(status);
    }
    StartBackoff();
  }

  // The accept callback, or null when accepting is not wanted. Without
  // kThreadSafe, `Enable()`, `Disable()` and `SetCallback()` run on the loop
  // thread (the flag's contract), as this does, so nothing can write these
  // fields meanwhile and the lock, taken per connection, is left out.
  std::shared_ptr<AcceptCallback> CurrentCallback()
      ABSL_NO_THREAD_SAFETY_ANALYSIS {
    absl::MutexLockMaybe lock(thread_safe() ? &mu : nullptr);
    return want_enabled ? accept_cb : nullptr;
  }
  // Whether `cb` is still the current callback: a compare, without the
  // reference count's two atomic operations of `CurrentCallback()`.
  bool IsCurrentCallback(const std::shared_ptr<AcceptCallback>& cb)
      ABSL_NO_THREAD_SAFETY_ANALYSIS {
    absl::MutexLockMaybe lock(thread_safe() ? &mu : nullptr);
    return (want_enabled ? accept_cb.get() : nullptr) == cb.get();
  }

  // The caller holds a strong reference, so the state survives a callback
  // that frees the listener.
  void OnReadable() {
    const AcceptFlags accept_flags =
        HasFlag(options.flags, ListenerFlags::kLeaveSocketsBlocking)
            ? AcceptFlags::kNone
            : AcceptFlags::kNonBlocking;
    // A reference to the callback keeps it alive while it runs, should it
    // replace itself; it is taken again only when the callback changed.
    std::shared_ptr<AcceptCallback> cb = CurrentCallback();
    for (int accepted = 0; accepted < kMaxAcceptsPerWakeup && !freed && !paused;) {
      if (!IsCurrentCallback(cb)) cb = CurrentCallback();
      if (cb == nullptr) break;
      ++accept_calls;
      absl::StatusOr<absl::optional<Accepted>> r =
          socket.TryAccept(accept_flags);
      if (!r.ok()) {
        OnAcceptError(r.status());
        break;
      }
      if (!r->has_value()) break;  // the backlog is drained
      ++accepted;
      in_episode = false;
      backoff = absl::ZeroDuration();
      (*cb)(std::move((*r)->socket), (*r)->peer);
    }
  }
};

void Listener::State::RingAccept::OnComplete(sys::CompletionOp,
                                             const sys::Completion& done) {
  std::shared_ptr<State> self = keep;  // alive while this runs
  State& s = *self;
  if (!done.more) {
    accepting = false;
    cancelling = false;
    keep.reset();
    if (s.freed) s.io->Unorphan(this);
  }
  if (done.result >= 0) {
    s.OnRingAccepted(static_cast<NativeHandle>(done.result));
  } else if (!done.cancelled) {
    s.OnRingAcceptError(-done.result);
  }
  // An accept that ended (an error, the kernel's choice) starts again if
  // accepting is still wanted.
  if (!accepting && !s.freed) s.Sync();
}

absl::StatusOr<std::unique_ptr<Listener>> Listener::Bind(
    EventLoop& loop, const SocketAddress& address, AcceptCallback callback,
    const ListenerOptions& options) {
  const ListenerFlags flags = options.flags;
  const bool v6only = HasFlag(flags, ListenerFlags::kBindIPv6Only);
  const bool dual = HasFlag(flags, ListenerFlags::kBindIPv4AndIPv6);
  if (!address.is_ip() && address.family() != AddressFamily::kUnix) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listener bind: address ", address.ToString(),
        " is not an IPv4, IPv6 or unix address"));
  }
  if (v6only && dual) {
    return absl::InvalidArgumentError(
        "listener bind: kBindIPv6Only and kBindIPv4AndIPv6 exclude each other");
  }
  if ((v6only || dual) && address.family() != AddressFamily::kIPv6) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listener bind: the IPv6 flags need an IPv6 address, got ",
        address.ToString()));
  }
  NET_ASSIGN_OR_RETURN(Socket socket,
                       Socket::Open(address.family(), SocketType::kStream));
  if (address.is_ip()) {
    if (HasFlag(flags, ListenerFlags::kReusable) && ReuseAddressIsSafe()) {
      NET_RETURN_IF_ERROR(socket.SetOption(ReuseAddress(true)));
    }
    if (HasFlag(flags, ListenerFlags::kReusablePort)) {
      NET_RETURN_IF_ERROR(socket.SetOption(ReusePort(true)));
    }
    if (v6only || dual) NET_RETURN_IF_ERROR(socket.SetOption(Ipv6V6Only(v6only)));
  }
  NET_RETURN_IF_ERROR(socket.Bind(address));
  ListenerOptions adopted = options;
  adopted.flags = flags | ListenerFlags::kCloseOnFree;
  if (adopted.backlog == 0) adopted.backlog = kDefaultBacklog;
  return Adopt(loop, std::move(socket), std::move(callback), adopted);
}

absl::StatusOr<std::unique_ptr<Listener>> Listener::Adopt(
    EventLoop& loop, Socket socket, AcceptCallback callback,
    const ListenerOptions& options) {
  if (!socket.is_open()) {
    return absl::FailedPreconditionError("listener: the socket is not open");
  }
  if (socket.type() != SocketType::kStream &&
      socket.type() != SocketType::kSeqPacket) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listener: a ", SocketTypeName(socket.type()),
        " socket cannot accept connections"));
  }
  if (options.backlog < kDefaultBacklog) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listener: backlog must be -1, 0 (already listening) or more, got ",
        options.backlog));
  }
  if (options.max_backoff < kFirstBackoff) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listener: max_backoff must be at least ",
        absl::FormatDuration(kFirstBackoff)));
  }
  if (HasFlag(options.flags, ListenerFlags::kCloseOnExec)) {
    NET_RETURN_IF_ERROR(socket.SetCloseOnExec(true));
  }
  if (options.backlog != 0) NET_RETURN_IF_ERROR(socket.Listen(options.backlog));
  if (HasFlag(options.flags, ListenerFlags::kDeferredAccept) &&
      IsSupported(OptionId::kTcpDeferAccept) && socket.family() != AddressFamily::kUnix) {
    NET_RETURN_IF_ERROR(socket.SetOption(TcpDeferAccept(kDeferAcceptWait)));
  }
  NET_RETURN_IF_ERROR(socket.SetNonBlocking(true));

  auto state = std::make_shared<State>();
  state->loop = &loop;
  state->socket = std::move(socket);
  state->options = options;
  {
    absl::MutexLock lock(&state->mu);
    if (callback) {
      state->accept_cb = std::make_shared<AcceptCallback>(std::move(callback));
    }
    state->want_enabled = !HasFlag(options.flags, ListenerFlags::kDisabled);
  }
  absl::StatusOr<Socket> reserve = OpenReserve();
  if (reserve.ok()) state->reserve = std::move(*reserve);
  state->io = internal::LoopCompletions(loop);
  if (state->io != nullptr) {
    // io_uring: a multishot accept (RingArm()), no watch.
    state->ring = std::make_unique<State::RingAccept>();
    state->ring->handle = state->socket.native_handle();
    state->io->Attach();
  } else {
    std::weak_ptr<State> weak = state;
    NET_ASSIGN_OR_RETURN(
        state->watch,
        loop.Watch(state->socket.native_handle(), Interest::kNone,
                   [weak](Readiness) {
                     if (std::shared_ptr<State> s = weak.lock()) {
                       s->OnReadable();
                     }
                   }));
  }
  State& armed = *state;
  auto listener = std::unique_ptr<Listener>(new Listener(std::move(state)));
  // The first arming fails Bind()/Adopt() itself (no error callback is set
  // yet to hear it); the listener's destructor unwatches and closes.
  NET_RETURN_IF_ERROR(armed.Arm());
  return listener;
}

Listener::Listener(std::shared_ptr<State> state) : state_(std::move(state)) {}

Listener::~Listener() {
  State& s = *state_;
  s.freed = true;
  if (s.watch != 0) s.loop->Unwatch(s.watch).IgnoreError();
  if (s.io != nullptr) {
    s.io->Detach();
    // Also with nothing in flight: a test's fault injection may hold
    // connections for this listener in the ring (platform/fault.h), which
    // the cancellation lets go.
    s.io->Cancel(s.ring.get(), sys::CompletionOp::kAccept);
    if (s.ring->accepting) {
      // The ring holds the socket while its accept is in flight: the
      // cancellation goes now, so that closing it below stops the
      // listening at once.
      s.ring->cancelling = true;
      s.io->SubmitNow();
      s.io->Orphan(s.ring.get());
    }
    if (s.held_timer != 0) s.loop->CancelTimer(s.held_timer);
    s.held.clear();
  }
  if (s.backoff_timer != 0) s.loop->CancelTimer(s.backoff_timer);
  if (HasFlag(s.options.flags, ListenerFlags::kCloseOnFree)) {
    s.socket.Close().IgnoreError();
  } else {
    s.socket.Release();
  }
}

absl::Status Listener::Enable() {
  {
    absl::MutexLock lock(&state_->mu);
    state_->want_enabled = true;
  }
  state_->OnLoop([](State* s) { s->Sync(); });
  return absl::OkStatus();
}

absl::Status Listener::Disable() {
  {
    absl::MutexLock lock(&state_->mu);
    state_->want_enabled = false;
  }
  state_->OnLoop([](State* s) { s->Sync(); });
  return absl::OkStatus();
}

bool Listener::enabled() const {
  absl::MutexLock lock(&state_->mu);
  return state_->want_enabled && state_->accept_cb != nullptr;
}

void Listener::SetCallback(AcceptCallback callback) {
  {
    absl::MutexLock lock(&state_->mu);
    state_->accept_cb =
        callback ? std::make_shared<AcceptCallback>(std::move(callback))
                 : nullptr;
  }
  state_->OnLoop([](State* s) { s->Sync(); });
}

void Listener::SetErrorCallback(ErrorCallback callback) {
  absl::MutexLock lock(&state_->mu);
  state_->error_cb =
      callback ? std::make_shared<ErrorCallback>(std::move(callback)) : nullptr;
}

NativeHandle Listener::native_handle() const {
  return state_->socket.native_handle();
}

EventLoop& Listener::loop() const { return *state_->loop; }

absl::StatusOr<SocketAddress> Listener::LocalAddress() const {
  return state_->socket.LocalAddress();
}

std::uint64_t Listener::accept_calls() const { return state_->accept_calls; }

}  // namespace net
