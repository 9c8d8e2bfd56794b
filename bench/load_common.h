// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: bench/load_common.h
// -----------------------------------------------------------------------------
//
// What the load generators of bench/ share: bench/load.cc (plain TCP) and
// bench/tls_load.cc (TLS, issue 13). The servers under test (`Target`), the
// options both take (`LoadOptions`, `ParseLoadOptions()`), the measuring schedule that interleaves them (`Schedule`), the output line
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
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "common.h"

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

// Opens the sockets of a load generator's new connections: each
// non-blocking and close-on-exec; for IPv4 with more than one source
// address (`sources`, --sources), first bound to the next of 127.0.0.1,
// 127.0.0.2, ... in turn (the port is still chosen by connect(), for the
// whole 4-tuple), so that many short connections do not run out of
// ephemeral ports.
class SocketOpener {
 public:
  explicit SocketOpener(int sources) : sources_(sources) {}

  // A socket for `target`; on failure `die(what)` ("socket", "bind to a
  // loopback source address"; errno says why), which does not return.
  template <typename Die>
  int Open(const Target& target, Die die) {
    const int fd = socket(target.address.ss_family,
                          SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    if (target.address.ss_family == AF_INET && sources_ > 1) {
      int one = 1;
      setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
      sockaddr_in source{};
      source.sin_family = AF_INET;
      source.sin_addr.s_addr = htonl(
          0x7f000001u + next_++ % static_cast<std::uint32_t>(sources_));
      if (bind(fd, reinterpret_cast<const sockaddr*>(&source),
               sizeof(source)) != 0) {
        die("bind to a loopback source address");
      }
    }
    return fd;
  }

 private:
  int sources_;
  std::uint32_t next_ = 0;
};

// What StartConnect() did.
enum class ConnectStart {
  kStarted,  // connected, or connecting (EINPROGRESS)
  kNoPort,   // no free ephemeral port: `*fd` closed and -1, `*no_port` counted
  kFailed,   // connect() failed otherwise: errno says why, `*fd` still open
};

// Starts a non-blocking connect() of `*fd` (SocketOpener's) to `target`.
inline ConnectStart StartConnect(int* fd, const Target& target,
                                 long* no_port) {
  if (connect(*fd, reinterpret_cast<const sockaddr*>(&target.address),
              target.address_length) == 0 ||
      errno == EINPROGRESS) {
    return ConnectStart::kStarted;
  }
  if (errno != EADDRNOTAVAIL) return ConnectStart::kFailed;
  ++*no_port;
  close(*fd);
  *fd = -1;
  return ConnectStart::kNoPort;
}

// The options both load generators take; each derives its own.
struct LoadOptions {
  std::vector<Target> targets;
  std::string test_case;
  int conns = 1;
  std::size_t size = 64;
  double warmup = 0.5;
  double seconds = 2.0;
  double slice = 0.1;
  int inflight = 4;
  int sources = 32;
  int echo = 1;  // idle: bytes each held connection echoes first
};

// The usage of the load generator `program`, on standard error, then exit
// with status 2: its `cases` ("pingpong|stream|..."), the options of
// LoadOptions, and `own`, its own options' lines (between --slice's and
// --server-pid's).
[[noreturn]] inline void LoadUsage(const char* program, const char* cases,
                                   std::initializer_list<const char*> own) {
  const std::string pad(std::strlen("usage: ") + std::strlen(program) + 1,
                        ' ');
  std::string text = std::string("usage: ") + program +
                     " --connect ADDR:PORT [--connect ADDR:PORT ...]\n" +
                     pad + "--case " + cases + "\n" + pad +
                     "[--conns C] [--size BYTES] [--warmup S] [--seconds S]\n";
  for (const char* line : own) text += pad + line + "\n";
  text += pad + "[--server-pid PID ...]   (one per --connect, same order)\n";
  std::fputs(text.c_str(), stderr);
  std::exit(2);
}

// Parses the command line of a load generator: the options of LoadOptions
// here, a program's own by `flag(arg, options)` (one without a value; true:
// taken) and `option(arg, value, options)` (one with a value; false:
// unknown). Calls
// `usage()` (which does not return) on a bad command line; `max_inflight`
// and `max_echo` are the program's limits. Loopback only: exits with
// status 2 on another address (the message naming `program`).
template <typename Options, typename Usage, typename Flag, typename Option>
Options ParseLoadOptions(int argc, char** argv, const char* program,
                         Usage usage, int max_inflight, int max_echo,
                         Flag flag, Option option) {
  Options options;
  Options* const o = &options;
  std::vector<long> pids;
  bool bad_address = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (flag(arg, options)) continue;
    if (i + 1 >= argc) usage();
    const std::string v = argv[++i];
    if (arg == "--connect") {
      Target t;
      bad_address |= !ParseAddress(v, &t.address, &t.address_length);
      o->targets.push_back(t);
    } else if (arg == "--case") {
      o->test_case = v;
    } else if (arg == "--conns") {
      o->conns = std::atoi(v.c_str());
    } else if (arg == "--size") {
      o->size = static_cast<std::size_t>(std::atol(v.c_str()));
    } else if (arg == "--warmup") {
      o->warmup = std::atof(v.c_str());
    } else if (arg == "--seconds") {
      o->seconds = std::atof(v.c_str());
    } else if (arg == "--slice") {
      o->slice = std::atof(v.c_str());
    } else if (arg == "--inflight") {
      o->inflight = std::atoi(v.c_str());
    } else if (arg == "--sources") {
      o->sources = std::atoi(v.c_str());
    } else if (arg == "--echo") {
      o->echo = std::atoi(v.c_str());
    } else if (arg == "--server-pid") {
      pids.push_back(std::atol(v.c_str()));
    } else if (!option(arg, v, options)) {
      usage();
    }
  }
  if (o->targets.empty() || bad_address || o->targets.size() > 16 ||
      (!pids.empty() && pids.size() != o->targets.size()) ||
      o->test_case.empty() || o->conns < 1 || o->conns > 10000 ||
      o->size < 1 || o->size > kBufferSize || o->seconds <= 0 ||
      o->seconds > 600 || o->warmup < 0 || o->warmup > 600 ||
      o->slice < 0.01 || o->inflight < 1 || o->inflight > max_inflight ||
      o->sources < 1 || o->sources > 254 || o->echo < 0 ||
      o->echo > max_echo) {
    usage();
  }
  for (std::size_t t = 0; t < pids.size(); ++t) {
    o->targets[t].server_pid = pids[t];
  }
  for (const Target& t : o->targets) {
    if (!IsLoopback(t.address)) {
      std::fprintf(stderr, "%s: only loopback addresses are allowed\n",
                   program);
      std::exit(2);
    }
  }
  return options;
}

