// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/connection_internal.h
// -----------------------------------------------------------------------------
//
// `Connection`'s buffers, shared by its plain half (core/connection.cc) and
// its TLS half (core/tls_connection.cc).

#ifndef NET_CORE_CONNECTION_INTERNAL_H_
#define NET_CORE_CONNECTION_INTERNAL_H_

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "net/connection.h"
#include "platform/sys.h"

namespace net {
namespace internal {

using Clock = std::chrono::steady_clock;

// Reads go into one buffer per thread (a loop runs on one thread), and only
// the bytes a handler leaves unconsumed are copied into the connection: an
// idle connection, and one whose handler consumes what it gets, holds no
// buffer. Allocated on first use, so threads without connections pay
// nothing.
inline constexpr std::size_t kReadChunk = 64 * 1024;
char* ConnectionReadBuffer();

// Small writes queued behind others are appended to the last chunk when it
// is a copy of ours with room, so a burst of small writes leaves in a few
// large iovecs rather than one per write.
inline constexpr std::size_t kCoalesceLimit = 4096;

// CheckConnectionOptions()
//
// What `Connection::Create()` checks (kInvalidArgument naming the field);
// the server checks its `ConnectionOptions` with it before it starts.
absl::Status CheckConnectionOptions(const ConnectionOptions& options);

}  // namespace internal

using internal::Clock;
using internal::kCoalesceLimit;
using internal::kReadChunk;

// Bytes received and not consumed: a contiguous range of `data`.
struct Connection::Input {
  std::string data;
  std::size_t begin = 0;

  absl::string_view view() const {
    return absl::string_view(data).substr(begin);
  }
  void Append(const char* bytes, std::size_t n) {
    if (begin > 0 && begin >= data.size() / 2) {  // compact, amortized O(1)
      data.erase(0, begin);
      begin = 0;
    }
    data.append(bytes, n);
  }
  void Consume(std::size_t n) { begin += n; }
  bool empty() const { return begin == data.size(); }
};

// Bytes written and not yet taken by the OS, in order. `offset` is how much
// of the front chunk has left.
//
// On io_uring a chunk may instead be bytes of the loop's buffer ring that a
// receive showed and a callback wrote back (an echo, a proxy): held there
// (`sys::CompletionIo::Hold()`) until they are sent, never copied. A send
// that leaves some of them behind (a slow peer) copies the rest out, so a
// held buffer returns to the kernel after one send.
struct Connection::Output {
  struct Chunk {
    std::string data;
    bool coalescable;  // a copy of ours (a moved-in string is not grown)
    int hold = -1;     // >= 0: `held` is ring memory held under this id
    absl::string_view held;

    absl::string_view view() const { return hold >= 0 ? held : data; }
  };
  std::deque<Chunk> chunks;
  std::size_t offset = 0;
  std::size_t bytes = 0;      // queued, not yet sent
  absl::Status error;         // a send error from Write(), reported later
  TimerId error_timer = 0;
  // io_uring: how many front chunks a send in flight reads (they must not
  // change until it completes).
  std::size_t in_flight = 0;
  // io_uring: the ring the held chunks are in; null once the loop is gone.
  sys::CompletionIo* holder = nullptr;

  Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output() {
    for (const Chunk& chunk : chunks) Unhold(chunk);
  }

  void Add(std::string&& data, bool coalescable) {
    bytes += data.size();
    chunks.push_back(Chunk{std::move(data), coalescable, -1, {}});
  }
  void AddCopy(absl::string_view data) {
    if (CanAppend(data.size())) {
      chunks.back().data.append(data.data(), data.size());
      bytes += data.size();
      return;
    }
    Add(std::string(data), true);
  }
  // Whether `n` more bytes may go into the last chunk (small writes behind
  // others are gathered).
  bool CanAppend(std::size_t n) const {
    return chunks.size() > in_flight && chunks.back().coalescable &&
           n <= kCoalesceLimit && chunks.back().data.size() + n <= 64 * 1024;
  }
  void AddHeld(absl::string_view data, int hold, sys::CompletionIo* io) {
    holder = io;
    bytes += data.size();
    chunks.push_back(Chunk{std::string(), false, hold, data});
  }
  // Copies every held chunk out of the ring and lets it go (none may be in
  // flight).
  void CopyHeld() {
    for (Chunk& chunk : chunks) {
      if (chunk.hold < 0) continue;
      chunk.data.assign(chunk.held.data(), chunk.held.size());
      Unhold(chunk);
      chunk.hold = -1;
    }
  }
  // The loop (and its ring) is gone: nothing to give back.
  void ForgetHolds() { holder = nullptr; }
  void Sent(std::size_t n) {
    bytes -= n;
    while (n > 0) {
      const std::size_t left = chunks.front().view().size() - offset;
      if (n < left) {
        offset += n;
        return;
      }
      n -= left;
      offset = 0;
      Unhold(chunks.front());
      chunks.pop_front();
    }
  }

 private:
  void Unhold(const Chunk& chunk) const {
    if (chunk.hold >= 0 && holder != nullptr) holder->Release(chunk.hold);
  }
};

// Only for connections with a timeout: the deadlines' bases and the one
// timer that checks them.
struct Connection::Timeouts {
  Clock::duration idle{}, read{}, write{};
  bool has_idle = false, has_read = false, has_write = false;
  Clock::time_point last_read{}, last_write{}, last_activity{};
  TimerId timer = 0;
};

}  // namespace net

#endif  // NET_CORE_CONNECTION_INTERNAL_H_
