// Copyright 2026 The net Authors.
//
// The consumer program of both consumer projects (find_package/ and
// add_subdirectory/, built by consumer.cmake): opens a TCP socket, binds
// 127.0.0.1:0 and prints the address the OS chose, with the way net was
// taken (NET_CONSUMER_HOW). Exits non-zero with the status on any error.

#include <net/net.h>

#include <cstdio>

#ifndef NET_CONSUMER_HOW
#error "consumer.cmake defines NET_CONSUMER_HOW"
#endif

int main() {
  absl::StatusOr<net::Socket> socket =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  if (!socket.ok()) {
    std::fprintf(stderr, "open: %s\n", socket.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<net::SocketAddress> address =
      net::SocketAddress::Parse("127.0.0.1:0");
  absl::Status bound = address.ok() ? socket->Bind(*address) : address.status();
  if (!bound.ok()) {
    std::fprintf(stderr, "bind: %s\n", bound.ToString().c_str());
    return 1;
  }
  absl::StatusOr<net::SocketAddress> local = socket->LocalAddress();
  if (!local.ok()) {
    std::fprintf(stderr, "local address: %s\n",
                 local.status().ToString().c_str());
    return 1;
  }
  std::printf("net consumer (%s): bound %s\n", NET_CONSUMER_HOW,
              local->ToString().c_str());
  return 0;
}
