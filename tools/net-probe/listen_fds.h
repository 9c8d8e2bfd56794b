// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/listen_fds.h
// -----------------------------------------------------------------------------
//
// `net-probe --listen-fds`: what this process was handed by its service
// manager, through `net::ListenFds()` (systemd) and `net::InetdSocket()`
// (descriptor 0). docs/net-probe.md describes the output.

#ifndef NET_TOOLS_NET_PROBE_LISTEN_FDS_H_
#define NET_TOOLS_NET_PROBE_LISTEN_FDS_H_

#include <string>

namespace net_probe {

// ListenFdsReport()
//
// The text report: a first line, the systemd sockets (descriptor, name,
// family, type, listening or not, local and peer address) and what
// descriptor 0 is. Sets `*failed` when `net::ListenFds()` returned an
// error (a malformed LISTEN_* variable, a descriptor that is not a socket).
// Takes the sockets over: they are closed when it returns, and the
// LISTEN_* variables are removed from the environment.
std::string ListenFdsReport(bool* failed);

}  // namespace net_probe

#endif  // NET_TOOLS_NET_PROBE_LISTEN_FDS_H_
