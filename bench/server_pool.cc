// Copyright 2026 The net Authors.
//
// The hand-written thread-pool echo server of bench/ (issue 14): what a
// careful engineer writes for the thread-per-connection model with plain
// POSIX blocking sockets, the baseline for net::Server's thread-pool
// strategy (bench/server_net.cc --strategy threadpool) and the company of
// POCO's TCPServer (bench/server_poco.cc).
//
//   server_pool [--listen ADDR:PORT] [--max-seconds N] --workers W
//               [--min-workers M] [--queue Q]
//
// Same output as the other servers of bench/: the bound address as the
// first line of standard output, then it echoes until killed (SIGTERM's
// default action) or until --max-seconds pass. The design:
//
//   * One acceptor thread in a blocking accept4() (SOCK_CLOEXEC; the
//     listening socket is bench/common.h's, switched back to blocking),
//     TCP_NODELAY on each accepted socket (as POCO's TCPServer sets it).
//   * A bounded hand-off: a ring of Q accepted descriptors (default Q = W)
//     under one mutex, two condition variables (not empty: the workers wait
//     on it; not full: the acceptor waits on it). With W connections being
//     served and Q waiting, the acceptor stops accepting and the kernel's
//     backlog (SOMAXCONN) holds the rest.
//   * W worker threads (std::thread), started up front: each takes a
//     descriptor, then blocking recv() into a 64 KiB buffer on its own
//     stack (bench::kBufferSize, what every server of bench/ reads with)
//     and send() of all of it back, until end of stream or an error, then
//     close().
//   * --min-workers M < W: only M workers are started up front; the
//     acceptor starts another (up to W) when it hands off a connection and
//     no worker waits for one. bench/server_run.sh uses this for the idle
//     RSS case only, so that each held connection's thread is counted;
//     the throughput cases run the fixed pool (M = W).
//
// Built twice from this file, `server_pool` and `server_pool_b`: the second
// is the A/A control of bench/server_run.sh (two identical servers in the
// same turns show what the method can resolve).

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common.h"

namespace {

// The hand-off between the acceptor and the workers: a bounded ring of
// accepted descriptors.
class HandOff {
 public:
  explicit HandOff(int capacity) : ring_(static_cast<std::size_t>(capacity)) {}

  // Waits for room, then queues `fd`. Returns true if no worker was waiting
  // for one (the caller may start another worker).
  bool Push(int fd) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [this] { return size_ < ring_.size(); });
    ring_[(head_ + size_) % ring_.size()] = fd;
    ++size_;
    // Workers already woken for earlier descriptors are not waiting any
    // more; `waiting_` counts only those still asleep.
    const bool none_waiting = waiting_ < size_;
    lock.unlock();
    not_empty_.notify_one();
    return none_waiting;
  }

  // Waits for a descriptor and takes it.
  int Pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_;
    not_empty_.wait(lock, [this] { return size_ > 0; });
    --waiting_;
    const int fd = ring_[head_];
    head_ = (head_ + 1) % ring_.size();
    --size_;
    lock.unlock();
    not_full_.notify_one();
    return fd;
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::vector<int> ring_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  std::size_t waiting_ = 0;  // workers asleep in Pop()
};

// Serves one connection: echoes until end of stream or an error.
void Serve(int fd) {
  char buffer[bench::kBufferSize];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::size_t sent = 0;
    while (sent < static_cast<std::size_t>(n)) {
      const ssize_t w =
          send(fd, buffer + sent, static_cast<std::size_t>(n) - sent,
               MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EINTR) continue;
        close(fd);
        return;
      }
      sent += static_cast<std::size_t>(w);
    }
  }
  close(fd);
}

void Worker(HandOff* hand_off) {
  for (;;) Serve(hand_off->Pop());
}

}  // namespace

int main(int argc, char** argv) {
  int queue = 0;  // 0: W
  const bench::PoolArgs pool = bench::ParsePoolServerArgs(
      argc, argv, "server_pool", "[--queue Q]",
      [&](const std::string& arg, const std::string& value) {
        return arg == "--queue" && bench::ParseInt(value, 1, 100000, &queue);
      });
  const bench::ServerArgs& args = pool.server;
  const int workers = pool.workers;
  if (queue == 0) queue = workers;

  const int listen_fd = bench::ListenOrDie(args, "server_pool");
  // Blocking accept: the acceptor thread sleeps in accept4().
  fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) & ~O_NONBLOCK);

  // Never destroyed: the process ends with the threads still running
  // (bench::SleepThenExit() below, or a signal).
  auto* hand_off = new HandOff(queue);
  int started = 0;
  for (; started < pool.min_workers; ++started) {
    std::thread(Worker, hand_off).detach();
  }
  std::thread([listen_fd, hand_off, workers, started]() mutable {
    for (;;) {
      const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
        std::fprintf(stderr, "server_pool: accept: %s\n", std::strerror(errno));
        // Out of descriptors or the like: wait a little, as servers do.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      if (hand_off->Push(fd) && started < workers) {
        std::thread(Worker, hand_off).detach();
        ++started;
      }
    }
  }).detach();

  bench::PrintBoundAddress(listen_fd);
  bench::SleepThenExit(args.max_seconds);
}
