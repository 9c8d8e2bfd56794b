// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: listener.h
// -----------------------------------------------------------------------------
//
// `net::Listener` accepts connections on an `EventLoop`, in the model of
// libevent's evconnlistener: bind (or adopt) a socket, get an accept callback
// with each new socket and its peer, an error callback when accepting fails,
// enable and disable at will.
//
// The accept loop drains the backlog on each wakeup (up to
// `kMaxAcceptsPerWakeup`, so one busy listener cannot starve the loop).
// ECONNABORTED, EPROTO and EINTR are retried silently (in the backend).
// Running out of descriptors or buffers (EMFILE, ENFILE, ENOBUFS) never makes
// the loop spin: a reserve descriptor is given up to accept and close the
// pending connection (the client sees the connection closed instead of
// waiting in the backlog), accepting pauses on a back-off timer (10 ms,
// doubling to `max_backoff`), and the error callback hears of it once per
// episode (the episode ends with the next successful accept).
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<net::Listener>> listener =
//       net::Listener::Bind(*loop, *net::SocketAddress::Parse("127.0.0.1:0"),
//                           [](net::Socket s, const net::SocketAddress& peer) {
//                             // own `s` from here on
//                           });

#ifndef NET_LISTENER_H_
#define NET_LISTENER_H_

#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "net/address.h"
#include "net/event_loop.h"
#include "net/export.h"
#include "net/flags.h"
#include "net/socket.h"

namespace net {

// ListenerFlags
//
// The evconnlistener flags (LEV_OPT_*); combine with `|`.
enum class ListenerFlags : std::uint32_t {
  kNone = 0,  // none
  // Accepted sockets stay blocking (default: made non-blocking).
  kLeaveSocketsBlocking = 1u << 0,
  // The socket is closed when the listener is destroyed. Always on for
  // `Bind()`; for `Adopt()` without it, the handle is released, not closed.
  kCloseOnFree = 1u << 1,
  // Close-on-exec on the listening and accepted sockets. Every `net` socket
  // is created non-inheritable whatever the flags; the flag is accepted for
  // evconnlistener compatibility and checked.
  kCloseOnExec = 1u << 2,
  // SO_REUSEADDR before bind (POSIX: rebind while old connections are in
  // TIME_WAIT). On Windows SO_REUSEADDR lets another socket steal the port,
  // so this flag leaves the listener's exclusive use in place there.
  kReusable = 1u << 3,
  // SO_REUSEPORT before bind: several listeners share the port and the
  // kernel balances connections between them (Linux, FreeBSD). Elsewhere
  // `Bind()` fails with kUnimplemented.
  kReusablePort = 1u << 4,
  // `Enable()`, `Disable()`, `SetCallback()` and `SetErrorCallback()` may be
  // called from any thread (changes to the loop are posted to it).
  kThreadSafe = 1u << 5,
  // Start disabled; `Enable()` starts accepting.
  kDisabled = 1u << 6,
  // Don't report a connection until it has data: TCP_DEFER_ACCEPT (Linux,
  // 1 s) or the "dataready" accept filter (FreeBSD). Ignored where neither
  // exists (macOS, Windows): the connection is then reported at once, which
  // is correct, only earlier.
  kDeferredAccept = 1u << 7,
  // For an IPv6 address: IPV6_V6ONLY on (IPv6 only) or off (IPv4-mapped
  // connections too). Without either flag the OS default stands (on for
  // Windows, off for Linux).
  kBindIPv6Only = 1u << 8,
  kBindIPv4AndIPv6 = 1u << 9,  // IPV6_V6ONLY off: IPv4 clients too
};

template <>
struct IsFlagEnum<ListenerFlags> : std::true_type {};

// ListenerOptions
//
// How `Listener::Bind()` and `Listener::Adopt()` set the listener up.
struct ListenerOptions {
  ListenerFlags flags = ListenerFlags::kNone;  // combine with `|`
  // -1: SOMAXCONN. For `Adopt()`, 0 means the socket already listens.
  int backlog = -1;
  // The longest pause after running out of descriptors.
  absl::Duration max_backoff = absl::Seconds(1);
};

// Listener
//
// Accepts connections on an event loop and hands each accepted socket
// to its callback, as libevent's evconnlistener (see the file comment).
class NET_EXPORT Listener {
 public:
  // Listener::AcceptCallback
  //
  // Called on the loop thread with each accepted socket, which it then
  // owns, and the peer's address.
  using AcceptCallback =
      absl::AnyInvocable<void(Socket socket, const SocketAddress& peer)>;
  // Listener::ErrorCallback
  //
  // Called on the loop thread when accepting fails with an error that is
  // not retried (once per episode of running out of descriptors or
  // buffers; see the file comment). The listener keeps running.
  using ErrorCallback = absl::AnyInvocable<void(const absl::Status& error)>;

  // The most connections one wakeup accepts before yielding to the loop.
  static constexpr int kMaxAcceptsPerWakeup = 256;

  // Listener::Bind()
  //
  // Opens a stream socket for `address`, applies the flags, binds, listens
  // and starts accepting on `loop` (unless kDisabled). The listener owns the
  // socket (kCloseOnFree is implied).
  //
  // Errors: kInvalidArgument for an address that is not IPv4, IPv6 or unix,
  // for both IPv6 flags at once, or for an IPv6 flag with a non-IPv6
  // address; kUnimplemented for kReusablePort where the OS lacks it; the
  // OS's bind/listen errors (kAddressInUse ...).
  static absl::StatusOr<std::unique_ptr<Listener>> Bind(
      EventLoop& loop, const SocketAddress& address, AcceptCallback callback,
      const ListenerOptions& options = {});

  // Listener::Adopt()
  //
  // Accepts on a socket you bound yourself. `options.backlog` 0 means it
  // already listens; -1 or more calls listen (-1: SOMAXCONN). Bind-time
  // flags (kReusable, kReusablePort, the IPv6 flags) are not applied.
  //
  // Errors: kFailedPrecondition for a closed socket; kInvalidArgument for a
  // socket that is not a stream socket; the OS's listen error.
  static absl::StatusOr<std::unique_ptr<Listener>> Adopt(
      EventLoop& loop, Socket socket, AcceptCallback callback,
      const ListenerOptions& options = {});

  // Destroys the listener: stops accepting; closes the socket if it owns it
  // (kCloseOnFree), else releases it. Call on the loop thread. A listener
  // may be destroyed from inside its own accept or error callback.
  ~Listener();

  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Listener::Enable(), Listener::Disable()
  //
  // Starts or stops accepting. Enabling a listener without an accept
  // callback keeps it disabled until `SetCallback()` gives one.
  absl::Status Enable();
  absl::Status Disable();
  bool enabled() const;

  // Listener::SetCallback()
  //
  // Replaces the accept callback; an empty callback disables accepting.
  void SetCallback(AcceptCallback callback);

  // Listener::SetErrorCallback()
  //
  // Replaces the error callback; an empty callback drops the errors.
  void SetErrorCallback(ErrorCallback callback);

  // The listening socket's handle, the loop it runs on, and its
  // address (the port picked for port 0).
  NativeHandle native_handle() const;
  EventLoop& loop() const;
  absl::StatusOr<SocketAddress> LocalAddress() const;

  // How many accept calls were made (diagnostics and tests).
  std::uint64_t accept_calls() const;

 private:
  struct State;
  explicit Listener(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace net

#endif  // NET_LISTENER_H_
