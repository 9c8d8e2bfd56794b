// Copyright 2026 The net Authors.
//
// The portable error model: names, canonical codes, the status payload that
// carries the portable and native codes, and the predicates.

#include "net/error.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/errors_internal.h"
#include "platform/sys.h"

namespace net {
namespace {

// The payload is "<portable>:<native>" or "<portable>:" under this type URL.
constexpr absl::string_view kPayloadUrl = "type.net/net.SocketError";

struct Decoded {
  SocketError error = SocketError::kUnknown;
  std::optional<int> native;
};

// A whole decimal int ("-2", "115"), no sign but '-'; false for anything
// else, or out of range. The payload's numbers are written by Build()
// below; absl::SimpleAtoi's generality cost ~300 instructions a number, and
// IsInProgress() reads a payload on every non-blocking connect.
bool ParseInt(absl::string_view text, int* out) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 10) return false;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (negative) value = -value;
  if (value < std::numeric_limits<int>::min() ||
      value > std::numeric_limits<int>::max()) {
    return false;
  }
  *out = static_cast<int>(value);
  return true;
}

std::optional<Decoded> ReadPayload(const absl::Status& status) {
  auto payload = status.GetPayload(kPayloadUrl);  // absl::optional
  if (!payload.has_value()) return std::nullopt;
  // The payload is a few bytes, kept flat in the Cord: read in place.
  std::string copy;
  absl::optional<absl::string_view> flat = payload->TryFlat();
  if (!flat.has_value()) copy = std::string(*payload);
  const absl::string_view text = flat.has_value() ? *flat : copy;
  const std::size_t colon = text.find(':');
  if (colon == absl::string_view::npos) return std::nullopt;
  Decoded out;
  int portable = 0;
  if (!ParseInt(text.substr(0, colon), &portable) || portable < 0 ||
      portable > static_cast<int>(SocketError::kUnknown)) {
    return std::nullopt;
  }
  out.error = static_cast<SocketError>(portable);
  int native = 0;
  if (ParseInt(text.substr(colon + 1), &native)) out.native = native;
  return out;
}


absl::Status Build(absl::string_view operation, absl::string_view subject,
                   SocketError error, std::optional<int> native,
                   absl::string_view native_name,
                   absl::string_view native_text) {
  std::string message = std::string(operation);
  if (!subject.empty()) absl::StrAppend(&message, " ", subject);
  absl::StrAppend(&message, ": ", SocketErrorName(error));
  if (native.has_value()) {
    absl::StrAppend(&message, " [", native_name.empty() ? "code" : native_name,
                    " ", *native);
    if (!native_text.empty()) absl::StrAppend(&message, ": ", native_text);
    absl::StrAppend(&message, "]");
  }
  absl::Status status(SocketErrorToStatusCode(error), message);
  status.SetPayload(
      kPayloadUrl,
      absl::Cord(absl::StrCat(static_cast<int>(error), ":",
                              native.has_value() ? absl::StrCat(*native) : "")));
  return status;
}

const sys::ErrorRow* FindRow(absl::Span<const sys::ErrorRow> table,
                             int native) {
  for (const sys::ErrorRow& row : table) {
    if (row.native == native) return &row;
  }
  return nullptr;
}

}  // namespace

