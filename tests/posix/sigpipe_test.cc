// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/posix/sigpipe_test.cc
// -----------------------------------------------------------------------------
//
// Writing to a closed peer never raises SIGPIPE (shared/DESIGN.md: no signal
// handler is installed; SIGPIPE is suppressed per call with MSG_NOSIGNAL on
// Linux, per socket with SO_NOSIGPIPE on macOS/BSD).
//
// Each case runs in a forked child (tests/posix/netns_util.h) whose SIGPIPE
// disposition is reset to SIG_DFL and unblocked, so that a single stray
// SIGPIPE kills it. The child makes a connected pair, closes the peer,
// writes until the write fails, and reports the status; the parent checks
// that the child exited normally (not "killed by signal 13") and that the
// error is a peer-gone one: kBrokenPipe or kConnectionReset. Every send path
// has its own case (send, sendmsg via SendVector, the SendAll loop), over
// TCP and over a unix-domain socketpair.
//
// C7 (shared/RELIABILITY.md): the writer is also the *accepted* socket, as a
// server's is (on macOS/BSD that is the SO_NOSIGPIPE-on-accepted-sockets
// path), accepted by `Socket::Accept()` and delivered by a `Listener`; the
// client resets the connection and the accepted socket writes 20 times in a
// row: each write is kBrokenPipe or kConnectionReset, and the child lives.

#include <signal.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "net/listener.h"
#include "net/net.h"
#include "tests/posix/netns_util.h"
#include "tests/test_util.h"

namespace {

enum class Path { kSend, kSendVector, kSendAll };

// Sets SIGPIPE to its default action (terminate) and unblocks it.
bool DefaultSigpipe() {
  struct sigaction action = {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGPIPE, &action, nullptr) != 0) return false;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  return sigprocmask(SIG_UNBLOCK, &set, nullptr) == 0;
}

// A loopback TCP pair {client, accepted}, reporting rather than asserting
// (it runs in the child).
absl::StatusOr<std::pair<net::Socket, net::Socket>> TcpPair() {
  NET_ASSIGN_OR_RETURN(
      net::Socket listener,
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream));
  NET_RETURN_IF_ERROR(listener.Bind(net::SocketAddress(
      net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0)));
  NET_RETURN_IF_ERROR(listener.Listen());
  NET_ASSIGN_OR_RETURN(net::SocketAddress address, listener.LocalAddress());
  NET_ASSIGN_OR_RETURN(
      net::Socket client,
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream));
  NET_RETURN_IF_ERROR(client.Connect(address));
  NET_ASSIGN_OR_RETURN(net::Accepted accepted, listener.Accept());
  return std::make_pair(std::move(client), std::move(accepted.socket));
}

// One write through `path`; the status of the failure, or OK.
absl::Status WriteOnce(net::Socket& s, Path path) {
  static const std::string chunk(16 * 1024, 'p');
  switch (path) {
    case Path::kSend:
      return s.Send(chunk).status();
    case Path::kSendVector: {
      absl::Span<const char> parts[2] = {
          absl::MakeConstSpan(chunk.data(), chunk.size() / 2),
          absl::MakeConstSpan(chunk.data() + chunk.size() / 2,
                              chunk.size() / 2)};
      return s.SendVector(parts).status();
    }
    case Path::kSendAll:
      return s.SendAll(chunk, absl::Seconds(2));
  }
  return absl::InternalError("unknown path");
}

