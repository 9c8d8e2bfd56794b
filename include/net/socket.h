// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: socket.h
// -----------------------------------------------------------------------------
//
// This header defines `net::Socket`, the move-only owner of one native socket
// handle, with the BSD socket calls (open, bind, listen, accept, connect,
// send, receive, shutdown, close) and the fcntl/ioctl control operations, on
// every OS alike.
//
// Policies every socket follows, on every backend:
//
//   * Sockets are created non-inheritable (close-on-exec on POSIX,
//     WSA_FLAG_NO_HANDLE_INHERIT on Windows), accepted sockets too.
//   * Writing to a closed peer never raises SIGPIPE: `MSG_NOSIGNAL` per call
//     on Linux, `SO_NOSIGPIPE` per socket on macOS/BSD. No signal handler is
//     ever installed.
//   * Arguments are checked before any system call: a call on a closed or
//     moved-from socket is kFailedPrecondition; a bad argument is
//     kInvalidArgument naming the parameter.
//   * Would-block and end of stream are results of the transfer calls
//     (`IoResult`), not errors.
//
// Example:
//
//   absl::StatusOr<net::Socket> s =
//       net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
//   if (!s.ok()) return s.status();
//   NET_RETURN_IF_ERROR(s->Connect(address, absl::Seconds(5)));
//   NET_RETURN_IF_ERROR(s->SendAll("GET / HTTP/1.0\r\n\r\n"));

#ifndef NET_SOCKET_H_
#define NET_SOCKET_H_

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "net/address.h"
#include "net/error.h"
#include "net/export.h"
#include "net/flags.h"
#include "net/message.h"
#include "net/options.h"

namespace net {

// NativeHandle
//
// A file descriptor on POSIX, a `SOCKET` on Windows.
using NativeHandle = std::uintptr_t;

// kInvalidHandle
//
// The value of a handle that owns nothing (-1 / INVALID_SOCKET).
inline constexpr NativeHandle kInvalidHandle = ~NativeHandle{0};

// SocketType
enum class SocketType : std::uint8_t {
  kStream,     // SOCK_STREAM
  kDatagram,   // SOCK_DGRAM
  kSeqPacket,  // SOCK_SEQPACKET
  kRaw,        // SOCK_RAW
};

NET_EXPORT absl::string_view SocketTypeName(SocketType type);  // "stream", "datagram" ...

// ShutdownMode
enum class ShutdownMode : std::uint8_t {
  kRead,   // SHUT_RD / SD_RECEIVE
  kWrite,  // SHUT_WR / SD_SEND
  kBoth,   // SHUT_RDWR / SD_BOTH
};

// MessageFlags
//
// Flags for the send and receive calls; combine with `|`.
enum class MessageFlags : std::uint32_t {
  kNone = 0,  // none
  kPeek = 1u << 0,       // MSG_PEEK: read without consuming
  kOutOfBand = 1u << 1,  // MSG_OOB: urgent data
  kDontRoute = 1u << 2,  // MSG_DONTROUTE: bypass routing, direct interface
  kWaitAll = 1u << 3,    // MSG_WAITALL: block until the buffer is full
};

template <>
struct IsFlagEnum<MessageFlags> : std::true_type {};

// OpenFlags
//
// Options for `Socket::Open()`; combine with `|`.
enum class OpenFlags : std::uint32_t {
  kNone = 0,  // none
  // The socket is non-blocking from the start, set by the socket call
  // itself where the OS can (SOCK_NONBLOCK on Linux and the BSDs; one
  // system call instead of three) and right after it elsewhere.
  kNonBlocking = 1u << 0,
};

template <>
struct IsFlagEnum<OpenFlags> : std::true_type {};

// AcceptFlags
//
// Options for `Socket::TryAccept()`; combine with `|`.
enum class AcceptFlags : std::uint32_t {
  kNone = 0,  // none
  // The accepted socket is non-blocking: no `SetNonBlocking()` to call.
  kNonBlocking = 1u << 0,
};

template <>
struct IsFlagEnum<AcceptFlags> : std::true_type {};

// IoResult
//
// What a send or receive call did: moved `bytes()` bytes, or would have
// blocked (non-blocking socket, nothing to do now), or saw the orderly end
// of the stream (the peer shut down its write side).
//
// A datagram longer than the receive buffer fills the buffer and the rest of
// it is discarded, on every OS; `truncated()` says so (POSIX reports this
// with MSG_TRUNC, Winsock with WSAEMSGSIZE: both become this flag).
class NET_EXPORT IoResult {
 public:
  // What a call did: moved bytes, would have blocked, saw end of stream.
  enum class Kind : std::uint8_t {
    kTransferred,  // `bytes()` moved
    kWouldBlock,   // non-blocking, nothing to do now
    kEndOfStream,  // the peer shut down its write side
  };

