// Copyright 2026 The net Authors.
//
// The portable front door of `net::Socket`: argument checks before any
// system call, the policies that are the same on every OS (end of stream,
// connect deadlines, SendAll), then one call into the backend (platform/sys.h).

#include "net/socket.h"

#include <algorithm>
#include <optional>
#include <variant>
#include <utility>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "core/errors_internal.h"
#include "net/status_macros.h"
#include "platform/sys.h"

namespace net {
namespace {

absl::Status CheckAddressFamily(absl::string_view operation,
                                AddressFamily socket_family,
                                const SocketAddress& address) {
  if (address.family() == socket_family) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      operation, ": address ", address.ToString(), " is ",
      AddressFamilyName(address.family()), " but the socket is ",
      AddressFamilyName(socket_family)));
}

absl::Status CheckTimeout(absl::string_view operation, absl::Duration timeout) {
  if (timeout >= absl::ZeroDuration()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      operation, ": timeout must not be negative, got ",
      absl::FormatDuration(timeout)));
}

// Stream sockets report a zero-byte receive into a non-empty buffer as the
// peer's orderly shutdown; a datagram of zero bytes is just that.
bool ZeroMeansEndOfStream(SocketType type) {
  return type == SocketType::kStream || type == SocketType::kSeqPacket;
}

absl::StatusOr<IoResult> ToReceiveResult(absl::StatusOr<IoResult> r,
                                         SocketType type, bool empty_buffer) {
  if (r.ok() && r->kind() == IoResult::Kind::kTransferred && r->bytes() == 0 &&
      !empty_buffer && ZeroMeansEndOfStream(type)) {
    return IoResult::EndOfStream();
  }
  return r;
}

// A blocking socket has no "would block": when a blocking send or receive
// returns EAGAIN, SO_SNDTIMEO / SO_RCVTIMEO passed (POSIX), and that is
// reported as kTimedOut, as Winsock reports it natively (WSAETIMEDOUT).
// If `net` made the socket non-blocking, would-block stands without any
// further call (the event loop's hot path). Otherwise the mode is asked of
// the OS before turning would-block into kTimedOut, so a socket made
// non-blocking behind our back still sees would-block. See docs/options.md.
absl::StatusOr<IoResult> TimedOutIfBlocking(const Socket& socket,
                                            bool known_nonblocking,
                                            absl::string_view operation,
                                            absl::StatusOr<IoResult> r) {
  if (!r.ok() || !r->would_block() || known_nonblocking) return r;
  absl::StatusOr<bool> nonblocking = socket.IsNonBlocking();
  if (!nonblocking.ok() || *nonblocking) return r;
  return internal::PortableError(operation, "", SocketError::kTimedOut);
}

absl::Status CheckVectorCount(absl::string_view operation, std::size_t count) {
  if (count <= Socket::kMaxIoVectors) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      operation, ": at most ", Socket::kMaxIoVectors, " buffers, got ", count));
}

template <typename Buffers>
std::size_t TotalSize(Buffers buffers) {
  std::size_t total = 0;
  for (const auto& b : buffers) total += b.size();
  return total;
}

}  // namespace

struct SocketAccess {
  static Socket Make(NativeHandle handle, AddressFamily family,
                     SocketType type) {
    return Socket(handle, family, type);
  }
};

absl::string_view SocketTypeName(SocketType type) {
  switch (type) {
    case SocketType::kStream: return "stream";
    case SocketType::kDatagram: return "datagram";
    case SocketType::kSeqPacket: return "seqpacket";
    case SocketType::kRaw: return "raw";
  }
  return "unknown";
}

Socket::Socket(NativeHandle handle, AddressFamily family, SocketType type)
    : handle_(handle), family_(family), type_(type) {}

absl::Status Socket::CheckOpen(absl::string_view operation) const {
  if (is_open()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(operation, ": the socket is not open (closed, released or "
                              "moved from)"));
}