// The child: "<portable error>\t<writes>\t<status>" or "setup\t<why>".
std::string WriteToClosedPeer(bool tcp, Path path) {
  if (!DefaultSigpipe()) return "setup\tcould not reset SIGPIPE to SIG_DFL";
  net::Socket writer, peer;
  if (tcp) {
    absl::StatusOr<std::pair<net::Socket, net::Socket>> pair = TcpPair();
    if (!pair.ok()) return "setup\t" + pair.status().ToString();
    writer = std::move(pair->first);
    peer = std::move(pair->second);
  } else {
    absl::StatusOr<std::pair<net::Socket, net::Socket>> pair =
        net::SocketPair(net::AddressFamily::kUnix, net::SocketType::kStream);
    if (!pair.ok()) return "setup\t" + pair.status().ToString();
    writer = std::move(pair->first);
    peer = std::move(pair->second);
  }
  if (absl::Status s = peer.Close(); !s.ok()) {
    return "setup\tclose: " + s.ToString();
  }
  // TCP: the first writes may still be accepted locally; the peer answers
  // them with RST, after which writes fail. Bounded in count and time.
  absl::Time deadline = absl::Now() + absl::Seconds(3);
  for (int writes = 1; writes <= 1000 && absl::Now() < deadline; ++writes) {
    absl::Status s = WriteOnce(writer, path);
    if (!s.ok()) {
      return absl::StrCat(static_cast<int>(net::GetSocketError(s)), "\t",
                          writes, "\t", s.ToString());
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
  return "setup\tevery write to the closed peer succeeded";
}

// Runs `body` (a writer to a gone peer) in a child process, REQUIREs that
// the child exited normally, not killed by SIGPIPE, and that its report
// has `n` tab-separated fields, the first not "setup"; returns them.
std::vector<std::string> WriterReport(const std::function<std::string()>& body,
                                      int n) {
  absl::StatusOr<net_test::ChildResult> child =
      net_test::RunInChildProcess(body, absl::Seconds(8));
  NET_REQUIRE_OK(child);
  INFO("child ", child->Describe(), ", reported: ", child->output);
  REQUIRE(child->exited);  // "killed by signal 13 (Broken pipe)" is the bug
  REQUIRE(child->exit_code == 0);
  std::vector<std::string> fields =
      absl::StrSplit(child->output, absl::MaxSplits('\t', n - 1));
  REQUIRE(static_cast<int>(fields.size()) == n);
  REQUIRE(fields[0] != "setup");
  return fields;
}

void CheckNoSigpipe(bool tcp, Path path) {
  const std::vector<std::string> fields =
      WriterReport([=] { return WriteToClosedPeer(tcp, path); }, 3);
  INFO("child reported: ", absl::StrJoin(fields, "\t"));
  int error = 0;
  REQUIRE(absl::SimpleAtoi(fields[0], &error));
  net::SocketError e = static_cast<net::SocketError>(error);
  CHECK((e == net::SocketError::kBrokenPipe ||
         e == net::SocketError::kConnectionReset));
  MESSAGE("failed after ", fields[1], " write(s) with: ", fields[2]);
}

// How the accepted socket came to be.
enum class AcceptedBy { kSocketAccept, kListener };

// A loopback TCP pair {accepted, client}, the accepted side by `how`.
absl::StatusOr<std::pair<net::Socket, net::Socket>> AcceptedPair(
    AcceptedBy how) {
  if (how == AcceptedBy::kSocketAccept) {
    NET_ASSIGN_OR_RETURN(auto pair, TcpPair());
    return std::make_pair(std::move(pair.second), std::move(pair.first));
  }
  NET_ASSIGN_OR_RETURN(std::unique_ptr<net::EventLoop> loop,
                       net::EventLoop::Create());
  net::Socket accepted;
  NET_ASSIGN_OR_RETURN(
      std::unique_ptr<net::Listener> listener,
      net::Listener::Bind(
          *loop,
          net::SocketAddress(
              net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0),
          [&accepted](net::Socket s, const net::SocketAddress&) {
            accepted = std::move(s);
          }));
  NET_ASSIGN_OR_RETURN(net::SocketAddress address, listener->LocalAddress());
  NET_ASSIGN_OR_RETURN(
      net::Socket client,
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream));
  NET_RETURN_IF_ERROR(client.Connect(address));
  const absl::Time deadline = absl::Now() + absl::Seconds(3);
  while (!accepted.is_open() && absl::Now() < deadline) {
    NET_RETURN_IF_ERROR(loop->RunOnce(absl::Milliseconds(20)).status());
  }
  if (!accepted.is_open()) {
    return absl::DeadlineExceededError("the listener accepted nothing");
  }
  return std::make_pair(std::move(accepted), std::move(client));
}

// The child: the client resets, then the accepted socket writes 20 times
// through `path`. "<portable error>,... (20 of them)\t<first status>" or
// "setup\t<why>".
std::string AcceptedWrites20(AcceptedBy how, Path path) {
  if (!DefaultSigpipe()) return "setup\tcould not reset SIGPIPE to SIG_DFL";
  absl::StatusOr<std::pair<net::Socket, net::Socket>> pair = AcceptedPair(how);
  if (!pair.ok()) return "setup\t" + pair.status().ToString();
  net::Socket& writer = pair->first;
  net::Socket& client = pair->second;
  // A reset (SO_LINGER {on, 0}): no write can succeed after it arrives.
  absl::Status s =
      client.SetOption(net::LingerOption({true, absl::ZeroDuration()}));
  if (s.ok()) s = client.Close();
  if (!s.ok()) return "setup\tclose: " + s.ToString();
  // The reset is here once the accepted socket turns readable (on loopback
  // it is there before close() returns).
  absl::StatusOr<bool> ready = writer.WaitReadable(absl::Seconds(2));
  if (!ready.ok() || !*ready) return "setup\tthe reset did not arrive";
  std::vector<std::string> errors;
  std::string first;
  for (int i = 0; i < 20; ++i) {
    absl::Status w = WriteOnce(writer, path);
    if (first.empty()) first = w.ToString();
    errors.push_back(absl::StrCat(static_cast<int>(net::GetSocketError(w))));
  }
  return absl::StrCat(absl::StrJoin(errors, ","), "\t", first);
}

// For each write path in turn.
void CheckAcceptedWrites20(AcceptedBy how) {
  for (Path path : {Path::kSend, Path::kSendVector, Path::kSendAll}) {
    CAPTURE(static_cast<int>(path));
    const std::vector<std::string> fields =
        WriterReport([=] { return AcceptedWrites20(how, path); }, 2);
    INFO("child reported: ", absl::StrJoin(fields, "\t"));
    std::vector<std::string> codes = absl::StrSplit(fields[0], ',');
    REQUIRE(codes.size() == 20);
    for (const std::string& code : codes) {
      int error = 0;
      REQUIRE(absl::SimpleAtoi(code, &error));
      const net::SocketError e = static_cast<net::SocketError>(error);
      CHECK((e == net::SocketError::kBrokenPipe ||
             e == net::SocketError::kConnectionReset));
    }
  }
}

}  // namespace

