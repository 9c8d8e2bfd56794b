// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: event_loop.h
// -----------------------------------------------------------------------------
//
// `net::EventLoop` is a readiness-based reactor: watch native sockets for
// read and/or write readiness, run timers on a monotonic clock, and run
// functions posted from any thread. One loop is driven by one thread (the one
// calling `Run()`); only `Post()` and `Stop()` may be called from other
// threads (each wakes the loop). On io_uring that thread is the first one to
// run the loop, for good: another thread's `Run()` fails with
// kFailedPrecondition (docs/io-uring.md).
//
// Backends: epoll (Linux default), kqueue (macOS/BSD default), poll and
// select (any POSIX), io_uring (Linux 6.1+: `Connection` and `Listener` on
// completions, docs/io-uring.md), and on Windows a completion port driving
// AFD poll ("IOCP-light", the default) with WSAPoll as the fallback. The
// backend is chosen at creation: `EventLoopOptions::backend`, or the
// environment variable `NET_EVENT_LOOP` (`epoll`, `kqueue`, `poll`,
// `select`, `iocp`, `wsapoll`, `io_uring`) when the option is `kDefault`, so
// a whole test suite can run once per backend.
//
// Readiness is level-triggered on every backend: a callback that does not
// drain its socket is called again on the next iteration. Callbacks may
// watch, modify and unwatch any registration (their own included) and close
// sockets; an event already collected for a registration that was removed
// (or whose descriptor number was reused) in the same iteration is dropped,
// never delivered to the new owner of the number.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
//       net::EventLoop::Create();
//   (*loop)->AddTimer(absl::Seconds(1), [&] { (*loop)->Stop(); });
//   absl::StatusOr<net::WatchId> w = (*loop)->Watch(
//       socket.native_handle(), net::Interest::kReadable,
//       [&](net::Readiness r) { /* read until would-block */ });
//   (*loop)->Run();

#ifndef NET_EVENT_LOOP_H_
#define NET_EVENT_LOOP_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "net/export.h"
#include "net/socket.h"

