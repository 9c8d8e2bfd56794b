// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/loop_internal.h
// -----------------------------------------------------------------------------
//
// What `Connection` and `Listener` need from an `EventLoop` beyond its public
// API: the completion I/O of a loop on io_uring (platform/sys.h).

#ifndef NET_CORE_LOOP_INTERNAL_H_
#define NET_CORE_LOOP_INTERNAL_H_

#include "net/event_loop.h"
#include "platform/sys.h"

namespace net::internal {

// LoopCompletions()
//
// The loop's completion I/O, or null: a readiness backend, or a loop that
// is not net's own (a user's subclass of EventLoop).
sys::CompletionIo* LoopCompletions(EventLoop& loop);

}  // namespace net::internal

#endif  // NET_CORE_LOOP_INTERNAL_H_
