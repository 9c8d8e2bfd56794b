// Copyright 2026 The net Authors.
//
// `TlsEngine`: one SSL on one socket. Each step returns done, want read,
// want write, closed, or an error with its portable `TlsError`; the callers
// (core/tls_socket.cc, core/tls_connection.cc) wait.
//
// Rules from the bugs users of other libraries keep hitting (shared/TLS.md):
//   * the error queue is cleared before every SSL call and drained after a
//     failure, on the same thread, so no error leaks into the next call;
//   * the socket's error is recorded by the BIO and wins over OpenSSL's
//     "syscall failure" (a reset stays kConnectionReset);
//   * SSL_shutdown is never called during a handshake or after a fatal
//     error;
//   * TLS 1.3 servers send their session ticket after reading what the
//     client sent with its Finished (or with their first write, if that
//     comes first), not inside the handshake: a client that writes and
//     closes at once would make a ticket sent then fail with EPIPE and lose
//     its data (openssl#6904, #7948; POCO's fix is the first write).

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <climits>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/tls_internal.h"
#include "net/address.h"
#include "net/options.h"

namespace net::internal {
namespace {

// Before each SSL call: an error some other code left on this thread's
// queue would otherwise be read as this call's. Peeking is one load of the
// thread's queue; clearing walks all sixteen slots, three times per echoed
// message.
inline void ClearErrors() {
  if (ABSL_PREDICT_FALSE(ERR_peek_error() != 0)) ERR_clear_error();
}

int ClampToInt(std::size_t n) {
  return n > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(n);
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string NameText(const X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return {};
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
  std::string text = BioText(bio);
  BIO_free(bio);
  return text;
}

absl::Time AsnTime(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return absl::InfinitePast();
  return absl::FromTM(tm, absl::UTCTimeZone());
}

TlsPeerCertificate Describe(X509* cert) {
  TlsPeerCertificate out;
  out.subject = NameText(X509_get_subject_name(cert));
  out.issuer = NameText(X509_get_issuer_name(cert));
  if (auto* names = static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr))) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
      if (name->type == GEN_DNS) {
        const ASN1_IA5STRING* s = name->d.dNSName;
        out.dns_names.emplace_back(
            reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
            static_cast<std::size_t>(ASN1_STRING_length(s)));
      } else if (name->type == GEN_IPADD) {
        const ASN1_OCTET_STRING* s = name->d.iPAddress;
        const unsigned char* p = ASN1_STRING_get0_data(s);
        const int n = ASN1_STRING_length(s);
        if (n == 4) {
          out.ip_addresses.push_back(
              IpAddress::V4(p[0], p[1], p[2], p[3]).ToString());
        } else if (n == 16) {
          IpAddress::V6Bytes bytes;
          std::memcpy(bytes.data(), p, 16);
          out.ip_addresses.push_back(IpAddress::V6(bytes).ToString());
        }
      }
    }
    GENERAL_NAMES_free(names);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert, EVP_sha256(), digest, &length) == 1) {
    out.sha256_fingerprint = absl::BytesToHexString(absl::string_view(
        reinterpret_cast<const char*>(digest), length));
  }
  out.not_before = AsnTime(X509_get0_notBefore(cert));
  out.not_after = AsnTime(X509_get0_notAfter(cert));
  if (BIO* bio = BIO_new(BIO_s_mem())) {
    PEM_write_bio_X509(bio, cert);
    out.pem = BioText(bio);
    BIO_free(bio);
  }
  ERR_clear_error();
  return out;
}

// The names of RFC 8446's alerts (section 6; OpenSSL 3.0's own table says
// "unknown" for the TLS 1.3 ones: 109, 116, ...).
absl::string_view AlertName(int alert) {
  switch (alert) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 22: return "record_overflow";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default: return "unknown";
  }
}

}  // namespace

void PrepareSocket(Socket& socket, const TlsStreamOptions& options) {
  if (options.no_delay && socket.family() != AddressFamily::kUnix) {
    socket.SetOption(NoDelay(true)).IgnoreError();
  }
}