namespace net {

// Interest
//
// What to watch a socket for; combine with `|`. `kNone` keeps the
// registration but stops all events for it (and, unlike an epoll interest of
// 0, also hang-ups and errors: a paused socket never makes the loop spin).
//
// `kEdgeTriggered` is a modifier, added to kReadable and/or kWritable (alone
// it means kNone), as libevent's EV_ET. Where the backend has edge
// triggering (epoll: EPOLLET; kqueue: EV_CLEAR; see
// `HasEdgeTriggering()`), the callback runs when the socket becomes ready,
// not again while it stays ready: the callback must read (or write) until
// would-block, or until a stream read returns less than asked, or it will
// not hear of the rest until more arrives. Elsewhere (poll, select, WSAPoll,
// IOCP-light) the registration stays level-triggered, which code written
// for edge triggering handles just as well. Why ask for it: a
// level-triggered epoll registration is polled again by the kernel on the
// wait after each of its events, an edge-triggered one is not (0-2 % less
// server CPU per event in bench/; docs/event-loop.md).
enum class Interest : std::uint8_t {
  kNone = 0,  // none
  kReadable = 1,  // readable, or end of stream, or an error
  kWritable = 2,  // writable, or a connect finished
  kBoth = 3,  // kReadable | kWritable
  kEdgeTriggered = 4,  // report changes only (epoll, kqueue)
};

// Combines interests: `kReadable | kEdgeTriggered`.
constexpr Interest operator|(Interest a, Interest b) {
  return static_cast<Interest>(static_cast<std::uint8_t>(a) |
                               static_cast<std::uint8_t>(b));
}
// Whether `set` includes `one`.
constexpr bool Wants(Interest set, Interest one) {
  return (static_cast<std::uint8_t>(set) & static_cast<std::uint8_t>(one)) != 0;
}

// Readiness
//
// What a backend reported. `readable` and `writable` as asked; the other two
// mean the same on every backend but select (see `ReportsHangupAndError()`;
// docs/event-loop.md, "Readiness flags", lists each OS's native bits):
//
// * `hangup`: nothing more will arrive from the peer: its FIN arrived, or
//   the connection was reset, or a connect failed. A FIN is reported only
//   while read interest is on (a write-only registration hears nothing of
//   it, so a half-closed socket does not make it spin); a reset or a failed
//   connect is reported with any interest.
// * `error`: an error is pending on the socket, the one that SO_ERROR or the
//   next call reports (a reset, a failed connect). A reset or a failed
//   connect sets both `error` and `hangup`; a FIN sets `hangup` only.
//
// With read interest on, `error` and `hangup` also set `readable`, so the
// callback's read sees the error or the end of the stream; `error` also sets
// `writable` (with write interest on), so a write sees it too.
struct Readiness {
  bool readable = false;  // data, end of stream or an error to read
  bool writable = false;  // room to write, or a connect finished
  bool error = false;  // an error is pending (EPOLLERR, POLLERR)
  bool hangup = false;  // the peer hung up (EPOLLHUP, POLLHUP)
};

// EventLoopBackend
enum class EventLoopBackend : std::uint8_t {
  kDefault,  // the best this OS has (epoll, kqueue, iocp)
  kEpoll,  // Linux
  kKqueue,  // macOS and the BSDs
  kPoll,  // POSIX poll()
  kSelect,  // select(), FD_SETSIZE handles at most
  kIocp,  // Windows: IOCP-light (AFD poll)
  kWsaPoll,  // Windows: WSAPoll()
  // Linux 6.1+: io_uring. `Connection` and `Listener` run on completions
  // (multishot accept and receive, a buffer ring per loop, sends from the
  // write queue); `Watch()` registrations on an epoll set the ring
  // watches. Where io_uring cannot be used (an older kernel, the
  // kernel.io_uring_disabled sysctl, seccomp), a loop asked for it is made
  // on epoll instead, and `EventLoopBackendSupport()` says why
  // (docs/io-uring.md).
  kIoUring,
};

// EventLoopBackendName()
//
// "default", "epoll", "kqueue", "poll", "select", "iocp", "wsapoll" or
// "io_uring".
NET_EXPORT absl::string_view EventLoopBackendName(EventLoopBackend backend);

// ParseEventLoopBackend()
//
// "epoll", "kqueue", "poll", "select", "iocp", "wsapoll", "io_uring" or
// "default".
//
// Errors: kInvalidArgument for any other text.
NET_EXPORT absl::StatusOr<EventLoopBackend> ParseEventLoopBackend(
    absl::string_view name);

// AvailableEventLoopBackends()
//
// The backends compiled in for this OS, the default first. io_uring is
// listed where it is compiled in (Linux), whether or not this kernel lets
// it run (see `EventLoopBackendSupport()`).
NET_EXPORT std::vector<EventLoopBackend> AvailableEventLoopBackends();

// EventLoopBackendSupport()
//
// OK if a loop asked for `backend` gets it here; else why not. Only
// io_uring can be compiled in and still be unusable at run time: then
// kUnimplemented says why (for example "io_uring: disabled by the
// kernel.io_uring_disabled sysctl (2)", "io_uring_setup: operation not
// permitted", "io_uring: the kernel lacks IORING_SETUP_DEFER_TASKRUN (Linux
// 6.1)"), and a loop asked for it runs on epoll. kInvalidArgument for a
// backend not compiled in.
NET_EXPORT absl::Status EventLoopBackendSupport(EventLoopBackend backend);

// HasEdgeTriggering()
//
// Whether `Interest::kEdgeTriggered` changes anything on `backend`: true for
// epoll, kqueue and io_uring; the others stay level-triggered.
constexpr bool HasEdgeTriggering(EventLoopBackend backend) {
  return backend == EventLoopBackend::kEpoll ||
         backend == EventLoopBackend::kKqueue ||
         backend == EventLoopBackend::kIoUring;  // its watches are epoll's
}

// ReportsHangupAndError()
//
// Whether `backend` sets `Readiness::hangup` and `Readiness::error`: true for
// every backend but select, whose answer has no hang-up or error bit. There
// both flags stay false: a FIN or a reset is seen as `readable` (the read
// returns end of stream or the error), a failed connect as `writable`.
constexpr bool ReportsHangupAndError(EventLoopBackend backend) {
  return backend != EventLoopBackend::kSelect;
}

// EventLoopOptions
//
// How `EventLoop::Create()` makes a loop.
struct EventLoopOptions {
  EventLoopBackend backend = EventLoopBackend::kDefault;  // kDefault: the best here
};

// Registration and timer handles. 0 is never a valid id.
using WatchId = std::uint64_t;
using TimerId = std::uint64_t;  // `AddTimer()`, `CancelTimer()`

// UnwatchMode
//
// What happens to the handle after `EventLoop::Unwatch()`. `kKeepOpen` (the
// one-argument `Unwatch()`) takes the handle out of the OS poller, so it can
// stay open, be watched again or be given to other code. `kClosing` is the
// caller's promise that it closes the handle before the loop next waits (in
// the same callback, or before the next `Run()`/`RunOnce()`) and that the
// handle was never duplicated (`dup()`, `fork()` without `exec()`, passed
// with SCM_RIGHTS): backends whose OS forgets a closed handle by itself
// (epoll, kqueue) then skip the removal system call, one per connection
// saved. See docs/event-loop.md.
enum class UnwatchMode : std::uint8_t {
  kKeepOpen,  // the handle stays open: removed from the poller
  kClosing,  // the caller closes the handle now
};

// IoHandler
//
// The object form of a watch callback, as libuv's watchers and libevent's
// callback argument: `EventLoop::Watch(handle, interest, &handler)` calls
// `handler.OnReady()` when the handle is ready. The loop keeps only the
// pointer, so the handler is typically the per-connection object itself,
// and the loop loads it (prefetches it) while the callback of the event
// before runs: with many connections, where each event's state has been
// evicted by the kernel's work since its last event, that saves the cache
// miss a callback that reaches its state through a capture pays
// (docs/event-loop.md, "Callbacks and handlers").
//
// The handler is not owned. It must stay valid until its registration is
// removed; it may remove its own registration and then destroy itself
// inside `OnReady()` (the loop does not touch it after `OnReady()` returns,
// and drops any event already collected for it).
//
// Example:
//
//   struct Connection final : net::IoHandler {
//     void OnReady(net::Readiness r) override { /* read, write, or close */ }
//     net::Socket socket;
//   };
//   auto* c = new Connection{...};
//   loop->Watch(c->socket.native_handle(), net::Interest::kReadable, c);
class NET_EXPORT IoHandler {
 public:
  // Called on the loop thread when the handle is ready.
  virtual void OnReady(Readiness readiness) = 0;

