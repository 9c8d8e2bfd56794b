// Copyright 2026 The net Authors.
//
// The portable half of `net::EventLoop`: registrations, timers, posted tasks
// and dispatch. The OS half is a `sys::Poller` (platform/sys.h).
//
// Safety under the classic reactor hazards comes from two choices:
//
//   * A registration is named by a token = (generation << 32 | slot + 1).
//     Events carry the token they were collected with; a registration that
//     was removed, or whose slot was reused for a new descriptor (even one
//     with the same number) in the same iteration, has another token, so the
//     stale event is dropped instead of reaching the new owner.
//   * Slots live in fixed chunks (stable addresses), and an unwatched
//     registration's callback is parked until the iteration ends, so a
//     callback may unwatch itself or others, watch new sockets, and close
//     sockets while it runs.

#include "net/event_loop.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <queue>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/casts.h"
#include "absl/base/config.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "core/handle_set_internal.h"
#include "core/loop_internal.h"
#include "net/status_macros.h"
#include "platform/sys.h"

namespace net {
namespace {

using Clock = std::chrono::steady_clock;

// A hint to load `p`'s cache line; nothing where the compiler has no such
// builtin.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline void Prefetch(const void* p) {
#if ABSL_HAVE_BUILTIN(__builtin_prefetch) || defined(__GNUC__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}

// Readiness as one word (its four bools in memory order), so that masking
// an event by what its registration wants is one AND, not a branch per
// flag: dispatch runs once per event.
static_assert(sizeof(Readiness) == sizeof(std::uint32_t) &&
              std::is_trivially_copyable_v<Readiness>);
std::uint32_t ToWord(Readiness r) { return absl::bit_cast<std::uint32_t>(r); }
Readiness FromWord(std::uint32_t word) { return absl::bit_cast<Readiness>(word); }
// What a registration with `interest` is told of: readable and writable as
// asked; errors and hang-ups always.
std::uint32_t WantedWord(Interest interest) {
  Readiness wanted;
  wanted.readable = Wants(interest, Interest::kReadable);
  wanted.writable = Wants(interest, Interest::kWritable);
  wanted.error = true;
  wanted.hangup = true;
  return ToWord(wanted);
}

constexpr EventLoopBackend kAllBackends[] = {
    EventLoopBackend::kEpoll, EventLoopBackend::kKqueue,
    EventLoopBackend::kPoll,  EventLoopBackend::kSelect,
    EventLoopBackend::kIocp,  EventLoopBackend::kWsaPoll,
    EventLoopBackend::kIoUring,
};

class EventLoopImpl final : public EventLoop {
 public:
  EventLoopImpl(EventLoopBackend backend, std::unique_ptr<sys::Poller> poller)
      : backend_(backend), poller_(std::move(poller)) {
    events_.reserve(1024);
  }

  absl::StatusOr<WatchId> Watch(NativeHandle handle, Interest interest,
                                IoCallback callback) override {
    if (!callback) return absl::InvalidArgumentError("watch: empty callback");
    return WatchImpl(handle, interest, std::move(callback), nullptr);
  }
  absl::StatusOr<WatchId> Watch(NativeHandle handle, Interest interest,
                                IoHandler* handler) override {
    if (handler == nullptr) {
      return absl::InvalidArgumentError("watch: null handler");
    }
    return WatchImpl(handle, interest, nullptr, handler);
  }
  absl::Status Modify(WatchId id, Interest interest) override;
  using EventLoop::Unwatch;
  absl::Status Unwatch(WatchId id, UnwatchMode mode) override;
  TimerId AddTimer(absl::Duration delay, Task task) override {
    return AddTimerImpl(delay, absl::ZeroDuration(), std::move(task));
  }
  TimerId AddRepeatingTimer(absl::Duration interval, Task task) override {
    return AddTimerImpl(interval,
                        std::max(interval, absl::Nanoseconds(1)),
                        std::move(task));
  }
  bool CancelTimer(TimerId id) override {
    if (id == live_top_) live_top_ = 0;
    return timers_.erase(id) > 0;
  }
  void Post(Task task) override;
  absl::Status Run() override;
  absl::StatusOr<int> RunOnce(absl::Duration timeout) override;
  void Stop() override {
    stop_.store(true, std::memory_order_release);
    poller_->Wake();
  }
  EventLoopBackend backend() const override { return backend_; }
  sys::CompletionIo* completions() { return poller_->completions(); }
  std::size_t watch_count() const override {
    return watched_.size() + poller_->registrations();
  }
  std::size_t timer_count() const override { return timers_.size(); }

