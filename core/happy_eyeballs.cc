// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/happy_eyeballs.cc
// -----------------------------------------------------------------------------
//
// `net::ConnectToAny()` and `net::ConnectByName()` (include/net/connect.h):
// Happy Eyeballs (RFC 8305) over `net::Connect()`, with the resolution on
// the resolver pool (core/resolve_pool_internal.h) in front of it. A client
// of `Connect()`, `EventLoop` and `Resolve()` only: each attempt is one
// `Connect()`, so how a connect is judged lives in core/connect.cc alone.
//
// One object, `ConnectRace`, is the handle of both calls: it resolves (when
// given a name), races the addresses, and calls back once. All of it runs
// on the loop thread but the resolver job, which reaches back only through
// `ResolveShared` under its mutex. Cancelling (destroying the handle, or
// the deadline) clears the shared owner pointer under that mutex; a job
// that finishes later finds it null, so it neither posts to the loop (which
// may be gone by then) nor touches the freed race.
//
// RFC 8305 in brief, and what is done here: section 3's Resolution Delay
// (wait up to 50 ms for AAAA after A) needs separate A and AAAA queries,
// which getaddrinfo does not offer: both come in one answer. Section 4's
// sorting is getaddrinfo's (RFC 6724), then the families are interleaved,
// first address family count 1. Section 5's attempts are as documented in
// connect.h; the attempt delay is fixed per call (no RTT history).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "core/errors_internal.h"
#include "core/resolve_pool_internal.h"
#include "net/connect.h"
#include "net/resolver.h"

namespace net {
namespace {

// InterleaveFamilies()
//
// RFC 8305 section 4: the first address's family first, then the other,
// alternating; each family keeps its order.
std::vector<SocketAddress> InterleaveFamilies(
    std::vector<SocketAddress> addresses) {
  if (addresses.empty()) return addresses;
  const AddressFamily first = addresses.front().family();
  std::vector<SocketAddress> leading, other;
  for (SocketAddress& a : addresses) {
    (a.family() == first ? leading : other).push_back(std::move(a));
  }
  std::vector<SocketAddress> out;
  out.reserve(leading.size() + other.size());
  for (std::size_t i = 0; i < leading.size() || i < other.size(); ++i) {
    if (i < leading.size()) out.push_back(std::move(leading[i]));
    if (i < other.size()) out.push_back(std::move(other[i]));
  }
  return out;
}

absl::Status CheckOptions(absl::string_view operation,
                          const ConnectOptions& options) {
  if (options.timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(operation, ": options.timeout must not be negative, got ",
                     absl::FormatDuration(options.timeout)));
  }
  if (options.attempt_delay < kMinAttemptDelay ||
      options.attempt_delay > kMaxAttemptDelay) {
    return absl::InvalidArgumentError(absl::StrCat(
        operation, ": options.attempt_delay must be from ",
        absl::FormatDuration(kMinAttemptDelay), " to ",
        absl::FormatDuration(kMaxAttemptDelay), " (RFC 8305), got ",
        absl::FormatDuration(options.attempt_delay)));
  }
  return absl::OkStatus();
}

absl::Status CheckAddresses(const std::vector<SocketAddress>& addresses) {
  if (addresses.empty()) {
    return absl::InvalidArgumentError(
        "connect to any: addresses is empty; give at least one");
  }
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (!addresses[i].is_ip() || addresses[i].port() == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "connect to any: addresses[", i, "] must be IPv4 or IPv6 with a ",
          "port other than 0, got ", addresses[i].ToString()));
    }
  }
  return absl::OkStatus();
}

class ConnectRace;

// The part of a resolution that the pool thread shares with the race.
struct ResolveShared {
  ResolveShared(EventLoop& l, ConnectRace* o) : loop(l), owner(o) {}

  EventLoop& loop;  // used only while `owner` is set
  absl::Mutex mu;
  ConnectRace* owner ABSL_GUARDED_BY(mu);  // null once cancelled
};

