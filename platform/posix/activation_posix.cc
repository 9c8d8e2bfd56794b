// Copyright 2026 The net Authors.
//
// Socket activation on POSIX: the environment systemd sets (LISTEN_PID,
// LISTEN_FDS, LISTEN_FDNAMES) and the check that an inherited descriptor is
// a socket. core/activation.cc parses and decides; the Windows twin,
// activation_windows.cc, reports that the protocol does not exist there.

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

namespace net::sys {
namespace {

absl::optional<std::string> Variable(const char* name) {
  const char* value = getenv(name);
  if (value == nullptr) return absl::nullopt;
  return std::string(value);
}

// What kind of file a descriptor that is not a socket is, for the message.
const char* FileKind(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a pipe or fifo";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "another kind of file";
}

}  // namespace

ActivationEnvironment ReadActivationEnvironment(bool unset) {
  ActivationEnvironment env;
  env.supported = true;
  env.pid = static_cast<std::int64_t>(getpid());
  env.listen_pid = Variable("LISTEN_PID");
  env.listen_fds = Variable("LISTEN_FDS");
  env.listen_fdnames = Variable("LISTEN_FDNAMES");
  if (unset) {
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
  }
  return env;
}

absl::Status CheckInheritedSocket(Handle handle) {
  const int fd = posix::Fd(handle);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    if (errno == EBADF) {
      return absl::InvalidArgumentError(
          absl::StrCat("descriptor ", fd, " is not open"));
    }
    return posix::Fail("fstat", absl::StrCat("descriptor ", fd));
  }
  if (!S_ISSOCK(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "descriptor ", fd, " is not a socket (", FileKind(st.st_mode), ")"));
  }
  return absl::OkStatus();
}

}  // namespace net::sys
