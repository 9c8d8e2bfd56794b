// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/posix/owner_test.cc
// -----------------------------------------------------------------------------
//
// The owner and async control operations with real process ids, which a
// portable test cannot name (tests/contract/control_test.cc round-trips
// only 0): F_SETOWN / F_GETOWN with this process and its process group, and
// the signals the owner gets: SIGIO when data arrives on an O_ASYNC socket,
// SIGURG when out-of-band data arrives. The signal cases run in a forked
// child with its own handlers (tests/posix/netns_util.h), so the test
// process never gets a signal.

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tests/posix/netns_util.h"
#include "tests/test_util.h"

namespace {

volatile sig_atomic_t g_signalled = 0;

void OnSignal(int) { g_signalled = 1; }

bool Install(int signal) {
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  return sigaction(signal, &action, nullptr) == 0;
}

bool WaitForSignal() {
  const absl::Time deadline = absl::Now() + absl::Seconds(2);
  while (g_signalled == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  return g_signalled != 0;
}

// In the child: does this process, as the owner of a socket, get `signal`
// when its peer sends (out of band if `oob`: over a loopback TCP pair, else
// over a unix socketpair)? `async` turns O_ASYNC on first.
std::string OwnerGetsSignal(int signal, bool async, bool oob) {
  if (!Install(signal)) return "setup: sigaction";
  absl::StatusOr<std::pair<net::Socket, net::Socket>> pair =
      oob ? net::SocketPair(net::AddressFamily::kIPv4, net::SocketType::kStream)
          : net::SocketPair(net::AddressFamily::kUnix,
                            net::SocketType::kStream);
  if (!pair.ok()) return "setup: " + pair.status().ToString();
  net::Socket& receiver = pair->first;
  net::Socket& sender = pair->second;
  absl::Status s = receiver.SetOwner(getpid());
  if (s.ok() && async) s = receiver.SetAsync(true);
  if (!s.ok()) return "control: " + s.ToString();
  if (g_signalled != 0) return "signalled too early";
  absl::StatusOr<net::IoResult> sent =
      sender.Send(std::string("!"), oob ? net::MessageFlags::kOutOfBand
                                        : net::MessageFlags::kNone);
  if (!sent.ok()) return "send: " + sent.status().ToString();
  return WaitForSignal() ? "signalled" : "no signal within 2 s";
}

// Runs OwnerGetsSignal() in a child and checks that the signal came.
void CheckOwnerGetsSignal(int signal, bool async, bool oob) {
  absl::StatusOr<net_test::ChildResult> child = net_test::RunInChildProcess(
      [=] { return OwnerGetsSignal(signal, async, oob); }, absl::Seconds(5));
  NET_REQUIRE_OK(child);
  INFO("child ", child->Describe(), ": ", child->output);
  REQUIRE(child->exited);
  CHECK(child->output == "signalled");
}

}  // namespace

TEST_CASE(
    "SetOwner with this process or its group round-trips through "
    "GetOwner") {
  net::Socket s = net_test::OpenSocket();
  const std::int64_t pid = getpid();
  const std::int64_t group = -static_cast<std::int64_t>(getpgrp());
  net_test::CheckRoundTrips(s, &net::Socket::SetOwner, &net::Socket::GetOwner,
                            {pid, group, std::int64_t{0}});
}

TEST_CASE(
    "SetOwner with a process id that does not fit is an invalid "
    "argument") {
  net::Socket s = net_test::OpenSocket();
  for (std::int64_t owner : {std::int64_t{1} << 40, -(std::int64_t{1} << 40)}) {
    CAPTURE(owner);
    absl::Status status = s.SetOwner(owner);
    INFO(status.ToString());
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  }
}

TEST_CASE("an async socket's owner gets SIGIO when data arrives") {
  CheckOwnerGetsSignal(SIGIO, /*async=*/true, /*oob=*/false);
}

TEST_CASE("a socket's owner gets SIGURG when out-of-band data arrives") {
  CheckOwnerGetsSignal(SIGURG, /*async=*/false, /*oob=*/true);
}
