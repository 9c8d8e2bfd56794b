// Copyright 2026 The net Authors.
//
// Built by the pkg-config consumer (Makefile beside this file): prints the
// version of the net library it runs with, which ci/check-pkg-config.sh
// compares with `pkg-config --modversion net`. It first makes a TLS client
// context, so that a static link of libnet.a needs OpenSSL: a net.pc that
// forgets `openssl` fails to link here (main.cc alone pulls no TLS code).

#include <net/tls.h>
#include <net/version.h>

#include <cstdio>
#include <string>

int main() {
  net::TlsClientOptions options;
  options.insecure_skip_verification = true;
  const auto context = net::TlsContext::NewClient(options);
  if (!context.ok()) {
    std::fprintf(stderr, "TLS client context: %s\n",
                 context.status().ToString().c_str());
    return 1;
  }
  const std::string version(net::Version());
  std::printf("%s\n", version.c_str());
  return version.empty() ? 1 : 0;
}
