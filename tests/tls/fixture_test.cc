// Copyright 2026 The net Authors.
//
// The TLS test fixture proves itself: the test PKI (test_ca.h) is what it
// says, checked with OpenSSL's own verification and an in-process handshake
// over a BIO pair (on every platform, wine included), and (POSIX) the
// `openssl s_server` / `s_client` peers (openssl_peer.h) start, verify,
// carry data both ways, and go away.

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/test_util.h"
#include "tests/tls/test_ca.h"
#include "tests/tls/tls_test_util.h"

#if !defined(_WIN32)
#include <signal.h>
#include <sys/types.h>

#include <cerrno>
#include <filesystem>

#include "tests/tls/openssl_peer.h"
#endif

namespace {

using net_test::GetTestPki;
using net_test::TestCert;
using net_test::TestPki;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct StoreFree {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Ctx = std::unique_ptr<SSL_CTX, CtxFree>;
using Ssl = std::unique_ptr<SSL, SslFree>;

std::string OpensslErrors() {
  std::string text;
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    absl::StrAppend(&text, text.empty() ? "" : "; ", buffer);
  }
  return text;
}

Cert ParseCert(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// `password` null: no password callback at all (OpenSSL must not prompt on
// a terminal, so an empty password is given instead).
Key ParseKey(const std::string& pem, const char* password) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return Key(PEM_read_bio_PrivateKey(
      bio.get(), nullptr, nullptr,
      const_cast<char*>(password != nullptr ? password : "")));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// X509_verify_cert() of `pem` against a store holding only the test CA, for
// `purpose` (X509_PURPOSE_SSL_SERVER, _SSL_CLIENT); the verify error.
int VerifyAgainstCa(const std::string& pem, int purpose,
                    const std::string& anchor_pem = GetTestPki().ca.cert_pem) {
  Cert anchor = ParseCert(anchor_pem);
  Cert cert = ParseCert(pem);
  REQUIRE(anchor != nullptr);
  REQUIRE(cert != nullptr);
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  REQUIRE(X509_STORE_add_cert(store.get(), anchor.get()) == 1);
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  REQUIRE(X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) ==
          1);
  REQUIRE(X509_STORE_CTX_set_purpose(ctx.get(), purpose) == 1);
  int ok = X509_verify_cert(ctx.get());
  int error = X509_STORE_CTX_get_error(ctx.get());
  CHECK((ok == 1) == (error == X509_V_OK));
  ERR_clear_error();
  return error;
}

bool HostMatches(const TestCert& c, const char* host) {
  Cert cert = ParseCert(c.cert_pem);
  REQUIRE(cert != nullptr);
  return X509_check_host(cert.get(), host, 0,
                         X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
}

bool IpMatches(const TestCert& c, const char* ip) {
  Cert cert = ParseCert(c.cert_pem);
  REQUIRE(cert != nullptr);
  return X509_check_ip_asc(cert.get(), ip, 0) == 1;
}

std::string SubjectOf(const TestCert& c) {
  Cert cert = ParseCert(c.cert_pem);
  REQUIRE(cert != nullptr);
  char buffer[256];
  X509_NAME_oneline(X509_get_subject_name(cert.get()), buffer, sizeof buffer);
  return buffer;
}

// ----------------------------------------------------------------------------
// The PKI, checked with OpenSSL's verification.

TEST_CASE("the test PKI is generated once per process, quickly") {
  const TestPki& pki = GetTestPki();
  CHECK(&GetTestPki() == &pki);
  MESSAGE("generated in ", absl::FormatDuration(pki.generation_time));
  // < 100 ms is the aim (a few ms natively); the bound leaves room for
  // sanitizers and wine.
  CHECK(pki.generation_time < absl::Seconds(2));
}

TEST_CASE(
    "every test certificate and key parses, and each key fits its "
    "certificate") {
  const TestPki& pki = GetTestPki();
  const std::vector<std::pair<const char*, const TestCert*>> all = {
      {"ca", &pki.ca},
      {"leaf", &pki.leaf},
      {"other", &pki.other},
      {"expired", &pki.expired},
      {"self_signed", &pki.self_signed},
      {"unknown_ca", &pki.unknown_ca},
      {"wrong_host", &pki.wrong_host},
      {"client", &pki.client}};
  for (const auto& [name, c] : all) {
    CAPTURE(name);
    Cert cert = ParseCert(c->cert_pem);
    Key key = ParseKey(c->key_pem, nullptr);
    REQUIRE(cert != nullptr);
    REQUIRE(key != nullptr);
    CHECK(X509_check_private_key(cert.get(), key.get()) == 1);
    CHECK(EVP_PKEY_is_a(key.get(), "EC"));
    CHECK(EVP_PKEY_get_bits(key.get()) == 256);
    CHECK(c->key_pem.find("-----BEGIN PRIVATE KEY-----") == 0);
    // The files hold the same text.
    CHECK(ReadFile(c->cert_file) == c->cert_pem);
    CHECK(ReadFile(c->key_file) == c->key_pem);
  }
  CHECK(pki.ca_file == pki.ca.cert_file);
  CHECK(SubjectOf(pki.ca) == "/CN=net test CA");
  CHECK(SubjectOf(pki.leaf) == "/CN=localhost");
  CHECK(SubjectOf(pki.client) == "/CN=net test client");
  // Every certificate is distinct (its own key and serial).
  CHECK(pki.leaf.key_pem != pki.other.key_pem);
  CHECK(pki.leaf.cert_pem != pki.unknown_ca.cert_pem);
  ERR_clear_error();
}

TEST_CASE("the test CA is a CA and the leaves are not") {
  const TestPki& pki = GetTestPki();
  Cert ca = ParseCert(pki.ca.cert_pem);
  Cert leaf = ParseCert(pki.leaf.cert_pem);
  REQUIRE(ca != nullptr);
  REQUIRE(leaf != nullptr);
  CHECK(X509_check_ca(ca.get()) == 1);
  CHECK((X509_get_key_usage(ca.get()) & KU_KEY_CERT_SIGN) != 0);
  CHECK((X509_get_extension_flags(ca.get()) & EXFLAG_SS) != 0);
  int critical = 0;
  BASIC_CONSTRAINTS* bc = static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(ca.get(), NID_basic_constraints, &critical, nullptr));
  REQUIRE(bc != nullptr);
  CHECK(bc->ca != 0);
  CHECK(critical == 1);
  BASIC_CONSTRAINTS_free(bc);
  CHECK(X509_check_ca(leaf.get()) == 0);
  CHECK((X509_get_extended_key_usage(leaf.get()) &
         (XKU_SSL_SERVER | XKU_SSL_CLIENT)) ==
        (XKU_SSL_SERVER | XKU_SSL_CLIENT));
  Cert client = ParseCert(pki.client.cert_pem);
  REQUIRE(client != nullptr);
  CHECK(X509_get_extended_key_usage(client.get()) == XKU_SSL_CLIENT);
  // Valid from an hour before generation to two days after it (give or
  // take the seconds since).
  auto seconds_from_now = [](const ASN1_TIME* t) {
    int days = 0, seconds = 0;
    REQUIRE(ASN1_TIME_diff(&days, &seconds, nullptr, t) == 1);
    return days * 86400L + seconds;
  };
  const long not_before = seconds_from_now(X509_get0_notBefore(leaf.get()));
  const long not_after = seconds_from_now(X509_get0_notAfter(leaf.get()));
  CHECK(not_before <= -3600);
  CHECK(not_before >= -3600 - 120);
  CHECK(not_after <= 2 * 86400);
  CHECK(not_after >= 2 * 86400 - 120);
  ERR_clear_error();
}

TEST_CASE(
    "leaf, other and client chain to the test CA, and the broken "
    "ones fail for their own reason") {
  const TestPki& pki = GetTestPki();
  CHECK(VerifyAgainstCa(pki.leaf.cert_pem, X509_PURPOSE_SSL_SERVER) ==
        X509_V_OK);
  CHECK(VerifyAgainstCa(pki.leaf.cert_pem, X509_PURPOSE_SSL_CLIENT) ==
        X509_V_OK);
  CHECK(VerifyAgainstCa(pki.other.cert_pem, X509_PURPOSE_SSL_SERVER) ==
        X509_V_OK);
  CHECK(VerifyAgainstCa(pki.wrong_host.cert_pem, X509_PURPOSE_SSL_SERVER) ==
        X509_V_OK);
  CHECK(VerifyAgainstCa(pki.client.cert_pem, X509_PURPOSE_SSL_CLIENT) ==
        X509_V_OK);
  // clientAuth only: not a server certificate.
  CHECK(VerifyAgainstCa(pki.client.cert_pem, X509_PURPOSE_SSL_SERVER) ==
        X509_V_ERR_INVALID_PURPOSE);
  CHECK(VerifyAgainstCa(pki.expired.cert_pem, X509_PURPOSE_SSL_SERVER) ==
        X509_V_ERR_CERT_HAS_EXPIRED);
  CHECK(VerifyAgainstCa(pki.self_signed.cert_pem, X509_PURPOSE_SSL_SERVER) ==
        X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
  CHECK(VerifyAgainstCa(pki.unknown_ca.cert_pem, X509_PURPOSE_SSL_SERVER) ==
        X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  // Trusted as itself (pinning), the self-signed leaf verifies.
  CHECK(VerifyAgainstCa(pki.self_signed.cert_pem, X509_PURPOSE_SSL_SERVER,
                        pki.self_signed.cert_pem) == X509_V_OK);
}

TEST_CASE("subject alternative names are exactly as specified") {
  const TestPki& pki = GetTestPki();
  for (const TestCert* c :
       {&pki.leaf, &pki.expired, &pki.self_signed, &pki.unknown_ca}) {
    CHECK(HostMatches(*c, "localhost"));
    CHECK(IpMatches(*c, "127.0.0.1"));
    CHECK(IpMatches(*c, "::1"));
    CHECK_FALSE(HostMatches(*c, "other.test"));
    CHECK_FALSE(IpMatches(*c, "127.0.0.2"));
  }
  CHECK(HostMatches(pki.other, "other.test"));
  CHECK(HostMatches(pki.other, "a.wild.test"));
  CHECK_FALSE(HostMatches(pki.other, "wild.test"));
  CHECK_FALSE(HostMatches(pki.other, "a.b.wild.test"));
  CHECK_FALSE(HostMatches(pki.other, "localhost"));
  CHECK_FALSE(IpMatches(pki.other, "127.0.0.1"));
  CHECK(HostMatches(pki.wrong_host, "wrong.test"));
  CHECK_FALSE(HostMatches(pki.wrong_host, "localhost"));
  CHECK_FALSE(IpMatches(pki.wrong_host, "127.0.0.1"));
  CHECK_FALSE(HostMatches(pki.client, "localhost"));
  ERR_clear_error();
}

TEST_CASE("the encrypted key decrypts with the password only") {
  const TestPki& pki = GetTestPki();
  CHECK(pki.encrypted_key_pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") ==
        0);
  CHECK(ReadFile(pki.encrypted_key_file) == pki.encrypted_key_pem);
  CHECK(!pki.key_password.empty());
  Key key = ParseKey(pki.encrypted_key_pem, pki.key_password.c_str());
  REQUIRE(key != nullptr);
  Cert leaf = ParseCert(pki.leaf.cert_pem);
  CHECK(X509_check_private_key(leaf.get(), key.get()) == 1);
  CHECK(ParseKey(pki.encrypted_key_pem, nullptr) == nullptr);
  CHECK(ParseKey(pki.encrypted_key_pem, "wrong password") == nullptr);
  // AES-256-CBC under PBES2.
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pki.encrypted_key_pem.data(),
                      static_cast<int>(pki.encrypted_key_pem.size())),
      BIO_free);
  X509_SIG* p8 = PEM_read_bio_PKCS8(bio.get(), nullptr, nullptr, nullptr);
  REQUIRE(p8 != nullptr);
  const X509_ALGOR* algorithm = nullptr;
  X509_SIG_get0(p8, &algorithm, nullptr);
  const ASN1_OBJECT* oid = nullptr;
  int parameter_type = 0;
  const void* parameter = nullptr;
  X509_ALGOR_get0(&oid, &parameter_type, &parameter, algorithm);
  CHECK(OBJ_obj2nid(oid) == NID_pbes2);
  REQUIRE(parameter_type == V_ASN1_SEQUENCE);
  PBE2PARAM* pbe2 = static_cast<PBE2PARAM*>(ASN1_item_unpack(
      static_cast<const ASN1_STRING*>(parameter), ASN1_ITEM_rptr(PBE2PARAM)));
  REQUIRE(pbe2 != nullptr);
  CHECK(OBJ_obj2nid(pbe2->encryption->algorithm) == NID_aes_256_cbc);
  PBE2PARAM_free(pbe2);
  X509_SIG_free(p8);
  ERR_clear_error();
}

TEST_CASE("the files are in the PKI's own directory") {
  const TestPki& pki = GetTestPki();
  CHECK(!pki.dir.empty());
  for (const std::string* file :
       {&pki.ca_file, &pki.leaf.cert_file, &pki.leaf.key_file,
        &pki.client.key_file, &pki.encrypted_key_file}) {
    CHECK(file->rfind(pki.dir, 0) == 0);
  }
}

// ----------------------------------------------------------------------------
// An in-process handshake over a BIO pair: the files work as OpenSSL's TLS
// uses them (on Windows too).

struct HandshakeResult {
  bool ok = false;
  long client_verify = X509_V_OK;
  std::string server_peer;  // the client certificate's subject, if any
  std::string errors;
};

Ctx ServerCtx(const TestCert& cert, const std::string& key_file = "",
              const std::string& password = "") {
  Ctx ctx(SSL_CTX_new(TLS_server_method()));
  REQUIRE(ctx != nullptr);
  if (!password.empty()) {
    SSL_CTX_set_default_passwd_cb_userdata(ctx.get(),
                                           const_cast<char*>(password.c_str()));
  }
  REQUIRE(SSL_CTX_use_certificate_file(ctx.get(), cert.cert_file.c_str(),
                                       SSL_FILETYPE_PEM) == 1);
  if (SSL_CTX_use_PrivateKey_file(
          ctx.get(), (key_file.empty() ? cert.key_file : key_file).c_str(),
          SSL_FILETYPE_PEM) != 1) {
    return nullptr;
  }
  return ctx;
}

Ctx ClientCtx() {
  Ctx ctx(SSL_CTX_new(TLS_client_method()));
  REQUIRE(ctx != nullptr);
  REQUIRE(SSL_CTX_load_verify_locations(ctx.get(), GetTestPki().ca_file.c_str(),
                                        nullptr) == 1);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  return ctx;
}

// Both sides in this thread, stepping in turn until both are done or one
// fails. `host` is checked (SSL_set1_host: a DNS name or an IP literal).
HandshakeResult Handshake(SSL_CTX* client_ctx, SSL_CTX* server_ctx,
                          const char* host) {
  Ssl client(SSL_new(client_ctx));
  Ssl server(SSL_new(server_ctx));
  REQUIRE(client != nullptr);
  REQUIRE(server != nullptr);
  BIO* client_bio = nullptr;
  BIO* server_bio = nullptr;
  REQUIRE(BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) == 1);
  SSL_set_bio(client.get(), client_bio, client_bio);
  SSL_set_bio(server.get(), server_bio, server_bio);
  REQUIRE(SSL_set1_host(client.get(), host) == 1);
  SSL_set_connect_state(client.get());
  SSL_set_accept_state(server.get());

