// Copyright 2026 The net Authors.
//
// Transfers on POSIX: send, receive (stream, datagram, scatter/gather) and
// the one-handle Wait(), behind the platform/sys.h contract, including the
// halves of the inline stream fast path (net/socket.h). The Windows twin is
// transfer_windows.cc; the rest of the socket calls are in socket_posix.cc.

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <climits>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/fault.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/socket_bsd.h"

namespace net::sys {

using posix::Fail;
using posix::Fd;
using posix::RetryOnEintr;

absl::StatusOr<WaitOutcome> WaitOrCancel(Handle handle, bool readable,
                                         bool writable, Handle cancel,
                                         absl::Duration timeout) {
  pollfd p[2] = {};
  p[0].fd = Fd(handle);
  p[0].events = static_cast<short>((readable ? POLLIN : 0) |
                                   (writable ? POLLOUT : 0));
  p[1].fd = cancel == kInvalidHandle ? -1 : Fd(cancel);  // -1: ignored
  p[1].events = POLLIN;
  const bool infinite = timeout == absl::InfiniteDuration();
  const absl::Time deadline = infinite ? absl::InfiniteFuture()
                                       : absl::Now() + timeout;
  for (;;) {
    int wait_ms = -1;
    if (!infinite) {
      absl::Duration left = std::max(deadline - absl::Now(), absl::ZeroDuration());
      // Round up so a sub-millisecond remainder still waits.
      wait_ms = static_cast<int>(std::min<int64_t>(
          absl::ToInt64Milliseconds(left + absl::Microseconds(999)), INT_MAX));
    }
    int rc = NET_FAULT(kWait, handle, -1, poll(p, 2, wait_ms));
    if (rc > 0) {
      if (((p[0].revents | p[1].revents) & POLLNVAL) != 0) {
        errno = EBADF;
        return Fail("poll");
      }
      if (p[1].revents != 0) return WaitOutcome::kCancelled;
      return WaitOutcome::kReady;
    }
    if (rc == 0) {
      if (infinite || absl::Now() >= deadline) return WaitOutcome::kTimedOut;
      continue;  // INT_MAX ms chunk ended early
    }
    if (errno != EINTR) return Fail("poll");
  }
}

absl::StatusOr<bool> Wait(Handle handle, bool readable, bool writable,
                          absl::Duration timeout) {
  absl::StatusOr<WaitOutcome> outcome =
      WaitOrCancel(handle, readable, writable, kInvalidHandle, timeout);
  if (!outcome.ok()) return outcome.status();
  return *outcome == WaitOutcome::kReady;
}

void SignalSafeWake(Handle handle) {
  const int saved = errno;
  (void)send(Fd(handle), "x", 1, posix::SendFlags() | MSG_DONTWAIT);
  errno = saved;
}

namespace {

// The result of a send() or recv() that returned `n`, errno still its own:
// shared by Send()/Receive() and the fast path's halves.
absl::StatusOr<IoResult> SendResult(ssize_t n) {
  if (n >= 0) return IoResult::Transferred(static_cast<std::size_t>(n));
  if (posix::IsWouldBlockErrno(errno)) return IoResult::WouldBlock();
  return Fail("send");
}

// Zero bytes into a non-empty buffer is the end of the stream.
absl::StatusOr<IoResult> ReceiveResult(ssize_t n, bool empty_buffer) {
  if (n > 0) return IoResult::Transferred(static_cast<std::size_t>(n));
  if (n == 0) {
    return empty_buffer ? IoResult::Transferred(0) : IoResult::EndOfStream();
  }
  if (posix::IsWouldBlockErrno(errno)) return IoResult::WouldBlock();
  return Fail("recv");
}

}  // namespace

absl::StatusOr<IoResult> ReceiveOrCancel(Handle handle, absl::Span<char> buffer,
                                         Handle cancel, absl::Duration timeout,
                                         bool* cancelled) {
  *cancelled = false;
  if (timeout == absl::InfiniteDuration()) {
    // One blocking recv(); InterruptReceive() ends it.
    const ssize_t n = RetryOnEintr(
        [&] {
          return NET_FAULT(kReceive, handle, -1,
                           recv(Fd(handle), buffer.data(), buffer.size(), 0));
        });
    if (n >= 0 || !posix::IsWouldBlockErrno(errno)) {
      return ReceiveResult(n, buffer.empty());
    }
    // (A non-blocking socket after all: wait below.)
  }
  absl::StatusOr<WaitOutcome> waited =
      WaitOrCancel(handle, true, false, cancel, timeout);
  if (!waited.ok()) return waited.status();
  if (*waited != WaitOutcome::kReady) {
    *cancelled = *waited == WaitOutcome::kCancelled;
    return IoResult::WouldBlock();
  }
  return ReceiveResult(RetryOnEintr([&] {
                         return NET_FAULT(kReceive, handle, -1,
                                          recv(Fd(handle), buffer.data(),
                                               buffer.size(), MSG_DONTWAIT));
                       }),
                       buffer.empty());
}

void InterruptReceive(Handle handle) { (void)shutdown(Fd(handle), SHUT_RD); }

void AbortTransfers(Handle handle) { (void)shutdown(Fd(handle), SHUT_RDWR); }

absl::StatusOr<IoResult> Send(Handle handle, absl::Span<const char> data,
                              MessageFlags flags) {
  const int native = bsd::NativeMessageFlags(flags) | posix::SendFlags();
  return SendResult(RetryOnEintr(
      [&] {
        return NET_FAULT(kSend, handle, -1,
                         send(Fd(handle), data.data(), data.size(), native));
      }));
}

absl::StatusOr<IoResult> Receive(Handle handle, absl::Span<char> buffer,
                                 MessageFlags flags) {
  const int native = bsd::NativeMessageFlags(flags);
  return ReceiveResult(
      RetryOnEintr(
          [&] {
            return NET_FAULT(
                kReceive, handle, -1,
                recv(Fd(handle), buffer.data(), buffer.size(), native));
          }),
      buffer.empty());
}

// The stream fast path (net/socket.h): send() and recv() as they are, each
// a tail call; the Result() halves read errno when they fail, and retry an
// interrupted call through the full path.
std::int64_t StreamSend(Handle handle, const char* data, std::size_t size) {
  return NET_FAULT(kSend, handle, -1,
                   send(Fd(handle), data, size, posix::SendFlags()));
}

std::int64_t StreamReceive(Handle handle, char* data, std::size_t size) {
  return NET_FAULT(kReceive, handle, -1, recv(Fd(handle), data, size, 0));
}

absl::StatusOr<IoResult> StreamSendResult(std::int64_t result, Handle handle,
                                          absl::Span<const char> data) {
  if (result < 0 && errno == EINTR) return Send(handle, data, MessageFlags::kNone);
  return SendResult(static_cast<ssize_t>(result));
}

absl::StatusOr<IoResult> StreamReceiveResult(std::int64_t result, Handle handle,
                                             absl::Span<char> buffer) {
  if (result < 0 && errno == EINTR) {
    return Receive(handle, buffer, MessageFlags::kNone);
  }
  return ReceiveResult(static_cast<ssize_t>(result), buffer.empty());
}

absl::StatusOr<IoResult> SendTo(Handle handle, absl::Span<const char> data,
                                const SocketAddress& to, MessageFlags flags) {
  const int native = bsd::NativeMessageFlags(flags) | posix::SendFlags();
  ssize_t n = RetryOnEintr([&] {
    return NET_FAULT(kSend, handle, -1,
                     sendto(Fd(handle), data.data(), data.size(), native,
                            to.native(),
                            static_cast<socklen_t>(to.native_length())));
  });
  if (n >= 0) return IoResult::Transferred(static_cast<std::size_t>(n));
  if (posix::IsWouldBlockErrno(errno)) return IoResult::WouldBlock();
  return Fail("sendto", to);
}

absl::StatusOr<IoResult> ReceiveFrom(Handle handle, absl::Span<char> buffer,
                                     MessageFlags flags, SocketAddress* from) {
  // recvmsg rather than recvfrom: msg_flags tells a truncated datagram
  // (MSG_TRUNC), which Winsock reports as WSAEMSGSIZE; both become
  // IoResult::Truncated().
  iovec vector{buffer.data(), buffer.size()};
  msghdr message{};
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  const int native = bsd::NativeMessageFlags(flags);
  ssize_t n = RetryOnEintr([&] {
    message.msg_name = from->mutable_native();
    message.msg_namelen = SocketAddress::kStorageSize;
    message.msg_flags = 0;
    return NET_FAULT(kReceive, handle, -1,
                     recvmsg(Fd(handle), &message, native));
  });
  if (n >= 0) {
    from->set_native_length(message.msg_namelen);
    const auto bytes = static_cast<std::size_t>(n);
    return (message.msg_flags & MSG_TRUNC) != 0 ? IoResult::Truncated(bytes)
                                               : IoResult::Transferred(bytes);
  }
  if (posix::IsWouldBlockErrno(errno)) return IoResult::WouldBlock();
  return Fail("recvfrom");
}

namespace {

// Runs sendmsg/recvmsg over up to Socket::kMaxIoVectors buffers (core/ has
// checked the count).
template <typename BufferSpan, typename Call>
absl::StatusOr<IoResult> VectorIo(BufferSpan buffers, absl::string_view op,
                                  Call call) {
  iovec vectors[Socket::kMaxIoVectors];
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    vectors[i].iov_base =
        const_cast<char*>(static_cast<const char*>(buffers[i].data()));
    vectors[i].iov_len = buffers[i].size();
  }
  msghdr message{};
  message.msg_iov = vectors;
  message.msg_iovlen = static_cast<decltype(message.msg_iovlen)>(buffers.size());
  ssize_t n = RetryOnEintr([&] { return call(&message); });
  if (n >= 0 && (message.msg_flags & MSG_TRUNC) != 0) {
    return IoResult::Truncated(static_cast<std::size_t>(n));
  }
  if (n >= 0) return IoResult::Transferred(static_cast<std::size_t>(n));
  if (posix::IsWouldBlockErrno(errno)) return IoResult::WouldBlock();
  return Fail(op);
}

}  // namespace

absl::StatusOr<IoResult> SendVector(
    Handle handle, absl::Span<const absl::Span<const char>> buffers,
    MessageFlags flags) {
  const int native = bsd::NativeMessageFlags(flags) | posix::SendFlags();
  return VectorIo(buffers, "sendmsg", [&](msghdr* m) {
    return NET_FAULT(kSend, handle, -1, sendmsg(Fd(handle), m, native));
  });
}

absl::StatusOr<IoResult> ReceiveVector(
    Handle handle, absl::Span<const absl::Span<char>> buffers,
    MessageFlags flags) {
  const int native = bsd::NativeMessageFlags(flags);
  return VectorIo(buffers, "recvmsg", [&](msghdr* m) {
    return NET_FAULT(kReceive, handle, -1, recvmsg(Fd(handle), m, native));
  });
}

}  // namespace net::sys
