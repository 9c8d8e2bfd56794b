// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/sys.h
// -----------------------------------------------------------------------------
//
// The backend contract: every function a backend must provide, declared once.
// `core/` reaches the operating system only through this file. The POSIX
// backend lives in platform/posix/, the Winsock backend in platform/windows/,
// with the same file names (`socket_posix.cc` / `socket_windows.cc`, ...);
// CMake picks one set. The code both backends share, because Winsock kept
// the BSD sockets API (sockaddr codec, option structures, pollfd, addrinfo),
// is header-only in platform/bsd/; see platform/bsd/socket_bsd.h.
// tests/contract/ is the executable specification of this file: it runs
// unchanged on every backend.
//
// Rules every backend follows:
//
//   * Arguments have been validated by core/ (open handle, family match,
//     sizes, ranges). A backend checks only what needs the OS to check.
//   * Each native error is translated exactly once, where it leaves the
//     backend, with `internal::SystemError()` (core/errors_internal.h): the
//     status then carries the operation, the subject (usually the address),
//     the portable `SocketError`, and the native code.
//   * EINTR is retried inside the backend for every call except `close`
//     (after EINTR the descriptor state is unspecified on Linux; retrying
//     could close a descriptor another thread just opened).
//   * Would-block on a transfer call is `IoResult::WouldBlock()`, on accept
//     an `AcceptResult` without a handle; never a status.
//   * New handles are non-inheritable and never raise SIGPIPE.

#ifndef NET_PLATFORM_SYS_H_
#define NET_PLATFORM_SYS_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "net/address.h"
#include "net/error.h"
#include "net/event_loop.h"
#include "net/message.h"
#include "net/resolver.h"
#include "net/socket.h"

