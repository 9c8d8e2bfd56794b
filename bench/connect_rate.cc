// Copyright 2026 The net Authors.
//
// The connect-rate benchmark of issue 12 (not a test): how many connections
// a second `net::Connect()` makes, chained one after the other on one
// `net::EventLoop`, against the plainest way to do the same, a blocking
// loop of `Socket::Open()` + `Connect()` + `Close()`, in the same process.
// Target: at least 0.95x the blocking loop's rate.
//
//   connect_rate [--rounds R] [--count N] [--max-seconds S] [--json PATH]
//   connect_rate --only blocking|async [--rounds R] [--count N]
//
// (--only: passes of one variant and nothing else, to profile it, e.g. under
// `perf record`; prints its median rate and CPU time per connect.)
//
// Three variants, measured in turns: `blocking` (the reference), `async`
// (Connect(): a non-blocking connect watched on the loop, its outcome read
// from SO_ERROR, the socket handed to a net::Connection; the connection is
// destroyed, closing it, in the callback, which starts the next connect),
// and `blocking-b`, the blocking loop again: the A/A control, whose ratio to
// `blocking` is the smallest difference a run can tell from nothing. Each
// round runs one pass of N connects of each variant, in an order that
// rotates every round, after one warm-up pass of each (not counted). The
// rate of a pass is N over its wall time; the verdict is judged, as bench/
// run.sh judges its targets, on the geometric mean of the per-round
// async/blocking ratios and its 95 % confidence interval (Student t): met,
// ahead when the whole interval is at or above 0.95; met, level when it
// spans 0.95; MISSED, behind when it lies below.
//
// The server side is a listening socket on 127.0.0.1 that nobody accepts
// from: on loopback the kernel completes the handshake in the connecting
// thread's system call (the SYN, the SYN-ACK and the ACK are all processed
// there), and the connection waits in the accept queue. Each pass gets a
// fresh listener (a backlog of SOMAXCONN, so N is capped below it), closed
// after the pass: the queued connections are reset, so no connection
// leaves a TIME_WAIT behind, and the next pass's connects, to another port,
// never search the ephemeral ports for a free 4-tuple. The client closes
// first, as a client that connects and hangs up does. Loopback only;
// bounded in count (R x 3 x N connections) and time (--max-seconds, after
// which the rounds done so far are reported).
//
// Benchmark code: Linux only.

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "net/net.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int rounds = 20;
  int count = 2000;
  int max_seconds = 120;
  std::string json;
  std::string only;
};

[[noreturn]] void Usage(int status) {
  std::fputs(
      "usage: connect_rate [--rounds R] [--count N] [--max-seconds S] "
      "[--json PATH]\n"
      "  --rounds       rounds, each one pass of every variant (1..100, "
      "default 20)\n"
      "  --count        connections per pass (1..SOMAXCONN-96, default 2000)\n"
      "  --max-seconds  stop after the round that passes S seconds (default "
      "120)\n"
      "  --json         also write the results there\n"
      "  --only         blocking or async: run that variant alone (to "
      "profile it)\n",
      status == 0 ? stdout : stderr);
  std::exit(status);
}

int SoMaxConn() {
  std::ifstream f("/proc/sys/net/core/somaxconn");
  int n = 4096;
  if (!(f >> n)) n = 4096;
  return n;
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  const int max_count = std::max(1, std::min(SoMaxConn(), 65535) - 96);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") Usage(0);
    if (i + 1 >= argc) Usage(2);
    const std::string v = argv[++i];
    bool ok = true;
    if (arg == "--rounds") {
      ok = absl::SimpleAtoi(v, &o.rounds) && o.rounds >= 1 && o.rounds <= 100;
    } else if (arg == "--count") {
      ok = absl::SimpleAtoi(v, &o.count) && o.count >= 1 &&
           o.count <= max_count;
    } else if (arg == "--max-seconds") {
      ok = absl::SimpleAtoi(v, &o.max_seconds) && o.max_seconds >= 1;
    } else if (arg == "--json") {
      o.json = v;
    } else if (arg == "--only") {
      o.only = v;
      ok = v == "blocking" || v == "async";
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "connect_rate: bad %s %s\n", arg.c_str(), v.c_str());
      Usage(2);
    }
  }
  return o;
}

