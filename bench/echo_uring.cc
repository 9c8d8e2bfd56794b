// Copyright 2026 The net Authors.
//
// The io_uring anchor of bench/ (issue 19): a single-threaded echo server
// written by hand on io_uring (liburing), the way a careful engineer writes
// one when speed is all that matters. It shows what completion I/O can do on
// this machine, as bench/echo_epoll shows what readiness I/O can; the
// io_uring backend of net (examples/echo_server --backend io_uring) is
// measured against both (bench/uring_run.sh, docs/bench.md).
//
//   echo_uring [--listen ADDR:PORT] [--max-seconds N] [--wait-nr N]
//              [--min-wait-us U] [--buffers N] [--buffer-size BYTES]
//
// Same command line and output as bench/echo_epoll (the first line of
// standard output is the bound address), plus the batching and buffer
// knobs. The choices (bench/uring_common.h for the ring):
//
//   * One ring, SINGLE_ISSUER | DEFER_TASKRUN where the kernel has them.
//   * Multishot accept on the listening socket; a multishot receive per
//     connection into one provided-buffer ring shared by all connections
//     (--buffers N of --buffer-size bytes, default 1024 x 64 KiB, faulted in
//     at start): an idle connection costs one small slot in a vector indexed
//     by descriptor, and nothing in the kernel but the armed receive.
//   * Each received buffer is sent back from where it landed (no copy), one
//     send per connection in flight at a time (MSG_WAITALL: the kernel
//     finishes a partial send itself), the next buffers queued behind it in
//     order; the buffer goes back to the ring when its send completes.
//   * Backpressure: a connection with more than kMaxQueued buffers waiting
//     to be sent (a peer that does not read) has its receive cancelled
//     until they have left, so it cannot take the whole buffer ring.
//   * Batched waiting: one io_uring_enter per iteration submits everything
//     and waits for --wait-nr completions, or once --min-wait-us has passed
//     for one (IORING_FEAT_MIN_TIMEOUT, 6.12+; below that, for one). Issue
//     19 measured that waiting for one completion at a time loses to epoll.
//   * A connection ends at end of stream or an error; its descriptor is
//     closed once nothing is in flight on it (so a reused descriptor number
//     never meets a stale completion).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "common.h"
#include "uring_common.h"

namespace {

using bench::Op;
using bench::Tag;

// Buffers a connection may have waiting behind its send before its
// receive is cancelled (backpressure).
constexpr std::size_t kMaxQueued = 8;

struct Options {
  unsigned wait_nr = 32;
  unsigned min_wait_us = 10;
  int buffers = 1024;
  int buffer_size = 64 * 1024;
};

// A part of a received buffer still to be sent.
struct Piece {
  std::uint16_t bid;
  std::uint32_t offset;
  std::uint32_t length;
};

struct Conn {
  bool recv_armed = false;
  bool sending = false;      // `current` is in flight
  bool paused = false;       // receive cancelled for backpressure
  bool closing = false;      // end of stream or error: close when idle
  Piece current{};
  // What waits behind `current`, in order; null while nothing does.
  std::unique_ptr<std::deque<Piece>> waiting;

  std::size_t queued() const { return waiting ? waiting->size() : 0; }
};

class UringEcho {
 public:
  UringEcho(bench::Ring& ring, bench::BufferRing& buffers, int listen_fd)
      : r_(ring), buffers_(buffers), listen_fd_(listen_fd) {}

  void ArmAccept() {
    io_uring_sqe* sqe = bench::GetSqe(r_);
    io_uring_prep_multishot_accept(sqe, listen_fd_, nullptr, nullptr,
                                   SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, Tag(Op::kAccept, 0));
  }

  void OnCompletion(const io_uring_cqe* cqe) {
    const std::uint64_t tag = cqe->user_data;
    switch (bench::TagOp(tag)) {
      case Op::kAccept: return OnAccept(cqe);
      case Op::kRecv: return OnRecv(static_cast<int>(bench::TagWho(tag)), cqe);
      case Op::kSend: return OnSend(static_cast<int>(bench::TagWho(tag)), cqe->res);
      case Op::kIgnore: return;
    }
  }

