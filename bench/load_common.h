// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: bench/load_common.h
// -----------------------------------------------------------------------------
//
// What the load generators of bench/ share: bench/load.cc (plain TCP) and
// bench/tls_load.cc (TLS, issue 13). The servers under test (`Target`), the
// measuring schedule that interleaves them (`Schedule`), the output line
// (`Report`), and what they read of a server from /proc: its CPU time, its
// RSS, its descriptors.
//
// Benchmark code: Linux only, not part of the library.

#ifndef NET_BENCH_LOAD_COMMON_H_
#define NET_BENCH_LOAD_COMMON_H_

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

// One server under test.
struct Target {
  sockaddr_storage address{};
  socklen_t address_length = 0;
  long server_pid = 0;  // 0: unknown (no server CPU figures)
};

inline bool IsLoopback(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
  return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
}

inline double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

inline void SetNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

inline void SetNonBlocking(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// A blocking connection with a 5 s receive timeout, or -1.
inline int ConnectBlocking(const Target& target) {
  const int fd =
      socket(target.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  if (connect(fd, reinterpret_cast<const sockaddr*>(&target.address),
              target.address_length) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// One line of output; with several targets, prefixed by "target=K ".
inline void Report(int target, int targets, double value, const char* unit,
                   long errors, const std::string& extra) {
  char prefix[24] = "";
  if (targets > 1) std::snprintf(prefix, sizeof(prefix), "target=%d ", target);
  std::printf("%svalue=%.6g unit=%s errors=%ld%s%s\n", prefix, value, unit,
              errors, extra.empty() ? "" : " ", extra.c_str());
}

// On-CPU time of `pid` in nanoseconds (/proc/PID/schedstat), or -1.
inline long long ReadCpuNs(long pid) {
  if (pid <= 0) return -1;
  std::ifstream schedstat("/proc/" + std::to_string(pid) + "/schedstat");
  long long ns = -1;
  if (!(schedstat >> ns)) return -1;
  return ns;
}

// The measuring schedule. Time is cut into slices of `--slice` seconds, and
// each slice belongs to one target in turn (0, 1, ..., 0, 1, ...): only the
// active target gets new work, the others finish what is in flight and
// then sit idle. The first slices (`--warmup` seconds per target) are not
// counted; the next ones (`--seconds` per target) are. With one target
// this is a plain warm-up + counted window.
//
// Why slices: on this shared VM a server's rate drifts by 10-30 % from one
// second to the next (other guests, the host), far more than the servers
// differ. Measured in turns of 0.1 s spread over the same window, every
// server sees the same drifts, and the ratio between two servers measured
// in one run is stable to about a percent.
//
// Work is counted for the target it belongs to, whenever it completes
// within the counted slices (the tail of a turn completes at the start of
// the next one: alike for every target).
class Schedule {
 public:
  // `o`: a load generator's options, with `targets` (each with its
  // `server_pid`), `warmup`, `seconds` and `slice`.
  template <typename Options>
  explicit Schedule(const Options& o)
      : targets_(static_cast<int>(o.targets.size())),
        slice_(std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(o.slice))),
        warmup_slices_(SlicesFor(o.warmup, o.slice)),
        total_slices_(warmup_slices_ +
                      std::max(1, SlicesFor(o.seconds, o.slice))),
        ops_(targets_, 0),
        active_time_(targets_, Clock::duration::zero()),
        cpu0_(targets_, -1),
        cpu1_(targets_, -1) {
    for (const Target& t : o.targets) pids_.push_back(t.server_pid);
    slice_start_ = Clock::now();
    if (warmup_slices_ == 0) StartCounting();
  }

  // Call once per loop iteration; false when the schedule is over.
  bool Tick() {
    const Clock::time_point now = Clock::now();
    if (now - slice_start_ < slice_) return true;
    if (counting_) active_time_[active_] += now - slice_start_;
    ++slice_index_;
    if (slice_index_ == total_slices_) {
      for (int t = 0; t < targets_; ++t) cpu1_[t] = ReadCpuNs(pids_[t]);
      return false;
    }
    active_ = slice_index_ % targets_;
    switched_ = true;
    slice_start_ = now;
    if (slice_index_ == warmup_slices_) StartCounting();
    return true;
  }

  int active() const { return active_; }
  // True in the counted slices (after the warm-up).
  bool counting() const { return counting_; }
  // True once after the active target changed.
  bool TakeSwitch() { return std::exchange(switched_, false); }
  void Count(int target, std::uint64_t n = 1) {
    if (counting_) ops_[target] += n;
  }
  std::uint64_t ops(int target) const { return ops_[target]; }
  // Seconds of counted slices that belonged to `target`.
  double seconds(int target) const {
    return std::chrono::duration<double>(active_time_[target]).count();
  }
  double rate(int target) const {
    const double s = seconds(target);
    return s > 0 ? static_cast<double>(ops_[target]) / s : 0;
  }
  // Until the current slice ends, rounded up to milliseconds.
  int TimeoutMs() const {
    const auto left = slice_start_ + slice_ - Clock::now();
    if (left <= Clock::duration::zero()) return 0;
    return static_cast<int>(
        std::chrono::ceil<std::chrono::milliseconds>(left).count());
  }
  // " server_cpu=<cores while active> server_ns_per_op=<ns>", or "" without
  // a server pid. The server's whole CPU time over the counted slices (its
  // own and the others': it is idle in the others', bar the tail of its
  // last turn), per operation of its own.
  std::string ServerCpu(int target, double ops) const {
    if (cpu0_[target] < 0 || cpu1_[target] < 0 || ops <= 0) return "";
    const double ns = static_cast<double>(cpu1_[target] - cpu0_[target]);
    char text[96];
    std::snprintf(text, sizeof(text), " server_cpu=%.3f server_ns_per_op=%.0f",
                  ns / 1e9 / std::max(seconds(target), 1e-9), ns / ops);
    return text;
  }

 private:
  // Slices for `seconds` per target, a whole number of turns.
  int SlicesFor(double seconds, double slice) const {
    return static_cast<int>(std::lround(seconds / slice)) * targets_;
  }
  void StartCounting() {
    counting_ = true;
    for (int t = 0; t < targets_; ++t) cpu0_[t] = ReadCpuNs(pids_[t]);
  }

  const int targets_;
  const Clock::duration slice_;
  const int warmup_slices_;
  const int total_slices_;
  std::vector<long> pids_;
  std::vector<std::uint64_t> ops_;
  std::vector<Clock::duration> active_time_;
  std::vector<long long> cpu0_, cpu1_;
  Clock::time_point slice_start_;
  int slice_index_ = 0;
  int active_ = 0;
  bool switched_ = false;
  bool counting_ = false;
};

// VmRSS of `pid` in KiB, or -1.
inline long ReadRssKiB(long pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// How many descriptors `pid` has open (/proc/PID/fd), or -1.
inline long CountDescriptors(long pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return -1;
  long n = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n;
}

}  // namespace bench

#endif  // NET_BENCH_LOAD_COMMON_H_
