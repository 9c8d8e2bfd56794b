// Copyright 2026 The net Authors.
//
// The address value types: the strict text parser (good and malformed input),
// the RFC 5952 formatter, the native layout round trip, and the value
// semantics (predicates, ordering, hashing, printing).

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "net/net.h"
#include "platform/sys.h"
#include "tests/test_util.h"

namespace doctest {
template <>
struct StringMaker<net::IpAddress> {
  static String convert(const net::IpAddress& a) {
    return a.ToString().c_str();
  }
};
template <>
struct StringMaker<net::SocketAddress> {
  static String convert(const net::SocketAddress& a) {
    return a.ToString().c_str();
  }
};
}  // namespace doctest

namespace {

using net::AddressFamily;
using net::IpAddress;
using net::SocketAddress;

IpAddress::V6Bytes V6(std::initializer_list<std::uint16_t> groups) {
  IpAddress::V6Bytes b{};
  std::size_t i = 0;
  for (std::uint16_t g : groups) {
    b[i++] = static_cast<std::uint8_t>(g >> 8);
    b[i++] = static_cast<std::uint8_t>(g & 0xff);
  }
  return b;
}

// Checks that `status` is kInvalidArgument and names `input` (its first 64
// bytes: messages quote no more).
void CheckRejected(const absl::Status& status, absl::string_view input) {
  INFO("input: ", absl::CHexEscape(input), "  status: ", status.ToString());
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::StrContains(status.message(),
                          absl::CHexEscape(input.substr(0, 64))));
}

TEST_CASE("AddressFamilyName names every family") {
  CHECK(net::AddressFamilyName(AddressFamily::kUnspecified) == "unspecified");
  CHECK(net::AddressFamilyName(AddressFamily::kIPv4) == "ipv4");
  CHECK(net::AddressFamilyName(AddressFamily::kIPv6) == "ipv6");
  CHECK(net::AddressFamilyName(AddressFamily::kUnix) == "unix");
}

TEST_CASE("IpAddress factories give the documented family and bytes") {
  IpAddress def;
  CHECK(def.is_v4());
  CHECK(def.ToString() == "0.0.0.0");
  IpAddress v4 = IpAddress::V4(192, 0, 2, 1);
  CHECK(v4 == IpAddress::V4({192, 0, 2, 1}));
  CHECK(v4.bytes().size() == 4);
  CHECK(v4.v4_bytes() == IpAddress::V4Bytes{192, 0, 2, 1});
  IpAddress v6 = IpAddress::V6(V6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}), 7);
  CHECK(v6.is_v6());
  CHECK(v6.bytes().size() == 16);
  CHECK(v6.v4_bytes() == IpAddress::V4Bytes{});
  CHECK(v6.scope_id() == 7);
  CHECK(IpAddress::Loopback(AddressFamily::kIPv4).ToString() == "127.0.0.1");
  CHECK(IpAddress::Loopback(AddressFamily::kIPv6).ToString() == "::1");
  CHECK(IpAddress::Loopback(AddressFamily::kUnix).ToString() == "127.0.0.1");
  CHECK(IpAddress::Any(AddressFamily::kIPv4).ToString() == "0.0.0.0");
  CHECK(IpAddress::Any(AddressFamily::kIPv6).ToString() == "::");
}

struct GoodRow {
  const char* input;
  AddressFamily family;
  const char* formatted;
  std::uint16_t port;
};

