// Copyright 2026 The net Authors.
//
// The helpers of tests/fuzz/fuzz_util.h.

#include "tests/fuzz/fuzz_util.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"

namespace net_fuzz {

void FuzzCheck(bool ok, absl::string_view what, absl::string_view detail) {
  if (ok) return;
  std::fprintf(stderr, "[net-fuzz] oracle failed: %.*s\n  detail: %s\n",
               static_cast<int>(what.size()), what.data(),
               absl::CHexEscape(detail).c_str());
  std::fflush(stderr);
  std::abort();
}

std::uint8_t FuzzInput::Byte() {
  if (size_ == 0) return 0;
  --size_;
  return data_[size_];
}

std::uint16_t FuzzInput::U16() {
  std::uint16_t lo = Byte();
  return static_cast<std::uint16_t>(lo | (Byte() << 8));
}

std::uint32_t FuzzInput::U32() {
  std::uint32_t lo = U16();
  return lo | (static_cast<std::uint32_t>(U16()) << 16);
}

std::uint64_t FuzzInput::U64() {
  std::uint64_t lo = U32();
  return lo | (static_cast<std::uint64_t>(U32()) << 32);
}

std::string FuzzInput::String(std::size_t max) {
  std::string out;
  std::size_t i = 0;
  while (i < size_ && out.size() < max) {
    char c = static_cast<char>(data_[i++]);
    if (c == '\\' && i < size_) {
      c = static_cast<char>(data_[i++]);
      if (c != '\\') break;
    }
    out.push_back(c);
  }
  data_ += i;
  size_ -= i;
  return out;
}

std::string FuzzInput::Rest() {
  std::string out(reinterpret_cast<const char*>(data_), size_);
  data_ += size_;
  size_ = 0;
  return out;
}

}  // namespace net_fuzz