  HandshakeResult result;
  bool client_done = false, server_done = false;
  for (int round = 0; round < 50 && !(client_done && server_done); ++round) {
    for (SSL* ssl : {client.get(), server.get()}) {
      bool& done = ssl == client.get() ? client_done : server_done;
      if (done) continue;
      int r = SSL_do_handshake(ssl);
      if (r == 1) {
        done = true;
        continue;
      }
      int error = SSL_get_error(ssl, r);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        result.errors = absl::StrCat(ssl == client.get() ? "client" : "server",
                                     ": ", OpensslErrors());
        result.client_verify = SSL_get_verify_result(client.get());
        return result;
      }
    }
  }
  result.ok = client_done && server_done;
  result.client_verify = SSL_get_verify_result(client.get());
  if (X509* peer = SSL_get0_peer_certificate(server.get())) {
    char buffer[256];
    X509_NAME_oneline(X509_get_subject_name(peer), buffer, sizeof buffer);
    result.server_peer = buffer;
  }
  return result;
}

TEST_CASE(
    "in process, a TLS client trusting the test CA accepts the leaf "
    "for localhost, 127.0.0.1 and ::1") {
  const TestPki& pki = GetTestPki();
  Ctx server = ServerCtx(pki.leaf);
  REQUIRE(server != nullptr);
  Ctx client = ClientCtx();
  for (const char* host : {"localhost", "127.0.0.1", "::1"}) {
    CAPTURE(host);
    HandshakeResult r = Handshake(client.get(), server.get(), host);
    CHECK_MESSAGE(r.ok, r.errors);
    CHECK(r.client_verify == X509_V_OK);
  }
  Ctx other = ServerCtx(pki.other);
  REQUIRE(other != nullptr);
  HandshakeResult r = Handshake(client.get(), other.get(), "x.wild.test");
  CHECK_MESSAGE(r.ok, r.errors);
}