absl::StatusOr<Socket> Socket::Open(AddressFamily family, SocketType type,
                                    int protocol, OpenFlags flags) {
  if (family == AddressFamily::kUnspecified) {
    return absl::InvalidArgumentError(
        "open: family must be ipv4, ipv6 or unix, not unspecified");
  }
  if (protocol < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("open: protocol must not be negative, got ", protocol));
  }
  NET_RETURN_IF_ERROR(sys::EnsureInitialized());
  const bool nonblocking = HasFlag(flags, OpenFlags::kNonBlocking);
  NET_ASSIGN_OR_RETURN(NativeHandle handle,
                       sys::Open(family, type, protocol, nonblocking));
  Socket socket(handle, family, type);
  socket.nonblocking_ = nonblocking;
  socket.state_ = State::kNeverConnected;
  return socket;
}

absl::StatusOr<Socket> Socket::Adopt(NativeHandle handle) {
  if (handle == kInvalidHandle) {
    return absl::InvalidArgumentError("adopt: the handle is invalid");
  }
  NET_RETURN_IF_ERROR(sys::EnsureInitialized());
  NET_ASSIGN_OR_RETURN(sys::SocketInfo info, sys::Describe(handle));
  Socket socket(handle, info.family, info.type);
  absl::StatusOr<bool> nonblocking = sys::GetNonBlocking(handle);
  socket.nonblocking_ = nonblocking.ok() && *nonblocking;
  if (info.type == SocketType::kStream || info.type == SocketType::kSeqPacket) {
    absl::StatusOr<OptionValue> listening =
        sys::GetOption(handle, OptionId::kAcceptConnections, OptionValue());
    if (listening.ok() && std::holds_alternative<bool>(*listening) &&
        std::get<bool>(*listening)) {
      socket.state_ = State::kListening;
    }
  }
  return socket;
}

NativeHandle Socket::Release() {
  return std::exchange(handle_, kInvalidHandle);
}

absl::Status Socket::Close() {
  if (!is_open()) return absl::OkStatus();
  return sys::Close(std::exchange(handle_, kInvalidHandle));
}

absl::Status Socket::Bind(const SocketAddress& address) {
  NET_RETURN_IF_ERROR(CheckOpen("bind"));
  NET_RETURN_IF_ERROR(CheckAddressFamily("bind", family_, address));
  return sys::Bind(handle_, address);
}

absl::Status Socket::Listen(int backlog) {
  NET_RETURN_IF_ERROR(CheckOpen("listen"));
  if (backlog < kDefaultBacklog) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listen: backlog must be -1 (default) or more, got ", backlog));
  }
  NET_RETURN_IF_ERROR(sys::Listen(handle_, backlog));
  state_ = State::kListening;
  return absl::OkStatus();
}

absl::StatusOr<Accepted> Socket::Accept() {
  NET_RETURN_IF_ERROR(CheckOpen("accept"));
  Accepted accepted;
  NET_ASSIGN_OR_RETURN(sys::AcceptResult r,
                       sys::Accept(handle_, &accepted.peer, false));
  if (r.handle == kInvalidHandle) {
    return internal::SystemError("accept", "", r.would_block);
  }
  accepted.socket = Socket(r.handle, family_, type_);
  return accepted;
}

absl::StatusOr<absl::optional<Accepted>> Socket::TryAccept(AcceptFlags flags) {
  // Built in place and returned as is (every return names `out`, so the
  // compiler constructs it in the caller's slot): a listener calls this
  // once per connection, and every move of an Accepted copies its address.
  absl::StatusOr<absl::optional<Accepted>> out(absl::in_place, absl::in_place);
  if (ABSL_PREDICT_FALSE(!is_open())) {
    out = CheckOpen("accept");
    return out;
  }
  const bool nonblocking = HasFlag(flags, AcceptFlags::kNonBlocking);
  Accepted& accepted = **out;
  absl::StatusOr<sys::AcceptResult> r =
      sys::Accept(handle_, &accepted.peer, nonblocking);
  if (!r.ok()) {
    out = r.status();
    return out;
  }
  if (r->handle == kInvalidHandle) {
    out->reset();
    return out;
  }
  accepted.socket = Socket(r->handle, family_, type_);
  accepted.socket.nonblocking_ = nonblocking;
  return out;
}

