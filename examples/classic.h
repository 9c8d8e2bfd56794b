// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: examples/classic.h
// -----------------------------------------------------------------------------
//
// What the classic socket programs (examples/tcpserver, tcpclient,
// loop_server, mt_client) share beyond examples/flags.h: number flags with
// bounds, the `--connect HOST:PORT` target (a literal or a name for the
// resolver) and a blocking connect to the first of its addresses that
// answers.

#ifndef NET_EXAMPLES_CLASSIC_H_
#define NET_EXAMPLES_CLASSIC_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "net/net.h"

namespace net_examples {

// Fail()
//
// Says `message` on stderr after `program`; returns `status` (what `main()`
// returns).
inline int Fail(const char* program, absl::string_view message, int status) {
  std::fprintf(stderr, "%s: %s\n", program, std::string(message).c_str());
  return status;
}

// ParseInteger()
//
// For `ParseFlags()`: `value` as a whole number from `lo` to `hi` into
// `*out`, or kInvalidArgument naming `name` and the bounds.
template <typename T>
absl::Status ParseInteger(const std::string& name, const std::string& value,
                          T lo, T hi, T* out) {
  if (!absl::SimpleAtoi(value, out) || *out < lo || *out > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " wants a whole number from ", lo, " to ", hi,
                     ", not \"", value, "\""));
  }
  return absl::OkStatus();
}

// ParseSeconds()
//
// For `ParseFlags()`: `value` as seconds (decimals allowed) above 0 and up
// to a day.
inline absl::Status ParseSeconds(const std::string& name,
                                 const std::string& value,
                                 absl::Duration* out) {
  double seconds = 0;
  if (!absl::SimpleAtod(value, &seconds) || !(seconds > 0) || seconds > 86400) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " wants seconds above 0 and up to 86400, not \"", value, "\""));
  }
  *out = absl::Seconds(seconds);
  return absl::OkStatus();
}

// Target
//
// A `--connect HOST:PORT` argument: HOST a name or an IP literal ([::1]
// for IPv6), PORT 1 to 65535.
struct Target {
  std::string host;
  std::string port;
  std::string text;  // as given, for messages
};

// ParseTarget()
//
// Splits "host:port" and "[v6]:port". kInvalidArgument for anything else,
// and for nothing at all (a command-line error: nothing is resolved yet).
inline absl::StatusOr<Target> ParseTarget(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("--connect is required");
  const std::size_t colon = text.rfind(':');
  absl::string_view host =
      colon == absl::string_view::npos ? "" : text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::uint32_t port = 0;
  if (host.empty() || !absl::SimpleAtoi(text.substr(colon + 1), &port) ||
      port == 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--connect wants HOST:PORT (port 1-65535), not \"", text, "\""));
  }
  return Target{std::string(host), absl::StrCat(port), std::string(text)};
}

// Resolve()
//
// The stream addresses of `target`, in the resolver's order (an IP literal
// gives itself; the resolver is not asked to look it up in DNS).
inline absl::StatusOr<std::vector<net::SocketAddress>> Resolve(
    const Target& target) {
  absl::StatusOr<net::SocketAddress> literal =
      net::SocketAddress::Parse(target.text);
  if (literal.ok()) return std::vector<net::SocketAddress>{*literal};
  net::ResolveHints hints;
  hints.type = net::SocketType::kStream;
  hints.numeric_service = true;
  absl::StatusOr<std::vector<net::ResolvedAddress>> resolved =
      net::Resolve(target.host, target.port, hints);
  if (!resolved.ok()) return resolved.status();
  std::vector<net::SocketAddress> addresses;
  for (const net::ResolvedAddress& r : *resolved) {
    addresses.push_back(r.address);
  }
  if (addresses.empty()) {
    return absl::NotFoundError(
        absl::StrCat(target.text, " has no stream address"));
  }
  return addresses;
}

// ConnectToAny()
//
// A blocking stream socket connected to the first of `addresses` that
// accepts within `timeout` (each). The error is the last address's.
inline absl::StatusOr<net::Socket> ConnectToAny(
    const std::vector<net::SocketAddress>& addresses, absl::Duration timeout) {
  absl::Status last = absl::NotFoundError("no address to connect to");
  for (const net::SocketAddress& address : addresses) {
    absl::StatusOr<net::Socket> socket =
        net::Socket::Open(address.family(), net::SocketType::kStream);
    if (!socket.ok()) {
      last = socket.status();
      continue;
    }
    last = socket->Connect(address, timeout);
    if (last.ok()) return std::move(socket).value();
  }
  return last;
}

}  // namespace net_examples

#endif  // NET_EXAMPLES_CLASSIC_H_