namespace net::sys {

using Handle = NativeHandle;

// --- Start-up (startup_*.cc) -------------------------------------------------

// EnsureInitialized()
//
// Starts the socket layer once per process, thread-safely (WSAStartup on
// Windows; nothing on POSIX). Every entry point that creates a handle or
// resolves a name calls it first; its result is remembered.
absl::Status EnsureInitialized();

// BackendName()
//
// "posix" or "windows".
absl::string_view BackendName();

// --- Errors (errors_*.cc) ------------------------------------------------------

// One row of a translation table.
struct ErrorRow {
  int native;        // errno, WSA code or resolver code
  const char* name;  // its symbolic name: "ECONNREFUSED", "WSAECONNREFUSED"
  SocketError error;
};

// ErrorTable(), ResolverErrorTable()
//
// The backend's translation tables: socket errors (errno / WSA) and resolver
// errors (EAI_* / WSAHOST_NOT_FOUND ...). tests/contract/ checks each row
// against one portable list of expectations.
absl::Span<const ErrorRow> ErrorTable();
absl::Span<const ErrorRow> ResolverErrorTable();

// LastError()
//
// errno, or WSAGetLastError().
int LastError();

// SetLastErrorCode()
//
// Sets what LastError() reads next (and, on Windows, GetLastError()): the
// fault-injection hook's half of a failed call (platform/fault.h).
void SetLastErrorCode(int native);

// NativeErrorText()
//
// The OS's own words for a socket error code (strerror_r on POSIX); empty
// where the OS has none that can be relied on (Windows: FormatMessage has no
// text for some WSA codes under wine).
std::string NativeErrorText(int native);
std::string NativeResolverErrorText(int native);

// --- Addresses (address_*.cc) ---------------------------------------------

// The decoded, portable form of a native address.
struct AddressParts {
  AddressFamily family = AddressFamily::kUnspecified;
  IpAddress ip;
  std::uint16_t port = 0;
  std::uint32_t flow_info = 0;
  std::string path;       // unix: the path, or the abstract name
  bool abstract = false;  // unix: Linux abstract namespace
};

// DecodeAddress()
//
// Reads a native address of `length` bytes.
//
// Errors: kInvalidArgument for an unknown family or a length too short for
// the family.
absl::StatusOr<AddressParts> DecodeAddress(const void* native,
                                           std::size_t length);

// DecodeFamily()
//
// The family of a native address without decoding the rest (kUnspecified
// for anything else, or a length of 0).
AddressFamily DecodeFamily(const void* native, std::size_t length);

// EncodeAddress()
//
// Writes the native form of `parts` into `storage` (kStorageSize bytes,
// zeroed by the caller) and returns its length.
//
// Errors: kInvalidArgument for a unix path that does not fit `sun_path`;
// kUnimplemented for an abstract name where the OS has none.
absl::StatusOr<std::size_t> EncodeAddress(const AddressParts& parts,
                                          void* storage);

// MaxUnixPathLength()
//
// The longest unix path that fits `sun_path` with its terminating NUL.
std::size_t MaxUnixPathLength();

// --- Sockets (socket_*.cc) ---------------------------------------------------

// Open()
//
// socket(2) / WSASocketW, non-inheritable; SIGPIPE off where per-socket;
// non-blocking if `nonblocking` (by the socket call itself where the OS
// can: SOCK_NONBLOCK on Linux and the BSDs).
absl::StatusOr<Handle> Open(AddressFamily family, SocketType type,
                            int protocol, bool nonblocking);

// Close()
//
// close(2) / closesocket. Never retried on EINTR.
absl::Status Close(Handle handle);

// Describe()
//
// The family and type of an open socket (SO_TYPE, SO_DOMAIN or
// getsockname).
struct SocketInfo {
  AddressFamily family = AddressFamily::kUnspecified;
  SocketType type = SocketType::kStream;
};
absl::StatusOr<SocketInfo> Describe(Handle handle);

absl::Status Bind(Handle handle, const SocketAddress& address);

// Listen()
//
// `backlog` -1 means the OS's SOMAXCONN.
absl::Status Listen(Handle handle, int backlog);

// Accept()
//
// accept4 / accept + fcntl / accept + ioctlsocket: the new handle is
// non-inheritable, and non-blocking if `nonblocking`, else blocking, on
// every OS (BSD and Winsock accept copy the listener's mode; Linux does
// not). ECONNABORTED, EPROTO and EINTR are retried (WSAECONNRESET and
// WSAEINTR on Windows). A connection accepted with no peer address (length
// 0) is closed and the next one taken: nobody can be told who it was.
//
// Nothing pending on a non-blocking listener ends every accept loop, so it
// is not a status (a message and a payload, built and parsed back on every
// wakeup): the result's `handle` is then kInvalidHandle and `would_block`
// holds the native code (EAGAIN / EWOULDBLOCK / WSAEWOULDBLOCK), from which
// core/ builds a status only for the callers that want one.
struct AcceptResult {
  Handle handle = kInvalidHandle;  // kInvalidHandle: nothing pending
  int would_block = 0;             // the native code when nothing is pending
};
absl::StatusOr<AcceptResult> Accept(Handle handle, SocketAddress* peer,
                                    bool nonblocking);

// Connect()
//
// Starts or makes a connection. A non-blocking connect under way is a status
// with SocketError::kInProgress (EINPROGRESS, EALREADY, WSAEWOULDBLOCK).
absl::Status Connect(Handle handle, const SocketAddress& address);

// ConnectResult()
//
// After a non-blocking connect became writable: SO_ERROR as a status
// ("connect <address>: connection refused ...").
absl::Status ConnectResult(Handle handle, const SocketAddress& address);

// Wait()
//
// poll(2) / WSAPoll on one handle for readability and/or writability.
// Returns true when ready (an error or hang-up condition counts as ready),
// false when `timeout` passed. Negative timeouts are not passed in;
// InfiniteDuration waits forever.
absl::StatusOr<bool> Wait(Handle handle, bool readable, bool writable,
                          absl::Duration timeout);

// WaitOrCancel()
//
// As Wait(), also returning when `cancel` (a socket, or kInvalidHandle for
// none) is readable: kCancelled then, even if `handle` is ready too.
enum class WaitOutcome : std::uint8_t { kReady, kTimedOut, kCancelled };
absl::StatusOr<WaitOutcome> WaitOrCancel(Handle handle, bool readable,
                                         bool writable, Handle cancel,
                                         absl::Duration timeout);

// ReceiveOrCancel(), InterruptReceive()
//
// A receive for a blocking stream socket read by one thread (a server
// worker), that another thread can end. Waits up to `timeout` for bytes,
// the end of the stream or an error, and receives them; WouldBlock when
// `timeout` passed, and also when `cancel` (a socket; kInvalidHandle: none)
// became readable, which sets `*cancelled`. Where the OS lets a blocking
// recv() be ended from another thread for good (POSIX: shutdown(SHUT_RD)
// makes it return the end of the stream, now and later), an infinite
// `timeout` is one blocking recv() and `InterruptReceive()` ends it (the
// caller tells that end of stream from the peer's by its own flag);
// elsewhere (Windows) the wait is a select() on both sockets, and
// `InterruptReceive()` does nothing: writing to `cancel` ends it.
absl::StatusOr<IoResult> ReceiveOrCancel(Handle handle, absl::Span<char> buffer,
                                         Handle cancel, absl::Duration timeout,
                                         bool* cancelled);
void InterruptReceive(Handle handle);

// AbortTransfers()
//
// Ends, from another thread, whatever send or receive a blocking stream
// socket is in or will start: both directions shut down (a call started
// later fails at once) and, on Windows, where shutdown() does not wake a
// send already blocked, the calls under way cancelled (CancelIoEx). The
// handle stays open for its owner to close. Errors are ignored.
void AbortTransfers(Handle handle);

// NewThreadBuffer()
//
// A buffer of `size` bytes for the calling thread, freed when the thread
// exits (by an OS thread-exit callback: a pthread key, a Windows fiber-local
// slot). Each call makes a new one and frees the thread's previous buffer.
// Not a thread_local object with a destructor: mingw-w64 frees a thread's
// emulated TLS before it runs thread_local destructors, so such a
// destructor reads freed memory (a heap corruption at thread exit, seen
// under wine with the event-loop threads of net::Server).
char* NewThreadBuffer(std::size_t size);

// SignalSafeWake()
//
// Sends one byte on `handle` without blocking, from anywhere, a signal
// handler included: one send(), no allocation, no lock; errno (Windows: the
// last-error values) as it was. Failures are ignored (a full buffer means a
// wakeup is already pending).
void SignalSafeWake(Handle handle);

// Transfers. `Send()` and `Receive()` are the stream calls: `Receive()`
// reports zero bytes into a non-empty buffer as EndOfStream itself. The
// others return a zero-byte result as Transferred(0), and core/ decides
// what it means. net/socket.h also declares the halves that the inline
// `Socket::Send()`/`Receive()` use for a non-blocking stream socket with no
// flags: `StreamSend()` and `StreamReceive()` (the OS call as it is, a tail
// call) and `StreamSendResult()`/`StreamReceiveResult()` for whatever is not
// a count above zero; each backend defines them beside these.
absl::StatusOr<IoResult> Send(Handle handle, absl::Span<const char> data,
                              MessageFlags flags);
absl::StatusOr<IoResult> Receive(Handle handle, absl::Span<char> buffer,
                                 MessageFlags flags);
absl::StatusOr<IoResult> SendTo(Handle handle, absl::Span<const char> data,
                                const SocketAddress& to, MessageFlags flags);
absl::StatusOr<IoResult> ReceiveFrom(Handle handle, absl::Span<char> buffer,
                                     MessageFlags flags, SocketAddress* from);
absl::StatusOr<IoResult> SendVector(
    Handle handle, absl::Span<const absl::Span<const char>> buffers,
    MessageFlags flags);
absl::StatusOr<IoResult> ReceiveVector(
    Handle handle, absl::Span<const absl::Span<char>> buffers,
    MessageFlags flags);

absl::Status Shutdown(Handle handle, ShutdownMode mode);
absl::StatusOr<SocketAddress> LocalAddress(Handle handle);
absl::StatusOr<SocketAddress> PeerAddress(Handle handle);

// SocketPair()
//
// Two connected handles of `family` (kUnix or, on Windows, kIPv4/kIPv6 over
// loopback) and `type`.
absl::Status SocketPair(AddressFamily family, SocketType type,
                        Handle* first, Handle* second);

// --- Control operations (control_*.cc) -------------------------------------

absl::Status SetNonBlocking(Handle handle, bool on);

// GetNonBlocking()
//
// kUnimplemented where the OS cannot tell (Windows); core/ then reports the
// mode it last set.
absl::StatusOr<bool> GetNonBlocking(Handle handle);
absl::Status SetAsync(Handle handle, bool on);
absl::StatusOr<bool> GetAsync(Handle handle);
absl::Status SetOwner(Handle handle, std::int64_t owner);
absl::StatusOr<std::int64_t> GetOwner(Handle handle);
absl::StatusOr<std::size_t> BytesAvailable(Handle handle);
absl::StatusOr<bool> AtOutOfBandMark(Handle handle);
absl::Status SetCloseOnExec(Handle handle, bool on);
absl::StatusOr<bool> GetCloseOnExec(Handle handle);

// --- Names and interfaces (resolver_*.cc, interface_*.cc) ------------------

// Resolve()
//
// getaddrinfo / GetAddrInfoW. `host` and `service` are validated (bounded,
// no NUL) by core/; empty means null.
absl::StatusOr<std::vector<ResolvedAddress>> Resolve(
    absl::string_view host, absl::string_view service,
    const ResolveHints& hints);

absl::StatusOr<std::vector<NetworkInterface>> ListInterfaces();
absl::StatusOr<std::uint32_t> InterfaceIndex(absl::string_view name);
absl::StatusOr<std::string> InterfaceName(std::uint32_t index);

// --- Socket options (options_*.cc, options_ip_*.cc, options_sctp_*.cc,
//     features_*.cc) ------------------------------------------------------

// SetOption(), GetOption()
//
// setsockopt / getsockopt (or WSAIoctl where Windows needs it) for one
// option. core/ has checked that the option is supported here, applies to
// the socket, and that `value` holds the option's kind and is in range; the
// backend converts to the native layout and unit. `query` is the input of
// the gets that take one (SCTP), else std::monostate. Native errors carry
// the operation and the option's native name ("setsockopt IP_TTL").
absl::Status SetOption(Handle handle, OptionId id, const OptionValue& value);
absl::StatusOr<OptionValue> GetOption(Handle handle, OptionId id,
                                      const OptionValue& query);

// OptionSupport()
//
// OK if this OS, as built and as running, has the option; else
// kUnimplemented saying why ("SO_REUSEPORT is not available on Windows"),
// with the portable error kOptionNotSupported (kProtocolNotSupported for
// SCTP without kernel support). Cheap: run-time probes are cached.
absl::Status OptionSupport(OptionId id);

// NativeOptionName()
//
// This backend's name for `id` where the platforms differ
// ("SIO_KEEPALIVE_VALS", "TCP_NOPUSH"); empty for the table's default.
absl::string_view NativeOptionName(OptionId id);

// FeatureSupport()
//
// OK or a status explaining why not, as `net::CheckSupported(Feature)`.
absl::Status FeatureSupport(Feature feature);

// AvailableParallelism()
//
// How many CPUs the calling thread may run on, at least 1, as
// `net::AvailableParallelism()` (include/net/server.h says what is and is
// not counted on each OS).
int AvailableParallelism();

// --- TLS trust (trust_*.cc) ---------------------------------------------------

// SystemRootCertificates()
//
// The certificates (DER) of the OS's trust store where OpenSSL does not read
// it by itself: Windows' ROOT store (OpenSSL 3.0 never opens it,
// openssl#18020). kUnimplemented where OpenSSL's default verify paths are
// the system's store (POSIX).
absl::StatusOr<std::vector<std::string>> SystemRootCertificates();


// --- Readiness pollers (poller_*.cc) -----------------------------------------

// One readiness report: the token given to `Poller::Add()` and what was seen.
struct PollEvent {
  std::uint64_t token = 0;
  Readiness readiness;
};

class CompletionIo;  // below

// Poller
//
// The OS half of `net::EventLoop`: level-triggered readiness for a set of
// handles, each registered with a token (never 0), and a thread-safe wakeup.
// core/event_loop.cc owns registrations, timers and posted tasks; a poller
// only reports. A handle whose interest becomes kNone stays registered as it
// was until it is reported, and core/ removes it then (a paused socket
// cannot make Wait spin on hang-ups; a pause and resume with no event
// between them changes nothing here).
class Poller {
 public:
  virtual ~Poller() = default;

