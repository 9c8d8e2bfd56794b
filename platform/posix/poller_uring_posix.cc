// Copyright 2026 The net Authors.
//
// The io_uring poller (Linux 6.1+; issue 19, docs/io-uring.md): the loop's
// one wait is io_uring_enter(), which also submits every operation queued
// since the last one. `Connection` and `Listener` run on completions
// (sys::CompletionIo, platform/sys.h): multishot accept, multishot receive
// into one buffer ring per loop, sends from the write queue. `Watch()`
// registrations, the cross-thread wakeup and the timer stay in an epoll set
// (poller_epoll_posix.cc), whose descriptor the ring polls: a watch event
// costs one epoll_wait more than on epoll, the completion path none.
//
// Raw system calls, not liburing: the ring is about 300 lines, the kernel's
// interface is a stable ABI, Debian 12's liburing (2.3) predates what this
// file uses from Linux 6.12 (incremental buffer consumption, the minimum
// wait), and a vendored or packaged net then needs no other library.
//
// Rings are set up single-issuer with deferred task work (the kernel runs
// completions only inside our io_uring_enter(), so they come in batches),
// and disabled until the first wait: the thread that first runs the loop
// becomes the ring's only submitter, whichever thread made the loop.
// Operations queued before that wait are only in our submission queue;
// cancelling one there turns it into a no-op (below), so a socket closed
// before its loop ever ran is closed at once, and no queued operation can
// reach a later socket given the same descriptor number.

#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "net/status_macros.h"
#include "platform/fault.h"
#include "platform/posix/poller_posix.h"
#include "platform/posix/posix_internal.h"

