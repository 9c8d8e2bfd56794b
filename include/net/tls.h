// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tls.h
// -----------------------------------------------------------------------------
//
// TLS over OpenSSL, secure by default. No OpenSSL type appears here
// (net/tls_openssl.h is the opt-in escape hatch to `SSL_CTX*` and `SSL*`).
//
//   * `TlsContext`: immutable and shared (`std::shared_ptr<const
//     TlsContext>`), made once from `TlsClientOptions` or
//     `TlsServerOptions`: trust, certificate and key, versions, ciphers,
//     ALPN, resumption, SNI. Certificates, keys and CA stores are parsed
//     here, once, never per connection.
//   * `TlsSocket`: a blocking TLS stream over a connected `net::Socket` for
//     thread-per-connection code; every call takes a deadline and the
//     stream stays usable after one passes.
//   * TLS on `net::Connection`: `ConnectTls()` for clients, `NewTlsConnection()`
//     to wrap an accepted (or connected) socket. It is a `Connection`, with
//     the same API (data callback, write queue, watermarks, half-close,
//     timeouts); the handshake runs on the loop under a deadline first.
//
// Client defaults: the peer is verified against the system's trust store;
// the name connected to is checked against the certificate (DNS names with
// no partial wildcards; an IP literal against the IP SANs) and sent as SNI
// (never for an IP literal); TLS 1.2 minimum; no renegotiation, no
// compression. Verification is off only through
// `TlsClientOptions::insecure_skip_verification`.
//
// Server verification modes are cp_socket's four (`TlsVerifyMode`).
//
// Errors are `absl::Status`es with a portable `TlsError` (GetTlsError())
// beside OpenSSL's text: a certificate that does not verify (with the X.509
// reason), a name mismatch, no common protocol version, the peer's alert
// (which one), a handshake timeout, a truncated stream. docs/tls.md has the
// model and the decisions against Asio, libevent and POCO.
//
// Example (a client on a loop):
//
//   auto ctx = net::TlsContext::NewClient({});  // system trust, verify
//   auto pending = net::ConnectTls(loop, "example.test", 443, *ctx, {}, {},
//       [&](absl::StatusOr<net::ConnectionPtr> c) {
//         if (!c.ok()) return report(c.status());  // refused, verify, ...
//         (*c)->SetHandler(&handler);
//         (*c)->Write("GET / HTTP/1.0\r\n\r\n");
//       });

#ifndef NET_TLS_H_
#define NET_TLS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "net/connect.h"
#include "net/connection.h"
#include "net/event_loop.h"
#include "net/export.h"
#include "net/socket.h"