 private:
  void OnAccept(const io_uring_cqe* cqe) {
    if ((cqe->flags & IORING_CQE_F_MORE) == 0) ArmAccept();
    const int fd = cqe->res;
    if (fd < 0) return;  // EMFILE and the like: the next one may do
    if (static_cast<std::size_t>(fd) >= conns_.size()) {
      conns_.resize(static_cast<std::size_t>(fd) * 2 + 1);
    }
    Conn& c = conns_[fd];
    c = Conn{};
    Arm(fd, c);
  }

  void Arm(int fd, Conn& c) {
    bench::ArmRecv(r_, fd, Tag(Op::kRecv, static_cast<std::uint32_t>(fd)));
    c.recv_armed = true;
  }

  void OnRecv(int fd, const io_uring_cqe* cqe) {
    Conn& c = conns_[fd];
    const bool more = (cqe->flags & IORING_CQE_F_MORE) != 0;
    if (!more) c.recv_armed = false;
    const int res = cqe->res;
    if (res > 0) {
      const unsigned bid = bench::CqeBuffer(cqe);
      buffers_.Took(bid);
      if (c.closing) {
        buffers_.Give(bid);
      } else {
        Queue(fd, c, Piece{static_cast<std::uint16_t>(bid), 0,
                           static_cast<std::uint32_t>(res)});
      }
      if (!more && !c.closing && !c.paused) Arm(fd, c);  // ended: again
    } else if (res == -ENOBUFS) {
      // The ring ran dry: the buffers come back as sends complete (and
      // are published before the next submit, so this re-arm sees them).
      buffers_.NoBuffers();
      if (!c.closing && !c.paused) Arm(fd, c);
    } else if (res == -ECANCELED && c.paused) {
      // Backpressure: armed again once the queue has drained.
    } else if (!more) {
      c.closing = true;  // end of stream (0) or an error
    }
    MaybeClose(fd, c);
  }

  // Sends `p` now, or queues it behind the send in flight.
  void Queue(int fd, Conn& c, const Piece& p) {
    if (!c.sending) {  // then nothing waits
      c.current = p;
      StartSend(fd, c);
      return;
    }
    if (c.waiting == nullptr) c.waiting = std::make_unique<std::deque<Piece>>();
    c.waiting->push_back(p);
    if (c.waiting->size() > kMaxQueued && c.recv_armed && !c.paused) {
      c.paused = true;
      io_uring_sqe* sqe = bench::GetSqe(r_);
      io_uring_prep_cancel64(
          sqe, Tag(Op::kRecv, static_cast<std::uint32_t>(fd)), 0);
      io_uring_sqe_set_data64(sqe, Tag(Op::kIgnore, 0));
    }
  }

  void StartSend(int fd, Conn& c) {
    const Piece& p = c.current;
    io_uring_sqe* sqe = bench::GetSqe(r_);
    io_uring_prep_send(sqe, fd, buffers_.Data(p.bid) + p.offset, p.length,
                       MSG_WAITALL | MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, Tag(Op::kSend, static_cast<std::uint32_t>(fd)));
    c.sending = true;
  }

  void OnSend(int fd, int res) {
    Conn& c = conns_[fd];
    c.sending = false;
    Piece& p = c.current;
    if (res <= 0) {
      if (!c.closing) {
        c.closing = true;
        // Ends the armed receive (it completes with 0), then MaybeClose.
        if (c.recv_armed) shutdown(fd, SHUT_RDWR);
      }
    } else if (static_cast<std::uint32_t>(res) < p.length && !c.closing) {
      p.offset += static_cast<std::uint32_t>(res);
      p.length -= static_cast<std::uint32_t>(res);
      StartSend(fd, c);
      return;
    }
    buffers_.Give(p.bid);
    if (c.closing) {
      DropWaiting(c);
    } else if (c.queued() > 0) {
      c.current = c.waiting->front();
      c.waiting->pop_front();
      StartSend(fd, c);
    } else {
      c.waiting.reset();  // an idle connection holds no queue
      if (c.paused && !c.recv_armed) {
        c.paused = false;
        Arm(fd, c);
      }
    }
    MaybeClose(fd, c);
  }