namespace net::sys::posix {
namespace {

// From Linux 6.12, newer than Debian 12's headers (6.1).
constexpr std::uint32_t kCqeBufMore = 1u << 4;     // IORING_CQE_F_BUF_MORE
constexpr std::uint16_t kPbufRingInc = 2;          // IOU_PBUF_RING_INC
constexpr std::uint32_t kFeatMinTimeout = 1u << 15;  // IORING_FEAT_MIN_TIMEOUT

// Batched waiting (6.12+, IORING_FEAT_MIN_TIMEOUT): with many sockets on
// completions, a blocking wait asks for up to kBatchMax completions (one
// for each kBatchPer of them) but waits for them at most kMinWaitUs, then
// returns with what has come (at least one). One wakeup then handles a
// batch instead of one completion; the added latency is bounded by
// kMinWaitUs, and nothing is added with fewer than 2 * kBatchPer sockets.
// Below 6.12 a wait returns at the first completion (DEFER_TASKRUN still
// batches whatever completed meanwhile). Off: measured here on a quiet
// machine (docs/io-uring.md, "Batched waiting") it neither saved nor cost
// server CPU per round trip; DEFER_TASKRUN's batches already amortize the
// wait.
constexpr bool kBatchedWaits = false;
constexpr unsigned kBatchPer = 8;
constexpr unsigned kBatchMax = 32;
constexpr unsigned kMinWaitUs = 10;

int SysSetup(unsigned entries, io_uring_params* params) {
  return static_cast<int>(syscall(__NR_io_uring_setup, entries, params));
}
int SysEnter(int fd, unsigned submit, unsigned min_complete, unsigned flags,
             const void* arg, std::size_t arg_size) {
  return static_cast<int>(syscall(__NR_io_uring_enter, fd, submit,
                                  min_complete, flags, arg, arg_size));
}
int SysRegister(int fd, unsigned op, const void* arg, unsigned count) {
  return static_cast<int>(syscall(__NR_io_uring_register, fd, op, arg, count));
}

template <typename T>
T LoadAcquire(const T* p) {
  return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
template <typename T>
void StoreRelease(T* p, T v) {
  __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

// user_data: a handler's address (8-aligned: it has a vtable) with the
// operation in the low bits, or one of these.
constexpr std::uint64_t kIgnoreTag = 0;  // cancellations, no-ops
constexpr std::uint64_t kEpollTag = 8;   // the poll on the epoll set
constexpr std::uint64_t kOpMask = 7;

std::uint64_t Tag(CompletionHandler* handler, CompletionOp op) {
  return reinterpret_cast<std::uintptr_t>(handler) |
         static_cast<std::uint64_t>(op);
}

// Queue sizes. Completions are copied out of the ring after every wait, so
// the completion queue only has to hold one wait's worth: a multishot
// receive per connection plus sends (it never drops: IORING_FEAT_NODROP
// keeps an overflow in the kernel).
constexpr unsigned kSubmitEntries = 2048;
constexpr unsigned kCompleteEntries = 16384;

// The buffer ring. With incremental consumption (6.12) a receive takes only
// the bytes it got from the current buffer, so a few large buffers serve
// thousands of small receives; before, each receive takes a whole buffer,
// so there are many small ones (a wait's receives must find one each).
// Not all of them are in the ring at once (AdaptRing()): the kernel fills
// them in ring order, so what is in the ring is the memory every receive
// cycles through. At most half of them are held by sends (Hold()).
struct BufferPlan {
  unsigned count;  // a power of two
  unsigned size;
  bool incremental;
};
constexpr BufferPlan kIncremental = {32, 64 * 1024, true};
constexpr BufferPlan kWhole = {2048, 4 * 1024, false};
constexpr std::uint16_t kBufferGroup = 0;
constexpr std::uint32_t kReceiveMax = 64 * 1024;  // as a readiness read (kReadChunk)

absl::Status UringError(const char* what) {
  return Fail(what);
}

// The kernel.io_uring_disabled sysctl (6.6+): 0, 1 (only a group may) or 2.
int DisabledSysctl() {
  const int fd = open("/proc/sys/kernel/io_uring_disabled", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[8] = {};
  const ssize_t n = read(fd, text, sizeof(text) - 1);
  close(fd);
  return n > 0 ? text[0] - '0' : 0;
}

// One pending completion, copied out of the ring (or made here for an
// operation cancelled before it was submitted).
struct Pending {
  std::uint64_t user_data;
  std::int32_t result;
  std::uint32_t flags;
  bool made = false;  // made here, not by the kernel
};

class UringPoller final : public Poller, public CompletionIo {
 public:
  ~UringPoller() override {
    // Whatever is still in flight is cancelled now, so that no accept
    // completes after the last look below; sockets accepted for nobody are
    // closed; orphans are freed. Closing the ring then drops its
    // references to sockets.
    if (enabled_) {
      io_uring_sqe* sqe = NewSqe();
      if (sqe != nullptr) {
        sqe->opcode = IORING_OP_ASYNC_CANCEL;
        sqe->cancel_flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL;
        sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
        sqe->user_data = kIgnoreTag;
      }
      SubmitNow();
      std::vector<PollEvent> ignored;
      Reap(&ignored);
    }
#if NET_HAS_FAULT_INJECTION
    for (auto& [handler, held] : held_accepts_) {
      for (int fd : held.fds) close(fd);
    }
#endif
    for (const Pending& p : pending_) {
      if ((p.user_data & kOpMask) ==
              static_cast<std::uint64_t>(CompletionOp::kAccept) &&
          p.result >= 0) {
        close(p.result);
      }
    }
    const std::vector<CompletionHandler*> orphans(orphans_.begin(),
                                                  orphans_.end());
    for (CompletionHandler* orphan : orphans) orphan->Abandon();
    if (sqes_ != nullptr) munmap(sqes_, sqes_bytes_);
    if (cq_map_ != nullptr && cq_map_ != sq_map_) munmap(cq_map_, cq_bytes_);
    if (sq_map_ != nullptr) munmap(sq_map_, sq_bytes_);
    if (ring_fd_ >= 0) close(ring_fd_);
    if (buf_ring_ != nullptr) munmap(buf_ring_, buf_ring_bytes_);
    if (buffers_ != nullptr) munmap(buffers_, buffers_bytes_);
  }

  // Sets the ring up; `faultable`: through the fault-injection hook.
  absl::Status Init(bool faultable) {
    NET_ASSIGN_OR_RETURN(epoll_, NewEpollSet());
    io_uring_params p{};
    p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL |
              IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
              IORING_SETUP_R_DISABLED;
    p.cq_entries = kCompleteEntries;
    ring_fd_ = faultable ? NET_FAULT(kPollerCreate, kInvalidHandle, -1,
                                     SysSetup(kSubmitEntries, &p))
                         : SysSetup(kSubmitEntries, &p);
    if (ring_fd_ < 0) {
      const int e = errno;
      if (e == ENOSYS) {
        return absl::UnimplementedError(
            "io_uring: not in this kernel (io_uring_setup: ENOSYS)");
      }
      if (e == EPERM && DisabledSysctl() != 0) {
        return absl::UnimplementedError(absl::StrCat(
            "io_uring: disabled by the kernel.io_uring_disabled sysctl (",
            DisabledSysctl(), ")"));
      }
      if (e == EPERM) {
        return absl::UnimplementedError(
            "io_uring: io_uring_setup is not permitted here (a seccomp "
            "filter or a container's policy)");
      }
      if (e == EINVAL) {
        return absl::UnimplementedError(
            "io_uring: the kernel lacks IORING_SETUP_DEFER_TASKRUN (Linux "
            "6.1)");
      }
      errno = e;
      return UringError("io_uring_setup");
    }
    features_ = p.features;
    if ((p.features & IORING_FEAT_NODROP) == 0 ||
        (p.features & IORING_FEAT_EXT_ARG) == 0) {
      return absl::UnimplementedError(
          "io_uring: the kernel lacks IORING_FEAT_NODROP or EXT_ARG");
    }
    sq_bytes_ = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    cq_bytes_ = p.cq_off.cqes + p.cq_entries * sizeof(io_uring_cqe);
    const bool single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
    if (single) sq_bytes_ = cq_bytes_ = std::max(sq_bytes_, cq_bytes_);
    sq_map_ = Map(sq_bytes_, IORING_OFF_SQ_RING);
    if (sq_map_ == nullptr) return UringError("mmap io_uring SQ");
    cq_map_ = single ? sq_map_ : Map(cq_bytes_, IORING_OFF_CQ_RING);
    if (cq_map_ == nullptr) return UringError("mmap io_uring CQ");
    sqes_bytes_ = p.sq_entries * sizeof(io_uring_sqe);
    sqes_ = static_cast<io_uring_sqe*>(Map(sqes_bytes_, IORING_OFF_SQES));
    if (sqes_ == nullptr) return UringError("mmap io_uring SQEs");
    char* sq = static_cast<char*>(sq_map_);
    char* cq = static_cast<char*>(cq_map_);
    sq_head_ = reinterpret_cast<unsigned*>(sq + p.sq_off.head);
    sq_tail_ = reinterpret_cast<unsigned*>(sq + p.sq_off.tail);
    sq_flags_ = reinterpret_cast<unsigned*>(sq + p.sq_off.flags);
    sq_mask_ = *reinterpret_cast<unsigned*>(sq + p.sq_off.ring_mask);
    sq_entries_ = p.sq_entries;
    unsigned* array = reinterpret_cast<unsigned*>(sq + p.sq_off.array);
    for (unsigned i = 0; i < p.sq_entries; ++i) array[i] = i;
    cq_head_ = reinterpret_cast<unsigned*>(cq + p.cq_off.head);
    cq_tail_ = reinterpret_cast<unsigned*>(cq + p.cq_off.tail);
    cq_mask_ = *reinterpret_cast<unsigned*>(cq + p.cq_off.ring_mask);
    cqes_ = reinterpret_cast<io_uring_cqe*>(cq + p.cq_off.cqes);
    local_tail_ = *sq_tail_;
    NET_RETURN_IF_ERROR(CheckOpcodes());
    absl::Status buffers = SetUpBuffers(kIncremental);
    if (!buffers.ok()) buffers = SetUpBuffers(kWhole);
    if (!buffers.ok()) {
      return absl::UnimplementedError(absl::StrCat(
          "io_uring: no provided-buffer ring (Linux 5.19): ",
          buffers.message()));
    }
    pending_.reserve(1024);
    return absl::OkStatus();
  }

  // --- Poller: watches go to the epoll set --------------------------------

  absl::Status Add(Handle handle, std::uint64_t token,
                   Interest interest) override {
    return epoll_->Add(handle, token, interest);
  }
  absl::Status Modify(Handle handle, std::uint64_t token,
                      Interest interest) override {
    return epoll_->Modify(handle, token, interest);
  }
  absl::Status Remove(Handle handle) override { return epoll_->Remove(handle); }
  absl::Status Forget(Handle handle) override { return epoll_->Forget(handle); }
  void Wake() override { epoll_->Wake(); }
  bool DeadlineMayHavePassed() const override {
    return epoll_->DeadlineMayHavePassed();
  }

  absl::Status Wait(absl::Duration timeout,
                    std::vector<PollEvent>* events) override {
    if (timeout == absl::InfiniteDuration()) {
      return WaitUntil(MonotonicTime::max(), events);
    }
    return WaitUntil(std::chrono::steady_clock::now() +
                         absl::ToChronoNanoseconds(timeout),
                     events);
  }

  absl::Status WaitUntil(MonotonicTime deadline,
                         std::vector<PollEvent>* events) override {
    if (enabled_ && std::this_thread::get_id() != issuer_) {
      // The kernel would refuse (EEXIST) after we had changed the queues.
      return absl::FailedPreconditionError(
          "io_uring: this event loop runs on the thread that first ran it "
          "(the ring has one submitter: IORING_SETUP_SINGLE_ISSUER); run it "
          "there, or choose another backend");
    }
    bool block = true;
    bool timed = false;
    absl::StatusOr<bool> armed = epoll_->ArmDeadline(deadline);
    if (armed.ok()) {
      block = *armed;
    } else if (deadline != MonotonicTime::max()) {
      timed = true;  // no timerfd: the wait carries the timeout
    }
    RunSubmitHooks();
    if (!poll_armed_) ArmEpollPoll();
    // Completions already here (made for an operation cancelled before it
    // was submitted) must not wait for more.
    if (!pending_.empty()) block = false;
    PublishBuffers();
    absl::Status entered = EnterAndWait(block, timed, deadline);
    in_iteration_ = true;
    Reap(events);
    return entered;
  }

  CompletionIo* completions() override { return this; }

  int DispatchCompletions() override {
    int ran = 0;
    // Handlers may cancel (appending made completions) while this runs:
    // indexes, not iterators.
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      const Pending p = pending_[i];
      CompletionHandler* handler =
          reinterpret_cast<CompletionHandler*>(p.user_data & ~kOpMask);
      const auto op = static_cast<CompletionOp>(p.user_data & kOpMask);
#if NET_HAS_FAULT_INJECTION
      if (op == CompletionOp::kAccept && HoldAccept(handler, p)) continue;
#endif
      Completion c;
      c.result = p.result;
      c.more = (p.flags & IORING_CQE_F_MORE) != 0;
      int buffer = -1;
      bool finished = true;
      if ((p.flags & IORING_CQE_F_BUFFER) != 0) {
        buffer = static_cast<int>(p.flags >> IORING_CQE_BUFFER_SHIFT);
        c.data = BufferAt(buffer) + offsets_[buffer];
        if (plan_.incremental) {
          finished = (p.flags & kCqeBufMore) == 0;
          if (p.result > 0) offsets_[buffer] += static_cast<unsigned>(p.result);
        }
      }
      // The kernel's meaning, before a fault injected in its place.
      c.cancelled = c.result == -ECANCELED;
      c.no_buffers = c.result == -ENOBUFS;
      if (c.no_buffers) {
        ++buffer_exhaustions_;
        ring_ran_dry_ = true;
      }
      InjectFault(handler, op, &c);
      c.would_block = c.result == -EAGAIN || c.result == -EWOULDBLOCK;
      handler->OnComplete(op, c);
      if (buffer >= 0 && finished) {
        --in_ring_;
        ++finished_;
        if (holds_[buffer] > 0) {
          recycle_due_[buffer] = true;  // at its last Release()
        } else {
          Recycle(buffer);
        }
      }
      // A cancellation's completion is bookkeeping: no user code ran for
      // it (a paused connection's loop reports that nothing ran).
      if (!c.cancelled) ++ran;
    }
    pending_.clear();
    AdaptRing();
    PublishBuffers();
    return ran;
  }

  // --- CompletionIo ----------------------------------------------------------

  void Accept(CompletionHandler* handler, bool nonblocking) override {
#if NET_HAS_FAULT_INJECTION
    // As a failed accept4(): the error, and the connections stay in the
    // backlog.
    if (NET_FAULT_FIRES(kAccept, handler->handle)) {
      return Made(Tag(handler, CompletionOp::kAccept), -LastError());
    }
    if (ResumeHeldAccepts(handler)) return;
#endif
    io_uring_sqe* sqe = NewSqe();
    if (sqe == nullptr) return Made(Tag(handler, CompletionOp::kAccept), -EBUSY);
    sqe->opcode = IORING_OP_ACCEPT;
    sqe->fd = handler->handle;
    sqe->ioprio = IORING_ACCEPT_MULTISHOT;
    sqe->accept_flags = SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
    sqe->user_data = Tag(handler, CompletionOp::kAccept);
  }

  void Receive(CompletionHandler* handler) override {
    io_uring_sqe* sqe = NewSqe();
    if (sqe == nullptr) return Made(Tag(handler, CompletionOp::kReceive), -EBUSY);
    sqe->opcode = IORING_OP_RECV;
    sqe->fd = handler->handle;
    sqe->ioprio = IORING_RECV_MULTISHOT;
    sqe->flags = IOSQE_BUFFER_SELECT;
    // At most this much per completion: the kernel retries a multishot
    // receive up to 32 times per wakeup, so this bounds what one wakeup
    // takes from one connection (and what it takes past a pause or the
    // read high-water mark).
    sqe->len = kReceiveMax;
    sqe->buf_group = kBufferGroup;
    sqe->user_data = Tag(handler, CompletionOp::kReceive);
  }

  void Send(CompletionHandler* handler,
            absl::Span<const absl::Span<const char>> data,
            SendStorage* storage) override {
#if NET_HAS_FAULT_INJECTION
    // A send fails before it is made, as the system call would: made to
    // fail at its completion, it would already have sent its bytes.
    if (NET_FAULT_FIRES(kSend, handler->handle)) {
      return Made(Tag(handler, CompletionOp::kSend), -LastError());
    }
#endif
    io_uring_sqe* sqe = NewSqe();
    if (sqe == nullptr) return Made(Tag(handler, CompletionOp::kSend), -EBUSY);
    sqe->fd = handler->handle;
    sqe->msg_flags = MSG_NOSIGNAL;
    sqe->user_data = Tag(handler, CompletionOp::kSend);
    if (data.size() == 1) {
      sqe->opcode = IORING_OP_SEND;
      sqe->addr = reinterpret_cast<std::uintptr_t>(data[0].data());
      sqe->len = static_cast<std::uint32_t>(data[0].size());
      return;
    }
    static_assert(sizeof(iovec) * SendStorage::kMaxVectors + sizeof(msghdr) <=
                  sizeof(SendStorage::native));
    iovec* vectors = reinterpret_cast<iovec*>(storage->native);
    msghdr* message = reinterpret_cast<msghdr*>(
        storage->native + sizeof(iovec) * SendStorage::kMaxVectors);
    const std::size_t count = std::min(data.size(), SendStorage::kMaxVectors);
    for (std::size_t i = 0; i < count; ++i) {
      vectors[i].iov_base = const_cast<char*>(data[i].data());
      vectors[i].iov_len = data[i].size();
    }
    std::memset(message, 0, sizeof(*message));
    message->msg_iov = vectors;
    message->msg_iovlen = count;
    sqe->opcode = IORING_OP_SENDMSG;
    sqe->addr = reinterpret_cast<std::uintptr_t>(message);
    sqe->len = 1;
  }

  void Cancel(CompletionHandler* handler, CompletionOp op) override {
    const std::uint64_t tag = Tag(handler, op);
#if NET_HAS_FAULT_INJECTION
    if (op == CompletionOp::kAccept && ForgetHeldAccepts(handler)) return;
#endif
    // Still in our queue, not yet seen by the kernel: make it a no-op and
    // its last completion here.
    const unsigned kernel_head = LoadAcquire(sq_head_);
    for (unsigned i = kernel_head; i != local_tail_; ++i) {
      io_uring_sqe& queued = sqes_[i & sq_mask_];
      if (queued.user_data != tag) continue;
      std::memset(&queued, 0, sizeof(queued));
      queued.opcode = IORING_OP_NOP;
      queued.flags = IOSQE_CQE_SKIP_SUCCESS;
      queued.user_data = kIgnoreTag;
      return Made(tag, -ECANCELED);
    }
    io_uring_sqe* sqe = NewSqe();
    if (sqe == nullptr) return;  // the ring's close cancels it
    sqe->opcode = IORING_OP_ASYNC_CANCEL;
    sqe->addr = tag;
    sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
    sqe->user_data = kIgnoreTag;
  }

  bool InIteration() const override { return in_iteration_; }
  std::uint64_t buffer_exhaustions() const override {
    return buffer_exhaustions_;
  }
  int Hold(absl::string_view data) override {
    if (buffers_ == nullptr || data.empty()) return -1;
    const auto begin = reinterpret_cast<std::uintptr_t>(data.data());
    const auto base = reinterpret_cast<std::uintptr_t>(buffers_);
    if (begin < base || begin - base + data.size() > buffers_bytes_) return -1;
    const std::size_t id = (begin - base) / plan_.size;
    if ((begin - base + data.size() - 1) / plan_.size != id) return -1;
    if (holds_[id] == 0) {
      if (held_buffers_ >= plan_.count / 2) return -1;
      ++held_buffers_;
    }
    ++holds_[id];
    return static_cast<int>(id);
  }
  void Release(int hold) override {
    if (--holds_[hold] > 0) return;
    --held_buffers_;
    if (recycle_due_[hold]) {
      recycle_due_[hold] = false;
      Recycle(hold);  // published with the next wait
    }
  }
  std::size_t held_buffers() const override { return held_buffers_; }
  std::size_t buffer_count() const override { return plan_.count; }
  void Orphan(CompletionHandler* handler) override {
    orphans_.insert(handler);
  }
  void Unorphan(CompletionHandler* handler) override {
    orphans_.erase(handler);
  }
  void Attach() override { ++attached_; }
  void Detach() override { --attached_; }
  std::size_t registrations() const override { return attached_; }
  void EndIteration() override { in_iteration_ = false; }

  void SubmitLater(CompletionHandler* handler) override {
    later_.push_back(handler);
  }

  void SubmitNow() override {
    // Before the first wait nothing was submitted, so the kernel holds no
    // reference to anything yet.
    if (!enabled_) return;
    PublishBuffers();
    StoreRelease(sq_tail_, local_tail_);
    const unsigned to_submit = Unsubmitted();
    // GETEVENTS with no minimum runs the deferred work (a cancelled
    // operation lets go of its socket) without waiting.
    while (SysEnter(ring_fd_, to_submit, 0, IORING_ENTER_GETEVENTS, nullptr,
                    0) < 0 &&
           errno == EINTR) {
    }
  }

 private:
  void* Map(std::size_t bytes, off_t offset) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_POPULATE, ring_fd_, offset);
    return p == MAP_FAILED ? nullptr : p;
  }

  // Every operation this file submits must be there.
  absl::Status CheckOpcodes() {
    constexpr int kOps = 64;
    std::vector<unsigned char> space(sizeof(io_uring_probe) +
                                     kOps * sizeof(io_uring_probe_op));
    auto* probe = reinterpret_cast<io_uring_probe*>(space.data());
    if (SysRegister(ring_fd_, IORING_REGISTER_PROBE, probe, kOps) < 0) {
      return UringError("io_uring_register probe");
    }
    const struct {
      int op;
      const char* name;
    } needed[] = {{IORING_OP_ACCEPT, "ACCEPT"},   {IORING_OP_RECV, "RECV"},
                  {IORING_OP_SEND, "SEND"},       {IORING_OP_SENDMSG, "SENDMSG"},
                  {IORING_OP_POLL_ADD, "POLL_ADD"},
                  {IORING_OP_ASYNC_CANCEL, "ASYNC_CANCEL"},
                  {IORING_OP_NOP, "NOP"}};
    for (const auto& n : needed) {
      if (n.op > probe->last_op ||
          (probe->ops[n.op].flags & IO_URING_OP_SUPPORTED) == 0) {
        return absl::UnimplementedError(
            absl::StrCat("io_uring: the kernel lacks IORING_OP_", n.name));
      }
    }
    return absl::OkStatus();
  }

  absl::Status SetUpBuffers(const BufferPlan& plan) {
    const std::size_t ring_bytes = plan.count * sizeof(io_uring_buf);
    void* ring = mmap(nullptr, ring_bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ring == MAP_FAILED) return UringError("mmap buffer ring");
    io_uring_buf_reg reg{};
    reg.ring_addr = reinterpret_cast<std::uintptr_t>(ring);
    reg.ring_entries = plan.count;
    reg.bgid = kBufferGroup;
    reg.pad = plan.incremental ? kPbufRingInc : 0;  // `flags` since 6.12
    if (SysRegister(ring_fd_, IORING_REGISTER_PBUF_RING, &reg, 1) < 0) {
      absl::Status failed = UringError("io_uring_register PBUF_RING");
      munmap(ring, ring_bytes);
      return failed;
    }
    // The buffers themselves: touched only as receives use them.
    const std::size_t bytes = std::size_t{plan.count} * plan.size;
    void* buffers = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buffers == MAP_FAILED) {
      absl::Status failed = UringError("mmap buffers");
      SysRegister(ring_fd_, IORING_UNREGISTER_PBUF_RING, &reg, 1);
      munmap(ring, ring_bytes);
      return failed;
    }
    plan_ = plan;
    buf_ring_ = static_cast<io_uring_buf*>(ring);
    buf_ring_bytes_ = ring_bytes;
    buffers_ = static_cast<char*>(buffers);
    buffers_bytes_ = bytes;
    offsets_.assign(plan.count, 0);
    holds_.assign(plan.count, 0);
    recycle_due_.assign(plan.count, false);
    spare_.clear();
    for (unsigned id = plan.count; id-- > 0;) Recycle(static_cast<int>(id));
    in_ring_ = 0;
    in_ring_target_ = std::max(2u, plan.count / 4);
    PublishBuffers();
    return absl::OkStatus();
  }

