// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/windows/options_internal_windows.h
// -----------------------------------------------------------------------------
//
// What the option files of the Winsock backend share: options_windows.cc
// (the table, plain values, keepalive, dispatch), options_ip_windows.cc
// (addresses and group requests), options_sctp_windows.cc (no SCTP) and
// features_windows.cc. The POSIX twin is
// platform/posix/options_internal_posix.h.

#ifndef NET_PLATFORM_WINDOWS_OPTIONS_INTERNAL_WINDOWS_H_
#define NET_PLATFORM_WINDOWS_OPTIONS_INTERNAL_WINDOWS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "net/options.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"

namespace net::sys::windows {

// SetRaw(), GetRaw()
//
// setsockopt / getsockopt with WSAGetLastError() turned into a status naming
// the option ("setsockopt IP_TTL 300: invalid argument [WSAEINVAL 10022]").
absl::Status SetRaw(Handle handle, int level, int name, const void* data,
                    int length, OptionId id, const OptionValue& value);
absl::Status GetRaw(Handle handle, int level, int name, void* data, int* length,
                    OptionId id);

// NotOnWindows()
//
// kUnimplemented "<option> is not available on Windows" (portable error
// kOptionNotSupported), with `why` appended when given.
absl::Status NotOnWindows(OptionId id, absl::string_view why = {});

// ProbeOption()
//
// Whether this Windows (or wine) implements an option its headers name: the
// answer depends on the Windows version (TCP_FASTOPEN, TCP_MAXRT,
// IPV6_TCLASS ...) and wine lacks some, so it is asked once per option of a
// fresh socket of `family` and `type` (features_windows.cc):
//
//   kGet        getsockopt;
//   kGetSticky  set a BOOL to 1 and read it back: an option that is accepted
//               but not kept is a silent no-op, reported as missing;
//   kSetZeroed  setsockopt with an all-zero request of `size` bytes (group
//               joins): only WSAENOPROTOOPT means "missing".
//
// kUnimplemented when WSAENOPROTOOPT (or a BOOL that does not stick) says
// the option is missing; OK otherwise, also when the probe socket cannot be
// made (the real call then reports what is wrong).
enum class ProbeKind { kGet, kGetSticky, kSetZeroed };
struct ProbeSpec {
  int family;
  int type;
  int level;
  int name;
  ProbeKind kind;
  int size;
};
absl::Status ProbeOption(OptionId id, const ProbeSpec& spec);

// The IP options with struct values (options_ip_windows.cc): the ids
// bsd::IsIpOption() (platform/bsd/options_bsd.h) accepts.
absl::Status IpOptionSupport(OptionId id);
absl::Status SetIpOption(Handle handle, OptionId id, const OptionValue& value);
absl::StatusOr<OptionValue> GetIpOption(Handle handle, OptionId id);
absl::string_view IpNativeName(OptionId id);  // "" for the table's name

// SCTP (options_sctp_windows.cc): always "not available".
absl::Status SctpSupport(absl::string_view what);

}  // namespace net::sys::windows

#endif  // NET_PLATFORM_WINDOWS_OPTIONS_INTERNAL_WINDOWS_H_