// --- The BIO over net's socket ------------------------------------------------

const BIO_METHOD* TlsEngine::Method() {
  static const BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
                                 "net socket");
    BIO_meth_set_write(m, &TlsEngine::BioWrite);
    BIO_meth_set_read(m, &TlsEngine::BioRead);
    BIO_meth_set_ctrl(m, &TlsEngine::BioCtrl);
    return m;
  }();
  return method;
}

int TlsEngine::BioWrite(BIO* bio, const char* data, int size) {
  auto* e = static_cast<TlsEngine*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (size <= 0) return 0;
  absl::StatusOr<IoResult> r =
      e->socket_->Send(absl::MakeConstSpan(data, static_cast<std::size_t>(size)));
  if (ABSL_PREDICT_TRUE(r.ok() && r->kind() == IoResult::Kind::kTransferred)) {
    return static_cast<int>(r->bytes());
  }
  if (r.ok()) {  // would block
    BIO_set_retry_write(bio);
    return -1;
  }
  e->io_error_ = r.status();
  return -1;
}

int TlsEngine::BioRead(BIO* bio, char* data, int size) {
  auto* e = static_cast<TlsEngine*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (size <= 0) return 0;
  absl::StatusOr<IoResult> r =
      e->socket_->Receive(absl::MakeSpan(data, static_cast<std::size_t>(size)));
  if (ABSL_PREDICT_TRUE(r.ok() && r->kind() == IoResult::Kind::kTransferred)) {
    e->short_read_ = r->bytes() < static_cast<std::size_t>(size);
    return static_cast<int>(r->bytes());
  }
  e->short_read_ = false;
  if (!r.ok()) {
    e->io_error_ = r.status();
    return -1;
  }
  if (r->would_block()) {
    BIO_set_retry_read(bio);
    return -1;
  }
  e->saw_eof_ = true;
  return 0;
}

long TlsEngine::BioCtrl(BIO* bio, int cmd, long /*num*/, void* /*ptr*/) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;  // nothing is buffered here
    case BIO_CTRL_EOF:
      return static_cast<TlsEngine*>(BIO_get_data(bio))->saw_eof_ ? 1 : 0;
    default:
      return 0;
  }
}

// --- Engine -------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<TlsEngine>> TlsEngine::Create(
    std::shared_ptr<const TlsContext> context, Socket* socket,
    const TlsStreamOptions& options) {
  if (context == nullptr) {
    return absl::InvalidArgumentError("tls: no context");
  }
  const TlsContext::Impl& impl = internal::TlsContextAccess::Impl(*context);
  std::unique_ptr<TlsEngine> e(new TlsEngine());
  e->server_ = impl.server;
  e->socket_ = socket;
  e->truncation_is_eof_ = options.truncation_is_end_of_stream;
  ERR_clear_error();
  e->ssl_ = SSL_new(impl.ctx);
  if (e->ssl_ == nullptr) return TlsConfigError("SSL_new");
  BIO* bio = BIO_new(Method());
  if (bio == nullptr) return TlsConfigError("BIO_new");
  BIO_set_data(bio, e.get());
  BIO_set_init(bio, 1);
  SSL_set_bio(e->ssl_, bio, bio);
  if (e->server_) {
    SSL_set_accept_state(e->ssl_);
    e->ticket_owed_ = impl.tickets > 0;
    e->context_ = std::move(context);
    return e;
  }
  SSL_set_connect_state(e->ssl_);
  const std::string& name = options.server_name;
  if (name.empty() && impl.verify_peer) {
    return absl::InvalidArgumentError(
        "tls: a client needs the server's name to verify it "
        "(TlsStreamOptions::server_name)");
  }
  if (!name.empty()) {
    const bool literal = IpAddress::Parse(name).ok();
    // SNI is a host name only (RFC 6066 section 3): never an IP literal.
    if (!literal && SSL_set_tlsext_host_name(e->ssl_, name.c_str()) != 1) {
      return TlsConfigError(absl::StrCat("server name \"", name, "\""));
    }
    if (impl.verify_peer) {
      if (literal) {
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(e->ssl_),
                                          name.c_str()) != 1) {
          return TlsConfigError(absl::StrCat("server address ", name));
        }
      } else {
        SSL_set_hostflags(e->ssl_, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if (SSL_set1_host(e->ssl_, name.c_str()) != 1) {
          return TlsConfigError(absl::StrCat("server name \"", name, "\""));
        }
      }
    }
  }
  if (impl.session_resumption && socket != nullptr) {
    absl::StatusOr<SocketAddress> peer = socket->PeerAddress();
    e->session_key_ =
        absl::StrCat(name, "|", peer.ok() ? peer->ToString() : std::string());
    SSL_set_app_data(e->ssl_, &e->session_key_);
    absl::MutexLock lock(&impl.mu);
    auto it = impl.sessions.find(e->session_key_);
    if (it != impl.sessions.end()) {
      // A copy for this connection: OpenSSL writes to the session it
      // resumes, so one shared by handshakes on several threads at once is
      // a data race (ThreadSanitizer saw it); the cached one is only
      // copied from.
      SSL_SESSION* copy = SSL_SESSION_dup(it->second);
      if (copy != nullptr) {
        SSL_set_session(e->ssl_, copy);
        SSL_SESSION_free(copy);  // the SSL holds its own reference
      }
    }
  }
  e->context_ = std::move(context);
  return e;
}