  char* BufferAt(int id) const {
    return buffers_ + static_cast<std::size_t>(id) * plan_.size;
  }

  // Buffer `id` is ours again (the kernel finished it, no send reads it):
  // on the spare stack, to go back into the ring when PublishBuffers()
  // tops it up.
  void Recycle(int id) {
    offsets_[id] = 0;
    spare_.push_back(static_cast<std::uint16_t>(id));
  }
  // The kernel takes buffers in ring order, so every buffer in the ring is
  // memory the receives cycle through: the ring holds a quarter of them
  // (8 x 64 KiB, in cache) unless more are needed, refilled from the top of
  // the spare stack (the buffers given back last). A receive that found the
  // ring empty doubles what it holds; an iteration that finished fewer than
  // half of them lowers it by one, down to the quarter.
  void AdaptRing() {
    const unsigned floor = std::max(2u, plan_.count / 4);
    if (ring_ran_dry_) {
      in_ring_target_ = std::min(plan_.count, 2 * in_ring_target_);
    } else if (2 * finished_ < in_ring_target_ && in_ring_target_ > floor) {
      --in_ring_target_;
    }
    ring_ran_dry_ = false;
    finished_ = 0;
  }
  void PublishBuffers() {
    if (buf_ring_ == nullptr) return;
    while (in_ring_ < in_ring_target_ && !spare_.empty()) {
      const int id = spare_.back();
      spare_.pop_back();
      io_uring_buf& b = buf_ring_[buf_tail_ & (plan_.count - 1)];
      b.addr = reinterpret_cast<std::uintptr_t>(BufferAt(id));
      b.len = plan_.size;
      b.bid = static_cast<std::uint16_t>(id);
      ++buf_tail_;
      ++in_ring_;
    }
    StoreRelease(&buf_ring_[0].resv, buf_tail_);
  }