TEST_CASE(
    "in process, the broken certificates fail the handshake with "
    "their verify error") {
  const TestPki& pki = GetTestPki();
  Ctx client = ClientCtx();
  const std::vector<std::pair<const TestCert*, long>> cases = {
      {&pki.expired, X509_V_ERR_CERT_HAS_EXPIRED},
      {&pki.self_signed, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT},
      {&pki.unknown_ca, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY},
      {&pki.wrong_host, X509_V_ERR_HOSTNAME_MISMATCH}};
  for (const auto& [cert, want] : cases) {
    CAPTURE(want);
    Ctx server = ServerCtx(*cert);
    REQUIRE(server != nullptr);
    HandshakeResult r = Handshake(client.get(), server.get(), "localhost");
    CHECK_FALSE(r.ok);
    CHECK(r.client_verify == want);
  }
}

TEST_CASE(
    "in process, the client certificate authenticates to a server "
    "that requires one") {
  const TestPki& pki = GetTestPki();
  Ctx server = ServerCtx(pki.leaf);
  REQUIRE(server != nullptr);
  REQUIRE(SSL_CTX_load_verify_locations(server.get(), pki.ca_file.c_str(),
                                        nullptr) == 1);
  SSL_CTX_set_verify(
      server.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  Ctx client = ClientCtx();
  // Without a certificate: refused (TLS 1.3: the client may see it only
  // later, so only "not both done" is certain).
  HandshakeResult without = Handshake(client.get(), server.get(), "localhost");
  CHECK_FALSE(without.ok);
  REQUIRE(SSL_CTX_use_certificate_file(client.get(),
                                       pki.client.cert_file.c_str(),
                                       SSL_FILETYPE_PEM) == 1);
  REQUIRE(SSL_CTX_use_PrivateKey_file(client.get(), pki.client.key_file.c_str(),
                                      SSL_FILETYPE_PEM) == 1);
  HandshakeResult with = Handshake(client.get(), server.get(), "localhost");
  CHECK_MESSAGE(with.ok, with.errors);
  CHECK(with.server_peer == "/CN=net test client");
}

TEST_CASE("in process, the encrypted key file loads with the password") {
  const TestPki& pki = GetTestPki();
  Ctx server = ServerCtx(pki.leaf, pki.encrypted_key_file, pki.key_password);
  REQUIRE(server != nullptr);
  Ctx client = ClientCtx();
  HandshakeResult r = Handshake(client.get(), server.get(), "localhost");
  CHECK_MESSAGE(r.ok, r.errors);
  CHECK(ServerCtx(pki.leaf, pki.encrypted_key_file, "wrong password") ==
        nullptr);
  ERR_clear_error();
}

}  // namespace

