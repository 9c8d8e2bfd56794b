// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/fuzz/control_data_fuzz.cc
// -----------------------------------------------------------------------------
//
// Fuzz target: the control-data decoder, `net::sys::DecodeControl()`
// (platform/posix/message_posix.cc), on arbitrary control buffers: the
// bytes a lying or buggy kernel, or a hostile peer's crafted cmsg_len, could
// leave in msg_control (RELIABILITY.md P1, P5; issue 15). The input is
// copied into a heap buffer of exactly its length, so ASan catches any read
// past the length the receive call returned. The first byte, if any, picks
// an offset of 0..7 into an over-allocated buffer, so unaligned control
// data is tried too (the decoder must copy, never cast). Oracles:
//
//   * no read outside the buffer (ASan), no undefined behaviour (UBSan);
//   * the descriptors reported are at most what the bytes can hold
//     (length / sizeof(int)), and the items (known or unknown) at most
//     what whole headers fit;
//   * decoding the same bytes twice gives the same answer (no state);
//   * nothing is opened or closed: the decoder returns raw numbers, which
//     this target never closes (they are arbitrary).

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "net/message.h"
#include "platform/sys.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "control_data oracle failed: %s\n", what);
    std::abort();
  }
}

std::size_t Items(const net::ReceivedControl& c, std::size_t descriptors) {
  return c.unknown_items + (c.packet_info ? 1 : 0) + (c.hop_limit ? 1 : 0) +
         (c.traffic_class ? 1 : 0) + (c.timestamp ? 1 : 0) +
         (c.gro_size ? 1 : 0) + (c.credentials ? 1 : 0) +
         (descriptors > 0 ? 1 : 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::size_t shift = 0;
  if (size > 0) {
    shift = data[0] % 8;
    ++data;
    --size;
  }
  std::unique_ptr<std::uint8_t[]> storage(new std::uint8_t[size + shift]);
  std::uint8_t* buffer = storage.get() + shift;
  if (size > 0) std::memcpy(buffer, data, size);

  net::ReceivedControl first;
  std::vector<net::NativeHandle> fds;
  net::sys::DecodeControl(buffer, size, &first, &fds);
  Check(fds.size() <= size / sizeof(int), "more descriptors than bytes");
  // Items known to merge (packet info from two headers) make this a bound.
  Check(Items(first, fds.size()) <= size / sizeof(cmsghdr),
        "more items than headers fit");

  net::ReceivedControl second;
  std::vector<net::NativeHandle> fds2;
  net::sys::DecodeControl(buffer, size, &second, &fds2);
  Check(fds == fds2, "descriptors differ between two decodes");
  Check(first.unknown_items == second.unknown_items, "unknown items differ");
  Check(first.hop_limit == second.hop_limit, "hop limit differs");
  Check(first.traffic_class == second.traffic_class, "traffic class differs");
  Check(first.timestamp == second.timestamp, "timestamp differs");
  Check(first.gro_size == second.gro_size, "gro size differs");
  Check(first.packet_info.has_value() == second.packet_info.has_value(),
        "packet info differs");
  return 0;
}
