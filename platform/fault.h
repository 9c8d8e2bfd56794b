// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/fault.h
// -----------------------------------------------------------------------------
//
// Fault injection at the backend boundary, for tests: make the n-th call of
// a chosen system call fail with a chosen native error, the way Go's
// net/internal/socktest does for its net package.
//
// Each system call a backend makes for the platform/sys.h contract is
// written `NET_FAULT(kPoint, handle, failed, call)`. In a build with
// NET_FAULT_INJECTION (the CMake option; on in the dev, clang, asan, tsan
// and mingw-wine presets, off in release and for anything installed) the
// macro first asks whether a test armed `kPoint`; if it did and the rule
// matches, the call is not made: the OS error (errno; WSASetLastError() on
// Windows, which GetLastError() reads too) is set to the armed code and
// `failed` is returned, so the backend's own error path runs exactly as if
// the OS had failed. With nothing armed the cost is one relaxed atomic load;
// without NET_FAULT_INJECTION the macro is the bare call and this hook does
// not exist.
//
// Injection happens at the system call, under the backend's retry loops and
// error translation, so a test proves what the whole stack above does with
// that error: for example, `accept` failing with ECONNABORTED is retried
// inside the backend and never seen; with EMFILE the Listener backs off.
//
//   #if NET_HAS_FAULT_INJECTION
//   net::sys::fault::ScopedFault fault(net::sys::fault::Point::kAccept,
//                                      {.native_error = ENFILE, .times = 3});
//   ... drive the listener ...
//   CHECK(fault.injected() == 3);
//   #endif
//
// Rules are process-wide (every thread); one per point at a time. A rule may
// be narrowed to one handle (the listening socket for kAccept, the socket
// for transfers), so a test's own client sockets are not hit.

#ifndef NET_PLATFORM_FAULT_H_
#define NET_PLATFORM_FAULT_H_

#include <atomic>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "net/socket.h"

#if defined(NET_FAULT_INJECTION)
#define NET_HAS_FAULT_INJECTION 1
#else
#define NET_HAS_FAULT_INJECTION 0
#endif

namespace net::sys::fault {

// The system calls that can be made to fail. Each covers every OS call of
// that kind the backend makes (kSend: send, sendto, sendmsg, WSASend...).
enum class Point : std::uint8_t {
  kSocket,         // socket() / WSASocketW(): Socket::Open
  kClose,          // close() / closesocket()
  kBind,           // bind()
  kListen,         // listen()
  kAccept,         // accept4() / accept()
  kAcceptNoPeer,   // accept() succeeds but reports a peer address of length
                   // 0 (old Linux kernels did, under nmap scans); the
                   // armed code only has to be non-zero
  kConnect,        // connect()
  kConnectResult,  // getsockopt(SO_ERROR) after a non-blocking connect
  kShutdown,       // shutdown()
  kSend,           // send(), sendto(), sendmsg(), WSASend...
  kReceive,        // recv(), recvfrom(), recvmsg(), WSARecv...
  kSetOption,      // setsockopt() through the option table
  kGetOption,      // getsockopt() through the option table
  kPollerWait,     // the event loop's wait: epoll_wait, kevent, poll,
                   // select, WSAPoll, GetQueuedCompletionStatusEx
  kPollerControl,  // a watch added or changed: epoll_ctl, kevent; on IOCP
                   // the SIO_BASE_HANDLE query when a watch is added and
                   // each AFD poll request submitted (the poll, select and
                   // WSAPoll pollers register without a system call)
  kPollerCreate,   // making a poller: epoll_create1, kqueue, its wakeup
                   // (eventfd, pipe, the WSAPoll wake socket's bind),
                   // CreateIoCompletionPort
  kName,           // getsockname() / getpeername()
  kControl,        // the control table: fcntl() / ioctl() / ioctlsocket()
                   // (non-blocking, close-on-exec, owner, bytes available)
  kWait,           // the one-handle wait of the blocking calls: poll(),
                   // select() (Socket::Wait*, Connect with a timeout,
                   // the thread pool's cancellable receive)
  kResolve,        // getaddrinfo() / GetAddrInfoW(); on POSIX the call
                   // fails with EAI_SYSTEM and errno = the armed code
};
inline constexpr int kPointCount = static_cast<int>(Point::kResolve) + 1;

// "accept", "send", ...: for messages.
absl::string_view PointName(Point point);

// What to do with the calls reaching one point.
struct Rule {
  // The native code to fail with (errno value; WSA or Win32 code on
  // Windows). 0 only counts the calls.
  int native_error = 0;
  // Let this many matching calls through before failing any.
  int skip = 0;
  // Then fail this many; kForever fails every later call.
  int times = 1;
  // Only calls on this handle match (kInvalidHandle: every call). The
  // poller's wait and socket() have no handle the caller knows: leave it.
  NativeHandle handle = kInvalidHandle;
};
inline constexpr int kForever = -1;

#if NET_HAS_FAULT_INJECTION

// Arms `point` with `rule`, replacing any rule it had, and zeroes its
// counts.
void Arm(Point point, const Rule& rule);
// Removes the rule of `point` (its counts stay readable).
void Disarm(Point point);
void DisarmAll();
// Since `point` was last armed: the calls that matched its rule, and how
// many of them were failed.
int Calls(Point point);
int Injected(Point point);

// Arms a point for a scope, and disarms it at the end.
class ScopedFault {
 public:
  ScopedFault(Point point, const Rule& rule) : point_(point) {
    Arm(point, rule);
  }
  ~ScopedFault() { Disarm(point_); }
  ScopedFault(const ScopedFault&) = delete;
  ScopedFault& operator=(const ScopedFault&) = delete;

  int calls() const { return Calls(point_); }
  int injected() const { return Injected(point_); }

 private:
  Point point_;
};

namespace internal {
// How many points are armed: the fast path reads only this.
extern std::atomic<int> armed_points;
// The slow path: true if this call must fail (the OS error is then set).
bool Fail(Point point, NativeHandle handle);
inline bool ShouldFail(Point point, NativeHandle handle) {
  return armed_points.load(std::memory_order_relaxed) != 0 &&
         Fail(point, handle);
}
}  // namespace internal

#define NET_FAULT(point, handle, failed, call)                                \
  (::net::sys::fault::internal::ShouldFail(::net::sys::fault::Point::point,   \
                                           (handle))                          \
       ? (failed)                                                             \
       : (call))
// For the points that change a result instead of failing a call
// (kAcceptNoPeer): true when the rule fires.
#define NET_FAULT_FIRES(point, handle) \
  ::net::sys::fault::internal::ShouldFail(::net::sys::fault::Point::point, (handle))

#else  // !NET_HAS_FAULT_INJECTION

#define NET_FAULT(point, handle, failed, call) (call)
#define NET_FAULT_FIRES(point, handle) false

#endif  // NET_HAS_FAULT_INJECTION

}  // namespace net::sys::fault

#endif  // NET_PLATFORM_FAULT_H_
