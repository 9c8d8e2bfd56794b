// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/posix/posix_internal.h
// -----------------------------------------------------------------------------
//
// Helpers shared by the POSIX backend files. The Windows twin is
// platform/windows/winsock_internal.h. Every Linux-vs-macOS/BSD difference of
// the POSIX backend lives here, one named helper per difference, each with
// one `#if` and the reason.

#ifndef NET_PLATFORM_POSIX_POSIX_INTERNAL_H_
#define NET_PLATFORM_POSIX_POSIX_INTERNAL_H_

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/errors_internal.h"
#include "net/address.h"
#include "net/socket.h"
#include "platform/sys.h"

namespace net::sys::posix {

inline int Fd(Handle handle) { return static_cast<int>(handle); }
inline Handle ToHandle(int fd) { return static_cast<Handle>(fd); }

// The status for the current errno, raised by `operation` on `subject`.
inline absl::Status Fail(absl::string_view operation,
                         absl::string_view subject = {}) {
  return internal::SystemError(operation, subject, errno);
}
inline absl::Status Fail(absl::string_view operation,
                         const SocketAddress& address) {
  return internal::SystemError(operation, address.ToString(), errno);
}

// Retries `call` while it fails with EINTR (a signal arrived before any
// data moved). Not for close(): see CloseHandle().
template <typename Call>
auto RetryOnEintr(Call call) {
  decltype(call()) rc;
  do {
    rc = call();
  } while (rc == -1 && errno == EINTR);
  return rc;
}

inline bool IsWouldBlockErrno(int e) {
  return e == EAGAIN || e == EWOULDBLOCK;
}

// HasAbstractUnixNamespace()
//
// Linux (and Android) has an abstract namespace for unix-domain sockets:
// names that start with a NUL byte and live outside the file system (see
// unix(7)). Other POSIX systems have none, and there a leading NUL is just
// an empty path.
constexpr bool HasAbstractUnixNamespace() {
#if defined(__linux__)
  return true;
#else
  return false;
#endif
}

// SendFlags()
//
// Flags every send call adds. Linux and FreeBSD suppress SIGPIPE per call
// with MSG_NOSIGNAL; macOS has no MSG_NOSIGNAL and uses the per-socket
// SO_NOSIGPIPE set by ConfigureNewSocket() instead.
constexpr int SendFlags() {
#if defined(MSG_NOSIGNAL)
  return MSG_NOSIGNAL;
#else
  return 0;
#endif
}

// OpenCloexec()
//
// socket(2) that is close-on-exec from birth. Linux and the BSDs take
// SOCK_CLOEXEC atomically; macOS does not, so there the flag is set right
// after creation (a fork in another thread in between could inherit it).
int OpenCloexec(int domain, int type, int protocol);

// AcceptCloexec()
//
// accept(2) whose result is close-on-exec, and non-blocking if
// `nonblocking`, else blocking: accept4 with SOCK_CLOEXEC and SOCK_NONBLOCK
// where it exists; on macOS accept + fcntl, with O_NONBLOCK set or cleared
// because BSD accept inherits the listener's O_NONBLOCK (Linux does not).
int AcceptCloexec(int fd, sockaddr* address, socklen_t* length,
                  bool nonblocking);

// SocketpairCloexec()
int SocketpairCloexec(int domain, int type, int protocol, int fds[2]);

// ConfigureNewSocket()
//
// Per-socket policy for a new or accepted socket: SO_NOSIGPIPE where the OS
// has it (macOS/BSD), nothing on Linux.
absl::Status ConfigureNewSocket(int fd);

// CloseHandle()
//
// close(2), never retried: after EINTR Linux has already released the
// descriptor, and a retry could close one another thread just got.
int CloseHandle(int fd);

}  // namespace net::sys::posix

#endif  // NET_PLATFORM_POSIX_POSIX_INTERNAL_H_