  // Errors: kInvalidArgument for a handle this poller cannot watch (select:
  // a descriptor at or above FD_SETSIZE); the OS's error.
  virtual absl::Status Add(Handle handle, std::uint64_t token,
                           Interest interest) = 0;
  virtual absl::Status Modify(Handle handle, std::uint64_t token,
                              Interest interest) = 0;
  // Removing a handle the OS already forgot (closed) is not an error.
  virtual absl::Status Remove(Handle handle) = 0;

  // Forget()
  //
  // As Remove(), for a handle that the caller closes before the next Wait()
  // and that was never duplicated (`EventLoop::Unwatch()` with
  // `UnwatchMode::kClosing`). A poller whose OS drops a closed handle's
  // registration by itself (epoll, kqueue) only updates its own state and
  // makes no system call; the default is Remove(), which every poller with
  // user-space sets (poll, select, WSAPoll) or pending requests on the handle
  // (IOCP-light) needs.
  virtual absl::Status Forget(Handle handle) { return Remove(handle); }

  // Wait()
  //
  // Waits up to `timeout` (InfiniteDuration: no limit; rounded up to the
  // OS's resolution) and appends what is ready to `events`. A wakeup or an
  // interrupted wait returns OK with whatever was collected (maybe nothing).
  virtual absl::Status Wait(absl::Duration timeout,
                            std::vector<PollEvent>* events) = 0;

