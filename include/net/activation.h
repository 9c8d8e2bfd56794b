// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: activation.h
// -----------------------------------------------------------------------------
//
// This header declares socket activation: taking over the sockets a service
// manager opened for this process before starting it. `ListenFds()` speaks
// systemd's protocol (sd_listen_fds(3)) without libsystemd; `InetdSocket()`
// adopts descriptor 0 the way inetd hands a connection (or, for "wait"
// services, its listening socket) to the program it starts. Both return
// owned `net::Socket`s that `net::Listener::Adopt()` accepts on.
// docs/messages.md, "Socket activation", has the decisions.
//
// Example (a service started by a systemd .socket unit):
//
//   absl::StatusOr<std::vector<net::ActivatedSocket>> fds = net::ListenFds();
//   if (!fds.ok()) return fds.status();
//   net::ListenerOptions options;
//   options.backlog = 0;  // systemd made them listen already
//   for (net::ActivatedSocket& fd : *fds) {
//     NET_ASSIGN_OR_RETURN(auto listener,
//                          net::Listener::Adopt(loop, std::move(fd.socket),
//                                               on_accept, options));
//     ...
//   }

#ifndef NET_ACTIVATION_H_
#define NET_ACTIVATION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "net/export.h"
#include "net/socket.h"

namespace net {

// ActivatedSocket
//
// One socket handed to this process by its service manager, with the name
// the manager gave it (systemd's FileDescriptorName=, in LISTEN_FDNAMES;
// "unknown" when the manager sent no names, as libsystemd says).
struct ActivatedSocket {
  Socket socket;     // the socket, owned and close-on-exec
  std::string name;  // its name from LISTEN_FDNAMES, or "unknown"
};

// kFirstActivatedDescriptor
//
// The first descriptor systemd passes (SD_LISTEN_FDS_START); the others
// follow it without gaps.
inline constexpr int kFirstActivatedDescriptor = 3;

// ListenFds()
//
// The sockets passed by systemd's socket activation protocol: when
// LISTEN_PID is this process's id, the LISTEN_FDS descriptors from
// `kFirstActivatedDescriptor` on, in order, named by LISTEN_FDNAMES
// (colon-separated). Each descriptor must be a socket (fstat); each becomes
// close-on-exec and is returned as an owned `Socket` whose family and type
// are read from the socket itself. Does not block.
//
// Like sd_listen_fds(3): no LISTEN_PID, or a LISTEN_PID of another process
// (variables inherited through a fork or exec they were not meant for),
// means nothing was passed here: OK and an empty list, and the descriptors
// are left alone. With `unset_environment` (the default) the three variables
// are removed from the environment whatever the outcome, so that children
// do not see them; unsetting is not safe while other threads read the
// environment, so call this early, before starting threads.
//
// On Windows there is no systemd and no such protocol: the result is always
// an empty list (no error), the same as on a POSIX system started without
// activation, so that one code path serves every OS.
//
// Errors, each kInvalidArgument naming the variable or the descriptor; on
// error no socket is adopted and no descriptor closed:
//   * LISTEN_PID or LISTEN_FDS that is not a whole decimal number in range
//     (empty, signs, spaces, other characters, overflow; LISTEN_FDS 0 or
//     more than INT_MAX - 3, as libsystemd);
//   * LISTEN_FDNAMES with another number of names than LISTEN_FDS;
//   * a descriptor in the range that is not open, or not a socket.
NET_EXPORT absl::StatusOr<std::vector<ActivatedSocket>> ListenFds(
    bool unset_environment = true);

// InetdSocket()
//
// Adopts descriptor 0, as a program started by inetd (or xinetd, or
// systemd with Accept=yes and StandardInput=socket) receives its socket:
// for a "nowait" service a connected socket (talk to the client over it);
// for a "wait" service the listening socket (pass it to
// `Listener::Adopt()` with backlog 0). The returned socket owns descriptor
// 0 and is made close-on-exec; inetd also puts the same socket on
// descriptors 1 and 2, which stay as they are (close or redirect them if
// the program must not write there). Does not block.
//
// Errors: kInvalidArgument when descriptor 0 is not open or not a socket
// (the program was not started by inetd); kUnimplemented on Windows, where
// standard input is never a socket handle.
NET_EXPORT absl::StatusOr<Socket> InetdSocket();

}  // namespace net

#endif  // NET_ACTIVATION_H_