absl::string_view SocketErrorName(SocketError error) {
  switch (error) {
    case SocketError::kNone: return "ok";
    case SocketError::kAddressInUse: return "address in use";
    case SocketError::kAddressNotAvailable: return "address not available";
    case SocketError::kConnectionRefused: return "connection refused";
    case SocketError::kConnectionReset: return "connection reset";
    case SocketError::kConnectionAborted: return "connection aborted";
    case SocketError::kTimedOut: return "timed out";
    case SocketError::kHostUnreachable: return "host unreachable";
    case SocketError::kNetworkUnreachable: return "network unreachable";
    case SocketError::kNetworkDown: return "network down";
    case SocketError::kNetworkReset: return "network reset";
    case SocketError::kBrokenPipe: return "broken pipe";
    case SocketError::kNotConnected: return "not connected";
    case SocketError::kAlreadyConnected: return "already connected";
    case SocketError::kInProgress: return "in progress";
    case SocketError::kAlready: return "operation already in progress";
    case SocketError::kWouldBlock: return "would block";
    case SocketError::kInterrupted: return "interrupted";
    case SocketError::kMessageTooLong: return "message too long";
    case SocketError::kNoBufferSpace: return "no buffer space";
    case SocketError::kTooManyOpenFiles: return "too many open files";
    case SocketError::kTooManyOpenFilesInSystem:
      return "too many open files in system";
    case SocketError::kAccessDenied: return "access denied";
    case SocketError::kAddressFamilyNotSupported:
      return "address family not supported";
    case SocketError::kProtocolNotSupported: return "protocol not supported";
    case SocketError::kSocketTypeNotSupported:
      return "socket type not supported";
    case SocketError::kOptionNotSupported: return "option not supported";
    case SocketError::kOperationNotSupported: return "operation not supported";
    case SocketError::kInvalidArgument: return "invalid argument";
    case SocketError::kNotASocket: return "not a socket";
    case SocketError::kBadDescriptor: return "bad descriptor";
    case SocketError::kFault: return "bad address";
    case SocketError::kDestinationAddressRequired:
      return "destination address required";
    case SocketError::kProtocolError: return "protocol error";
    case SocketError::kHostNotFound: return "host not found";
    case SocketError::kTryAgain: return "temporary resolver failure";
    case SocketError::kNoData: return "name has no address";
    case SocketError::kResolverFailure: return "resolver failure";
    case SocketError::kServiceNotFound: return "service not found";
    case SocketError::kCancelled: return "cancelled";
    case SocketError::kNotInitialized: return "socket layer not initialized";
    case SocketError::kUnknown: return "unknown error";
  }
  return "unknown error";
}

absl::StatusCode SocketErrorToStatusCode(SocketError error) {
  using C = absl::StatusCode;
  switch (error) {
    case SocketError::kNone: return C::kOk;
    case SocketError::kAddressInUse: return C::kAlreadyExists;
    case SocketError::kAlreadyConnected: return C::kAlreadyExists;
    case SocketError::kAddressNotAvailable: return C::kInvalidArgument;
    case SocketError::kTimedOut: return C::kDeadlineExceeded;
    case SocketError::kConnectionRefused:
    case SocketError::kConnectionReset:
    case SocketError::kConnectionAborted:
    case SocketError::kHostUnreachable:
    case SocketError::kNetworkUnreachable:
    case SocketError::kNetworkDown:
    case SocketError::kNetworkReset:
    case SocketError::kBrokenPipe:
    case SocketError::kWouldBlock:
    case SocketError::kInProgress:
    case SocketError::kInterrupted:
    case SocketError::kTryAgain:
      return C::kUnavailable;
    case SocketError::kNotConnected:
    case SocketError::kAlready:
    case SocketError::kDestinationAddressRequired:
    case SocketError::kNotInitialized:
      return C::kFailedPrecondition;
    case SocketError::kMessageTooLong:
      return C::kOutOfRange;
    case SocketError::kNoBufferSpace:
    case SocketError::kTooManyOpenFiles:
    case SocketError::kTooManyOpenFilesInSystem:
      return C::kResourceExhausted;
    case SocketError::kAccessDenied: return C::kPermissionDenied;
    case SocketError::kAddressFamilyNotSupported:
    case SocketError::kProtocolNotSupported:
    case SocketError::kSocketTypeNotSupported:
    case SocketError::kOptionNotSupported:
    case SocketError::kOperationNotSupported:
      return C::kUnimplemented;
    case SocketError::kInvalidArgument:
    case SocketError::kNotASocket:
    case SocketError::kBadDescriptor:
    case SocketError::kFault:
      return C::kInvalidArgument;
    case SocketError::kProtocolError: return C::kInternal;
    case SocketError::kHostNotFound:
    case SocketError::kNoData:
    case SocketError::kServiceNotFound:
      return C::kNotFound;
    case SocketError::kResolverFailure: return C::kInternal;
    case SocketError::kCancelled: return C::kCancelled;
    case SocketError::kUnknown: return C::kUnknown;
  }
  return C::kUnknown;
}