  unsigned Unsubmitted() const {
    return local_tail_ - LoadAcquire(sq_head_);
  }

  // The next free submission entry, zeroed; null only if the queue is full
  // and cannot be submitted.
  io_uring_sqe* NewSqe() {
    if (Unsubmitted() >= sq_entries_) {
      // Full: submit now (enabling the ring from this thread if the loop
      // never ran: it is the loop's thread by the loop's rules).
      if (!enabled_ && !Enable().ok()) return nullptr;
      StoreRelease(sq_tail_, local_tail_);
      if (SysEnter(ring_fd_, Unsubmitted(), 0, 0, nullptr, 0) < 0 ||
          Unsubmitted() >= sq_entries_) {
        return nullptr;
      }
    }
    io_uring_sqe* sqe = &sqes_[local_tail_ & sq_mask_];
    ++local_tail_;
    std::memset(sqe, 0, sizeof(*sqe));
    return sqe;
  }

  // A completion made here, dispatched with the ring's.
  void Made(std::uint64_t tag, std::int32_t result) {
    pending_.push_back(Pending{tag, result, 0, /*made=*/true});
  }

  // The handlers that asked to add to this submission. A hook may ask
  // again (for the next one).
  void RunSubmitHooks() {
    if (later_.empty()) return;
    running_later_.swap(later_);
    for (CompletionHandler* handler : running_later_) handler->OnSubmit();
    running_later_.clear();
  }

#if NET_HAS_FAULT_INJECTION
  // A fault injected into an accept the kernel had made (see InjectFault()).
  struct HeldAccepts {
    std::vector<int> fds;      // accepted, not yet handed over
    bool ghost = false;        // the handler was told its accept ended
    bool kernel_armed = false;  // ... but the kernel's goes on
    bool dead = false;         // the handler is gone: close what comes
  };