// ----------------------------------------------------------------------------
// Real peers: openssl s_server and s_client (POSIX).

#if !defined(_WIN32)
namespace {

using net_test::OpensslClient;
using net_test::StartServer;
using net_test::VerifyingClient;
using net_test::OpensslProcess;
using net_test::OpensslServer;
using net_test::ProcessResult;

constexpr absl::Duration kWait = absl::Seconds(5);

TEST_CASE(
    "s_server with the leaf is verified by s_client against the test "
    "CA") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server = StartServer(GetTestPki().leaf);
  CHECK(server->port() > 0);
  absl::StatusOr<ProcessResult> r = OpensslClient::Run(
      server->port(), VerifyingClient({"-verify_hostname", "localhost"}), "",
      kWait);
  NET_REQUIRE_OK(r);
  INFO(r->output);
  CHECK(r->Describe() == "exited with 0");
  CHECK(r->out.find("Verify return code: 0 (ok)") != std::string::npos);
  CHECK(r->out.find("New, TLSv1.3, Cipher is ") != std::string::npos);
  CHECK(r->err.find("depth=1 CN = net test CA") != std::string::npos);
}

TEST_CASE("s_server on ::1 is verified by s_client against the IP SAN") {
  NET_REQUIRE_OPENSSL_CLI();
  if (!net_test::HaveIPv6()) NET_SKIP("IPv6 is not available here");
  std::unique_ptr<OpensslServer> server =
      StartServer(GetTestPki().leaf, {}, "::1");
  absl::StatusOr<ProcessResult> r =
      OpensslClient::Run(server->port(),
                         {"-CAfile", GetTestPki().ca_file,
                          "-verify_return_error", "-verify_ip", "::1"},
                         "", kWait, "::1");
  NET_REQUIRE_OK(r);
  INFO(r->output);
  CHECK(r->Describe() == "exited with 0");
  CHECK(r->out.find("Verify return code: 0 (ok)") != std::string::npos);
}

