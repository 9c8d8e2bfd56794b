// Copyright 2026 The net Authors.
//
// Socket activation (net/activation.h): systemd's LISTEN_PID / LISTEN_FDS /
// LISTEN_FDNAMES protocol, parsed here as libsystemd's sd_listen_fds(3) and
// sd_listen_fds_with_names(3) do, and inetd's descriptor 0. The environment
// and the descriptor checks are the backend's (activation_*.cc through
// platform/sys.h); this file decides what they mean.

#include "net/activation.h"

#include <climits>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "net/status_macros.h"
#include "platform/sys.h"

namespace net {
namespace {

// The longest text shown of a bad value: the environment is not ours, and
// a message is no place for a megabyte of it.
constexpr std::size_t kMaxQuoted = 40;

std::string Quote(absl::string_view text) {
  if (text.size() <= kMaxQuoted) return absl::StrCat("\"", text, "\"");
  return absl::StrCat("\"", text.substr(0, kMaxQuoted), "\"... (",
                      text.size(), " bytes)");
}

// ParseCount()
//
// `text` as a whole decimal number from `min` to `max`: digits only (no
// sign, no space, no base prefix; libsystemd's safe_atoi() would take a
// leading space or '+', but a manager never writes one and accepting less
// is safer), without overflow.
absl::StatusOr<std::int64_t> ParseCount(absl::string_view variable,
                                        absl::string_view text,
                                        absl::string_view what,
                                        std::int64_t min, std::int64_t max) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "socket activation: ", variable, "=", Quote(text), " is not ", what,
        " (a whole decimal number from ", min, " to ", max, ")"));
  };
  if (text.empty()) return bad();
  std::int64_t value = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return bad();
    const int digit = c - '0';
    if (value > (max - digit) / 10) return bad();  // overflow, or above max
    value = value * 10 + digit;
  }
  if (value < min) return bad();
  return value;
}

}  // namespace

absl::StatusOr<std::vector<ActivatedSocket>> ListenFds(bool unset_environment) {
  std::vector<ActivatedSocket> sockets;
  const sys::ActivationEnvironment env =
      sys::ReadActivationEnvironment(unset_environment);
  if (!env.supported || !env.listen_pid.has_value()) return sockets;

  NET_ASSIGN_OR_RETURN(
      const std::int64_t pid,
      ParseCount("LISTEN_PID", *env.listen_pid, "a process id", 1, INT_MAX));
  // Variables for another process (inherited through fork or exec): not
  // ours, so nothing was passed to us.
  if (pid != env.pid) return sockets;
  if (!env.listen_fds.has_value()) return sockets;
  NET_ASSIGN_OR_RETURN(
      const std::int64_t count,
      ParseCount("LISTEN_FDS", *env.listen_fds, "a number of descriptors", 1,
                 INT_MAX - kFirstActivatedDescriptor));

  std::vector<std::string> names;
  if (env.listen_fdnames.has_value()) {
    names = absl::StrSplit(*env.listen_fdnames, ':');
    if (names.size() != static_cast<std::size_t>(count)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "socket activation: LISTEN_FDNAMES=", Quote(*env.listen_fdnames),
          " has ", names.size(), " name", names.size() == 1 ? "" : "s",
          " for LISTEN_FDS=", count, " descriptor", count == 1 ? "" : "s"));
    }
  }
  // Without LISTEN_FDNAMES every socket is "unknown" (named one by one
  // below: a huge LISTEN_FDS must not allocate a name per descriptor before
  // the descriptors are checked).

  // Every descriptor is checked before any is touched: on error nothing is
  // adopted, changed or closed.
  const int first = kFirstActivatedDescriptor;
  const int last = first + static_cast<int>(count) - 1;
  for (int fd = first; fd <= last; ++fd) {
    absl::Status socket = sys::CheckInheritedSocket(static_cast<NativeHandle>(fd));
    if (!socket.ok()) {
      return absl::Status(socket.code(),
                          absl::StrCat("socket activation: LISTEN_FDS=", count,
                                       ": ", socket.message()));
    }
  }
  sockets.reserve(static_cast<std::size_t>(count));
  for (int fd = first; fd <= last; ++fd) {
    const NativeHandle handle = static_cast<NativeHandle>(fd);
    absl::Status cloexec = sys::SetCloseOnExec(handle, true);
    absl::StatusOr<Socket> socket =
        cloexec.ok() ? Socket::Adopt(handle) : absl::StatusOr<Socket>(cloexec);
    if (!socket.ok()) {
      // Give back what was taken: the caller keeps every descriptor.
      for (ActivatedSocket& taken : sockets) taken.socket.Release();
      return absl::Status(socket.status().code(),
                          absl::StrCat("socket activation: descriptor ", fd,
                                       ": ", socket.status().message()));
    }
    const std::size_t index = static_cast<std::size_t>(fd - first);
    sockets.push_back(ActivatedSocket{
        *std::move(socket),
        names.empty() ? std::string("unknown") : std::move(names[index])});
  }
  return sockets;
}

absl::StatusOr<Socket> InetdSocket() {
  const NativeHandle handle = 0;
  absl::Status socket = sys::CheckInheritedSocket(handle);
  if (!socket.ok()) {
    return absl::Status(
        socket.code(),
        absl::StrCat("inetd socket: ", socket.message(),
                     absl::IsInvalidArgument(socket)
                         ? " (not started by inetd with a socket on "
                           "standard input)"
                         : ""));
  }
  NET_RETURN_IF_ERROR(sys::SetCloseOnExec(handle, true));
  return Socket::Adopt(handle);
}

}  // namespace net
