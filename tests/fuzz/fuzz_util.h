// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/fuzz/fuzz_util.h
// -----------------------------------------------------------------------------
//
// What the fuzz targets share: `FuzzCheck()`, the oracle's failure (prints
// what broke and aborts, which libFuzzer and the replay driver both report
// as a finding), and `FuzzInput`, which carves typed values out of the
// input bytes the way libFuzzer's FuzzedDataProvider does (fixed-size
// values from the end, variable-length strings from the front), so a
// mutation of one field leaves the others in place.

#ifndef NET_TESTS_FUZZ_FUZZ_UTIL_H_
#define NET_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace net_fuzz {

// FuzzCheck()
//
// Aborts with "[net-fuzz] oracle failed: <what>" and `detail` (C-escaped)
// on stderr when `ok` is false.
void FuzzCheck(bool ok, absl::string_view what, absl::string_view detail = "");

// FuzzInput
//
// A cursor over the input. Every getter is total: past the end it gives
// zeroes and empty strings.
class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size)
      : data_(data), size_(size) {}

  std::size_t remaining() const { return size_; }

  // One byte / integer from the end of the input (little-endian).
  std::uint8_t Byte();
  std::uint16_t U16();
  std::uint32_t U32();
  std::uint64_t U64();
  bool Bool() { return (Byte() & 1) != 0; }
  // A value in [0, n) (n > 0).
  std::uint32_t Below(std::uint32_t n) { return U32() % n; }

  // Up to `max` bytes from the front, ended by a backslash that is not
  // doubled (the scheme of FuzzedDataProvider::ConsumeRandomLengthString).
  std::string String(std::size_t max);
  // Everything left, from the front.
  std::string Rest();

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

}  // namespace net_fuzz

#endif  // NET_TESTS_FUZZ_FUZZ_UTIL_H_