TEST_CASE(
    "Send to a closed TCP peer reports broken pipe or reset, never "
    "SIGPIPE") {
  CheckNoSigpipe(/*tcp=*/true, Path::kSend);
}

TEST_CASE(
    "SendVector to a closed TCP peer reports broken pipe or reset, "
    "never SIGPIPE") {
  CheckNoSigpipe(/*tcp=*/true, Path::kSendVector);
}

TEST_CASE(
    "SendAll to a closed TCP peer reports broken pipe or reset, never "
    "SIGPIPE") {
  CheckNoSigpipe(/*tcp=*/true, Path::kSendAll);
}

TEST_CASE(
    "Send to a closed unix socketpair peer reports broken pipe, never "
    "SIGPIPE") {
  CheckNoSigpipe(/*tcp=*/false, Path::kSend);
}

TEST_CASE(
    "SendVector to a closed unix socketpair peer reports broken pipe, "
    "never SIGPIPE") {
  CheckNoSigpipe(/*tcp=*/false, Path::kSendVector);
}

TEST_CASE(
    "SendAll to a closed unix socketpair peer reports broken pipe, "
    "never SIGPIPE") {
  CheckNoSigpipe(/*tcp=*/false, Path::kSendAll);
}

TEST_CASE("a peer-gone write error satisfies IsPeerGone") {
  // The predicate callers use, on the real status from a unix pair.
  absl::StatusOr<net_test::ChildResult> child = net_test::RunInChildProcess(
      [] {
        if (!DefaultSigpipe()) return std::string("setup");
        absl::StatusOr<std::pair<net::Socket, net::Socket>> pair =
            net::SocketPair(net::AddressFamily::kUnix,
                            net::SocketType::kStream);
        if (!pair.ok()) return "setup " + pair.status().ToString();
        (void)pair->second.Close();
        absl::Status s = pair->first.Send("x").status();
        return absl::StrCat(net::IsPeerGone(s) ? "gone" : "not-gone", " ",
                            s.ToString());
      },
      absl::Seconds(5));
  NET_REQUIRE_OK(child);
  INFO("child ", child->Describe(), ", reported: ", child->output);
  REQUIRE(child->exited);
  CHECK(absl::StartsWith(child->output, "gone "));
}

TEST_CASE(
    "an accepted socket (Socket::Accept) writing to a reset client fails 20 "
    "times in a row with broken pipe or reset, never SIGPIPE") {
  CheckAcceptedWrites20(AcceptedBy::kSocketAccept);
}

TEST_CASE(
    "a socket a Listener delivered writing to a reset client fails 20 times "
    "in a row with broken pipe or reset, never SIGPIPE") {
  CheckAcceptedWrites20(AcceptedBy::kListener);
}
