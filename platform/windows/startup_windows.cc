// Copyright 2026 The net Authors.
//
// Start-up for the Winsock backend. The POSIX twin (startup_posix.cc) has
// nothing to start. Here Winsock 2.2 is started once per process, lazily (on
// the first call that creates a socket or resolves a name), thread-safely,
// and its result is checked and remembered: if WSAStartup failed, every call
// that needs Winsock gets the same clear status, with
// SocketError::kNotInitialized, instead of a crash or a WSANOTINITIALISED
// from some later call.
//
// WSACleanup is never called: Winsock's start-up is reference counted and
// process exit releases it; a cleanup at static destruction time would pull
// Winsock from under any other static object or thread still using a socket
// (libuv and Go do the same).

#include "absl/base/call_once.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/errors_internal.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"

namespace net::sys {
namespace {

void WINAPI FreeThreadBuffer(void* buffer) { delete[] static_cast<char*>(buffer); }

DWORD ThreadBufferSlot() {
  static absl::once_flag once;
  static DWORD slot = FLS_OUT_OF_INDEXES;
  absl::call_once(once, [] { slot = FlsAlloc(FreeThreadBuffer); });
  return slot;
}

struct Startup {
  absl::once_flag once;
  int error = 0;  // 0, or the WSA code that explains the failure
};

Startup& State() {
  static Startup* const state = new Startup;  // never destroyed: see above
  return *state;
}

// The codes WSAStartup documents for "Winsock cannot be used" all map to
// kNotInitialized in the table (errors_windows.cc); anything else it might
// return is reported as WSANOTINITIALISED with the original code in the text.
int StartupError(int rc) {
  switch (rc) {
    case WSASYSNOTREADY:
    case WSAVERNOTSUPPORTED:
    case WSAEPROCLIM:
      return rc;
    default:
      return WSANOTINITIALISED;
  }
}

}  // namespace

char* NewThreadBuffer(std::size_t size) {
  const DWORD slot = ThreadBufferSlot();
  char* buffer = new char[size];
  if (slot == FLS_OUT_OF_INDEXES) return buffer;  // (no slot: never freed)
  FreeThreadBuffer(FlsGetValue(slot));
  FlsSetValue(slot, buffer);
  return buffer;
}

absl::Status EnsureInitialized() {
  Startup& state = State();
  absl::call_once(state.once, [&state] {
    WSADATA data;
    const int rc = WSAStartup(MAKEWORD(2, 2), &data);
    if (rc != 0) {
      state.error = rc;
    } else if (LOBYTE(data.wVersion) != 2 || HIBYTE(data.wVersion) != 2) {
      WSACleanup();  // a DLL that cannot give 2.2: not ours to keep
      state.error = WSAVERNOTSUPPORTED;
    }
  });
  if (state.error == 0) return absl::OkStatus();
  return internal::SystemError(
      "WSAStartup", absl::StrCat("Winsock 2.2 (returned ", state.error, ")"),
      StartupError(state.error));
}

absl::string_view BackendName() { return "windows"; }

}  // namespace net::sys
