// Copyright 2026 The net Authors.
//
// The fault-injection hook's rules (platform/fault.h). Compiled only with
// NET_FAULT_INJECTION.

#include "platform/fault.h"

#include <array>

#include "absl/synchronization/mutex.h"
#include "platform/sys.h"

namespace net::sys::fault {
namespace {

struct State {
  bool armed = false;
  Rule rule;
  int skip_left = 0;
  int times_left = 0;
  int calls = 0;
  int injected = 0;
};

absl::Mutex& RulesMutex() {
  static absl::Mutex* mutex = new absl::Mutex();
  return *mutex;
}

// Guarded by RulesMutex().
State& StateOf(Point point) {
  static auto* states = new std::array<State, kPointCount>();
  return (*states)[static_cast<std::size_t>(point)];
}

}  // namespace

namespace internal {

std::atomic<int> armed_points{0};

bool Fail(Point point, NativeHandle handle) {
  // A point that does not fire leaves the OS error as it was: the backend
  // may still read the error of the call before (accept() and then the
  // kAcceptNoPeer point), and the lock below can change it (under wine a
  // contended mutex left ERROR_INSUFFICIENT_BUFFER, 122, where an injected
  // WSAEMFILE had been).
  const int caller_error = LastError();
  int error = 0;
  {
    absl::MutexLock lock(&RulesMutex());
    State& state = StateOf(point);
    const bool fires = [&] {
      if (!state.armed) return false;
      if (state.rule.handle != kInvalidHandle && state.rule.handle != handle) {
        return false;
      }
      ++state.calls;
      if (state.rule.native_error == 0) return false;
      if (state.skip_left > 0) {
        --state.skip_left;
        return false;
      }
      if (state.times_left == 0) return false;
      if (state.times_left > 0) --state.times_left;
      ++state.injected;
      return true;
    }();
    error = fires ? state.rule.native_error : 0;
  }
  // After the unlock: nothing may change the error between here and the
  // backend reading it.
  SetLastErrorCode(error != 0 ? error : caller_error);
  return error != 0;
}

}  // namespace internal

absl::string_view PointName(Point point) {
  switch (point) {
    case Point::kSocket: return "socket";
    case Point::kClose: return "close";
    case Point::kBind: return "bind";
    case Point::kListen: return "listen";
    case Point::kAccept: return "accept";
    case Point::kAcceptNoPeer: return "accept (no peer address)";
    case Point::kConnect: return "connect";
    case Point::kConnectResult: return "connect result (SO_ERROR)";
    case Point::kShutdown: return "shutdown";
    case Point::kSend: return "send";
    case Point::kReceive: return "receive";
    case Point::kSetOption: return "setsockopt";
    case Point::kGetOption: return "getsockopt";
    case Point::kPollerWait: return "poller wait";
    case Point::kPollerControl: return "poller control";
    case Point::kPollerCreate: return "poller create";
    case Point::kName: return "getsockname/getpeername";
    case Point::kControl: return "fcntl/ioctl";
    case Point::kWait: return "wait (one handle)";
    case Point::kResolve: return "getaddrinfo";
  }
  return "unknown";
}

void Arm(Point point, const Rule& rule) {
  absl::MutexLock lock(&RulesMutex());
  State& state = StateOf(point);
  if (!state.armed) internal::armed_points.fetch_add(1, std::memory_order_relaxed);
  state = State{true, rule, rule.skip, rule.times, 0, 0};
}

void Disarm(Point point) {
  absl::MutexLock lock(&RulesMutex());
  State& state = StateOf(point);
  if (state.armed) internal::armed_points.fetch_sub(1, std::memory_order_relaxed);
  state.armed = false;
}

void DisarmAll() {
  for (int i = 0; i < kPointCount; ++i) Disarm(static_cast<Point>(i));
}

int Calls(Point point) {
  absl::MutexLock lock(&RulesMutex());
  return StateOf(point).calls;
}

int Injected(Point point) {
  absl::MutexLock lock(&RulesMutex());
  return StateOf(point).injected;
}

}  // namespace net::sys::fault
