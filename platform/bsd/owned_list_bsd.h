// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/bsd/owned_list_bsd.h
// -----------------------------------------------------------------------------
//
// OwnedList, for the linked lists that the OS allocates and frees with its
// own function: getaddrinfo (resolver_posix.cc), GetAddrInfoW
// (resolver_windows.cc) and getifaddrs (interface_posix.cc). Both backends
// include it. platform/bsd/socket_bsd.h says what this directory is. This
// file uses no OS name at all; the backend names the list type and its
// free function, so any include order works.

#ifndef NET_PLATFORM_BSD_OWNED_LIST_BSD_H_
#define NET_PLATFORM_BSD_OWNED_LIST_BSD_H_

namespace net::sys::bsd {

// OwnedList
//
// Owns a linked list that the OS allocated, and frees it with `Free` on
// every path.
//
// Example:
//
//   bsd::OwnedList<addrinfo, ::freeaddrinfo> list;
//   int rc = ::getaddrinfo(host, service, &hints, list.out());
//
// `Free` must have a constant address: a function imported from a DLL
// (FreeAddrInfoW) is wrapped in one of the backend's own.
template <typename T, auto Free>
class OwnedList {
 public:
  OwnedList() = default;
  ~OwnedList() {
    if (head_ != nullptr) Free(head_);
  }
  OwnedList(const OwnedList&) = delete;
  OwnedList& operator=(const OwnedList&) = delete;

  T** out() { return &head_; }
  const T* head() const { return head_; }

 private:
  T* head_ = nullptr;
};

}  // namespace net::sys::bsd

#endif  // NET_PLATFORM_BSD_OWNED_LIST_BSD_H_
