// Copyright 2026 The net Authors.
//
// `net-probe --listen-fds`; see listen_fds.h.

#include "tools/net-probe/listen_fds.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "net/activation.h"
#include "net/net.h"
#include "tools/net-probe/table.h"

namespace net_probe {
namespace {

std::string AddressOr(const absl::StatusOr<net::SocketAddress>& address) {
  return address.ok() ? address->ToString() : "-";
}

std::vector<std::string> Row(const net::Socket& socket,
                             const std::string& name) {
  absl::StatusOr<bool> listening =
      socket.GetOption<net::AcceptConnections>();
  const bool is_listening = listening.ok() && *listening;
  return {absl::StrCat(socket.native_handle()),
          name,
          std::string(net::AddressFamilyName(socket.family())),
          std::string(net::SocketTypeName(socket.type())),
          is_listening ? "listening" : "-",
          AddressOr(socket.LocalAddress()),
          is_listening ? "-" : AddressOr(socket.PeerAddress())};
}

const std::vector<std::string> kHeader = {"FD",   "NAME",  "FAMILY", "TYPE",
                                          "STATE", "LOCAL", "PEER"};

}  // namespace

std::string ListenFdsReport(bool* failed) {
  *failed = false;
  std::string out = "net-probe: sockets handed to this process\n";

  absl::StatusOr<std::vector<net::ActivatedSocket>> fds = net::ListenFds();
  if (!fds.ok()) {
    *failed = true;
    absl::StrAppend(&out, "systemd (LISTEN_PID, LISTEN_FDS): error: ",
                    fds.status().ToString(), "\n");
  } else if (fds->empty()) {
    absl::StrAppend(&out,
                    "systemd (LISTEN_PID, LISTEN_FDS): none (no LISTEN_PID "
                    "for this process)\n");
  } else {
    absl::StrAppend(&out, "systemd (LISTEN_PID, LISTEN_FDS): ", fds->size(),
                    fds->size() == 1 ? " socket\n" : " sockets\n");
    Table table(kHeader);
    for (const net::ActivatedSocket& fd : *fds) {
      table.Add(Row(fd.socket, fd.name));
    }
    out += table.Format("  ");
  }

  // Descriptor 0 is only looked at: released, never closed.
  absl::StatusOr<net::Socket> inetd = net::InetdSocket();
  if (!inetd.ok()) {
    absl::StrAppend(&out, "inetd (descriptor 0): none (",
                    inetd.status().message(), ")\n");
  } else {
    absl::StrAppend(&out, "inetd (descriptor 0): a socket\n");
    Table table(kHeader);
    table.Add(Row(*inetd, "stdin"));
    out += table.Format("  ");
    inetd->Release();
  }
  return out;
}

}  // namespace net_probe
