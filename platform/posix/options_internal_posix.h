// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/posix/options_internal_posix.h
// -----------------------------------------------------------------------------
//
// What the three option files of the POSIX backend share:
// options_posix.cc (the id -> level/name table, the plain values, dispatch,
// capability answers), options_ip_posix.cc (addresses, groups, ICMPv6
// filter, path MTU) and options_sctp_posix.cc (SCTP). The Windows twin is
// platform/windows/options_internal_windows.h.

#ifndef NET_PLATFORM_POSIX_OPTIONS_INTERNAL_POSIX_H_
#define NET_PLATFORM_POSIX_OPTIONS_INTERNAL_POSIX_H_

#include <sys/socket.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "net/options.h"
#include "platform/sys.h"

namespace net::sys::posix {

// SetRaw(), GetRaw()
//
// setsockopt / getsockopt with the failure turned into a status naming the
// option ("setsockopt IP_TTL 300: invalid argument [EINVAL 22 ...]").
// `value` is what core/ was asked to set, for the message.
absl::Status SetRaw(Handle handle, int level, int name, const void* data,
                    socklen_t length, OptionId id, const OptionValue& value);
absl::Status GetRaw(Handle handle, int level, int name, void* data,
                    socklen_t* length, OptionId id);

// PlatformName()
//
// "Linux", "macOS", "FreeBSD" ...: for "... is not available on <platform>".
absl::string_view PlatformName();

// The IP options with struct values (options_ip_posix.cc): the ids
// bsd::IsIpOption() (platform/bsd/options_bsd.h) accepts. `IpOptionSupport`
// is OK, or the reason the option is missing here.
absl::Status IpOptionSupport(OptionId id);
absl::Status SetIpOption(Handle handle, OptionId id, const OptionValue& value);
absl::StatusOr<OptionValue> GetIpOption(Handle handle, OptionId id);

// The SCTP options (options_sctp_posix.cc). `SctpSupport` is OK when the
// headers and the running kernel have SCTP (the kernel is probed once);
// else kUnimplemented / kProtocolNotSupported, the message prefixed with
// `what` (an option name) unless empty.
absl::Status SctpSupport(absl::string_view what);
absl::string_view SctpNativeName(OptionId id);  // "" for the table's name
absl::Status SetSctpOption(Handle handle, OptionId id,
                           const OptionValue& value);
absl::StatusOr<OptionValue> GetSctpOption(Handle handle, OptionId id,
                                          const OptionValue& query);

}  // namespace net::sys::posix

#endif  // NET_PLATFORM_POSIX_OPTIONS_INTERNAL_POSIX_H_
