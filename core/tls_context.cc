// Copyright 2026 The net Authors.
//
// `TlsContext`: every option turned into one SSL_CTX, once. Certificates,
// keys and CA stores are parsed here and never per connection (OpenSSL 3.0
// takes locks when it parses: openssl#17064, #20286).

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/tls_internal.h"
#include "net/tls.h"
#include "net/tls_openssl.h"
#include "platform/sys.h"

namespace net {
namespace {

using internal::TlsConfigError;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

BioPtr MemoryBio(absl::string_view pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// A file through OpenSSL's own BIO (never a FILE* from our CRT: on Windows
// it may not be OpenSSL's, openssl#2404).
BioPtr FileBio(const std::string& path) {
  return BioPtr(BIO_new_file(path.c_str(), "rb"));
}

int VersionOf(TlsVersion v) {
  return v == TlsVersion::kTls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION;
}

// The wire form of an ALPN list: length-prefixed names.
absl::StatusOr<std::string> AlpnWire(const std::vector<std::string>& names) {
  std::string wire;
  for (const std::string& name : names) {
    if (name.empty() || name.size() > 255) {
      return internal::TlsErrorStatus(
          TlsError::kConfiguration,
          absl::StrCat("tls: alpn: a protocol name must be 1 to 255 bytes, "
                       "got ", name.size()));
    }
    wire.push_back(static_cast<char>(name.size()));
    wire.append(name);
  }
  return wire;
}

int PasswordCallback(char* buffer, int size, int /*rwflag*/, void* user) {
  const std::string* password = static_cast<const std::string*>(user);
  if (password == nullptr || password->empty()) return -1;
  if (password->size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buffer, password->data(), password->size());
  return static_cast<int>(password->size());
}

absl::Status LoadTrust(SSL_CTX* ctx, const TlsOptions& o) {
  const bool explicit_trust =
      !o.ca_file.empty() || !o.ca_directory.empty() || !o.ca_pem.empty();
  if (!o.ca_file.empty() || !o.ca_directory.empty()) {
    if (SSL_CTX_load_verify_locations(
            ctx, o.ca_file.empty() ? nullptr : o.ca_file.c_str(),
            o.ca_directory.empty() ? nullptr : o.ca_directory.c_str()) != 1) {
      return TlsConfigError(absl::StrCat(
          "cannot load trust from ",
          o.ca_file.empty() ? "directory " + o.ca_directory
                            : "file " + o.ca_file));
    }
  }
  if (!o.ca_pem.empty()) {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    BioPtr bio = MemoryBio(o.ca_pem);
    int added = 0;
    while (X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr,
                                          nullptr)}) {
      if (X509_STORE_add_cert(store, cert.get()) != 1) {
        return TlsConfigError("ca_pem: cannot add a certificate");
      }
      ++added;
    }
    ERR_clear_error();  // the end of the PEM text
    if (added == 0) {
      return internal::TlsErrorStatus(
          TlsError::kConfiguration,
          "tls: ca_pem: no certificate in the PEM text");
    }
  }
  if (explicit_trust && !o.add_system_trust) return absl::OkStatus();
  if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return TlsConfigError("cannot load the system trust store");
  }
  // Where OpenSSL does not read the OS store itself (Windows), import it.
  absl::StatusOr<std::vector<std::string>> roots = sys::SystemRootCertificates();
  if (roots.ok()) {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    for (const std::string& der : *roots) {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
      X509Ptr cert{d2i_X509(nullptr, &p, static_cast<long>(der.size()))};
      // A certificate OpenSSL cannot parse, or one already there, is skipped.
      if (cert != nullptr) X509_STORE_add_cert(store, cert.get());
    }
    ERR_clear_error();
  }
  return absl::OkStatus();
}

