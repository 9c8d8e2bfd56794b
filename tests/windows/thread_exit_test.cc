// Copyright 2026 The net Authors.
//
// A thread that read through a Connection frees its read buffer when it
// exits, and leaves the heap intact.
//
// The buffer is per thread (core/connection.cc). It used to be owned by a
// `thread_local std::unique_ptr<char[]>`, and mingw-w64 (GCC 12's emulated
// TLS with winpthreads) frees a thread's TLS blocks before it runs the
// thread_local destructors (both are pthread-key destructors, and emutls's
// key is made first): the destructor read its pointer from freed memory,
// deleted what the allocator had put there (a free-list link), leaking the
// buffer, and stored a null pointer over that link. When the next operation
// on that free block was an unlink (a neighbour freed), the heap faulted:
// list_remove in wine's heap_free_block at a later thread exit, seen with
// net::Server's loop threads under wine. Now the buffer is freed by an OS
// thread-exit callback (sys::NewThreadBuffer(): a fiber-local slot here).
//
// Whether the freed TLS block is a free block of its own, so that its link
// is what the destructor read, depends on its neighbours: the test first
// leaves small holes between live blocks, where the thread's TLS blocks
// land, so that the old code fails here every time (the buffer is still
// allocated after the thread exited), not one run in a few.

#include <malloc.h>

#include <cstdlib>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "net/connection.h"
#include "net/event_loop.h"
#include "platform/windows/winsock_internal.h"
#include "tests/test_util.h"

namespace {

// Whether `heap` holds an allocated block that starts at `p`.
bool Allocated(HANDLE heap, const void* p) {
  bool found = false;
  if (!HeapLock(heap)) return false;
  PROCESS_HEAP_ENTRY entry{};
  while (HeapWalk(heap, &entry)) {
    if (entry.lpData == p && (entry.wFlags & PROCESS_HEAP_ENTRY_BUSY) != 0) {
      found = true;
      break;
    }
  }
  HeapUnlock(heap);
  return found;
}

// Runs a loop with one Connection on its own thread until `bytes` arrive;
// returns where the connection showed them (its read buffer), or null.
// No doctest macro on that thread: doctest's own thread_local objects have
// the same mingw-w64 defect (tests/test_util.h).
const char* ReadOnItsOwnThread(net::Socket socket, std::size_t bytes) {
  const char* seen = nullptr;
  std::thread t([&] {
    absl::StatusOr<std::unique_ptr<net::EventLoop>> loop = net::EventLoop::Create();
    if (!loop.ok()) return;
    absl::StatusOr<net::ConnectionPtr> c =
        net::Connection::Create(**loop, std::move(socket));
    if (!c.ok()) return;
    std::size_t got = 0;
    net::ConnectionCallbacks callbacks;
    callbacks.on_data = [&](net::Connection&, absl::string_view data) {
      if (seen == nullptr) seen = data.data();
      got += data.size();
      return data.size();
    };
    (*c)->SetCallbacks(std::move(callbacks));
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (got < bytes && absl::Now() < deadline) {
      if (!(*loop)->RunOnce(absl::Milliseconds(50)).ok()) break;
    }
    if (got < bytes) seen = nullptr;
    (*c)->Abort();
    c->reset();
    (*loop)->RunOnce(absl::ZeroDuration()).IgnoreError();
  });
  t.join();
  return seen;
}

}  // namespace

TEST_CASE("a thread that read through a Connection frees its read buffer "
          "when it exits and leaves the heap intact") {
  HANDLE heap = reinterpret_cast<HANDLE>(_get_heap_handle());
  REQUIRE(heap != nullptr);
  // Small holes with live blocks on both sides, for the thread's small
  // allocations (its TLS blocks among them).
  std::vector<void*> blocks(4000);
  for (void*& b : blocks) b = std::malloc(16);
  for (std::size_t i = 0; i < blocks.size(); i += 2) {
    std::free(blocks[i]);
    blocks[i] = nullptr;
  }
  for (int round = 0; round < 3; ++round) {
    CAPTURE(round);
    auto [client, server] = net_test::TcpPair();
    const std::string text(1000, 'x');
    NET_REQUIRE_OK(client.SendAll(absl::MakeConstSpan(text.data(), text.size()),
                                  absl::Seconds(10)));
    const char* buffer = ReadOnItsOwnThread(std::move(server), text.size());
    REQUIRE(buffer != nullptr);
    CHECK_FALSE(Allocated(heap, buffer));  // freed, not leaked
    CHECK(HeapValidate(heap, 0, nullptr));
  }
  for (void* b : blocks) std::free(b);
  CHECK(HeapValidate(heap, 0, nullptr));
}
