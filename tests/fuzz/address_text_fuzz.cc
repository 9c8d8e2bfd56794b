// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/fuzz/address_text_fuzz.cc
// -----------------------------------------------------------------------------
//
// Fuzz target: the address text parser (RELIABILITY.md P1, P2, P3, P4, P6).
// The whole input is the text, given to both `IpAddress::Parse()` and
// `SocketAddress::Parse()`. Oracles:
//
//   * round trip: on success, Parse(ToString(a)) succeeds and equals `a`,
//     and ToString() is a fixed point (formatting the re-parsed value gives
//     the same text);
//   * native layout: an IP SocketAddress is exactly sizeof(sockaddr_in) or
//     sizeof(sockaddr_in6) long, its family agrees with the IpAddress, and
//     FromNative() of its own bytes gives it back;
//   * differential against the OS's inet_pton() (glibc), by the policy of
//     core/address.cc: for text without '%', IpAddress::Parse() accepts
//     exactly what inet_pton(AF_INET) or inet_pton(AF_INET6) accepts (the
//     family chosen by whether the text has a ':'), with the same bytes --
//     both are strict dotted decimal (no `127.1`, `010.0.0.1`, `0x7f.1`),
//     and both refuse a `::` that stands for no group. With a zone
//     (`fe80::1%eth0`), which inet_pton does not take: whatever net accepts,
//     inet_pton accepts the part before '%' with the same bytes, and a part
//     inet_pton rejects makes net reject. Input net bounds before scanning
//     (longer than kMaxAddressTextLength, or holding a NUL) must be
//     rejected whatever inet_pton says.
//   * SocketAddress::Parse() of "host:port" / "[host]:port" accepts only
//     what IpAddress::Parse() accepts for the host, with the port in range.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "net/address.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using net::AddressFamily;
using net::IpAddress;
using net::SocketAddress;
using net_fuzz::FuzzCheck;

// inet_pton() of `text` (NUL-terminated copy) for `family`; the bytes in
// `out` (4 or 16).
bool Pton(int family, absl::string_view text, unsigned char* out) {
  std::string z(text);
  return inet_pton(family, z.c_str(), out) == 1;
}

void CheckIpRoundTrip(const IpAddress& ip, absl::string_view text) {
  const std::string printed = ip.ToString();
  absl::StatusOr<IpAddress> again = IpAddress::Parse(printed);
  FuzzCheck(again.ok(), "IpAddress::ToString() output does not parse",
            absl::StrCat(text, " -> ", printed));
  FuzzCheck(*again == ip, "IpAddress Parse(ToString(a)) != a",
            absl::StrCat(text, " -> ", printed, " -> ", again->ToString()));
  FuzzCheck(again->ToString() == printed, "IpAddress::ToString() not stable",
            printed);
  FuzzCheck(ip.bytes().size() == (ip.is_v4() ? 4u : 16u),
            "IpAddress::bytes() has the wrong size", text);
}

void CheckIpDifferential(absl::string_view text,
                         const absl::StatusOr<IpAddress>& ip) {
  const bool bounded = text.size() <= net::kMaxAddressTextLength &&
                       text.find('\0') == absl::string_view::npos;
  if (!bounded) {
    FuzzCheck(!ip.ok(), "over-long or NUL-holding text was accepted", text);
    return;
  }
  const std::size_t percent = text.find('%');
  const absl::string_view address = text.substr(0, percent);
  const bool v6 = address.find(':') != absl::string_view::npos;
  unsigned char bytes[16] = {};
  const bool pton = Pton(v6 ? AF_INET6 : AF_INET, address, bytes);
  if (ip.ok()) {
    FuzzCheck(pton, "net accepts an address inet_pton rejects", text);
    FuzzCheck(ip->is_v6() == v6, "family differs from inet_pton's", text);
    FuzzCheck(std::memcmp(ip->bytes().data(), bytes, v6 ? 16 : 4) == 0,
              "net and inet_pton give different bytes", text);
    if (percent == absl::string_view::npos) {
      FuzzCheck(ip->scope_id() == 0, "scope id without a zone", text);
    }
    return;
  }
  if (percent == absl::string_view::npos) {
    // No zone: the documented policy is exactly inet_pton's (strict dotted
    // decimal, RFC 4291 IPv6), so inet_pton must reject too. Brackets are
    // not part of an IpAddress; inet_pton refuses them as well.
    FuzzCheck(!pton, "inet_pton accepts an address net rejects", text);
  }
  // With a zone, net may reject a good address for its zone (empty, too
  // long, bad characters, unknown interface) or for a zone on IPv4.
}