absl::Status Socket::CheckCanConnect(const SocketAddress& address) const {
  NET_RETURN_IF_ERROR(CheckOpen("connect"));
  NET_RETURN_IF_ERROR(CheckAddressFamily("connect", family_, address));
  if (state_ == State::kListening) {
    // Linux says EISCONN, Winsock WSAEINVAL: one answer, before the call.
    return absl::InvalidArgumentError(absl::StrCat(
        "connect ", address.ToString(),
        ": the socket is listening; a listening socket cannot connect"));
  }
  return absl::OkStatus();
}

absl::Status Socket::ConnectFinished(absl::Status status,
                                     const SocketAddress& address) {
  if (IsInProgress(status)) {
    state_ = State::kConnecting;
    return status;
  }
  if (state_ == State::kConnecting &&
      GetSocketError(status) == SocketError::kAlreadyConnected) {
    // The connect after a non-blocking one completed: Linux answers 0 once,
    // Winsock and the BSDs EISCONN. Both mean connected: OK on every OS.
    status = absl::OkStatus();
  }
  if (!status.ok()) return status;
  state_ = State::kUnknown;
  if (type_ == SocketType::kStream && address.is_ip()) {
    // A connect to a closed local port whose number the OS also picked as
    // the source port meets itself (simultaneous open): connected, to
    // nobody. The one getsockname() per connect is what Go's dialer pays
    // for the same check.
    absl::StatusOr<SocketAddress> local = sys::LocalAddress(handle_);
    if (local.ok() && *local == address) {
      (void)sys::Shutdown(handle_, ShutdownMode::kBoth);
      return internal::PortableError(
          "connect",
          absl::StrCat(address.ToString(),
                       " (connected to itself: nothing listens there)"),
          SocketError::kConnectionRefused);
    }
  }
  return status;
}

absl::Status Socket::Connect(const SocketAddress& address) {
  NET_RETURN_IF_ERROR(CheckCanConnect(address));
  return ConnectFinished(sys::Connect(handle_, address), address);
}

absl::Status Socket::Connect(const SocketAddress& address,
                             absl::Duration timeout) {
  NET_RETURN_IF_ERROR(CheckCanConnect(address));
  NET_RETURN_IF_ERROR(CheckTimeout("connect", timeout));
  NET_ASSIGN_OR_RETURN(bool was_nonblocking, IsNonBlocking());
  if (!was_nonblocking) NET_RETURN_IF_ERROR(SetNonBlocking(true));
  absl::Status status = sys::Connect(handle_, address);
  if (IsInProgress(status)) {
    absl::StatusOr<bool> ready = sys::Wait(handle_, false, true, timeout);
    if (!ready.ok()) {
      status = ready.status();
    } else if (!*ready) {
      status = internal::PortableError("connect", address.ToString(),
                                       SocketError::kTimedOut);
    } else {
      status = sys::ConnectResult(handle_, address);
    }
  }
  status = ConnectFinished(std::move(status), address);
  if (!was_nonblocking) {
    absl::Status restored = SetNonBlocking(false);
    if (status.ok()) status = restored;
  }
  return status;
}

absl::StatusOr<IoResult> Socket::SendSlow(absl::Span<const char> data,
                                          MessageFlags flags) {
  if (!is_open()) return CheckOpen("send");
  if (data.empty() && type_ == SocketType::kStream) {
    return IoResult::Transferred(0);
  }
  return TimedOutIfBlocking(
      *this, nonblocking_, "send",
      PortableSendError("send", sys::Send(handle_, data, flags)));
}

