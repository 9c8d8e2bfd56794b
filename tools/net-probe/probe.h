// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/probe.h
// -----------------------------------------------------------------------------
//
// What net-probe measures, as plain data: the backend, the interfaces, what
// `localhost` resolves to, and timed loopback round trips over TCP, UDP and
// unix-domain sockets. `RunProbe()` fills a `Report`; report.h prints it.
// Everything goes through the public `net` API; traffic stays on loopback and
// every wait is bounded.

#ifndef NET_TOOLS_NET_PROBE_PROBE_H_
#define NET_TOOLS_NET_PROBE_PROBE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tools/net-probe/options_report.h"

namespace net_probe {

// The payload of every ping and pong.
inline constexpr std::size_t kPayloadSize = 64;

// Bounds of `--rounds`.
inline constexpr int kDefaultRounds = 1000;
inline constexpr int kMinRounds = 1;
inline constexpr int kMaxRounds = 100000;

// Config
//
// What to run and how long any step may take.
struct Config {
  int rounds = kDefaultRounds;
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration reply_timeout = absl::Seconds(2);      // one ping-pong
  absl::Duration transport_budget = absl::Seconds(30);  // all rounds
  bool options = false;  // --options: the option table (options_report.h)
};

// Outcome
//
// Skipped means this machine lacks the feature (no IPv6, no unix-domain
// sockets) and says why; failed means the feature is there and did not work.
enum class Outcome { kOk, kSkipped, kFailed };

absl::string_view OutcomeName(Outcome outcome);  // "ok", "skipped", "failed"

// Latency summary of the completed rounds.
struct Timings {
  absl::Duration min;
  absl::Duration median;
  absl::Duration p99;
  absl::Duration max;
};

// RoundTrip
//
// One transport's loopback test: connect, then `rounds` ping-pongs of
// `kPayloadSize` bytes with an echo thread.
struct RoundTrip {
  std::string transport;  // "tcp/ipv4", "udp/ipv6", "unix/stream"
  Outcome outcome = Outcome::kFailed;
  std::string detail;  // why skipped or failed; empty when ok
  std::string server;  // the echo server's address
  // The Connect() call (for UDP: setting the peer); empty if not reached.
  std::optional<absl::Duration> connect;
  int rounds = 0;  // completed ping-pongs
  Timings rtt;     // valid when rounds > 0
};

// Report
//
// Everything net-probe found. Sections that failed carry their status.
// One event-loop backend compiled in, and whether this machine lets it run.
struct LoopBackend {
  std::string name;
  bool is_default = false;  // what EventLoopBackend::kDefault picks
  absl::Status usable;      // EventLoopBackendSupport(): OK, or why not
};

struct Report {
  Config config;
  std::string backend;
  std::vector<LoopBackend> loop_backends;
  // What `EventLoop::Create()` gives here and now (NET_EVENT_LOOP
  // included), and why: the variable, the default, or a fallback.
  std::string loop_in_use;
  std::string loop_reason;
  absl::Time started;
  absl::Duration elapsed;
  absl::StatusOr<std::vector<net::NetworkInterface>> interfaces;
  net::ResolveHints localhost_hints;
  absl::StatusOr<std::vector<net::ResolvedAddress>> localhost;
  std::vector<RoundTrip> round_trips;
  std::optional<OptionsReport> options;  // with --options
};

// RunProbe()
//
// Runs every probe in turn. Blocks for at most a few seconds per transport
// (bounded by `config`); never aborts: failures are recorded in the report.
Report RunProbe(const Config& config);

// AnyFailed()
//
// True if a section failed (skips do not count): the exit status is 1 then.
bool AnyFailed(const Report& report);

// Summarize()
//
// min / median / 99th percentile / max of `samples` (non-empty).
Timings Summarize(std::vector<absl::Duration> samples);

}  // namespace net_probe

#endif  // NET_TOOLS_NET_PROBE_PROBE_H_
