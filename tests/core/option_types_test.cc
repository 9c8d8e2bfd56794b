// Copyright 2026 The net Authors.
//
// The option value types and their text form: pure logic, no socket.

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "net/net.h"

namespace {

TEST_CASE("Icmp6Filter passes all by default and answers per type") {
  net::Icmp6Filter f;
  CHECK(f == net::Icmp6Filter::PassAll());
  for (int t = 0; t < 256; ++t) {
    CHECK(f.WillPass(static_cast<std::uint8_t>(t)));
  }
  f.Block(0);
  f.Block(128);
  f.Block(255);
  CHECK(f.WillBlock(0));
  CHECK(f.WillBlock(128));
  CHECK(f.WillBlock(255));
  CHECK(f.WillPass(1));
  CHECK(f.WillPass(129));
  CHECK(f != net::Icmp6Filter::PassAll());
  f.Pass(128);
  CHECK(f.WillPass(128));

  net::Icmp6Filter b = net::Icmp6Filter::BlockAll();
  for (int t = 0; t < 256; ++t) {
    CHECK(b.WillBlock(static_cast<std::uint8_t>(t)));
  }
  b.Pass(31);
  b.Pass(32);
  CHECK(b.WillPass(31));
  CHECK(b.WillPass(32));
  CHECK(b.WillBlock(33));
}

TEST_CASE("FormatOptionValue gives short, stable text") {
  CHECK(net::FormatOptionValue(net::OptionValue()) == "(none)");
  CHECK(net::FormatOptionValue(true) == "true");
  CHECK(net::FormatOptionValue(64) == "64");
  CHECK(net::FormatOptionValue(std::uint32_t{3}) == "3");
  CHECK(net::FormatOptionValue(absl::Milliseconds(1500)) == "1.5s");
  CHECK(net::FormatOptionValue(absl::InfiniteDuration()) == "inf");
  CHECK(net::FormatOptionValue(std::string("cubic")) == "\"cubic\"");
  CHECK(net::FormatOptionValue(std::string("\x01\"", 2)) == "\"\\x01\\\"\"");
  CHECK(net::FormatOptionValue(net::Linger{true, absl::Seconds(5)}) ==
        "{on, 5s}");
  CHECK(net::FormatOptionValue(
            net::KeepAlive{absl::Seconds(30), absl::Seconds(5), 4}) ==
        "{idle 30s, interval 5s, count 4}");
  CHECK(net::FormatOptionValue(net::MulticastGroup{
            net::IpAddress::V4(239, 1, 2, 3), 1}) == "239.1.2.3 on if 1");
  CHECK(net::FormatOptionValue(net::MulticastGroup{
            net::IpAddress::V4(239, 1, 2, 3),
            net::IpAddress::V4(127, 0, 0, 1)}) == "239.1.2.3 on 127.0.0.1");
  CHECK(net::FormatOptionValue(net::SourceGroup{
            net::IpAddress::V4(232, 1, 1, 1), net::IpAddress::V4(10, 0, 0, 1),
            2}) == "232.1.1.1 from 10.0.0.1 on if 2");
  net::Icmp6Filter f = net::Icmp6Filter::BlockAll();
  f.Pass(129);
  CHECK(net::FormatOptionValue(f) == "pass only 129");
  CHECK(net::FormatOptionValue(net::Icmp6Filter()) == "pass all");
  CHECK(net::FormatOptionValue(absl::OkStatus()) == "none");
  CHECK(net::FormatOptionValue(net::AddressFamily::kIPv6) == "ipv6");
  CHECK(net::FormatOptionValue(net::SocketType::kDatagram) == "datagram");
}

TEST_CASE("levels, kinds and features have names") {
  CHECK(net::OptionLevelName(net::OptionLevel::kSocket) == "SOL_SOCKET");
  CHECK(net::OptionLevelName(net::OptionLevel::kIpOfFamily) ==
        "IPPROTO_IP/IPPROTO_IPV6");
  CHECK(net::OptionValueKindName(net::OptionValueKind::kKeepAlive) ==
        "keepalive");
  for (net::Feature f : net::AllFeatures()) {
    CHECK(net::FeatureName(f) != "unknown");
  }
}

}  // namespace