absl::Status LoadIdentity(SSL_CTX* ctx, const TlsOptions& o) {
  const bool has_cert =
      !o.certificate_chain_file.empty() || !o.certificate_chain_pem.empty();
  const bool has_key = !o.private_key_file.empty() || !o.private_key_pem.empty();
  if (has_cert != has_key) {
    return internal::TlsErrorStatus(
        TlsError::kConfiguration,
        has_cert ? "tls: a certificate chain needs its private key"
                 : "tls: a private key needs its certificate chain");
  }
  if (!has_cert) return absl::OkStatus();
  if (!o.certificate_chain_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(
            ctx, o.certificate_chain_file.c_str()) != 1) {
      return TlsConfigError(absl::StrCat("certificate_chain_file ",
                                         o.certificate_chain_file));
    }
  } else {
    BioPtr bio = MemoryBio(o.certificate_chain_pem);
    X509Ptr leaf{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
    if (leaf == nullptr || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) {
      return TlsConfigError("certificate_chain_pem");
    }
    while (X509Ptr extra{PEM_read_bio_X509(bio.get(), nullptr, nullptr,
                                           nullptr)}) {
      if (SSL_CTX_add1_chain_cert(ctx, extra.get()) != 1) {
        return TlsConfigError("certificate_chain_pem: chain certificate");
      }
    }
    ERR_clear_error();
  }
  BioPtr key_bio = o.private_key_file.empty() ? MemoryBio(o.private_key_pem)
                                              : FileBio(o.private_key_file);
  if (key_bio == nullptr) {
    return TlsConfigError(absl::StrCat("private_key_file ", o.private_key_file));
  }
  std::string password = o.private_key_password;
  PkeyPtr key{PEM_read_bio_PrivateKey(key_bio.get(), nullptr, PasswordCallback,
                                      &password)};
  const char* which =
      o.private_key_file.empty() ? "private_key_pem" : "private_key_file";
  if (key == nullptr) {
    return TlsConfigError(absl::StrCat(
        which, o.private_key_password.empty()
                   ? " (not a private key, or encrypted and no password given)"
                   : " (not a private key, or a wrong password)"));
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) return TlsConfigError(which);
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return TlsConfigError(
        absl::StrCat(which, " does not match the certificate"));
  }
  return absl::OkStatus();
}

void KeyLogCallback(const SSL* ssl, const char* line) {
  const auto* impl = static_cast<const TlsContext::Impl*>(
      SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  if (impl != nullptr && impl->key_log) impl->key_log(line);
}

// Servers: the first of our protocols that the client offers.
int AlpnSelect(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
               const unsigned char* in, unsigned int inlen, void* arg) {
  const auto* impl = static_cast<const TlsContext::Impl*>(arg);
  for (const std::string& mine : impl->alpn) {
    for (unsigned int i = 0; i < inlen;) {
      const unsigned int n = in[i];
      if (i + 1 + n > inlen) break;  // a malformed list: stop reading it
      if (n == mine.size() && std::memcmp(in + i + 1, mine.data(), n) == 0) {
        *out = in + i + 1;
        *outlen = static_cast<unsigned char>(n);
        return SSL_TLSEXT_ERR_OK;
      }
      i += 1 + n;
    }
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL;  // no_application_protocol
}

bool NameMatches(absl::string_view pattern, absl::string_view name) {
  if (absl::EqualsIgnoreCase(pattern, name)) return true;
  if (!absl::StartsWith(pattern, "*.")) return false;
  const std::size_t dot = name.find('.');
  // One whole label: "*.example.test" matches "a.example.test" only.
  return dot != absl::string_view::npos && dot > 0 &&
         absl::EqualsIgnoreCase(pattern.substr(1), name.substr(dot));
}

int VerifyFlags(TlsVerifyMode mode) {
  switch (mode) {
    case TlsVerifyMode::kNone: return SSL_VERIFY_NONE;
    case TlsVerifyMode::kPeer: return SSL_VERIFY_PEER;
    case TlsVerifyMode::kRequirePeer:
      return SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    case TlsVerifyMode::kPeerOnce:
      return SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE;
  }
  return SSL_VERIFY_NONE;
}

// Servers: SNI picks a context. SSL_set_SSL_CTX swaps only certificate and
// key, so the chosen context's verification settings are applied too.
int ServerNameCallback(SSL* ssl, int* /*alert*/, void* arg) {
  const auto* impl = static_cast<const TlsContext::Impl*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) return SSL_TLSEXT_ERR_NOACK;
  for (const auto& [pattern, context] : impl->sni) {
    if (!NameMatches(pattern, name)) continue;
    SSL_CTX* chosen = internal::TlsContextAccess::Impl(*context).ctx;
    if (SSL_set_SSL_CTX(ssl, chosen) == nullptr) return SSL_TLSEXT_ERR_ALERT_FATAL;
    SSL_set_verify(ssl, SSL_CTX_get_verify_mode(chosen), nullptr);
    SSL_set_verify_depth(ssl, SSL_CTX_get_verify_depth(chosen));
    return SSL_TLSEXT_ERR_OK;
  }
  return SSL_TLSEXT_ERR_OK;  // the default certificate
}

// Clients: keep the newest session per server to offer it again.
int NewSessionCallback(SSL* ssl, SSL_SESSION* session) {
  auto* impl = static_cast<TlsContext::Impl*>(
      SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  const auto* key = static_cast<const std::string*>(SSL_get_app_data(ssl));
  if (impl == nullptr || key == nullptr || key->empty()) return 0;
  absl::MutexLock lock(&impl->mu);
  // Bounded: a client of very many servers forgets them all at once rather
  // than keeping an LRU (resumption is an optimization).
  constexpr std::size_t kMaxSessions = 1024;
  if (impl->sessions.size() >= kMaxSessions) {
    for (auto& [k, s] : impl->sessions) SSL_SESSION_free(s);
    impl->sessions.clear();
  }
  SSL_SESSION*& slot = impl->sessions[*key];
  if (slot != nullptr) SSL_SESSION_free(slot);
  slot = session;
  return 1;  // we keep the reference
}

absl::StatusOr<SSL_CTX*> NewContext(const TlsOptions& o, bool server) {
  if (o.min_version > o.max_version) {
    return internal::TlsErrorStatus(
        TlsError::kConfiguration,
        "tls: min_version is above max_version");
  }
  if (o.verify_depth < 0) {
    return internal::TlsErrorStatus(
        TlsError::kConfiguration,
        absl::StrCat("tls: verify_depth must not be negative, got ",
                     o.verify_depth));
  }
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  if (ctx == nullptr) return TlsConfigError("SSL_CTX_new");
  // Partial writes: one record per SSL_write when the socket is full, so a
  // write queue keeps its place; moving buffers: the queue's chunks move;
  // released buffers: an idle connection holds none (47.8 -> 14.5 KB here).
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               (server ? SSL_OP_CIPHER_SERVER_PREFERENCE : 0));
  SSL_CTX_set_min_proto_version(ctx, VersionOf(o.min_version));
  SSL_CTX_set_max_proto_version(ctx, VersionOf(o.max_version));
  // Read ahead: whole records (and what follows them) per read() instead
  // of header, then body (8,452 -> 3,636 reads per 64 MiB here). Into
  // OpenSSL's record-sized buffer: a 64 KiB one, freed whenever it drains
  // (released buffers), made glibc give the top of the heap back and take
  // it again, a brk() every other handshake, and bought nothing measurable.
  SSL_CTX_set_read_ahead(ctx, 1);
  SSL_CTX_set_verify_depth(ctx, o.verify_depth);
  auto fail = [ctx](absl::Status s) {
    SSL_CTX_free(ctx);
    return s;
  };
  if (!o.cipher_list.empty() &&
      SSL_CTX_set_cipher_list(ctx, o.cipher_list.c_str()) != 1) {
    return fail(TlsConfigError(absl::StrCat("cipher_list \"", o.cipher_list,
                                            "\" selects nothing")));
  }
  if (!o.cipher_suites.empty() &&
      SSL_CTX_set_ciphersuites(ctx, o.cipher_suites.c_str()) != 1) {
    return fail(TlsConfigError(absl::StrCat(
        "cipher_suites \"", o.cipher_suites, "\" selects nothing")));
  }
  if (!o.groups.empty() && SSL_CTX_set1_groups_list(ctx, o.groups.c_str()) != 1) {
    return fail(TlsConfigError(absl::StrCat("groups \"", o.groups, "\"")));
  }
  if (absl::Status s = LoadIdentity(ctx, o); !s.ok()) return fail(s);
  return ctx;
}

}  // namespace

