// Copyright 2026 The net Authors.
//
// IOCP-light: readiness through a completion port, the default Windows
// backend. Its POSIX twin is poller_epoll_posix.cc.
//
// Windows has no epoll, but its socket driver (AFD) answers a poll request,
// IOCTL_AFD_POLL, asynchronously, and the answer can be delivered through a
// completion port. wepoll, mio and libuv drive readiness this way; it scales
// like epoll (no O(n) scan per wait) and works under wine 8
// (shared/WINDOWS.md). The scheme:
//
//   * One handle to the AFD device (\Device\Afd\Net), associated with the
//     port. Each watched socket has one outstanding poll request on it, for
//     the socket's base handle (SIO_BASE_HANDLE: past any layered provider).
//   * A completed request reports the events seen, and the socket's poll is
//     re-armed at the start of the next Wait(): if the callback did not
//     drain the socket, the new request completes at once. That gives
//     level-triggered readiness, as every net backend has.
//   * Changing interest cancels the outstanding request (NtCancelIoFileEx)
//     and re-arms with the new mask when the cancellation completes. A
//     removed socket's state lives until its request's completion arrives
//     (the kernel writes into it until then).
//   * Wake() posts a completion with a reserved key.
//
// The undocumented AFD structures are the ones wepoll and mio use; they have
// been stable since Windows Vista.

#include <winternl.h>

#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/fault.h"
#include "platform/windows/poller_windows.h"
#include "platform/windows/winsock_internal.h"

namespace net::sys::windows {
namespace {

constexpr ULONG kIoctlAfdPoll = 0x00012024;
constexpr ULONG kAfdPollReceive = 0x0001;
constexpr ULONG kAfdPollReceiveExpedited = 0x0002;
constexpr ULONG kAfdPollSend = 0x0004;
constexpr ULONG kAfdPollDisconnect = 0x0008;
constexpr ULONG kAfdPollAbort = 0x0010;
constexpr ULONG kAfdPollLocalClose = 0x0020;
constexpr ULONG kAfdPollAccept = 0x0080;
constexpr ULONG kAfdPollConnectFail = 0x0100;
constexpr NTSTATUS kStatusPending = 0x00000103L;
constexpr NTSTATUS kStatusCancelled = static_cast<NTSTATUS>(0xC0000120L);
constexpr NTSTATUS kStatusInvalidHandle = static_cast<NTSTATUS>(0xC0000008L);
// What the fault hook makes a refused AFD request return.
constexpr NTSTATUS kStatusInsufficientResources =
    static_cast<NTSTATUS>(0xC000009AL);
constexpr ULONG_PTR kWakeKey = 1;
constexpr ULONG_PTR kAfdKey = 2;

struct AfdPollHandleInfo {
  HANDLE handle;
  ULONG events;
  NTSTATUS status;
};
struct AfdPollInfo {
  LARGE_INTEGER timeout;
  ULONG number_of_handles;
  ULONG exclusive;
  AfdPollHandleInfo handles[1];
};

using NtCreateFileFn = NTSTATUS(NTAPI*)(PHANDLE, ACCESS_MASK,
                                        POBJECT_ATTRIBUTES, PIO_STATUS_BLOCK,
                                        PLARGE_INTEGER, ULONG, ULONG, ULONG,
                                        ULONG, PVOID, ULONG);
using NtDeviceIoControlFileFn = NTSTATUS(NTAPI*)(HANDLE, HANDLE, PVOID, PVOID,
                                                 PIO_STATUS_BLOCK, ULONG, PVOID,
                                                 ULONG, PVOID, ULONG);
using NtCancelIoFileExFn = NTSTATUS(NTAPI*)(HANDLE, PIO_STATUS_BLOCK,
                                            PIO_STATUS_BLOCK);

// The three ntdll entry points, looked up once (ntdll is always loaded;
// NtCancelIoFileEx has no import library entry in every SDK).
struct Ntdll {
  NtCreateFileFn create_file = nullptr;
  NtDeviceIoControlFileFn device_io_control_file = nullptr;
  NtCancelIoFileExFn cancel_io_file_ex = nullptr;
};

const Ntdll* LoadNtdll() {
  static const Ntdll* ntdll = [] {
    HMODULE module = GetModuleHandleW(L"ntdll.dll");
    if (module == nullptr) return static_cast<Ntdll*>(nullptr);
    auto* out = new Ntdll;
    out->create_file = reinterpret_cast<NtCreateFileFn>(
        reinterpret_cast<void*>(GetProcAddress(module, "NtCreateFile")));
    out->device_io_control_file = reinterpret_cast<NtDeviceIoControlFileFn>(
        reinterpret_cast<void*>(GetProcAddress(module, "NtDeviceIoControlFile")));
    out->cancel_io_file_ex = reinterpret_cast<NtCancelIoFileExFn>(
        reinterpret_cast<void*>(GetProcAddress(module, "NtCancelIoFileEx")));
    if (out->create_file == nullptr || out->device_io_control_file == nullptr ||
        out->cancel_io_file_ex == nullptr) {
      delete out;
      return static_cast<Ntdll*>(nullptr);
    }
    return out;
  }();
  return ntdll;
}

ULONG AfdEvents(Interest interest) {
  // A reset (ABORT) and a failed connect (CONNECT_FAIL) are always asked
  // for: they are reported to whoever reads or writes. The peer's FIN
  // (DISCONNECT) only with read interest, as epoll's EPOLLRDHUP: a
  // write-only registration of a half-closed socket would otherwise
  // complete its poll at once on every wait (docs/event-loop.md,
  // "Readiness flags").
  ULONG events = kAfdPollAbort | kAfdPollConnectFail | kAfdPollLocalClose;
  if (Wants(interest, Interest::kReadable)) {
    events |= kAfdPollReceive | kAfdPollReceiveExpedited | kAfdPollAccept |
              kAfdPollDisconnect;
  }
  if (Wants(interest, Interest::kWritable)) events |= kAfdPollSend;
  return events;
}

// One watched socket. `iosb` is what the kernel completes; the completion
// entry's lpOverlapped points at it, and from it back to the state.
struct SocketState {
  IO_STATUS_BLOCK iosb{};
  AfdPollInfo info{};
  Handle handle = kInvalidHandle;
  HANDLE base = nullptr;
  std::uint64_t token = 0;
  Interest interest = Interest::kNone;
  ULONG submitted = 0;    // the events of the outstanding request
  bool pending = false;   // a request is outstanding
  bool removed = false;   // freed when the outstanding request completes
  bool closed = false;    // AFD reported LOCAL_CLOSE: never re-arm
};

class IocpPoller final : public Poller {
 public:
  IocpPoller(const Ntdll* ntdll, HANDLE port, HANDLE afd)
      : ntdll_(ntdll), port_(port), afd_(afd), entries_(256) {}

