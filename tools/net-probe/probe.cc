// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/probe.cc
// -----------------------------------------------------------------------------
//
// The measurements behind net-probe (see probe.h). Round trips run a
// blocking client on this thread against an echo thread, ping-pong style:
// one 64-byte message out, the same 64 bytes back, timed on the steady
// clock. Every wait has a timeout, so a broken transport fails the probe
// instead of hanging it.

#include "tools/net-probe/probe.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "net/net.h"
#include "tools/net-probe/socket_kind.h"

namespace net_probe {
namespace {

// Intervals are measured on the steady clock: the wall clock (absl::Now())
// may be stepped by NTP in the middle of a measurement.
using Clock = std::chrono::steady_clock;

absl::Duration Since(Clock::time_point start) {
  return absl::FromChrono(Clock::now() - start);
}

absl::Duration Until(Clock::time_point deadline) {
  return std::max(absl::ZeroDuration(),
                  absl::FromChrono(deadline - Clock::now()));
}

Clock::time_point After(absl::Duration d) {
  return Clock::now() + absl::ToChronoNanoseconds(d);
}

using Payload = std::array<char, kPayloadSize>;

// Echo
//
// The server side of a round trip, on its own thread: sends back whatever
// arrives until the peer ends the stream, `Stop()` is called, or the
// deadline passes. It polls for readability in slices of 100 ms so that it
// notices `Stop()` even when the client vanished.
class Echo {
 public:
  Echo(net::Socket socket, Clock::time_point deadline)
      : socket_(std::move(socket)), deadline_(deadline) {
    thread_ = std::thread([this] { status_ = Run(); });
  }
  ~Echo() { (void)Stop(); }
  Echo(const Echo&) = delete;
  Echo& operator=(const Echo&) = delete;

  // Echo::Stop()
  //
  // Stops the thread, waits for it, and returns how it ended.
  absl::Status Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    return status_;
  }

 private:
  absl::Status Run() {
    const bool datagram = socket_.type() == net::SocketType::kDatagram;
    std::array<char, 4 * kPayloadSize> buffer;
    while (!stop_.load()) {
      const absl::Duration left = Until(deadline_);
      if (left <= absl::ZeroDuration()) {
        return absl::DeadlineExceededError("echo: the time budget ran out");
      }
      absl::StatusOr<bool> ready =
          socket_.WaitReadable(std::min(left, absl::Milliseconds(100)));
      if (!ready.ok()) return ready.status();
      if (!*ready) continue;
      if (datagram) {
        absl::StatusOr<net::ReceiveFromResult> r =
            socket_.ReceiveFrom(absl::MakeSpan(buffer));
        if (!r.ok()) return r.status();
        if (r->io.would_block()) continue;
        absl::StatusOr<net::IoResult> sent = socket_.SendTo(
            absl::MakeConstSpan(buffer.data(), r->io.bytes()), r->from);
        if (!sent.ok()) return sent.status();
      } else {
        absl::StatusOr<net::IoResult> r =
            socket_.Receive(absl::MakeSpan(buffer));
        if (!r.ok()) return r.status();
        if (r->end_of_stream()) return absl::OkStatus();
        if (r->would_block()) continue;
        absl::Status sent = socket_.SendAll(
            absl::MakeConstSpan(buffer.data(), r->bytes()), Until(deadline_));
        if (!sent.ok()) return sent;
      }
    }
    return absl::OkStatus();
  }

