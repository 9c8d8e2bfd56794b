// Copyright 2026 The net Authors.
//
// Start-up for the POSIX backend: nothing to start. The Windows twin
// (startup_windows.cc) runs WSAStartup once. The POSIX policies that other
// libraries set process-wide are per call or per socket here: no SIGPIPE
// handler is installed (see SendFlags() and ConfigureNewSocket() in
// posix_internal.h).

#include <pthread.h>

#include <cstddef>

#include "absl/base/call_once.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "platform/sys.h"

namespace net::sys {
namespace {

void FreeThreadBuffer(void* buffer) { delete[] static_cast<char*>(buffer); }

pthread_key_t ThreadBufferKey() {
  static absl::once_flag once;
  static pthread_key_t key;
  absl::call_once(once, [] { pthread_key_create(&key, FreeThreadBuffer); });
  return key;
}

}  // namespace

char* NewThreadBuffer(std::size_t size) {
  const pthread_key_t key = ThreadBufferKey();
  FreeThreadBuffer(pthread_getspecific(key));
  char* buffer = new char[size];
  pthread_setspecific(key, buffer);
  return buffer;
}

absl::Status EnsureInitialized() { return absl::OkStatus(); }

absl::string_view BackendName() { return "posix"; }

}  // namespace net::sys