absl::StatusOr<IoResult> Socket::PortableSendError(
    absl::string_view operation, absl::StatusOr<IoResult> result) const {
  if (result.ok()) return result;
  const std::optional<int> native = GetNativeError(result.status());
  if (!native.has_value()) return result;
  const SocketError error = GetSocketError(result.status());
  if (type_ == SocketType::kDatagram || type_ == SocketType::kRaw) {
    // A send (not sendto) with no destination: POSIX says EDESTADDRREQ,
    // Winsock WSAENOTCONN, wine WSAEINVAL.
    if (error != SocketError::kNotConnected &&
        error != SocketError::kInvalidArgument) {
      return result;
    }
    return internal::SystemErrorAs(operation, "", *native,
                                   SocketError::kDestinationAddressRequired);
  }
  // A stream socket that never connected: Linux says EPIPE, Winsock
  // WSAENOTCONN, wine WSAECONNRESET.
  if (state_ != State::kNeverConnected ||
      (error != SocketError::kBrokenPipe &&
       error != SocketError::kConnectionReset)) {
    return result;
  }
  return internal::SystemErrorAs(operation, "", *native,
                                 SocketError::kNotConnected);
}

absl::StatusOr<IoResult> Socket::ReceiveSlow(absl::Span<char> buffer,
                                             MessageFlags flags) {
  if (!is_open()) return CheckOpen("receive");
  if (type_ == SocketType::kStream) {
    if (buffer.empty()) return IoResult::Transferred(0);
    // sys::Receive() reports the end of the stream itself.
    return TimedOutIfBlocking(*this, nonblocking_, "recv",
                              sys::Receive(handle_, buffer, flags));
  }
  // Message sockets take the path that reports truncation.
  SocketAddress ignored;
  return TimedOutIfBlocking(
      *this, nonblocking_, "recv",
      ToReceiveResult(sys::ReceiveFrom(handle_, buffer, flags, &ignored),
                      type_, buffer.empty()));
}

absl::StatusOr<IoResult> Socket::SendTo(absl::Span<const char> data,
                                        const SocketAddress& to,
                                        MessageFlags flags) {
  NET_RETURN_IF_ERROR(CheckOpen("sendto"));
  NET_RETURN_IF_ERROR(CheckAddressFamily("sendto", family_, to));
  return TimedOutIfBlocking(*this, nonblocking_, "sendto",
                            sys::SendTo(handle_, data, to, flags));
}

absl::StatusOr<ReceiveFromResult> Socket::ReceiveFrom(absl::Span<char> buffer,
                                                      MessageFlags flags) {
  NET_RETURN_IF_ERROR(CheckOpen("recvfrom"));
  SocketAddress from;
  NET_ASSIGN_OR_RETURN(
      IoResult io,
      TimedOutIfBlocking(
          *this, nonblocking_, "recvfrom",
          ToReceiveResult(sys::ReceiveFrom(handle_, buffer, flags, &from),
                          type_, buffer.empty())));
  return ReceiveFromResult{io, from};
}

absl::StatusOr<IoResult> Socket::SendVector(
    absl::Span<const absl::Span<const char>> buffers, MessageFlags flags) {
  NET_RETURN_IF_ERROR(CheckOpen("sendmsg"));
  NET_RETURN_IF_ERROR(CheckVectorCount("sendmsg", buffers.size()));
  if (TotalSize(buffers) == 0 && type_ == SocketType::kStream) {
    return IoResult::Transferred(0);
  }
  return TimedOutIfBlocking(
      *this, nonblocking_, "sendmsg",
      PortableSendError("sendmsg", sys::SendVector(handle_, buffers, flags)));
}

absl::StatusOr<IoResult> Socket::ReceiveVector(
    absl::Span<const absl::Span<char>> buffers, MessageFlags flags) {
  NET_RETURN_IF_ERROR(CheckOpen("recvmsg"));
  NET_RETURN_IF_ERROR(CheckVectorCount("recvmsg", buffers.size()));
  const bool empty = TotalSize(buffers) == 0;
  if (empty && type_ == SocketType::kStream) return IoResult::Transferred(0);
  return TimedOutIfBlocking(
      *this, nonblocking_, "recvmsg",
      ToReceiveResult(sys::ReceiveVector(handle_, buffers, flags), type_,
                      empty));
}