class ConnectRace final : public PendingConnect {
 public:
  // `target` names what is connected to in a timeout's message.
  ConnectRace(EventLoop& loop, std::string target,
              const ConnectOptions& options, ConnectCallback callback)
      : loop_(loop),
        target_(std::move(target)),
        attempt_options_(options),
        callback_(std::move(callback)) {
    // The race's deadline is the one that counts; no attempt has its own.
    attempt_options_.timeout = absl::InfiniteDuration();
  }

  ~ConnectRace() override { Stop(); }

  // Arms the deadline of the whole call, resolution included.
  void StartDeadline(absl::Duration timeout) {
    if (timeout == absl::InfiniteDuration()) return;
    end_timer_ = loop_.AddTimer(timeout, [this] {
      end_timer_ = 0;
      Finish(
          internal::PortableError("connect", target_, SocketError::kTimedOut));
    });
  }

  // Ends with `status`, reported from the loop (never from the caller).
  void FailSoon(absl::Status status) {
    Stop();
    end_timer_ = loop_.AddTimer(absl::ZeroDuration(),
                                [this, status = std::move(status)]() mutable {
                                  end_timer_ = 0;
                                  Finish(std::move(status));
                                });
  }

  // Resolves `host` on the pool, then races its addresses.
  void Resolve(std::string host, std::uint16_t port) {
    shared_ = std::make_shared<ResolveShared>(loop_, this);
    absl::Status queued = internal::RunOnResolverThread(
        [shared = shared_, host = std::move(host), port] {
          ResolveOnPool(shared, host, port);
        });
    if (!queued.ok()) FailSoon(std::move(queued));
  }

  // Races `addresses`, in the order given.
  void Race(std::vector<SocketAddress> addresses) {
    addresses_ = std::move(addresses);
    StartNextAttempt();
  }

 private:
  struct Attempt {
    std::size_t index;  // in addresses_
    std::unique_ptr<PendingConnect> pending;
  };

  // On a pool thread.
  static void ResolveOnPool(const std::shared_ptr<ResolveShared>& shared,
                            const std::string& host, std::uint16_t port) {
    {
      absl::MutexLock lock(&shared->mu);
      if (shared->owner == nullptr) return;  // cancelled while queued
    }
    ResolveHints hints;
    hints.numeric_service = true;
    absl::StatusOr<std::vector<ResolvedAddress>> result =
        net::Resolve(host, absl::StrCat(port), hints);
    // Posting under the lock: the race cannot be cancelled, and so its
    // loop cannot be destroyed, in between.
    absl::MutexLock lock(&shared->mu);
    if (shared->owner == nullptr) return;
    shared->loop.Post([shared, result = std::move(result)]() mutable {
      ConnectRace* owner;
      {
        absl::MutexLock owner_lock(&shared->mu);
        owner = shared->owner;
      }
      // Only the loop thread clears `owner`, so it stays valid here.
      if (owner != nullptr) owner->OnResolved(std::move(result));
    });
  }

  void OnResolved(absl::StatusOr<std::vector<ResolvedAddress>> result) {
    CancelResolution();
    if (!result.ok()) return Finish(result.status());
    std::vector<SocketAddress> addresses;
    for (const ResolvedAddress& r : *result) {
      if (r.address.is_ip()) addresses.push_back(r.address);
    }
    if (addresses.empty()) {
      return Finish(
          internal::PortableError("resolve", target_, SocketError::kNoData));
    }
    Race(InterleaveFamilies(std::move(addresses)));
  }

  void StartNextAttempt() {
    if (delay_timer_ != 0) loop_.CancelTimer(std::exchange(delay_timer_, 0));
    const std::size_t index = next_++;
    attempts_.push_back(
        {index, Connect(loop_, addresses_[index], attempt_options_,
                        [this, index](absl::StatusOr<ConnectionPtr> result) {
                          OnAttemptDone(index, std::move(result));
                        })});
    if (next_ < addresses_.size()) {
      delay_timer_ = loop_.AddTimer(attempt_options_.attempt_delay, [this] {
        delay_timer_ = 0;
        StartNextAttempt();
      });
    }
  }

