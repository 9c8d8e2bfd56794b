// Copyright 2026 The net Authors.
//
// Sockets on Windows: Winsock 2 calls behind the platform/sys.h contract:
// open, close, bind, listen, accept, connect, shutdown, names, pairs. The
// transfers and Wait() are in transfer_windows.cc. The POSIX twin is
// socket_posix.cc. Where Winsock differs from BSD sockets
// it is handled here, each place with its reason, so that core/ and the
// contract tests see one behaviour; docs/windows.md has the whole table
// (inheritance, exclusive address use, SIO_UDP_CONNRESET, connect in
// progress, truncated datagrams, select() for Wait()). Where Winsock answers
// one situation differently from POSIX, the answer is translated here by
// context, keeping the native code in the status (issue 18, "same program,
// same result"; tests/contract/parity_test.cc). There is no SIGPIPE on
// Windows, so nothing to suppress.

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/fault.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"

// clang-format off: after winsock2.h.
#include <mstcpip.h>
// clang-format on

// After the OS headers (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/socket_bsd.h"

namespace net::sys {
namespace windows {

SOCKET OpenSocket(int family, int type, int protocol) {
  constexpr DWORD kFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT;
  SOCKET s = NET_FAULT(kSocket, kInvalidHandle, INVALID_SOCKET,
                       WSASocketW(family, type, protocol, nullptr, 0, kFlags));
  if (s == INVALID_SOCKET && WSAGetLastError() == WSAEINVAL) {
    // Windows 7 before SP1 rejects WSA_FLAG_NO_HANDLE_INHERIT.
    s = WSASocketW(family, type, protocol, nullptr, 0, WSA_FLAG_OVERLAPPED);
    if (s != INVALID_SOCKET) MakeNotInheritable(s);
  }
  return s;
}

void MakeNotInheritable(SOCKET s) {
  SetHandleInformation(reinterpret_cast<HANDLE>(s), HANDLE_FLAG_INHERIT, 0);
}

bool GetIntOption(SOCKET s, int name, int* value) {
  *value = 0;
  int length = sizeof(*value);
  return getsockopt(s, SOL_SOCKET, name, reinterpret_cast<char*>(value),
                    &length) == 0;
}

bool SetBlocking(SOCKET s, bool blocking) {
  u_long mode = blocking ? 0 : 1;
  return NET_FAULT(kControl, static_cast<Handle>(s), SOCKET_ERROR,
                   ioctlsocket(s, FIONBIO, &mode)) == 0;
}

int TypeOf(SOCKET s) {
  int type = 0;
  return GetIntOption(s, SO_TYPE, &type) ? type : 0;
}

bool IsUnbound(SOCKET s) {
  sockaddr_storage address;
  int length = sizeof(address);
  return getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) != 0 &&
         WSAGetLastError() == WSAEINVAL;
}

}  // namespace windows

using windows::Fail;
using windows::GetIntOption;
using windows::IsUnbound;
using windows::Sock;
using windows::TypeOf;

