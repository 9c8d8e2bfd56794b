// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: connect.h
// -----------------------------------------------------------------------------
//
// Connecting on an event loop without blocking: `net::Connect()` to an
// address, with a deadline, its outcome judged by SO_ERROR (spurious
// writability is not success), cancelled by destroying the handle it
// returns. The result is a `net::Connection` (net/connection.h).

#ifndef NET_CONNECT_H_
#define NET_CONNECT_H_

#include <memory>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "net/address.h"
#include "net/connection.h"
#include "net/event_loop.h"

namespace net {

// ConnectOptions
struct ConnectOptions {
  // The whole attempt's deadline (kTimedOut after it).
  absl::Duration timeout = absl::Seconds(30);
  // For the connection once made.
  ConnectionOptions connection;
};

// PendingConnect
//
// A connect under way. Destroying it cancels the attempt: the callback is
// then never called.
class PendingConnect {
 public:
  virtual ~PendingConnect() = default;
};

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
using ConnectCallback = absl::AnyInvocable<void(absl::StatusOr<ConnectionPtr>)>;
std::unique_ptr<PendingConnect> Connect(EventLoop& loop,
                                        const SocketAddress& address,
                                        const ConnectOptions& options,
                                        ConnectCallback callback);

}  // namespace net

#endif  // NET_CONNECT_H_
