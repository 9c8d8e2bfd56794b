// Copyright 2026 The net Authors.
//
// Opens N connections to an echo server, sends each its own byte pattern
// and checks that exactly the same bytes come back.
//
//   echo_client --connect ADDR:PORT [--connections N] [--bytes B]
//
// Exits 0 and prints "verified N connections" when every echo matched.

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr const char kUsage[] =
    "usage: echo_client --connect ADDR:PORT [--connections N] [--bytes B]\n"
    "  --connections  connections held open at once (1..20000, default 100)\n"
    "  --bytes        bytes sent on each (1..16777216, default 4096)\n";

bool ParseBounded(const std::string& text, long lo, long hi, long* out) {
  return absl::SimpleAtoi(text, out) && *out >= lo && *out <= hi;
}

// Sends `pattern` and reads the echo at the same time (non-blocking, in
// turns), so that any size works: a server that stops reading while its
// echo is not taken (backpressure) never waits on us.
absl::Status Verify(net::Socket& s, const std::string& pattern) {
  constexpr std::size_t kChunk = 256 * 1024;
  NET_RETURN_IF_ERROR(s.SetNonBlocking(true));
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  std::string echo(pattern.size(), '\0');
  std::size_t sent = 0, got = 0;
  while (got < echo.size()) {
    bool moved = false;
    if (sent < pattern.size()) {
      NET_ASSIGN_OR_RETURN(
          net::IoResult w,
          s.Send(absl::string_view(pattern).substr(sent, kChunk)));
      if (!w.would_block()) {
        sent += w.bytes();
        moved = true;
      }
    }
    NET_ASSIGN_OR_RETURN(net::IoResult r,
                         s.Receive(absl::MakeSpan(&echo[got], echo.size() - got)));
    if (r.end_of_stream()) return absl::DataLossError("server closed early");
    if (!r.would_block()) {
      got += r.bytes();
      moved = true;
    }
    if (moved) continue;
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no echo for 60 s; ", got, " of ", echo.size(), " bytes back"));
    }
    NET_RETURN_IF_ERROR(s.WaitReadable(absl::Milliseconds(10)).status());
  }
  if (echo != pattern) return absl::DataLossError("echo differs");
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  std::string target;
  long connections = 100, bytes = 4096;
  const std::optional<int> stop = net_examples::ParseFlags(
      argc, argv, "echo_client", kUsage,
      [&](const std::string& name, const std::string& value) {
        bool ok = true;
        if (name == "--connect") {
          target = value;
        } else if (name == "--connections") {
          ok = ParseBounded(value, 1, 20000, &connections);
        } else if (name == "--bytes") {
          ok = ParseBounded(value, 1, 16 << 20, &bytes);
        } else {
          return absl::NotFoundError(name);
        }
        return ok ? absl::OkStatus()
                  : absl::InvalidArgumentError(
                        absl::StrCat("bad value for ", name, ": ", value));
      });
  if (stop.has_value()) return *stop;
  absl::StatusOr<net::SocketAddress> where = net::SocketAddress::Parse(target);
  if (!where.ok()) {
    std::fprintf(stderr, "echo_client: %s\n%s", std::string(where.status().message()).c_str(), kUsage);
    return 2;
  }
  std::vector<net::Socket> sockets;
  for (long i = 0; i < connections; ++i) {
    absl::StatusOr<net::Socket> s = net::Socket::Open(where->family(), net::SocketType::kStream);
    absl::Status st = s.ok() ? s->Connect(*where, absl::Seconds(10)) : s.status();
    if (!st.ok()) {
      std::fprintf(stderr, "echo_client: connection %ld: %s\n", i, std::string(st.message()).c_str());
      return 1;
    }
    sockets.push_back(std::move(*s));
  }
  for (long i = 0; i < connections; ++i) {
    std::string pattern(static_cast<std::size_t>(bytes), '\0');
    for (long j = 0; j < bytes; ++j) pattern[j] = static_cast<char>((i * 131 + j * 7) & 0xff);
    absl::Status st = Verify(sockets[i], pattern);
    if (!st.ok()) {
      std::fprintf(stderr, "echo_client: connection %ld: %s\n", i, std::string(st.message()).c_str());
      return 1;
    }
  }
  std::printf("verified %ld connections\n", connections);
  return 0;
}