  // A completion for a handler whose accept "failed": held, not delivered.
  bool HoldAccept(CompletionHandler* handler, const Pending& p) {
    auto it = held_accepts_.find(handler);
    if (p.made || it == held_accepts_.end() || !it->second.ghost) {
      return false;
    }
    HeldAccepts& held = it->second;
    if (p.result >= 0) {
      if (held.dead) {
        close(p.result);
      } else {
        held.fds.push_back(p.result);
      }
    }
    if ((p.flags & IORING_CQE_F_MORE) == 0) {
      held.kernel_armed = false;
      if (held.dead) held_accepts_.erase(it);
    }
    return true;
  }

  // The handler accepts again: what was held first, then the kernel's
  // accept if it still runs, else a new one. True if no new one is needed.
  bool ResumeHeldAccepts(CompletionHandler* handler) {
    auto it = held_accepts_.find(handler);
    if (it == held_accepts_.end() || it->second.dead) return false;
    HeldAccepts held = std::move(it->second);
    held_accepts_.erase(it);
    const std::uint64_t tag = Tag(handler, CompletionOp::kAccept);
    for (int fd : held.fds) {
      pending_.push_back(Pending{tag, fd, IORING_CQE_F_MORE, /*made=*/true});
    }
    if (held.kernel_armed) return true;
    return false;
  }