 private:
  // What dispatch reads per event, and nothing else: 32 bytes, two to a
  // cache line (a power of two keeps `SlotAt()` a shift). With 1,000
  // connections every slot is evicted between two of its events, so its
  // size is memory traffic per event (docs/bench.md).
  struct alignas(32) Slot {
    std::uint32_t generation = 0;
    std::uint32_t wanted = 0;  // WantedWord(interest)
    // The user's handler, or the slot's `CallbackHandler` for a callback.
    IoHandler* handler = nullptr;
    NativeHandle handle = kInvalidHandle;
    std::uint32_t index = 0;
    bool live = false;
    bool in_poller = false;
    Interest interest = Interest::kNone;
    // What the poller was last told (while `in_poller`): it differs from
    // `interest` while the slot is parked (below).
    Interest polled = Interest::kNone;
  };
  static_assert(sizeof(Slot) == 32, "two slots to a cache line");
  // A callback registration's function, as a handler. Kept beside the
  // slots, in chunks made on first use, so that handler registrations do
  // not pay for its storage. An unwatched slot is reused, and its callback
  // destroyed, only after the iteration (`retired_`), so a running callback
  // is never moved or destroyed.
  struct CallbackHandler final : IoHandler {
    void OnReady(Readiness r) override { callback(r); }
    IoCallback callback;
  };
  struct Timer {
    Clock::time_point deadline;
    absl::Duration interval;  // zero: one-shot
    Task task;
  };
  struct TimerEntry {
    Clock::time_point deadline;
    std::uint64_t sequence;  // ties run in the order added
    TimerId id;
    bool operator>(const TimerEntry& o) const {
      return deadline != o.deadline ? deadline > o.deadline
                                    : sequence > o.sequence;
    }
  };

  static WatchId MakeToken(std::uint32_t index, std::uint32_t generation) {
    return (static_cast<std::uint64_t>(generation) << 32) | (index + 1u);
  }
  // The slot `id` names if it is in range (live or not), else null.
  Slot* SlotOf(WatchId id);
  // The live registration `id` names, else null.
  Slot* Find(WatchId id);
  absl::Status SyncPoller(Slot& slot);
  // Takes a parked slot (interest kNone, still in the poller) out of the
  // poller, when the poller reported it.
  void Unpark(Slot& slot);
  absl::StatusOr<WatchId> WatchImpl(NativeHandle handle, Interest interest,
                                    IoCallback callback, IoHandler* handler);
  TimerId AddTimerImpl(absl::Duration delay, absl::Duration interval, Task task);
  Clock::time_point WaitDeadline(absl::Duration timeout);
  // The slot of `events_[event]` (null if out of range), prefetched.
  // Always inlined: GCC 12 finds an out-of-line function whose only effect
  // is a prefetch free of side effects and deletes the calls to it.
  ABSL_ATTRIBUTE_ALWAYS_INLINE Slot* SlotAhead(std::size_t event) {
    Slot* slot = SlotOf(events_[event].token);
    if (slot != nullptr) Prefetch(slot);
    return slot;
  }
  // Drops the slot's handler, and its callback if it had one.
  void Recycle(Slot& slot) {
    if (slot.handler == nullptr) return;
    const std::unique_ptr<CallbackHandler[]>& chunk = CallbackChunk(slot.index);
    if (chunk != nullptr) chunk[slot.index & (kChunkSize - 1)].callback = nullptr;
    slot.handler = nullptr;
  }
  int Dispatch();
  int RunDueTimers();
  int RunPosted();