[[noreturn]] void Die(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "connect_rate: %s: %s\n", what.c_str(),
               std::string(status.message()).c_str());
  std::exit(1);
}

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// A listener on 127.0.0.1 that is never accepted from (see the top).
net::Socket FreshListener(net::SocketAddress* address) {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  if (!s.ok()) Die("listener", s.status());
  absl::Status st = s->Bind(*net::SocketAddress::Parse("127.0.0.1:0"));
  if (st.ok()) st = s->Listen();
  if (!st.ok()) Die("listener", st);
  absl::StatusOr<net::SocketAddress> bound = s->LocalAddress();
  if (!bound.ok()) Die("listener", bound.status());
  *address = *bound;
  return *std::move(s);
}

struct Pass {
  double seconds = 0;
  double cpu_seconds = 0;
  int errors = 0;
  std::string first_error;
};

void Failed(Pass& pass, const absl::Status& status) {
  if (pass.errors++ == 0) pass.first_error = std::string(status.message());
}

// N blocking connects, one after the other.
void BlockingPass(const net::SocketAddress& to, int count, Pass& pass) {
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<net::Socket> s =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
    if (!s.ok()) {
      Failed(pass, s.status());
      continue;
    }
    absl::Status st = s->Connect(to);
    if (!st.ok()) Failed(pass, st);
    s->Close().IgnoreError();
  }
}

// N connects chained on the loop: each callback closes its connection and
// starts the next connect.
class AsyncPass {
 public:
  AsyncPass(net::EventLoop& loop, const net::SocketAddress& to, int count,
            Pass& pass)
      : loop_(loop), to_(to), left_(count), pass_(pass) {}

  void Run() {
    Next();
    absl::Status run = loop_.Run();
    if (!run.ok()) Die("loop", run);
  }

 private:
  void Next() {
    current_ = net::Connect(
        loop_, to_, {}, [this](absl::StatusOr<net::ConnectionPtr> c) {
          // A handle is not destroyed inside its own callback: park it, and
          // let go of the one parked before (its callback has returned).
          parked_ = std::move(current_);
          if (c.ok()) {
            c->reset();  // closes it
          } else {
            Failed(pass_, c.status());
          }
          if (--left_ > 0) return Next();
          loop_.Stop();
        });
  }

  net::EventLoop& loop_;
  const net::SocketAddress to_;
  int left_;
  Pass& pass_;
  std::unique_ptr<net::PendingConnect> current_;
  std::unique_ptr<net::PendingConnect> parked_;
};

enum Variant { kBlocking, kAsync, kBlockingB, kVariants };
constexpr const char* kNames[kVariants] = {"blocking", "async", "blocking-b"};

Pass RunPass(Variant v, net::EventLoop& loop, int count) {
  net::SocketAddress to;
  net::Socket listener = FreshListener(&to);
  Pass pass;
  const double cpu0 = ThreadCpuSeconds();
  const Clock::time_point t0 = Clock::now();
  if (v == kAsync) {
    AsyncPass(loop, to, count, pass).Run();
  } else {
    BlockingPass(to, count, pass);
  }
  pass.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  pass.cpu_seconds = ThreadCpuSeconds() - cpu0;
  listener.Close().IgnoreError();  // resets the queued connections
  return pass;
}