  // The handler goes away: close what was held; the kernel's accept, if it
  // runs, is cancelled and what it still brings closed.
  bool ForgetHeldAccepts(CompletionHandler* handler) {
    auto it = held_accepts_.find(handler);
    if (it == held_accepts_.end() || !it->second.ghost) return false;
    HeldAccepts& held = it->second;
    for (int fd : held.fds) close(fd);
    held.fds.clear();
    if (!held.kernel_armed) {
      held_accepts_.erase(it);
      return true;
    }
    held.dead = true;
    io_uring_sqe* sqe = NewSqe();
    if (sqe != nullptr) {
      sqe->opcode = IORING_OP_ASYNC_CANCEL;
      sqe->addr = Tag(handler, CompletionOp::kAccept);
      sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
      sqe->user_data = kIgnoreTag;
    }
    return true;
  }

  absl::flat_hash_map<CompletionHandler*, HeldAccepts> held_accepts_;
#endif

  void ArmEpollPoll() {
    io_uring_sqe* sqe = NewSqe();
    if (sqe == nullptr) return;
    // One-shot, re-armed after each report: a poll armed on a set that
    // still has level-triggered events ready completes at once, so the set
    // keeps epoll's level-triggered meaning (a multishot poll would only
    // hear of new events).
    sqe->opcode = IORING_OP_POLL_ADD;
    sqe->fd = epoll_->fd();
    sqe->poll32_events = POLLIN;
    sqe->user_data = kEpollTag;
    poll_armed_ = true;
  }