  // WaitUntil()
  //
  // As Wait(), up to `deadline` on the steady clock: MonotonicTime::max() is
  // no limit, MonotonicTime::min() (or any time already past) does not block.
  // The loop passes its next timer's deadline, which stays the same over many
  // waits. The default converts it to a timeout for Wait(). epoll instead
  // keeps the deadline in a timerfd, armed only when the deadline moves
  // earlier, and waits without a timeout: the kernel then sets up no timer
  // for each wait that sleeps (a timed epoll_wait arms and cancels an
  // hrtimer every time; docs/bench.md). A deadline that moves later leaves
  // the timerfd as it is: it fires early once, the loop finds no timer due
  // and waits again; that costs one wakeup per timer period instead of a
  // system call per wait when, say, idle timeouts are pushed back on every
  // read.
  using MonotonicTime = std::chrono::steady_clock::time_point;
  virtual absl::Status WaitUntil(MonotonicTime deadline,
                                 std::vector<PollEvent>* events) {
    if (deadline == MonotonicTime::max()) {
      return Wait(absl::InfiniteDuration(), events);
    }
    // Compared before subtracting: min() - now would overflow.
    const MonotonicTime now = std::chrono::steady_clock::now();
    if (deadline <= now) return Wait(absl::ZeroDuration(), events);
    return Wait(absl::FromChrono(deadline - now), events);
  }