  net::Socket socket_;
  Clock::time_point deadline_;
  std::atomic<bool> stop_{false};
  absl::Status status_;
  std::thread thread_;  // started in the constructor's body, after the rest
};

// Sends one ping: all of it for a stream, one datagram otherwise.
absl::Status SendPing(net::Socket& client, const Payload& ping,
                      absl::Duration timeout) {
  if (client.type() != net::SocketType::kDatagram) {
    return client.SendAll(ping, timeout);
  }
  absl::StatusOr<net::IoResult> sent = client.Send(ping);
  if (!sent.ok()) return sent.status();
  if (sent->bytes() != ping.size()) {
    return absl::DataLossError(
        absl::StrFormat("sent %d of %d bytes", sent->bytes(), ping.size()));
  }
  return absl::OkStatus();
}

// Receives one whole pong within `timeout`.
absl::Status ReceivePong(net::Socket& client, Payload& pong,
                         absl::Duration timeout) {
  const Clock::time_point deadline = After(timeout);
  std::size_t got = 0;
  while (got < pong.size()) {
    absl::StatusOr<bool> ready = client.WaitReadable(Until(deadline));
    if (!ready.ok()) return ready.status();
    if (!*ready) {
      return absl::DeadlineExceededError(
          absl::StrCat("no reply within ", absl::FormatDuration(timeout)));
    }
    absl::StatusOr<net::IoResult> r =
        client.Receive(absl::MakeSpan(pong.data() + got, pong.size() - got));
    if (!r.ok()) return r.status();
    if (r->end_of_stream()) {
      return absl::UnavailableError("the echo server ended the stream");
    }
    got += r->bytes();
    if (client.type() == net::SocketType::kDatagram && got != pong.size()) {
      return absl::DataLossError(absl::StrFormat(
          "a %d-byte datagram came back for a %d-byte one", got, pong.size()));
    }
  }
  return absl::OkStatus();
}

// Untimed rounds before the measured ones: the first message wakes the
// echo thread and warms caches and, under a sandbox such as gVisor, costs
// milliseconds that say nothing about the transport.
constexpr int kWarmUpRounds = 1;

// Runs the ping-pongs; the durations of the completed measured ones go to
// `samples`. Round 0 and below are the warm-up.
absl::Status PingPong(net::Socket& client, const Config& config,
                      Clock::time_point deadline,
                      std::vector<absl::Duration>* samples) {
  Payload ping, pong;
  for (int i = 1 - kWarmUpRounds; i <= config.rounds; ++i) {
    if (Clock::now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrFormat(
          "only %d of %d rounds done within %s", samples->size(), config.rounds,
          absl::FormatDuration(config.transport_budget)));
    }
    ping.fill(static_cast<char>('a' + (i + 26) % 26));
    const Clock::time_point start = Clock::now();
    absl::Status s = SendPing(client, ping, config.reply_timeout);
    if (s.ok()) s = ReceivePong(client, pong, config.reply_timeout);
    const absl::Duration took = Since(start);
    const std::string round =
        i > 0 ? absl::StrCat("round ", i) : std::string("warm-up round");
    if (!s.ok()) {
      return absl::Status(s.code(), absl::StrCat(round, ": ", s.message()));
    }
    if (pong != ping) {
      return absl::DataLossError(
          absl::StrCat(round, ": the echo differs from the ping"));
    }
    if (i > 0) samples->push_back(took);
  }
  return absl::OkStatus();
}

// The rows of the round-trip table, in this order.
constexpr SocketKind kTransports[] = {kTcpIPv4, kTcpIPv6, kUdpIPv4, kUdpIPv6,
                                      kUnixStream};

// True when `status` says the OS lacks the family or type altogether.
bool IsUnsupported(const absl::Status& status) {
  switch (net::GetSocketError(status)) {
    case net::SocketError::kAddressFamilyNotSupported:
    case net::SocketError::kProtocolNotSupported:
    case net::SocketError::kSocketTypeNotSupported:
      return true;
    default:
      return status.code() == absl::StatusCode::kUnimplemented;
  }
}

// A fresh unix socket path in the temporary directory ($TMPDIR, %TEMP%).
absl::StatusOr<std::string> TempSocketPath() {
  std::error_code error;
  const std::filesystem::path dir = std::filesystem::temp_directory_path(error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no temporary directory for the socket file: ", error.message()));
  }
  std::random_device random;
  return (dir / absl::StrFormat("net-probe-%08x.sock", random())).string();
}