TlsEngine::~TlsEngine() {
  if (ssl_ != nullptr) SSL_free(ssl_);  // frees the BIO too
}

bool TlsEngine::HasPending() const { return SSL_has_pending(ssl_) == 1; }

std::string TlsEngine::PeerText() const {
  if (socket_ == nullptr) return {};
  absl::StatusOr<SocketAddress> peer = socket_->PeerAddress();
  return peer.ok() ? peer->ToString() : std::string();
}

absl::Status TlsEngine::HandshakeTimeout() const {
  return TlsErrorStatus(TlsError::kHandshakeTimeout,
                        absl::StrCat("tls handshake ", PeerText()), -1, -1,
                        SocketError::kTimedOut);
}

namespace {

// " <peer address>" after an operation's name, or nothing.
std::string Spaced(const std::string& peer) {
  return peer.empty() ? peer : absl::StrCat(" ", peer);
}

}  // namespace

void TlsEngine::BeginCall() {
  ClearErrors();
  // The BIO's socket error belongs to one call only: OpenSSL ignores some
  // (a TLS 1.3 server's ticket write to a peer that is gone), and one kept
  // from then would be reported as the error of a later call.
  if (ABSL_PREDICT_FALSE(!io_error_.ok())) io_error_ = absl::OkStatus();
}

absl::StatusOr<TlsStep> TlsEngine::Handshake() {
  BeginCall();
  const int r = SSL_do_handshake(ssl_);
  if (r == 1) {
    handshake_done_ = true;
    return TlsStep::Done();
  }
  absl::StatusOr<TlsStep> step = Outcome(r, "tls handshake");
  if (step.ok() && step->closed()) {  // a close_notify instead of a handshake
    fatal_ = true;
    return TlsErrorStatus(
        TlsError::kTruncated,
        absl::StrCat("tls handshake", Spaced(PeerText()),
                     ": the peer closed the connection during the handshake"));
  }
  return step;
}

absl::StatusOr<TlsStep> TlsEngine::Read(char* buffer, std::size_t size) {
  BeginCall();
  const int r = SSL_read(ssl_, buffer, ClampToInt(size));
  if (ABSL_PREDICT_TRUE(r > 0)) {
    return TlsStep::Done(static_cast<std::size_t>(r));
  }
  absl::StatusOr<TlsStep> step = Outcome(r, "tls read");
  if (ABSL_PREDICT_FALSE(ticket_owed_) && step.ok() && step->wants_read()) {
    // Everything the client sent with its Finished has been read, and it
    // waits for us: the ticket goes now. A client with Nagle's algorithm
    // holds its first request until its Finished is acknowledged; the
    // ticket is that acknowledgement, as it is when OpenSSL sends it
    // inside the handshake (without it: a 40 ms delayed ACK).
    IssueTicket();
    BeginCall();
    const int sent = SSL_do_handshake(ssl_);  // writes the ticket
    if (sent != 1) {
      absl::StatusOr<TlsStep> flushed = Outcome(sent, "tls ticket");
      // Want write: the next SSL call finishes it. An error ends the
      // stream now (the client's data was read first).
      if (!flushed.ok()) return flushed.status();
    }
  }
  return step;
}

