// Copyright 2026 The net Authors.
//
// The baseline of bench/: a single-threaded echo server written by hand on
// level-triggered epoll, the way a careful engineer writes one when speed is
// all that matters. It is "the limit on this machine" that the echo servers
// on net (bench/echo_listener, `net`; examples/echo_server, `net-conn`) are
// measured against.
//
//   echo_epoll [--listen ADDR:PORT] [--max-seconds N]
//
// Same command line and output as examples/echo_server. The choices:
//
//   * Reads go into one loop-wide 64 KiB buffer and are written back at once;
//     an idle connection costs one slot in a vector indexed by descriptor.
//   * Only when the peer does not take the whole echo is the rest kept (one
//     heap string) and the connection switched from EPOLLIN to EPOLLOUT until
//     it drains, so a peer that does not read cannot make us buffer without
//     bound (the same backpressure as bench/echo_listener).
//   * A read that returns less than the buffer means the socket is drained:
//     no extra read just to see EAGAIN.
//   * close() without EPOLL_CTL_DEL: the descriptor is not shared, so closing
//     it removes it from the epoll set.
//
// Built four times: `echo_epoll` level-triggered (the baseline of the
// issue), and `echo_epoll_et` (BENCH_EDGE_TRIGGERED) with EPOLLET on the
// connections; and two calibrations of the method, which add a known cost
// per event to the baseline so that a run shows what it can and cannot see
// (docs/bench.md, "How the target is judged"): `echo_epoll_hot`
// (BENCH_EXTRA_INSTRUCTIONS, ~560 more instructions per event on data that
// stays in cache) and `echo_epoll_cold` (BENCH_EXTRA_COLD_LINES, 24 reads
// per event from a 64 MiB array, nearly all cache misses).
//
// Level-triggered epoll puts every reported descriptor back on the ready
// list and polls it again on the next epoll_wait (to see whether it is
// still ready); edge-triggered does not. The read loop is correct for both:
// it stops at a short read or EAGAIN, and under EPOLLET any data that
// arrives after that read raises a new edge.

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common.h"

namespace {

constexpr int kMaxEvents = 1024;
#ifdef BENCH_EDGE_TRIGGERED
constexpr std::uint32_t kTrigger = EPOLLET;
#else
constexpr std::uint32_t kTrigger = 0;
#endif

// The calibrations' extra cost per event; nothing in the baseline.
class ExtraCost {
 public:
#if defined(BENCH_EXTRA_INSTRUCTIONS)
  void Pay(int fd) {
    auto x = static_cast<std::uint32_t>(fd);
    for (int i = 0; i < 70; ++i) {
      x = x * 2654435761u + hot_[i & 7];
      asm volatile("" : "+r"(x));  // keep every step
    }
    hot_[x & 7] ^= x;
  }

 private:
  std::uint32_t hot_[8] = {1, 2, 3, 4, 5, 6, 7, 8};
#elif defined(BENCH_EXTRA_COLD_LINES)
  ExtraCost() : cold_(new unsigned char[kColdSize]) {
    std::memset(cold_.get(), 1, kColdSize);  // real pages, not the zero page
  }
  void Pay(int) {
    for (int i = 0; i < 24; ++i) {
      cursor_ = cursor_ * 6364136223846793005ull + 1442695040888963407ull;
      sink_ += cold_[(cursor_ >> 20) % (kColdSize / 64) * 64];
    }
    asm volatile("" : : "r"(sink_));
  }

 private:
  static constexpr std::size_t kColdSize = std::size_t{64} << 20;
  std::unique_ptr<unsigned char[]> cold_;
  std::uint64_t cursor_ = 1;
  unsigned sink_ = 0;
#else
  void Pay(int) {}
#endif
};

class EpollEcho {
 public:
  EpollEcho(int epfd, int listen_fd) : epfd_(epfd), listen_fd_(listen_fd) {}

  void OnEvent(int fd) {
    extra_.Pay(fd);
    if (fd == listen_fd_) return AcceptAll();
    OnConnection(fd);
  }

 private:
  void Control(int op, int fd, std::uint32_t events) {
    epoll_event e{};
    e.events = events;
    e.data.fd = fd;
    epoll_ctl(epfd_, op, fd, &e);
  }

  void AcceptAll() {
    for (;;) {
      const int fd = bench::AcceptNext(listen_fd_);
      if (fd < 0) return;  // EAGAIN, or out of descriptors
      if (static_cast<std::size_t>(fd) >= pending_.size()) {
        pending_.resize(static_cast<std::size_t>(fd) * 2 + 1);
      }
      Control(EPOLL_CTL_ADD, fd, EPOLLIN | kTrigger);
    }
  }

  void Close(int fd) {
    pending_[fd].reset();
    close(fd);
  }

  void OnConnection(int fd) {
    const bool open = bench::EchoReady(
        fd, buffer_, sizeof(buffer_), pending_[fd], [&](bool writable) {
          Control(EPOLL_CTL_MOD, fd, (writable ? EPOLLOUT : EPOLLIN) | kTrigger);
        });
    if (!open) Close(fd);
  }

  const int epfd_;
  const int listen_fd_;
  // By descriptor; set only while an echo is only partly written.
  std::vector<std::unique_ptr<std::string>> pending_;
  char buffer_[bench::kBufferSize];
  ExtraCost extra_;  // last: the baseline's layout is as it was without it
};

}  // namespace

int main(int argc, char** argv) {
  const bench::ServerArgs args =
      bench::ParseServerArgs(argc, argv, "echo_epoll");
  const int listen_fd = bench::ListenOrDie(args, "echo_epoll");
  bench::EpollLoop loop;
  if (!bench::StartEpollLoop(listen_fd, args.max_seconds, "echo_epoll", &loop)) {
    return 1;
  }
  auto server = std::make_unique<EpollEcho>(loop.epfd, listen_fd);
  return bench::RunEpollLoop<kMaxEvents>(
      loop, "echo_epoll", [&](int fd) { server->OnEvent(fd); });
}