void CheckSocketAddress(absl::string_view text,
                        const absl::StatusOr<SocketAddress>& a) {
  if (!a.ok()) return;
  const std::string printed = a->ToString();
  absl::StatusOr<SocketAddress> again = SocketAddress::Parse(printed);
  FuzzCheck(again.ok(), "SocketAddress::ToString() output does not parse",
            absl::StrCat(text, " -> ", printed));
  FuzzCheck(*again == *a, "SocketAddress Parse(ToString(a)) != a",
            absl::StrCat(text, " -> ", printed, " -> ", again->ToString()));
  FuzzCheck(again->ToString() == printed,
            "SocketAddress::ToString() not stable", printed);

  absl::StatusOr<SocketAddress> native =
      SocketAddress::FromNative(a->native(), a->native_length());
  FuzzCheck(native.ok() && *native == *a, "FromNative(native()) != a", text);

  switch (a->family()) {
    case AddressFamily::kIPv4:
    case AddressFamily::kIPv6: {
      const bool v6 = a->family() == AddressFamily::kIPv6;
      FuzzCheck(a->native_length() ==
                    (v6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in)),
                "native_length() is not sizeof the family's sockaddr", text);
      FuzzCheck(a->native()->sa_family == (v6 ? AF_INET6 : AF_INET),
                "native family field is wrong", text);
      FuzzCheck(a->ip().is_v6() == v6, "ip() family differs", text);
      // The host part alone parses to the same IpAddress: brackets only
      // around IPv6, the port after the last ':'.
      absl::string_view host = text;
      std::size_t colon = host.rfind(':');
      FuzzCheck(colon != absl::string_view::npos, "IP endpoint without ':'",
                text);
      absl::string_view port = host.substr(colon + 1);
      host = host.substr(0, colon);
      if (v6) {
        FuzzCheck(host.size() >= 2 && host.front() == '[' &&
                      host.back() == ']',
                  "IPv6 endpoint without brackets", text);
        host = host.substr(1, host.size() - 2);
      }
      absl::StatusOr<IpAddress> ip = IpAddress::Parse(host);
      FuzzCheck(ip.ok() && *ip == a->ip(), "host part parses differently",
                text);
      std::uint32_t port_value = 0;
      FuzzCheck(!port.empty() && port.size() <= 5 &&
                    std::all_of(port.begin(), port.end(),
                                [](char c) {
                                  return absl::ascii_isdigit(
                                      static_cast<unsigned char>(c));
                                }) &&
                    absl::SimpleAtoi(port, &port_value) &&
                    port_value <= 65535 && port_value == a->port(),
                "port is not the decimal 0..65535 after the last ':'", text);
      break;
    }
    case AddressFamily::kUnix:
      FuzzCheck(text.substr(0, 5) == "unix:", "unix address without unix:",
                text);
      break;
    case AddressFamily::kUnspecified:
      FuzzCheck(false, "Parse() gave an unspecified address", text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<IpAddress> ip = IpAddress::Parse(text);
  if (ip.ok()) CheckIpRoundTrip(*ip, text);
  CheckIpDifferential(text, ip);

  absl::StatusOr<SocketAddress> endpoint = SocketAddress::Parse(text);
  CheckSocketAddress(text, endpoint);
  return 0;
}