TEST_CASE("SocketAddress::Parse accepts strict IPv4, bracketed IPv6 and unix") {
  const GoodRow rows[] = {
      {"0.0.0.0:0", AddressFamily::kIPv4, "0.0.0.0:0", 0},
      {"255.255.255.255:65535", AddressFamily::kIPv4, "255.255.255.255:65535",
       65535},
      {"10.0.0.1:080", AddressFamily::kIPv4, "10.0.0.1:80", 80},
      {"[::]:0", AddressFamily::kIPv6, "[::]:0", 0},
      {"[::1]:80", AddressFamily::kIPv6, "[::1]:80", 80},
      {"[::ffff:1.2.3.4]:1", AddressFamily::kIPv6, "[::ffff:1.2.3.4]:1", 1},
      {"[1:2:3:4:5:6:7:8]:9", AddressFamily::kIPv6, "[1:2:3:4:5:6:7:8]:9", 9},
      {"[ABCD:EF01:2345:6789:ABCD:EF01:2345:6789]:1", AddressFamily::kIPv6,
       "[abcd:ef01:2345:6789:abcd:ef01:2345:6789]:1", 1},
      {"[1:2:3:4:5:6:1.2.3.4]:2", AddressFamily::kIPv6,
       "[1:2:3:4:5:6:102:304]:2", 2},
      {"unix:/tmp/x.sock", AddressFamily::kUnix, "unix:/tmp/x.sock", 0},
      {"unix:relative.sock", AddressFamily::kUnix, "unix:relative.sock", 0},
      {"unix:", AddressFamily::kUnix, "unix:", 0},
  };
  for (const GoodRow& row : rows) {
    INFO("input: ", row.input);
    absl::StatusOr<SocketAddress> a = SocketAddress::Parse(row.input);
    NET_REQUIRE_OK(a);
    CHECK(a->family() == row.family);
    CHECK(a->ToString() == row.formatted);
    CHECK(a->port() == row.port);
  }
}

TEST_CASE("a numeric IPv6 zone is the interface index, without the OS") {
  absl::StatusOr<SocketAddress> a = SocketAddress::Parse("[fe80::1%1]:80");
  NET_REQUIRE_OK(a);
  CHECK(a->ip().scope_id() == 1);
  CHECK(a->port() == 80);
  absl::StatusOr<IpAddress> big = IpAddress::Parse("fe80::1%4294967295");
  NET_REQUIRE_OK(big);
  CHECK(big->scope_id() == 4294967295u);
}

TEST_CASE("an IPv6 zone may name the loopback interface") {
  absl::StatusOr<std::vector<net::NetworkInterface>> interfaces =
      net::ListInterfaces();
  if (!interfaces.ok()) {
    NET_SKIP(absl::StrCat("cannot list interfaces here: ",
                          interfaces.status().ToString()));
  }
  const net::NetworkInterface* loopback = nullptr;
  for (const net::NetworkInterface& i : *interfaces) {
    if (i.flags.loopback) loopback = &i;
  }
  if (loopback == nullptr) NET_SKIP("no loopback interface listed here");
  std::string text = absl::StrCat("[fe80::1%", loopback->name, "]:80");
  absl::StatusOr<SocketAddress> a = SocketAddress::Parse(text);
  NET_REQUIRE_OK(a);
  CHECK(a->ip().scope_id() == loopback->index);
  CHECK(a->ToString() == text);  // the index prints as the name again
}

