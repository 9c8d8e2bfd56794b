// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/windows/address_windows.cc
// -----------------------------------------------------------------------------
//
// The Winsock side of the address contract in platform/sys.h (its twin is
// platform/posix/address_posix.cc): reading and writing `SOCKADDR_IN`,
// `SOCKADDR_IN6` and `SOCKADDR_UN` (afunix.h), and interface names for IPv6
// zones. Text is never parsed or printed here; that is core/address.cc's job,
// the same on every OS.
//
// Windows differs from POSIX in three small ways that matter here: there is
// no `sa_len` field; `sun_path` holds 108 bytes, as on Linux; and interface
// names are the NDIS "LUID names" (`loopback_0`, `ethernet_32768`) that
// if_nametoindex() / if_indextoname() of iphlpapi understand.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/errors_internal.h"
#include "net/address.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"

// After winsock_internal.h: <netioapi.h> needs the Winsock types.
#include <iphlpapi.h>
#include <netioapi.h>

namespace net::sys {
namespace {

static_assert(sizeof(SOCKADDR_STORAGE) <= SocketAddress::kStorageSize,
              "SocketAddress::kStorageSize must hold a SOCKADDR_STORAGE");
static_assert(alignof(SOCKADDR_STORAGE) <= 8,
              "SocketAddress storage is aligned to 8 bytes only");

// The bytes of a native address up to and including its family field.
constexpr std::size_t kFamilyEnd =
    offsetof(sockaddr, sa_family) + sizeof(ADDRESS_FAMILY);

constexpr std::size_t kUnixPathOffset = offsetof(SOCKADDR_UN, sun_path);
constexpr std::size_t kUnixPathSize = sizeof(SOCKADDR_UN{}.sun_path);

// Windows' AF_UNIX takes abstract names (a leading NUL) like Linux does;
// PostgreSQL relies on it ("Supported on Linux and Windows", commit
// c9f0624). wine 8 has no AF_UNIX at all; sockets then fail at Open().
constexpr bool kHasAbstractNamespace = true;

// Longest interface name accepted: what if_nametoindex() can hold.
constexpr std::size_t kMaxInterfaceName = IF_MAX_STRING_SIZE;

template <typename T>
std::size_t Store(const T& native, void* storage) {
  std::memcpy(storage, &native, sizeof(T));
  return sizeof(T);
}

absl::Status TooShort(absl::string_view family, std::size_t length,
                      std::size_t needed) {
  return absl::InvalidArgumentError(
      absl::StrCat("native ", family, " address of ", length,
                   " bytes is too short (needs ", needed, ")"));
}

absl::StatusOr<AddressParts> DecodeUnix(const SOCKADDR_STORAGE& ss,
                                        std::size_t length) {
  AddressParts parts;
  parts.family = AddressFamily::kUnix;
  if (length < kUnixPathOffset) {
    return TooShort("unix", length, kUnixPathOffset);
  }
  const SOCKADDR_UN* sun = reinterpret_cast<const SOCKADDR_UN*>(&ss);
  std::size_t n = std::min(length - kUnixPathOffset, kUnixPathSize);
  if (n > 0 && sun->sun_path[0] == '\0' && kHasAbstractNamespace) {
    // Windows reports an unbound socket's name as the whole structure of
    // zeroes: that is the unnamed address, not an empty abstract name.
    if (std::all_of(sun->sun_path, sun->sun_path + n,
                    [](char c) { return c == '\0'; })) {
      return parts;
    }
    parts.abstract = true;
    parts.path.assign(sun->sun_path + 1, n - 1);
    return parts;
  }
  const char* end =
      static_cast<const char*>(std::memchr(sun->sun_path, '\0', n));
  parts.path.assign(sun->sun_path, end != nullptr ? end - sun->sun_path : n);
  return parts;
}

absl::StatusOr<std::size_t> EncodeUnix(const AddressParts& parts,
                                       void* storage) {
  SOCKADDR_UN sun;
  std::memset(&sun, 0, sizeof(sun));
  sun.sun_family = AF_UNIX;
  std::size_t length = kUnixPathOffset;
  if (parts.abstract) {
    if (parts.path.size() + 1 > kUnixPathSize) {
      return absl::InvalidArgumentError(
          absl::StrCat("abstract unix socket name of ", parts.path.size(),
                       " bytes does not fit sun_path"));
    }
    std::memcpy(sun.sun_path + 1, parts.path.data(), parts.path.size());
    length += 1 + parts.path.size();
  } else if (!parts.path.empty()) {
    if (parts.path.size() + 1 > kUnixPathSize ||
        parts.path.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unix socket path \"", absl::CHexEscape(parts.path),
          "\" does not fit sun_path or contains a NUL byte"));
    }
    std::memcpy(sun.sun_path, parts.path.data(), parts.path.size());
    length += parts.path.size() + 1;  // with the terminating NUL
  }
  std::memcpy(storage, &sun, length);
  return length;
}

}  // namespace

