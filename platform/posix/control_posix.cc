// Copyright 2026 The net Authors.
//
// Control operations on POSIX: the fcntl/ioctl table (O_NONBLOCK, O_ASYNC,
// F_SETOWN/F_GETOWN, FIONREAD, sockatmark, FD_CLOEXEC). The Windows twin is
// control_windows.cc.

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <climits>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "platform/fault.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

namespace net::sys {
namespace {

using posix::Fail;
using posix::Fd;

// Sets or clears `flag` in the F_GETFL/F_SETFL (or F_GETFD/F_SETFD) word.
absl::Status UpdateFlag(Handle handle, int get, int set, int flag, bool on,
                        absl::string_view name) {
  int flags = NET_FAULT(kControl, handle, -1, fcntl(Fd(handle), get));
  if (flags < 0) return Fail(absl::StrCat("fcntl get ", name));
  int updated = on ? (flags | flag) : (flags & ~flag);
  if (updated != flags &&
      NET_FAULT(kControl, handle, -1, fcntl(Fd(handle), set, updated)) != 0) {
    return Fail(absl::StrCat("fcntl set ", name));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> TestFlag(Handle handle, int get, int flag,
                              absl::string_view name) {
  int flags = NET_FAULT(kControl, handle, -1, fcntl(Fd(handle), get));
  if (flags < 0) return Fail(absl::StrCat("fcntl get ", name));
  return (flags & flag) != 0;
}

}  // namespace

absl::Status SetNonBlocking(Handle handle, bool on) {
  return UpdateFlag(handle, F_GETFL, F_SETFL, O_NONBLOCK, on, "O_NONBLOCK");
}

absl::StatusOr<bool> GetNonBlocking(Handle handle) {
  return TestFlag(handle, F_GETFL, O_NONBLOCK, "O_NONBLOCK");
}

absl::Status SetAsync(Handle handle, bool on) {
  return UpdateFlag(handle, F_GETFL, F_SETFL, O_ASYNC, on, "O_ASYNC");
}

absl::StatusOr<bool> GetAsync(Handle handle) {
  return TestFlag(handle, F_GETFL, O_ASYNC, "O_ASYNC");
}

absl::Status SetOwner(Handle handle, std::int64_t owner) {
  if (owner < INT_MIN || owner > INT_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat("set owner: ", owner, " is not a process id"));
  }
  if (NET_FAULT(kControl, handle, -1,
                fcntl(Fd(handle), F_SETOWN, static_cast<int>(owner))) != 0) {
    return Fail("fcntl F_SETOWN", absl::StrCat(owner));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::int64_t> GetOwner(Handle handle) {
  // F_GETOWN cannot tell an error from a negative process group on old
  // kernels; clear errno to tell them apart.
  errno = 0;
  int owner = NET_FAULT(kControl, handle, -1, fcntl(Fd(handle), F_GETOWN));
  if (owner == -1 && errno != 0) return Fail("fcntl F_GETOWN");
  return owner;
}

absl::StatusOr<std::size_t> BytesAvailable(Handle handle) {
  int available = 0;
  if (NET_FAULT(kControl, handle, -1, ioctl(Fd(handle), FIONREAD, &available)) !=
      0) {
    return Fail("ioctl FIONREAD");
  }
  return static_cast<std::size_t>(available < 0 ? 0 : available);
}

absl::StatusOr<bool> AtOutOfBandMark(Handle handle) {
  int rc = NET_FAULT(kControl, handle, -1, sockatmark(Fd(handle)));
  if (rc < 0) return Fail("sockatmark");
  return rc == 1;
}

absl::Status SetCloseOnExec(Handle handle, bool on) {
  return UpdateFlag(handle, F_GETFD, F_SETFD, FD_CLOEXEC, on, "FD_CLOEXEC");
}

absl::StatusOr<bool> GetCloseOnExec(Handle handle) {
  return TestFlag(handle, F_GETFD, FD_CLOEXEC, "FD_CLOEXEC");
}

}  // namespace net::sys
