// Copyright 2026 The net Authors.
//
// Socket::PeerCredentials() (net/socket.h): the checks every OS shares, made
// before any system call; the OS's half is sys::PeerCredentials() in
// platform/{posix,windows}/credentials_*.cc. Kept out of core/socket.cc,
// which holds the BSD socket calls proper.

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "net/socket.h"
#include "net/status_macros.h"
#include "platform/sys.h"

namespace net {

absl::StatusOr<net::PeerCredentials> Socket::PeerCredentials() const {
  NET_RETURN_IF_ERROR(CheckOpen("peer credentials"));
  // The same rule on every OS: macOS and FreeBSD keep credentials for
  // stream connections only, and a datagram socket has no one peer.
  if (family_ != AddressFamily::kUnix ||
      (type_ != SocketType::kStream && type_ != SocketType::kSeqPacket)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "peer credentials: only a unix-domain stream or seqpacket socket "
        "has them, not a ",
        AddressFamilyName(family_), " ", SocketTypeName(type_), " socket"));
  }
  // Linux answers for a listening socket with the listener's own
  // credentials (it copies them for the connections it accepts): not a
  // peer.
  if (state_ == State::kListening) {
    return absl::InvalidArgumentError(
        "peer credentials: a listening socket has no peer (ask the accepted "
        "sockets)");
  }
  return sys::PeerCredentials(handle_);
}

}  // namespace net
