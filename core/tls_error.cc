// Copyright 2026 The net Authors.
//
// The portable TLS error: its names, its status codes, and the payload that
// carries it ("<TlsError>:<alert>:<verify result>", empty fields absent).

#include <openssl/err.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/errors_internal.h"
#include "core/tls_internal.h"
#include "net/tls.h"

namespace net {
namespace {

constexpr absl::string_view kTlsPayloadUrl = "type.net/net.TlsError";

absl::StatusCode CodeOf(TlsError error) {
  switch (error) {
    case TlsError::kNone: return absl::StatusCode::kOk;
    case TlsError::kCertificateVerifyFailed:
    case TlsError::kHostnameMismatch:
    case TlsError::kNoPeerCertificate:
      return absl::StatusCode::kUnauthenticated;
    case TlsError::kProtocolVersion:
    case TlsError::kNoCommonCipher:
    case TlsError::kNoApplicationProtocol:
      return absl::StatusCode::kFailedPrecondition;
    case TlsError::kPeerAlert:
    case TlsError::kProtocolError:
      return absl::StatusCode::kUnavailable;
    case TlsError::kHandshakeTimeout: return absl::StatusCode::kDeadlineExceeded;
    case TlsError::kTruncated: return absl::StatusCode::kDataLoss;
    case TlsError::kConfiguration: return absl::StatusCode::kInvalidArgument;
    case TlsError::kOther: return absl::StatusCode::kInternal;
  }
  return absl::StatusCode::kInternal;
}

struct Fields {
  TlsError error = TlsError::kNone;
  std::optional<int> alert;
  std::optional<int> verify;
};

std::optional<Fields> Read(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  auto payload = status.GetPayload(kTlsPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  const std::vector<std::string> parts =
      absl::StrSplit(std::string(*payload), ':');
  if (parts.size() != 3) return std::nullopt;
  int error = 0;
  if (!absl::SimpleAtoi(parts[0], &error) || error <= 0 ||
      error > static_cast<int>(TlsError::kOther)) {
    return std::nullopt;
  }
  Fields f;
  f.error = static_cast<TlsError>(error);
  int n = 0;
  if (absl::SimpleAtoi(parts[1], &n)) f.alert = n;
  if (absl::SimpleAtoi(parts[2], &n)) f.verify = n;
  return f;
}

}  // namespace

absl::string_view TlsErrorName(TlsError error) {
  switch (error) {
    case TlsError::kNone: return "ok";
    case TlsError::kCertificateVerifyFailed: return "certificate verify failed";
    case TlsError::kHostnameMismatch: return "hostname mismatch";
    case TlsError::kNoPeerCertificate: return "no peer certificate";
    case TlsError::kProtocolVersion: return "protocol version";
    case TlsError::kNoCommonCipher: return "no common cipher";
    case TlsError::kNoApplicationProtocol: return "no application protocol";
    case TlsError::kPeerAlert: return "peer alert";
    case TlsError::kHandshakeTimeout: return "handshake timeout";
    case TlsError::kTruncated: return "truncated";
    case TlsError::kProtocolError: return "protocol error";
    case TlsError::kConfiguration: return "configuration";
    case TlsError::kOther: return "tls failure";
  }
  return "tls failure";
}

TlsError GetTlsError(const absl::Status& status) {
  std::optional<Fields> f = Read(status);
  return f.has_value() ? f->error : TlsError::kNone;
}

std::optional<int> GetTlsAlert(const absl::Status& status) {
  std::optional<Fields> f = Read(status);
  return f.has_value() ? f->alert : std::nullopt;
}

std::optional<int> GetTlsVerifyResult(const absl::Status& status) {
  std::optional<Fields> f = Read(status);
  return f.has_value() ? f->verify : std::nullopt;
}

namespace internal {

absl::Status TlsErrorStatus(TlsError error, std::string message, int alert,
                            int verify_result, SocketError socket_error) {
  absl::Status status =
      socket_error == SocketError::kNone
          ? absl::Status(CodeOf(error), message)
          : PortableError(message, "", socket_error);
  status.SetPayload(
      kTlsPayloadUrl,
      absl::Cord(absl::StrCat(static_cast<int>(error), ":",
                              alert >= 0 ? absl::StrCat(alert) : "", ":",
                              verify_result >= 0 ? absl::StrCat(verify_result)
                                                 : "")));
  return status;
}

std::string DrainErrorQueue(bool newest_only) {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    if (newest_only) text.clear();
    absl::StrAppend(&text, text.empty() ? "" : "; ", buffer);
  }
  return text;
}

absl::Status TlsConfigError(absl::string_view what) {
  const std::string reason = DrainErrorQueue(/*newest_only=*/true);
  return TlsErrorStatus(
      TlsError::kConfiguration,
      absl::StrCat("tls: ", what, reason.empty() ? "" : ": ", reason));
}

}  // namespace internal
}  // namespace net