TEST_CASE("s_client fails to verify the broken certificates, naming why") {
  NET_REQUIRE_OPENSSL_CLI();
  const TestPki& pki = GetTestPki();
  struct Case {
    const TestCert* cert;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {&pki.expired, "10 (certificate has expired)"},
      {&pki.self_signed, "18 (self-signed certificate)"},
      {&pki.unknown_ca, "20 (unable to get local issuer certificate)"},
      {&pki.wrong_host, "62 (hostname mismatch)"}};
  for (const Case& c : cases) {
    CAPTURE(c.reason);
    std::unique_ptr<OpensslServer> server = StartServer(*c.cert);
    absl::StatusOr<ProcessResult> r = OpensslClient::Run(
        server->port(), VerifyingClient({"-verify_hostname", "localhost"}), "",
        kWait);
    NET_REQUIRE_OK(r);
    INFO(r->output);
    CHECK(r->Describe() == "exited with 1");
    CHECK(r->out.find("Verify return code: " + c.reason) != std::string::npos);
    // stderr: "verify error:num=10:certificate has expired".
    std::string code = c.reason.substr(0, c.reason.find(' '));
    CHECK(r->err.find("verify error:num=" + code + ":") != std::string::npos);
    // The server saw the client's alert.
    CHECK(server->WaitForOutput("SSL alert number", kWait));
  }
}

