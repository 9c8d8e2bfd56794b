// Copyright 2026 The net Authors.
//
// Stream sockets on every backend: TCP over IPv4 and IPv6, unix-domain
// streams, half-close, peek, out-of-band data, scatter/gather, SendAll of a
// large buffer, and the local/peer addresses of a connected pair. Real
// sockets on loopback, port 0; no OS header, no OS #if: this file runs
// unchanged on every backend (tests/contract/ is the executable
// specification of platform/sys.h).

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::IoResult;
using net::MessageFlags;
using net::SocketError;
using net::SocketType;

// Sends `text` on `from` and expects exactly it on `to`.
void Echo(net::Socket& from, net::Socket& to, const std::string& text) {
  NET_REQUIRE_OK(from.SendAll(text));
  CHECK(net_test::ReceiveExactly(to, text.size()) == text);
}

// Waits until `s` has at least `n` bytes to read, or 5 s pass.
bool WaitForBytes(const net::Socket& s, std::size_t n) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline) {
    absl::StatusOr<std::size_t> available = s.BytesAvailable();
    if (!available.ok()) return false;
    if (*available >= n) return true;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return false;
}

// Receives one chunk into a buffer of `size`; REQUIREs a transfer.
std::string ReceiveSome(net::Socket& s, std::size_t size,
                        MessageFlags flags = MessageFlags::kNone) {
  std::string buffer(size, '\0');
  absl::StatusOr<IoResult> r = s.Receive(absl::MakeSpan(buffer), flags);
  NET_REQUIRE_OK(r);
  REQUIRE(r->kind() == IoResult::Kind::kTransferred);
  buffer.resize(r->bytes());
  return buffer;
}

// A pattern that makes a misplaced or repeated chunk visible.
std::string Pattern(std::size_t size) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    data[i] = static_cast<char>('a' + (i * 7 + i / 4093) % 26);
  }
  return data;
}

// SendAll(`data`, 30 s) on `client` while a second thread reads on
// `server` until all of it came, starting after `delay` (so that the sender
// fills the buffers and has to wait). CHECKs that the send and every read
// worked; returns what the reader got.
std::string SendAllToReader(net::Socket& client, net::Socket& server,
                            const std::string& data,
                            absl::Duration delay = absl::ZeroDuration()) {
  std::string received;
  absl::Status reader_status;
  std::thread reader([&server, &received, &reader_status, &data, delay] {
    std::string buffer(64 * 1024, '\0');
    absl::SleepFor(delay);
    while (received.size() < data.size()) {
      absl::StatusOr<IoResult> r = server.Receive(absl::MakeSpan(buffer));
      if (!r.ok()) {
        reader_status = r.status();
        return;
      }
      if (r->end_of_stream()) return;
      received.append(buffer.data(), r->bytes());
    }
  });
  absl::Status sent = client.SendAll(data, absl::Seconds(30));
  reader.join();
  NET_CHECK_OK(sent);
  NET_CHECK_OK(reader_status);
  return received;
}

void CheckConnectAcceptEcho(AddressFamily family) {
  net::Socket listener = net_test::Listen(family);
  const net::SocketAddress where = net_test::LocalAddressOf(listener);
  CHECK(where.family() == family);
  CHECK(where.ip().IsLoopback());
  CHECK(where.port() != 0);

  absl::StatusOr<net::Socket> client =
      net::Socket::Open(family, SocketType::kStream);
  NET_REQUIRE_OK(client);
  NET_REQUIRE_OK(client->Connect(where));
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  CHECK(accepted->socket.family() == family);
  CHECK(accepted->socket.type() == SocketType::kStream);

  Echo(*client, accepted->socket, "hello from the client");
  Echo(accepted->socket, *client, "hello from the server");
  // Several round trips over the same connection.
  for (int i = 0; i < 10; ++i) {
    Echo(*client, accepted->socket, absl::StrCat("ping ", i));
    Echo(accepted->socket, *client, absl::StrCat("pong ", i));
  }
}

void CheckAddressesAgree(AddressFamily family) {
  auto [client, server] = net_test::TcpPair(family);
  absl::StatusOr<net::SocketAddress> client_local = client.LocalAddress();
  absl::StatusOr<net::SocketAddress> client_peer = client.PeerAddress();
  absl::StatusOr<net::SocketAddress> server_local = server.LocalAddress();
  absl::StatusOr<net::SocketAddress> server_peer = server.PeerAddress();
  NET_REQUIRE_OK(client_local);
  NET_REQUIRE_OK(client_peer);
  NET_REQUIRE_OK(server_local);
  NET_REQUIRE_OK(server_peer);
  INFO("client ", client_local->ToString(), " -> ", client_peer->ToString(),
       "; server ", server_local->ToString(), " <- ", server_peer->ToString());
  CHECK(*client_local == *server_peer);
  CHECK(*client_peer == *server_local);
  CHECK(client_local->family() == family);
  CHECK(client_local->port() != client_peer->port());
  CHECK(client_local->ip().IsLoopback());
}

}  // namespace

