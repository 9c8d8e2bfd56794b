// Copyright 2026 The net Authors.
//
// Opens N connections to an echo server, sends each its own byte pattern
// and checks that exactly the same bytes come back.
//
//   echo_client --connect ADDR:PORT [--connections N] [--bytes B]
//
// Exits 0 and prints "verified N connections" when every echo matched.
//
// Everything runs on one `net::EventLoop`: the connections are made with
// `net::Connect()` (at most 32 under way at once, 10 s each), all N are held
// open, then their echoes are checked, 64 connections at a time. Each sends
// its pattern through `Connection::Write()` while it reads the echo, so any
// size works against a server that stops reading while its echo is not
// taken (backpressure), and the pattern is made and compared a chunk at a
// time: memory does not grow with --bytes. An echo that makes no progress
// for 60 s fails.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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

constexpr std::size_t kConnectsUnderWay = 32;
constexpr std::size_t kEchoesUnderWay = 64;
constexpr std::size_t kChunk = 64 * 1024;
constexpr absl::Duration kNoProgress = absl::Seconds(60);

bool ParseBounded(const std::string& text, long lo, long hi, long* out) {
  return absl::SimpleAtoi(text, out) && *out >= lo && *out <= hi;
}

// Byte `j` of connection `i`'s pattern.
char PatternByte(std::size_t i, std::size_t j) {
  return static_cast<char>((i * 131 + j * 7) & 0xff);
}

// Connects, then verifies the echoes; one handler for every connection.
class EchoClient final : public net::ConnectionHandler {
 public:
  EchoClient(net::EventLoop& loop, const net::SocketAddress& server,
             std::size_t connections, std::size_t bytes)
      : loop_(loop), server_(server), bytes_(bytes), echoes_(connections) {
    connect_options_.timeout = absl::Seconds(10);
    // A small queue per connection: Write() says stop at 256 KiB.
    connect_options_.connection.write_high_water = 256 * 1024;
    connect_options_.connection.write_low_water = 64 * 1024;
    for (std::size_t i = 0; i < echoes_.size(); ++i) echoes_[i].index = i;
  }

  // Runs the loop until every echo was verified (OK) or one failed.
  absl::Status Run() {
    while (next_connect_ < std::min(kConnectsUnderWay, echoes_.size())) {
      ConnectNext();
    }
    loop_.AddRepeatingTimer(absl::Seconds(1), [this] { CheckProgress(); });
    absl::Status run = loop_.Run();
    if (!run.ok()) return run;
    return result_;
  }

 private:
  struct Echo {
    std::size_t index = 0;
    std::size_t sent = 0;
    std::size_t got = 0;
    bool active = false;  // being verified
    absl::Time progress;  // when it last sent or received
    std::unique_ptr<net::PendingConnect> connect;
    net::ConnectionPtr connection;
  };

  static Echo& Of(net::Connection& c) {
    return *static_cast<Echo*>(c.context());
  }

  void ConnectNext() {
    Echo& e = echoes_[next_connect_++];
    e.connect = net::Connect(
        loop_, server_, connect_options_,
        [this, &e](absl::StatusOr<net::ConnectionPtr> c) {
          // A handle is not destroyed inside its own callback: park it, and
          // let go of the one parked before (its callback has returned).
          parked_ = std::move(e.connect);
          if (!c.ok()) return Fail(e, c.status());
          e.connection = *std::move(c);
          e.connection->set_context(&e);
          if (next_connect_ < echoes_.size()) ConnectNext();
          if (++connected_ == echoes_.size()) StartEchoes();
        });
  }

  // All N are open: verify their echoes, a bounded number at a time.
  void StartEchoes() {
    while (next_echo_ < std::min(kEchoesUnderWay, echoes_.size())) {
      StartNextEcho();
    }
  }

