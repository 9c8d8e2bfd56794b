// Copyright 2026 The net Authors.
//
// Transfers on Windows: send, receive (stream, datagram, scatter/gather)
// and the one-handle Wait(), behind the platform/sys.h contract, including
// the halves of the inline stream fast path (net/socket.h). Where Winsock
// names a receive's situation differently from POSIX, ReceiveError()
// translates it by context (docs/windows.md, docs/portability.md). The POSIX
// twin is transfer_posix.cc; the rest of the socket calls are in
// socket_windows.cc.

#include <algorithm>
#include <climits>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/errors_internal.h"
#include "platform/fault.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"

// After the OS headers (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/socket_bsd.h"

namespace net::sys {

using windows::Fail;
using windows::IsUnbound;
using windows::Sock;
using windows::TypeOf;

namespace {

// Winsock lengths are `int`; a larger buffer moves at most INT_MAX bytes.
int ClampedLength(std::size_t size) {
  return static_cast<int>(std::min<std::size_t>(size, INT_MAX));
}

// The result of a send call that returned `n`.
absl::StatusOr<IoResult> SendResult(int n, absl::string_view op,
                                    absl::string_view subject = {}) {
  if (n != SOCKET_ERROR) return IoResult::Transferred(static_cast<std::size_t>(n));
  const int error = WSAGetLastError();
  if (error == WSAEWOULDBLOCK) return IoResult::WouldBlock();
  return internal::SystemError(op, subject, error);
}

// What a failed receive on `s` means where Winsock and POSIX name one
// situation differently (the cold path: it asks the socket its type).
//
//   * WSAESHUTDOWN on a stream socket: a receive after one's own
//     shutdown(SD_RECEIVE). POSIX answers 0, end of stream, and so does net.
//     What cannot be hidden: Windows resets the connection when data is
//     queued or arrives after SD_RECEIVE, where Linux still delivers it
//     (docs/windows.md).
//   * WSAECONNRESET on a datagram socket: the ICMP port unreachable that
//     SIO_UDP_CONNRESET reports, only while connected (Connect()). POSIX
//     says ECONNREFUSED, and so does net, keeping 10054.
//   * WSAEINVAL on an unbound datagram socket: real Windows refuses
//     recvfrom() before bind, where POSIX waits for a datagram that cannot
//     come (wine waits too). Reported as would-block: a non-blocking socket
//     sees what POSIX says; a blocking one is kTimedOut from core/ (POSIX's
//     SO_RCVTIMEO result), at once instead of after the timeout, or instead
//     of never returning without one.
absl::StatusOr<IoResult> ReceiveError(SOCKET s, absl::string_view op,
                                      int error) {
  switch (error) {
    case WSAESHUTDOWN:
      if (TypeOf(s) == SOCK_STREAM) return IoResult::EndOfStream();
      break;
    case WSAECONNRESET:
      if (TypeOf(s) == SOCK_DGRAM) {
        return internal::SystemErrorAs(op, "", error,
                                       SocketError::kConnectionRefused);
      }
      break;
    case WSAEINVAL:
      if (TypeOf(s) == SOCK_DGRAM && IsUnbound(s)) {
        return IoResult::WouldBlock();
      }
      break;
    default:
      break;
  }
  return internal::SystemError(op, "", error);
}

// The result of a receive call on `s` that returned `n` into `buffer_size`
// bytes. A datagram longer than the buffer fails with WSAEMSGSIZE after
// filling the buffer (the rest is dropped): that is POSIX's MSG_TRUNC, a
// truncated result, not an error.
absl::StatusOr<IoResult> ReceiveResult(int n, SOCKET s, absl::string_view op,
                                       std::size_t buffer_size) {
  if (n != SOCKET_ERROR) return IoResult::Transferred(static_cast<std::size_t>(n));
  const int error = WSAGetLastError();
  if (error == WSAEWOULDBLOCK) return IoResult::WouldBlock();
  if (error == WSAEMSGSIZE) return IoResult::Truncated(buffer_size);
  return ReceiveError(s, op, error);
}

}  // namespace

absl::StatusOr<WaitOutcome> WaitOrCancel(Handle handle, bool readable,
                                         bool writable, Handle cancel,
                                         absl::Duration timeout) {
  const SOCKET s = Sock(handle);
  const bool infinite = timeout == absl::InfiniteDuration();
  const absl::Time deadline =
      infinite ? absl::InfiniteFuture() : absl::Now() + timeout;
  for (;;) {
    fd_set read_set, write_set, except_set;
    FD_ZERO(&read_set);
    FD_ZERO(&write_set);
    FD_ZERO(&except_set);
    if (readable) FD_SET(s, &read_set);
    if (writable) FD_SET(s, &write_set);
    FD_SET(s, &except_set);  // failed connect; urgent data
    if (cancel != kInvalidHandle) FD_SET(Sock(cancel), &read_set);
    timeval tv{};
    timeval* wait = nullptr;
    if (!infinite) {
      absl::Duration left =
          std::max(deadline - absl::Now(), absl::ZeroDuration());
      left = std::min(left, absl::Hours(24));  // re-armed below if longer
      const std::int64_t us = absl::ToInt64Microseconds(left);
      tv.tv_sec = static_cast<long>(us / 1000000);
      tv.tv_usec = static_cast<long>(us % 1000000);
      wait = &tv;
    }
    const int rc = NET_FAULT(kWait, handle, SOCKET_ERROR,
                             select(0, &read_set, &write_set, &except_set, wait));
    if (rc > 0) {
      if (cancel != kInvalidHandle && FD_ISSET(Sock(cancel), &read_set)) {
        return WaitOutcome::kCancelled;
      }
      return WaitOutcome::kReady;
    }
    if (rc == SOCKET_ERROR) return Fail("select");
    if (infinite || absl::Now() >= deadline) return WaitOutcome::kTimedOut;
  }
}

absl::StatusOr<bool> Wait(Handle handle, bool readable, bool writable,
                          absl::Duration timeout) {
  absl::StatusOr<WaitOutcome> outcome =
      WaitOrCancel(handle, readable, writable, kInvalidHandle, timeout);
  if (!outcome.ok()) return outcome.status();
  return *outcome == WaitOutcome::kReady;
}

absl::StatusOr<IoResult> ReceiveOrCancel(Handle handle, absl::Span<char> buffer,
                                         Handle cancel, absl::Duration timeout,
                                         bool* cancelled) {
  // A blocking recv() cannot be ended for good from another thread here
  // (CancelIoEx ends only a call already under way): select() on both.
  *cancelled = false;
  absl::StatusOr<WaitOutcome> waited =
      WaitOrCancel(handle, true, false, cancel, timeout);
  if (!waited.ok()) return waited.status();
  if (*waited != WaitOutcome::kReady) {
    *cancelled = *waited == WaitOutcome::kCancelled;
    return IoResult::WouldBlock();
  }
  return Receive(handle, buffer, MessageFlags::kNone);
}

void InterruptReceive(Handle) {}

void AbortTransfers(Handle handle) {
  (void)shutdown(Sock(handle), SD_BOTH);  // first: what starts later fails
  (void)CancelIoEx(reinterpret_cast<HANDLE>(Sock(handle)), nullptr);
}

void SignalSafeWake(Handle handle) {
  // A console control handler runs on its own thread: keep that thread's
  // error codes as they were all the same.
  const int saved = WSAGetLastError();
  const DWORD saved_last = GetLastError();
  (void)send(Sock(handle), "x", 1, 0);
  WSASetLastError(saved);
  SetLastError(saved_last);
}

absl::StatusOr<IoResult> Send(Handle handle, absl::Span<const char> data,
                              MessageFlags flags) {
  const int n = NET_FAULT(kSend, handle, SOCKET_ERROR,
                          send(Sock(handle), data.data(),
                               ClampedLength(data.size()),
                               bsd::NativeMessageFlags(flags)));
  return SendResult(n, "send");
}

absl::StatusOr<IoResult> Receive(Handle handle, absl::Span<char> buffer,
                                 MessageFlags flags) {
  const int n = NET_FAULT(kReceive, handle, SOCKET_ERROR,
                          recv(Sock(handle), buffer.data(),
                               ClampedLength(buffer.size()),
                               bsd::NativeMessageFlags(flags)));
  if (n == 0 && !buffer.empty()) return IoResult::EndOfStream();
  return ReceiveResult(n, Sock(handle), "recv", buffer.size());
}

// The stream fast path (net/socket.h): send() and recv() as they are; the
// Result() halves read WSAGetLastError() when they fail.
std::int64_t StreamSend(Handle handle, const char* data, std::size_t size) {
  return NET_FAULT(kSend, handle, SOCKET_ERROR,
                   send(Sock(handle), data, ClampedLength(size), 0));
}

std::int64_t StreamReceive(Handle handle, char* data, std::size_t size) {
  return NET_FAULT(kReceive, handle, SOCKET_ERROR,
                   recv(Sock(handle), data, ClampedLength(size), 0));
}

absl::StatusOr<IoResult> StreamSendResult(std::int64_t result, Handle,
                                          absl::Span<const char>) {
  return SendResult(static_cast<int>(result), "send");
}

absl::StatusOr<IoResult> StreamReceiveResult(std::int64_t result,
                                             Handle handle,
                                             absl::Span<char> buffer) {
  // Nothing received into a non-empty buffer: the end of the stream.
  if (result == 0) return IoResult::EndOfStream();
  return ReceiveResult(static_cast<int>(result), Sock(handle), "recv",
                       buffer.size());
}

absl::StatusOr<IoResult> SendTo(Handle handle, absl::Span<const char> data,
                                const SocketAddress& to, MessageFlags flags) {
  const int n = NET_FAULT(kSend, handle, SOCKET_ERROR,
                          sendto(Sock(handle), data.data(),
                                 ClampedLength(data.size()),
                                 bsd::NativeMessageFlags(flags), to.native(),
                                 static_cast<int>(to.native_length())));
  return SendResult(n, "sendto", to.ToString());
}

absl::StatusOr<IoResult> ReceiveFrom(Handle handle, absl::Span<char> buffer,
                                     MessageFlags flags, SocketAddress* from) {
  int length = static_cast<int>(SocketAddress::kStorageSize);
  const int n = NET_FAULT(
      kReceive, handle, SOCKET_ERROR,
      recvfrom(Sock(handle), buffer.data(), ClampedLength(buffer.size()),
               bsd::NativeMessageFlags(flags), from->mutable_native(), &length));
  absl::StatusOr<IoResult> result =
      ReceiveResult(n, Sock(handle), "recvfrom", buffer.size());
  if (result.ok() && !result->would_block()) {
    from->set_native_length(static_cast<std::size_t>(length));
  }
  return result;
}

namespace {

// WSASend/WSARecv over up to Socket::kMaxIoVectors buffers (core/ has
// checked the count). Each WSABUF holds at most ULONG_MAX bytes.
template <typename BufferSpan>
int FillBuffers(BufferSpan buffers, WSABUF* out, std::size_t* total) {
  *total = 0;
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    out[i].buf = const_cast<char*>(static_cast<const char*>(buffers[i].data()));
    out[i].len = static_cast<ULONG>(
        std::min<std::size_t>(buffers[i].size(), ULONG_MAX));
    *total += out[i].len;
  }
  return static_cast<int>(buffers.size());
}

}  // namespace