 protected:
  ~IoHandler() = default;
};

// EventLoop
//
// A loop over one OS poller (the backend), with timers and posted tasks;
// see the file comment for its threading rules. Made by `Create()`.
class NET_EXPORT EventLoop {
 public:
  using IoCallback = absl::AnyInvocable<void(Readiness)>;  // for `Watch()`
  using Task = absl::AnyInvocable<void()>;  // timers and `Post()`

  // EventLoop::Create()
  //
  // Errors: kInvalidArgument for a backend this OS does not have (with the
  // list it has); kUnimplemented if the variable NET_EVENT_LOOP names one
  // that is not compiled in; the OS's error creating the poller.
  static absl::StatusOr<std::unique_ptr<EventLoop>> Create(
      const EventLoopOptions& options = {});

  virtual ~EventLoop() = default;

  // EventLoop::Watch()
  //
  // Calls `callback` whenever `handle` is ready for `interest`. The handle
  // is not owned; unwatch it before closing it (closing it inside its own
  // callback right after `Unwatch()` is fine; `UnwatchMode::kClosing` is for
  // exactly that). One registration per handle.
  //
  // Errors: kInvalidArgument for kInvalidHandle or an empty callback;
  // kAlreadyExists if the handle is already watched; kInvalidArgument from
  // select for a descriptor at or above FD_SETSIZE; the backend's error.
  virtual absl::StatusOr<WatchId> Watch(NativeHandle handle, Interest interest,
                                        IoCallback callback) = 0;

