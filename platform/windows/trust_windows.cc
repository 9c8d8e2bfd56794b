// Copyright 2026 The net Authors.
//
// TLS trust on Windows: OpenSSL 3.0 never reads the Windows certificate
// stores (openssl#18020), so the ROOT store of the current user (which
// includes the machine's) is read here, as DER, for core/ to add to each
// client context's X509_STORE once, when the context is made. Under wine
// the ROOT store is filled from the host's certificates.

#include <windows.h>
#include <wincrypt.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "platform/sys.h"

namespace net::sys {

absl::StatusOr<std::vector<std::string>> SystemRootCertificates() {
  HCERTSTORE store = CertOpenSystemStoreW(0, L"ROOT");
  if (store == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "CertOpenSystemStore(ROOT) failed: error ", GetLastError()));
  }
  std::vector<std::string> out;
  PCCERT_CONTEXT cert = nullptr;
  while ((cert = CertEnumCertificatesInStore(store, cert)) != nullptr) {
    if (cert->dwCertEncodingType & X509_ASN_ENCODING) {
      out.emplace_back(reinterpret_cast<const char*>(cert->pbCertEncoded),
                       cert->cbCertEncoded);
    }
  }
  CertCloseStore(store, 0);
  return out;
}

}  // namespace net::sys
