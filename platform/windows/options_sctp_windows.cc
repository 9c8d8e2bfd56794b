// Copyright 2026 The net Authors.
//
// SCTP on Windows: there is no SCTP stack in Windows (third-party drivers
// aside), so every IPPROTO_SCTP option and Feature::kSctp are "protocol not
// supported". The POSIX twin, options_sctp_posix.cc, has the real thing.

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/options_internal.h"
#include "platform/windows/options_internal_windows.h"

namespace net::sys::windows {

absl::Status SctpSupport(absl::string_view what) {
  constexpr absl::string_view kReason = "SCTP is not available on Windows";
  return internal::ProtocolNotAvailable(
      what.empty() ? std::string(kReason) : absl::StrCat(what, ": ", kReason));
}

}  // namespace net::sys::windows