  // Every outstanding request writes its IO_STATUS_BLOCK (in the state)
  // when it completes, cancelled or not, and that may happen after
  // NtCancelIoFileEx or CloseHandle return (it does under wine): the states
  // are freed only once their completions were dequeued, as wepoll's
  // port_close does. Bounded, should a completion never come.
  ~IocpPoller() override {
    for (auto& [handle, state] : states_) {
      if (!state->pending) continue;
      state->removed = true;
      Cancel(*state);
      SocketState* raw = state.get();
      removed_.emplace(raw, std::move(state));
    }
    const absl::Time deadline = absl::Now() + absl::Seconds(2);
    std::vector<PollEvent> ignored;
    while (!removed_.empty() && absl::Now() < deadline) {
      ULONG count = 0;
      if (!GetQueuedCompletionStatusEx(port_, entries_.data(),
                                       static_cast<ULONG>(entries_.size()),
                                       &count, 50, FALSE)) {
        if (GetLastError() == WAIT_TIMEOUT) continue;
        break;
      }
      for (ULONG i = 0; i < count; ++i) {
        const OVERLAPPED_ENTRY& entry = entries_[i];
        if (entry.lpCompletionKey == kWakeKey) continue;
        Complete(reinterpret_cast<SocketState*>(entry.lpOverlapped), &ignored);
      }
    }
    CloseHandle(afd_);  // cancels anything left
    CloseHandle(port_);
    if (!removed_.empty()) {
      // A request that never completed: its memory may still be written to,
      // so it is leaked rather than freed.
      for (auto& [raw, state] : removed_) state.release();
    }
  }

