// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/posix/interface_posix.cc
// -----------------------------------------------------------------------------
//
// sys::ListInterfaces() over getifaddrs(3). The Windows twin is
// platform/windows/interface_windows.cc (GetAdaptersAddresses).
// sys::InterfaceIndex() and sys::InterfaceName() live in address_posix.cc,
// next to the zone lookups of the address parser.
//
// getifaddrs returns one entry per (interface, address), plus, on Linux, one
// AF_PACKET entry and, on BSD, one AF_LINK entry per interface that has no
// IP address at all. Entries are grouped by interface index, so that Linux
// alias labels (`eth0:1`) fold into their interface.

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "core/errors_internal.h"
#include "net/address.h"
#include "net/resolver.h"
#include "platform/bsd/owned_list_bsd.h"
#include "platform/sys.h"

namespace net::sys {
namespace {

// AvailableLength()
//
// How many bytes of `sa` the kernel filled in, at most `full`. BSD-derived
// stacks (macOS, FreeBSD, ...) may hand back netmasks with a shortened
// `sa_len` (trailing zero bytes cut off) and even `sa_family` 0, so the
// length must be read from `sa_len` there; Linux has no `sa_len` and always
// returns the whole structure.
std::size_t AvailableLength(const sockaddr* sa, std::size_t full) {
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)
  return std::min<std::size_t>(sa->sa_len, full);
#else
  (void)sa;
  return full;
#endif
}

// ClearEmbeddedScope()
//
// The KAME IPv6 stack of the BSDs and macOS embeds the interface index of a
// link-local address in its third and fourth bytes (`fe80:4::1`) inside the
// kernel, and getifaddrs leaks that form out; Go's net package strips it the
// same way (interface_bsd.go). Linux reports the plain address and the scope
// in `sin6_scope_id`. Returns the embedded index (0 if none).
std::uint32_t ClearEmbeddedScope(IpAddress::V6Bytes& bytes) {
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)
  const bool link_local = bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
  if (!link_local) return 0;
  const std::uint32_t embedded = (std::uint32_t{bytes[2]} << 8) | bytes[3];
  bytes[2] = 0;
  bytes[3] = 0;
  return embedded;
#else
  (void)bytes;
  return 0;
#endif
}

// Copies the address bytes of a sockaddr_in / sockaddr_in6 (`offset` is
// where they start, `size` how many) as far as the kernel filled them in;
// missing bytes stay zero.
template <std::size_t N>
void CopyAddressBytes(const sockaddr* sa, std::size_t full, std::size_t offset,
                      std::array<std::uint8_t, N>& out) {
  out.fill(0);
  const std::size_t available = AvailableLength(sa, full);
  if (available <= offset) return;
  const std::size_t n = std::min(N, available - offset);
  std::memcpy(out.data(), reinterpret_cast<const unsigned char*>(sa) + offset,
              n);
}

// The number of leading one bits of a netmask.
int PrefixLength(absl::Span<const std::uint8_t> mask) {
  int bits = 0;
  for (std::uint8_t byte : mask) {
    for (int bit = 7; bit >= 0; --bit) {
      if ((byte & (1u << bit)) == 0) return bits;
      ++bits;
    }
  }
  return bits;
}