SocketError GetSocketError(const absl::Status& status) {
  if (status.ok()) return SocketError::kNone;
  std::optional<Decoded> d = ReadPayload(status);
  return d.has_value() ? d->error : SocketError::kUnknown;
}

std::optional<int> GetNativeError(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  std::optional<Decoded> d = ReadPayload(status);
  return d.has_value() ? d->native : std::nullopt;
}

bool IsWouldBlock(const absl::Status& status) {
  return GetSocketError(status) == SocketError::kWouldBlock;
}

bool IsInProgress(const absl::Status& status) {
  SocketError e = GetSocketError(status);
  return e == SocketError::kInProgress || e == SocketError::kAlready;
}

bool IsTransient(const absl::Status& status) {
  switch (GetSocketError(status)) {
    case SocketError::kWouldBlock:
    case SocketError::kInterrupted:
    case SocketError::kNoBufferSpace:
    case SocketError::kTooManyOpenFiles:
    case SocketError::kTooManyOpenFilesInSystem:
    case SocketError::kTryAgain:
    case SocketError::kConnectionAborted:
      return true;
    default:
      return false;
  }
}

bool IsPeerGone(const absl::Status& status) {
  switch (GetSocketError(status)) {
    case SocketError::kConnectionReset:
    case SocketError::kConnectionAborted:
    case SocketError::kBrokenPipe:
    case SocketError::kNetworkReset:
    case SocketError::kNotConnected:
      return true;
    default:
      return false;
  }
}

namespace internal {

SocketError TranslateError(int native) {
  const sys::ErrorRow* row = FindRow(sys::ErrorTable(), native);
  return row != nullptr ? row->error : SocketError::kUnknown;
}

SocketError TranslateResolverError(int native) {
  const sys::ErrorRow* row = FindRow(sys::ResolverErrorTable(), native);
  return row != nullptr ? row->error : SocketError::kUnknown;
}

absl::Status SystemError(absl::string_view operation, absl::string_view subject,
                         int native) {
  const sys::ErrorRow* row = FindRow(sys::ErrorTable(), native);
  return Build(operation, subject,
               row != nullptr ? row->error : SocketError::kUnknown, native,
               row != nullptr ? row->name : "", sys::NativeErrorText(native));
}

absl::Status SystemErrorAs(absl::string_view operation,
                           absl::string_view subject, int native,
                           SocketError portable) {
  const sys::ErrorRow* row = FindRow(sys::ErrorTable(), native);
  return Build(operation, subject, portable, native,
               row != nullptr ? row->name : "", sys::NativeErrorText(native));
}

absl::Status ConnectInProgress(int native, int in_progress_code,
                               int already_code) {
  static const absl::Status* const in_progress =
      new absl::Status(SystemError("connect", "", in_progress_code));
  static const absl::Status* const already =
      new absl::Status(SystemError("connect", "", already_code));
  if (native == in_progress_code) return *in_progress;
  if (native == already_code) return *already;
  return SystemError("connect", "", native);
}

absl::Status ResolverError(absl::string_view operation,
                           absl::string_view subject, int native) {
  const sys::ErrorRow* row = FindRow(sys::ResolverErrorTable(), native);
  return Build(operation, subject,
               row != nullptr ? row->error : SocketError::kResolverFailure,
               native, row != nullptr ? row->name : "",
               sys::NativeResolverErrorText(native));
}

absl::Status PortableError(absl::string_view operation,
                           absl::string_view subject, SocketError error) {
  return Build(operation, subject, error, std::nullopt, "", "");
}

}  // namespace internal
absl::Status internal::Prefixed(const absl::Status& status,
                                absl::string_view prefix) {
  if (status.ok()) return status;
  absl::Status out(status.code(), absl::StrCat(prefix, ": ", status.message()));
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    out.SetPayload(url, payload);
  });
  return out;
}

}  // namespace net