namespace {

// The local address POSIX reports for an unbound socket: the wildcard
// address of its family with port 0, or the unnamed unix address. The family
// comes from SO_PROTOCOL_INFOW (Describe()), which knows it before bind.
absl::StatusOr<SocketAddress> UnboundAddress(Handle handle) {
  absl::StatusOr<SocketInfo> info = Describe(handle);
  if (!info.ok()) return info.status();
  if (info->family == AddressFamily::kUnix) return SocketAddress::Unix("");
  if (info->family != AddressFamily::kIPv4 &&
      info->family != AddressFamily::kIPv6) {
    return absl::InvalidArgumentError(
        absl::StrCat("getsockname: the socket is not bound (family ",
                     AddressFamilyName(info->family), ")"));
  }
  return SocketAddress(IpAddress::Any(info->family), 0);
}

// SIO_UDP_CONNRESET: whether an ICMP port unreachable for a datagram this
// socket sent fails its next receive (WSAECONNRESET). Off from Open(), on
// while connected (Connect()): Linux reports the error on a connected UDP
// socket only, where it can only concern the one peer.
bool ReportPortUnreachable(SOCKET s, bool on) {
  BOOL report = on ? TRUE : FALSE;
  DWORD returned = 0;
  return WSAIoctl(s, SIO_UDP_CONNRESET, &report, sizeof(report), nullptr, 0,
                  &returned, nullptr, nullptr) == 0;
}

// SIO_TCP_INITIAL_RTO and its values, from mstcpip.h of the Windows 10 1709
// SDK (10.0.16299), which older SDKs and mingw-w64 releases lack:
// _WSAIOW(IOC_VENDOR, 17), TCP_INITIAL_RTO_UNSPECIFIED_RTT ((USHORT)-1),
// TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS ((UCHAR)-2).
#ifndef SIO_TCP_INITIAL_RTO
#define SIO_TCP_INITIAL_RTO _WSAIOW(IOC_VENDOR, 17)
#endif
#ifndef TCP_INITIAL_RTO_UNSPECIFIED_RTT
#define TCP_INITIAL_RTO_UNSPECIFIED_RTT ((USHORT)-1)
#endif
#ifndef TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS
#define TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS ((UCHAR)-2)
#endif

bool IsLoopback(const SocketAddress& address) {
  const IpAddress ip = address.ip();
  if (ip.IsLoopback()) return true;
  return ip.IsV4Mapped() && ip.v6_bytes()[12] == 127;  // ::ffff:127.x.y.z
}

// A connect to a closed loopback port is refused at once on Linux. Windows
// answers the RST by sending the SYN again, twice, and reports the refusal
// after about 2 s, so a 500 ms Connect() timed out there. With no SYN
// retransmissions (Windows 10 1709 and later) the first RST ends the
// attempt, as on Linux; Go (net/fd_windows.go) and libuv
// (uv__tcp_try_connect) do the same, for loopback only, where a SYN is not
// lost. Before 1709 the least is one retransmission (Go's fallback too).
// Where the ioctl is refused (older Windows; wine 8 says WSAEOPNOTSUPP)
// nothing changes, which is harmless: the result is ignored.
void RefuseLoopbackAtOnce(SOCKET s) {
  TCP_INITIAL_RTO_PARAMETERS params{};
  params.Rtt = TCP_INITIAL_RTO_UNSPECIFIED_RTT;
  for (UCHAR retransmissions : {TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS,
                                static_cast<UCHAR>(1)}) {
    params.MaxSynRetransmissions = retransmissions;
    DWORD returned = 0;
    if (WSAIoctl(s, SIO_TCP_INITIAL_RTO, &params, sizeof(params), nullptr, 0,
                 &returned, nullptr, nullptr) == 0) {
      return;
    }
  }
}

}  // namespace

absl::StatusOr<Handle> Open(AddressFamily family, SocketType type,
                            int protocol, bool nonblocking) {
  SOCKET s = windows::OpenSocket(bsd::NativeFamily(family),
                                 bsd::NativeType(type), protocol);
  if (s == INVALID_SOCKET) {
    return Fail("socket", absl::StrCat(AddressFamilyName(family), " ",
                                       SocketTypeName(type)));
  }
  // Winsock has no flag for it at creation.
  if (nonblocking && !windows::SetBlocking(s, false)) {
    absl::Status status = Fail("ioctlsocket FIONBIO");
    closesocket(s);
    return status;
  }
  if (type == SocketType::kDatagram && family != AddressFamily::kUnix) {
    // Else an ICMP port unreachable for an earlier sendto fails the next
    // recvfrom with WSAECONNRESET, which POSIX never does on an unconnected
    // socket (Connect() switches it on).
    if (!ReportPortUnreachable(s, false)) {
      absl::Status status = Fail("WSAIoctl SIO_UDP_CONNRESET");
      closesocket(s);
      return status;
    }
  }
  return windows::ToHandle(s);
}

absl::Status Close(Handle handle) {
  if (NET_FAULT(kClose, handle, SOCKET_ERROR, closesocket(Sock(handle))) !=
      0) {
    return Fail("closesocket");
  }
  return absl::OkStatus();
}

absl::StatusOr<SocketInfo> Describe(Handle handle) {
  // SO_PROTOCOL_INFOW knows the family even of an unbound socket, where
  // getsockname() fails with WSAEINVAL on Windows.
  WSAPROTOCOL_INFOW info;
  int length = sizeof(info);
  if (getsockopt(Sock(handle), SOL_SOCKET, SO_PROTOCOL_INFOW,
                 reinterpret_cast<char*>(&info), &length) != 0) {
    return Fail("getsockopt SO_PROTOCOL_INFOW");
  }
  const std::optional<SocketType> type = bsd::TypeFromNative(info.iSocketType);
  if (!type.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("adopt: unsupported socket type ", info.iSocketType));
  }
  SocketInfo out;
  out.type = *type;
  out.family = bsd::FamilyFromNative(info.iAddressFamily);
  return out;
}

