// Copyright 2026 The net Authors.
//
// Start-up for the POSIX backend: nothing to start. The Windows twin
// (startup_windows.cc) runs WSAStartup once. The POSIX policies that other
// libraries set process-wide are per call or per socket here: no SIGPIPE
// handler is installed (see SendFlags() and ConfigureNewSocket() in
// posix_internal.h).

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "platform/sys.h"

namespace net::sys {

absl::Status EnsureInitialized() { return absl::OkStatus(); }

absl::string_view BackendName() { return "posix"; }

}  // namespace net::sys