  // DeadlineMayHavePassed()
  //
  // After WaitUntil(): false only if the deadline it was given has certainly
  // not passed yet, so the loop need not read the clock to look for due
  // timers. The default, true, has it read the clock after every wait; epoll
  // knows from its timerfd.
  virtual bool DeadlineMayHavePassed() const { return true; }

  // completions()
  //
  // The poller's completion I/O (below), or null: only the io_uring
  // poller has one.
  virtual CompletionIo* completions() { return nullptr; }

  // DispatchCompletions()
  //
  // After WaitUntil() and the loop's dispatch of `events`: hands every
  // completion the wait collected to its handler. Returns how many.
  virtual int DispatchCompletions() { return 0; }

  // EndIteration()
  //
  // The loop's iteration is over (its callbacks, timers and posted tasks
  // ran): whatever runs next is outside the loop until the next wait.
  virtual void EndIteration() {}

  // registrations()
  //
  // Sockets on completions (`CompletionIo::Attach()`), which
  // `EventLoop::watch_count()` counts with the watches.
  virtual std::size_t registrations() const { return 0; }

  // Wake()
  //
  // Makes the current or next Wait() return. Thread-safe.
  virtual void Wake() = 0;
};

// --- Completion I/O (poller_uring_posix.cc; issue 19, docs/io-uring.md) -----
//
// Where the loop's poller is an io_uring ring, `Connection` and `Listener`
// (core/) do not wait for readiness: they start operations on the ring and
// hear of their completion. The ring then does the transfer itself, and one
// system call per loop iteration submits every operation started and
// collects every completion.

// What an operation is; one of each at a time per handler.
enum class CompletionOp : std::uint8_t {
  kAccept = 1,   // multishot accept: one completion per connection
  kReceive = 2,  // multishot receive into the loop's buffer ring
  kSend = 3,     // one send (vectored) of bytes the caller keeps alive
};

// Completion
//
// One completion. `result` is the system call's: a new handle (accept), a
// byte count (0: end of stream), or a negated native error code (-ECANCELED
// for a cancelled operation, -ENOBUFS when the buffer ring ran dry: the
// bytes wait in the socket, nothing is lost).
struct Completion {
  std::int32_t result = 0;
  // The operation goes on (multishot): more completions will come. When
  // false this is its last, and the handler may be freed after it.
  bool more = false;
  // A receive's bytes: `result` of them, in the loop's buffer ring, valid
  // only during the call.
  const char* data = nullptr;
  // What a negative `result` means, where it is not a failure: the
  // operation was cancelled; the buffer ring ran dry (start it again).
  bool cancelled = false;
  bool no_buffers = false;
  // A would-block (EAGAIN): the ring waits for room itself, so only a
  // fault injected in a test's place makes one; start the operation again.
  bool would_block = false;
};

// CompletionHandler
//
// Who hears of an operation: its `OnComplete()`, on the loop thread, in
// `Poller::DispatchCompletions()`. Must stay valid until the last
// completion (`more` false) of every operation it started.
class CompletionHandler {
 public:
  // The socket its operations are on (for the fault-injection rules of
  // platform/fault.h, which narrow by handle).
  Handle handle = kInvalidHandle;
  virtual void OnComplete(CompletionOp op, const Completion& completion) = 0;
  // Asked for by `CompletionIo::SubmitLater()`: called once, just before
  // the loop's next submission.
  virtual void OnSubmit() {}
  // The loop is being destroyed while this orphan (`CompletionIo::Orphan()`)
  // still has operations in flight: free it (no completion will come).
  virtual void Abandon() {}

