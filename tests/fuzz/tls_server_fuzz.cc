// Copyright 2026 The net Authors.
//
// Fuzz target: net's TLS engine as a server, the input being everything
// a client sends: ClientHello and whatever follows
// (RELIABILITY.md T6, T9: garbage, truncation and EOF from the peer; T4
// version and cipher offers). The oracles are in tls_fuzz_common.h.

#include <cstddef>
#include <cstdint>

#include "tests/fuzz/tls_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  return net_fuzz::RunTlsInput(/*server=*/true, data, size);
}
