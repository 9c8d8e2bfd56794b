// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/bsd/message_bsd.h
// -----------------------------------------------------------------------------
//
// The batch calls (`Socket::SendMessages`, `ReceiveMessages`) as a loop of
// single calls, for the backends whose OS has no sendmmsg/recvmmsg (Winsock,
// the BSDs, macOS). One rule for both: stop at the first message that would
// block; an error is the result only when it was the first message, else
// the batch ends there and reports what was done. The receive is told
// whether it is the first, because only the first may wait (recvmmsg's
// MSG_WAITFORONE rule): each backend says "do not wait" its own way. And
// `EnableReceive` as a walk over each backend's table of the options that
// ask for each item of control data.

#ifndef NET_PLATFORM_BSD_MESSAGE_BSD_H_
#define NET_PLATFORM_BSD_MESSAGE_BSD_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "net/flags.h"
#include "net/message.h"
#include "net/socket.h"

namespace net::sys::bsd {

// One socket option that asks for one item of control data.
struct ReceiveOption {
  ControlSet item;
  int level;
  int name;
  const char* text;  // the option's name, for messages
};

// Sets (`on`) or clears each option of `table` whose item is in `set`, with
// the backend's `set_int(handle, level, name, on, text)`, stopping at the
// first failure.
template <typename Handle, typename SetInt>
absl::Status EnableEach(Handle handle, absl::Span<const ReceiveOption> table,
                        ControlSet set, bool on, SetInt set_int) {
  for (const ReceiveOption& option : table) {
    if (!HasFlag(set, option.item)) continue;
    absl::Status status =
        set_int(handle, option.level, option.name, on, option.text);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// `call(item, first)` does one message and returns its IoResult.
template <typename Item, typename Call>
absl::StatusOr<std::size_t> EachMessage(absl::Span<Item> items, Call call) {
  std::size_t done = 0;
  for (Item& item : items) {
    absl::StatusOr<IoResult> r = call(item, done == 0);
    if (!r.ok()) {
      if (done == 0) return r.status();
      break;
    }
    if (r->would_block()) break;
    ++done;
  }
  return done;
}

}  // namespace net::sys::bsd

#endif  // NET_PLATFORM_BSD_MESSAGE_BSD_H_