  const EventLoopBackend backend_;
  std::unique_ptr<sys::Poller> poller_;
  std::vector<sys::PollEvent> events_;

  // Slots in chunks of kChunkSize that never move (a running callback stays
  // where it is while others are added); a slot's index picks its chunk by a
  // shift and its place by a mask, which is all `Find()` does per event.
  static constexpr std::uint32_t kChunkBits = 6;
  static constexpr std::uint32_t kChunkSize = 1u << kChunkBits;
  Slot& SlotAt(std::uint32_t index) {
    return chunks_[index >> kChunkBits][index & (kChunkSize - 1)];
  }
  // The chunk of callbacks beside slot `index`'s chunk (null until a
  // callback registration needs it).
  std::unique_ptr<CallbackHandler[]>& CallbackChunk(std::uint32_t index) {
    return callback_chunks_[index >> kChunkBits];
  }
  CallbackHandler& CallbackAt(std::uint32_t index) {
    std::unique_ptr<CallbackHandler[]>& chunk = CallbackChunk(index);
    if (chunk == nullptr) chunk = std::make_unique<CallbackHandler[]>(kChunkSize);
    return chunk[index & (kChunkSize - 1)];
  }
  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::vector<std::unique_ptr<CallbackHandler[]>> callback_chunks_;
  std::uint32_t slot_count_ = 0;
  std::vector<std::uint32_t> free_slots_;
  // Which handles are watched, so that a second watch of one is refused.
  internal::HandleSet watched_;
  // Unwatched slots, recycled (callback destroyed) when the iteration ends.
  std::vector<std::uint32_t> retired_;

  absl::flat_hash_map<TimerId, Timer> timers_;
  std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>>
      timer_queue_;
  TimerId next_timer_ = 1;
  std::uint64_t timer_sequence_ = 0;
  // The id of `timer_queue_`'s top entry when WaitDeadline() last found it
  // live (0: none), so that it looks the top up in `timers_` once, not on
  // every iteration. Cleared when that timer is cancelled or runs.
  TimerId live_top_ = 0;
  // Whether a timer was added since the last wait: it may be due already
  // (a zero delay), which the poller's DeadlineMayHavePassed() cannot know.
  bool timer_added_ = false;

  absl::Mutex posted_mu_;
  std::vector<Task> posted_ ABSL_GUARDED_BY(posted_mu_);
  bool wake_pending_ ABSL_GUARDED_BY(posted_mu_) = false;
  // Whether `posted_` may be non-empty, read without the lock: the loop
  // checks on every iteration, most iterations have nothing posted, and an
  // absl::Mutex lock/unlock pair costs ~350 instructions in Debian's
  // Abseil build (debug-mode deadlock detection; see docs/bench.md).
  std::atomic<bool> has_posted_{false};
  std::vector<Task> running_posted_;

