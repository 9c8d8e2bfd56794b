// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/options_internal.h
// -----------------------------------------------------------------------------
//
// What the option code of core/ and of the backends shares: unit
// conversions with the rounding every backend applies (always up, so a
// timeout is never shorter than asked), and the statuses for an option or a
// protocol this OS lacks.

#ifndef NET_CORE_OPTIONS_INTERNAL_H_
#define NET_CORE_OPTIONS_INTERNAL_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/errors_internal.h"
#include "net/error.h"
#include "net/option_ids.h"

namespace net::internal {

// CeilSeconds(), CeilMilliseconds(), CeilMicroseconds()
//
// A non-negative finite duration in whole units, rounded up: 1.2 s is 2
// seconds, 1 us is 1 millisecond. core/ has rejected negative and infinite
// values where the option does not allow them.
inline std::int64_t CeilUnits(absl::Duration d, absl::Duration unit) {
  const std::int64_t whole = absl::IDivDuration(d, unit, &d);
  return d > absl::ZeroDuration() ? whole + 1 : whole;
}
inline std::int64_t CeilSeconds(absl::Duration d) {
  return CeilUnits(d, absl::Seconds(1));
}
inline std::int64_t CeilMilliseconds(absl::Duration d) {
  return CeilUnits(d, absl::Milliseconds(1));
}
inline std::int64_t CeilMicroseconds(absl::Duration d) {
  return CeilUnits(d, absl::Microseconds(1));
}

// OptionName()
//
// The option's native name here ("SO_RCVBUF"), for messages.
inline absl::string_view OptionName(OptionId id) {
  const OptionInfo* info = FindOption(id);
  return info != nullptr ? info->name : absl::string_view("unknown option");
}

// IsSctpOption()
//
// True for the IPPROTO_SCTP options: their ids are the last, contiguous
// block of `OptionId` (core/options.cc checks it at compile time). Usable
// while the option table is being built.
constexpr bool IsSctpOption(OptionId id) {
  return id >= OptionId::kSctpAdaptationLayer && id <= OptionId::kSctpStatus;
}

// NotAvailable()
//
// kUnimplemented "<what>: option not supported" with the portable error
// kOptionNotSupported, e.g. NotAvailable("SO_REUSEPORT is not available on
// Windows").
inline absl::Status NotAvailable(absl::string_view what) {
  return PortableError(what, "", SocketError::kOptionNotSupported);
}

// ProtocolNotAvailable()
//
// The same with kProtocolNotSupported: the option's whole protocol is
// missing (SCTP without kernel support).
inline absl::Status ProtocolNotAvailable(absl::string_view what) {
  return PortableError(what, "", SocketError::kProtocolNotSupported);
}

}  // namespace net::internal

#endif  // NET_CORE_OPTIONS_INTERNAL_H_