  absl::Status Enable() {
    if (SysRegister(ring_fd_, IORING_REGISTER_ENABLE_RINGS, nullptr, 0) < 0) {
      return UringError("io_uring_register ENABLE_RINGS");
    }
    enabled_ = true;
    issuer_ = std::this_thread::get_id();
    return absl::OkStatus();
  }

  absl::Status EnterAndWait(bool block, bool timed, MonotonicTime deadline) {
    if (!enabled_) NET_RETURN_IF_ERROR(Enable());
    StoreRelease(sq_tail_, local_tail_);
    io_uring_getevents_arg arg{};
    __kernel_timespec ts{};
    unsigned flags = IORING_ENTER_GETEVENTS;
    unsigned want = block ? 1 : 0;
    if (kBatchedWaits && block && (features_ & kFeatMinTimeout) != 0 &&
        attached_ >= 2 * kBatchPer) {
      want = std::min<unsigned>(kBatchMax,
                                static_cast<unsigned>(attached_ / kBatchPer));
      arg.pad = kMinWaitUs;  // `min_wait_usec` since 6.12
      flags |= IORING_ENTER_EXT_ARG;
    }
    if (timed && block) {
      const auto left = deadline - std::chrono::steady_clock::now();
      const auto ns = std::max<std::int64_t>(
          0, std::chrono::duration_cast<std::chrono::nanoseconds>(left).count());
      ts.tv_sec = ns / 1000000000;
      ts.tv_nsec = ns % 1000000000;
      arg.ts = reinterpret_cast<std::uintptr_t>(&ts);
      flags |= IORING_ENTER_EXT_ARG;
    }
    const int rc = NET_FAULT(
        kPollerWait, kInvalidHandle, -1,
        SysEnter(ring_fd_, Unsubmitted(), want, flags,
                 (flags & IORING_ENTER_EXT_ARG) != 0 ? &arg : nullptr,
                 (flags & IORING_ENTER_EXT_ARG) != 0 ? sizeof(arg) : 0));
    if (rc < 0 && errno != EINTR && errno != ETIME && errno != EAGAIN &&
        errno != EBUSY) {
      return UringError("io_uring_enter");
    }
    return absl::OkStatus();
  }

