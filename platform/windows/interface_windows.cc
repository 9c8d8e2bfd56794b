// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/windows/interface_windows.cc
// -----------------------------------------------------------------------------
//
// sys::ListInterfaces() over GetAdaptersAddresses. The POSIX twin is
// platform/posix/interface_posix.cc (getifaddrs). sys::InterfaceIndex() and
// sys::InterfaceName() live in address_windows.cc, as on POSIX.
//
// An adapter is one interface with all its unicast addresses. Its name is
// the one if_indextoname() gives for its index (`loopback_0`,
// `ethernet_32768`), so that InterfaceIndex(name) finds it again; the
// adapter's GUID name is the fallback. The index is the IPv4 one, or the
// IPv6 one for an adapter without IPv4.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/errors_internal.h"
#include "net/address.h"
#include "net/resolver.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"

// After winsock_internal.h: these need the Winsock types.
#include <iphlpapi.h>
#include <netioapi.h>

namespace net::sys {
namespace {

// The netmask of `prefix` leading one bits, in `N` bytes.
template <std::size_t N>
std::array<std::uint8_t, N> Mask(int prefix) {
  std::array<std::uint8_t, N> mask{};
  for (std::size_t i = 0; i < N && prefix > 0; ++i, prefix -= 8) {
    mask[i] = prefix >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - prefix));
  }
  return mask;
}

// Decodes one unicast address; false for a family `net` does not handle.
bool DecodeUnicast(const IP_ADAPTER_UNICAST_ADDRESS& unicast,
                   std::uint32_t index, InterfaceAddress* out) {
  const sockaddr* sa = unicast.Address.lpSockaddr;
  if (sa == nullptr) return false;
  const int prefix = unicast.OnLinkPrefixLength;
  if (sa->sa_family == AF_INET &&
      unicast.Address.iSockaddrLength >= static_cast<int>(sizeof(SOCKADDR_IN))) {
    const SOCKADDR_IN* sin = reinterpret_cast<const SOCKADDR_IN*>(sa);
    IpAddress::V4Bytes ip;
    std::memcpy(ip.data(), &sin->sin_addr, ip.size());
    const int bits = std::min(prefix, 32);
    out->address = IpAddress::V4(ip);
    out->netmask = IpAddress::V4(Mask<4>(bits));
    out->prefix_length = bits;
    return true;
  }
  if (sa->sa_family == AF_INET6 &&
      unicast.Address.iSockaddrLength >= static_cast<int>(sizeof(SOCKADDR_IN6))) {
    const SOCKADDR_IN6* sin6 = reinterpret_cast<const SOCKADDR_IN6*>(sa);
    IpAddress::V6Bytes ip;
    std::memcpy(ip.data(), &sin6->sin6_addr, ip.size());
    // A link-local address carries its interface as its scope (Windows
    // fills sin6_scope_id with it); other addresses carry none, as on POSIX.
    std::uint32_t scope = sin6->sin6_scope_id;
    if (!IpAddress::V6(ip).IsLinkLocal()) {
      scope = 0;
    } else if (scope == 0) {
      scope = index;
    }
    const int bits = std::min(prefix, 128);
    out->address = IpAddress::V6(ip, scope);
    out->netmask = IpAddress::V6(Mask<16>(bits));
    out->prefix_length = bits;
    return true;
  }
  return false;
}

InterfaceFlags DecodeFlags(const IP_ADAPTER_ADDRESSES& adapter) {
  InterfaceFlags out;
  out.up = adapter.OperStatus == IfOperStatusUp;
  out.running = out.up;
  out.loopback = adapter.IfType == IF_TYPE_SOFTWARE_LOOPBACK;
  out.point_to_point =
      adapter.IfType == IF_TYPE_PPP || adapter.IfType == IF_TYPE_TUNNEL;
  out.broadcast = !out.loopback && !out.point_to_point;
  out.multicast = (adapter.Flags & IP_ADAPTER_NO_MULTICAST) == 0;
  return out;
}

std::string NameOf(std::uint32_t index, const char* fallback) {
  char name[IF_MAX_STRING_SIZE + 1] = {};
  if (index != 0 && if_indextoname(index, name) != nullptr) return name;
  return fallback != nullptr ? fallback : "";
}

}  // namespace

absl::StatusOr<std::vector<NetworkInterface>> ListInterfaces() {
  constexpr ULONG kFlags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST |
                           GAA_FLAG_SKIP_DNS_SERVER |
                           GAA_FLAG_SKIP_FRIENDLY_NAME;
  // The size can grow between the two calls (an adapter coming up): retry.
  ULONG size = 16 * 1024;
  std::unique_ptr<unsigned char[]> buffer;
  ULONG rc = ERROR_BUFFER_OVERFLOW;
  for (int attempt = 0; attempt < 4 && rc == ERROR_BUFFER_OVERFLOW; ++attempt) {
    buffer.reset(new unsigned char[size]);
    rc = GetAdaptersAddresses(
        AF_UNSPEC, kFlags, nullptr,
        reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer.get()), &size);
  }
  std::vector<NetworkInterface> interfaces;
  if (rc == ERROR_NO_DATA) return interfaces;  // no adapter at all
  if (rc != ERROR_SUCCESS) {
    return internal::SystemError("GetAdaptersAddresses", "",
                                 static_cast<int>(rc));
  }
  for (const IP_ADAPTER_ADDRESSES* a =
           reinterpret_cast<const IP_ADAPTER_ADDRESSES*>(buffer.get());
       a != nullptr; a = a->Next) {
    NetworkInterface iface;
    iface.index = a->IfIndex != 0 ? a->IfIndex : a->Ipv6IfIndex;
    iface.name = NameOf(iface.index, a->AdapterName);
    iface.flags = DecodeFlags(*a);
    for (const IP_ADAPTER_UNICAST_ADDRESS* u = a->FirstUnicastAddress;
         u != nullptr; u = u->Next) {
      InterfaceAddress address;
      if (DecodeUnicast(*u, iface.index, &address)) {
        iface.addresses.push_back(address);
      }
    }
    interfaces.push_back(std::move(iface));
  }
  std::stable_sort(interfaces.begin(), interfaces.end(),
                   [](const NetworkInterface& a, const NetworkInterface& b) {
                     return a.index < b.index;
                   });
  return interfaces;
}

}  // namespace net::sys
