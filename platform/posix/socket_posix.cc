// Copyright 2026 The net Authors.
//
// Sockets on POSIX: BSD socket calls behind the platform/sys.h contract:
// open, close, bind, listen, accept, connect, shutdown, names, pairs. The
// transfers and Wait() are in transfer_posix.cc. The Windows twin is
// socket_windows.cc.

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/fault.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/socket_bsd.h"

namespace net::sys {
namespace posix {

int OpenCloexec(int domain, int type, int protocol) {
#if defined(SOCK_CLOEXEC)
  return NET_FAULT(kSocket, kInvalidHandle, -1,
                   socket(domain, type | SOCK_CLOEXEC, protocol));
#else
  int fd = NET_FAULT(kSocket, kInvalidHandle, -1, socket(domain, type, protocol));
  if (fd >= 0) fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
#endif
}

int AcceptCloexec(int fd, sockaddr* address, socklen_t* length,
                  bool nonblocking) {
#if defined(SOCK_CLOEXEC) && !defined(__APPLE__)
  return NET_FAULT(kAccept, ToHandle(fd), -1,
                   accept4(fd, address, length,
                           SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0)));
#else
  int client =
      NET_FAULT(kAccept, ToHandle(fd), -1, accept(fd, address, length));
  if (client >= 0) {
    fcntl(client, F_SETFD, FD_CLOEXEC);
    int flags = fcntl(client, F_GETFL);
    int wanted = nonblocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    if (flags >= 0 && wanted != flags) fcntl(client, F_SETFL, wanted);
  }
  return client;
#endif
}

int SocketpairCloexec(int domain, int type, int protocol, int fds[2]) {
#if defined(SOCK_CLOEXEC)
  return NET_FAULT(kSocket, kInvalidHandle, -1,
                   socketpair(domain, type | SOCK_CLOEXEC, protocol, fds));
#else
  int rc = NET_FAULT(kSocket, kInvalidHandle, -1,
                     socketpair(domain, type, protocol, fds));
  if (rc == 0) {
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  }
  return rc;
#endif
}

absl::Status ConfigureNewSocket([[maybe_unused]] int fd) {
#if defined(SO_NOSIGPIPE)
  int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one)) != 0) {
    return Fail("setsockopt SO_NOSIGPIPE");
  }
#endif
  return absl::OkStatus();
}

int CloseHandle(int fd) {
  return NET_FAULT(kClose, ToHandle(fd), -1, close(fd));
}

}  // namespace posix

using posix::Fail;
using posix::Fd;
using posix::RetryOnEintr;

absl::StatusOr<Handle> Open(AddressFamily family, SocketType type,
                            int protocol, bool nonblocking) {
  int native_type = bsd::NativeType(type);
#if defined(SOCK_NONBLOCK)
  if (nonblocking) native_type |= SOCK_NONBLOCK;  // one system call, not three
#endif
  int fd = posix::OpenCloexec(bsd::NativeFamily(family), native_type, protocol);
  if (fd < 0) {
    return Fail("socket", absl::StrCat(AddressFamilyName(family), " ",
                                       SocketTypeName(type)));
  }
#if !defined(SOCK_NONBLOCK)
  if (nonblocking) {
    absl::Status set = SetNonBlocking(posix::ToHandle(fd), true);
    if (!set.ok()) {
      posix::CloseHandle(fd);
      return set;
    }
  }
#endif
  absl::Status configured = posix::ConfigureNewSocket(fd);
  if (!configured.ok()) {
    posix::CloseHandle(fd);
    return configured;
  }
  return posix::ToHandle(fd);
}

absl::Status Close(Handle handle) {
  if (posix::CloseHandle(Fd(handle)) != 0 && errno != EINTR) {
    return Fail("close");
  }
  return absl::OkStatus();
}

absl::StatusOr<SocketInfo> Describe(Handle handle) {
  int type = 0;
  socklen_t length = sizeof(type);
  if (getsockopt(Fd(handle), SOL_SOCKET, SO_TYPE, &type, &length) != 0) {
    return Fail("getsockopt SO_TYPE");
  }
  const std::optional<SocketType> portable = bsd::TypeFromNative(type);
  if (!portable.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("adopt: unsupported socket type ", type));
  }
  SocketInfo info;
  info.type = *portable;
  SocketAddress local;
  socklen_t local_length = SocketAddress::kStorageSize;
  if (NET_FAULT(kName, handle, -1,
                getsockname(Fd(handle), local.mutable_native(),
                            &local_length)) != 0) {
    return Fail("getsockname");
  }
  local.set_native_length(local_length);
  info.family = DecodeFamily(local.native(), local_length);
  return info;
}

absl::Status Bind(Handle handle, const SocketAddress& address) {
  if (NET_FAULT(kBind, handle, -1,
                bind(Fd(handle), address.native(),
                     static_cast<socklen_t>(address.native_length()))) != 0) {
    return Fail("bind", address);
  }
  return absl::OkStatus();
}

absl::Status Listen(Handle handle, int backlog) {
  if (NET_FAULT(kListen, handle, -1,
                listen(Fd(handle), backlog < 0 ? SOMAXCONN : backlog)) != 0) {
    return Fail("listen");
  }
  return absl::OkStatus();
}