TEST_CASE(
    "text flows both ways between s_server and s_client through the "
    "pipes") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server = StartServer(GetTestPki().leaf);
  absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
      OpensslClient::Start(server->port(), VerifyingClient());
  NET_REQUIRE_OK(client);
  OpensslProcess& c = **client;
  REQUIRE(c.WaitForOutput("Verify return code: 0 (ok)", kWait));
  // Lines that do not start with a command letter (Q q R r K k c P S).
  NET_REQUIRE_OK(c.Write("hello from the client\n"));
  CHECK(server->WaitForOutput("hello from the client\n", kWait));
  NET_REQUIRE_OK(server->Write("hello from the server\n"));
  CHECK(c.WaitForOutput("hello from the server\n", kWait));
  CHECK(c.stdout_text().find("hello from the server\n") != std::string::npos);
  // The end of s_client's stdin ends its connection; it exits with 0.
  c.CloseStdin();
  ProcessResult r = c.Wait(kWait);
  CHECK(r.Describe() == "exited with 0");
  CHECK(r.err.find("DONE") != std::string::npos);
  CHECK(server->Running());
}

TEST_CASE("s_server -rev echoes each line reversed") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server =
      StartServer(GetTestPki().leaf, {"-rev"});
  // -ign_eof: the client waits for the echo, then is killed at the
  // timeout (the server never closes).
  absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
      OpensslClient::Start(server->port(), VerifyingClient({"-ign_eof"}));
  NET_REQUIRE_OK(client);
  NET_REQUIRE_OK((*client)->Write("hello\n"));
  CHECK((*client)->WaitForOutput("olleh\n", kWait));
}