  std::atomic<bool> stop_{false};
};

EventLoopImpl::Slot* EventLoopImpl::SlotOf(WatchId id) {
  // Token 0 wraps to a huge index and fails the bound check too.
  const std::uint32_t index = static_cast<std::uint32_t>(id) - 1u;
  return index < slot_count_ ? &SlotAt(index) : nullptr;
}

EventLoopImpl::Slot* EventLoopImpl::Find(WatchId id) {
  Slot* slot = SlotOf(id);
  if (slot == nullptr || !slot->live ||
      slot->generation != static_cast<std::uint32_t>(id >> 32)) {
    return nullptr;
  }
  return slot;
}

// Interest kNone parks the slot: it stays in the poller as it was, and is
// taken out only if the poller reports it before it is wanted again
// (Dispatch()). A disable followed by an enable with no event between them
// (a listener paused while its server is full; a level-triggered
// connection whose reading pauses and resumes) then costs no system call,
// as libuv defers its epoll_ctl()s; a parked socket that keeps reporting (a hang-up) is taken
// out at its first report, so it cannot make the loop spin.
absl::Status EventLoopImpl::SyncPoller(Slot& slot) {
  const WatchId token = MakeToken(slot.index, slot.generation);
  if (!Wants(slot.interest, Interest::kBoth)) {  // kNone, or kEdgeTriggered alone
    return absl::OkStatus();  // parked, or not in the poller
  }
  if (slot.in_poller) {
    // Unparked as it was: nothing to tell the poller, unless the
    // registration is edge-triggered, whose edge a re-registration re-arms
    // (what is already readable is reported again; a connection that
    // resumes relies on it).
    if (slot.polled == slot.interest &&
        !Wants(slot.interest, Interest::kEdgeTriggered)) {
      return absl::OkStatus();
    }
    slot.polled = slot.interest;
    return poller_->Modify(slot.handle, token, slot.interest);
  }
  NET_RETURN_IF_ERROR(poller_->Add(slot.handle, token, slot.interest));
  slot.in_poller = true;
  slot.polled = slot.interest;
  return absl::OkStatus();
}

void EventLoopImpl::Unpark(Slot& slot) {
  slot.in_poller = false;
  poller_->Remove(slot.handle).IgnoreError();
}

absl::StatusOr<WatchId> EventLoopImpl::WatchImpl(NativeHandle handle,
                                                 Interest interest,
                                                 IoCallback callback,
                                                 IoHandler* handler) {
  if (handle == kInvalidHandle) {
    return absl::InvalidArgumentError("watch: the handle is invalid");
  }
  // One lookup: the handle is marked here and unmarked if the watch fails.
  if (!watched_.Insert(handle)) {
    return absl::AlreadyExistsError(
        absl::StrCat("watch: handle ", handle, " is already watched"));
  }
  std::uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = slot_count_++;
    if ((index & (kChunkSize - 1)) == 0) {
      chunks_.push_back(std::make_unique<Slot[]>(kChunkSize));
      callback_chunks_.emplace_back();  // made by CallbackAt() if needed
    }
    SlotAt(index).index = index;
  }
  Slot& slot = SlotAt(index);
  slot.generation++;
  slot.live = true;
  slot.in_poller = false;
  slot.handle = handle;
  slot.interest = interest;
  slot.wanted = WantedWord(interest);
  if (handler == nullptr) {
    CallbackHandler& adapter = CallbackAt(index);
    adapter.callback = std::move(callback);
    handler = &adapter;
  }
  slot.handler = handler;
  absl::Status added = SyncPoller(slot);
  if (!added.ok()) {
    slot.live = false;
    Recycle(slot);  // never ran: a fresh or recycled slot
    free_slots_.push_back(index);
    watched_.Erase(handle);
    return added;
  }
  return MakeToken(index, slot.generation);
}

absl::Status EventLoopImpl::Modify(WatchId id, Interest interest) {
  Slot* slot = Find(id);
  if (slot == nullptr) {
    return absl::NotFoundError(absl::StrCat("modify: no registration ", id));
  }
  if (slot->interest == interest) return absl::OkStatus();
  slot->interest = interest;
  slot->wanted = WantedWord(interest);
  return SyncPoller(*slot);
}

absl::Status EventLoopImpl::Unwatch(WatchId id, UnwatchMode mode) {
  Slot* slot = Find(id);
  if (slot == nullptr) {
    return absl::NotFoundError(absl::StrCat("unwatch: no registration ", id));
  }
  absl::Status removed = absl::OkStatus();
  if (slot->in_poller) {
    removed = mode == UnwatchMode::kClosing ? poller_->Forget(slot->handle)
                                            : poller_->Remove(slot->handle);
  }
  slot->live = false;
  slot->in_poller = false;
  watched_.Erase(slot->handle);
  // The callback may be the one running now: destroy it after the
  // iteration, not here.
  retired_.push_back(slot->index);
  return removed;
}

TimerId EventLoopImpl::AddTimerImpl(absl::Duration delay,
                                    absl::Duration interval, Task task) {
  if (delay < absl::ZeroDuration()) delay = absl::ZeroDuration();
  const TimerId id = next_timer_++;
  const Clock::time_point deadline =
      Clock::now() +
      std::chrono::duration_cast<Clock::duration>(absl::ToChronoNanoseconds(delay));
  timers_.emplace(id, Timer{deadline, interval, std::move(task)});
  timer_queue_.push(TimerEntry{deadline, timer_sequence_++, id});
  timer_added_ = true;
  return id;
}

void EventLoopImpl::Post(Task task) {
  bool wake = false;
  {
    absl::MutexLock lock(&posted_mu_);
    posted_.push_back(std::move(task));
    has_posted_.store(true, std::memory_order_release);
    if (!wake_pending_) wake = wake_pending_ = true;
  }
  if (wake) poller_->Wake();
}

// Until when the next wait may block: `timeout` from now at most
// (InfiniteDuration: no limit), the next timer's deadline if sooner, and
// not at all if tasks are already posted or Stop() was called. Reads the
// clock only for a finite timeout.
Clock::time_point EventLoopImpl::WaitDeadline(absl::Duration timeout) {
  if (has_posted_.load(std::memory_order_acquire) ||
      stop_.load(std::memory_order_acquire)) {
    return Clock::time_point::min();
  }
  Clock::time_point deadline = Clock::time_point::max();
  if (timeout != absl::InfiniteDuration()) {
    const Clock::duration left = std::chrono::duration_cast<Clock::duration>(
        absl::ToChronoNanoseconds(timeout));
    const Clock::time_point now = Clock::now();
    deadline = left >= Clock::time_point::max() - now ? Clock::time_point::max()
                                                      : now + left;
  }
  while (!timer_queue_.empty() && timer_queue_.top().id != live_top_ &&
         !timers_.contains(timer_queue_.top().id)) {
    timer_queue_.pop();  // cancelled
  }
  if (!timer_queue_.empty()) {
    live_top_ = timer_queue_.top().id;
    const Clock::time_point top = timer_queue_.top().deadline;
    // A timer added since the last wait may be due already (a zero delay:
    // work deferred to the loop, such as a callback that must not run from
    // inside the call that knew its result). Then the wait only polls: on
    // epoll, arming the timerfd for a deadline in the past cost a
    // timerfd_settime, a wakeup and a read of the timerfd per such timer
    // (bench/connect_rate.sh). The clock is read only after a timer was
    // added.
    if (timer_added_ && top <= deadline && top <= Clock::now()) {
      return Clock::time_point::min();
    }
    deadline = std::min(deadline, top);
  }
  return deadline;
}

int EventLoopImpl::Dispatch() {
  int ran = 0;
  const std::size_t count = events_.size();
  // With many connections each event's slot, and the handler it points to,
  // is a cache miss (the kernel's work between two events evicts them):
  // while one callback runs, load the slot two events ahead and the handler
  // of the next one, whose slot was loaded one callback ago. Each slot is
  // looked up once, two events ahead, and handed down. A prefetch never
  // faults, so a stale slot's dangling handler pointer is harmless.
  Slot* next = count > 0 ? SlotAhead(0) : nullptr;
  Slot* after_next = count > 1 ? SlotAhead(1) : nullptr;
  for (std::size_t i = 0; i < count; ++i) {
    Slot* const slot = next;
    next = after_next;
    after_next = i + 2 < count ? SlotAhead(i + 2) : nullptr;
    if (next != nullptr && next->handler != nullptr) Prefetch(next->handler);
    const sys::PollEvent& event = events_[i];
    // Stale (unwatched, or the slot reused: another generation) or paused.
    // `in_poller` implies live.
    if (slot == nullptr || !slot->in_poller ||
        slot->generation != static_cast<std::uint32_t>(event.token >> 32)) {
      continue;
    }
    // Parked (SyncPoller()): nothing is wanted; out of the poller now.
    if (ABSL_PREDICT_FALSE(!Wants(slot->interest, Interest::kBoth))) {
      Unpark(*slot);
      continue;
    }
    // Deliver only what is still wanted: an earlier callback of this
    // iteration may have changed the interest.
    const std::uint32_t r = ToWord(event.readiness) & slot->wanted;
    if (r == 0) continue;
    // A callback stays in place until the iteration ends; a handler is the
    // user's.
    slot->handler->OnReady(FromWord(r));
    ++ran;
  }
  return ran;
}

int EventLoopImpl::RunDueTimers() {
  // No clock read per iteration while no timer is pending, or while the
  // poller knows that the deadline it waited for has not come (epoll's
  // timerfd did not fire) and no timer was added since.
  if (timer_queue_.empty() ||
      (!poller_->DeadlineMayHavePassed() && !timer_added_)) {
    return 0;
  }
  live_top_ = 0;  // the top may run, and be erased, below
  int ran = 0;
  const Clock::time_point now = Clock::now();
  while (!timer_queue_.empty() && timer_queue_.top().deadline <= now) {
    const TimerEntry entry = timer_queue_.top();
    timer_queue_.pop();
    auto it = timers_.find(entry.id);
    if (it == timers_.end() || it->second.deadline != entry.deadline) continue;
    // Run the task from a local so that it may cancel itself or add timers
    // (which can rehash `timers_`).
    Task task = std::move(it->second.task);
    const absl::Duration interval = it->second.interval;
    if (interval == absl::ZeroDuration()) timers_.erase(it);
    task();
    ++ran;
    if (interval == absl::ZeroDuration()) continue;
    auto again = timers_.find(entry.id);
    if (again == timers_.end()) continue;  // cancelled itself
    const auto step = std::chrono::duration_cast<Clock::duration>(
        absl::ToChronoNanoseconds(interval));
    Clock::time_point next = entry.deadline + step;
    if (next <= now) {  // missed ticks: skip them, keep the phase
      next += step * ((now - next) / step + 1);
    }
    again->second.deadline = next;
    again->second.task = std::move(task);
    timer_queue_.push(TimerEntry{next, timer_sequence_++, entry.id});
  }
  return ran;
}

int EventLoopImpl::RunPosted() {
  // A task posted after this check wakes the poller, so the next iteration
  // sees it.
  if (!has_posted_.load(std::memory_order_acquire)) return 0;
  {
    absl::MutexLock lock(&posted_mu_);
    running_posted_.swap(posted_);
    has_posted_.store(false, std::memory_order_relaxed);
    wake_pending_ = false;
  }
  int ran = 0;
  for (Task& task : running_posted_) {
    task();
    ++ran;
  }
  running_posted_.clear();
  return ran;
}

absl::StatusOr<int> EventLoopImpl::RunOnce(absl::Duration timeout) {
  if (timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "run once: timeout must not be negative, got ",
        absl::FormatDuration(timeout)));
  }
  events_.clear();
  const Clock::time_point deadline = WaitDeadline(timeout);
  timer_added_ = false;  // WaitDeadline() has seen every timer so far
  NET_RETURN_IF_ERROR(poller_->WaitUntil(deadline, &events_));
  int ran = Dispatch();
  ran += poller_->DispatchCompletions();
  ran += RunDueTimers();
  ran += RunPosted();
  poller_->EndIteration();
  for (std::uint32_t index : retired_) {
    Recycle(SlotAt(index));
    free_slots_.push_back(index);
  }
  retired_.clear();
  return ran;
}