  void DropWaiting(Conn& c) {
    if (c.waiting == nullptr) return;
    for (const Piece& q : *c.waiting) buffers_.Give(q.bid);
    c.waiting.reset();
  }

  void MaybeClose(int fd, Conn& c) {
    if (!c.closing || c.recv_armed || c.sending) return;
    DropWaiting(c);
    c = Conn{};
    close(fd);
  }

  bench::Ring& r_;
  bench::BufferRing& buffers_;
  const int listen_fd_;
  std::vector<Conn> conns_;  // by descriptor
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  const bench::ServerArgs args = bench::ParseServerCommandLine(
      argc, argv, "echo_uring",
      "[--listen ADDR:PORT] [--max-seconds N] [--wait-nr N] "
      "[--min-wait-us U] [--buffers N (power of 2)] [--buffer-size BYTES]",
      [&](const std::string& arg, const std::string& value) {
        int n = 0;
        if (arg == "--wait-nr" && bench::ParseInt(value, 1, 4096, &n)) {
          o.wait_nr = static_cast<unsigned>(n);
          return true;
        }
        if (arg == "--min-wait-us" && bench::ParseInt(value, 0, 1000000, &n)) {
          o.min_wait_us = static_cast<unsigned>(n);
          return true;
        }
        if (arg == "--buffers" && bench::ParseInt(value, 1, 32768, &n) &&
            (n & (n - 1)) == 0) {
          o.buffers = n;
          return true;
        }
        if (arg == "--buffer-size" && bench::ParseInt(value, 64, 1 << 20, &n)) {
          o.buffer_size = n;
          return true;
        }
        return false;
      },
      [] { return true; });
  const int listen_fd = bench::ListenOrDie(args, "echo_uring");
  bench::Ring ring;
  std::string error;
  if (!bench::SetupRing(&ring, 4096, 65536, &error)) {
    std::fprintf(stderr, "echo_uring: %s\n", error.c_str());
    return 1;
  }
  bench::BufferRing buffers;
  if (!buffers.Init(&ring.ring, static_cast<unsigned>(o.buffers),
                    static_cast<unsigned>(o.buffer_size), &error)) {
    std::fprintf(stderr, "echo_uring: %s\n", error.c_str());
    return 1;
  }
  auto server = std::make_unique<UringEcho>(ring, buffers, listen_fd);
  server->ArmAccept();
  bench::PrintBoundAddress(listen_fd);
  std::fprintf(stderr, "echo_uring: ring %s, min_wait %s\n", ring.Mode(),
               ring.min_wait ? "yes" : "no (waits for one completion)");
  // Batched waiting, adaptive: for half as many completions as the last
  // iteration saw (at most --wait-nr), so a few busy connections are not
  // held up by a batch they cannot fill; without min_wait, for one.
  unsigned last_batch = 1;

  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline =
      args.max_seconds > 0 ? Clock::now() + std::chrono::seconds(args.max_seconds)
                           : Clock::time_point::max();
  for (;;) {
    long long timeout_ns = 1000000000LL;  // to look at the deadline
    if (args.max_seconds > 0) {
      const Clock::time_point now = Clock::now();
      if (now >= deadline) return 0;
      timeout_ns = std::min<long long>(
          timeout_ns,
          std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now)
              .count());
    }
    buffers.Publish();
    const unsigned wait_nr =
        ring.min_wait ? std::max(1u, std::min(o.wait_nr, last_batch / 2)) : 1;
    const int ret = bench::SubmitAndWait(ring, wait_nr, o.min_wait_us, timeout_ns);
    if (ret < 0 && ret != -ETIME && ret != -EINTR && ret != -EBUSY) {
      std::fprintf(stderr, "echo_uring: io_uring_enter: %s\n", std::strerror(-ret));
      return 1;
    }
    unsigned head;
    unsigned seen = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring.ring, head, cqe) {
      server->OnCompletion(cqe);
      ++seen;
    }
    io_uring_cq_advance(&ring.ring, seen);
    last_batch = seen;
  }
}