  // The results a call returns (backends and tests build them).
  static IoResult Transferred(std::size_t bytes) {
    return IoResult(Kind::kTransferred, bytes, false);
  }
  static IoResult Truncated(std::size_t bytes) {
    return IoResult(Kind::kTransferred, bytes, true);
  }
  static IoResult WouldBlock() { return IoResult(Kind::kWouldBlock, 0, false); }
  static IoResult EndOfStream() {
    return IoResult(Kind::kEndOfStream, 0, false);
  }

  // What happened, and how many bytes moved (0 unless transferred).
  Kind kind() const { return kind_; }
  std::size_t bytes() const { return bytes_; }
  bool would_block() const { return kind_ == Kind::kWouldBlock; }
  bool end_of_stream() const { return kind_ == Kind::kEndOfStream; }
  bool truncated() const { return truncated_; }

 private:
  IoResult(Kind kind, std::size_t bytes, bool truncated)
      : kind_(kind), truncated_(truncated), bytes_(bytes) {}
  Kind kind_;
  bool truncated_;
  std::size_t bytes_;
};

// A received datagram (or stream chunk) and where it came from.
struct ReceiveFromResult {
  IoResult io;  // what the receive did
  SocketAddress from;  // the sender
};

class Socket;

namespace sys {
// Not API: the backend's halves of the stream send and receive
// (platform/sys.h), declared here because the inline common case of
// `Socket::Send()` and `Socket::Receive()` calls them directly. An event
// loop's callback makes these two calls for every event, and each function
// between it and the system call is one more call, frame and return to pay
// per call (after a system call, the CPU's return predictions are gone);
// see docs/bench.md.
//
// StreamSend() and StreamReceive() are the OS's send() and recv() with no
// flags, returning what they return, so that each is a tail call (no frame
// of its own: the system call returns straight to the inline caller); a
// count above zero is the whole answer. Anything else goes straight to
// StreamSendResult() or StreamReceiveResult(), which read the OS's error
// (errno, or WSAGetLastError()) before anything can change it and build the
// result: end of stream, would-block, a retry after EINTR, or the error.
NET_EXPORT std::int64_t StreamSend(NativeHandle handle, const char* data,
                                   std::size_t size);
NET_EXPORT std::int64_t StreamReceive(NativeHandle handle, char* data,
                                      std::size_t size);
NET_EXPORT absl::StatusOr<IoResult> StreamSendResult(
    std::int64_t result, NativeHandle handle, absl::Span<const char> data);
NET_EXPORT absl::StatusOr<IoResult> StreamReceiveResult(
    std::int64_t result, NativeHandle handle, absl::Span<char> buffer);
}  // namespace sys

// The result of `Socket::Accept()` and `Socket::TryAccept()`.
struct Accepted;

// PeerCredentials
//
// Who is at the other end of a unix-domain stream socket, as the OS
// recorded it when the connection was made (connect, or socketpair): the
// peer's process id, effective user id and effective group id. Each field is
// absent where this OS does not tell it (docs/messages.md, "Peer
// credentials"): all three on Linux (SO_PEERCRED), OpenBSD (SO_PEERCRED),
// NetBSD (LOCAL_PEEREID), macOS (getpeereid and LOCAL_PEERPID) and FreeBSD
// 13+ (LOCAL_PEERCRED); no pid on older FreeBSD and the other BSDs; only the
// pid on Windows (SIO_AF_UNIX_GETPEERPID).
struct PeerCredentials {
  absl::optional<std::int64_t> pid;   // the peer's process id
  absl::optional<std::uint32_t> uid;  // its effective user id
  absl::optional<std::uint32_t> gid;  // its effective group id
};

// The default listen backlog: SOMAXCONN as the OS defines it.
inline constexpr int kDefaultBacklog = -1;

// <windows.h> defines `SendMessage` as a macro (SendMessageA or
// SendMessageW). It is set aside while `Socket` is declared, so the member
// keeps its one name in the library and in every program; in a file that
// included <windows.h> first, a call `socket.SendMessage(...)` becomes
// `socket.SendMessageW(...)`, which the class also declares and forwards.
#pragma push_macro("SendMessage")
#undef SendMessage

// Socket
//
// Owns one native socket handle; closes it when destroyed. Move-only. Not
// thread-safe for concurrent calls that change it (`Close`, moves); the
// transfer calls themselves are as thread-safe as the OS's.
class NET_EXPORT Socket {
 public:
  // A socket that owns nothing; every call but `Close()` on it is
  // kFailedPrecondition.
  Socket() = default;
  // Inline, so that destroying a socket that owns nothing (moved from, as
  // every socket handed along is) costs a compare, not a call.
  ~Socket() {
    if (is_open()) Close().IgnoreError();
  }