  // The same with a handler object (see `IoHandler`) instead of a function:
  // `handler->OnReady()` is called. Prefer it for many long-lived
  // registrations that each have an object anyway (connections).
  //
  // Errors: as above, with kInvalidArgument for a null handler.
  virtual absl::StatusOr<WatchId> Watch(NativeHandle handle, Interest interest,
                                        IoHandler* handler) = 0;
  // A literal `nullptr` is neither a callback nor a handler: refused at
  // compile time (it would otherwise be an ambiguous call).
  absl::StatusOr<WatchId> Watch(NativeHandle, Interest, std::nullptr_t) = delete;

  // EventLoop::Modify()
  //
  // Errors: kNotFound for an unknown or removed id.
  virtual absl::Status Modify(WatchId id, Interest interest) = 0;

  // EventLoop::Unwatch()
  //
  // Removes the registration; its callback (or handler) is not called
  // again, even for events already collected in this iteration. The
  // callback object is destroyed after the current callback returns; a
  // handler is not touched again, so it may be destroyed at once. The one-argument form is
  // `UnwatchMode::kKeepOpen`.
  //
  // With `UnwatchMode::kClosing` the bookkeeping is the same, but on epoll
  // and kqueue the handle stays registered in the OS until the caller closes
  // it, which must happen before the loop next waits. Breaking that promise
  // never delivers an event to the wrong callback (the old registration's
  // events carry its old token and are dropped as stale), but it costs: a
  // handle left open (epoll, kqueue), or closed while a duplicate of it
  // lives on (epoll: the registration belongs to the open file, not the
  // number), stays in the OS's set, and if it is readable it wakes the loop
  // on every iteration (level-triggered) for nothing; and on epoll, watching
  // that still open handle again fails ("already exists"). The poll,
  // select, WSAPoll and IOCP backends treat `kClosing` as `kKeepOpen`.
  //
  // Errors: kNotFound for an unknown or removed id; the backend's error
  // removing the handle (the registration is gone anyway).
  absl::Status Unwatch(WatchId id) {
    return Unwatch(id, UnwatchMode::kKeepOpen);
  }
  virtual absl::Status Unwatch(WatchId id, UnwatchMode mode) = 0;

  // EventLoop::AddTimer(), AddRepeatingTimer(), CancelTimer()
  //
  // Timers run on the loop thread, in deadline order (ties in the order they
  // were added), on a monotonic clock. A negative delay is treated as zero.
  // A repeating timer is rescheduled from its previous deadline (no drift),
  // skipping missed ticks. `CancelTimer()` returns false for an unknown,
  // fired or cancelled id; a timer may cancel itself.
  virtual TimerId AddTimer(absl::Duration delay, Task task) = 0;
  virtual TimerId AddRepeatingTimer(absl::Duration interval, Task task) = 0;
  virtual bool CancelTimer(TimerId id) = 0;

  // EventLoop::Post()
  //
  // Runs `task` on the loop thread soon, in posting order. Thread-safe;
  // wakes the loop. Tasks posted after the loop is destroyed are not run.
  virtual void Post(Task task) = 0;

  // EventLoop::Run()
  //
  // Runs until `Stop()`. Returns the backend's error if waiting fails.
  virtual absl::Status Run() = 0;

  // EventLoop::RunOnce()
  //
  // One iteration: waits up to `timeout` (0 polls) for events, then runs
  // ready callbacks, due timers and posted tasks. Returns how many
  // callbacks, timers and tasks ran.
  virtual absl::StatusOr<int> RunOnce(absl::Duration timeout) = 0;

  // EventLoop::Stop()
  //
  // Makes `Run()` return after the current iteration. Thread-safe,
  // idempotent; a Stop before Run makes the next Run return at once.
  virtual void Stop() = 0;

  // The backend this loop runs on.
  virtual EventLoopBackend backend() const = 0;

  // Number of live registrations and pending timers (for tests and
  // diagnostics). On io_uring, connections and listeners on completions
  // count as registrations too.
  virtual std::size_t watch_count() const = 0;
  // Timers pending (repeating ones count until cancelled).
  virtual std::size_t timer_count() const = 0;
};

}  // namespace net

#endif  // NET_EVENT_LOOP_H_