absl::StatusOr<AcceptResult> Accept(Handle handle, SocketAddress* peer,
                                    bool nonblocking) {
  for (;;) {
    socklen_t length = SocketAddress::kStorageSize;
    int fd = posix::AcceptCloexec(Fd(handle), peer->mutable_native(), &length,
                                  nonblocking);
    if (NET_FAULT_FIRES(kAcceptNoPeer, handle)) length = 0;
    if (fd >= 0 && length == 0) {
      // No peer address at all: older Linux kernels returned these for
      // connections reset during an nmap scan. Nothing can be said about
      // such a peer, so it is dropped, as libevent's listener does.
      posix::CloseHandle(fd);
      continue;
    }
    if (fd >= 0) {
      peer->set_native_length(length);
      absl::Status configured = posix::ConfigureNewSocket(fd);
      if (!configured.ok()) {
        posix::CloseHandle(fd);
        return configured;
      }
      return AcceptResult{posix::ToHandle(fd), 0};
    }
    // A connection that was reset while queued, or a signal: not an error
    // of the listener (Go's internal/poll and libuv retry these too).
    if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
    if (posix::IsWouldBlockErrno(errno)) {
      return AcceptResult{kInvalidHandle, errno};
    }
    return Fail("accept");
  }
}

absl::Status Connect(Handle handle, const SocketAddress& address) {
  const auto attempt = [&] {
    return NET_FAULT(kConnect, handle, -1,
                     connect(Fd(handle), address.native(),
                             static_cast<socklen_t>(address.native_length())));
  };
  int rc = attempt();
  if (rc != 0 && errno == ECONNABORTED) {
    // Linux: a socket whose non-blocking connect failed stays "connecting"
    // until connect() is called again; when the failure was already read
    // (SO_ERROR, as ConnectResult() does), that call only ends the old
    // attempt, with ECONNABORTED, and leaves the socket unconnected
    // (inet_stream_connect's sock_error path). A retry loop then saw
    // aborted, refused, aborted...; Winsock starts a new attempt at once.
    // Start the attempt the caller asked for, as Winsock does
    // (docs/portability.md, issue 18 gap 6).
    rc = attempt();
  }
  if (rc == 0) return absl::OkStatus();
  if (errno == EINTR) {
    // The connect goes on in the background; calling connect again would
    // report EALREADY. Wait for it, as Go does, then read its result.
    absl::StatusOr<bool> ready =
        Wait(handle, false, true, absl::InfiniteDuration());
    if (!ready.ok()) return ready.status();
    return ConnectResult(handle, address);
  }
  if (errno == EINPROGRESS || errno == EALREADY) {
    return internal::ConnectInProgress(errno, EINPROGRESS, EALREADY);
  }
  return Fail("connect", address);
}

absl::Status ConnectResult(Handle handle, const SocketAddress& address) {
  int error = 0;
  socklen_t length = sizeof(error);
  if (NET_FAULT(kConnectResult, handle, -1,
                getsockopt(Fd(handle), SOL_SOCKET, SO_ERROR, &error,
                           &length)) != 0) {
    return Fail("getsockopt SO_ERROR", address);
  }
  if (error == 0) return absl::OkStatus();
  return internal::SystemError("connect", address.ToString(), error);
}

absl::Status Shutdown(Handle handle, ShutdownMode mode) {
  int how = SHUT_RDWR;
  if (mode == ShutdownMode::kRead) how = SHUT_RD;
  if (mode == ShutdownMode::kWrite) how = SHUT_WR;
  if (NET_FAULT(kShutdown, handle, -1, shutdown(Fd(handle), how)) != 0) {
    return Fail("shutdown");
  }
  return absl::OkStatus();
}

namespace {

template <typename Call>
absl::StatusOr<SocketAddress> NameOf(Handle handle, absl::string_view op,
                                     Call call) {
  SocketAddress address;
  socklen_t length = SocketAddress::kStorageSize;
  if (NET_FAULT(kName, handle, -1,
                call(Fd(handle), address.mutable_native(), &length)) != 0) {
    return Fail(op);
  }
  address.set_native_length(length);
  return address;
}

}  // namespace

absl::StatusOr<SocketAddress> LocalAddress(Handle handle) {
  return NameOf(handle, "getsockname", getsockname);
}

absl::StatusOr<SocketAddress> PeerAddress(Handle handle) {
  return NameOf(handle, "getpeername", getpeername);
}

absl::Status SocketPair(AddressFamily family, SocketType type, Handle* first,
                        Handle* second) {
  int fds[2] = {-1, -1};
  if (posix::SocketpairCloexec(bsd::NativeFamily(family), bsd::NativeType(type),
                               0, fds) != 0) {
    return Fail("socketpair", AddressFamilyName(family));
  }
  for (int fd : fds) {
    absl::Status configured = posix::ConfigureNewSocket(fd);
    if (!configured.ok()) {
      posix::CloseHandle(fds[0]);
      posix::CloseHandle(fds[1]);
      return configured;
    }
  }
  *first = posix::ToHandle(fds[0]);
  *second = posix::ToHandle(fds[1]);
  return absl::OkStatus();
}

}  // namespace net::sys