namespace net {

// TlsVersion
//
// Protocol versions net speaks. Older ones are not offered at all: a
// TLS 1.1-only peer fails with `TlsError::kProtocolVersion`.
enum class TlsVersion : std::uint8_t {
  kTls1_2,  // TLS 1.2
  kTls1_3,  // TLS 1.3
};

// TlsVerifyMode
//
// How a server treats client certificates (cp_socket's four modes; the
// OpenSSL verify flags each one sets).
enum class TlsVerifyMode : std::uint8_t {
  // No certificate is asked for (SSL_VERIFY_NONE).
  kNone,
  // One is asked for and verified if sent; a client without one is
  // accepted (SSL_VERIFY_PEER).
  kPeer,
  // One is asked for and required: the handshake fails without one
  // (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT).
  kRequirePeer,
  // As kPeer, but a resumed session is not asked again
  // (SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE).
  kPeerOnce,
};

// TlsError
//
// The portable meaning of a TLS failure, carried by the status (the status
// code is the canonical one named here; the message has OpenSSL's text).
enum class TlsError : int {
  kNone = 0,  // none
  kCertificateVerifyFailed,  // kUnauthenticated; the X.509 reason in the text
                             // and in GetTlsVerifyResult()
  kHostnameMismatch,         // kUnauthenticated: the certificate is valid
                             // but not for the name (or IP) connected to
  kNoPeerCertificate,        // kUnauthenticated: a server requires one
  kProtocolVersion,          // kFailedPrecondition: no common version
  kNoCommonCipher,           // kFailedPrecondition: no common cipher or group
  kNoApplicationProtocol,    // kFailedPrecondition: ALPN had no overlap
  kPeerAlert,                // kUnavailable: the peer sent a fatal alert
                             // (GetTlsAlert() says which)
  kHandshakeTimeout,         // kDeadlineExceeded
  kTruncated,                // kDataLoss: EOF without close_notify
  kProtocolError,            // kUnavailable: garbage, not TLS, a bad record
  kConfiguration,            // kInvalidArgument: bad options, files, keys
  kOther,                    // any other OpenSSL failure (kInternal)
};

// TlsErrorName()
//
// The stable lowercase name of `error` ("certificate verify failed").
NET_EXPORT absl::string_view TlsErrorName(TlsError error);

// GetTlsError()
//
// The portable TLS error carried by `status`: kNone for OK or for a status
// that is not a TLS failure (a connection reset under TLS stays a
// `SocketError`, see GetSocketError()).
NET_EXPORT TlsError GetTlsError(const absl::Status& status);

// GetTlsAlert()
//
// For kPeerAlert (and failures this side announced with an alert), the TLS
// alert description (RFC 8446 section 6: 42 bad_certificate, 48
// unknown_ca, 70 protocol_version, 116 certificate_required, ...). A peer
// that refuses a renegotiation net asked for never happens (net never
// asks); one that net refuses usually aborts with 40 handshake_failure.
NET_EXPORT std::optional<int> GetTlsAlert(const absl::Status& status);

// GetTlsVerifyResult()
//
// For kCertificateVerifyFailed and kHostnameMismatch, the X.509 verify
// result (OpenSSL's X509_V_ERR_* value: 10 certificate has expired, 18 self
// signed, 20 unable to get local issuer, 62 hostname mismatch, ...).
NET_EXPORT std::optional<int> GetTlsVerifyResult(const absl::Status& status);

// TlsOptions
//
// What clients and servers share. A field left empty means "the default".
struct TlsOptions {
  // Trust. With no CA file, directory or PEM, the system store is used
  // (OpenSSL's default paths; on Windows the system ROOT store is imported,
  // docs/tls.md). Giving any of them replaces the system store unless
  // `add_system_trust` is set.
  std::string ca_file;       // PEM, one or more certificates
  std::string ca_directory;  // hashed directory (c_rehash)
  std::string ca_pem;        // PEM text in memory
  bool add_system_trust = false;
  int verify_depth = 10;

  // This side's certificate chain (leaf first) and private key, from files
  // or from PEM in memory. An encrypted key needs `private_key_password`.
  std::string certificate_chain_file;
  std::string certificate_chain_pem;
  std::string private_key_file;
  std::string private_key_pem;
  std::string private_key_password;

  TlsVersion min_version = TlsVersion::kTls1_2;  // the oldest version accepted
  TlsVersion max_version = TlsVersion::kTls1_3;  // the newest version offered
  // OpenSSL syntax. `cipher_list`: TLS 1.2 ciphers; `cipher_suites`:
  // TLS 1.3 suites ("TLS_AES_128_GCM_SHA256:..."); `groups`: key exchange
  // groups ("X25519:P-256").
  std::string cipher_list;
  std::string cipher_suites;
  std::string groups;

  // ALPN protocols in preference order ("h2", "http/1.1"). A server picks
  // the first of its own list that the client offers; with no overlap the
  // handshake fails (kNoApplicationProtocol).
  std::vector<std::string> alpn;

  // Session resumption: tickets (TLS 1.3 and 1.2) and, on servers, a
  // session cache; on clients, the last session per server name and port
  // is kept in the context and offered again.
  bool session_resumption = true;

  // For debugging with Wireshark: called with each NSS key log line
  // ("CLIENT_TRAFFIC_SECRET_0 ..."). Never set it in production. It may be
  // called on any thread that handshakes.
  std::function<void(absl::string_view line)> key_log;
};

// TlsClientOptions
struct TlsClientOptions : TlsOptions {
  // Turns off certificate and name verification. Only for tests and
  // debugging: anyone on the path can then read and change the traffic.
  bool insecure_skip_verification = false;
};

class TlsContext;

// TlsServerOptions
struct TlsServerOptions : TlsOptions {
  TlsVerifyMode verify = TlsVerifyMode::kNone;  // client certificates
  // SNI certificate selection: a client asking for one of these names gets
  // that context's certificate and key (its verify mode applies too); any
  // other name, or none, gets this context's own. Names are DNS names,
  // matched without case; "*.example.test" matches one label.
  std::vector<std::pair<std::string, std::shared_ptr<const TlsContext>>>
      sni_contexts;
  // TLS 1.3 session tickets sent after a full handshake (0: none, which
  // also disables resumption for TLS 1.3 clients).
  int tickets = 1;
};

namespace internal {
struct TlsContextAccess;
}  // namespace internal

// TlsContext
//
// Immutable once made; share it between connections and threads. To
// reload a certificate, make a new context: connections keep the one they
// started with.
class NET_EXPORT TlsContext {
 public:
  // TlsContext::NewClient(), TlsContext::NewServer()
  //
  // Errors: kInvalidArgument (TlsError::kConfiguration) naming the option
  // and OpenSSL's reason: a file that cannot be read, a certificate or key
  // that does not parse, a key that does not match the certificate, a wrong
  // password, a cipher list with nothing in it, a min version above the
  // max; kFailedPrecondition for a server without certificate and key. A
  // server that verifies clients without a CA option trusts the system
  // store, as a client does.
  static absl::StatusOr<std::shared_ptr<const TlsContext>> NewClient(
      const TlsClientOptions& options);
  static absl::StatusOr<std::shared_ptr<const TlsContext>> NewServer(
      const TlsServerOptions& options);

  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  ~TlsContext();