TEST_CASE("SocketAddress::Parse rejects malformed input naming the input") {
  const char* const rows[] = {
      // Brackets, ports.
      "[ffff::1",
      "[ffff::1]",
      "[ffff::1]x",
      "[ffff::1]:65599",
      "[ffff::1]:-1",
      "1.2.3.4",
      "1.2.3.4:",
      "1.2.3.4:+80",
      "1.2.3.4:080x",
      "1.2.3.4:99999",
      "1.2.3.4:000000",
      "[1.2.3.4]:80",
      ":80",
      "[]:80",
      // IPv4: range, part count, legacy forms.
      "256.0.0.0:1",
      "1.2.3.4.5:1",
      "1.2.3:1",
      "127.1:1",
      "010.0.0.1:1",
      "0x7f.0.0.1:1",
      "1.2.3.04:1",
      "1.2.3.0004:1",
      "1..2.3:1",
      "1.2.3.4.:1",
      "-1.2.3.4:1",
      // IPv6.
      "[1::2::3]:1",
      "[:::1]:1",
      "[1:::2]:1",
      "[fffff::]:1",
      "[::1.0.1.1000]:1",
      "[::1.2.3]:1",
      "[::01.2.3.4]:1",
      "[1.2.3.4::]:1",
      "[::1.2.3.4:5]:1",
      "[1:2:3:4:5:6:7:8:9]:1",
      "[1:2:3:4:5:6:7]:1",
      "[1:2:3:4:5:6:7:8::]:1",
      "[::1:2:3:4:5:6:7:8]:1",
      "[1:2:3:4:5:6:7:1.2.3.4]:1",
      "[:1::]:1",
      "[::1:]:1",
      "[1:2:3:4:5:6:7:]:1",
      "[:1:2:3:4:5:6:7]:1",
      "[::g]:1",
      "[::1 ]:1",
      // IPv6 without brackets.
      "::1:80",
      "fe80::1%1:80",
      "1:2:3:4:5:6:7:8:80",
      // Zones.
      "[fe80::1%]:1",
      "[fe80::1%nosuchif0]:1",
      "[fe80::1%a b]:1",
      "[fe80::1%1%2]:1",
      "[fe80::1%4294967296]:1",
      "1.2.3.4%1:80",
      "1.2.3.4%eth0:80",
      // Whitespace, NUL, empty.
      "",
      " 1.2.3.4:80",
      "1.2.3.4:80 ",
      "1.2.3.4 :80",
      "1.2.3.4:\t80",
      "[::1]:80\n",
  };
  for (const char* row : rows)
    CheckRejected(SocketAddress::Parse(row).status(), row);

  const std::string with_nul[] = {
      std::string("1.2.3.4:80\0", 11),   std::string("1.2\0.3.4:80", 11),
      std::string("[::1\0]:80", 9),      std::string("[fe80::1%lo\0]:80", 16),
      std::string("unix:/tmp/a\0b", 13),
  };
  for (const std::string& row : with_nul) {
    CheckRejected(SocketAddress::Parse(row).status(), row);
  }
  std::string long_zone =
      absl::StrCat("[fe80::1%", std::string(65, 'z'), "]:1");
  CheckRejected(SocketAddress::Parse(long_zone).status(), long_zone);
}

TEST_CASE("the message says what is wrong with the input") {
  absl::Status s = SocketAddress::Parse("1.2.3.4:99999").status();
  CHECK(s.message() ==
        "parse address \"1.2.3.4:99999\": port out of range (0..65535)");
  CHECK(absl::StrContains(
      SocketAddress::Parse("010.0.0.1:1").status().message(), "leading zero"));
  CHECK(
      absl::StrContains(SocketAddress::Parse("[1::2::3]:1").status().message(),
                        "more than one '::'"));
  CHECK(absl::StrContains(
      SocketAddress::Parse("[fe80::1%nosuchif0]:1").status().message(),
      "unknown interface"));
}

TEST_CASE(
    "input longer than kMaxAddressTextLength is rejected before scanning") {
  for (std::size_t host :
       {std::size_t{129}, std::size_t{4096}, std::size_t{1} << 20}) {
    std::string text = absl::StrCat("[", std::string(host, 'f'), "]:1");
    INFO("host bytes: ", host);
    absl::Status s = SocketAddress::Parse(text).status();
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(absl::StrContains(s.message(), absl::StrCat(text.size(), " bytes")));
    CHECK(absl::StrContains(s.message(), "limit of 128"));
    CHECK(s.message().size() < 200);  // quotes a prefix, never the whole input
    CHECK(IpAddress::Parse(text.substr(1, host)).status().code() ==
          absl::StatusCode::kInvalidArgument);
  }
  // The longest valid text fits under the bound: full mapped form, 64-byte
  // numeric zone, 5-digit port.
  std::string longest =
      absl::StrCat("[0000:0000:0000:0000:0000:ffff:255.255.255.255%",
                   std::string(63, '0'), "1]:65535");
  CHECK(longest.size() <= net::kMaxAddressTextLength);
  NET_CHECK_OK(SocketAddress::Parse(longest));
}