// Removes a unix socket file when the probe is done with it.
class RemoveOnExit {
 public:
  explicit RemoveOnExit(std::string path) : path_(std::move(path)) {}
  ~RemoveOnExit() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove(path_, ignored);
  }
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;

 private:
  std::string path_;
};

// The address the echo server binds: loopback port 0, or a temporary path.
absl::StatusOr<net::SocketAddress> ServerAddress(net::AddressFamily family,
                                                 std::string* unix_path) {
  if (family == net::AddressFamily::kUnix) {
    absl::StatusOr<std::string> path = TempSocketPath();
    if (!path.ok()) return path.status();
    *unix_path = *path;
    return net::SocketAddress::Unix(*unix_path);
  }
  return net::SocketAddress(net::IpAddress::Loopback(family), 0);
}

// The reason a transport is skipped, from the status that showed this
// machine lacks it.
std::string SkipReason(const SocketKind& t, const absl::Status& status) {
  if (t.family == net::AddressFamily::kUnix) {
    return absl::StrCat("unix-domain sockets are not available here: ",
                        status.message());
  }
  if (t.family == net::AddressFamily::kIPv6) {
    return absl::StrCat("IPv6 loopback is not available here: ",
                        status.message());
  }
  return std::string(status.message());
}

// Runs one transport's round trip.
RoundTrip RunTransport(const SocketKind& t, const Config& config) {
  RoundTrip out;
  out.transport = t.name;
  auto fail = [&out](absl::string_view step, const absl::Status& status) {
    out.outcome = Outcome::kFailed;
    out.detail = absl::StrCat(step, ": ", status.message());
    return out;
  };
  const Clock::time_point deadline = After(config.transport_budget);

  absl::StatusOr<net::Socket> server = net::Socket::Open(t.family, t.type);
  if (!server.ok()) {
    if (!IsUnsupported(server.status())) return fail("open", server.status());
    out.outcome = Outcome::kSkipped;
    out.detail = SkipReason(t, server.status());
    return out;
  }
  std::string unix_path;
  absl::StatusOr<net::SocketAddress> bind_to =
      ServerAddress(t.family, &unix_path);
  if (!bind_to.ok()) return fail("address", bind_to.status());
  RemoveOnExit cleanup(unix_path);
  if (absl::Status s = server->Bind(*bind_to); !s.ok()) {
    // ::1 missing (IPv6 disabled on lo) is this machine's lack, not a fault.
    if (t.family == net::AddressFamily::kIPv6 &&
        net::GetSocketError(s) == net::SocketError::kAddressNotAvailable) {
      out.outcome = Outcome::kSkipped;
      out.detail = SkipReason(t, s);
      return out;
    }
    return fail("bind", s);
  }
  const bool stream = t.type == net::SocketType::kStream;
  if (stream) {
    if (absl::Status s = server->Listen(); !s.ok()) return fail("listen", s);
  }
  absl::StatusOr<net::SocketAddress> address = server->LocalAddress();
  if (!address.ok()) return fail("local address", address.status());
  out.server = address->ToString();

  absl::StatusOr<net::Socket> client = net::Socket::Open(t.family, t.type);
  if (!client.ok()) return fail("open client", client.status());
  const Clock::time_point connect_start = Clock::now();
  absl::Status connected =
      stream ? client->Connect(*address, config.connect_timeout)
             : client->Connect(*address);
  out.connect = Since(connect_start);
  if (!connected.ok()) return fail("connect", connected);

  net::Socket echo_socket;
  if (stream) {
    absl::StatusOr<bool> ready = server->WaitReadable(config.connect_timeout);
    if (!ready.ok()) return fail("accept", ready.status());
    if (!*ready) {
      return fail("accept", absl::DeadlineExceededError(absl::StrCat(
                                "no connection within ",
                                absl::FormatDuration(config.connect_timeout))));
    }
    absl::StatusOr<net::Accepted> accepted = server->Accept();
    if (!accepted.ok()) return fail("accept", accepted.status());
    echo_socket = std::move(accepted->socket);
  } else {
    echo_socket = std::move(*server);
  }

  Echo echo(std::move(echo_socket), deadline);
  std::vector<absl::Duration> samples;
  samples.reserve(static_cast<std::size_t>(config.rounds));
  absl::Status ran = PingPong(*client, config, deadline, &samples);
  if (stream) (void)client->Shutdown(net::ShutdownMode::kWrite);
  absl::Status echoed = echo.Stop();

  out.rounds = static_cast<int>(samples.size());
  if (!samples.empty()) out.rtt = Summarize(std::move(samples));
  if (!ran.ok()) return fail("ping-pong", ran);
  if (!echoed.ok()) return fail("echo server", echoed);
  out.outcome = Outcome::kOk;
  return out;
}

}  // namespace

