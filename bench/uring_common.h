// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: bench/uring_common.h
// -----------------------------------------------------------------------------
//
// What the io_uring programs of bench/ share (issue 19): bench/echo_uring
// (the hand-written io_uring echo server, the anchor) and `load --io-uring`
// (the load generator's io_uring mode). Both on liburing 2.3 (Debian's
// liburing-dev), included only where CMake found it (BENCH_HAVE_LIBURING).
//
//   * `Ring`: one ring, set up with IORING_SETUP_SINGLE_ISSUER |
//     IORING_SETUP_DEFER_TASKRUN (completions are run only when the one
//     thread enters the kernel to wait: no interrupts of the loop), falling
//     back to COOP_TASKRUN, then to no flags, when the kernel refuses them;
//     its descriptor registered (IORING_ENTER_REGISTERED_RING) where it can
//     be.
//   * `SubmitAndWait()`: one io_uring_enter per loop iteration that submits
//     what is queued and waits, batched: for `wait_nr` completions, but
//     once `min_wait_us` has passed with at least one there, no longer
//     (IORING_FEAT_MIN_TIMEOUT, Linux 6.12+: a bounded extra latency, and
//     no timer wake-ups while idle). liburing 2.3 predates that field of
//     io_uring_getevents_arg (its `pad`), hence the system call by hand.
//     Without the feature, `wait_nr` completions or `timeout_ns`.
//   * `BufferRing`: a provided-buffer ring (one buffer group shared by every
//     connection of the ring) over one pool of memory faulted in at start:
//     a fixed cost per ring, no page faults while serving, nothing per
//     connection; and only as many buffers in the kernel's ring as a batch
//     needs, the most recently used first, so received data lands in
//     memory still in cache.
//
// Benchmark code: Linux only, not part of the library.

#ifndef NET_BENCH_URING_COMMON_H_
#define NET_BENCH_URING_COMMON_H_

#include <liburing.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace bench {

#ifndef IORING_FEAT_MIN_TIMEOUT
#define IORING_FEAT_MIN_TIMEOUT (1U << 15)  // Linux 6.12; not in liburing 2.3
#endif

// The buffer group of every BufferRing here.
inline constexpr unsigned kBufferGroup = 0;

// What user_data carries: the kind of operation in the top byte, the
// connection (an index or a descriptor) below.
enum class Op : std::uint8_t { kAccept = 1, kRecv, kSend, kIgnore };
inline std::uint64_t Tag(Op op, std::uint32_t who) {
  return (static_cast<std::uint64_t>(op) << 56) | who;
}
inline Op TagOp(std::uint64_t tag) { return static_cast<Op>(tag >> 56); }
inline std::uint32_t TagWho(std::uint64_t tag) {
  return static_cast<std::uint32_t>(tag);
}

struct Ring {
  io_uring ring{};
  unsigned setup_flags = 0;    // the IORING_SETUP_* flags it got
  bool min_wait = false;       // IORING_FEAT_MIN_TIMEOUT
  bool skip_success = false;   // IORING_FEAT_CQE_SKIP
  bool registered = false;     // its descriptor registered

  // "defer_taskrun", "coop_taskrun" or "plain", for the output.
  const char* Mode() const {
    if (setup_flags & IORING_SETUP_DEFER_TASKRUN) return "defer_taskrun";
    if (setup_flags & IORING_SETUP_COOP_TASKRUN) return "coop_taskrun";
    return "plain";
  }
};