  // Inline too: every accepted socket is moved a few times on its way to
  // the user (out of the accept result, into the callback, into its owner).
  Socket(Socket&& other) noexcept
      : handle_(std::exchange(other.handle_, kInvalidHandle)),
        family_(other.family_),
        type_(other.type_),
        nonblocking_(other.nonblocking_),
        state_(other.state_) {}
  Socket& operator=(Socket&& other) noexcept {
    if (this != &other) {
      if (is_open()) Close().IgnoreError();
      handle_ = std::exchange(other.handle_, kInvalidHandle);
      family_ = other.family_;
      type_ = other.type_;
      nonblocking_ = other.nonblocking_;
      state_ = other.state_;
    }
    return *this;
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Socket::Open()
  //
  // Creates a socket (non-inheritable, SIGPIPE suppressed). `protocol` 0
  // picks the default for the family and type; raw sockets name theirs
  // (e.g. 1 for ICMP). `OpenFlags::kNonBlocking` makes it non-blocking from
  // the start.
  //
  // Errors: kInvalidArgument for kUnspecified; the OS's refusal otherwise
  // (kAddressFamilyNotSupported, kProtocolNotSupported, kAccessDenied for a
  // raw socket without privilege, kTooManyOpenFiles).
  static absl::StatusOr<Socket> Open(AddressFamily family, SocketType type,
                                     int protocol = 0,
                                     OpenFlags flags = OpenFlags::kNone);

  // Socket::Adopt()
  //
  // Takes ownership of an existing native socket; learns its family and type
  // from the OS.
  //
  // Errors: kInvalidArgument for kInvalidHandle; kNotASocket or
  // kBadDescriptor from the OS. On error the handle is not closed.
  static absl::StatusOr<Socket> Adopt(NativeHandle handle);

  // Whether it owns a handle, the handle, and the family and type it was
  // opened with.
  bool is_open() const { return handle_ != kInvalidHandle; }
  NativeHandle native_handle() const { return handle_; }
  AddressFamily family() const { return family_; }
  SocketType type() const { return type_; }

  // Socket::Release()
  //
  // Gives up ownership; returns the handle (kInvalidHandle if none).
  NativeHandle Release();

  // Socket::Close()
  //
  // Closes the handle now. Closing a socket that owns nothing is OK. The
  // handle is given up even when the OS reports an error (never retried:
  // after EINTR the descriptor state is unspecified).
  absl::Status Close();

  // Socket::Bind()
  //
  // Errors: kInvalidArgument if `address` has another family than the
  // socket; kAddressInUse, kAddressNotAvailable, kAccessDenied from the OS.
  absl::Status Bind(const SocketAddress& address);

  // Socket::Listen()
  //
  // `backlog` kDefaultBacklog (-1) means SOMAXCONN.
  //
  // Errors: kInvalidArgument for a backlog below -1; kOperationNotSupported
  // for a datagram socket.
  absl::Status Listen(int backlog = kDefaultBacklog);

  // Socket::Accept()
  //
  // Accepts one connection: a new non-inheritable, blocking socket (on
  // every OS, whatever the listener's mode) and the peer's address. Blocks
  // on a blocking socket. ECONNABORTED and EINTR are retried (a connection
  // that died in the queue is not an error of ours).
  //
  // Errors: would-block (see `IsWouldBlock()`) on a non-blocking socket
  // with nothing pending; kTooManyOpenFiles; kInvalidArgument if not
  // listening; kFailedPrecondition on a closed socket.
  absl::StatusOr<Accepted> Accept();

  // Socket::TryAccept()
  //
  // As `Accept()`, for accept loops: on a non-blocking socket with nothing
  // pending it returns `absl::nullopt`, a result, not an error (no status is
  // built, so draining a backlog costs nothing at its end). With
  // `AcceptFlags::kNonBlocking` the accepted socket is non-blocking, set by
  // the accept call itself where the OS can (accept4 on Linux and the BSDs)
  // and right after it elsewhere (macOS, Windows); else it is blocking.
  // Blocks on a blocking socket.
  //
  // Errors: as `Accept()`, without would-block.
  absl::StatusOr<absl::optional<Accepted>> TryAccept(
      AcceptFlags flags = AcceptFlags::kNone);

  // Socket::Connect()
  //
  // Connects; blocks on a blocking socket. On a non-blocking socket returns
  // a status for which `IsInProgress()` is true when the connection is
  // under way. The same on every OS (docs/portability.md):
  //
  //   * After a non-blocking connect completed, the next `Connect()` returns
  //     OK (Linux answers 0 there, Winsock and the BSDs EISCONN) and later
  //     ones kAlreadyConnected: either means connected.
  //   * After a connect failed (refused, unreachable), the same socket may
  //     connect again, and a retry never sees a spurious kConnectionAborted
  //     (Linux gave one after the failure was read from SO_ERROR).
  //   * After kTimedOut from `Connect(address, timeout)` the OS may still be
  //     connecting the socket: close it and open a new one to retry.
  //   * A TCP connect to a port of the local machine that nobody listens on
  //     can connect the socket to itself, when the OS picks that same port
  //     as the ephemeral source port (TCP simultaneous open; Go's dialer
  //     checks for it too). Such a connection would read back what it
  //     writes. It is reported as kConnectionRefused, which is what a
  //     connect to a closed port says, and the socket is shut down both
  //     ways: close it.
  //
  // Errors: kConnectionRefused, kTimedOut, kHostUnreachable,
  // kNetworkUnreachable; kInvalidArgument for a family mismatch or a
  // listening socket (checked before any system call: Linux said EISCONN,
  // Winsock WSAEINVAL).
  absl::Status Connect(const SocketAddress& address);

  // Socket::Connect(address, timeout)
  //
  // Connects within `timeout` whatever the socket's mode: switches to
  // non-blocking, starts the connect, waits for writability, reads SO_ERROR,
  // and restores the mode.
  //
  // Errors: kTimedOut (status code kDeadlineExceeded) when the deadline
  // passes; kInvalidArgument for a negative timeout; else as `Connect()`.
  absl::Status Connect(const SocketAddress& address, absl::Duration timeout);

  // Socket::Send(), Socket::Receive()
  //
  // One send or receive call. A zero-length buffer is valid and transfers
  // nothing. `Receive()` returns `EndOfStream()` when a stream peer shut
  // down its write side.
  //
  // Errors: kConnectionReset, kBrokenPipe (never a SIGPIPE), kNotConnected,
  // kMessageTooLong. One name per situation on every OS:
  //
  //   * a send on a stream socket that never connected: kNotConnected
  //     (Linux says EPIPE, Winsock WSAENOTCONN; the native code is kept);
  //   * a send after one's own `Shutdown(kWrite)`: kBrokenPipe;
  //   * a datagram send with no destination (never connected):
  //     kDestinationAddressRequired (Winsock says WSAENOTCONN);
  //   * a send after the peer closed or reset: kConnectionReset or
  //     kBrokenPipe, depending on the OS and on how many sends came before.
  //     Test `IsPeerGone()`, which is true for both, not the code.
  //
  // Inline for an open, non-blocking stream socket, a non-empty buffer and
  // no flags (the event loop's case): straight to the OS call, with the
  // result built here (`sys::StreamSend()` and the rest, above).
  absl::StatusOr<IoResult> Send(absl::Span<const char> data,
                                MessageFlags flags = MessageFlags::kNone) {
    if (ABSL_PREDICT_TRUE(IsOpenNonBlockingStream() && !data.empty() &&
                          flags == MessageFlags::kNone)) {
      const std::int64_t n = sys::StreamSend(handle_, data.data(), data.size());
      if (ABSL_PREDICT_TRUE(n > 0)) {
        return IoResult::Transferred(static_cast<std::size_t>(n));
      }
      if (ABSL_PREDICT_FALSE(state_ == State::kNeverConnected)) {
        return PortableSendError("send", sys::StreamSendResult(n, handle_, data));
      }
      return sys::StreamSendResult(n, handle_, data);
    }
    return SendSlow(data, flags);
  }
  absl::StatusOr<IoResult> Receive(absl::Span<char> buffer,
                                   MessageFlags flags = MessageFlags::kNone) {
    if (ABSL_PREDICT_TRUE(IsOpenNonBlockingStream() && !buffer.empty() &&
                          flags == MessageFlags::kNone)) {
      const std::int64_t n =
          sys::StreamReceive(handle_, buffer.data(), buffer.size());
      if (ABSL_PREDICT_TRUE(n > 0)) {
        return IoResult::Transferred(static_cast<std::size_t>(n));
      }
      return sys::StreamReceiveResult(n, handle_, buffer);
    }
    return ReceiveSlow(buffer, flags);
  }

  // Socket::SendTo(), Socket::ReceiveFrom()
  absl::StatusOr<IoResult> SendTo(absl::Span<const char> data,
                                  const SocketAddress& to,
                                  MessageFlags flags = MessageFlags::kNone);
  absl::StatusOr<ReceiveFromResult> ReceiveFrom(
      absl::Span<char> buffer, MessageFlags flags = MessageFlags::kNone);

  // Socket::SendVector(), Socket::ReceiveVector()
  //
  // Scatter/gather: one call over several buffers (sendmsg/recvmsg,
  // WSASend/WSARecv). At most `kMaxIoVectors` buffers.
  static constexpr std::size_t kMaxIoVectors = 64;
  absl::StatusOr<IoResult> SendVector(
      absl::Span<const absl::Span<const char>> buffers,
      MessageFlags flags = MessageFlags::kNone);
  absl::StatusOr<IoResult> ReceiveVector(
      absl::Span<const absl::Span<char>> buffers,
      MessageFlags flags = MessageFlags::kNone);

  // Socket::SendAll()
  //
  // Sends all of `data`, looping over short writes and waiting for
  // writability between tries. With a finite `timeout` a blocking socket is
  // switched to non-blocking for the call and restored afterwards, so the
  // deadline holds whatever the mode (a blocking send() could not be
  // bounded).
  //
  // Errors: as `Send()`; kDeadlineExceeded when `timeout` passes first.
  absl::Status SendAll(absl::Span<const char> data,
                       absl::Duration timeout = absl::InfiniteDuration());

  // Socket::Shutdown()
  //
  // Ends one direction or both. After kWrite the peer reads end of stream
  // and sends here fail with kBrokenPipe. After kRead a receive reports end
  // of stream on every OS; data the peer sends afterwards is still
  // delivered on Linux but resets the connection on Windows, so shut the
  // read side only when no more data can come (docs/portability.md).
  //
  // Errors: kNotConnected on a socket that is not connected.
  absl::Status Shutdown(ShutdownMode mode);

  // Socket::LocalAddress(), Socket::PeerAddress()
  //
  // Errors: kNotConnected for the peer of an unconnected socket.
  absl::StatusOr<SocketAddress> LocalAddress() const;
  absl::StatusOr<SocketAddress> PeerAddress() const;

  // Socket::PeerCredentials()
  //
  // The credentials of the process at the other end of a connected
  // unix-domain stream (or seqpacket) socket: see `net::PeerCredentials`.
  // Does not block. The OS takes them when the connection is made, so they
  // name the process that connected (or called socketpair), even if it has
  // since handed the socket on or exited.
  //
  // Errors: kFailedPrecondition on a closed socket; kInvalidArgument for a
  // socket that is not a unix-domain stream or seqpacket socket, or that is
  // listening (checked before any system call: only a connection has a
  // peer); kNotConnected for one that is not connected.
  absl::StatusOr<net::PeerCredentials> PeerCredentials() const;

  // Socket::WaitReadable(), Socket::WaitWritable()
  //
  // Blocks until the socket is ready or `timeout` passes; returns whether
  // it is ready. A building block for simple blocking code; event-driven
  // code uses `net::EventLoop`.
  absl::StatusOr<bool> WaitReadable(absl::Duration timeout) const;
  absl::StatusOr<bool> WaitWritable(absl::Duration timeout) const;

  // --- Control operations (the fcntl/ioctl table) ---------------------------

  // Non-blocking mode: O_NONBLOCK / FIONBIO. On Windows the mode cannot be
  // read back from the OS, so `IsNonBlocking()` reports what `net` set.
  absl::Status SetNonBlocking(bool on);
  absl::StatusOr<bool> IsNonBlocking() const;

  // Signal-driven I/O: O_ASYNC / FIOASYNC. kUnimplemented on Windows.
  absl::Status SetAsync(bool on);
  absl::StatusOr<bool> IsAsync() const;

  // The process (positive) or process group (negative) that receives
  // SIGIO/SIGURG: F_SETOWN / F_GETOWN. kUnimplemented on Windows.
  absl::Status SetOwner(std::int64_t owner);
  absl::StatusOr<std::int64_t> GetOwner() const;

  // Bytes that can be read without blocking: FIONREAD.
  absl::StatusOr<std::size_t> BytesAvailable() const;

  // Whether the read position is at the out-of-band mark: sockatmark /
  // SIOCATMARK.
  absl::StatusOr<bool> AtOutOfBandMark() const;

  // Close-on-exec (POSIX FD_CLOEXEC; on Windows HANDLE_FLAG_INHERIT
  // inverted).
  absl::Status SetCloseOnExec(bool on);
  absl::StatusOr<bool> IsCloseOnExec() const;

  // --- Messages with control data (net/message.h, docs/messages.md) --------

  // Socket::EnableReceive()
  //
  // Asks the OS to deliver the control data in `set` with every datagram
  // received from now on (or stops it, `on` false), with the options of
  // this OS and family: on an IPv6 socket that carries IPv4 too (IPv6-only
  // off) the IPv4 options are set as well. Does not block.
  //
  // Errors: kInvalidArgument for a set that does not apply to the socket
  // (packet info, TTL, TOS on a non-IP socket; credentials on a non-unix
  // one); kUnimplemented for an item this OS lacks (docs/messages.md); else
  // the OS's refusal.
  absl::Status EnableReceive(ControlSet set, bool on = true);

  // Socket::SendMessage()
  //
  // One sendmsg / WSASendMsg with gather buffers, an optional destination
  // and control data. Blocks on a blocking socket.
  //
  // Errors: kInvalidArgument for control data on a stream socket (on every
  // OS; docs/messages.md), a destination of another family, more than
  // `kMaxIoVectors` buffers or `SendControl::kMaxDescriptors` descriptors;
  // kUnimplemented for an item this OS cannot send; else as `SendTo()`.
  absl::StatusOr<IoResult> SendMessage(const OutgoingMessage& message,
                                       MessageFlags flags = MessageFlags::kNone);

  // What <windows.h>'s `SendMessage` macro turns a call to `SendMessage()`
  // into, in a file that includes it: the same call.
  absl::StatusOr<IoResult> SendMessageA(const OutgoingMessage& message,
                                        MessageFlags flags = MessageFlags::kNone) {
    return SendMessage(message, flags);
  }
  absl::StatusOr<IoResult> SendMessageW(const OutgoingMessage& message,
                                        MessageFlags flags = MessageFlags::kNone) {
    return SendMessage(message, flags);
  }

  // Socket::ReceiveMessage()
  //
  // One recvmsg / WSARecvMsg into `message->buffers`, filling in its sender,
  // control data and truncation flags; the result says how many bytes (or
  // would-block). Descriptors that arrive are owned by `message` and
  // close-on-exec, even when the control data was truncated. Blocks on a
  // blocking socket.
  //
  // Errors: kInvalidArgument for a null `message` or too many buffers;
  // else as `ReceiveFrom()`.
  absl::StatusOr<IoResult> ReceiveMessage(
      IncomingMessage* message, MessageFlags flags = MessageFlags::kNone);

  // Socket::SendMessages(), Socket::ReceiveMessages()
  //
  // Batches: sendmmsg / recvmmsg on Linux, a loop of the single calls
  // elsewhere. Return how many messages were sent or received: the calls
  // stop at the first message that would block (0 then means nothing was
  // done) or fails (an error only if it was the first). On a blocking
  // socket the receive waits for the first message only. Each
  // `IncomingMessage` is filled in as by `ReceiveMessage()`.
  //
  // Errors: as `SendMessage()` and `ReceiveMessage()`; kInvalidArgument for
  // more than `kMaxBatch` messages.
  static constexpr std::size_t kMaxBatch = 1024;
  absl::StatusOr<std::size_t> SendMessages(
      absl::Span<const OutgoingMessage> messages,
      MessageFlags flags = MessageFlags::kNone);
  absl::StatusOr<std::size_t> ReceiveMessages(
      absl::Span<IncomingMessage> messages,
      MessageFlags flags = MessageFlags::kNone);

  // --- Socket options (net/options.h, docs/options.md) ----------------------

  // Socket::SetOption()
  //
  // Sets a typed option: `socket.SetOption(net::NoDelay(true))`. Does not
  // block. Get-only options do not compile.
  //
  // Errors: kInvalidArgument for a value out of range or an option that does
  // not apply to this socket's family or type (both checked before any
  // system call, the message names the option and the value);
  // kUnimplemented where this OS lacks the option (see `IsSupported()`);
  // else the OS's refusal, e.g. kAccessDenied.
  template <typename O>
  absl::Status SetOption(const O& option) {
    static_assert(O::kSettable,
                  "this option is get-only: read it with GetOption<O>()");
    return SetOptionValue(
        O::kId, OptionValue(std::in_place_type<typename O::Value>,
                            option.value));
  }

  // Socket::GetOption()
  //
  // Reads a typed option: `socket.GetOption<net::ReceiveBufferSize>()`.
  // The overload with an argument passes its value as the query of the
  // options that need one (SCTP_GET_PEER_ADDR_INFO). Set-only requests
  // (group joins) do not compile.
  //
  // Errors: as `SetOption()`.
  template <typename O>
  absl::StatusOr<typename O::Value> GetOption() const {
    static_assert(O::kGettable, "this option is a set-only request");
    return option_internal::Extract<typename O::Value>(O::kId,
                                                       GetOptionValue(O::kId));
  }
  template <typename O>
  absl::StatusOr<typename O::Value> GetOption(const O& query) const {
    static_assert(O::kGettable, "this option is a set-only request");
    return option_internal::Extract<typename O::Value>(
        O::kId,
        GetOptionValue(O::kId, OptionValue(std::in_place_type<typename O::Value>,
                                           query.value)));
  }

  // Socket::SetOptionValue(), Socket::GetOptionValue()
  //
  // The type-erased forms, for generic code (net-probe lists every option
  // with them). `value` must hold the alternative of the option's kind.
  //
  // Errors: as `SetOption()`; kInvalidArgument for a value of the wrong
  // kind, or a get of a set-only option and the reverse.
  absl::Status SetOptionValue(OptionId id, const OptionValue& value);
  absl::StatusOr<OptionValue> GetOptionValue(
      OptionId id, const OptionValue& query = OptionValue()) const;

 private:
  friend struct SocketAccess;
  // Reads `nonblocking_` to skip a mode change net knows is not needed.
  friend class Connection;
  // Wraps the sockets an io_uring accept made (core/listener.cc).
  friend class Listener;
  Socket(NativeHandle handle, AddressFamily family, SocketType type);
  absl::Status CheckOpen(absl::string_view operation) const;
  bool IsOpenNonBlockingStream() const {
    return nonblocking_ && type_ == SocketType::kStream &&
           handle_ != kInvalidHandle;
  }
  // Every other case of Send() and Receive(): closed, blocking (would-block
  // then means the timeout passed), empty buffers, message sockets.
  absl::StatusOr<IoResult> SendSlow(absl::Span<const char> data,
                                    MessageFlags flags);
  absl::StatusOr<IoResult> ReceiveSlow(absl::Span<char> buffer,
                                       MessageFlags flags);
  absl::Status SendAllNonBlocking(absl::Span<const char> data,
                                  absl::Duration timeout);
  absl::Status CheckCanConnect(const SocketAddress& address) const;
  // Records what a connect call said, and gives its portable answer.
  absl::Status ConnectFinished(absl::Status status,
                               const SocketAddress& address);
  // A send on a stream socket that never connected is kNotConnected on
  // every OS (Linux says EPIPE, Winsock WSAENOTCONN); on a datagram socket
  // without a destination it is kDestinationAddressRequired (Winsock says
  // WSAENOTCONN). Both keep the native code.
  absl::StatusOr<IoResult> PortableSendError(
      absl::string_view operation, absl::StatusOr<IoResult> result) const;

  NativeHandle handle_ = kInvalidHandle;
  AddressFamily family_ = AddressFamily::kUnspecified;
  SocketType type_ = SocketType::kStream;
  bool nonblocking_ = false;  // what `SetNonBlocking()` last set
  // What core/ knows of the socket's connection, for the answers that must
  // be the same on every OS (docs/portability.md): a send on a socket that
  // never connected, a connect on a listening socket, the connect that
  // follows a completed non-blocking one. kUnknown for accepted, paired and
  // adopted sockets (an adopted listener is known as one).
  enum class State : std::uint8_t {
    kUnknown,
    kNeverConnected,  // opened here; no connect has succeeded or started
    kConnecting,      // a non-blocking connect reported in progress
    kListening,
  };
  State state_ = State::kUnknown;
};

#pragma pop_macro("SendMessage")

// Accepted
//
// An accepted connection: its socket and the peer's address.
struct Accepted {
  Socket socket;  // connected; blocking unless asked otherwise
  SocketAddress peer;  // the peer's address
};

// SocketPair()
//
// Two connected sockets. kUnix where the OS has it; on Windows, where
// AF_UNIX socketpair does not exist, a loopback TCP pair whose listener
// accepts only the expected peer. `family` kUnspecified picks kUnix.
//
// Errors: kInvalidArgument for a family or type that cannot pair.
NET_EXPORT absl::StatusOr<std::pair<Socket, Socket>> SocketPair(
    AddressFamily family = AddressFamily::kUnspecified,
    SocketType type = SocketType::kStream);

// BackendName()
//
// The backend this build of `net` runs on: "posix" or "windows". Does not
// block and never fails; for diagnostics such as net-probe.
NET_EXPORT absl::string_view BackendName();

}  // namespace net

#endif  // NET_SOCKET_H_
