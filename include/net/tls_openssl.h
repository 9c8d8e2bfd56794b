// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tls_openssl.h
// -----------------------------------------------------------------------------
//
// The escape hatch to OpenSSL, opt-in: including this header brings
// <openssl/ssl.h>. For what net does not wrap (OCSP stapling, custom
// verification, key updates, exporters). Changing what net set up
// (verification, callbacks, the BIO, the modes) is at your own risk; a
// context is shared between threads, so configure an `SSL_CTX` only before
// any connection uses it.

#ifndef NET_TLS_OPENSSL_H_
#define NET_TLS_OPENSSL_H_

#include <openssl/ssl.h>

#include "net/connection.h"
#include "net/export.h"
#include "net/tls.h"

namespace net {

// The context's SSL_CTX.
NET_EXPORT SSL_CTX* NativeSslContext(const TlsContext& context);

// The stream's SSL (owned by it). Null for a closed TlsSocket.
NET_EXPORT SSL* NativeSsl(const TlsSocket& socket);

// The TLS connection's SSL (owned by it); null for a plain connection. Use
// it on the loop's thread only.
NET_EXPORT SSL* NativeSsl(const Connection& connection);

}  // namespace net

#endif  // NET_TLS_OPENSSL_H_