absl::Status EventLoopImpl::Run() {
  while (!stop_.load(std::memory_order_acquire)) {
    absl::StatusOr<int> ran = RunOnce(absl::InfiniteDuration());
    if (!ran.ok()) {
      stop_.store(false, std::memory_order_release);
      return ran.status();
    }
  }
  stop_.store(false, std::memory_order_release);
  return absl::OkStatus();
}

absl::StatusOr<EventLoopBackend> ChooseBackend(EventLoopBackend asked) {
  const std::vector<EventLoopBackend> available = sys::PollerBackends();
  auto have = [&](EventLoopBackend b) {
    return std::find(available.begin(), available.end(), b) != available.end();
  };
  auto list = [&] {
    return absl::StrJoin(available, ", ", [](std::string* out, EventLoopBackend b) {
      absl::StrAppend(out, EventLoopBackendName(b));
    });
  };
  if (asked == EventLoopBackend::kDefault) {
    const char* env = std::getenv("NET_EVENT_LOOP");
    if (env != nullptr && *env != '\0') {
      NET_ASSIGN_OR_RETURN(EventLoopBackend named, ParseEventLoopBackend(env));
      if (named != EventLoopBackend::kDefault && !have(named)) {
        return absl::UnimplementedError(absl::StrCat(
            "event loop: NET_EVENT_LOOP=", env, " is not available here (",
            list(), ")"));
      }
      asked = named;
    }
  }
  if (asked == EventLoopBackend::kDefault) return available.front();
  if (!have(asked)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event loop: backend ", EventLoopBackendName(asked),
        " is not available here (", list(), ")"));
  }
  // Compiled in, but this kernel does not let it run: epoll instead
  // (EventLoopBackendSupport() says why).
  if (asked == EventLoopBackend::kIoUring && !sys::IoUringSupport().ok()) {
    return EventLoopBackend::kEpoll;
  }
  return asked;
}

}  // namespace