// The two-sided 95 % quantile of Student t with `df` degrees of freedom
// (the table bench/run.sh uses).
double T95(int df) {
  static const double kT[] = {12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31,
                              2.26,  2.23, 2.20, 2.18, 2.16, 2.14, 2.13, 2.12,
                              2.11,  2.10, 2.09, 2.09, 2.08, 2.07, 2.07, 2.06,
                              2.06,  2.06, 2.05, 2.05, 2.05, 2.04};
  if (df <= 0) return 0;
  return df <= 30 ? kT[df - 1] : 1.96;
}

struct Summary {
  double geomean = 0, low = 0, high = 0, min = 0, max = 0;
};

// The geometric mean of per-round ratios and its 95 % interval.
Summary Summarize(const std::vector<double>& ratios) {
  Summary s;
  const double n = static_cast<double>(ratios.size());
  double sum = 0;
  for (double r : ratios) sum += std::log(r);
  const double mean = sum / n;
  double ss = 0;
  for (double r : ratios) ss += (std::log(r) - mean) * (std::log(r) - mean);
  const double se = ratios.size() > 1 ? std::sqrt(ss / (n - 1) / n) : 0;
  const double t = T95(static_cast<int>(ratios.size()) - 1);
  s.geomean = std::exp(mean);
  s.low = std::exp(mean - t * se);
  s.high = std::exp(mean + t * se);
  s.min = *std::min_element(ratios.begin(), ratios.end());
  s.max = *std::max_element(ratios.begin(), ratios.end());
  return s;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string Verdict(const Summary& s, double target) {
  char ci[64];
  std::snprintf(ci, sizeof(ci), "%.3f× (95 %% CI %.3f–%.3f)", s.geomean,
                s.low, s.high);
  // The words of bench/run.sh's judge() for a target other than 1.00.
  char of[16];
  std::snprintf(of, sizeof(of), "%.2f×", target);
  if (s.low >= target) return absl::StrCat("met, ahead of ", of, ": ", ci);
  if (s.high < target) return absl::StrCat("MISSED, behind ", of, ": ", ci);
  return absl::StrCat("met, level with ", of, ": ", ci);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) Die("loop", loop.status());
  const Clock::time_point started = Clock::now();

  if (!o.only.empty()) {
    const Variant v = o.only == "async" ? kAsync : kBlocking;
    std::vector<double> rates, cpu;
    for (int r = 0; r < o.rounds; ++r) {
      const Pass pass = RunPass(v, **loop, o.count);
      rates.push_back(o.count / pass.seconds);
      cpu.push_back(pass.cpu_seconds * 1e6 / o.count);
    }
    std::printf("%s: %.1fk connects/s, %.2f µs CPU per connect (medians of "
                "%d passes of %d)\n",
                kNames[v], Median(rates) / 1000, Median(cpu), o.rounds,
                o.count);
    return 0;
  }
  for (int v = 0; v < kVariants; ++v) {  // warm-up, not counted
    RunPass(static_cast<Variant>(v), **loop, std::min(o.count, 200));
  }
  // rate[v][round], cpu_us[v][round]
  std::vector<std::vector<double>> rate(kVariants), cpu_us(kVariants);
  std::vector<int> errors(kVariants, 0);
  std::string first_error;
  int rounds = 0;
  for (int r = 0; r < o.rounds; ++r) {
    for (int k = 0; k < kVariants; ++k) {
      const auto v = static_cast<Variant>((k + r) % kVariants);
      const Pass pass = RunPass(v, **loop, o.count);
      rate[v].push_back(o.count / pass.seconds);
      cpu_us[v].push_back(pass.cpu_seconds * 1e6 / o.count);
      errors[v] += pass.errors;
      if (first_error.empty()) first_error = pass.first_error;
    }
    ++rounds;
    if (Clock::now() - started > std::chrono::seconds(o.max_seconds)) break;
  }
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - started).count();

  std::vector<double> async_ratio, control_ratio, async_cpu_ratio;
  for (int r = 0; r < rounds; ++r) {
    async_ratio.push_back(rate[kAsync][r] / rate[kBlocking][r]);
    control_ratio.push_back(rate[kBlockingB][r] / rate[kBlocking][r]);
    async_cpu_ratio.push_back(cpu_us[kAsync][r] / cpu_us[kBlocking][r]);
  }
  const Summary async_s = Summarize(async_ratio);
  const Summary control_s = Summarize(control_ratio);
  const Summary cpu_s = Summarize(async_cpu_ratio);
  const std::string verdict = Verdict(async_s, 0.95);

  std::printf("| variant | connects/s | CPU per connect (µs) | errors |\n");
  std::printf("|---|---:|---:|---:|\n");
  for (int v = 0; v < kVariants; ++v) {
    std::vector<double> sorted = rate[v];
    std::sort(sorted.begin(), sorted.end());
    std::printf("| %s | %.1fk (%.1fk–%.1fk) | %.1f | %d |\n", kNames[v],
                Median(rate[v]) / 1000, sorted.front() / 1000,
                sorted.back() / 1000, Median(cpu_us[v]), errors[v]);
  }
  std::printf(
      "\n| ratio | geometric mean (95 %% CI) | min–max | target |\n"
      "|---|---|---|---|\n");
  std::printf("| async/blocking | %.3f× (%.3f–%.3f) | %.2f–%.2f | %s |\n",
              async_s.geomean, async_s.low, async_s.high, async_s.min,
              async_s.max, verdict.c_str());
  std::printf("| blocking-b/blocking (A/A control) | %.3f× (%.3f–%.3f) | "
              "%.2f–%.2f | |\n",
              control_s.geomean, control_s.low, control_s.high, control_s.min,
              control_s.max);
  std::printf("| async/blocking, CPU per connect | %.3f× (%.3f–%.3f) | "
              "%.2f–%.2f | |\n",
              cpu_s.geomean, cpu_s.low, cpu_s.high, cpu_s.min, cpu_s.max);
  const std::string error_note =
      first_error.empty() ? "" : absl::StrCat(" First error: ", first_error);
  std::printf(
      "\n%d rounds of %d connects per variant (turns rotating), after one "
      "warm-up pass each; 127.0.0.1, a fresh listener per pass; %.0f s.%s\n",
      rounds, o.count, elapsed, error_note.c_str());

  if (!o.json.empty()) {
    std::ofstream json(o.json);
    json << "{\n  \"rounds\": " << rounds << ",\n  \"count\": " << o.count
         << ",\n  \"elapsed_seconds\": " << elapsed << ",\n  \"variants\": [";
    for (int v = 0; v < kVariants; ++v) {
      json << (v ? ", " : "") << "{\"name\": \"" << kNames[v]
           << "\", \"errors\": " << errors[v] << ", \"rate\": [";
      for (int r = 0; r < rounds; ++r) json << (r ? ", " : "") << rate[v][r];
      json << "], \"cpu_us_per_connect\": [";
      for (int r = 0; r < rounds; ++r) json << (r ? ", " : "") << cpu_us[v][r];
      json << "]}";
    }
    auto ratio = [&](const char* name, const Summary& s) {
      char line[256];
      std::snprintf(line, sizeof(line),
                    "{\"ratio\": \"%s\", \"geomean\": %.4f, "
                    "\"ci95_low\": %.4f, \"ci95_high\": %.4f, "
                    "\"min\": %.4f, \"max\": %.4f}",
                    name, s.geomean, s.low, s.high, s.min, s.max);
      json << line;
    };
    json << "],\n  \"ratios\": [";
    ratio("async/blocking", async_s);
    json << ", ";
    ratio("blocking-b/blocking", control_s);
    json << ", ";
    ratio("async/blocking cpu", cpu_s);
    json << "],\n  \"target\": 0.95,\n  \"verdict\": \"" << verdict
         << "\"\n}\n";
  }
  return errors[kAsync] + errors[kBlocking] + errors[kBlockingB] > 0 ? 1 : 0;
}