TEST_CASE(
    "IpAddress::Parse takes a bare address and rejects ports and brackets") {
  NET_CHECK_OK(IpAddress::Parse("1.2.3.4"));
  NET_CHECK_OK(IpAddress::Parse("::"));
  NET_CHECK_OK(IpAddress::Parse("FE80::1%2"));
  const char* const bad[] = {"1.2.3.4:80", "[::1]", "[::1]:80", "127.1", "::1%",
                             "1.2.3.4%1",  "",      " ::1",     "::1 "};
  for (const char* row : bad)
    CheckRejected(IpAddress::Parse(row).status(), row);
}

TEST_CASE("IPv6 is formatted in the canonical RFC 5952 form") {
  const std::pair<const char*, const char*> rows[] = {
      {"[2001:DB8:0:0:1:0:0:1]:1", "[2001:db8::1:0:0:1]:1"},
      {"[1:0:0:2:0:0:0:3]:1", "[1:0:0:2::3]:1"},
      {"[1:0:2:3:4:5:6:7]:1", "[1:0:2:3:4:5:6:7]:1"},
      {"[1:0:0:2:3:0:0:4]:1", "[1::2:3:0:0:4]:1"},
      {"[2001:0db8:0000:0000:0000:0000:0000:0001]:1", "[2001:db8::1]:1"},
      {"[0:0:0:0:0:0:0:0]:0", "[::]:0"},
      {"[0:0:0:0:0:0:0:1]:1", "[::1]:1"},
      {"[1:0:0:0:0:0:0:0]:1", "[1::]:1"},
      {"[1:2:3:4:5:6:7::]:1", "[1:2:3:4:5:6:7:0]:1"},
      {"[::2:3:4:5:6:7:8]:1", "[0:2:3:4:5:6:7:8]:1"},
      {"[::ffff:1.2.3.4]:1", "[::ffff:1.2.3.4]:1"},
      {"[0:0:0:0:0:FFFF:0102:0304]:1", "[::ffff:1.2.3.4]:1"},
      {"[::1.2.3.4]:1", "[::102:304]:1"},
      {"[fe80::1%4000000000]:1", "[fe80::1%4000000000]:1"},
      {"1.2.3.4:00080", "1.2.3.4:80"},
  };
  for (const auto& row : rows) {
    const char* input = row.first;
    const char* canonical = row.second;
    INFO("input: ", input);
    absl::StatusOr<SocketAddress> a = SocketAddress::Parse(input);
    NET_REQUIRE_OK(a);
    CHECK(a->ToString() == canonical);
    absl::StatusOr<SocketAddress> again = SocketAddress::Parse(canonical);
    NET_REQUIRE_OK(again);
    CHECK(*again == *a);
  }
}