  absl::Status Add(Handle handle, std::uint64_t token,
                   Interest interest) override {
    if (states_.contains(handle)) {
      return absl::AlreadyExistsError(
          absl::StrCat("iocp: handle ", handle, " is already registered"));
    }
    HANDLE base = nullptr;
    DWORD bytes = 0;
    if (NET_FAULT(kPollerControl, handle, SOCKET_ERROR,
                  WSAIoctl(Sock(handle), SIO_BASE_HANDLE, nullptr, 0, &base,
                           sizeof(base), &bytes, nullptr, nullptr)) != 0) {
      return Fail("WSAIoctl SIO_BASE_HANDLE");
    }
    auto state = std::make_unique<SocketState>();
    state->handle = handle;
    state->base = base;
    state->token = token;
    state->interest = interest;
    dirty_.insert(state.get());
    states_.emplace(handle, std::move(state));
    return absl::OkStatus();
  }

  absl::Status Modify(Handle handle, std::uint64_t token,
                      Interest interest) override {
    auto it = states_.find(handle);
    if (it == states_.end()) {
      return absl::NotFoundError(
          absl::StrCat("iocp: handle ", handle, " is not registered"));
    }
    it->second->token = token;
    it->second->interest = interest;
    dirty_.insert(it->second.get());
    return absl::OkStatus();
  }

  absl::Status Remove(Handle handle) override {
    auto it = states_.find(handle);
    if (it == states_.end()) return absl::OkStatus();
    std::unique_ptr<SocketState> state = std::move(it->second);
    states_.erase(it);
    dirty_.erase(state.get());
    if (state->pending) {
      state->removed = true;
      Cancel(*state);
      SocketState* raw = state.get();
      removed_.emplace(raw, std::move(state));
    }
    return absl::OkStatus();
  }

  absl::Status Wait(absl::Duration timeout,
                    std::vector<PollEvent>* events) override {
    const std::size_t refused = ArmDirty(events);
    ULONG count = 0;
    // A refused request is an event already: do not block on top of it.
    const int ms = refused > 0 ? 0 : bsd::TimeoutMilliseconds(timeout);
    if (!NET_FAULT(kPollerWait, kInvalidHandle, FALSE,
                   GetQueuedCompletionStatusEx(
                       port_, entries_.data(),
                       static_cast<ULONG>(entries_.size()), &count,
                       ms < 0 ? INFINITE : static_cast<DWORD>(ms), FALSE))) {
      const DWORD error = GetLastError();
      if (error == WAIT_TIMEOUT) return absl::OkStatus();
      return internal::SystemError("GetQueuedCompletionStatusEx", "",
                                   static_cast<int>(error));
    }
    for (ULONG i = 0; i < count; ++i) {
      const OVERLAPPED_ENTRY& entry = entries_[i];
      if (entry.lpCompletionKey == kWakeKey) continue;
      Complete(reinterpret_cast<SocketState*>(entry.lpOverlapped), events);
    }
    return absl::OkStatus();
  }

  void Wake() override { PostQueuedCompletionStatus(port_, 0, kWakeKey, nullptr); }

 private:
  void Cancel(SocketState& state) {
    IO_STATUS_BLOCK cancel{};
    ntdll_->cancel_io_file_ex(afd_, &state.iosb, &cancel);
  }

  // Submits or replaces the poll request of every state whose interest
  // changed or whose last request completed. A request AFD refuses for a
  // live socket (out of memory, say) is reported at once as an error event
  // for its watch, and submitted again on the next Wait(): epoll reports
  // the same failure from epoll_ctl, here it is only known now. A handle
  // closed under us (STATUS_INVALID_HANDLE) has nothing to report. Returns
  // how many were refused.
  std::size_t ArmDirty(std::vector<PollEvent>* events) {
    std::vector<SocketState*> refused;
    for (SocketState* state : dirty_) {
      const ULONG wanted = AfdEvents(state->interest);
      if (state->closed) continue;
      if (state->pending) {
        if (state->submitted != wanted) Cancel(*state);  // re-armed on completion
        continue;
      }
      state->info.timeout.QuadPart = INT64_MAX;
      state->info.number_of_handles = 1;
      state->info.exclusive = FALSE;
      state->info.handles[0] = {state->base, wanted, 0};
      state->iosb.Status = kStatusPending;
      NTSTATUS rc = NET_FAULT(
          kPollerControl, state->handle, kStatusInsufficientResources,
          ntdll_->device_io_control_file(
              afd_, nullptr, nullptr, &state->iosb, &state->iosb,
              kIoctlAfdPoll, &state->info, sizeof(state->info), &state->info,
              sizeof(state->info)));
      if (rc == kStatusPending || rc == 0) {
        state->pending = true;  // a completion will arrive either way
        state->submitted = wanted;
      } else if (rc == kStatusInvalidHandle) {
        state->closed = true;  // the socket was closed under us
      } else {
        PollEvent out;
        out.token = state->token;
        out.readiness.error = out.readiness.readable = out.readiness.writable =
            true;
        events->push_back(out);
        refused.push_back(state);
      }
    }
    dirty_.clear();
    for (SocketState* state : refused) dirty_.insert(state);
    return refused.size();
  }