// Sets up `r` with `entries` submission and `cq_entries` completion
// entries. False with `*error` set when io_uring is missing or disabled
// (ENOSYS, EPERM: kernel.io_uring_disabled, seccomp) or lacks
// IORING_FEAT_EXT_ARG (Linux 5.11).
inline bool SetupRing(Ring* r, unsigned entries, unsigned cq_entries,
                      std::string* error) {
  const unsigned tries[] = {
      IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
      IORING_SETUP_COOP_TASKRUN, 0};
  int ret = -EINVAL;
  for (unsigned flags : tries) {
    io_uring_params p{};
    p.flags = flags | IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL;
    p.cq_entries = cq_entries;
    ret = io_uring_queue_init_params(entries, &r->ring, &p);
    if (ret == -EINVAL) {  // SUBMIT_ALL is 5.18: try without it
      p = io_uring_params{};
      p.flags = flags | IORING_SETUP_CQSIZE;
      p.cq_entries = cq_entries;
      ret = io_uring_queue_init_params(entries, &r->ring, &p);
    }
    if (ret == 0) {
      r->setup_flags = flags;
      r->min_wait = (p.features & IORING_FEAT_MIN_TIMEOUT) != 0;
      r->skip_success = (p.features & IORING_FEAT_CQE_SKIP) != 0;
      if ((p.features & IORING_FEAT_EXT_ARG) == 0) {
        io_uring_queue_exit(&r->ring);
        *error = "io_uring without IORING_FEAT_EXT_ARG (Linux < 5.11)";
        return false;
      }
      r->registered = io_uring_register_ring_fd(&r->ring) == 1;
      return true;
    }
    if (ret == -ENOSYS || ret == -EPERM || ret == -ENOMEM) break;
  }
  *error = std::string("io_uring_queue_init: ") + std::strerror(-ret);
  return false;
}

// An SQE, submitting what is queued first if the submission queue is
// full. Never null (the ring is drained by the kernel on submit).
inline io_uring_sqe* GetSqe(Ring& r) {
  io_uring_sqe* sqe = io_uring_get_sqe(&r.ring);
  while (sqe == nullptr) {
    io_uring_submit(&r.ring);
    sqe = io_uring_get_sqe(&r.ring);
  }
  return sqe;
}

// Makes the queued SQEs visible to the kernel (liburing's
// __io_uring_flush_sq, not exported); returns how many to submit.
inline unsigned FlushSq(io_uring* ring) {
  io_uring_sq* sq = &ring->sq;
  const unsigned tail = sq->sqe_tail;
  if (sq->sqe_head != tail) {
    sq->sqe_head = tail;
    io_uring_smp_store_release(sq->ktail, tail);
  }
  return tail - *sq->khead;
}

// One io_uring_enter: submits what is queued, then waits for `wait_nr`
// completions; with IORING_FEAT_MIN_TIMEOUT and `min_wait_us` > 0, once
// `min_wait_us` has passed, for one; `timeout_ns` at most in all. Returns
// 0 or -errno (-ETIME when the time ran out, -EINTR).
inline int SubmitAndWait(Ring& r, unsigned wait_nr, unsigned min_wait_us,
                         long long timeout_ns) {
  __kernel_timespec ts{};
  ts.tv_sec = timeout_ns / 1000000000LL;
  ts.tv_nsec = timeout_ns % 1000000000LL;
  io_uring_getevents_arg arg{};
  arg.sigmask = 0;
  arg.sigmask_sz = _NSIG / 8;
  arg.pad = r.min_wait ? min_wait_us : 0;  // min_wait_usec since 6.12
  arg.ts = reinterpret_cast<std::uint64_t>(&ts);
  const unsigned submit = FlushSq(&r.ring);
  unsigned flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG;
  int fd = r.ring.ring_fd;
  if (r.registered) {
    flags |= IORING_ENTER_REGISTERED_RING;
    fd = r.ring.enter_ring_fd;
  }
  const long ret = syscall(__NR_io_uring_enter, fd, submit, wait_nr, flags,
                           &arg, sizeof(arg));
  return ret < 0 ? -errno : 0;
}

// A pool of `count` provided buffers of `size` bytes each (buffer group
// kBufferGroup), of which only as many are in the kernel's ring as a
// batch of receives needs: the kernel takes buffers from its ring in order,
// so with every buffer in it each receive would land in the coldest one (a
// cache miss per line: on a 16 KiB echo, twice the CPU of the epoll loop's
// one hot buffer). Buffers handed back (Give()) go on a stack; Publish(),
// once per iteration, tops the ring up from the top of that stack (the
// most recently used, still in cache) to twice the most receives one
// batch has taken lately (at least kMinInRing), more after a receive ran
// out of buffers (NoBuffers()).
class BufferRing {
 public:
  static constexpr unsigned kMinInRing = 16;

  BufferRing() = default;
  BufferRing(const BufferRing&) = delete;
  BufferRing& operator=(const BufferRing&) = delete;