// Bind() of a stream socket takes the port with SO_EXCLUSIVEADDRUSE unless
// the socket asked for sharing (SO_REUSEADDR): otherwise another process
// could bind the same port with SO_REUSEADDR and steal its connections (see
// Microsoft's "Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE"). The two
// options exclude each other.
//
// A socket with SO_REUSEADDR that binds a port held exclusively gets
// WSAEACCES, where Linux says EADDRINUSE: for a stream socket it is
// reported as kAddressInUse, keeping 10013 as the native code. WSAEACCES
// from bind can also be a port in a range the system reserved (the
// "excluded port ranges" of Hyper-V, WinNAT, WSL2, Docker: `netsh int ipv4
// show excludedportrange`), which users meet as "permission denied" for a
// port that nothing seems to hold. It is still the right name for net's
// users: Windows has no privileged ports, so for a stream socket the code
// means "this port belongs to someone else", and the remedy is that of
// address in use, another port (programs that fall back to another port on
// kAddressInUse then work on Windows too). Go and libuv pass the code through
// as EACCES; libuv translates the same case for named pipes
// (ERROR_ACCESS_DENIED from CreateNamedPipe is UV_EADDRINUSE). Datagram
// sockets keep kAccessDenied: there it also means a broadcast address bound
// without SO_BROADCAST, a real permission problem.
absl::Status Bind(Handle handle, const SocketAddress& address) {
  const SOCKET s = Sock(handle);
  int type = 0;
  int reuse = 0;
  if (address.is_ip() && GetIntOption(s, SO_TYPE, &type) &&
      type == SOCK_STREAM && GetIntOption(s, SO_REUSEADDR, &reuse) &&
      reuse == 0) {
    BOOL on = TRUE;
    if (NET_FAULT(kSetOption, handle, SOCKET_ERROR,
                  setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE,
                             reinterpret_cast<const char*>(&on),
                             sizeof(on))) != 0) {
      return Fail("setsockopt SO_EXCLUSIVEADDRUSE", address);
    }
  }
  if (NET_FAULT(kBind, handle, SOCKET_ERROR,
                bind(s, address.native(),
                     static_cast<int>(address.native_length()))) != 0) {
    const int error = WSAGetLastError();
    if (error == WSAEACCES && type == SOCK_STREAM) {
      return internal::SystemErrorAs("bind", address.ToString(), error,
                                     SocketError::kAddressInUse);
    }
    return internal::SystemError("bind", address.ToString(), error);
  }
  return absl::OkStatus();
}

// Listen() on a socket that was never bound: Linux binds it to an ephemeral
// port of the wildcard address; Winsock fails with WSAEINVAL. So the socket
// is bound first, as Bind() binds (exclusively), as libuv's uv_tcp_listen
// does.
absl::Status Listen(Handle handle, int backlog) {
  const SOCKET s = Sock(handle);
  const int n = backlog < 0 ? SOMAXCONN : backlog;
  if (NET_FAULT(kListen, handle, SOCKET_ERROR, listen(s, n)) == 0) {
    return absl::OkStatus();
  }
  const int error = WSAGetLastError();
  if (error == WSAEINVAL && TypeOf(s) == SOCK_STREAM && IsUnbound(s)) {
    absl::StatusOr<SocketAddress> any = UnboundAddress(handle);
    if (any.ok() && any->is_ip()) {
      absl::Status bound = Bind(handle, *any);
      if (!bound.ok()) return bound;
      if (listen(s, n) == 0) return absl::OkStatus();
      return Fail("listen");
    }
  }
  return internal::SystemError("listen", "", error);
}