TEST_CASE("parsing the formatted text gives back generated addresses") {
  std::mt19937 rng(20260101);  // fixed seed: the same addresses every run
  auto next = [&rng](std::uint32_t bound) {
    return std::uniform_int_distribution<std::uint32_t>(0, bound)(rng);
  };
  for (int n = 0; n < 2000; ++n) {
    IpAddress ip;
    if (next(3) == 0) {
      ip = IpAddress::V4(static_cast<std::uint8_t>(next(255)),
                         static_cast<std::uint8_t>(next(255)),
                         static_cast<std::uint8_t>(next(255)),
                         static_cast<std::uint8_t>(next(255)));
    } else {
      IpAddress::V6Bytes b{};
      for (std::size_t g = 0; g < 8; ++g) {
        if (next(1) == 0) continue;  // many zero groups and runs of them
        std::uint32_t v = next(3) == 0 ? next(0xf) : next(0xffff);
        b[2 * g] = static_cast<std::uint8_t>(v >> 8);
        b[2 * g + 1] = static_cast<std::uint8_t>(v & 0xff);
      }
      if (next(7) == 0) {  // IPv4-mapped
        for (std::size_t i = 0; i < 10; ++i) b[i] = 0;
        b[10] = b[11] = 0xff;
      }
      const std::uint32_t scopes[] = {0, 0, 0, 1, next(0xffffffff)};
      ip = IpAddress::V6(b, scopes[next(4)]);
    }
    INFO("address: ", ip.ToString());
    absl::StatusOr<IpAddress> parsed = IpAddress::Parse(ip.ToString());
    NET_REQUIRE_OK(parsed);
    CHECK(*parsed == ip);
    SocketAddress endpoint(ip, static_cast<std::uint16_t>(next(65535)));
    absl::StatusOr<SocketAddress> reparsed =
        SocketAddress::Parse(endpoint.ToString());
    NET_REQUIRE_OK(reparsed);
    CHECK(*reparsed == endpoint);
  }
}

TEST_CASE("unix paths up to the OS limit are accepted, longer ones rejected") {
  const std::size_t max = net::sys::MaxUnixPathLength();
  REQUIRE(max >= 90);  // every supported OS has at least 104 bytes
  std::string path = "/" + std::string(max - 1, 'p');
  absl::StatusOr<SocketAddress> fits = SocketAddress::Unix(path);
  NET_REQUIRE_OK(fits);
  CHECK(fits->family() == AddressFamily::kUnix);
  CHECK(fits->unix_path() == path);
  CHECK_FALSE(fits->is_abstract());
  CHECK(fits->ToString() == "unix:" + path);
  CHECK(*SocketAddress::Parse("unix:" + path) == *fits);

  std::string too_long = path + "x";
  absl::Status s = SocketAddress::Unix(too_long).status();
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::StrContains(s.message(), absl::StrCat(max)));
  CheckRejected(SocketAddress::Parse("unix:" + too_long).status(),
                "unix:" + too_long);
}