  void StartNextEcho() {
    Echo& e = echoes_[next_echo_++];
    e.active = true;
    e.progress = absl::Now();
    e.connection->SetHandler(this);  // starts reading
    Send(e);
  }

  // Writes the pattern a chunk at a time until `Write()` says the queue is
  // full (then OnDrain() calls again) or all of it was written.
  void Send(Echo& e) {
    while (e.sent < bytes_) {
      std::string chunk(std::min(kChunk, bytes_ - e.sent), '\0');
      for (std::size_t j = 0; j < chunk.size(); ++j) {
        chunk[j] = PatternByte(e.index, e.sent + j);
      }
      e.sent += chunk.size();
      if (!e.connection->Write(std::move(chunk))) return;
    }
  }

  std::size_t OnData(net::Connection& c, absl::string_view data) override {
    Echo& e = Of(c);
    if (e.got + data.size() > bytes_) {
      Fail(e, absl::DataLossError("echo differs"));
      return data.size();
    }
    for (std::size_t j = 0; j < data.size(); ++j) {
      if (data[j] != PatternByte(e.index, e.got + j)) {
        Fail(e, absl::DataLossError("echo differs"));
        return data.size();
      }
    }
    e.got += data.size();
    e.progress = absl::Now();
    if (e.got == bytes_) Verified(e);
    return data.size();
  }

  void OnDrain(net::Connection& c) override {
    Echo& e = Of(c);
    e.progress = absl::Now();
    Send(e);
  }

  void OnEndOfStream(net::Connection& c) override {
    Fail(Of(c), absl::DataLossError("server closed early"));
  }

  void OnError(net::Connection& c, const absl::Status& error) override {
    Fail(Of(c), error);
  }

  // Verified: the connection stays open (idle: no buffer) until the end.
  void Verified(Echo& e) {
    e.active = false;
    e.connection->PauseReading();
    if (++verified_ == echoes_.size()) return loop_.Stop();
    if (next_echo_ < echoes_.size()) StartNextEcho();
  }

  void CheckProgress() {
    const absl::Time now = absl::Now();
    for (std::size_t i = 0; i < next_echo_; ++i) {
      Echo& e = echoes_[i];
      if (e.active && now - e.progress > kNoProgress) {
        return Fail(e, absl::DeadlineExceededError(absl::StrCat(
                           "no echo for ", absl::FormatDuration(kNoProgress),
                           "; ", e.got, " of ", bytes_, " bytes back")));
      }
    }
  }

  // The first failure ends the run.
  void Fail(Echo& e, const absl::Status& status) {
    e.active = false;
    if (!result_.ok()) return;
    result_ = absl::Status(status.code(),
                           absl::StrCat("connection ", e.index, ": ",
                                        status.message()));
    loop_.Stop();
  }

  net::EventLoop& loop_;
  const net::SocketAddress server_;
  const std::size_t bytes_;
  net::ConnectOptions connect_options_;
  std::vector<Echo> echoes_;
  std::unique_ptr<net::PendingConnect> parked_;
  std::size_t next_connect_ = 0;
  std::size_t connected_ = 0;
  std::size_t next_echo_ = 0;
  std::size_t verified_ = 0;
  absl::Status result_;
};

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
    std::fprintf(stderr, "echo_client: %s\n%s",
                 std::string(where.status().message()).c_str(), kUsage);
    return 2;
  }
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) {
    std::fprintf(stderr, "echo_client: %s\n",
                 std::string(loop.status().message()).c_str());
    return 1;
  }
  absl::Status verified;
  {
    // Destroyed before the loop, as connections must be.
    EchoClient client(**loop, *where, static_cast<std::size_t>(connections),
                      static_cast<std::size_t>(bytes));
    verified = client.Run();
  }
  if (!verified.ok()) {
    std::fprintf(stderr, "echo_client: %s\n",
                 std::string(verified.message()).c_str());
    return 1;
  }
  std::printf("verified %ld connections\n", connections);
  return 0;
}