absl::StatusOr<AcceptResult> Accept(Handle handle, SocketAddress* peer,
                                    bool nonblocking) {
  for (;;) {
    int length = static_cast<int>(SocketAddress::kStorageSize);
    SOCKET s = NET_FAULT(kAccept, handle, INVALID_SOCKET,
                         accept(Sock(handle), peer->mutable_native(), &length));
    if (NET_FAULT_FIRES(kAcceptNoPeer, handle)) length = 0;
    if (s != INVALID_SOCKET && length == 0) {
      // No peer address at all: dropped, as on POSIX (socket_posix.cc).
      closesocket(s);
      continue;
    }
    if (s != INVALID_SOCKET) {
      peer->set_native_length(static_cast<std::size_t>(length));
      windows::MakeNotInheritable(s);
      if (!windows::SetBlocking(s, !nonblocking)) {
        absl::Status status = Fail("ioctlsocket FIONBIO");
        closesocket(s);
        return status;
      }
      return AcceptResult{windows::ToHandle(s), 0};
    }
    // A connection reset while it waited in the queue is not an error of
    // the listener (Go's internal/poll ignores it on Windows too).
    const int error = WSAGetLastError();
    if (error == WSAECONNRESET || error == WSAEINTR) continue;
    if (error == WSAEWOULDBLOCK) return AcceptResult{kInvalidHandle, error};
    return internal::SystemError("accept", "", error);
  }
}

// Connect() of a datagram socket switches SIO_UDP_CONNRESET on (see
// ReportPortUnreachable()); a loopback connect of a stream socket is made to
// fail on the first RST (RefuseLoopbackAtOnce()).
absl::Status Connect(Handle handle, const SocketAddress& address) {
  const SOCKET s = Sock(handle);
  const int type = address.is_ip() ? TypeOf(s) : 0;
  if (type == SOCK_STREAM && IsLoopback(address)) RefuseLoopbackAtOnce(s);
  const auto attempt = [&] {
    return NET_FAULT(kConnect, handle, SOCKET_ERROR,
                     connect(s, address.native(),
                             static_cast<int>(address.native_length())));
  };
  int rc = attempt();
  if (rc != 0 && WSAGetLastError() == WSAECONNABORTED) {
    // Under wine, whose sockets are Linux's, the connect after a failed
    // non-blocking one only ends the old attempt, with WSAECONNABORTED (the
    // POSIX twin has the whole story). Windows starts a new attempt, as this
    // retry does.
    rc = attempt();
  }
  if (rc == 0) {
    if (type == SOCK_DGRAM && !ReportPortUnreachable(s, true)) {
      return Fail("WSAIoctl SIO_UDP_CONNRESET", address);
    }
    return absl::OkStatus();
  }
  const int error = WSAGetLastError();
  int listening = 0;
  const bool in_progress =
      error == WSAEWOULDBLOCK || error == WSAEALREADY ||
      (error == WSAEINVAL && GetIntOption(s, SO_ACCEPTCONN, &listening) &&
       listening == 0);
  if (in_progress) {
    // Winsock's WSAEWOULDBLOCK here is POSIX's EINPROGRESS: reported as
    // WSAEINPROGRESS, the Winsock code that means the same.
    return internal::ConnectInProgress(
        error == WSAEALREADY ? WSAEALREADY : WSAEINPROGRESS, WSAEINPROGRESS,
        WSAEALREADY);
  }
  return internal::SystemError("connect", address.ToString(), error);
}

absl::Status ConnectResult(Handle handle, const SocketAddress& address) {
  int error = 0;
  if (!NET_FAULT(kConnectResult, handle, false,
                 GetIntOption(Sock(handle), SO_ERROR, &error))) {
    return Fail("getsockopt SO_ERROR", address);
  }
  if (error == 0) return absl::OkStatus();
  return internal::SystemError("connect", address.ToString(), error);
}

// Wait() uses select() rather than WSAPoll(): before Windows 10 2004,
// WSAPoll never reports a non-blocking connect that failed (it times out
// instead of saying "refused"; curl and libuv avoid it for that reason).
// select() reports it in the exception set. For one handle select() has no
// FD_SETSIZE limit on Windows, and it takes microseconds.
absl::Status Shutdown(Handle handle, ShutdownMode mode) {
  int how = SD_BOTH;
  if (mode == ShutdownMode::kRead) how = SD_RECEIVE;
  if (mode == ShutdownMode::kWrite) how = SD_SEND;
  if (NET_FAULT(kShutdown, handle, SOCKET_ERROR, shutdown(Sock(handle), how)) !=
      0) {
    return Fail("shutdown");
  }
  return absl::OkStatus();
}

