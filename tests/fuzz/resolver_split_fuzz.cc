// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/fuzz/resolver_split_fuzz.cc
// -----------------------------------------------------------------------------
//
// Fuzz target: `net::Resolve()`'s argument checks and its numeric path
// (RELIABILITY.md P8, P1, P3, P4). net has no public "host:port" splitter;
// `Resolve(host, service, hints)` is the front door, and core/resolver.cc
// checks host, service and hints before the OS sees them. The input is
// split into host and service (FuzzInput strings) and hints (trailing
// bytes). Every call sets numeric_host and numeric_service
// (AI_NUMERICHOST | AI_NUMERICSERV) and never canonical_name, so no name
// is ever looked up and no query leaves the machine. Oracles:
//
//   * host or service longer than 1024 bytes or holding a NUL, both empty,
//     hints.family kUnix or out of the enum, hints.type out of the enum,
//     a negative protocol: kInvalidArgument, whatever else is wrong;
//   * every result is an IP endpoint of the hinted family (if one was
//     hinted) and type, and its text round-trips through
//     SocketAddress::Parse();
//   * a service of 1 to 5 decimal digits up to 65535 is the port of every
//     result; an empty service gives port 0;
//   * a host that IpAddress::Parse() accepts without a zone resolves
//     (families permitting, AI_ADDRCONFIG off) to exactly that address:
//     net's parser and the OS's numeric resolver agree on what they both
//     accept. (The OS accepts more -- inet_aton's `127.1` -- which the
//     parser's policy refuses; P3.) One OS difference is allowed: glibc
//     resolves an IPv4-mapped literal (`::ffff:1.2.3.4`) asked for as IPv4
//     to the IPv4 address it maps, where other OSes refuse it
//     (corpus/resolver_split/crash-v4-mapped-literal-as-ipv4).
//   * with an empty host, passive gives the wildcard and otherwise the
//     loopback address.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "net/address.h"
#include "net/resolver.h"
#include "net/socket.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using net::AddressFamily;
using net::IpAddress;
using net::SocketType;
using net_fuzz::FuzzCheck;
using net_fuzz::FuzzInput;

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Host or service text: mostly short, sometimes past the 1024-byte bound.
std::string Field(FuzzInput& in, std::uint8_t shape) {
  std::string s = in.String(96);
  switch (shape % 16) {
    case 0: s.append(1025 - std::min<std::size_t>(s.size(), 1024), 'a'); break;
    case 1: s.append(1024 - std::min<std::size_t>(s.size(), 1024), '1'); break;
    case 2: s.clear(); break;
    default: break;
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  FuzzInput in(data, size);
  const std::uint8_t host_shape = in.Byte();
  const std::uint8_t service_shape = in.Byte();
  const std::uint8_t h0 = in.Byte();
  const std::uint8_t h1 = in.Byte();

  net::ResolveHints hints;
  hints.family = static_cast<AddressFamily>(h0 % 6);  // 4 and 5: no enum
  hints.type = static_cast<SocketType>((h0 >> 3) % 6);
  switch (h1 % 8) {
    case 0: hints.protocol = 0; break;
    case 1: hints.protocol = 6; break;
    case 2: hints.protocol = 17; break;
    case 3: hints.protocol = -1; break;
    case 4: hints.protocol = static_cast<int>(in.U32()); break;
    default: hints.protocol = 0; break;
  }
  hints.passive = (h1 & 0x08) != 0;
  hints.address_config = (h1 & 0x10) != 0;
  // Never touch DNS, never ask for a canonical name (no reverse lookup).
  hints.numeric_host = true;
  hints.numeric_service = true;
  hints.canonical_name = false;

  const std::string host = Field(in, host_shape);
  const std::string service = Field(in, service_shape);
  const std::string what =
      absl::StrCat("host \"", host.substr(0, 80), "\" (", host.size(),
                   " bytes) service \"", service.substr(0, 80), "\" (",
                   service.size(), " bytes) family ",
                   static_cast<int>(hints.family), " type ",
                   static_cast<int>(hints.type), " protocol ", hints.protocol);

  absl::StatusOr<std::vector<net::ResolvedAddress>> r =
      net::Resolve(host, service, hints);

  const bool bad_input =
      host.size() > 1024 || service.size() > 1024 ||
      host.find('\0') != std::string::npos ||
      service.find('\0') != std::string::npos ||
      (host.empty() && service.empty()) ||
      static_cast<int>(hints.family) > 2 ||
      static_cast<int>(hints.type) > 3 || hints.protocol < 0;
  if (bad_input) {
    FuzzCheck(r.status().code() == absl::StatusCode::kInvalidArgument,
              "bad Resolve() arguments not rejected with kInvalidArgument",
              absl::StrCat(what, ": ", r.status().ToString()));
    return 0;
  }

  std::uint32_t port = 0;
  const bool plain_port = service.empty() ||
                          (AllDigits(service) && service.size() <= 5 &&
                           absl::SimpleAtoi(service, &port) && port <= 65535);

  absl::StatusOr<IpAddress> parsed = IpAddress::Parse(host);
  const bool net_literal =
      parsed.ok() && host.find('%') == std::string::npos;
  const bool family_fits =
      hints.family == AddressFamily::kUnspecified ||
      (net_literal && parsed->family() == hints.family);
  const bool type_fits =
      hints.type == SocketType::kStream || hints.type == SocketType::kDatagram;
  if (net_literal && family_fits && plain_port && type_fits &&
      hints.protocol == 0 && !hints.address_config) {
    FuzzCheck(r.ok(), "a literal net parses does not resolve numerically",
              absl::StrCat(what, ": ", r.status().ToString()));
  }
  if (!r.ok()) return 0;

  FuzzCheck(!r->empty(), "Resolve() succeeded with no result", what);
  for (const net::ResolvedAddress& a : *r) {
    const std::string text = a.address.ToString();
    FuzzCheck(a.address.is_ip(), "a result is not an IP endpoint",
              absl::StrCat(what, ": ", text));
    if (hints.family != AddressFamily::kUnspecified) {
      FuzzCheck(a.address.family() == hints.family,
                "a result of another family than hinted",
                absl::StrCat(what, ": ", text));
    }
    FuzzCheck(a.type == hints.type, "a result of another socket type",
              absl::StrCat(what, ": ", text));
    absl::StatusOr<net::SocketAddress> again = net::SocketAddress::Parse(text);
    FuzzCheck(again.ok() && *again == net::SocketAddress(a.address.ip(),
                                                         a.address.port()),
              "a result's text does not round-trip",
              absl::StrCat(what, ": ", text));
    if (plain_port) {
      FuzzCheck(a.address.port() == port, "port differs from the service",
                absl::StrCat(what, ": ", text));
    }
    if (net_literal) {
      // glibc gives an IPv4-mapped literal asked for as IPv4 as the IPv4
      // address it maps (other OSes refuse it); either is that address.
      const IpAddress::V6Bytes& b = parsed->v6_bytes();
      const bool mapped_as_v4 =
          hints.family == AddressFamily::kIPv4 && parsed->IsV4Mapped() &&
          a.address.ip() == IpAddress::V4(b[12], b[13], b[14], b[15]);
      FuzzCheck(a.address.ip() == *parsed || mapped_as_v4,
                "a literal resolved to another address",
                absl::StrCat(what, ": ", text));
    }
    if (host.empty()) {
      const IpAddress ip = a.address.ip();
      FuzzCheck(hints.passive ? ip.IsUnspecified() : ip.IsLoopback(),
                "empty host is not the wildcard (passive) or loopback",
                absl::StrCat(what, ": ", text));
    }
  }
  return 0;
}