TEST_CASE("TCP over IPv4 connects, accepts and echoes both ways") {
  CheckConnectAcceptEcho(AddressFamily::kIPv4);
}

TEST_CASE("TCP over IPv6 connects, accepts and echoes both ways") {
  if (!net_test::HaveIPv6())
    NET_SKIP("IPv6 not available here (cannot bind ::1)");
  CheckConnectAcceptEcho(AddressFamily::kIPv6);
}

TEST_CASE("the local and peer addresses of a TCP pair mirror each other") {
  CheckAddressesAgree(AddressFamily::kIPv4);
  if (net_test::HaveIPv6()) {
    CheckAddressesAgree(AddressFamily::kIPv6);
  } else {
    MESSAGE("IPv6 part not run: IPv6 not available here");
  }
}

TEST_CASE(
    "after shutting down its write side a socket's peer reads end of "
    "stream, and the socket can still read") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.SendAll(std::string("last words")));
  NET_REQUIRE_OK(client.Shutdown(net::ShutdownMode::kWrite));

  // The server gets the data sent before the shutdown, then end of stream,
  // and end of stream again on every later receive.
  CHECK(net_test::ReceiveExactly(server, 10) == "last words");
  for (int i = 0; i < 2; ++i) {
    char buffer[16];
    absl::StatusOr<IoResult> r = server.Receive(absl::MakeSpan(buffer));
    NET_REQUIRE_OK(r);
    CHECK(r->end_of_stream());
    CHECK(r->bytes() == 0);
  }

  // Our read side still works: the server can answer.
  Echo(server, client, "still listening");

  // Our write side does not: a send after shutdown(write) fails with broken
  // pipe (EPIPE / WSAESHUTDOWN), and never raises SIGPIPE.
  absl::StatusOr<IoResult> late = client.Send(std::string("too late"));
  INFO(late.status().ToString());
  CHECK(net::GetSocketError(late.status()) == SocketError::kBrokenPipe);
}

TEST_CASE("shutting down both sides ends the stream for the peer") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.Shutdown(net::ShutdownMode::kBoth));
  char buffer[8];
  absl::StatusOr<IoResult> r = server.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->end_of_stream());
}

TEST_CASE(
    "a non-blocking stream socket's Send and Receive report bytes, "
    "would-block, zero-length transfers and the end of the stream") {
  // The case Socket::Send()/Receive() take inline, straight to the backend:
  // each result must be what the out-of-line path gives.
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(server.SetNonBlocking(true));
  NET_REQUIRE_OK(client.SetNonBlocking(true));
  char buffer[16];
  absl::StatusOr<IoResult> r = server.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->would_block());
  r = server.Receive(absl::Span<char>());
  NET_REQUIRE_OK(r);
  CHECK(r->kind() == IoResult::Kind::kTransferred);
  CHECK(r->bytes() == 0);
  r = client.Send(absl::Span<const char>());
  NET_REQUIRE_OK(r);
  CHECK(r->kind() == IoResult::Kind::kTransferred);
  CHECK(r->bytes() == 0);
  r = client.Send(std::string("abc"));
  NET_REQUIRE_OK(r);
  CHECK(r->bytes() == 3);
  REQUIRE(WaitForBytes(server, 3));
  r = server.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->kind() == IoResult::Kind::kTransferred);
  CHECK(std::string(buffer, r->bytes()) == "abc");
  NET_REQUIRE_OK(client.Shutdown(net::ShutdownMode::kWrite));
  absl::StatusOr<bool> readable = server.WaitReadable(absl::Seconds(5));
  NET_REQUIRE_OK(readable);
  REQUIRE(*readable);
  r = server.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->end_of_stream());
  // Closed: the inline path must not pass the invalid handle on.
  NET_REQUIRE_OK(server.Close());
  CHECK(server.Receive(absl::MakeSpan(buffer)).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(server.Send(std::string("x")).status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE(
    "a non-blocking stream socket's Send reports would-block when the peer "
    "does not read, and broken pipe after its own shutdown") {
  // The failing halves of the inline path (sys::StreamSendResult() and
  // sys::StreamReceiveResult()), which read the OS's error after the call.
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.SetNonBlocking(true));
  NET_REQUIRE_OK(server.SetNonBlocking(true));
  const std::string chunk(64 * 1024, 'x');
  std::size_t sent = 0;
  bool blocked = false;
  // Bounded: the kernel's buffers hold a few MiB at most.
  while (sent < (std::size_t{256} << 20)) {
    absl::StatusOr<IoResult> w = client.Send(chunk);
    NET_REQUIRE_OK(w);
    if (w->would_block()) {
      blocked = true;
      CHECK(w->bytes() == 0);
      break;
    }
    CHECK(w->bytes() > 0);
    sent += w->bytes();
  }
  CHECK(blocked);
  INFO("sent before would-block: ", sent);
  CHECK(sent > 0);
  // The receiver gets bytes, then would-block once it has drained what is
  // there (the sender is not sending more).
  std::vector<char> buffer(1 << 20);
  std::size_t received = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (received < sent && absl::Now() < deadline) {
    absl::StatusOr<IoResult> r = server.Receive(absl::MakeSpan(buffer));
    NET_REQUIRE_OK(r);
    REQUIRE_FALSE(r->end_of_stream());
    if (r->would_block()) {
      NET_REQUIRE_OK(server.WaitReadable(absl::Seconds(1)));
      continue;
    }
    received += r->bytes();
  }
  CHECK(received == sent);
  absl::StatusOr<IoResult> r = server.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->would_block());

  NET_REQUIRE_OK(client.Shutdown(net::ShutdownMode::kWrite));
  absl::StatusOr<IoResult> late = client.Send(std::string("too late"));
  INFO(late.status().ToString());
  CHECK(net::GetSocketError(late.status()) == SocketError::kBrokenPipe);
}