// One line of output; with several targets, prefixed by "target=K ".
inline void Report(int target, int targets, double value, const char* unit,
                   long errors, const std::string& extra) {
  char prefix[24] = "";
  if (targets > 1) std::snprintf(prefix, sizeof(prefix), "target=%d ", target);
  std::printf("%svalue=%.6g unit=%s errors=%ld%s%s\n", prefix, value, unit,
              errors, extra.empty() ? "" : " ", extra.c_str());
}

// On-CPU time of process `pid` in nanoseconds, all its threads (those
// that ended too), or -1: its CPU-time clock (clock_getcpuclockid), the
// sum_exec_runtime of the whole thread group, as /proc/PID/schedstat gives
// it for the main thread alone.
inline long long ReadCpuNs(long pid) {
  if (pid <= 0) return -1;
  clockid_t clock;
  timespec now{};
  if (clock_getcpuclockid(static_cast<pid_t>(pid), &clock) != 0 ||
      clock_gettime(clock, &now) != 0) {
    return -1;
  }
  return static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
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
        cpu1_(targets_, -1),
        client_cpu_(targets_, 0) {
    for (const Target& t : o.targets) pids_.push_back(t.server_pid);
    slice_start_ = Clock::now();
    if (warmup_slices_ == 0) StartCounting();
  }

  // Call once per loop iteration; false when the schedule is over.
  bool Tick() {
    const Clock::time_point now = Clock::now();
    if (now - slice_start_ < slice_) return true;
    if (counting_) {
      active_time_[active_] += now - slice_start_;
      const long long cpu = ReadCpuNs(own_pid_);
      client_cpu_[active_] += cpu - slice_cpu_;
      slice_cpu_ = cpu;
    }
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
  // " server_cpu=<cores while active> server_ns_per_op=<ns>" (without a
  // server pid: left out) and " client_ns_per_op=<ns>". The server's whole
  // CPU time over the counted slices (its own and the others': it is idle
  // in the others', bar the tail of its last turn), per operation of its
  // own. The client's: this process's CPU time in the target's own counted
  // slices, per operation. Where the client bounds the rate (one core, at
  // 100 %), what a server makes the client pay shows here: waking a server
  // asleep in its wait costs the client's CPU (docs/bench.md, "Where the
  // client bounds the accept case").
  std::string Cpu(int target, double ops) const {
    if (ops <= 0) return "";
    char text[128] = "";
    int used = 0;
    if (cpu0_[target] >= 0 && cpu1_[target] >= 0) {
      const double ns = static_cast<double>(cpu1_[target] - cpu0_[target]);
      used = std::snprintf(text, sizeof(text),
                           " server_cpu=%.3f server_ns_per_op=%.0f",
                           ns / 1e9 / std::max(seconds(target), 1e-9), ns / ops);
    }
    std::snprintf(text + used, sizeof(text) - static_cast<std::size_t>(used),
                  " client_ns_per_op=%.0f",
                  static_cast<double>(client_cpu_[target]) / ops);
    return text;
  }
  // " client_busy=<fraction of its core>": this process's CPU time over
  // all the counted slices. Near 1, the client bounds the rates, and the
  // servers' CPU per operation is what tells them apart.
  std::string ClientBusy() const {
    long long cpu = 0;
    Clock::duration wall = Clock::duration::zero();
    for (int t = 0; t < targets_; ++t) {
      cpu += client_cpu_[t];
      wall += active_time_[t];
    }
    if (wall <= Clock::duration::zero()) return "";
    char text[40];
    std::snprintf(text, sizeof(text), " client_busy=%.3f",
                  static_cast<double>(cpu) / 1e9 /
                      std::chrono::duration<double>(wall).count());
    return text;
  }

 private:
  // Slices for `seconds` per target, a whole number of turns.
  int SlicesFor(double seconds, double slice) const {
    return static_cast<int>(std::lround(seconds / slice)) * targets_;
  }
  void StartCounting() {
    counting_ = true;
    slice_cpu_ = ReadCpuNs(own_pid_);
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
  const long own_pid_ = static_cast<long>(getpid());  // the client's
  std::vector<long long> client_cpu_;  // per target, counted slices only
  long long slice_cpu_ = 0;            // its CPU time as the slice began
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