TlsContext::Impl::~Impl() {
  for (auto& [key, session] : sessions) SSL_SESSION_free(session);
  if (ctx != nullptr) SSL_CTX_free(ctx);
}

TlsContext::TlsContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsContext::~TlsContext() = default;
bool TlsContext::is_server() const { return impl_->server; }

SSL_CTX* NativeSslContext(const TlsContext& context) {
  return internal::TlsContextAccess::Impl(context).ctx;
}

absl::StatusOr<std::shared_ptr<const TlsContext>> TlsContext::NewClient(
    const TlsClientOptions& options) {
  absl::StatusOr<SSL_CTX*> ctx = NewContext(options, /*server=*/false);
  if (!ctx.ok()) return ctx.status();
  auto impl = std::make_unique<Impl>();
  impl->ctx = *ctx;
  impl->server = false;
  impl->verify_peer = !options.insecure_skip_verification;
  impl->session_resumption = options.session_resumption;
  impl->key_log = options.key_log;
  if (impl->verify_peer) {
    if (absl::Status s = LoadTrust(*ctx, options); !s.ok()) return s;
    SSL_CTX_set_verify(*ctx, SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(*ctx, SSL_VERIFY_NONE, nullptr);
  }
  if (!options.alpn.empty()) {
    absl::StatusOr<std::string> wire = AlpnWire(options.alpn);
    if (!wire.ok()) return wire.status();
    // Returns 0 on success (unlike the rest of OpenSSL).
    if (SSL_CTX_set_alpn_protos(
            *ctx, reinterpret_cast<const unsigned char*>(wire->data()),
            static_cast<unsigned int>(wire->size())) != 0) {
      return TlsConfigError("alpn");
    }
  }
  if (options.session_resumption) {
    SSL_CTX_set_session_cache_mode(
        *ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(*ctx, NewSessionCallback);
  } else {
    SSL_CTX_set_session_cache_mode(*ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(*ctx, SSL_OP_NO_TICKET);
  }
  if (impl->key_log) SSL_CTX_set_keylog_callback(*ctx, KeyLogCallback);
  SSL_CTX_set_app_data(*ctx, impl.get());
  return std::shared_ptr<const TlsContext>(new TlsContext(std::move(impl)));
}

absl::StatusOr<std::shared_ptr<const TlsContext>> TlsContext::NewServer(
    const TlsServerOptions& options) {
  if (options.certificate_chain_file.empty() &&
      options.certificate_chain_pem.empty()) {
    return absl::FailedPreconditionError(
        "tls: a server needs a certificate chain and a private key");
  }
  if (options.tickets < 0 || options.tickets > 16) {
    return internal::TlsErrorStatus(
        TlsError::kConfiguration,
        absl::StrCat("tls: tickets must be 0 to 16, got ", options.tickets));
  }
  absl::StatusOr<SSL_CTX*> ctx = NewContext(options, /*server=*/true);
  if (!ctx.ok()) return ctx.status();
  auto impl = std::make_unique<Impl>();
  impl->ctx = *ctx;
  impl->server = true;
  impl->verify_mode = options.verify;
  impl->session_resumption = options.session_resumption;
  impl->tickets = options.session_resumption ? options.tickets : 0;
  impl->key_log = options.key_log;
  impl->alpn = options.alpn;
  impl->sni = options.sni_contexts;
  for (const auto& [name, context] : impl->sni) {
    if (context == nullptr || !context->is_server() || name.empty()) {
      return internal::TlsErrorStatus(
          TlsError::kConfiguration,
          absl::StrCat("tls: sni_contexts[\"", name,
                       "\"] must be a non-empty name with a server context"));
    }
  }
  if (options.verify != TlsVerifyMode::kNone) {
    if (absl::Status s = LoadTrust(*ctx, options); !s.ok()) return s;
    // Tell clients which CAs we accept (a client with several
    // certificates picks by it): the CA file's and the PEM's subjects.
    if (!options.ca_file.empty()) {
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.ca_file.c_str());
      if (names != nullptr) SSL_CTX_set_client_CA_list(*ctx, names);
    }
    BioPtr pem = MemoryBio(options.ca_pem);
    while (!options.ca_pem.empty()) {
      X509Ptr cert{PEM_read_bio_X509(pem.get(), nullptr, nullptr, nullptr)};
      if (cert == nullptr) break;
      SSL_CTX_add_client_CA(*ctx, cert.get());
    }
    ERR_clear_error();
  }
  SSL_CTX_set_verify(*ctx, VerifyFlags(options.verify), nullptr);
  // Resumption needs a session id context once a peer is verified; the
  // same for every net server context is enough (one process's cache).
  static constexpr unsigned char kSessionContext[] = "net";
  SSL_CTX_set_session_id_context(*ctx, kSessionContext,
                                 sizeof(kSessionContext) - 1);
  if (options.session_resumption) {
    SSL_CTX_set_session_cache_mode(*ctx, SSL_SESS_CACHE_SERVER);
  } else {
    SSL_CTX_set_session_cache_mode(*ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(*ctx, SSL_OP_NO_TICKET);
  }
  // Tickets go out with the first application write instead of right
  // after the handshake (core/tls_engine.cc says why).
  SSL_CTX_set_num_tickets(*ctx, 0);
  if (!impl->alpn.empty()) {
    absl::StatusOr<std::string> wire = AlpnWire(impl->alpn);
    if (!wire.ok()) return wire.status();
    SSL_CTX_set_alpn_select_cb(*ctx, AlpnSelect, impl.get());
  }
  if (!impl->sni.empty()) {
    SSL_CTX_set_tlsext_servername_callback(*ctx, ServerNameCallback);
    SSL_CTX_set_tlsext_servername_arg(*ctx, impl.get());
  }
  if (impl->key_log) SSL_CTX_set_keylog_callback(*ctx, KeyLogCallback);
  SSL_CTX_set_app_data(*ctx, impl.get());
  return std::shared_ptr<const TlsContext>(new TlsContext(std::move(impl)));
}

}  // namespace net