absl::StatusOr<AddressParts> DecodeAddress(const void* native,
                                           std::size_t length) {
  if (native == nullptr || length < kFamilyEnd) {
    return TooShort("socket", length, kFamilyEnd);
  }
  // Copy first: the caller's buffer need not be aligned for the structures.
  SOCKADDR_STORAGE ss;
  std::memset(&ss, 0, sizeof(ss));
  std::memcpy(&ss, native, std::min(length, sizeof(ss)));

  AddressParts parts;
  switch (ss.ss_family) {
    case AF_INET: {
      if (length < sizeof(SOCKADDR_IN)) {
        return TooShort("IPv4", length, sizeof(SOCKADDR_IN));
      }
      const SOCKADDR_IN* sin = reinterpret_cast<const SOCKADDR_IN*>(&ss);
      IpAddress::V4Bytes bytes;
      std::memcpy(bytes.data(), &sin->sin_addr, bytes.size());
      parts.family = AddressFamily::kIPv4;
      parts.ip = IpAddress::V4(bytes);
      parts.port = ntohs(sin->sin_port);
      return parts;
    }
    case AF_INET6: {
      if (length < sizeof(SOCKADDR_IN6)) {
        return TooShort("IPv6", length, sizeof(SOCKADDR_IN6));
      }
      const SOCKADDR_IN6* sin6 = reinterpret_cast<const SOCKADDR_IN6*>(&ss);
      IpAddress::V6Bytes bytes;
      std::memcpy(bytes.data(), &sin6->sin6_addr, bytes.size());
      parts.family = AddressFamily::kIPv6;
      parts.ip = IpAddress::V6(bytes, sin6->sin6_scope_id);
      parts.port = ntohs(sin6->sin6_port);
      parts.flow_info = ntohl(sin6->sin6_flowinfo);
      return parts;
    }
    case AF_UNIX:
      return DecodeUnix(ss, length);
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "native address has an unknown family ", ss.ss_family));
  }
}

AddressFamily DecodeFamily(const void* native, std::size_t length) {
  if (native == nullptr || length < kFamilyEnd) {
    return AddressFamily::kUnspecified;
  }
  ADDRESS_FAMILY family;
  std::memcpy(&family,
              static_cast<const unsigned char*>(native) +
                  offsetof(sockaddr, sa_family),
              sizeof(family));
  switch (family) {
    case AF_INET: return AddressFamily::kIPv4;
    case AF_INET6: return AddressFamily::kIPv6;
    case AF_UNIX: return AddressFamily::kUnix;
    default: return AddressFamily::kUnspecified;
  }
}

absl::StatusOr<std::size_t> EncodeAddress(const AddressParts& parts,
                                          void* storage) {
  switch (parts.family) {
    case AddressFamily::kIPv4: {
      if (!parts.ip.is_v4()) break;
      SOCKADDR_IN sin;
      std::memset(&sin, 0, sizeof(sin));
      sin.sin_family = AF_INET;
      sin.sin_port = htons(parts.port);
      std::memcpy(&sin.sin_addr, parts.ip.bytes().data(), 4);
      return Store(sin, storage);
    }
    case AddressFamily::kIPv6: {
      if (!parts.ip.is_v6()) break;
      SOCKADDR_IN6 sin6;
      std::memset(&sin6, 0, sizeof(sin6));
      sin6.sin6_family = AF_INET6;
      sin6.sin6_port = htons(parts.port);
      sin6.sin6_flowinfo = htonl(parts.flow_info);
      sin6.sin6_scope_id = parts.ip.scope_id();
      std::memcpy(&sin6.sin6_addr, parts.ip.bytes().data(), 16);
      return Store(sin6, storage);
    }
    case AddressFamily::kUnix:
      return EncodeUnix(parts, storage);
    case AddressFamily::kUnspecified:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("cannot encode a ", AddressFamilyName(parts.family),
                   " address holding ", AddressFamilyName(parts.ip.family())));
}

std::size_t MaxUnixPathLength() { return kUnixPathSize - 1; }

// if_nametoindex() and if_indextoname() (iphlpapi, Windows Vista and later)
// do not set WSAGetLastError(): a miss is "not found", there is no resource
// error to tell apart as on POSIX.
absl::StatusOr<std::uint32_t> InterfaceIndex(absl::string_view name) {
  if (name.empty() || name.size() >= kMaxInterfaceName ||
      name.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "interface name \"", absl::CHexEscape(name), "\" must be 1 to ",
        kMaxInterfaceName - 1, " bytes without NUL"));
  }
  const std::string terminated(name);
  const NET_IFINDEX index = if_nametoindex(terminated.c_str());
  if (index != 0) return static_cast<std::uint32_t>(index);
  return absl::NotFoundError(
      absl::StrCat("interface \"", absl::CHexEscape(name), "\" not found"));
}

absl::StatusOr<std::string> InterfaceName(std::uint32_t index) {
  char name[IF_MAX_STRING_SIZE + 1] = {};
  if (index != 0 && if_indextoname(index, name) != nullptr) {
    return std::string(name);
  }
  return absl::NotFoundError(
      absl::StrCat("interface index ", index, " not found"));
}

}  // namespace net::sys
