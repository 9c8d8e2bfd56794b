// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/handle_set_internal.h
// -----------------------------------------------------------------------------
//
// A set of native handles for `net::EventLoop` (which handles are watched,
// so that a second watch of one is refused). Descriptors are small integers
// (POSIX hands out the lowest free number, and Winsock's SOCKETs are small
// multiples of 4 in practice), so an array of flags indexed by the handle
// answers in one load with no hashing, and costs a byte per descriptor
// number instead of a hash-table entry per handle (about 28 bytes per
// registration with absl::flat_hash_map): a loop inserts and erases once per
// accepted connection. Bytes, not bits (std::vector<bool>): a bit costs a
// shift and a mask per access and saves 7 bytes per descriptor. A handle at
// or past the dense limit, which a SOCKET may be, goes to a hash set.

#ifndef NET_CORE_HANDLE_SET_INTERNAL_H_
#define NET_CORE_HANDLE_SET_INTERNAL_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "net/socket.h"

namespace net::internal {

class HandleSet {
 public:
  // Handles below `dense_limit` go to the array (at most dense_limit bytes,
  // grown as needed), the others to the hash set.
  explicit HandleSet(NativeHandle dense_limit = kDefaultDenseLimit)
      : dense_limit_(dense_limit) {}

  // Adds `handle`; false if it was in the set already.
  bool Insert(NativeHandle handle) {
    if (handle >= dense_limit_) {
      if (!sparse_.insert(handle).second) return false;
    } else {
      if (handle >= dense_.size()) {
        dense_.resize(std::max<std::size_t>(handle + 1, dense_.size() * 2));
      }
      if (dense_[handle] != 0) return false;
      dense_[handle] = 1;
    }
    ++size_;
    return true;
  }

  // Removes `handle`; false if it was not in the set.
  bool Erase(NativeHandle handle) {
    if (handle >= dense_limit_) {
      if (sparse_.erase(handle) == 0) return false;
    } else {
      if (handle >= dense_.size() || dense_[handle] == 0) return false;
      dense_[handle] = 0;
    }
    --size_;
    return true;
  }

  bool Contains(NativeHandle handle) const {
    if (handle >= dense_limit_) return sparse_.contains(handle);
    return handle < dense_.size() && dense_[handle] != 0;
  }
  std::size_t size() const { return size_; }

  static constexpr NativeHandle kDefaultDenseLimit = NativeHandle{1} << 20;  // 1 MiB

 private:
  NativeHandle dense_limit_;
  std::vector<std::uint8_t> dense_;
  absl::flat_hash_set<NativeHandle> sparse_;
  std::size_t size_ = 0;
};

}  // namespace net::internal

#endif  // NET_CORE_HANDLE_SET_INTERNAL_H_
