// Copyright 2026 The net Authors.
//
// TLS trust on POSIX: OpenSSL's default verify paths are the system's store
// (Debian's /etc/ssl/certs, macOS's through the packager's OpenSSL), so
// there is nothing to import. The Windows twin is trust_windows.cc.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/sys.h"

namespace net::sys {

absl::StatusOr<std::vector<std::string>> SystemRootCertificates() {
  return absl::UnimplementedError(
      "the system trust store is OpenSSL's default verify paths here");
}

}  // namespace net::sys