TEST_CASE(
    "s_client's end of stdin closes with close_notify, and s_server's q "
    "closes without it") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server = StartServer(GetTestPki().leaf);
  {
    absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
        OpensslClient::Start(server->port(), VerifyingClient());
    NET_REQUIRE_OK(client);
    REQUIRE((*client)->WaitForOutput("Verify return code: 0 (ok)", kWait));
    std::size_t mark = server->output().size();
    (*client)->CloseStdin();
    CHECK((*client)->Wait(kWait).Describe() == "exited with 0");
    CHECK(server->WaitForOutput("DONE\n", kWait, mark));
    CHECK(server->output().find("ERROR", mark) == std::string::npos);
  }
  {
    absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
        OpensslClient::Start(server->port(), VerifyingClient());
    NET_REQUIRE_OK(client);
    REQUIRE((*client)->WaitForOutput("Verify return code: 0 (ok)", kWait));
    NET_REQUIRE_OK(server->Write("q\n"));
    ProcessResult r = (*client)->Wait(kWait);
    INFO(r.output);
    CHECK(r.Describe() == "exited with 1");
    CHECK(r.err.find("unexpected eof while reading") != std::string::npos);
    CHECK(server->Running());
  }
}

TEST_CASE("s_server's K sends a TLS 1.3 KeyUpdate and the stream goes on") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server = StartServer(GetTestPki().leaf);
  absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
      OpensslClient::Start(server->port(), VerifyingClient({"-msg"}));
  NET_REQUIRE_OK(client);
  OpensslProcess& c = **client;
  REQUIRE(c.WaitForOutput("Verify return code: 0 (ok)", kWait));
  std::size_t mark = c.output().size();
  NET_REQUIRE_OK(server->Write("K\n"));
  CHECK(c.WaitForOutput("KeyUpdate", kWait, mark));
  if (server->line_buffered()) {
    CHECK(server->WaitForOutput("SSL_do_handshake -> 1", kWait));
  }
  NET_REQUIRE_OK(server->Write("after the key update\n"));
  CHECK(c.WaitForOutput("after the key update\n", kWait));
  NET_REQUIRE_OK(c.Write("and back\n"));
  CHECK(server->WaitForOutput("and back\n", kWait));
}

TEST_CASE(
    "s_server's R under TLS 1.2 sends a HelloRequest that s_client "
    "answers with a new handshake") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server =
      StartServer(GetTestPki().leaf, {"-tls1_2"});
  absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
      OpensslClient::Start(server->port(), VerifyingClient({"-msg"}));
  NET_REQUIRE_OK(client);
  OpensslProcess& c = **client;
  REQUIRE(c.WaitForOutput("Verify return code: 0 (ok)", kWait));
  CHECK(c.stdout_text().find("New, TLSv1.2, Cipher is ") != std::string::npos);
  std::size_t mark = c.output().size();
  NET_REQUIRE_OK(server->Write("R\n"));
  CHECK(c.WaitForOutput("HelloRequest", kWait, mark));
  CHECK(c.WaitForOutput("ClientHello", kWait, mark));
  CHECK(c.WaitForOutput("Finished", kWait, mark));
  NET_REQUIRE_OK(server->Write("after the renegotiation\n"));
  CHECK(c.WaitForOutput("after the renegotiation\n", kWait));
}

