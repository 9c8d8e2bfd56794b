// Copyright 2026 The net Authors.
//
// The backend's remaining system calls made to fail (platform/fault.h):
// getsockname/getpeername, the fcntl/ioctl control table, the one-handle
// wait of the blocking calls, socketpair, getaddrinfo, making a poller and
// its wakeup, and (IOCP) an AFD poll request refused. Each failure must be
// the caller's error, named after the call, with the portable code, leave
// nothing open, and leave the socket or loop usable afterwards. Built into
// the event-loop executables, so every case runs on every loop backend
// (epoll, poll, select; iocp and wsapoll under wine) with that backend's
// native codes. RELIABILITY.md cases: R1 (descriptor exhaustion where a
// socket, a socketpair, a poller or a resolver is made), X4 (EINTR in the
// one-handle wait), L3 (a failing call leaves no descriptor behind).

#include "tests/contract/fault_util.h"

#if NET_HAS_FAULT_INJECTION

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/event_loop.h"
#include "net/listener.h"
#include "net/resolver.h"
#include "net/socket.h"

namespace net_test {
namespace {

// The message of `status`, for the checks on what it names.
std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST_CASE("getsockname and getpeername failures are the caller's error and leave the socket usable") {
  auto [client, server] = net_test::TcpPair();
  const int enobufs = NativeCode("ENOBUFS", "WSAENOBUFS");
  {
    ScopedFault fault(Point::kName, Rule{.native_error = enobufs,
                                         .times = 2,
                                         .handle = client.native_handle()});
    absl::StatusOr<net::SocketAddress> local = client.LocalAddress();
    REQUIRE_FALSE(local.ok());
    CHECK(net::GetSocketError(local.status()) == net::SocketError::kNoBufferSpace);
    CHECK(absl::StrContains(Message(local.status()), "getsockname"));
    absl::StatusOr<net::SocketAddress> peer = client.PeerAddress();
    REQUIRE_FALSE(peer.ok());
    CHECK(net::GetSocketError(peer.status()) == net::SocketError::kNoBufferSpace);
    CHECK(absl::StrContains(Message(peer.status()), "getpeername"));
    CHECK(fault.injected() == 2);
    // Another socket's calls are not touched by a rule for this one.
    NET_CHECK_OK(server.LocalAddress());
  }
  absl::StatusOr<net::SocketAddress> local = client.LocalAddress();
  absl::StatusOr<net::SocketAddress> peer = server.PeerAddress();
  NET_REQUIRE_OK(local);
  NET_REQUIRE_OK(peer);
  CHECK(*local == *peer);
}

TEST_CASE("a connect whose self-connect check cannot read the local address still connects") {
  // The self-connect check (one getsockname per connect) is a check, not a
  // step: when it cannot run, the connect the OS reported stands, and the
  // next call on a broken socket says what is wrong.
  net::Socket listening = net_test::Listen();
  const net::SocketAddress where = net_test::LocalAddressOf(listening);
  net::Socket client = net_test::OpenSocket();
  {
    ScopedFault fault(Point::kName,
                      Rule{.native_error = NativeCode("ENOBUFS", "WSAENOBUFS"),
                           .handle = client.native_handle()});
    NET_REQUIRE_OK(client.Connect(where, absl::Seconds(5)));
    CHECK(fault.injected() == 1);
  }
  absl::StatusOr<net::Accepted> accepted = listening.Accept();
  NET_REQUIRE_OK(accepted);
  NET_REQUIRE_OK(client.SendAll(absl::string_view("hi")));
  CHECK(net_test::ReceiveExactly(accepted->socket, 2) == "hi");
}

TEST_CASE("a failing fcntl or ioctl is the caller's error, named after the call") {
  auto [client, server] = net_test::TcpPair();
  const int ebadf = NativeCode("EBADF", "WSAEBADF");
  {
    ScopedFault fault(Point::kControl,
                      Rule{.native_error = ebadf, .handle = server.native_handle()});
    absl::Status status = server.SetNonBlocking(true);
    REQUIRE_FALSE(status.ok());
    CHECK(net::GetSocketError(status) == net::SocketError::kBadDescriptor);
    CHECK((absl::StrContains(Message(status), "fcntl") ||
           absl::StrContains(Message(status), "ioctlsocket FIONBIO")));
    CHECK(fault.injected() == 1);
  }
  NET_REQUIRE_OK(client.SendAll(absl::string_view("abc")));
  NET_REQUIRE_OK(server.WaitReadable(absl::Seconds(5)));
  {
    ScopedFault fault(Point::kControl,
                      Rule{.native_error = ebadf, .handle = server.native_handle()});
    absl::StatusOr<std::size_t> available = server.BytesAvailable();
    REQUIRE_FALSE(available.ok());
    CHECK(net::GetSocketError(available.status()) == net::SocketError::kBadDescriptor);
    CHECK(absl::StrContains(Message(available.status()), "FIONREAD"));
  }
  // Nothing was changed by the failed calls.
  absl::StatusOr<std::size_t> available = server.BytesAvailable();
  NET_REQUIRE_OK(available);
  CHECK(*available == 3);
  NET_CHECK_OK(server.SetNonBlocking(true));
}

TEST_CASE("a listener that cannot make an adopted socket non-blocking fails, watches nothing and closes it") {
  std::unique_ptr<net::EventLoop> loop = net_test::NewLoop();
  const int before = net_test::OpenDescriptorCount();
  net::Socket socket = net_test::Listen();
  ScopedFault fault(Point::kControl,
                    Rule{.native_error = NativeCode("EBADF", "WSAEBADF"),
                         .times = kForever,
                         .handle = socket.native_handle()});
  absl::StatusOr<std::unique_ptr<net::Listener>> l = net::Listener::Adopt(
      *loop, std::move(socket), [](net::Socket, const net::SocketAddress&) {});
  if (fault.calls() == 0) {
    // Adopt found the socket non-blocking already, or sets it another way.
    NET_CHECK_OK(l);
    return;
  }
  REQUIRE_FALSE(l.ok());
  CHECK(net::GetSocketError(l.status()) == net::SocketError::kBadDescriptor);
  CHECK(loop->watch_count() == 0);
  CHECK(net_test::OpenDescriptorCount() == before);
}

TEST_CASE("a failing one-handle wait is the caller's error, and an interrupted one is waited again") {
  auto [client, server] = net_test::TcpPair();
  {
    ScopedFault fault(Point::kWait,
                      Rule{.native_error = NativeCode("ENOMEM", "WSAENOBUFS"),
                           .handle = server.native_handle()});
    absl::StatusOr<bool> ready = server.WaitReadable(absl::Seconds(5));
    REQUIRE_FALSE(ready.ok());
    CHECK(net::GetSocketError(ready.status()) == net::SocketError::kNoBufferSpace);
    CHECK((absl::StrContains(Message(ready.status()), "poll") ||
           absl::StrContains(Message(ready.status()), "select")));
  }
  if (net_test::OnWindowsBackend()) {
    // select() has no EINTR on Winsock (WSAEINTR only ends a blocking call
    // cancelled by the obsolete WSACancelBlockingCall).
    net_test::PrintSkip("the one-handle wait has no EINTR on Windows");
    return;
  }
  ScopedFault fault(Point::kWait, Rule{.native_error = NativeCode("EINTR", ""),
                                       .times = 5,
                                       .handle = server.native_handle()});
  // Interrupted five times, then a real timeout: still a timeout, not an
  // error, and not early.
  const absl::Time start = absl::Now();
  absl::StatusOr<bool> ready = server.WaitReadable(absl::Milliseconds(50));
  NET_REQUIRE_OK(ready);
  CHECK_FALSE(*ready);
  CHECK(absl::Now() - start >= absl::Milliseconds(45));
  CHECK(fault.injected() == 5);
  // And data arriving is still seen.
  NET_REQUIRE_OK(client.SendAll(absl::string_view("x")));
  ready = server.WaitReadable(absl::Seconds(5));
  NET_REQUIRE_OK(ready);
  CHECK(*ready);
}

TEST_CASE("a connect with a timeout whose wait fails reports that failure") {
  net::Socket listening = net_test::Listen();
  const net::SocketAddress where = net_test::LocalAddressOf(listening);
  net::Socket client = net_test::OpenSocket();
  ScopedFault fault(Point::kWait,
                    Rule{.native_error = NativeCode("ENOMEM", "WSAENOBUFS"),
                         .times = kForever,
                         .handle = client.native_handle()});
  absl::Status status = client.Connect(where, absl::Seconds(5));
  if (fault.calls() == 0) {
    // The loopback connect finished at once: no wait was needed.
    NET_CHECK_OK(status);
    return;
  }
  REQUIRE_FALSE(status.ok());
  CHECK(net::GetSocketError(status) == net::SocketError::kNoBufferSpace);
}

TEST_CASE("a socketpair that cannot be made says why and leaves nothing open") {
  const int before = net_test::OpenDescriptorCount();
  // On Windows the pair is a listener, a client and an accepted socket:
  // fail each socket() in turn (POSIX has the one socketpair() call).
  const int sockets = net_test::OnWindowsBackend() ? 2 : 1;
  for (int skip = 0; skip < sockets; ++skip) {
    CAPTURE(skip);
    ScopedFault fault(Point::kSocket,
                      Rule{.native_error = NativeCode("EMFILE", "WSAEMFILE"),
                           .skip = skip});
    absl::StatusOr<std::pair<net::Socket, net::Socket>> pair = net::SocketPair();
    CHECK(fault.injected() == 1);
    REQUIRE_FALSE(pair.ok());
    CHECK(net::GetSocketError(pair.status()) == net::SocketError::kTooManyOpenFiles);
    CHECK(net_test::OpenDescriptorCount() == before);
  }
  absl::StatusOr<std::pair<net::Socket, net::Socket>> pair = net::SocketPair();
  NET_REQUIRE_OK(pair);
  NET_REQUIRE_OK(pair->first.SendAll(absl::string_view("ok")));
  CHECK(net_test::ReceiveExactly(pair->second, 2) == "ok");
}

TEST_CASE("a resolver failure from the system is the system's error, naming the host") {
  {
    // POSIX: getaddrinfo's EAI_SYSTEM with errno EMFILE (it opens sockets
    // and files); Winsock returns the code itself.
    ScopedFault fault(Point::kResolve,
                      Rule{.native_error = NativeCode("EMFILE", "WSAEMFILE")});
    absl::StatusOr<std::vector<net::ResolvedAddress>> r =
        net::Resolve("localhost", "80", {.type = net::SocketType::kStream});
    CHECK(fault.injected() == 1);
    REQUIRE_FALSE(r.ok());
    CHECK(net::GetSocketError(r.status()) == net::SocketError::kTooManyOpenFiles);
    CHECK(absl::StrContains(Message(r.status()), "localhost"));
  }
  {
    // A temporary failure of the name service keeps its own code.
    // (WSATRY_AGAIN is in the resolver's table, not the system's.)
    const int again =
        net_test::OnWindowsBackend() ? 11002 : NativeCode("EAGAIN", "");
    ScopedFault fault(Point::kResolve, Rule{.native_error = again});
    absl::StatusOr<std::vector<net::ResolvedAddress>> r =
        net::Resolve("localhost", "80", {.type = net::SocketType::kStream});
    REQUIRE_FALSE(r.ok());
    const net::SocketError error = net::GetSocketError(r.status());
    // POSIX can only inject through EAI_SYSTEM: errno EAGAIN is would-block.
    CHECK((error == net::SocketError::kTryAgain ||
           error == net::SocketError::kWouldBlock));
  }
  absl::StatusOr<std::vector<net::ResolvedAddress>> r =
      net::Resolve("localhost", "80", {.type = net::SocketType::kStream});
  NET_REQUIRE_OK(r);
  CHECK_FALSE(r->empty());
}

TEST_CASE("an event loop that cannot make its poller says why and leaves nothing open") {
  const net::EventLoopBackend backend = net_test::NewLoop()->backend();
  const int before = net_test::OpenDescriptorCount();
  // The poller's own handle (epoll, kqueue, the completion port) and its
  // wakeup (eventfd, pipe, the WSAPoll wake socket): fail each in turn.
  for (int skip = 0; skip < 2; ++skip) {
    CAPTURE(skip);
    ScopedFault fault(Point::kPollerCreate,
                      Rule{.native_error = NativeCode("EMFILE", "WSAENOBUFS"),
                           .skip = skip});
    absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
        net::EventLoop::Create({.backend = backend});
    if (fault.injected() == 0) {
      // This backend makes fewer than skip + 1 such handles.
      NET_CHECK_OK(loop);
      continue;
    }
    REQUIRE_FALSE(loop.ok());
    const net::SocketError error = net::GetSocketError(loop.status());
    CHECK((error == net::SocketError::kTooManyOpenFiles ||
           error == net::SocketError::kNoBufferSpace));
    CHECK(net_test::OpenDescriptorCount() == before);
  }
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create({.backend = backend});
  NET_REQUIRE_OK(loop);
  bool ran = false;
  (*loop)->Post([&] { ran = true; });
  CHECK(net_test::RunUntil(**loop, [&] { return ran; }, absl::Seconds(5)));
}

TEST_CASE("iocp: an AFD poll request refused for a live socket is an error event, and is submitted again") {
  std::unique_ptr<net::EventLoop> loop = net_test::NewLoop();
  if (loop->backend() != net::EventLoopBackend::kIocp) {
    NET_SKIP("only the iocp poller submits a request per watch");
  }
  auto [client, server] = net_test::TcpPair();
  struct Recorder final : net::IoHandler {
    std::vector<net::Readiness> seen;
    void OnReady(net::Readiness r) override { seen.push_back(r); }
  } recorder;
  {
    // The first call is the SIO_BASE_HANDLE query of Watch(): let it pass,
    // refuse the first AFD request (the code is only the hook's trigger:
    // AFD answers an NTSTATUS, STATUS_INSUFFICIENT_RESOURCES).
    ScopedFault fault(Point::kPollerControl,
                      Rule{.native_error = NativeCode("", "WSAENOBUFS"),
                           .skip = 1,
                           .times = 1,
                           .handle = server.native_handle()});
    NET_REQUIRE_OK(loop->Watch(server.native_handle(), net::Interest::kReadable,
                               &recorder));
    CHECK(net_test::RunUntil(*loop, [&] { return !recorder.seen.empty(); },
                             absl::Seconds(5)));
    CHECK(fault.injected() == 1);
  }
  REQUIRE(recorder.seen.size() >= 1);
  CHECK(recorder.seen.front().error);
  // Submitted again: data that arrives now is seen as plain readable.
  recorder.seen.clear();
  NET_REQUIRE_OK(client.SendAll(absl::string_view("x")));
  CHECK(net_test::RunUntil(
      *loop,
      [&] { return !recorder.seen.empty() && !recorder.seen.back().error; },
      absl::Seconds(5)));
  REQUIRE_FALSE(recorder.seen.empty());
  CHECK(recorder.seen.back().readable);
}

}  // namespace
}  // namespace net_test

#else

NET_FAULT_CASES_SKIPPED("fault_calls_test.cc")

#endif  // NET_HAS_FAULT_INJECTION