TEST_CASE(
    "a receive with kPeek returns the data and leaves it to be read "
    "again") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.SendAll(std::string("peekaboo")));
  REQUIRE(WaitForBytes(server, 8));
  CHECK(ReceiveSome(server, 8, MessageFlags::kPeek) == "peekaboo");
  CHECK(ReceiveSome(server, 4, MessageFlags::kPeek) == "peek");
  absl::StatusOr<std::size_t> available = server.BytesAvailable();
  NET_REQUIRE_OK(available);
  CHECK(*available == 8);
  CHECK(net_test::ReceiveExactly(server, 8) == "peekaboo");
}

TEST_CASE(
    "an out-of-band byte is received apart from the stream, at the "
    "out-of-band mark") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.SendAll(std::string("ab")));
  absl::StatusOr<IoResult> sent =
      client.Send(std::string("x"), MessageFlags::kOutOfBand);
  NET_REQUIRE_OK(sent);
  CHECK(sent->bytes() == 1);
  NET_REQUIRE_OK(client.SendAll(std::string("cd")));

  // The ordinary data before the mark: not at the mark while it is unread.
  REQUIRE(WaitForBytes(server, 2));
  absl::StatusOr<bool> at_mark = server.AtOutOfBandMark();
  NET_REQUIRE_OK(at_mark);
  CHECK_FALSE(*at_mark);
  // A receive stops at the mark, so this returns "ab" however much came.
  std::string before;
  while (before.size() < 2) before += ReceiveSome(server, 2 - before.size());
  CHECK(before == "ab");

  // Now the read position is at the mark (once the urgent data is in).
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  for (;;) {
    at_mark = server.AtOutOfBandMark();
    NET_REQUIRE_OK(at_mark);
    if (*at_mark || absl::Now() > deadline) break;
    absl::SleepFor(absl::Milliseconds(1));
  }
  CHECK(*at_mark);

  // The urgent byte comes out of band...
  char oob = 0;
  absl::StatusOr<IoResult> urgent =
      server.Receive(absl::MakeSpan(&oob, 1), MessageFlags::kOutOfBand);
  NET_REQUIRE_OK(urgent);
  CHECK(urgent->bytes() == 1);
  CHECK(oob == 'x');
  // ...and is not in the stream, which goes on with what followed it.
  CHECK(net_test::ReceiveExactly(server, 2) == "cd");
}

TEST_CASE("SendVector gathers and ReceiveVector scatters in buffer order") {
  auto [client, server] = net_test::TcpPair();
  const std::string a = "abc", c = "defg";
  const absl::Span<const char> out[] = {
      absl::MakeConstSpan(a), absl::Span<const char>(),  // an empty part
      absl::MakeConstSpan(c)};
  absl::StatusOr<IoResult> sent = client.SendVector(out);
  NET_REQUIRE_OK(sent);
  CHECK(sent->bytes() == 7);
  CHECK(net_test::ReceiveExactly(server, 7) == "abcdefg");

  NET_REQUIRE_OK(client.SendAll(std::string("1234567")));
  REQUIRE(WaitForBytes(server, 7));
  std::string first(3, '\0'), second(4, '\0');
  const absl::Span<char> in[] = {absl::MakeSpan(first), absl::Span<char>(),
                                 absl::MakeSpan(second)};
  absl::StatusOr<IoResult> received = server.ReceiveVector(in);
  NET_REQUIRE_OK(received);
  CHECK(received->bytes() == 7);
  CHECK(first == "123");
  CHECK(second == "4567");
}

