// Copyright 2026 The net Authors.

#include "tests/contract/echo_clients.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "net/connect.h"
#include "net/connection.h"
#include "tests/test_util.h"

namespace net_test {

char PatternByte(std::uint64_t id, std::uint64_t offset) {
  std::uint64_t x = (id + 1) * 0x9E3779B97F4A7C15ull + offset;
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9ull;
  return static_cast<char>(x >> 56);
}

std::string StreamPattern(std::uint64_t id, std::uint64_t offset,
                          std::size_t n) {
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; ++i) out[i] = PatternByte(id, offset + i);
  return out;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  REQUIRE(ctx_ != nullptr);
  REQUIRE(EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(),
                            nullptr) == 1);
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::Update(absl::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}

std::string Sha256::Final() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

EchoClientsResult RunEchoClients(net::EventLoop& loop,
                                 const net::SocketAddress& server, int count,
                                 std::size_t max_size, std::uint64_t seed,
                                 absl::Duration limit) {
  struct Client {
    std::uint64_t id = 0;
    std::size_t size = 0;
    std::size_t sent = 0;
    std::size_t received = 0;
    Sha256 sent_hash, received_hash;
    bool done = false;
    net::ConnectionPtr connection;
  };
  EchoClientsResult result;
  std::mt19937_64 random(seed);
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::unique_ptr<net::PendingConnect>> pending;
  auto pump = [](Client& k) {
    constexpr std::size_t kPiece = 32 * 1024;
    while (k.sent < k.size) {
      const std::size_t n = std::min(kPiece, k.size - k.sent);
      std::string piece = StreamPattern(k.id, k.sent, n);
      k.sent_hash.Update(piece);
      k.sent += n;
      if (!k.connection->Write(std::move(piece))) return;
    }
    k.connection->ShutdownWrite();
  };
  for (int i = 0; i < count; ++i) {
    auto k = std::make_unique<Client>();
    k->id = static_cast<std::uint64_t>(i);
    k->size = static_cast<std::size_t>(random() % (max_size + 1));
    Client* raw = k.get();
    clients.push_back(std::move(k));
    pending.push_back(net::Connect(
        loop, server, {}, [&, raw](absl::StatusOr<net::ConnectionPtr> c) {
          if (!c.ok()) {
            ++result.failures;
            result.failure = c.status().ToString();
            return;
          }
          ++result.connected;
          raw->connection = *std::move(c);
          net::ConnectionCallbacks cb;
          cb.on_data = [raw](net::Connection&, absl::string_view data) {
            raw->received_hash.Update(data);
            raw->received += data.size();
            return data.size();
          };
          cb.on_drain = [raw, &pump](net::Connection&) { pump(*raw); };
          cb.on_end_of_stream = [raw, &result](net::Connection&) {
            raw->done = true;
            ++result.finished;
          };
          cb.on_error = [&](net::Connection&, const absl::Status& s) {
            ++result.failures;
            result.failure = s.ToString();
          };
          raw->connection->SetCallbacks(std::move(cb));
          pump(*raw);
        }));
  }
  result.in_time = RunUntil(
      loop, [&] { return result.finished + result.failures >= count; }, limit);
  for (auto& k : clients) {
    if (k->done && k->received == k->size &&
        k->sent_hash.Final() == k->received_hash.Final()) {
      ++result.exact;
    }
  }
  return result;
}

}  // namespace net_test
