// Copyright 2026 The net Authors.

#include "tests/test_util.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "net/options.h"

#ifdef _WIN32
#include <windows.h>
#endif

namespace net_test {

#ifndef _WIN32
namespace {

int CountEntries(const char* directory) {
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  if (error) return -1;
  int n = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) return -1;
    ++n;
  }
  return n;
}

}  // namespace
#endif

int OpenDescriptorCount() {
#ifdef _WIN32
  DWORD handles = 0;
  if (!GetProcessHandleCount(GetCurrentProcess(), &handles) || handles == 0) {
    return -1;
  }
  return static_cast<int>(handles);
#else
  return CountEntries("/proc/self/fd");
#endif
}

int ThreadCount() {
#ifdef _WIN32
  return -1;
#else
  return CountEntries("/proc/self/task");
#endif
}

void PrintSkip(const std::string& reason) {
  std::printf("[net-skip] %s\n", reason.c_str());
  std::fflush(stdout);
  MESSAGE("skipped: ", reason);
}

net::Socket OpenSocket(net::AddressFamily family, net::SocketType type,
                       int protocol) {
  absl::StatusOr<net::Socket> s = net::Socket::Open(family, type, protocol);
  NET_REQUIRE_OK(s);
  return std::move(*s);
}

net::Socket Listen(net::AddressFamily family, net::SocketType type) {
  net::Socket s = OpenSocket(family, type);
  NET_REQUIRE_OK(
      s.Bind(net::SocketAddress(net::IpAddress::Loopback(family), 0)));
  if (type == net::SocketType::kStream) NET_REQUIRE_OK(s.Listen());
  return s;
}

net::SocketAddress ClosedPort(net::AddressFamily family,
                              net::SocketType type) {
  net::Socket s = Listen(family, type);
  net::SocketAddress where = LocalAddressOf(s);
  NET_REQUIRE_OK(s.Close());
  return where;
}

std::unique_ptr<net::EventLoop> NewLoop() {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  NET_REQUIRE_OK(loop);
  const char* env = std::getenv("NET_EVENT_LOOP");
  if (env != nullptr && *env != '\0') {
    REQUIRE(net::EventLoopBackendName((*loop)->backend()) == env);
  }
  return std::move(*loop);
}

net::SocketAddress LocalAddressOf(const net::Socket& s) {
  absl::StatusOr<net::SocketAddress> a = s.LocalAddress();
  NET_REQUIRE_OK(a);
  return *a;
}

std::pair<net::Socket, net::Socket> TcpPair(net::AddressFamily family) {
  net::Socket listener = Listen(family);
  net::Socket client = OpenSocket(family);
  NET_REQUIRE_OK(client.Connect(LocalAddressOf(listener)));
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  return {std::move(client), std::move(accepted->socket)};
}

bool HaveIPv6() {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(net::AddressFamily::kIPv6, net::SocketType::kStream);
  if (!s.ok()) return false;
  return s->Bind(net::SocketAddress(
                     net::IpAddress::Loopback(net::AddressFamily::kIPv6), 0))
      .ok();
}

std::string TempSocketPath(const std::string& tag) {
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}();
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  std::string name = absl::StrCat("net-", tag, "-", salt % 100000, "-",
                                  counter.fetch_add(1), ".sock");
  std::filesystem::path p = dir / name;
  std::error_code ignored;
  std::filesystem::remove(p, ignored);
  return p.string();
}

std::string ReceiveExactly(net::Socket& s, std::size_t n) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    absl::StatusOr<net::IoResult> r =
        s.Receive(absl::MakeSpan(out.data() + got, n - got));
    NET_REQUIRE_OK(r);
    if (r->end_of_stream()) break;
    REQUIRE_FALSE(r->would_block());
    got += r->bytes();
  }
  out.resize(got);
  return out;
}

int RunIdle(net::EventLoop& loop, int* ran) {
  int iterations = 0;
  const absl::Time end = absl::Now() + absl::Milliseconds(200);
  while (absl::Now() < end) {
    absl::StatusOr<int> r = loop.RunOnce(absl::Milliseconds(50));
    NET_REQUIRE_OK(r);
    *ran += *r;
    ++iterations;
  }
  return iterations;
}

void EchoWorker(net::ServerStream& s) {
  char buffer[16384];
  while (true) {
    absl::StatusOr<net::IoResult> r = s.Read(absl::MakeSpan(buffer));
    if (!r.ok() || r->end_of_stream()) return;
    if (!s.Write(absl::string_view(buffer, r->bytes())).ok()) return;
  }
}

std::string RoundTrip(net::Socket& s, absl::string_view text) {
  NET_REQUIRE_OK(s.SendAll(absl::MakeConstSpan(text.data(), text.size()),
                           absl::Seconds(10)));
  std::string got;
  char buffer[4096];
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (got.size() < text.size() && absl::Now() < deadline) {
    absl::StatusOr<bool> ready = s.WaitReadable(deadline - absl::Now());
    if (!ready.ok() || !*ready) break;
    absl::StatusOr<net::IoResult> r = s.Receive(absl::MakeSpan(buffer));
    if (!r.ok() || r->end_of_stream()) break;
    got.append(buffer, r->bytes());
  }
  return got;
}

HeldConnect ConnectIntoFullBacklog() {
  HeldConnect held;
  held.listener = OpenSocket(net::AddressFamily::kIPv4);
  NET_REQUIRE_OK(held.listener.Bind(*net::SocketAddress::Parse("127.0.0.1:0")));
  NET_REQUIRE_OK(held.listener.Listen(0));
  held.where = LocalAddressOf(held.listener);
  for (int i = 0; i < 16 && !held.pending.is_open(); ++i) {
    net::Socket s = OpenSocket(net::AddressFamily::kIPv4);
    NET_REQUIRE_OK(s.SetNonBlocking(true));
    held.started = absl::Now();
    absl::Status r = s.Connect(held.where);
    if (r.ok()) {
      held.queued.push_back(std::move(s));
      continue;
    }
    if (!net::IsInProgress(r)) {
      held.skip = "a full backlog refuses here: " + r.ToString();
      return held;
    }
    absl::StatusOr<bool> done = s.WaitWritable(absl::Milliseconds(200));
    NET_REQUIRE_OK(done);
    if (*done) {
      absl::StatusOr<absl::Status> e = s.GetOption<net::SocketErrorOption>();
      NET_REQUIRE_OK(e);
      if (!e->ok()) {
        held.skip = "a full backlog refuses here: " + e->ToString();
        return held;
      }
      held.queued.push_back(std::move(s));
      continue;
    }
    held.pending = std::move(s);  // still connecting after 200 ms
  }
  REQUIRE(held.pending.is_open());
  return held;
}

}  // namespace net_test
