// Copyright 2026 The net Authors.
//
// A program that includes <windows.h> before net: windows.h defines
// SendMessage as a macro (SendMessageA/SendMessageW), which would rename
// `Socket::SendMessage` in this file only and leave the call unresolved
// against the library. net/socket.h sets the macro aside while it declares
// the class and forwards the macro's spellings (include/net/socket.h), so
// the call compiles, links against the library's one SendMessage, and
// sends. Built only for Windows (this directory).

#include <windows.h>

#include <string>

#include "absl/strings/string_view.h"
#include "net/net.h"
#include "tests/test_util.h"

#if !defined(SendMessage)
#error "this test needs <windows.h>'s SendMessage macro in effect"
#endif

namespace {

TEST_CASE("a file that includes windows.h first still calls Socket::SendMessage") {
  net::Socket receiver =
      net_test::OpenSocket(net::AddressFamily::kIPv4, net::SocketType::kDatagram);
  NET_REQUIRE_OK(receiver.Bind(net::SocketAddress(
      net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0)));
  net::Socket sender =
      net_test::OpenSocket(net::AddressFamily::kIPv4, net::SocketType::kDatagram);
  const absl::Span<const char> parts[] = {absl::string_view("windows"),
                                          absl::string_view(".h")};
  net::OutgoingMessage out;
  out.buffers = parts;
  out.to = net_test::LocalAddressOf(receiver);
  // The macro makes this `sender.SendMessageW(out)` (or ...A).
  absl::StatusOr<net::IoResult> sent = sender.SendMessage(out);
  NET_REQUIRE_OK(sent);
  CHECK(sent->bytes() == 9);
  NET_REQUIRE_OK(receiver.WaitReadable(absl::Seconds(5)));
  char buffer[32];
  const absl::Span<char> into[] = {absl::MakeSpan(buffer)};
  net::IncomingMessage in;
  in.buffers = into;
  absl::StatusOr<net::IoResult> got = receiver.ReceiveMessage(&in);
  NET_REQUIRE_OK(got);
  CHECK(std::string(buffer, got->bytes()) == "windows.h");
}

}  // namespace