absl::string_view EventLoopBackendName(EventLoopBackend backend) {
  switch (backend) {
    case EventLoopBackend::kDefault: return "default";
    case EventLoopBackend::kEpoll: return "epoll";
    case EventLoopBackend::kKqueue: return "kqueue";
    case EventLoopBackend::kPoll: return "poll";
    case EventLoopBackend::kSelect: return "select";
    case EventLoopBackend::kIocp: return "iocp";
    case EventLoopBackend::kWsaPoll: return "wsapoll";
    case EventLoopBackend::kIoUring: return "io_uring";
  }
  return "unknown";
}

absl::StatusOr<EventLoopBackend> ParseEventLoopBackend(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "default") return EventLoopBackend::kDefault;
  for (EventLoopBackend b : kAllBackends) {
    if (lower == EventLoopBackendName(b)) return b;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "event loop backend \"", name.substr(0, 32),
      "\" is not one of default, epoll, kqueue, poll, select, iocp, wsapoll, "
      "io_uring"));
}

std::vector<EventLoopBackend> AvailableEventLoopBackends() {
  return sys::PollerBackends();
}

absl::Status EventLoopBackendSupport(EventLoopBackend backend) {
  if (backend != EventLoopBackend::kDefault) {
    const std::vector<EventLoopBackend> available = sys::PollerBackends();
    if (std::find(available.begin(), available.end(), backend) ==
        available.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "event loop: backend ", EventLoopBackendName(backend),
          " is not compiled in here"));
    }
  }
  if (backend == EventLoopBackend::kIoUring) return sys::IoUringSupport();
  return absl::OkStatus();
}

sys::CompletionIo* internal::LoopCompletions(EventLoop& loop) {
  if (loop.backend() != EventLoopBackend::kIoUring) return nullptr;
  auto* impl = dynamic_cast<EventLoopImpl*>(&loop);
  return impl == nullptr ? nullptr : impl->completions();
}

absl::StatusOr<std::unique_ptr<EventLoop>> EventLoop::Create(
    const EventLoopOptions& options) {
  NET_RETURN_IF_ERROR(sys::EnsureInitialized());
  NET_ASSIGN_OR_RETURN(EventLoopBackend backend, ChooseBackend(options.backend));
  NET_ASSIGN_OR_RETURN(std::unique_ptr<sys::Poller> poller,
                       sys::NewPoller(backend));
  return std::unique_ptr<EventLoop>(
      new EventLoopImpl(backend, std::move(poller)));
}

}  // namespace net