absl::Status Socket::SendAll(absl::Span<const char> data,
                             absl::Duration timeout) {
  NET_RETURN_IF_ERROR(CheckOpen("send"));
  NET_RETURN_IF_ERROR(CheckTimeout("send", timeout));
  // A blocking send cannot be bounded: with a deadline, run non-blocking
  // and wait for writability between tries, then restore the mode.
  if (timeout != absl::InfiniteDuration()) {
    NET_ASSIGN_OR_RETURN(bool was_nonblocking, IsNonBlocking());
    if (!was_nonblocking) {
      NET_RETURN_IF_ERROR(SetNonBlocking(true));
      absl::Status sent = SendAllNonBlocking(data, timeout);
      absl::Status restored = SetNonBlocking(false);
      return sent.ok() ? restored : sent;
    }
  }
  return SendAllNonBlocking(data, timeout);
}

absl::Status Socket::SendAllNonBlocking(absl::Span<const char> data,
                                        absl::Duration timeout) {
  const absl::Time deadline = timeout == absl::InfiniteDuration()
                                  ? absl::InfiniteFuture()
                                  : absl::Now() + timeout;
  while (!data.empty()) {
    NET_ASSIGN_OR_RETURN(
        IoResult r,
        PortableSendError("send", sys::Send(handle_, data, MessageFlags::kNone)));
    if (r.would_block()) {
      absl::Duration left = deadline == absl::InfiniteFuture()
                                ? absl::InfiniteDuration()
                                : std::max(deadline - absl::Now(),
                                           absl::ZeroDuration());
      NET_ASSIGN_OR_RETURN(bool ready, sys::Wait(handle_, false, true, left));
      if (!ready) {
        return internal::PortableError("send", "", SocketError::kTimedOut);
      }
      continue;
    }
    data.remove_prefix(r.bytes());
  }
  return absl::OkStatus();
}

absl::Status Socket::Shutdown(ShutdownMode mode) {
  NET_RETURN_IF_ERROR(CheckOpen("shutdown"));
  return sys::Shutdown(handle_, mode);
}

absl::StatusOr<SocketAddress> Socket::LocalAddress() const {
  NET_RETURN_IF_ERROR(CheckOpen("local address"));
  return sys::LocalAddress(handle_);
}

absl::StatusOr<SocketAddress> Socket::PeerAddress() const {
  NET_RETURN_IF_ERROR(CheckOpen("peer address"));
  return sys::PeerAddress(handle_);
}

absl::StatusOr<bool> Socket::WaitReadable(absl::Duration timeout) const {
  NET_RETURN_IF_ERROR(CheckOpen("wait readable"));
  NET_RETURN_IF_ERROR(CheckTimeout("wait readable", timeout));
  return sys::Wait(handle_, true, false, timeout);
}

absl::StatusOr<bool> Socket::WaitWritable(absl::Duration timeout) const {
  NET_RETURN_IF_ERROR(CheckOpen("wait writable"));
  NET_RETURN_IF_ERROR(CheckTimeout("wait writable", timeout));
  return sys::Wait(handle_, false, true, timeout);
}

absl::Status Socket::SetNonBlocking(bool on) {
  NET_RETURN_IF_ERROR(CheckOpen("set non-blocking"));
  NET_RETURN_IF_ERROR(sys::SetNonBlocking(handle_, on));
  nonblocking_ = on;
  return absl::OkStatus();
}

absl::StatusOr<bool> Socket::IsNonBlocking() const {
  NET_RETURN_IF_ERROR(CheckOpen("get non-blocking"));
  absl::StatusOr<bool> mode = sys::GetNonBlocking(handle_);
  // Windows cannot read the mode back: report what we set.
  if (absl::IsUnimplemented(mode.status())) return nonblocking_;
  return mode;
}

absl::Status Socket::SetAsync(bool on) {
  NET_RETURN_IF_ERROR(CheckOpen("set async"));
  return sys::SetAsync(handle_, on);
}

absl::StatusOr<bool> Socket::IsAsync() const {
  NET_RETURN_IF_ERROR(CheckOpen("get async"));
  return sys::GetAsync(handle_);
}

absl::Status Socket::SetOwner(std::int64_t owner) {
  NET_RETURN_IF_ERROR(CheckOpen("set owner"));
  return sys::SetOwner(handle_, owner);
}

absl::StatusOr<std::int64_t> Socket::GetOwner() const {
  NET_RETURN_IF_ERROR(CheckOpen("get owner"));
  return sys::GetOwner(handle_);
}

