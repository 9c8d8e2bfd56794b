// Copyright 2026 The net Authors.
//
// The test PKI of test_ca.h, made with OpenSSL's C API: EVP_EC_gen() keys,
// X509_new() certificates with X509V3_EXT_nconf_nid() extensions, signed
// with SHA-256. The openssl(1) recipe it replaces is in /work/shared/TLS.md.

#include "tests/tls/test_ca.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#if defined(_WIN32)
#include <process.h>  // _getpid
#else
#include <unistd.h>  // getpid
#endif

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace net_test {
namespace {

constexpr long kHour = 60 * 60;
constexpr long kDay = 24 * kHour;

long ProcessId() {
#if defined(_WIN32)
  return static_cast<long>(_getpid());
#else
  return static_cast<long>(getpid());
#endif
}

// Ends the process: the fixture is broken, no test can mean anything.
[[noreturn]] void Fail(const std::string& what) {
  std::string openssl;
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    absl::StrAppend(&openssl, openssl.empty() ? "" : "; ", text);
  }
  std::fprintf(stderr, "net test PKI: %s failed%s%s\n", what.c_str(),
               openssl.empty() ? "" : ": ", openssl.c_str());
  std::fflush(stderr);
  std::abort();
}

void Check(bool ok, const std::string& what) {
  if (!ok) Fail(what);
}

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

Key NewKey() {
  Key key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "EVP_EC_gen(P-256)");
  return key;
}

// What one certificate is to be.
struct Spec {
  std::string cn;
  long not_before = -kHour;  // seconds from now
  long not_after = 2 * kDay;
  // Extensions in order, as (NID, OpenSSL config value). The subject key
  // identifier comes before the authority key identifier, which reads it
  // for a self-signed certificate.
  std::vector<std::pair<int, std::string>> extensions;
};

std::vector<std::pair<int, std::string>> LeafExtensions(
    const std::string& san, const std::string& eku = "serverAuth,clientAuth",
    bool key_usage = true) {
  std::vector<std::pair<int, std::string>> extensions = {
      {NID_basic_constraints, "CA:FALSE"}};
  if (key_usage) {
    extensions.emplace_back(NID_key_usage, "critical,digitalSignature");
  }
  extensions.emplace_back(NID_ext_key_usage, eku);
  if (!san.empty()) extensions.emplace_back(NID_subject_alt_name, san);
  extensions.emplace_back(NID_subject_key_identifier, "hash");
  extensions.emplace_back(NID_authority_key_identifier, "keyid:always");
  return extensions;
}

// A certificate for `key` as `spec` says, signed by `issuer_key` with
// `issuer` as issuer (both null: self-signed).
Cert MakeCert(const Spec& spec, EVP_PKEY* key, X509* issuer,
              EVP_PKEY* issuer_key) {
  const std::string what = absl::StrCat("certificate CN=", spec.cn);
  Cert cert(X509_new());
  Check(cert != nullptr, what + ": X509_new");
  Check(X509_set_version(cert.get(), X509_VERSION_3) == 1,
        what + ": X509_set_version");

  // A random positive 63-bit serial: certificates of different runs (and
  // of the two CAs) never share issuer and serial.
  unsigned char serial_bytes[8];
  Check(RAND_bytes(serial_bytes, sizeof serial_bytes) == 1,
        what + ": RAND_bytes");
  serial_bytes[0] &= 0x7f;
  serial_bytes[0] |= 0x01;
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  Check(serial != nullptr &&
            BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get())) !=
                nullptr,
        what + ": serial number");
  BN_free(serial);

  Check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.not_before) !=
                nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.not_after) !=
                nullptr,
        what + ": validity");

  X509_NAME* subject = X509_get_subject_name(cert.get());
  Check(X509_NAME_add_entry_by_txt(
            subject, "CN", MBSTRING_UTF8,
            reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1,
            0) == 1,
        what + ": subject");
  X509* signer = issuer != nullptr ? issuer : cert.get();
  Check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1,
        what + ": issuer");
  Check(X509_set_pubkey(cert.get(), key) == 1, what + ": X509_set_pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : spec.extensions) {
    X509_EXTENSION* extension =
        X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str());
    Check(extension != nullptr,
          absl::StrCat(what, ": extension ", OBJ_nid2sn(nid), "=", value));
    int added = X509_add_ext(cert.get(), extension, -1);
    X509_EXTENSION_free(extension);
    Check(added == 1, absl::StrCat(what, ": X509_add_ext ", OBJ_nid2sn(nid)));
  }

  EVP_PKEY* signing_key = issuer_key != nullptr ? issuer_key : key;
  Check(X509_sign(cert.get(), signing_key, EVP_sha256()) > 0,
        what + ": X509_sign");
  return cert;
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string CertPem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  Check(bio != nullptr && PEM_write_bio_X509(bio.get(), cert) == 1,
        "PEM_write_bio_X509");
  return BioText(bio.get());
}

