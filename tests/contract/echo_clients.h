// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/contract/echo_clients.h
// -----------------------------------------------------------------------------
//
// Many concurrent echo clients on one `net::EventLoop`, for the tests of the
// echo servers (a Connection echo, net::Server in both strategies): each
// client connects, sends a stream of a size drawn at random whose bytes
// differ per client and offset, half-closes, reads the echo to its end and
// compares SHA-256 of what it sent and what came back.

#ifndef NET_TESTS_CONTRACT_ECHO_CLIENTS_H_
#define NET_TESTS_CONTRACT_ECHO_CLIENTS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "net/address.h"
#include "net/event_loop.h"

namespace net_test {

// A byte of stream `id` at `offset`, and `n` of them: every stream differs,
// and a byte out of place shows.
char PatternByte(std::uint64_t id, std::uint64_t offset);
std::string StreamPattern(std::uint64_t id, std::uint64_t offset,
                          std::size_t n);

// SHA-256 of a stream, fed piece by piece (OpenSSL's EVP interface).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(absl::string_view data);
  std::string Final();

 private:
  void* ctx_;  // EVP_MD_CTX
};

struct EchoClientsResult {
  int connected = 0;
  int finished = 0;  // saw the echo's end of stream
  int exact = 0;     // ... with every byte back, in order
  int failures = 0;  // connect or connection errors
  std::string failure;  // the last one
  bool in_time = false;  // all finished or failed before the limit
};

// RunEchoClients()
//
// `count` clients against `server`, sizes 0 to `max_size` drawn with
// `seed`, run on `loop` until all are done or `limit` passed.
EchoClientsResult RunEchoClients(net::EventLoop& loop,
                                 const net::SocketAddress& server, int count,
                                 std::size_t max_size, std::uint64_t seed,
                                 absl::Duration limit);

}  // namespace net_test

#endif  // NET_TESTS_CONTRACT_ECHO_CLIENTS_H_
