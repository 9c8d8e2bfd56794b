// Copyright 2026 The net Authors.
//
// Peer credentials of a unix-domain stream socket on POSIX systems. The
// Windows twin is credentials_windows.cc. Every OS has its own call, so this
// file is one helper with one `#if` chain, each branch saying which call and
// what it gives (docs/messages.md, "Peer credentials"):
//
//   Linux           SO_PEERCRED, struct ucred        pid, uid, gid
//   OpenBSD         SO_PEERCRED, struct sockpeercred pid, uid, gid
//   NetBSD          LOCAL_PEEREID, struct unpcbid    pid, uid, gid
//   macOS           getpeereid + LOCAL_PEERPID       pid, uid, gid
//   FreeBSD 13+     LOCAL_PEERCRED, struct xucred    pid (cr_pid), uid, gid
//   FreeBSD < 13, DragonFly: LOCAL_PEERCRED          uid, gid
//   other POSIX     getpeereid                       uid, gid
//
// Only the Linux branch runs on this project's machines; the others follow
// their manual pages (and Rust's std::os::unix::net::UCred, Go's
// x/sys/unix, which read the same structures) and are compiled by the
// macOS/FreeBSD jobs in ci/.

#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#if defined(__FreeBSD__) || defined(__DragonFly__) || defined(__APPLE__)
#include <sys/param.h>
#include <sys/ucred.h>
#endif

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/socket.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

namespace net::sys {
namespace {

using posix::Fail;
using posix::Fd;

// ReadPeerCredentials()
//
// The OS's call, as the table at the top of the file says.
absl::StatusOr<net::PeerCredentials> ReadPeerCredentials(int fd) {
  net::PeerCredentials credentials;
#if defined(__linux__)
  // Linux keeps the credentials of the process that connected (or made the
  // pair). A socket without a peer answers pid 0, uid and gid -1, not an
  // error: that is "not connected".
  struct ucred cred = {};
  socklen_t length = sizeof(cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) {
    return Fail("getsockopt SO_PEERCRED");
  }
  if (cred.pid == 0 && cred.uid == static_cast<uid_t>(-1)) {
    errno = ENOTCONN;
    return Fail("getsockopt SO_PEERCRED");
  }
  credentials.pid = cred.pid;
  credentials.uid = cred.uid;
  credentials.gid = cred.gid;
#elif defined(__OpenBSD__)
  // OpenBSD has Linux's option name with its own structure.
  struct sockpeercred cred = {};
  socklen_t length = sizeof(cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) {
    return Fail("getsockopt SO_PEERCRED");
  }
  credentials.pid = cred.pid;
  credentials.uid = cred.uid;
  credentials.gid = cred.gid;
#elif defined(__NetBSD__)
  // NetBSD: LOCAL_PEEREID at level 0 (the local-domain level).
  struct unpcbid cred = {};
  socklen_t length = sizeof(cred);
  if (getsockopt(fd, 0, LOCAL_PEEREID, &cred, &length) != 0) {
    return Fail("getsockopt LOCAL_PEEREID");
  }
  credentials.pid = cred.unp_pid;
  credentials.uid = cred.unp_euid;
  credentials.gid = cred.unp_egid;
#elif defined(__APPLE__)
  // macOS: getpeereid() for the ids; LOCAL_PEERPID for the process that
  // connected (LOCAL_PEEREPID would give the "effective" process a daemon
  // acts for, which is not what SO_PEERCRED means elsewhere; Rust's std
  // reads LOCAL_PEERPID too). No pid if the option fails (old systems).
  uid_t uid = 0;
  gid_t gid = 0;
  if (getpeereid(fd, &uid, &gid) != 0) return Fail("getpeereid");
  credentials.uid = uid;
  credentials.gid = gid;
  pid_t pid = 0;
  socklen_t length = sizeof(pid);
  if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERPID, &pid, &length) == 0) {
    credentials.pid = pid;
  }
#elif defined(LOCAL_PEERCRED)
  // FreeBSD and DragonFly: struct xucred at level 0. cr_groups[0] is the
  // effective gid. FreeBSD 13 added cr_pid (in what was a spare field).
  struct xucred cred = {};
  socklen_t length = sizeof(cred);
  if (getsockopt(fd, 0, LOCAL_PEERCRED, &cred, &length) != 0) {
    return Fail("getsockopt LOCAL_PEERCRED");
  }
  if (cred.cr_version != XUCRED_VERSION) {
    errno = EINVAL;
    return Fail("getsockopt LOCAL_PEERCRED (unknown xucred version)");
  }
  credentials.uid = cred.cr_uid;
  if (cred.cr_ngroups > 0) credentials.gid = cred.cr_groups[0];
#if defined(__FreeBSD_version) && __FreeBSD_version >= 1300030
  credentials.pid = cred.cr_pid;
#endif
#else
  // Any other POSIX system: getpeereid() (the ids only).
  uid_t uid = 0;
  gid_t gid = 0;
  if (getpeereid(fd, &uid, &gid) != 0) return Fail("getpeereid");
  credentials.uid = uid;
  credentials.gid = gid;
#endif
  return credentials;
}

}  // namespace

absl::StatusOr<net::PeerCredentials> PeerCredentials(Handle handle) {
  return ReadPeerCredentials(Fd(handle));
}

}  // namespace net::sys
