// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/poll_registry_internal.h
// -----------------------------------------------------------------------------
//
// The registration list of the scanning pollers (poll, select, WSAPoll): a
// dense vector to build the OS's array from, with an index by handle so that
// add, modify and remove are O(1). Portable; used by platform/posix/ and
// platform/windows/.

#ifndef NET_CORE_POLL_REGISTRY_INTERNAL_H_
#define NET_CORE_POLL_REGISTRY_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "net/event_loop.h"
#include "net/socket.h"

namespace net::internal {

class PollRegistry {
 public:
  struct Entry {
    NativeHandle handle;
    std::uint64_t token;
    Interest interest;
  };

  explicit PollRegistry(absl::string_view poller) : poller_(poller) {}

  absl::Status Add(NativeHandle handle, std::uint64_t token, Interest interest) {
    if (!index_.emplace(handle, entries_.size()).second) {
      return absl::AlreadyExistsError(absl::StrCat(
          poller_, ": handle ", handle, " is already registered"));
    }
    entries_.push_back({handle, token, interest});
    return absl::OkStatus();
  }

  absl::Status Modify(NativeHandle handle, std::uint64_t token,
                      Interest interest) {
    auto it = index_.find(handle);
    if (it == index_.end()) {
      return absl::NotFoundError(
          absl::StrCat(poller_, ": handle ", handle, " is not registered"));
    }
    entries_[it->second].token = token;
    entries_[it->second].interest = interest;
    return absl::OkStatus();
  }

  void Remove(NativeHandle handle) {
    auto it = index_.find(handle);
    if (it == index_.end()) return;
    const std::size_t at = it->second;
    index_.erase(it);
    if (at + 1 != entries_.size()) {
      entries_[at] = entries_.back();
      index_[entries_[at].handle] = at;
    }
    entries_.pop_back();
  }

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  absl::string_view poller_;
  std::vector<Entry> entries_;
  absl::flat_hash_map<NativeHandle, std::size_t> index_;
};

}  // namespace net::internal

#endif  // NET_CORE_POLL_REGISTRY_INTERNAL_H_