  // Whether the context was made by `NewServer()`.
  bool is_server() const;

  // Internal (core/tls_context.cc).
  struct Impl;

 private:
  friend struct internal::TlsContextAccess;
  const Impl& impl() const { return *impl_; }
  explicit TlsContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// TlsPeerCertificate
//
// The peer's leaf certificate, as verified (or as sent, with verification
// off).
struct TlsPeerCertificate {
  std::string subject;  // RFC 2253 ("CN=localhost,O=net test")
  std::string issuer;  // the issuer's distinguished name
  std::vector<std::string> dns_names;     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses;  // subjectAltName IP entries, text
  std::string sha256_fingerprint;         // lowercase hex, no separators
  absl::Time not_before;  // validity start
  absl::Time not_after;  // validity end
  std::string pem;  // the certificate, PEM
};

// TlsSessionInfo
//
// What the handshake settled.
struct TlsSessionInfo {
  std::string version;  // "TLSv1.3"
  std::string cipher;   // "TLS_AES_128_GCM_SHA256"
  std::string alpn;     // empty when none was agreed
  std::string server_name;  // SNI: sent (client) or received (server)
  bool resumed = false;  // an abbreviated handshake (session resumed)
  bool peer_verified = false;  // a peer certificate was sent and verified
  std::optional<TlsPeerCertificate> peer_certificate;  // if one was sent
};

// TlsStreamOptions
//
// Per-stream settings for `TlsSocket`, `NewTlsConnection()` and
// `ConnectTls()`.
struct TlsStreamOptions {
  // Clients: the name to verify and to send as SNI. `ConnectTls()` uses
  // the host it connects to when this is empty; an IP literal is verified
  // against IP SANs and not sent. Servers ignore it.
  std::string server_name;
  // The handshake must finish within this (kHandshakeTimeout after it).
  // For `TlsSocket` the deadline of each call applies instead.
  absl::Duration handshake_timeout = absl::Seconds(30);
  // How long closing waits for the peer's close_notify after sending ours
  // before closing anyway.
  absl::Duration close_notify_timeout = absl::Seconds(3);
  // An EOF without the peer's close_notify is an error (kTruncated) unless
  // this is set; then it is an end of stream like any other.
  bool truncation_is_end_of_stream = false;
  // TCP_NODELAY on the socket (TCP only). TLS writes whole records, and a
  // server's session ticket goes out just before its first write: with
  // Nagle's algorithm the second small segment waits for the peer's delayed
  // ACK (40 ms on Linux) and a request/response exchange stalls on it.
  bool no_delay = true;
};

namespace internal {
struct TlsSocketAccess;
}  // namespace internal

// TlsSocket
//
// A blocking TLS stream over a connected stream socket, for thread-per-
// connection code. The socket is made non-blocking inside: every call waits
// with poll() against its deadline (never SO_RCVTIMEO), so a timeout is told
// apart from an error and leaves the stream usable: call again. One thread
// at a time per TlsSocket.
class NET_EXPORT TlsSocket {
 public:
  // TlsSocket::Client(), TlsSocket::Server()
  //
  // Takes `socket` (connected) and runs the handshake until `deadline`.
  // On failure the socket is closed. Errors: the TLS errors above,
  // kHandshakeTimeout (kDeadlineExceeded) at the deadline, the socket's
  // errors (reset, ...); kInvalidArgument for a context of the wrong role,
  // a closed socket or one that is not a stream.
  static absl::StatusOr<TlsSocket> Client(
      Socket socket, std::shared_ptr<const TlsContext> context,
      const TlsStreamOptions& options = {},
      absl::Time deadline = absl::InfiniteFuture());
  static absl::StatusOr<TlsSocket> Server(
      Socket socket, std::shared_ptr<const TlsContext> context,
      const TlsStreamOptions& options = {},
      absl::Time deadline = absl::InfiniteFuture());

