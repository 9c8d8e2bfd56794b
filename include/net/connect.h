// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: connect.h
// -----------------------------------------------------------------------------
//
// Connecting on an event loop without blocking. The result is a
// `net::Connection` (net/connection.h); every call returns a handle whose
// destruction cancels the connect, after which nothing is called.
//
//   * `net::Connect()` to one address, with a deadline, its outcome judged
//     by SO_ERROR (spurious writability is not success).
//   * `net::ConnectToAny()` races several addresses, Happy Eyeballs style
//     (RFC 8305): families interleaved, the next attempt started when the
//     one before has not connected within `ConnectOptions::attempt_delay`
//     or has failed, the first to connect wins. As Go's DialParallel.
//   * `net::ConnectByName()` resolves a host name without blocking the loop
//     (getaddrinfo runs on a small process-wide pool of threads, see below),
//     then races its addresses as `ConnectToAny()` does. A literal IP
//     address is not resolved at all.
//
// The resolver pool: at most 4 threads for the whole process, started
// lazily (a process that resolves nothing starts none), each leaving after
// 10 s without work. When all 4 are busy (getaddrinfo can block for
// seconds on a slow DNS server), further resolutions wait in one queue and
// start in the order they were asked for (FIFO). The pool never touches a
// loop whose connect was cancelled, and it outlives every loop.
//
// Example:
//
//   std::unique_ptr<net::PendingConnect> pending = net::ConnectByName(
//       *loop, "example.com", 443, {},
//       [&](absl::StatusOr<net::ConnectionPtr> c) {
//         if (!c.ok()) return Report(c.status());  // e.g. kHostNotFound
//         (*c)->SetHandler(&handler);
//         connection = *std::move(c);
//       });
//   // Destroying `pending` before the callback runs cancels everything.

#ifndef NET_CONNECT_H_
#define NET_CONNECT_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "net/address.h"
#include "net/connection.h"
#include "net/event_loop.h"
#include "net/export.h"

namespace net {

// The bounds of `ConnectOptions::attempt_delay`: the recommended minimum
// and maximum Connection Attempt Delay of RFC 8305, section 5.
inline constexpr absl::Duration kMinAttemptDelay = absl::Milliseconds(100);
inline constexpr absl::Duration kMaxAttemptDelay = absl::Seconds(2);

// ConnectOptions
struct ConnectOptions {
  // The deadline of the whole call (kTimedOut after it): for `Connect()`
  // the one attempt; for `ConnectByName()` and `ConnectToAny()` everything,
  // the resolution and every attempt. `absl::InfiniteDuration()` for none.
  absl::Duration timeout = absl::Seconds(30);
  // `ConnectByName()` and `ConnectToAny()` start the next address's attempt
  // when the one before has not connected within this delay (RFC 8305's
  // Connection Attempt Delay; 250 ms is its recommended value). From
  // `kMinAttemptDelay` to `kMaxAttemptDelay`. `Connect()` ignores it.
  absl::Duration attempt_delay = absl::Milliseconds(250);
  // For the connection once made.
  ConnectionOptions connection;
};

// PendingConnect
//
// A connect under way. Destroying it cancels the attempt (or attempts, or
// the resolution): the callback is then never called. Destroy it on the
// loop's thread, before the loop; destroying it inside its own callback is
// fine.
class NET_EXPORT PendingConnect {
 public:
  virtual ~PendingConnect() = default;
};

// ConnectCallback
//
// The outcome of `Connect()`, `ConnectToAny()` or `ConnectByName()`: the
// connected connection or why none could be made. Called exactly once.
using ConnectCallback = absl::AnyInvocable<void(absl::StatusOr<ConnectionPtr>)>;

// Connect()
//
// Connects to `address` without blocking: a non-blocking connect whose
// outcome is judged by SO_ERROR once the socket is writable (spurious
// writability is not success), under `options.timeout`. `callback` runs
// exactly once on the loop thread, never from inside `Connect()`, with the
// connection (no handler set yet: set one in the callback) or the status:
// kConnectionRefused, kTimedOut, kHostUnreachable, kNetworkUnreachable,
// kInvalidArgument for an address that is not IPv4, IPv6 or unix or a
// negative timeout. Call on the loop's thread.
NET_EXPORT std::unique_ptr<PendingConnect> Connect(
    EventLoop& loop, const SocketAddress& address,
    const ConnectOptions& options, ConnectCallback callback);

// ConnectToAny()
//
// Connects to whichever of `addresses` (IPv4 and IPv6) answers first, as
// RFC 8305 (Happy Eyeballs) section 5 says. The addresses are reordered
// with their families interleaved: the first address's family, then the
// other, alternating, each family keeping its given order (section 4,
// with a First Address Family Count of 1). The first attempt starts at
// once; each next one when the one before has not connected within
// `options.attempt_delay`, or at once when it fails. The first attempt to
// connect wins and the others are closed. Each attempt is a `Connect()`.
//
// Does not block. `callback` runs exactly once on the loop thread, never
// from inside `ConnectToAny()`: with the connection, or, when every attempt
// failed, with the error of the one that failed last. Call on the loop's
// thread.
//
// Errors: those of `Connect()`; kTimedOut ("connect <addresses>: timed
// out") when `options.timeout` passes first; kInvalidArgument for an empty
// list, an address that is not IPv4 or IPv6 or has port 0, a negative
// timeout or an attempt delay out of range.
NET_EXPORT std::unique_ptr<PendingConnect> ConnectToAny(
    EventLoop& loop, std::vector<SocketAddress> addresses,
    const ConnectOptions& options, ConnectCallback callback);

// ConnectByName()
//
// Resolves `host` for stream sockets (`net::Resolve()`, with the default
// `ResolveHints`: addresses of configured families only) on the resolver
// pool, then connects to `port` at its addresses as `ConnectToAny()` does,
// in the resolver's order with the families interleaved. A literal IPv4 or
// IPv6 address (`IpAddress::Parse()` accepts it) is connected to directly,
// without the pool. Cancelling (destroying the handle) during the
// resolution drops its result when it comes.
//
// Does not block. `callback` runs exactly once on the loop thread, never
// from inside `ConnectByName()`. Call on the loop's thread.
//
// Errors: those of `ConnectToAny()`; kTimedOut ("connect <host>:<port>:
// timed out") when `options.timeout` passes, resolution included; the
// resolver's, naming the host: kNotFound (kHostNotFound, kNoData),
// kUnavailable (kTryAgain); kInvalidArgument for an empty host, port 0, a
// negative timeout or an attempt delay out of range; kResourceExhausted
// when no resolver thread can be started.
NET_EXPORT std::unique_ptr<PendingConnect> ConnectByName(
    EventLoop& loop, absl::string_view host, std::uint16_t port,
    const ConnectOptions& options, ConnectCallback callback);

}  // namespace net

#endif  // NET_CONNECT_H_
