// Copyright 2026 The net Authors.
//
// Socket activation on Windows: there is no systemd and no inetd, and the
// C runtime's descriptors 0 to N are not socket handles, so nothing is ever
// handed over this way. `net::ListenFds()` then returns an empty list, as
// on a POSIX system started without activation, and `net::InetdSocket()`
// kUnimplemented (docs/messages.md, "Socket activation"). The POSIX twin is
// activation_posix.cc.

#include "platform/windows/winsock_internal.h"

#include "absl/status/status.h"
#include "platform/sys.h"

namespace net::sys {

ActivationEnvironment ReadActivationEnvironment(bool /*unset*/) {
  ActivationEnvironment env;
  env.supported = false;
  return env;
}

absl::Status CheckInheritedSocket(Handle /*handle*/) {
  return absl::UnimplementedError(
      "socket activation: Windows hands no sockets to a process through its "
      "descriptors (no systemd, no inetd)");
}

}  // namespace net::sys