namespace {

template <typename Call>
absl::StatusOr<SocketAddress> NameOf(Handle handle, absl::string_view op,
                                     Call call) {
  SocketAddress address;
  int length = static_cast<int>(SocketAddress::kStorageSize);
  if (NET_FAULT(kName, handle, SOCKET_ERROR,
                call(Sock(handle), address.mutable_native(), &length)) != 0) {
    return Fail(op);
  }
  address.set_native_length(static_cast<std::size_t>(length));
  return address;
}

}  // namespace

// LocalAddress() of an unbound socket is what POSIX answers, the wildcard
// address with port 0 (or the unnamed unix address), where Winsock's
// getsockname() fails with WSAEINVAL.
absl::StatusOr<SocketAddress> LocalAddress(Handle handle) {
  absl::StatusOr<SocketAddress> address =
      NameOf(handle, "getsockname", getsockname);
  if (!address.ok() && GetNativeError(address.status()) == WSAEINVAL) {
    absl::StatusOr<SocketAddress> unbound = UnboundAddress(handle);
    if (unbound.ok()) return unbound;
  }
  return address;
}

absl::StatusOr<SocketAddress> PeerAddress(Handle handle) {
  return NameOf(handle, "getpeername", getpeername);
}

namespace {

// A fresh path for a unix-domain listener in the temporary directory.
std::string PairPath() {
  static std::atomic<unsigned> counter{0};
  char dir[MAX_PATH + 1] = {};
  const DWORD n = GetTempPathA(sizeof(dir), dir);
  return absl::StrCat(absl::string_view(dir, n <= MAX_PATH ? n : 0), "net-pair-",
                      GetCurrentProcessId(), "-", GetTickCount64(), "-",
                      counter.fetch_add(1), ".sock");
}

}  // namespace

// SocketPair() for AF_UNIX: Windows has no socketpair(), so a listener on a
// temporary path accepts one connection, which must come from this process
// (SIO_AF_UNIX_GETPEERPID), and the path is removed at once. Windows 10 1803
// and later have AF_UNIX stream sockets only; wine 8 has none, and Open()
// then fails with WSAEAFNOSUPPORT, which core/ answers with a loopback TCP
// pair for an unspecified family (core/socket.cc).
absl::Status SocketPair(AddressFamily family, SocketType type, Handle* first,
                        Handle* second) {
  if (family != AddressFamily::kUnix) {
    return absl::InvalidArgumentError(absl::StrCat(
        "socketpair: ", AddressFamilyName(family),
        " pairs are made by core/ over loopback, not by the backend"));
  }
  absl::StatusOr<Handle> listener = Open(family, type, 0, false);
  if (!listener.ok()) return listener.status();
  absl::StatusOr<Handle> client = Open(family, type, 0, false);
  if (!client.ok()) {
    Close(*listener).IgnoreError();
    return client.status();
  }
  absl::Status status;
  Handle accepted = kInvalidHandle;
  const std::string path = PairPath();
  absl::StatusOr<SocketAddress> address = SocketAddress::Unix(path);
  status = address.status();
  if (status.ok()) status = Bind(*listener, *address);
  if (status.ok()) status = Listen(*listener, 1);
  if (status.ok()) status = Connect(*client, *address);
  if (status.ok()) {
    SocketAddress peer;
    absl::StatusOr<AcceptResult> a = Accept(*listener, &peer, false);
    status = a.status();
    if (a.ok()) accepted = a->handle;  // the listener blocks: never empty
  }
  if (status.ok()) {
    ULONG pid = 0;
    DWORD returned = 0;
    if (WSAIoctl(Sock(accepted), SIO_AF_UNIX_GETPEERPID, nullptr, 0, &pid,
                 sizeof(pid), &returned, nullptr, nullptr) != 0) {
      status = Fail("WSAIoctl SIO_AF_UNIX_GETPEERPID", path);
    } else if (pid != GetCurrentProcessId()) {
      status = absl::PermissionDeniedError(absl::StrCat(
          "socketpair ", path, ": a connection from process ", pid,
          " came before ours"));
    }
  }
  Close(*listener).IgnoreError();
  DeleteFileA(path.c_str());
  if (!status.ok()) {
    Close(*client).IgnoreError();
    if (accepted != kInvalidHandle) Close(accepted).IgnoreError();
    return status;
  }
  *first = *client;
  *second = accepted;
  return absl::OkStatus();
}

}  // namespace net::sys