// PKCS#8, unencrypted ("BEGIN PRIVATE KEY"), or encrypted with AES-256-CBC
// ("BEGIN ENCRYPTED PRIVATE KEY") when `password` is given.
std::string KeyPem(EVP_PKEY* key, const std::string* password = nullptr) {
  Bio bio(BIO_new(BIO_s_mem()));
  Check(bio != nullptr, "BIO_new");
  if (password == nullptr) {
    Check(PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0,
                                        nullptr, nullptr) == 1,
          "PEM_write_bio_PKCS8PrivateKey");
  } else {
    Check(PEM_write_bio_PKCS8PrivateKey(
              bio.get(), key, EVP_aes_256_cbc(), password->data(),
              static_cast<int>(password->size()), nullptr, nullptr) == 1,
          "PEM_write_bio_PKCS8PrivateKey (AES-256-CBC)");
  }
  return BioText(bio.get());
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  Check(static_cast<bool>(out), "writing " + path.string());
}

// The directory of this process's files, and who may remove it.
std::filesystem::path* created_dir = nullptr;
long creator_pid = 0;

void RemoveDirAtExit() {
  // A forked child that calls exit() must not take the parent's files.
  if (created_dir == nullptr || ProcessId() != creator_pid) return;
  std::error_code ignored;
  std::filesystem::remove_all(*created_dir, ignored);
}

std::filesystem::path MakePrivateDir() {
  std::error_code error;
  std::filesystem::path base = std::filesystem::temp_directory_path(error);
  Check(!error, "temp_directory_path: " + error.message());
  for (int attempt = 0; attempt < 16; ++attempt) {
    unsigned char random[6];
    Check(RAND_bytes(random, sizeof random) == 1, "RAND_bytes");
    std::filesystem::path dir =
        base / absl::StrCat(
                   "net-test-pki-", ProcessId(), "-",
                   absl::BytesToHexString(absl::string_view(
                       reinterpret_cast<const char*>(random), sizeof random)));
    if (std::filesystem::create_directory(dir, error)) {
      // Private keys inside: owner only (a no-op on Windows).
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                   error);
      return dir;
    }
    Check(!error, "create_directory " + dir.string() + ": " + error.message());
  }
  Fail("making a private directory in " + base.string());
}

TestCert Save(const std::filesystem::path& dir, const std::string& name,
              X509* cert, EVP_PKEY* key) {
  TestCert out;
  out.cert_pem = CertPem(cert);
  out.key_pem = KeyPem(key);
  out.cert_file = (dir / (name + ".pem")).string();
  out.key_file = (dir / (name + ".key")).string();
  WriteFile(out.cert_file, out.cert_pem);
  WriteFile(out.key_file, out.key_pem);
  return out;
}