// Servers, TLS 1.3: the session tickets, sent with the next write (the
// first application write, or the flush in Read()).
void TlsEngine::IssueTicket() {
  ticket_owed_ = false;
  if (SSL_version(ssl_) != TLS1_3_VERSION) return;
  const int tickets = internal::TlsContextAccess::Impl(*context_).tickets;
  for (int i = 0; i < tickets; ++i) SSL_new_session_ticket(ssl_);
}

absl::StatusOr<TlsStep> TlsEngine::Write(const char* data, std::size_t size) {
  if (ABSL_PREDICT_FALSE(ticket_owed_)) IssueTicket();
  BeginCall();
  const int r = SSL_write(ssl_, data, ClampToInt(size));
  if (ABSL_PREDICT_TRUE(r > 0)) {
    return TlsStep::Done(static_cast<std::size_t>(r));
  }
  return Outcome(r, "tls write");
}

absl::StatusOr<TlsStep> TlsEngine::SendCloseNotify() {
  if (!can_shut_down()) return TlsStep::Done();
  BeginCall();
  const int r = SSL_shutdown(ssl_);
  if (r >= 0) {  // 0: ours sent, the peer's not seen yet; 1: both
    close_notify_sent_ = true;
    return TlsStep::Done();
  }
  return Outcome(r, "tls shutdown");
}

absl::StatusOr<TlsStep> TlsEngine::Outcome(int ret,
                                           absl::string_view operation) {
  const int error = SSL_get_error(ssl_, ret);
  switch (error) {
    case SSL_ERROR_WANT_READ:
      return TlsStep{TlsStep::Kind::kWantRead, 0};
    case SSL_ERROR_WANT_WRITE:
      return TlsStep{TlsStep::Kind::kWantWrite, 0};
    case SSL_ERROR_ZERO_RETURN:
      return TlsStep{TlsStep::Kind::kClosed, 0};
    default:
      break;
  }
  fatal_ = true;
  const unsigned long code = ERR_peek_error();
  // The socket's own error is the precise one (reset, broken pipe).
  if (!io_error_.ok()) {
    ERR_clear_error();
    return std::exchange(io_error_, absl::OkStatus());
  }
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
  const bool eof =
      saw_eof_ && (code == 0 || ERR_GET_REASON(code) ==
                                    SSL_R_UNEXPECTED_EOF_WHILE_READING);
#else
  const bool eof = saw_eof_ && code == 0;  // OpenSSL 1.1.1: SYSCALL, empty queue
#endif
  if (eof || (error == SSL_ERROR_SYSCALL && code == 0)) {
    ERR_clear_error();
    if (!handshake_done_) {
      return TlsErrorStatus(
          TlsError::kTruncated,
          absl::StrCat(operation, Spaced(PeerText()),
                       ": truncated: the peer closed the connection during "
                       "the handshake"));
    }
    if (truncation_is_eof_) return TlsStep{TlsStep::Kind::kClosed, 0};
    return TlsErrorStatus(
        TlsError::kTruncated,
        absl::StrCat(operation, Spaced(PeerText()),
                     ": truncated: the peer closed the connection without "
                     "close_notify"));
  }
  return ErrorFromQueue(code, operation);
}