  // `count` a power of two, at most 32768. False with `*error` set.
  bool Init(io_uring* ring, unsigned count, unsigned size,
            std::string* error) {
    count_ = count;
    size_ = size;
    mask_ = io_uring_buf_ring_mask(count);
    const std::size_t ring_bytes = count * sizeof(io_uring_buf);
    void* r = mmap(nullptr, ring_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    // The buffers on 2 MiB pages where the kernel gives them (madvise:
    // transparent huge pages), fewer TLB misses.
    const std::size_t huge = std::size_t{2} << 20;
    const std::size_t data_bytes = static_cast<std::size_t>(count) * size;
    void* d = mmap(nullptr, data_bytes + huge, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED || d == MAP_FAILED) {
      *error = std::string("mmap: ") + std::strerror(errno);
      return false;
    }
    ring_ = static_cast<io_uring_buf_ring*>(r);
    data_ = reinterpret_cast<char*>(
        (reinterpret_cast<std::uintptr_t>(d) + huge - 1) & ~(huge - 1));
    madvise(data_, data_bytes, MADV_HUGEPAGE);
    std::memset(data_, 0, data_bytes);  // faulted in now, not while serving
    io_uring_buf_reg reg{};
    reg.ring_addr = reinterpret_cast<std::uint64_t>(ring_);
    reg.ring_entries = count;
    reg.bgid = kBufferGroup;
    const int ret = io_uring_register_buf_ring(ring, &reg, 0);
    if (ret != 0) {
      *error = std::string("io_uring_register_buf_ring: ") +
               std::strerror(-ret);
      return false;
    }
    io_uring_buf_ring_init(ring_);
    free_.reserve(count);
    for (unsigned bid = count; bid-- > 0;) {
      free_.push_back(static_cast<std::uint16_t>(bid));
    }
    Publish();
    return true;
  }

  unsigned size() const { return size_; }
  char* Data(unsigned bid) const {
    return data_ + static_cast<std::size_t>(bid) * size_;
  }
  // Buffer `bid` came out of the ring (a receive's completion). Call once
  // per such completion, before its Give().
  void Took(unsigned /*bid*/) {
    --in_ring_;
    ++taken_;
  }
  // Hands buffer `bid` back once its data has been used.
  void Give(unsigned bid) { free_.push_back(static_cast<std::uint16_t>(bid)); }
  // A receive found the ring empty (-ENOBUFS): keep more in it.
  void NoBuffers() { want_ = std::min<unsigned>(count_, want_ * 2); }
  // Tops the ring up (see the class comment); once per iteration.
  void Publish() {
    peak_ = std::max(taken_, peak_ - peak_ / 8);
    taken_ = 0;
    want_ = std::max(want_, std::min<unsigned>(count_, 2 * peak_));
    if (want_ > kMinInRing && want_ > 4 * peak_) want_ -= want_ / 8;
    int added = 0;
    while (in_ring_ < want_ && !free_.empty()) {
      const unsigned bid = free_.back();
      free_.pop_back();
      io_uring_buf_ring_add(ring_, Data(bid), size_,
                            static_cast<unsigned short>(bid), mask_, added++);
      ++in_ring_;
    }
    if (added > 0) io_uring_buf_ring_advance(ring_, added);
  }

 private:
  io_uring_buf_ring* ring_ = nullptr;
  char* data_ = nullptr;
  unsigned count_ = 0;
  unsigned size_ = 0;
  int mask_ = 0;
  std::vector<std::uint16_t> free_;  // not in the ring; the top is hottest
  unsigned in_ring_ = 0;
  unsigned taken_ = 0;  // receives' buffers this iteration
  unsigned peak_ = 0;   // the most taken in one iteration lately (decays)
  unsigned want_ = kMinInRing;
};

// The buffer id of a completion that used a provided buffer.
inline unsigned CqeBuffer(const io_uring_cqe* cqe) {
  return cqe->flags >> IORING_CQE_BUFFER_SHIFT;
}

// Arms a multishot receive on `fd` into the buffer group, tagged `tag`.
inline void ArmRecv(Ring& r, int fd, std::uint64_t tag) {
  io_uring_sqe* sqe = GetSqe(r);
  io_uring_prep_recv_multishot(sqe, fd, nullptr, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = kBufferGroup;
  io_uring_sqe_set_data64(sqe, tag);
}

}  // namespace bench

#endif  // NET_BENCH_URING_COMMON_H_