absl::StatusOr<std::size_t> Socket::BytesAvailable() const {
  NET_RETURN_IF_ERROR(CheckOpen("bytes available"));
  return sys::BytesAvailable(handle_);
}

absl::StatusOr<bool> Socket::AtOutOfBandMark() const {
  NET_RETURN_IF_ERROR(CheckOpen("at out-of-band mark"));
  return sys::AtOutOfBandMark(handle_);
}

absl::Status Socket::SetCloseOnExec(bool on) {
  NET_RETURN_IF_ERROR(CheckOpen("set close-on-exec"));
  return sys::SetCloseOnExec(handle_, on);
}

absl::StatusOr<bool> Socket::IsCloseOnExec() const {
  NET_RETURN_IF_ERROR(CheckOpen("get close-on-exec"));
  return sys::GetCloseOnExec(handle_);
}

namespace {

// A connected pair over loopback TCP, for the IP families and for systems
// without AF_UNIX socketpair (Windows). The listener accepts only the
// connection whose source is our client's local address, so another process
// racing to connect to the short-lived port cannot take the client's place.
absl::StatusOr<std::pair<Socket, Socket>> LoopbackPair(AddressFamily family) {
  NET_ASSIGN_OR_RETURN(Socket listener,
                       Socket::Open(family, SocketType::kStream));
  NET_RETURN_IF_ERROR(listener.Bind(SocketAddress(IpAddress::Loopback(family), 0)));
  NET_RETURN_IF_ERROR(listener.Listen(1));
  NET_ASSIGN_OR_RETURN(SocketAddress where, listener.LocalAddress());
  NET_ASSIGN_OR_RETURN(Socket client, Socket::Open(family, SocketType::kStream));
  NET_RETURN_IF_ERROR(client.Connect(where, absl::Seconds(10)));
  NET_ASSIGN_OR_RETURN(SocketAddress client_address, client.LocalAddress());
  NET_RETURN_IF_ERROR(listener.SetNonBlocking(true));
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  for (;;) {
    NET_ASSIGN_OR_RETURN(absl::optional<Accepted> accepted,
                         listener.TryAccept());
    if (accepted.has_value()) {
      if (accepted->peer == client_address) {
        return std::make_pair(std::move(client), std::move(accepted->socket));
      }
      continue;  // a stranger: drop it
    }
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return internal::PortableError("socketpair", where.ToString(),
                                     SocketError::kTimedOut);
    }
    NET_RETURN_IF_ERROR(listener.WaitReadable(left).status());
  }
}

}  // namespace

absl::StatusOr<std::pair<Socket, Socket>> SocketPair(AddressFamily family,
                                                     SocketType type) {
  NET_RETURN_IF_ERROR(sys::EnsureInitialized());
  if (family == AddressFamily::kIPv4 || family == AddressFamily::kIPv6) {
    if (type != SocketType::kStream) {
      return absl::InvalidArgumentError(absl::StrCat(
          "socketpair: an ", AddressFamilyName(family),
          " pair must be of type stream, got ", SocketTypeName(type)));
    }
    return LoopbackPair(family);
  }
  if (type == SocketType::kRaw) {
    return absl::InvalidArgumentError("socketpair: raw sockets cannot pair");
  }
  NativeHandle first = kInvalidHandle;
  NativeHandle second = kInvalidHandle;
  absl::Status status =
      sys::SocketPair(AddressFamily::kUnix, type, &first, &second);
  if (status.ok()) {
    return std::make_pair(SocketAccess::Make(first, AddressFamily::kUnix, type),
                          SocketAccess::Make(second, AddressFamily::kUnix, type));
  }
  // Where the OS has no AF_UNIX pairs (Windows; wine), an unspecified
  // family falls back to loopback TCP.
  if (family == AddressFamily::kUnspecified && type == SocketType::kStream &&
      (GetSocketError(status) == SocketError::kAddressFamilyNotSupported ||
       GetSocketError(status) == SocketError::kOperationNotSupported)) {
    return LoopbackPair(AddressFamily::kIPv4);
  }
  return status;
}

}  // namespace net
