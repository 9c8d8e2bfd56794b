// Copyright 2026 The net Authors.
//
// Winsock is started once per process, lazily and thread-safely, and its
// result is remembered (platform/windows/startup_windows.cc).

#include <atomic>
#include <thread>
#include <vector>

#include "core/errors_internal.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"
#include "tests/test_util.h"

namespace {

// Winsock's start-up is reference counted: WSACleanup() succeeds once per
// successful WSAStartup(), then fails with WSANOTINITIALISED. Counts the
// references by releasing them all.
int ReleaseAllStartups() {
  int released = 0;
  while (WSACleanup() == 0) ++released;
  return released;
}

}  // namespace

TEST_CASE("Winsock is started exactly once however many threads ask first") {
  constexpr int kThreads = 16;
  std::atomic<int> ready{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      if (!net::sys::EnsureInitialized().ok()) ++failed;
      absl::StatusOr<net::Socket> s = net::Socket::Open(
          net::AddressFamily::kIPv4, net::SocketType::kStream);
      if (!s.ok()) ++failed;
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(failed.load() == 0);

  // One WSAStartup from net, none from anyone else in this test process.
  CHECK(ReleaseAllStartups() == 1);
  // With Winsock stopped behind net's back, a raw call says so, and the WSA
  // table calls it "not initialized".
  SOCKET raw = socket(AF_INET, SOCK_STREAM, 0);
  const int error = WSAGetLastError();
  CHECK(raw == INVALID_SOCKET);
  CHECK(error == WSANOTINITIALISED);
  CHECK(net::internal::TranslateError(error) ==
        net::SocketError::kNotInitialized);

  // Put the reference back for the rest of the process.
  WSADATA data;
  REQUIRE(WSAStartup(MAKEWORD(2, 2), &data) == 0);
  NET_CHECK_OK(net::Socket::Open(net::AddressFamily::kIPv4,
                                 net::SocketType::kDatagram));
}

TEST_CASE("the start-up result is remembered: later calls do not start again") {
  NET_REQUIRE_OK(net::sys::EnsureInitialized());
  NET_REQUIRE_OK(net::sys::EnsureInitialized());
  NET_REQUIRE_OK(net::Resolve("127.0.0.1", "80", {.numeric_host = true}));
  CHECK(ReleaseAllStartups() == 1);
  WSADATA data;
  REQUIRE(WSAStartup(MAKEWORD(2, 2), &data) == 0);
}

TEST_CASE("the backend says it is the Windows one") {
  CHECK(net::sys::BackendName() == "windows");
  CHECK(net::BackendName() == "windows");
}