absl::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kSkipped:
      return "skipped";
    case Outcome::kFailed:
      return "failed";
  }
  return "failed";
}

Timings Summarize(std::vector<absl::Duration> samples) {
  Timings t;
  if (samples.empty()) return t;
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  t.min = samples.front();
  t.max = samples.back();
  t.median =
      n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  // Nearest-rank percentile: the smallest sample with at least 99% of the
  // samples at or below it.
  const auto rank =
      static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(n)));
  t.p99 = samples[std::max<std::size_t>(rank, 1) - 1];
  return t;
}

namespace {

// The event-loop backends, and the one a loop gets here and why.
void ProbeEventLoops(Report* report) {
  const std::vector<net::EventLoopBackend> available =
      net::AvailableEventLoopBackends();
  for (net::EventLoopBackend b : available) {
    LoopBackend entry;
    entry.name = std::string(net::EventLoopBackendName(b));
    entry.is_default = b == available.front();
    entry.usable = net::EventLoopBackendSupport(b);
    report->loop_backends.push_back(std::move(entry));
  }
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) {
    report->loop_in_use = "none";
    report->loop_reason = std::string(loop.status().message());
    return;
  }
  const net::EventLoopBackend got = (*loop)->backend();
  report->loop_in_use = std::string(net::EventLoopBackendName(got));
  const char* env = std::getenv("NET_EVENT_LOOP");
  const std::string asked = env != nullptr ? env : "";
  if (asked.empty() || asked == "default") {
    report->loop_reason = "the default (NET_EVENT_LOOP unset)";
    return;
  }
  absl::StatusOr<net::EventLoopBackend> named =
      net::ParseEventLoopBackend(asked);
  if (named.ok() && *named != got) {
    report->loop_reason = absl::StrCat(
        "NET_EVENT_LOOP=", asked, " is not usable here (",
        net::EventLoopBackendSupport(*named).message(), "): fell back");
    return;
  }
  report->loop_reason = absl::StrCat("NET_EVENT_LOOP=", asked);
}

}  // namespace

Report RunProbe(const Config& config) {
  Report report;
  report.config = config;
  report.started = absl::Now();
  const Clock::time_point start = Clock::now();
  report.backend = std::string(net::BackendName());
  ProbeEventLoops(&report);
  report.interfaces = net::ListInterfaces();
  // What an application that calls `Resolve("localhost", ...)` with the
  // default hints gets.
  report.localhost = net::Resolve("localhost", "", report.localhost_hints);
  for (const SocketKind& t : kTransports) {
    report.round_trips.push_back(RunTransport(t, config));
  }
  if (config.options) report.options = ProbeOptions();
  report.elapsed = Since(start);
  return report;
}

bool AnyFailed(const Report& report) {
  if (!report.interfaces.ok() || !report.localhost.ok()) return true;
  for (const RoundTrip& r : report.round_trips) {
    if (r.outcome == Outcome::kFailed) return true;
  }
  return false;
}

}  // namespace net_probe