absl::StatusOr<IoResult> SendVector(
    Handle handle, absl::Span<const absl::Span<const char>> buffers,
    MessageFlags flags) {
  WSABUF vectors[Socket::kMaxIoVectors];
  std::size_t total = 0;
  const DWORD count = FillBuffers(buffers, vectors, &total);
  DWORD sent = 0;
  const int rc = NET_FAULT(kSend, handle, SOCKET_ERROR,
                           WSASend(Sock(handle), vectors, count, &sent,
                                   bsd::NativeMessageFlags(flags), nullptr,
                                   nullptr));
  if (rc == 0) return IoResult::Transferred(sent);
  return SendResult(SOCKET_ERROR, "WSASend");
}

absl::StatusOr<IoResult> ReceiveVector(
    Handle handle, absl::Span<const absl::Span<char>> buffers,
    MessageFlags flags) {
  WSABUF vectors[Socket::kMaxIoVectors];
  std::size_t total = 0;
  const DWORD count = FillBuffers(buffers, vectors, &total);
  DWORD received = 0;
  DWORD native_flags = static_cast<DWORD>(bsd::NativeMessageFlags(flags));
  const int rc = NET_FAULT(kReceive, handle, SOCKET_ERROR,
                           WSARecv(Sock(handle), vectors, count, &received,
                                   &native_flags, nullptr, nullptr));
  if (rc == 0) return IoResult::Transferred(received);
  return ReceiveResult(SOCKET_ERROR, Sock(handle), "WSARecv", total);
}

// Shutdown(kRead): later receives on a stream socket are end of stream, as
// on Linux (Winsock's WSAESHUTDOWN, see ReceiveError()). What cannot be
// hidden: for TCP, data still queued or arriving after SD_RECEIVE makes
// Windows reset the connection, where Linux delivers it and then reports the
// end of the stream.
}  // namespace net::sys