TEST_CASE("a unix path with a NUL byte is rejected") {
  std::string path("/tmp/a\0b", 8);
  CHECK(SocketAddress::Unix(path).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("the unnamed unix address prints as unix: and parses back") {
  absl::StatusOr<SocketAddress> unnamed = SocketAddress::Unix("");
  NET_REQUIRE_OK(unnamed);
  CHECK(unnamed->family() == AddressFamily::kUnix);
  CHECK(unnamed->unix_path().empty());
  CHECK(unnamed->ToString() == "unix:");
  CHECK(*SocketAddress::Parse("unix:") == *unnamed);
  CHECK_FALSE(unnamed->is_ip());
  CHECK(unnamed->port() == 0);
}

TEST_CASE("abstract unix names round trip where the OS has the namespace") {
  absl::StatusOr<SocketAddress> a = SocketAddress::UnixAbstract("net-test");
  if (a.status().code() == absl::StatusCode::kUnimplemented) {
    CHECK(SocketAddress::Parse("unix:@net-test").status().code() ==
          absl::StatusCode::kUnimplemented);
    NET_SKIP("this OS has no abstract unix socket namespace");
  }
  NET_REQUIRE_OK(a);
  CHECK(a->is_abstract());
  CHECK(a->unix_path() == "net-test");
  CHECK(a->ToString() == "unix:@net-test");
  CHECK(*SocketAddress::Parse("unix:@net-test") == *a);
  CHECK(*SocketAddress::FromNative(a->native(), a->native_length()) == *a);
  const std::size_t max = net::sys::MaxUnixPathLength();
  NET_CHECK_OK(SocketAddress::UnixAbstract(std::string(max, 'n')));
  CHECK(
      SocketAddress::UnixAbstract(std::string(max + 1, 'n')).status().code() ==
      absl::StatusCode::kInvalidArgument);
}

TEST_CASE(
    "FromNative rejects null, empty, short, oversized and unknown input") {
  SocketAddress v4(IpAddress::V4(127, 0, 0, 1), 80);
  SocketAddress v6(IpAddress::Loopback(AddressFamily::kIPv6), 80);
  auto code = [](const absl::StatusOr<SocketAddress>& s) {
    return s.status().code();
  };
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  CHECK(code(SocketAddress::FromNative(nullptr, 16)) == kInvalid);
  CHECK(code(SocketAddress::FromNative(v4.native(), 0)) == kInvalid);
  CHECK(code(SocketAddress::FromNative(v4.native(), 1)) == kInvalid);
  CHECK(code(SocketAddress::FromNative(v4.native(), v4.native_length() - 1)) ==
        kInvalid);
  CHECK(code(SocketAddress::FromNative(v6.native(), v6.native_length() - 1)) ==
        kInvalid);
  alignas(8) unsigned char big[2 * SocketAddress::kStorageSize] = {};
  std::memcpy(big, v4.native(), v4.native_length());
  const auto* big_native = reinterpret_cast<const struct sockaddr*>(big);
  CHECK(code(SocketAddress::FromNative(
            big_native, SocketAddress::kStorageSize + 1)) == kInvalid);
  // The whole storage is fine: the extra bytes are ignored.
  absl::StatusOr<SocketAddress> whole =
      SocketAddress::FromNative(big_native, SocketAddress::kStorageSize);
  NET_REQUIRE_OK(whole);
  CHECK(*whole == v4);
  // 0xee in every byte is no family on any OS, whatever the field's layout.
  alignas(8) unsigned char junk[32];
  std::memset(junk, 0xee, sizeof(junk));
  CHECK(code(SocketAddress::FromNative(
            reinterpret_cast<const struct sockaddr*>(junk), sizeof(junk))) ==
        kInvalid);
  alignas(8) unsigned char zero[32] = {};  // AF_UNSPEC
  CHECK(code(SocketAddress::FromNative(
            reinterpret_cast<const struct sockaddr*>(zero), sizeof(zero))) ==
        kInvalid);
}

TEST_CASE("FromNative gives back what native() exposes, for every family") {
  std::vector<SocketAddress> addresses = {
      SocketAddress(IpAddress::V4(192, 0, 2, 7), 443),
      SocketAddress(IpAddress::V6(V6({0xfe80, 0, 0, 0, 0, 0, 0, 9}), 3), 8080,
                    0x12345),
      *SocketAddress::Unix("/tmp/net.sock"),
      *SocketAddress::Unix(""),
  };
  for (const SocketAddress& a : addresses) {
    INFO("address: ", a.ToString());
    absl::StatusOr<SocketAddress> copy =
        SocketAddress::FromNative(a.native(), a.native_length());
    NET_REQUIRE_OK(copy);
    CHECK(*copy == a);
    CHECK(copy->ToString() == a.ToString());
    CHECK(copy->flow_info() == a.flow_info());
  }
}

TEST_CASE("set_native_length clamps to kStorageSize") {
  SocketAddress a;
  SocketAddress v4(IpAddress::V4(10, 1, 2, 3), 99);
  std::memcpy(a.mutable_native(), v4.native(), v4.native_length());
  a.set_native_length(v4.native_length());
  CHECK(a == v4);
  a.set_native_length(SocketAddress::kStorageSize + 1000);
  CHECK(a.native_length() == SocketAddress::kStorageSize);
  CHECK(a.ToString() == "10.1.2.3:99");
  a.set_native_length(0);
  CHECK(a.family() == AddressFamily::kUnspecified);
  CHECK(a.ToString() == "unspecified");
}

TEST_CASE("a default SocketAddress is unspecified with zero values") {
  SocketAddress a;
  CHECK(a.family() == AddressFamily::kUnspecified);
  CHECK(a.native_length() == 0);
  CHECK_FALSE(a.is_ip());
  CHECK(a.ip() == IpAddress());
  CHECK(a.port() == 0);
  CHECK(a.unix_path().empty());
  CHECK(a.ToString() == "unspecified");
  CHECK(a == SocketAddress());
}

TEST_CASE("SocketAddress accessors and WithPort keep the IP, scope and flow") {
  IpAddress ip = IpAddress::V6(V6({0xfe80, 0, 0, 0, 0, 0, 0, 1}), 5);
  SocketAddress a(ip, 80, 0xabcde);
  CHECK(a.is_ip());
  CHECK(a.family() == AddressFamily::kIPv6);
  CHECK(a.ip() == ip);
  CHECK(a.flow_info() == 0xabcde);
  SocketAddress b = a.WithPort(443);
  CHECK(b.port() == 443);
  CHECK(b.ip() == ip);
  CHECK(b.flow_info() == 0xabcde);
  CHECK(b.WithPort(80) == a);
  SocketAddress v4 = SocketAddress(IpAddress::V4(1, 2, 3, 4), 1).WithPort(2);
  CHECK(v4.ToString() == "1.2.3.4:2");
  SocketAddress path = *SocketAddress::Unix("/tmp/p");
  CHECK(path.WithPort(9) == path);
  CHECK(SocketAddress().WithPort(9) == SocketAddress());
}

TEST_CASE("IpAddress predicates classify the special ranges") {
  struct Row {
    const char* text;
    bool loopback, unspecified, multicast, link_local, v4_mapped;
  };
  const Row rows[] = {
      {"127.0.0.1", true, false, false, false, false},
      {"127.255.0.9", true, false, false, false, false},
      {"::1", true, false, false, false, false},
      {"0.0.0.0", false, true, false, false, false},
      {"::", false, true, false, false, false},
      {"224.0.0.1", false, false, true, false, false},
      {"239.255.255.255", false, false, true, false, false},
      {"ff02::1", false, false, true, false, false},
      {"169.254.1.1", false, false, false, true, false},
      {"fe80::1", false, false, false, true, false},
      {"febf::1", false, false, false, true, false},
      {"fec0::1", false, false, false, false, false},
      {"::ffff:127.0.0.1", false, false, false, false, true},
      {"192.0.2.1", false, false, false, false, false},
      {"2001:db8::1", false, false, false, false, false},
  };
  for (const Row& row : rows) {
    INFO("address: ", row.text);
    absl::StatusOr<IpAddress> ip = IpAddress::Parse(row.text);
    NET_REQUIRE_OK(ip);
    CHECK(ip->IsLoopback() == row.loopback);
    CHECK(ip->IsUnspecified() == row.unspecified);
    CHECK(ip->IsMulticast() == row.multicast);
    CHECK(ip->IsLinkLocal() == row.link_local);
    CHECK(ip->IsV4Mapped() == row.v4_mapped);
  }
}

TEST_CASE("IpAddress orders by family, then bytes, then scope") {
  IpAddress a = IpAddress::V4(1, 2, 3, 4);
  IpAddress b = IpAddress::V4(1, 2, 3, 5);
  IpAddress c = IpAddress::V6(V6({0, 0, 0, 0, 0, 0, 0, 1}));
  IpAddress d = IpAddress::V6(V6({0, 0, 0, 0, 0, 0, 0, 1}), 2);
  CHECK(a < b);
  CHECK(b < c);
  CHECK(c < d);
  CHECK_FALSE(d < c);
  CHECK_FALSE(a < a);
  CHECK(c != d);
  CHECK(IpAddress::V4(255, 255, 255, 255) <
        IpAddress::Any(AddressFamily::kIPv6));
}

TEST_CASE("equal addresses hash alike and work in hashed containers") {
  absl::Hash<IpAddress> hash_ip;
  CHECK(hash_ip(*IpAddress::Parse("::1")) ==
        hash_ip(IpAddress::Loopback(AddressFamily::kIPv6)));
  CHECK(hash_ip(*IpAddress::Parse("::1")) !=
        hash_ip(*IpAddress::Parse("::1%3")));
  CHECK(hash_ip(IpAddress::V4(1, 2, 3, 4)) !=
        hash_ip(IpAddress::V4(1, 2, 3, 5)));
  absl::Hash<SocketAddress> hash_endpoint;
  CHECK(hash_endpoint(*SocketAddress::Parse("unix:/tmp/s")) ==
        hash_endpoint(*SocketAddress::Unix("/tmp/s")));
  CHECK(hash_endpoint(SocketAddress(IpAddress::V4(1, 2, 3, 4), 80)) !=
        hash_endpoint(SocketAddress(IpAddress::V4(1, 2, 3, 4), 81)));

  // absl::flat_hash_set takes the same AbslHashValue; std::unordered_set
  // with absl::Hash keeps this test free of the absl::raw_hash_set library.
  std::unordered_set<IpAddress, absl::Hash<IpAddress>> ips = {
      *IpAddress::Parse("1.2.3.4"), *IpAddress::Parse("::1"),
      *IpAddress::Parse("0:0:0:0:0:0:0:1"), *IpAddress::Parse("::1%3")};
  CHECK(ips.size() == 3);
  CHECK(ips.count(IpAddress::V4(1, 2, 3, 4)) == 1);
  std::unordered_set<SocketAddress, absl::Hash<SocketAddress>> endpoints = {
      *SocketAddress::Parse("1.2.3.4:80"), *SocketAddress::Parse("1.2.3.4:080"),
      *SocketAddress::Parse("[::1]:80"), *SocketAddress::Parse("unix:/tmp/s"),
      *SocketAddress::Unix("/tmp/s")};
  CHECK(endpoints.size() == 3);
  CHECK(endpoints.count(SocketAddress(IpAddress::V4(1, 2, 3, 4), 80)) == 1);
  CHECK(endpoints.count(SocketAddress(IpAddress::V4(1, 2, 3, 4), 81)) == 0);
}

// A sink as absl::StrCat and absl::StrFormat hand to AbslStringify.
struct StringSink {
  std::string out;
  void Append(absl::string_view s) { out.append(s.data(), s.size()); }
  void Append(std::size_t count, char c) { out.append(count, c); }
};

template <typename T>
std::string Stringify(const T& value) {
  StringSink sink;
  AbslStringify(sink, value);
  return sink.out;
}

TEST_CASE("AbslStringify prints what ToString prints") {
  IpAddress ip = *IpAddress::Parse("2001:DB8::1");
  SocketAddress endpoint(ip, 53);
  CHECK(Stringify(ip) == "2001:db8::1");
  CHECK(Stringify(endpoint) == "[2001:db8::1]:53");
  CHECK(Stringify(SocketAddress()) == "unspecified");
}

template <typename T, typename = void>
struct StrCatTakes : std::false_type {};
template <typename T>
struct StrCatTakes<T, std::void_t<decltype(absl::StrCat(std::declval<T>()))>>
    : std::true_type {};

template <typename Ip, typename Endpoint>
void CheckStrCat(const Ip& ip, const Endpoint& endpoint) {
  if constexpr (StrCatTakes<Ip>::value && StrCatTakes<Endpoint>::value) {
    CHECK(absl::StrCat("to ", endpoint) == "to 1.2.3.4:5");
    CHECK(absl::StrCat(ip) == "1.2.3.4");
  } else {
    NET_SKIP(
        "this Abseil predates AbslStringify support in absl::StrCat "
        "(added in LTS 2023-01-25)");
  }
}

TEST_CASE("absl::StrCat prints addresses through AbslStringify") {
  IpAddress ip = IpAddress::V4(1, 2, 3, 4);
  CheckStrCat(ip, SocketAddress(ip, 5));
}

}  // namespace