TEST_CASE(
    "s_client -sess_in resumes a session saved with -sess_out "
    "(\"Reused\")") {
  NET_REQUIRE_OPENSSL_CLI();
  for (const char* version : {"-tls1_3", "-tls1_2"}) {
    CAPTURE(version);
    std::unique_ptr<OpensslServer> server =
        StartServer(GetTestPki().leaf, {version});
    // In the PKI's private directory, removed with it.
    const std::string session =
        absl::StrCat(GetTestPki().dir, "/session", version, ".pem");
    absl::StatusOr<std::unique_ptr<OpensslProcess>> first =
        OpensslClient::Start(server->port(),
                             VerifyingClient({"-sess_out", session}));
    NET_REQUIRE_OK(first);
    REQUIRE((*first)->WaitForOutput("Verify return code: 0 (ok)", kWait));
    // TLS 1.3: the ticket comes after the handshake; wait for the file.
    const absl::Time deadline = absl::Now() + kWait;
    std::error_code error;
    while (std::filesystem::file_size(session, error) == 0 || error) {
      REQUIRE(absl::Now() < deadline);
      absl::SleepFor(absl::Milliseconds(5));
    }
    (*first)->CloseStdin();
    CHECK((*first)->Wait(kWait).Describe() == "exited with 0");
    CHECK((*first)->stdout_text().find("New, ") != std::string::npos);

    absl::StatusOr<ProcessResult> second = OpensslClient::Run(
        server->port(), VerifyingClient({"-sess_in", session}), "", kWait);
    NET_REQUIRE_OK(second);
    INFO(second->output);
    CHECK(second->out.find(absl::StrCat(
              "Reused, ",
              std::string(version) == "-tls1_3" ? "TLSv1.3" : "TLSv1.2")) !=
          std::string::npos);
  }
}

TEST_CASE("OpensslClient::Run() kills a client that outlives its timeout") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server = StartServer(GetTestPki().leaf);
  const absl::Time start = absl::Now();
  // -ign_eof: the client waits for the server, which never closes.
  absl::StatusOr<ProcessResult> r =
      OpensslClient::Run(server->port(), VerifyingClient({"-ign_eof"}),
                         "waiting\n", absl::Milliseconds(500));
  NET_REQUIRE_OK(r);
  CHECK(r->timed_out);
  CHECK_FALSE(r->exited);
  CHECK(r->signal == SIGKILL);
  CHECK(absl::Now() - start < absl::Seconds(3));
  CHECK(server->WaitForOutput("waiting\n", kWait));
}

TEST_CASE("an OpensslServer is gone once destroyed") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server = StartServer(GetTestPki().leaf);
  const pid_t pid = server->pid();
  const int port = server->port();
  REQUIRE(pid > 0);
  CHECK(kill(pid, 0) == 0);
  server.reset();
  CHECK(kill(pid, 0) == -1);
  CHECK(errno == ESRCH);
  // Nothing listens there any more.
  absl::StatusOr<ProcessResult> r =
      OpensslClient::Run(port, VerifyingClient(), "", kWait);
  NET_REQUIRE_OK(r);
  CHECK(r->Describe() == "exited with 1");
  CHECK(r->err.find("connect:errno=") != std::string::npos);
}

TEST_CASE(
    "the peers refuse anything but loopback and their own address "
    "options") {
  // No openssl needed: these are refused before anything starts.
  CHECK(
      absl::IsInvalidArgument(OpensslServer::Start({}, "192.0.2.1").status()));
  CHECK(absl::IsInvalidArgument(
      OpensslServer::Start({"-accept", "4433"}).status()));
  CHECK(absl::IsInvalidArgument(OpensslServer::Start({"-quiet"}).status()));
  CHECK(absl::IsInvalidArgument(
      OpensslClient::Start(443, {}, "example.com").status()));
  CHECK(absl::IsInvalidArgument(
      OpensslClient::Start(443, {"-connect", "example.com:443"}).status()));
  CHECK(absl::IsInvalidArgument(OpensslClient::Start(0, {}).status()));
  CHECK(absl::IsInvalidArgument(
      OpensslClient::Run(70000, {}, "", kWait).status()));
}

TEST_CASE("an s_server that cannot start reports its output") {
  NET_REQUIRE_OPENSSL_CLI();
  absl::StatusOr<std::unique_ptr<OpensslServer>> server =
      OpensslServer::Start({"-cert", "/nonexistent/cert.pem"});
  REQUIRE_FALSE(server.ok());
  CHECK(absl::IsInternal(server.status()));
  CHECK(server.status().message().find("/nonexistent/cert.pem") !=
        absl::string_view::npos);
}

}  // namespace
#endif  // !defined(_WIN32)