  // Copies the completions out of the ring (the epoll set's report into
  // `events`), so the ring has room again before any handler runs.
  void Reap(std::vector<PollEvent>* events) {
    for (;;) {
      unsigned head = *cq_head_;
      const unsigned tail = LoadAcquire(cq_tail_);
      for (; head != tail; ++head) {
        const io_uring_cqe& c = cqes_[head & cq_mask_];
        if (c.user_data == kIgnoreTag) continue;
          if (c.user_data == kEpollTag) {
          poll_armed_ = false;
          epoll_->CollectReady(events).IgnoreError();
          continue;
        }
        pending_.push_back(Pending{c.user_data, c.res, c.flags});
      }
      StoreRelease(cq_head_, head);
      // Completions the kernel kept aside while the queue was full come
      // with the next enter: get them now.
      if ((LoadAcquire(sq_flags_) & IORING_SQ_CQ_OVERFLOW) == 0) break;
      SysEnter(ring_fd_, 0, 0, IORING_ENTER_GETEVENTS, nullptr, 0);
    }
  }

  void InjectFault(CompletionHandler* handler, CompletionOp op,
                   Completion* c) {
#if NET_HAS_FAULT_INJECTION
    switch (op) {
      case CompletionOp::kAccept:
        if (c->result >= 0 && NET_FAULT_FIRES(kAccept, handler->handle)) {
          // The kernel accepted already: the connection is held back (as
          // if still in the backlog) and the handler told the accept
          // failed and ended. Its next Accept() gets the held ones first
          // (ResumeHeldAccepts()).
          HeldAccepts& held = held_accepts_[handler];
          held.fds.push_back(c->result);
          held.ghost = true;
          held.kernel_armed = c->more;
          c->result = -LastError();
          c->more = false;
        } else if (c->result >= 0 &&
            NET_FAULT_FIRES(kAcceptNoPeer, handler->handle)) {
          // No peer to report: closed, and the next one taken.
          close(c->result);
          c->result = -ECONNABORTED;
        }
        break;
      case CompletionOp::kReceive:
        if (c->result > 0 && NET_FAULT_FIRES(kReceive, handler->handle)) {
          c->result = -LastError();
        }
        break;
      case CompletionOp::kSend:  // at submission (Send())
        break;
    }
#else
    (void)handler;
    (void)op;
    (void)c;
#endif
  }

  std::unique_ptr<EpollSet> epoll_;
  int ring_fd_ = -1;
  std::uint32_t features_ = 0;
  bool enabled_ = false;
  bool poll_armed_ = false;
  bool in_iteration_ = false;
  std::size_t attached_ = 0;  // sockets on completions (Attach())
  std::uint64_t buffer_exhaustions_ = 0;
  void* sq_map_ = nullptr;
  void* cq_map_ = nullptr;
  std::size_t sq_bytes_ = 0, cq_bytes_ = 0, sqes_bytes_ = 0;
  io_uring_sqe* sqes_ = nullptr;
  unsigned* sq_head_ = nullptr;
  unsigned* sq_tail_ = nullptr;
  unsigned* sq_flags_ = nullptr;
  unsigned sq_mask_ = 0;
  unsigned sq_entries_ = 0;
  unsigned local_tail_ = 0;  // our tail: entries up to it are filled in
  unsigned* cq_head_ = nullptr;
  unsigned* cq_tail_ = nullptr;
  unsigned cq_mask_ = 0;
  io_uring_cqe* cqes_ = nullptr;

  BufferPlan plan_{};
  // The ring's entries; the first entry's `resv` is the ring's tail
  // (struct io_uring_buf_ring, not used as such: in C++ its flexible array
  // member starts 8 bytes late, after an empty struct of size 1).
  io_uring_buf* buf_ring_ = nullptr;
  std::size_t buf_ring_bytes_ = 0;
  char* buffers_ = nullptr;
  std::size_t buffers_bytes_ = 0;
  std::uint16_t buf_tail_ = 0;
  std::vector<unsigned> offsets_;  // incremental: bytes of each buffer used
  // Hold(): sends reading each buffer in place, and whether the kernel is
  // done with a held buffer (it returns to the ring at its last Release()).
  std::vector<std::uint32_t> holds_;
  std::vector<bool> recycle_due_;
  std::size_t held_buffers_ = 0;
  std::thread::id issuer_;  // the thread that enabled the ring
  // AdaptRing(): buffers ours to give (last given back on top), how many
  // are in the ring and should be, and what the iteration saw.
  std::vector<std::uint16_t> spare_;
  unsigned in_ring_ = 0;
  unsigned in_ring_target_ = 0;
  unsigned finished_ = 0;
  bool ring_ran_dry_ = false;

  std::vector<Pending> pending_;
  absl::flat_hash_set<CompletionHandler*> orphans_;
  std::vector<CompletionHandler*> later_;
  std::vector<CompletionHandler*> running_later_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> NewUringPoller() {
  NET_RETURN_IF_ERROR(IoUringSupport());
  auto poller = std::make_unique<UringPoller>();
  NET_RETURN_IF_ERROR(poller->Init(/*faultable=*/true));
  return std::unique_ptr<Poller>(std::move(poller));
}

}  // namespace net::sys::posix

namespace net::sys {

absl::Status IoUringSupport() {
  // Probed once: a ring made and closed, outside the fault-injection hook.
  static const absl::Status* const support = [] {
    posix::UringPoller probe;
    return new absl::Status(probe.Init(/*faultable=*/false));
  }();
  return *support;
}

}  // namespace net::sys
