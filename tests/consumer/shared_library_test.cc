// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/consumer/shared_library_test.cc
// -----------------------------------------------------------------------------
//
// What crosses the boundary of a shared net (libnet.so, net.dll) works from
// the program's side (issue 16, docs/shipping.md "Shared and static builds").
// Built as `shared_library_test`, which links net::net itself (PUBLIC_API in
// tests/CMakeLists.txt): the shared library in a BUILD_SHARED_LIBS build, the
// static one otherwise, so the same cases run against both.
//
// Under mingw, net.dll and the program each hold their own static copy of
// Abseil (build/deps-mingw builds Abseil static, and its DLL build is
// MSVC-only): an absl::Status made by one copy is read, copied and destroyed
// by the other. That is safe because both copies are the same Abseil built
// with the same flags and both allocate from the one C runtime heap; these
// cases are what proves it, on ELF (one shared libabsl) and under wine.
//
//   - the program really runs the library the build says it linked (shared:
//     another module than the program; static: the program itself);
//   - a Status made in net, with its Cord payload (the native error code),
//     is read, copied, changed and destroyed by the program, on its thread
//     and on another;
//   - a Status made by the program (with and without net's payload) is read
//     by net;
//   - tasks and timers made by the program (absl::AnyInvocable holding a
//     shared_ptr) run and are destroyed inside net's event loop.
//
// No RELIABILITY.md case: this is the shipping issue's "the DLL loads under
// wine" and "absl::Status created in the DLL and destroyed in the exe".

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "doctest/doctest.h"
#include "net/net.h"

#if defined(_WIN32)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <dlfcn.h>
#endif

namespace {

// The file of the module (program or library) that holds `address`.
std::string ModuleOf(const void* address) {
#if defined(_WIN32)
  HMODULE module = nullptr;
  if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                              GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                          static_cast<const char*>(address), &module)) {
    return "";
  }
  char name[MAX_PATH] = {};
  GetModuleFileNameA(module, name, MAX_PATH);
  return name;
#else
  Dl_info info{};
  if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "";
  return info.dli_fname;
#endif
}

int MainMarker() { return 7; }

// A status with net's native-error payload: a bind to a port another socket
// holds (kAddressInUse on every OS).
absl::Status AddressInUseFromNet() {
  absl::StatusOr<net::Socket> first =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  REQUIRE(first.ok());
  REQUIRE(first->Bind(*net::SocketAddress::Parse("127.0.0.1:0")).ok());
  REQUIRE(first->Listen().ok());
  absl::StatusOr<net::SocketAddress> taken = first->LocalAddress();
  REQUIRE(taken.ok());
  absl::StatusOr<net::Socket> second =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  REQUIRE(second.ok());
  return second->Bind(*taken);
}

TEST_CASE("a program linked with net runs the library the build linked") {
  // Through a variable: with NET_SHARED under mingw the address is the DLL's
  // (dllimport), not a thunk in the program.
  absl::string_view (*version)() = &net::Version;
  const std::string library = ModuleOf(reinterpret_cast<const void*>(version));
  const std::string program =
      ModuleOf(reinterpret_cast<const void*>(&MainMarker));
  REQUIRE(!program.empty());
  REQUIRE(!library.empty());
  MESSAGE("net::Version() is in ", library, "; the program is ", program);
#if defined(NET_SHARED)
  CHECK(library != program);
  CHECK((absl::StrContains(library, "libnet.so") ||
         absl::EndsWithIgnoreCase(library, "net.dll")));
#else
  CHECK(library == program);
#endif
  CHECK(net::Version() == absl::StrCat(net::VersionMajor(), ".",
                                       net::VersionMinor(), ".",
                                       net::VersionPatch()));
}

TEST_CASE(
    "an absl::Status made inside net is read, copied, changed and destroyed "
    "by the program") {
  absl::Status in_use = AddressInUseFromNet();
  REQUIRE(!in_use.ok());
  CHECK(net::GetSocketError(in_use) == net::SocketError::kAddressInUse);
  CHECK(net::GetNativeError(in_use).has_value());
  CHECK(in_use.GetPayload("type.net/net.SocketError").has_value());
  CHECK(absl::StrContains(in_use.ToString(), "bind"));

  // Copies made and destroyed here share the library's rep (reference
  // counts on both sides); the payload is a Cord built inside net.
  std::vector<absl::Status> copies(100, in_use);
  copies.back().SetPayload("type.example/program", absl::Cord("mine"));
  CHECK(copies.back() != in_use);
  CHECK(net::GetSocketError(copies.back()) == net::SocketError::kAddressInUse);
  copies.clear();
  CHECK(net::GetSocketError(in_use) == net::SocketError::kAddressInUse);

  // A message-only status, and a StatusOr<Socket> whose socket the program
  // closes.
  absl::StatusOr<net::SocketAddress> bad =
      net::SocketAddress::Parse("300.1.2.3:80");
  REQUIRE(!bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  const std::string text(bad.status().message());
  CHECK(!text.empty());
  absl::StatusOr<net::Socket> socket =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kDatagram);
  REQUIRE(socket.ok());
  CHECK(socket->Close().ok());

  // Destroyed on another thread than the one that made it.
  std::thread([moved = std::move(in_use)]() mutable {
    CHECK(net::IsTransient(moved) == net::IsTransient(moved));
    moved = absl::OkStatus();
  }).join();
}

TEST_CASE("an absl::Status made by the program is read by net") {
  absl::Status plain = absl::UnavailableError("made by the program");
  CHECK(net::GetSocketError(plain) != net::SocketError::kAddressInUse);
  CHECK(!net::GetNativeError(plain).has_value());
  CHECK(!net::IsWouldBlock(plain));

  // The program copies net's payload onto its own status: net reads it.
  absl::Status in_use = AddressInUseFromNet();
  absl::optional<absl::Cord> payload =
      in_use.GetPayload("type.net/net.SocketError");
  REQUIRE(payload.has_value());
  absl::Status rebuilt(in_use.code(), "rebuilt by the program");
  rebuilt.SetPayload("type.net/net.SocketError", *payload);
  CHECK(net::GetSocketError(rebuilt) == net::SocketError::kAddressInUse);
  CHECK(net::GetNativeError(rebuilt) == net::GetNativeError(in_use));
}

TEST_CASE(
    "tasks and timers made by the program run and are destroyed inside "
    "net's event loop") {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  REQUIRE(loop.ok());
  auto token = std::make_shared<int>(0);
  int posted = 0;
  int timed = 0;
  for (int i = 0; i < 10; ++i) {
    (*loop)->Post([token, &posted] { ++posted; });
  }
  (*loop)->AddTimer(absl::Milliseconds(1), [token, &timed, l = loop->get()] {
    ++timed;
    l->Stop();
  });
  CHECK(token.use_count() == 12);
  // Bounded: the timer stops the loop after 1 ms; 100 turns of 50 ms at most.
  for (int turn = 0; turn < 100 && timed == 0; ++turn) {
    REQUIRE((*loop)->RunOnce(absl::Milliseconds(50)).ok());
  }
  CHECK(posted == 10);
  CHECK(timed == 1);
  CHECK(token.use_count() == 1);  // every copy destroyed inside net
}

}  // namespace
