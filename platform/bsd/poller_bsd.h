// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/bsd/poller_bsd.h
// -----------------------------------------------------------------------------
//
// The poller code of both backends: the wait timeout, and the scanning
// pollers. Those are poll(2) and select(2) in platform/posix/, and WSAPoll
// in platform/windows/. WSAPoll is poll(2) under another name: its
// WSAPOLLFD has the fields of pollfd (fd, events, revents), and the POLL*
// bits have the same names. platform/bsd/socket_bsd.h says what this
// directory is, and why a file here includes no OS header. Include this one
// after the OS headers that declare pollfd and POLL*: <poll.h>, or
// winsock_internal.h.

#ifndef NET_PLATFORM_BSD_POLLER_BSD_H_
#define NET_PLATFORM_BSD_POLLER_BSD_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/poll_registry_internal.h"
#include "net/event_loop.h"
#include "platform/sys.h"

namespace net::sys::bsd {

// TimeoutMilliseconds()
//
// A wait timeout in milliseconds for poll, epoll_wait, WSAPoll and
// GetQueuedCompletionStatusEx. InfiniteDuration is -1, which is INFINITE
// once cast to a DWORD. Any other timeout is rounded up, so a 0.3 ms timer
// does not become a 0 ms busy poll, and capped at INT_MAX.
inline int TimeoutMilliseconds(absl::Duration timeout) {
  if (timeout == absl::InfiniteDuration()) return -1;
  if (timeout <= absl::ZeroDuration()) return 0;
  constexpr std::int64_t kMax = std::numeric_limits<int>::max();
  const std::int64_t ms =
      absl::ToInt64Milliseconds(timeout + absl::Microseconds(999));
  return ms > kMax ? static_cast<int>(kMax) : static_cast<int>(ms);
}

// ScanningPoller
//
// The base of the pollers that build the OS's whole array on every wait
// (poll, select, WSAPoll). Add(), Modify() and Remove() only update the
// registration list: the OS sees the change at the next Wait().
class ScanningPoller : public Poller {
 public:
  // `name` is the poller's name in error messages ("poll").
  explicit ScanningPoller(absl::string_view name) : registry_(name) {}

  absl::Status Add(Handle handle, std::uint64_t token,
                   Interest interest) override {
    return registry_.Add(handle, token, interest);
  }
  absl::Status Modify(Handle handle, std::uint64_t token,
                      Interest interest) override {
    return registry_.Modify(handle, token, interest);
  }
  absl::Status Remove(Handle handle) override {
    registry_.Remove(handle);
    return absl::OkStatus();
  }

 protected:
  internal::PollRegistry registry_;
};

// PollSet
//
// The array that poll(2) (`PollFd` = pollfd) and WSAPoll (WSAPOLLFD) take,
// refilled from a registration list for every wait. The wakeup handle comes
// first, then one entry per registered handle, in the list's order.
//
// What the answer's hang-up and error bits mean differs between the two;
// Collect() turns both into the `Readiness` flags of include/net/event_loop.h
// (docs/event-loop.md, "Readiness flags", has the measured bits).
template <typename PollFd>
class PollSet {
 public:
  using Native = decltype(PollFd::fd);
  using Events = decltype(PollFd::events);

  // How the OS's answer reports the end of a connection.
  enum class Hangups {
    // poll(2): POLLHUP when the connection is over (reset, failed connect,
    // both directions shut), with POLLERR while a reset's or a failed
    // connect's error is pending; a FIN alone only as the `peer_closed`
    // bit, which is asked with read interest only, so the answer has it
    // only then.
    kPoll,
    // WSAPoll: POLLHUP for a FIN too, with any interest (its `events` takes
    // no hang-up bit, its answer always has POLLHUP); POLLERR for a reset
    // (with POLLHUP) and for a failed connect (under wine 8 without
    // POLLHUP; Windows 10 2004 and later add POLLHUP). So: POLLERR is a
    // hang-up, and POLLHUP without it is a FIN, reported with read interest
    // only.
    kWsaPoll,
  };

  // `readable` and `writable`: the bits asked for each interest, and that
  // mean "ready" in the answer. These are POLLIN and POLLOUT for poll(2),
  // and POLLRDNORM and POLLWRNORM for WSAPoll (poller_windows.cc says why).
  // `peer_closed`: the bits also asked with read interest that report the
  // peer's FIN (POLLRDHUP on Linux; 0 where the OS has none).
  PollSet(Events readable, Events writable, Events peer_closed,
          Hangups hangups)
      : readable_(readable),
        writable_(writable),
        peer_closed_(peer_closed),
        hangups_(hangups) {}

  // Fill()
  //
  // Rebuilds the array from `wake` (watched for readability) and `entries`.
  void Fill(Native wake,
            const std::vector<internal::PollRegistry::Entry>& entries) {
    fds_.resize(entries.size() + 1);
    fds_[0] = {wake, readable_, 0};
    const Events read_bits = static_cast<Events>(readable_ | peer_closed_);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      Events wanted = 0;
      if (Wants(entries[i].interest, Interest::kReadable)) wanted |= read_bits;
      if (Wants(entries[i].interest, Interest::kWritable)) wanted |= writable_;
      fds_[i + 1] = {static_cast<Native>(entries[i].handle), wanted, 0};
    }
  }

  PollFd* data() { return fds_.data(); }
  std::size_t size() const { return fds_.size(); }

  // Whether the wait saw the wakeup handle readable (or failed).
  bool woken() const { return fds_[0].revents != 0; }

  // Collect()
  //
  // Appends one event for each registered handle that the wait reported,
  // with the token of `entries`, the list that Fill() was given. Errors
  // and hang-ups are delivered as readable too (and errors as writable), so
  // that the next read or write call reports them.
  void Collect(const std::vector<internal::PollRegistry::Entry>& entries,
               std::vector<PollEvent>* events) const {
    for (std::size_t i = 1; i < fds_.size(); ++i) {
      const Events r = fds_[i].revents;
      if (r == 0) continue;
      PollEvent out;
      out.token = entries[i - 1].token;
      out.readiness.error = (r & (POLLERR | POLLNVAL)) != 0;
      if (hangups_ == Hangups::kPoll) {
        out.readiness.hangup = (r & (POLLHUP | peer_closed_)) != 0;
      } else {
        out.readiness.hangup =
            out.readiness.error ||
            ((r & POLLHUP) != 0 &&
             Wants(entries[i - 1].interest, Interest::kReadable));
      }
      const bool fault = out.readiness.error || out.readiness.hangup;
      out.readiness.readable = (r & readable_) != 0 || fault;
      out.readiness.writable = (r & writable_) != 0 || out.readiness.error;
      // (WSAPoll: a FIN on a write-only registration that is not writable.)
      if (!out.readiness.readable && !out.readiness.writable) continue;
      events->push_back(out);
    }
  }

 private:
  Events readable_;
  Events writable_;
  Events peer_closed_;
  Hangups hangups_;
  std::vector<PollFd> fds_;
};

}  // namespace net::sys::bsd

#endif  // NET_PLATFORM_BSD_POLLER_BSD_H_