 protected:
  ~CompletionHandler() = default;
};

// SendStorage
//
// The native message header and vectors of one send in flight, kept by the
// caller until its completion (the kernel reads them when it gets to the
// send). Opaque: the backend lays out its iovec array and msghdr inside.
struct SendStorage {
  static constexpr std::size_t kMaxVectors = 16;
  alignas(16) unsigned char native[kMaxVectors * 16 + 64];
};

// CompletionIo
//
// The operations. Each is queued and submitted with the loop's next wait
// (or `SubmitNow()`); its completions come from `DispatchCompletions()`.
class CompletionIo {
 public:
  virtual ~CompletionIo() = default;
  // Multishot accept on a listening socket: new sockets close-on-exec, and
  // non-blocking if asked.
  virtual void Accept(CompletionHandler* handler, bool nonblocking) = 0;
  // Multishot receive from a stream socket into the loop's buffer ring.
  virtual void Receive(CompletionHandler* handler) = 0;
  // One send (MSG_NOSIGNAL) of `data` (at most SendStorage::kMaxVectors
  // buffers, which stay valid and unchanged until the completion).
  virtual void Send(CompletionHandler* handler,
                    absl::Span<const absl::Span<const char>> data,
                    SendStorage* storage) = 0;
  // Cancels the handler's operation `op`: its last completion follows
  // (-ECANCELED, or its result if it finished first).
  virtual void Cancel(CompletionHandler* handler, CompletionOp op) = 0;
  // Calls `handler->OnSubmit()` before the next submission: a connection
  // written to several times in one iteration starts one send with
  // everything. Ask once per submission (the handler keeps a flag); the
  // handler must stay valid until then.
  virtual void SubmitLater(CompletionHandler* handler) = 0;
  // A handler whose owner is gone waits for its operations' last
  // completions; if the loop is destroyed first, it calls `Abandon()` on
  // each orphan left (and closes any socket accepted for nobody).
  virtual void Orphan(CompletionHandler* handler) = 0;
  virtual void Unorphan(CompletionHandler* handler) = 0;
  // A socket starts or stops using completions (a connection, a
  // listener): counted as the loop's registrations.
  virtual void Attach() = 0;
  virtual void Detach() = 0;
  // How many receives found the buffer ring empty (-ENOBUFS) and were
  // started again: for tests and diagnostics.
  virtual std::uint64_t buffer_exhaustions() const = 0;
  // Hold()
  //
  // Keeps the buffer-ring memory `data` lies in (bytes a receive completion
  // showed, still inside that completion's dispatch) out of the kernel's
  // hands until Release() of the id returned, so that a send can read the
  // bytes in place instead of a copy of them (an echo, a proxy). Returns -1
  // if `data` is not in one buffer of this loop's ring, or if half of the
  // ring's buffers are held already (a peer that does not read must not
  // starve every receive): the caller copies then.
  virtual int Hold(absl::string_view data) = 0;
  virtual void Release(int hold) = 0;
  // Buffers held now, and the ring's size: for tests and diagnostics.
  virtual std::size_t held_buffers() const = 0;
  virtual std::size_t buffer_count() const = 0;
  // Whether the loop is inside an iteration (between its wait and the end
  // of its callbacks, timers and posted tasks), so that what is queued now
  // is surely submitted soon: a write from a callback waits for the
  // iteration's submission; one from outside the loop is sent at once, as
  // on readiness, since the loop may not run again for a while.
  virtual bool InIteration() const = 0;
  // Submits what is queued now and lets the kernel finish what that
  // settles (a cancellation), without waiting: for a close whose effect
  // (the FIN, the reset) must not wait for the next iteration, because the
  // ring holds a reference to the socket while an operation is on it.
  virtual void SubmitNow() = 0;
};

// IoUringSupport()
//
// OK if an io_uring poller can be made here; else why not (a kernel
// without io_uring or before 6.1, the kernel.io_uring_disabled sysctl, a
// seccomp filter, a failed feature probe), kUnimplemented with the reason.
// Probed once, then cached.
absl::Status IoUringSupport();

// PollerBackends()
//
// The poller backends compiled in for this OS, the default first.
std::vector<EventLoopBackend> PollerBackends();

// NewPoller()
//
// A poller of `backend` (never kDefault: core/ resolves it).
//
// Errors: kInvalidArgument for a backend not in PollerBackends(); the OS's
// error creating it.
absl::StatusOr<std::unique_ptr<Poller>> NewPoller(EventLoopBackend backend);

// --- Messages with control data (message_*.cc; brief C, issue 15) ----------
//
// sendmsg/recvmsg and their control data (net/message.h). core/message.cc
// has checked the socket is open, the buffer and descriptor counts, and
// that no control data goes to a stream socket.

// EnableReceive()
//
// Sets (or clears) the options that make the OS deliver `set` on a socket
// of `family` and `type`; on an IPv6 socket with IPV6_V6ONLY off, the IPv4
// ones too. kUnimplemented for an item this OS lacks.
absl::Status EnableReceive(Handle handle, AddressFamily family,
                           ControlSet set, bool on);

// SendMessage(), ReceiveMessage()
//
// One sendmsg / WSASendMsg, one recvmsg / WSARecvMsg; `family` is the
// socket's (it picks the level of the items). ReceiveMessage fills
// in `message` (bytes, from, control, truncation flags); descriptors that
// arrived are close-on-exec and owned by `message->control` whatever else
// happens. Would-block is IoResult::WouldBlock().
absl::StatusOr<IoResult> SendMessage(Handle handle, AddressFamily family,
                                     const OutgoingMessage& message,
                                     MessageFlags flags);
absl::StatusOr<IoResult> ReceiveMessage(Handle handle, IncomingMessage* message,
                                        MessageFlags flags);

// SendMessages(), ReceiveMessages()
//
// sendmmsg / recvmmsg (MSG_WAITFORONE) where the OS has them, else a loop
// of the single calls; the count done, stopping at would-block; an error
// only when the first message fails.
absl::StatusOr<std::size_t> SendMessages(
    Handle handle, AddressFamily family,
    absl::Span<const OutgoingMessage> messages, MessageFlags flags);
absl::StatusOr<std::size_t> ReceiveMessages(
    Handle handle, absl::Span<IncomingMessage> messages, MessageFlags flags);

// ControlSpace()
//
// The control room receiving `set` and `descriptors` descriptors takes.
std::size_t ControlSpace(ControlSet set, std::size_t descriptors);

// DecodeControl()
//
// Decodes a native control buffer of `length` bytes (the length the receive
// call returned) into `out`, the descriptors into `descriptors` as raw
// numbers (the caller takes ownership; the decoder opens, closes and
// changes nothing). Bounds-checked: an item whose length runs past the
// buffer ends the walk, values are copied out, never read in place, unknown
// items are counted and skipped. Never fails; the fuzz target
// tests/fuzz/control_data_fuzz.cc feeds it arbitrary bytes.
void DecodeControl(const void* control, std::size_t length,
                   ReceivedControl* out, std::vector<Handle>* descriptors);

// CloseDescriptor()
//
// Closes a descriptor received by ReceiveMessage (close(2): it may be any
// kind of file). Errors ignored.
void CloseDescriptor(Handle handle);

// --- End of messages with control data ----------------------------------------

// --- Peer credentials and socket activation (credentials_*.cc,
//     activation_*.cc; brief D, issue 15, docs/messages.md) ------------------

// PeerCredentials()
//
// The credentials of the peer of a connected unix-domain stream or seqpacket
// socket (core/ has checked the family, the type and that it is not
// listening). A field the OS does not give stays absent. kNotConnected for a
// socket without a peer (Linux answers SO_PEERCRED there with pid 0 and
// uid -1 instead of an error: the backend turns that into ENOTCONN).
absl::StatusOr<net::PeerCredentials> PeerCredentials(Handle handle);

// ActivationEnvironment
//
// What systemd's socket activation protocol hands a process
// (sd_listen_fds(3)): the three variables as they were (absent when unset)
// and this process's id to compare LISTEN_PID with. core/activation.cc
// parses them.
struct ActivationEnvironment {
  bool supported = false;  // false: this OS has no such protocol (Windows)
  std::int64_t pid = 0;    // getpid()
  absl::optional<std::string> listen_pid;
  absl::optional<std::string> listen_fds;
  absl::optional<std::string> listen_fdnames;
};

// ReadActivationEnvironment()
//
// Reads LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES and, if `unset`, removes
// them from the environment (unsetenv: not safe against other threads
// reading the environment at the same time, as in libsystemd).
ActivationEnvironment ReadActivationEnvironment(bool unset);

// CheckInheritedSocket()
//
// OK if descriptor `handle` (3 and up for systemd, 0 for inetd) is open and
// is a socket (fstat, S_ISSOCK); else kInvalidArgument naming the descriptor
// ("descriptor 3 is not a socket (a fifo)", "descriptor 5 is not open").
// kUnimplemented on Windows, where descriptors are not sockets.
absl::Status CheckInheritedSocket(Handle handle);

// --- End of peer credentials and socket activation ---------------------------

}  // namespace net::sys

#endif  // NET_PLATFORM_SYS_H_