  void Complete(SocketState* state, std::vector<PollEvent>* events) {
    state->pending = false;
    if (state->removed) {
      removed_.erase(state);
      return;
    }
    dirty_.insert(state);  // re-arm next Wait: level-triggered
    if (state->iosb.Status == kStatusCancelled) return;
    if (state->iosb.Status < 0 || state->info.number_of_handles < 1) {
      PollEvent out;
      out.token = state->token;
      out.readiness.error = out.readiness.readable = out.readiness.writable = true;
      events->push_back(out);
      return;
    }
    const ULONG e = state->info.handles[0].events;
    if ((e & kAfdPollLocalClose) != 0) {
      state->closed = true;  // closed without Remove(): nothing to report
      return;
    }
    PollEvent out;
    out.token = state->token;
    // A reset or a failed connect is an error and the end of the
    // connection; a FIN only the end (wine 8 reports ABORT alone for a
    // reset, CONNECT_FAIL alone for a failed connect, DISCONNECT for a FIN).
    out.readiness.error = (e & (kAfdPollAbort | kAfdPollConnectFail)) != 0;
    out.readiness.hangup = out.readiness.error || (e & kAfdPollDisconnect) != 0;
    const bool fault = out.readiness.error || out.readiness.hangup;
    out.readiness.readable =
        (e & (kAfdPollReceive | kAfdPollReceiveExpedited | kAfdPollAccept)) != 0 ||
        fault;
    out.readiness.writable = (e & kAfdPollSend) != 0 || out.readiness.error;
    if (out.readiness.readable || out.readiness.writable) events->push_back(out);
  }

  const Ntdll* ntdll_;
  const HANDLE port_;
  const HANDLE afd_;
  std::vector<OVERLAPPED_ENTRY> entries_;
  absl::flat_hash_map<Handle, std::unique_ptr<SocketState>> states_;
  absl::flat_hash_map<SocketState*, std::unique_ptr<SocketState>> removed_;
  absl::flat_hash_set<SocketState*> dirty_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> NewIocpPoller() {
  const Ntdll* ntdll = LoadNtdll();
  if (ntdll == nullptr) {
    return absl::UnimplementedError(
        "iocp: ntdll has no NtCreateFile/NtDeviceIoControlFile/"
        "NtCancelIoFileEx; use the wsapoll backend");
  }
  HANDLE port = NET_FAULT(
      kPollerCreate, kInvalidHandle, nullptr,
      CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1));
  if (port == nullptr) {
    return internal::SystemError("CreateIoCompletionPort", "",
                                 static_cast<int>(GetLastError()));
  }
  wchar_t name[] = L"\\Device\\Afd\\Net";
  UNICODE_STRING path{static_cast<USHORT>(sizeof(name) - sizeof(wchar_t)),
                      static_cast<USHORT>(sizeof(name)), name};
  OBJECT_ATTRIBUTES attributes{};
  InitializeObjectAttributes(&attributes, &path, 0, nullptr, nullptr);
  HANDLE afd = nullptr;
  IO_STATUS_BLOCK iosb{};
  NTSTATUS rc = ntdll->create_file(&afd, SYNCHRONIZE, &attributes, &iosb,
                                   nullptr, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                   FILE_OPEN, 0, nullptr, 0);
  if (rc != 0) {
    CloseHandle(port);
    return absl::UnavailableError(absl::StrCat(
        "iocp: cannot open the AFD device (NTSTATUS 0x",
        absl::Hex(static_cast<unsigned long>(rc)), "); use the wsapoll backend"));
  }
  if (CreateIoCompletionPort(afd, port, kAfdKey, 0) == nullptr ||
      !SetFileCompletionNotificationModes(afd, FILE_SKIP_SET_EVENT_ON_HANDLE)) {
    const int error = static_cast<int>(GetLastError());
    CloseHandle(afd);
    CloseHandle(port);
    return internal::SystemError("CreateIoCompletionPort (afd)", "", error);
  }
  return std::unique_ptr<Poller>(new IocpPoller(ntdll, port, afd));
}

}  // namespace net::sys::windows