  // Movable; `other` is left closed.
  TlsSocket(TlsSocket&& other) noexcept;
  TlsSocket& operator=(TlsSocket&& other) noexcept;
  ~TlsSocket();  // closes without waiting (close_notify if it can be sent)

  // TlsSocket::Read()
  //
  // Up to `buffer.size()` bytes, waiting until at least one is there.
  // End of stream when the peer sent close_notify (or, with
  // `truncation_is_end_of_stream`, closed without it). kTimedOut
  // (kDeadlineExceeded) when the deadline passes first; kDataLoss
  // (kTruncated) for an EOF without close_notify.
  absl::StatusOr<IoResult> Read(absl::Span<char> buffer,
                                absl::Time deadline = absl::InfiniteFuture());

  // TlsSocket::Write()
  //
  // Writes all of `data`. At the deadline, kTimedOut; `*written` (if
  // given) says how much was taken either way. After a timeout, write the
  // rest (`data.substr(*written)`) before anything else.
  absl::Status Write(absl::string_view data,
                     absl::Time deadline = absl::InfiniteFuture(),
                     std::size_t* written = nullptr);

  // TlsSocket::ShutdownWrite()
  //
  // Sends close_notify, then the FIN: the peer reads the end of the stream;
  // this side can still read.
  absl::Status ShutdownWrite(absl::Time deadline = absl::InfiniteFuture());

  // TlsSocket::Close()
  //
  // Sends close_notify (unless sent), waits until `deadline` at most for
  // the peer's (discarding data still arriving), and closes the socket.
  absl::Status Close(absl::Time deadline = absl::InfiniteFuture());

  // TlsSocket::Info()
  //
  // What the handshake settled. kFailedPrecondition once closed.
  absl::StatusOr<TlsSessionInfo> Info() const;

  // Whether it holds a stream, and its socket (for addresses, options).
  bool is_open() const;
  const Socket& socket() const;

  // Internal (core/tls_socket.cc).
  struct Impl;

 private:
  friend struct internal::TlsSocketAccess;
  Impl* impl() const { return impl_.get(); }
  explicit TlsSocket(std::unique_ptr<Impl> impl);
  static absl::StatusOr<TlsSocket> Handshake(
      absl::StatusOr<std::unique_ptr<Impl>> impl, absl::Time deadline);
  std::unique_ptr<Impl> impl_;
};

// NewTlsConnection()
//
// TLS on an event loop over `socket` (connected; an accepted one for a
// server context, a connected one for a client context, which then needs
// `options.server_name` unless verification is off). The handshake starts
// when a handler is set and must finish within `options.handshake_timeout`;
// until then `OnData()` is not called and writes are queued. A failed
// handshake ends in `OnError()` with its TLS error.
//
// The result is a `Connection` with its whole API: `ShutdownWrite()` sends
// close_notify and then the FIN; the peer's close_notify is
// `OnEndOfStream()`; `Close()` sends close_notify after the queue drains;
// an EOF without close_notify is `OnError(kDataLoss, kTruncated)` unless
// `truncation_is_end_of_stream`.
//
// Errors: those of `Connection::Create()`; kInvalidArgument for a client
// context with no server name and verification on.
NET_EXPORT absl::StatusOr<ConnectionPtr> NewTlsConnection(
    EventLoop& loop, Socket socket, std::shared_ptr<const TlsContext> context,
    const TlsStreamOptions& options = {},
    const ConnectionOptions& connection_options = {});

// ConnectTls()
//
// `ConnectByName()`, then the TLS handshake (verifying `host`, or
// `tls_options.server_name` if set). `callback` runs once with the
// connection after the handshake, or with the error of either step. The
// connect's `options.timeout` covers the connect; the handshake has
// `tls_options.handshake_timeout` after it.
NET_EXPORT std::unique_ptr<PendingConnect> ConnectTls(
    EventLoop& loop, absl::string_view host, std::uint16_t port,
    std::shared_ptr<const TlsContext> context, const ConnectOptions& options,
    const TlsStreamOptions& tls_options, ConnectCallback callback);

// GetTlsInfo()
//
// For a TLS connection whose handshake finished: what it settled.
// kFailedPrecondition for a plain connection or before the handshake.
NET_EXPORT absl::StatusOr<TlsSessionInfo> GetTlsInfo(
    const Connection& connection);

// IsTls()
NET_EXPORT bool IsTls(const Connection& connection);

}  // namespace net

#endif  // NET_TLS_H_