absl::Status TlsEngine::ErrorFromQueue(unsigned long first,
                                       absl::string_view operation) {
  const std::string openssl = DrainErrorQueue();
  TlsError kind = TlsError::kOther;
  int alert = -1;
  int verify = -1;
  std::string detail;
  const int reason = ERR_GET_REASON(first);
  const bool ssl_lib = ERR_GET_LIB(first) == ERR_LIB_SSL;
  if (ssl_lib && reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    verify = static_cast<int>(SSL_get_verify_result(ssl_));
    kind = verify == X509_V_ERR_HOSTNAME_MISMATCH ||
                   verify == X509_V_ERR_IP_ADDRESS_MISMATCH
               ? TlsError::kHostnameMismatch
               : TlsError::kCertificateVerifyFailed;
    detail = X509_verify_cert_error_string(verify);
  } else if (ssl_lib && reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
    kind = TlsError::kNoPeerCertificate;
  } else if (ssl_lib && (reason == SSL_R_UNSUPPORTED_PROTOCOL ||
                         reason == SSL_R_NO_PROTOCOLS_AVAILABLE ||
                         reason == SSL_R_WRONG_SSL_VERSION ||
                         reason == SSL_R_VERSION_TOO_LOW ||
                         reason == SSL_R_VERSION_TOO_HIGH ||
                         reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION)) {
    kind = TlsError::kProtocolVersion;
    if (reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION) alert = 70;
  } else if (ssl_lib && (reason == SSL_R_NO_SHARED_CIPHER ||
                         reason == SSL_R_NO_SHARED_GROUPS ||
                         reason == SSL_R_NO_SUITABLE_KEY_SHARE)) {
    kind = TlsError::kNoCommonCipher;
  } else if (ssl_lib && (reason == SSL_R_NO_APPLICATION_PROTOCOL ||
                         reason == SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL)) {
    kind = TlsError::kNoApplicationProtocol;
    if (reason == SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL) alert = 120;
  } else if (ssl_lib && reason >= SSL_AD_REASON_OFFSET &&
             reason < SSL_AD_REASON_OFFSET + 256) {
    // A fatal alert from the peer: OpenSSL's reason is 1000 + its code.
    kind = TlsError::kPeerAlert;
    alert = reason - SSL_AD_REASON_OFFSET;
    detail = absl::StrCat("alert ", alert, " ", AlertName(alert));
  } else if (ssl_lib) {
    kind = TlsError::kProtocolError;
  }
  std::string message = absl::StrCat(operation, Spaced(PeerText()), ": ",
                                     TlsErrorName(kind));
  if (!detail.empty() && detail != TlsErrorName(kind)) {
    absl::StrAppend(&message, ": ", detail);
  }
  if (!openssl.empty()) absl::StrAppend(&message, " [", openssl, "]");
  return TlsErrorStatus(kind, std::move(message), alert, verify);
}

// --- What the handshake settled ------------------------------------------------

absl::StatusOr<TlsSessionInfo> TlsEngine::Info() const {
  if (!handshake_done_) {
    return absl::FailedPreconditionError("tls: the handshake has not finished");
  }
  TlsSessionInfo info;
  info.version = SSL_get_version(ssl_);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_)) {
    const char* standard = SSL_CIPHER_standard_name(cipher);
    info.cipher = standard != nullptr ? standard : SSL_CIPHER_get_name(cipher);
  }
  const unsigned char* alpn = nullptr;
  unsigned int alpn_length = 0;
  SSL_get0_alpn_selected(ssl_, &alpn, &alpn_length);
  if (alpn != nullptr) {
    info.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
  }
  if (const char* name = SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name)) {
    info.server_name = name;
  }
  info.resumed = SSL_session_reused(ssl_) == 1;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  X509* cert = SSL_get1_peer_certificate(ssl_);
#else
  X509* cert = SSL_get_peer_certificate(ssl_);
#endif
  if (cert != nullptr) {
    info.peer_certificate = Describe(cert);
    info.peer_verified = (SSL_get_verify_mode(ssl_) & SSL_VERIFY_PEER) != 0 &&
                         SSL_get_verify_result(ssl_) == X509_V_OK;
    X509_free(cert);
  }
  return info;
}

}  // namespace net::internal
