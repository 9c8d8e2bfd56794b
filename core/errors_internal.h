// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/errors_internal.h
// -----------------------------------------------------------------------------
//
// How statuses are built, in one place. Backends call `SystemError()` and
// `ResolverError()` at their egress point; core/ calls the argument checks
// before any system call.

#ifndef NET_CORE_ERRORS_INTERNAL_H_
#define NET_CORE_ERRORS_INTERNAL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "net/error.h"

namespace net::internal {

// SystemError()
//
// The status for native socket error `native` (errno / WSA code) raised by
// `operation` on `subject` (an address, a name, or empty):
//
//   "<operation> <subject>: <portable name> [<NAME> <code>: <OS words>]"
//
// with the canonical code of the portable error and a payload that
// `GetSocketError()` and `GetNativeError()` read back.
absl::Status SystemError(absl::string_view operation, absl::string_view subject,
                         int native);

// SystemErrorAs()
//
// As `SystemError()`, for a native code that means something else in its
// context than its table row says (a WSAEACCES from `bind` on a port
// another socket holds exclusively is kAddressInUse; an EPIPE from a send on
// a socket that never connected is kNotConnected): the status carries
// `portable`, and still the native code and its name.
absl::Status SystemErrorAs(absl::string_view operation,
                           absl::string_view subject, int native,
                           SocketError portable);

// ConnectInProgress()
//
// The status of a non-blocking connect under way, for `native` the
// backend's "in progress" code (EINPROGRESS / WSAEINPROGRESS) or its
// "already" code (EALREADY / WSAEALREADY), built once for each and shared:
// a non-blocking connect reports one every time, and formatting a message
// (the address, the OS's words) for a status nobody shows cost more user
// time than the rest of an async connect (bench/connect_rate.sh). Its
// message names no address. Thread-safe.
absl::Status ConnectInProgress(int native, int in_progress_code,
                               int already_code);

// ResolverError()
//
// The same for a resolver code (EAI_* / WSAHOST_NOT_FOUND ...).
absl::Status ResolverError(absl::string_view operation,
                           absl::string_view subject, int native);

// Prefixed()
//
// `status` with "`prefix`: " before its message, its code and payloads (the
// SocketError, the TLS details) kept.
absl::Status Prefixed(const absl::Status& status, absl::string_view prefix);

// PortableError()
//
// A status that carries `error` without any native code, for conditions
// that core/ detects itself (a connect deadline that passed: kTimedOut).
absl::Status PortableError(absl::string_view operation,
                           absl::string_view subject, SocketError error);

// TranslateError(), TranslateResolverError()
//
// Looks `native` up in the backend's tables; kUnknown if absent.
SocketError TranslateError(int native);
SocketError TranslateResolverError(int native);

}  // namespace net::internal

#endif  // NET_CORE_ERRORS_INTERNAL_H_
