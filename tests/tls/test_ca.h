// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/tls/test_ca.h
// -----------------------------------------------------------------------------
//
// A throwaway PKI for the TLS tests, generated in the test process with
// OpenSSL's C API (no `openssl` command, so it works under wine too): a test
// CA, leaves signed by it for loopback names, and the broken certificates the
// failure tests need. Every key is ECDSA P-256, every signature SHA-256.
//
// It is made once per process, on first use (thread-safe), in a few
// milliseconds, and kept as PEM text and as files in a private temporary
// directory that is removed when the process that made it exits normally
// (a forked child that calls exit() does not remove it).
//
// Generation cannot fail on a sane machine: if it does, the process aborts
// with a message on stderr naming the step and OpenSSL's error (it is a
// fixture, not a unit under test).
//
// Example:
//
//   const net_test::TestPki& pki = net_test::GetTestPki();
//   net::TlsServerOptions server;
//   server.certificate_chain_file = pki.leaf.cert_file;
//   server.private_key_file = pki.leaf.key_file;
//   net::TlsClientOptions client;
//   client.ca_file = pki.ca_file;  // trusts only the test CA

#ifndef NET_TESTS_TLS_TEST_CA_H_
#define NET_TESTS_TLS_TEST_CA_H_

#include <string>

#include "absl/time/time.h"

namespace net_test {

// A certificate and its private key: PEM text (the key unencrypted, PKCS#8
// "BEGIN PRIVATE KEY") and the files that hold the same text.
struct TestCert {
  std::string cert_pem;
  std::string key_pem;
  std::string cert_file;
  std::string key_file;
};

// The test PKI. Validity is relative to when it was generated ("now"):
// now - 1 h to now + 2 days unless said otherwise. Subject alternative names
// are the only names a client should check (the CN repeats the first one).
struct TestPki {
  // "CN=net test CA": self-signed, basicConstraints critical CA:TRUE,
  // keyUsage critical keyCertSign + cRLSign; now - 1 h to now + 3 days.
  // `ca.cert_file` and `ca_file` are the same file.
  TestCert ca;
  std::string ca_file;

  // Signed by `ca`, basicConstraints CA:FALSE, keyUsage digitalSignature,
  // extendedKeyUsage serverAuth + clientAuth unless said otherwise:
  TestCert leaf;        // CN=localhost; DNS:localhost, IP:127.0.0.1, IP:::1
  TestCert other;       // CN=other.test; DNS:other.test, DNS:*.wild.test
  TestCert expired;     // as `leaf`, but now - 3 days to now - 1 day
                        // (X509_V_ERR_CERT_HAS_EXPIRED, 10)
  TestCert wrong_host;  // CN=wrong.test; DNS:wrong.test only (chains fine,
                        // X509_V_ERR_HOSTNAME_MISMATCH, 62, for localhost)
  TestCert client;      // CN=net test client; no SAN; clientAuth only

  // Not signed by `ca`:
  TestCert self_signed;  // as `leaf`, signed by its own key, no keyUsage
                         // (X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 18)
  TestCert unknown_ca;   // as `leaf`, signed by "CN=net untrusted CA",
                         // which is not given out
                         // (X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 20)

  // `leaf.key_pem` encrypted with `key_password`: PKCS#8, AES-256-CBC
  // ("BEGIN ENCRYPTED PRIVATE KEY"), as text and as a file.
  std::string encrypted_key_pem;
  std::string encrypted_key_file;
  std::string key_password;

  // The directory that holds every file above (absolute; on Windows a
  // Windows path).
  std::string dir;

  // How long generating and writing it all took.
  absl::Duration generation_time;
};

// GetTestPki()
//
// The process's test PKI, generated on the first call (which blocks other
// callers until it is ready; a few milliseconds), the same object after that.
// Aborts the process with a message if generation fails.
const TestPki& GetTestPki();

}  // namespace net_test

#endif  // NET_TESTS_TLS_TEST_CA_H_