  // Inside the attempt's own callback: destroying its `PendingConnect`
  // here is allowed (connect.h).
  void OnAttemptDone(std::size_t index, absl::StatusOr<ConnectionPtr> result) {
    if (result.ok()) return Finish(std::move(result));
    last_error_ = result.status();
    for (auto it = attempts_.begin(); it != attempts_.end(); ++it) {
      if (it->index == index) {
        attempts_.erase(it);
        break;
      }
    }
    if (next_ < addresses_.size()) return StartNextAttempt();
    if (attempts_.empty()) Finish(last_error_);
  }

  // Cancels everything left, then calls back, last: the callback may
  // destroy this object.
  void Finish(absl::StatusOr<ConnectionPtr> result) {
    ConnectCallback callback = std::move(callback_);
    callback_ = nullptr;
    Stop();
    if (callback) callback(std::move(result));
  }

  void CancelResolution() {
    if (shared_ == nullptr) return;
    {
      absl::MutexLock lock(&shared_->mu);
      shared_->owner = nullptr;
    }
    shared_.reset();
  }

  void Stop() {
    CancelResolution();
    if (end_timer_ != 0) loop_.CancelTimer(std::exchange(end_timer_, 0));
    if (delay_timer_ != 0) loop_.CancelTimer(std::exchange(delay_timer_, 0));
    attempts_.clear();  // closes their sockets
  }

  EventLoop& loop_;
  const std::string target_;
  ConnectOptions attempt_options_;
  ConnectCallback callback_;
  std::shared_ptr<ResolveShared> shared_;  // while resolving
  std::vector<SocketAddress> addresses_;
  std::size_t next_ = 0;  // the next address to try
  std::vector<Attempt> attempts_;
  TimerId end_timer_ = 0;    // the deadline, or a deferred failure
  TimerId delay_timer_ = 0;  // the next attempt's start
  absl::Status last_error_;
};

}  // namespace

std::unique_ptr<PendingConnect> ConnectToAny(
    EventLoop& loop, std::vector<SocketAddress> addresses,
    const ConnectOptions& options, ConnectCallback callback) {
  auto race = std::make_unique<ConnectRace>(
      loop,
      absl::StrJoin(addresses, " or ",
                    [](std::string* out, const SocketAddress& a) {
                      absl::StrAppend(out, a.ToString());
                    }),
      options, std::move(callback));
  absl::Status valid = CheckOptions("connect to any", options);
  if (valid.ok()) valid = CheckAddresses(addresses);
  if (!valid.ok()) {
    race->FailSoon(std::move(valid));
    return race;
  }
  race->StartDeadline(options.timeout);
  race->Race(InterleaveFamilies(std::move(addresses)));
  return race;
}

std::unique_ptr<PendingConnect> ConnectByName(EventLoop& loop,
                                              absl::string_view host,
                                              std::uint16_t port,
                                              const ConnectOptions& options,
                                              ConnectCallback callback) {
  absl::Status valid = CheckOptions("connect by name", options);
  if (valid.ok() && host.empty()) {
    valid = absl::InvalidArgumentError("connect by name: host is empty");
  }
  if (valid.ok() && port == 0) {
    valid = absl::InvalidArgumentError(
        absl::StrCat("connect by name ", host, ": port must not be 0"));
  }
  // A literal address needs no resolver (and no thread).
  absl::StatusOr<IpAddress> literal = IpAddress::Parse(host);
  if (valid.ok() && literal.ok()) {
    return ConnectToAny(loop, {SocketAddress(*literal, port)}, options,
                        std::move(callback));
  }
  auto race = std::make_unique<ConnectRace>(loop, absl::StrCat(host, ":", port),
                                            options, std::move(callback));
  if (!valid.ok()) {
    race->FailSoon(std::move(valid));
    return race;
  }
  race->StartDeadline(options.timeout);
  race->Resolve(std::string(host), port);
  return race;
}

}  // namespace net
