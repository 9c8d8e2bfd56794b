// Copyright 2026 The net Authors.
//
// The classic iterative echo server (tcpserver.c) on net::Socket, with
// blocking calls only: open, bind, listen, then accept one client, echo it
// line by line until it closes, and accept the next.
//
//   tcpserver --listen ADDR:PORT [--max-seconds N]
//
// Prints the address it listens on as its first line of standard output
// (port 0 picks a free port). Every line a client sends (up to and with its
// '\n') is written back as soon as it is complete; what is left when the
// client shuts down its side (a last line without '\n') is written back
// too, then the connection is closed. One client at a time: the others wait
// in the listen backlog, as with the classic server.
//
// The listening socket has SO_REUSEADDR (net::ReuseAddress) where that
// means "rebind while old connections are in TIME_WAIT", so the server can
// restart on the same port at once. Where the OS has SO_EXCLUSIVEADDRUSE
// (Windows), SO_REUSEADDR would let another socket steal the port instead,
// and is left off (net::Listener's kReusable does the same).
//
// --max-seconds N stops the server after N seconds (exit 0): the accept
// waits with `WaitReadable()` and a timeout instead of a blocking accept
// (no signals), and each client's reads and writes are bounded by the same
// deadline.
//
// Exits 1 (with the reason on stderr) when the socket cannot be set up or
// accepting fails; a client's error only ends that client.

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "examples/classic.h"
#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr const char kProgram[] = "tcpserver";
constexpr const char kUsage[] =
    "usage: tcpserver --listen ADDR:PORT [--max-seconds N]\n"
    "  --listen       address to listen on (default 127.0.0.1:0; port 0 "
    "picks a free port)\n"
    "  --max-seconds  stop after N seconds (default: run until killed)\n";

// A line longer than this is echoed in pieces of this size (the echo is the
// same; the server's memory stays bounded).
constexpr std::size_t kMaxLine = 1 << 20;

// The socket of `address`, listening.
absl::StatusOr<net::Socket> OpenListener(const net::SocketAddress& address) {
  NET_ASSIGN_OR_RETURN(
      net::Socket socket,
      net::Socket::Open(address.family(), net::SocketType::kStream));
  if (!net::IsSupported(net::OptionId::kExclusiveAddressUse)) {
    NET_RETURN_IF_ERROR(socket.SetOption(net::ReuseAddress(true)));
  }
  NET_RETURN_IF_ERROR(socket.Bind(address));
  NET_RETURN_IF_ERROR(socket.Listen());
  return socket;
}

// The time left until `deadline` (InfiniteDuration for InfiniteFuture).
absl::Duration Left(absl::Time deadline) {
  if (deadline == absl::InfiniteFuture()) return absl::InfiniteDuration();
  return std::max(deadline - absl::Now(), absl::ZeroDuration());
}

// Echoes `client` line by line until it shuts down its side (OK), fails, or
// `deadline` passes (kDeadlineExceeded).
absl::Status Echo(net::Socket& client, absl::Time deadline) {
  std::string pending;  // received, not yet a whole line
  char buffer[64 * 1024];
  for (;;) {
    NET_ASSIGN_OR_RETURN(bool readable, client.WaitReadable(Left(deadline)));
    if (!readable) return absl::DeadlineExceededError("--max-seconds passed");
    NET_ASSIGN_OR_RETURN(net::IoResult r,
                         client.Receive(absl::MakeSpan(buffer)));
    if (r.end_of_stream()) {
      // The classic readline() returns a last line without '\n' too.
      if (!pending.empty()) {
        NET_RETURN_IF_ERROR(client.SendAll(pending, Left(deadline)));
      }
      return absl::OkStatus();
    }
    pending.append(buffer, r.bytes());
    // Write back every complete line (or over-long piece).
    std::size_t start = 0;
    for (;;) {
      const std::size_t newline = pending.find('\n', start);
      std::size_t end;
      if (newline != std::string::npos) {
        end = newline + 1;
      } else if (pending.size() - start >= kMaxLine) {
        end = start + kMaxLine;
      } else {
        break;
      }
      NET_RETURN_IF_ERROR(
          client.SendAll(absl::string_view(pending).substr(start, end - start),
                         Left(deadline)));
      start = end;
    }
    pending.erase(0, start);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  int max_seconds = 0;
  const std::optional<int> stop = net_examples::ParseFlags(
      argc, argv, kProgram, kUsage,
      [&](const std::string& name, const std::string& value) {
        if (name == "--listen") {
          listen = value;
          return absl::OkStatus();
        }
        if (name == "--max-seconds") {
          return net_examples::ParseInteger(name, value, 0, 1000000,
                                            &max_seconds);
        }
        return absl::NotFoundError(name);
      });
  if (stop.has_value()) return *stop;
  absl::StatusOr<net::SocketAddress> address =
      net::SocketAddress::Parse(listen);
  if (!address.ok()) {
    return net_examples::Fail(kProgram, address.status().message(), 2);
  }

  absl::StatusOr<net::Socket> listener = OpenListener(*address);
  if (!listener.ok()) {
    return net_examples::Fail(kProgram, listener.status().message(), 1);
  }
  absl::StatusOr<net::SocketAddress> bound = listener->LocalAddress();
  if (!bound.ok()) {
    return net_examples::Fail(kProgram, bound.status().message(), 1);
  }
  std::printf("%s\n", bound->ToString().c_str());
  std::fflush(stdout);

  const absl::Time deadline = max_seconds > 0
                                  ? absl::Now() + absl::Seconds(max_seconds)
                                  : absl::InfiniteFuture();
  for (;;) {
    absl::StatusOr<bool> pending = listener->WaitReadable(Left(deadline));
    if (!pending.ok()) {
      return net_examples::Fail(kProgram, pending.status().message(), 1);
    }
    if (!*pending) return 0;  // --max-seconds passed
    absl::StatusOr<net::Accepted> accepted = listener->Accept();
    if (!accepted.ok()) {
      // Out of descriptors or buffers: wait for one to be given back.
      if (net::IsTransient(accepted.status())) {
        absl::SleepFor(absl::Milliseconds(10));
        continue;
      }
      return net_examples::Fail(
          kProgram, absl::StrCat("accept: ", accepted.status().message()), 1);
    }
    const absl::Status echoed = Echo(accepted->socket, deadline);
    if (absl::IsDeadlineExceeded(echoed) &&
        Left(deadline) == absl::ZeroDuration()) {
      return 0;  // --max-seconds passed while serving a client
    }
    if (!echoed.ok()) {
      std::fprintf(stderr, "%s: client %s: %s\n", kProgram,
                   accepted->peer.ToString().c_str(),
                   std::string(echoed.message()).c_str());
    }
    // The client is closed here (the socket's destructor); next one.
  }
}