TEST_CASE("ReceiveVector reports end of stream after the peer shuts down") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.Shutdown(net::ShutdownMode::kWrite));
  char buffer[4];
  const absl::Span<char> in[] = {absl::MakeSpan(buffer)};
  absl::StatusOr<IoResult> r = server.ReceiveVector(in);
  NET_REQUIRE_OK(r);
  CHECK(r->end_of_stream());
}

TEST_CASE("SendAll delivers 4 MiB intact to a concurrent reader") {
  auto [client, server] = net_test::TcpPair();
  const std::string data = Pattern(4 * 1024 * 1024);
  const std::string received = SendAllToReader(client, server, data);
  CHECK(received.size() == data.size());
  CHECK((received == data));  // no 4 MiB diff in the log
}

TEST_CASE(
    "SendAll on a non-blocking socket waits for writability and "
    "delivers everything") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.SetNonBlocking(true));
  const std::string data = Pattern(2 * 1024 * 1024);
  // The reader starts late, so that the sender has to wait.
  const std::string received =
      SendAllToReader(client, server, data, absl::Milliseconds(50));
  CHECK((received == data));
}

// Runs SendAll(64 MiB, 200 ms) on `client` with nobody reading on `server`,
// bounded: if SendAll is still blocked after 5 s, closing `server` (with
// unread data: a reset) releases it, and the case fails.
void CheckSendAllDeadline(bool nonblocking) {
  std::pair<net::Socket, net::Socket> pair = net_test::TcpPair();
  net::Socket& client = pair.first;
  net::Socket& server = pair.second;
  NET_REQUIRE_OK(client.SetNonBlocking(nonblocking));
  // Far more than the loopback socket buffers hold.
  const std::string data = Pattern(64 * 1024 * 1024);
  std::atomic<bool> done{false};
  absl::Status sent;
  absl::Duration took;
  std::thread sender([&] {
    const absl::Time start = absl::Now();
    sent = client.SendAll(data, absl::Milliseconds(200));
    took = absl::Now() - start;
    done = true;
  });
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  while (!done && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(5));
  const bool returned_in_time = done;
  if (!returned_in_time) (void)server.Close();
  sender.join();
  INFO(sent.ToString(), " after ", absl::FormatDuration(took));
  CHECK(returned_in_time);  // false: SendAll ignored its deadline
  CHECK(sent.code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(net::GetSocketError(sent) == SocketError::kTimedOut);
}

TEST_CASE(
    "SendAll on a non-blocking socket gives up with deadline exceeded "
    "when nobody reads") {
  CheckSendAllDeadline(/*nonblocking=*/true);
}

TEST_CASE(
    "SendAll on a blocking socket gives up with deadline exceeded "
    "when nobody reads") {
  CheckSendAllDeadline(/*nonblocking=*/false);
}

TEST_CASE("a unix-domain stream socket binds a path, accepts and echoes") {
  absl::StatusOr<net::Socket> listener =
      net::Socket::Open(AddressFamily::kUnix, SocketType::kStream);
  if (!listener.ok() && net::GetSocketError(listener.status()) ==
                            SocketError::kAddressFamilyNotSupported) {
    NET_SKIP(absl::StrCat("unix-domain sockets not available here: ",
                          listener.status().ToString()));
  }
  NET_REQUIRE_OK(listener);
  const std::string path = net_test::TempSocketPath("stream");
  absl::StatusOr<net::SocketAddress> where = net::SocketAddress::Unix(path);
  NET_REQUIRE_OK(where);
  NET_REQUIRE_OK(listener->Bind(*where));
  NET_REQUIRE_OK(listener->Listen());
  absl::StatusOr<net::SocketAddress> local = listener->LocalAddress();
  NET_REQUIRE_OK(local);
  CHECK(local->family() == AddressFamily::kUnix);
  CHECK(local->unix_path() == path);

  absl::StatusOr<net::Socket> client =
      net::Socket::Open(AddressFamily::kUnix, SocketType::kStream);
  NET_REQUIRE_OK(client);
  NET_REQUIRE_OK(client->Connect(*where));
  absl::StatusOr<net::Accepted> accepted = listener->Accept();
  NET_REQUIRE_OK(accepted);
  CHECK(accepted->socket.family() == AddressFamily::kUnix);
  absl::StatusOr<net::SocketAddress> peer = client->PeerAddress();
  NET_REQUIRE_OK(peer);
  CHECK(peer->unix_path() == path);

  Echo(*client, accepted->socket, "over a unix socket");
  Echo(accepted->socket, *client, "and back");
  NET_CHECK_OK(client->Shutdown(net::ShutdownMode::kWrite));
  char buffer[4];
  absl::StatusOr<IoResult> r = accepted->socket.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->end_of_stream());

  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}