// Decodes the IPv4 or IPv6 address of one getifaddrs entry; false for any
// other family (AF_PACKET, AF_LINK) or no address.
bool DecodeEntry(const ifaddrs& entry, std::uint32_t index,
                 InterfaceAddress* out) {
  const sockaddr* addr = entry.ifa_addr;
  if (addr == nullptr) return false;
  if (addr->sa_family == AF_INET) {
    IpAddress::V4Bytes ip{}, mask{};
    CopyAddressBytes(addr, sizeof(sockaddr_in), offsetof(sockaddr_in, sin_addr),
                     ip);
    if (entry.ifa_netmask != nullptr) {
      CopyAddressBytes(entry.ifa_netmask, sizeof(sockaddr_in),
                       offsetof(sockaddr_in, sin_addr), mask);
    }
    out->address = IpAddress::V4(ip);
    out->netmask = IpAddress::V4(mask);
    out->prefix_length = PrefixLength(mask);
    return true;
  }
  if (addr->sa_family == AF_INET6) {
    IpAddress::V6Bytes ip{}, mask{};
    CopyAddressBytes(addr, sizeof(sockaddr_in6),
                     offsetof(sockaddr_in6, sin6_addr), ip);
    if (entry.ifa_netmask != nullptr) {
      CopyAddressBytes(entry.ifa_netmask, sizeof(sockaddr_in6),
                       offsetof(sockaddr_in6, sin6_addr), mask);
    }
    sockaddr_in6 sin6;
    std::memset(&sin6, 0, sizeof sin6);
    std::memcpy(&sin6, addr, AvailableLength(addr, sizeof sin6));
    std::uint32_t scope = sin6.sin6_scope_id;
    const std::uint32_t embedded = ClearEmbeddedScope(ip);
    if (scope == 0) scope = embedded;
    // A link-local address means nothing without its interface: if the OS
    // gave no scope, it is the interface the address was listed on. Other
    // addresses carry none.
    if (!IpAddress::V6(ip).IsLinkLocal()) {
      scope = 0;
    } else if (scope == 0) {
      scope = index;
    }
    out->address = IpAddress::V6(ip, scope);
    out->netmask = IpAddress::V6(mask);
    out->prefix_length = PrefixLength(mask);
    return true;
  }
  return false;
}

InterfaceFlags DecodeFlags(unsigned int flags) {
  InterfaceFlags out;
  out.up = (flags & IFF_UP) != 0;
  out.running = (flags & IFF_RUNNING) != 0;
  out.loopback = (flags & IFF_LOOPBACK) != 0;
  out.broadcast = (flags & IFF_BROADCAST) != 0;
  out.multicast = (flags & IFF_MULTICAST) != 0;
  out.point_to_point = (flags & IFF_POINTOPOINT) != 0;
  return out;
}

// The interface's own name for `index` (`eth0` for an `eth0:1` entry), or
// `fallback` if the OS does not know the index.
std::string CanonicalName(std::uint32_t index, const char* fallback) {
  char name[IF_NAMESIZE + 1] = {};
  if (index != 0 && ::if_indextoname(index, name) != nullptr) return name;
  return fallback;
}

}  // namespace

absl::StatusOr<std::vector<NetworkInterface>> ListInterfaces() {
  bsd::OwnedList<ifaddrs, ::freeifaddrs> list;
  if (::getifaddrs(list.out()) != 0) {
    return internal::SystemError("getifaddrs", "", errno);
  }
  std::vector<NetworkInterface> interfaces;
  auto find = [&interfaces](std::uint32_t index,
                            const char* name) -> NetworkInterface* {
    for (NetworkInterface& i : interfaces) {
      if (index != 0 ? i.index == index : i.name == name) return &i;
    }
    return nullptr;
  };
  for (const ifaddrs* e = list.head(); e != nullptr; e = e->ifa_next) {
    if (e->ifa_name == nullptr) continue;
    const std::uint32_t index = ::if_nametoindex(e->ifa_name);
    NetworkInterface* iface = find(index, e->ifa_name);
    if (iface == nullptr) {
      NetworkInterface added;
      added.index = index;
      added.name = CanonicalName(index, e->ifa_name);
      added.flags = DecodeFlags(e->ifa_flags);
      interfaces.push_back(std::move(added));
      iface = &interfaces.back();
    }
    InterfaceAddress address;
    if (DecodeEntry(*e, index, &address)) {
      iface->addresses.push_back(address);
    }
  }
  std::stable_sort(interfaces.begin(), interfaces.end(),
                   [](const NetworkInterface& a, const NetworkInterface& b) {
                     return a.index < b.index;
                   });
  return interfaces;
}

}  // namespace net::sys