TestPki* Generate() {
  const absl::Time start = absl::Now();
  auto pki = std::make_unique<TestPki>();
  const std::filesystem::path dir = MakePrivateDir();
  pki->dir = dir.string();
  created_dir = new std::filesystem::path(dir);
  creator_pid = ProcessId();
  std::atexit(RemoveDirAtExit);

  const std::string loopback = "DNS:localhost,IP:127.0.0.1,IP:::1";

  // The trusted CA, and the one nobody trusts.
  Spec ca_spec;
  ca_spec.cn = "net test CA";
  ca_spec.not_after = 3 * kDay;
  ca_spec.extensions = {{NID_basic_constraints, "critical,CA:TRUE"},
                        {NID_key_usage, "critical,keyCertSign,cRLSign"},
                        {NID_subject_key_identifier, "hash"},
                        {NID_authority_key_identifier, "keyid:always"}};
  Key ca_key = NewKey();
  Cert ca = MakeCert(ca_spec, ca_key.get(), nullptr, nullptr);
  pki->ca = Save(dir, "ca", ca.get(), ca_key.get());
  pki->ca_file = pki->ca.cert_file;

  Spec untrusted_spec = ca_spec;
  untrusted_spec.cn = "net untrusted CA";
  Key untrusted_key = NewKey();
  Cert untrusted =
      MakeCert(untrusted_spec, untrusted_key.get(), nullptr, nullptr);

  // One leaf: its own key, issued by `issuer` (null: self-signed).
  auto leaf = [&](const std::string& name, const Spec& spec, X509* issuer,
                  EVP_PKEY* issuer_key, Key* key_out = nullptr) {
    Key key = NewKey();
    Cert cert = MakeCert(spec, key.get(), issuer, issuer_key);
    TestCert saved = Save(dir, name, cert.get(), key.get());
    if (key_out != nullptr) *key_out = std::move(key);
    return saved;
  };

  Spec spec;
  spec.cn = "localhost";
  spec.extensions = LeafExtensions(loopback);
  Key leaf_key;
  pki->leaf = leaf("leaf", spec, ca.get(), ca_key.get(), &leaf_key);
  pki->unknown_ca =
      leaf("unknown_ca", spec, untrusted.get(), untrusted_key.get());

  Spec expired = spec;
  expired.not_before = -3 * kDay;
  expired.not_after = -kDay;
  pki->expired = leaf("expired", expired, ca.get(), ca_key.get());

  // No keyUsage: OpenSSL calls a certificate self-signed (EXFLAG_SS) only
  // if a keyUsage it has allows keyCertSign; then the verify error is
  // "self-signed certificate" (18), as for `openssl req -x509` output.
  Spec self_signed = spec;
  self_signed.extensions =
      LeafExtensions(loopback, "serverAuth,clientAuth", false);
  pki->self_signed = leaf("self_signed", self_signed, nullptr, nullptr);

  Spec other;
  other.cn = "other.test";
  other.extensions = LeafExtensions("DNS:other.test,DNS:*.wild.test");
  pki->other = leaf("other", other, ca.get(), ca_key.get());

  Spec wrong_host;
  wrong_host.cn = "wrong.test";
  wrong_host.extensions = LeafExtensions("DNS:wrong.test");
  pki->wrong_host = leaf("wrong_host", wrong_host, ca.get(), ca_key.get());

  Spec client;
  client.cn = "net test client";
  client.extensions = LeafExtensions("", "clientAuth");
  pki->client = leaf("client", client, ca.get(), ca_key.get());

  pki->key_password = "net test password";
  pki->encrypted_key_pem = KeyPem(leaf_key.get(), &pki->key_password);
  pki->encrypted_key_file = (dir / "leaf_encrypted.key").string();
  WriteFile(pki->encrypted_key_file, pki->encrypted_key_pem);

  pki->generation_time = absl::Now() - start;
  return pki.release();
}

}  // namespace

const TestPki& GetTestPki() {
  // Made once (C++11 guarantees one initialization even with concurrent
  // callers) and never destroyed: tests may use it from atexit handlers and
  // detached threads.
  static const TestPki* const pki = Generate();
  return *pki;
}

}  // namespace net_test
