// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/bsd/address_bsd.h
// -----------------------------------------------------------------------------
//
// The sockaddr codec of both backends. It reads and writes `sockaddr_in`,
// `sockaddr_in6` and `sockaddr_un` for platform/posix/address_posix.cc and
// platform/windows/address_windows.cc. Winsock declares these structures
// under the BSD names, with the same fields (sin_port, sin6_scope_id,
// sun_path ...), and both APIs keep ports, addresses and flow labels in
// network byte order. platform/bsd/socket_bsd.h says what this directory
// is, and why a file here includes no OS header. Include this one after the
// OS headers that declare these structures: <netinet/in.h>, <sys/un.h> and
// <arpa/inet.h>, or winsock_internal.h (which includes afunix.h).
//
// Where the two OSes differ, the backend passes the difference in as data
// (`UnixNamespace`) or does one more step itself. POSIX sets `sa_len` on
// the BSDs after encoding.

#ifndef NET_PLATFORM_BSD_ADDRESS_BSD_H_
#define NET_PLATFORM_BSD_ADDRESS_BSD_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "net/address.h"
#include "platform/bsd/socket_bsd.h"
#include "platform/sys.h"

namespace net::sys::bsd {

static_assert(sizeof(sockaddr_storage) <= SocketAddress::kStorageSize,
              "SocketAddress::kStorageSize must hold a sockaddr_storage");
static_assert(alignof(sockaddr_storage) <= 8,
              "SocketAddress storage is aligned to 8 bytes only");

// The bytes of a native address up to and including its family field.
inline constexpr std::size_t kFamilyEnd =
    offsetof(sockaddr, sa_family) + sizeof(sockaddr::sa_family);

inline constexpr std::size_t kUnixPathOffset = offsetof(sockaddr_un, sun_path);
inline constexpr std::size_t kUnixPathSize = sizeof(sockaddr_un::sun_path);

// UnixNamespace
//
// How an OS names unix-domain sockets, where the OSes differ.
struct UnixNamespace {
  // Names that start with a NUL byte live outside the file system: Linux's
  // abstract namespace (unix(7)), which Windows' AF_UNIX takes too.
  bool abstract = false;
  // An all-NUL `sun_path` is the unnamed address, not an empty abstract
  // name: Windows reports an unbound socket's name as the whole structure
  // of zeroes.
  bool zeroes_are_unnamed = false;
};

inline absl::Status TooShort(absl::string_view family, std::size_t length,
                             std::size_t needed) {
  return absl::InvalidArgumentError(
      absl::StrCat("native ", family, " address of ", length,
                   " bytes is too short (needs ", needed, ")"));
}

inline absl::StatusOr<AddressParts> DecodeUnix(const sockaddr_storage& ss,
                                               std::size_t length,
                                               const UnixNamespace& names) {
  AddressParts parts;
  parts.family = AddressFamily::kUnix;
  if (length < kUnixPathOffset) {
    return TooShort("unix", length, kUnixPathOffset);
  }
  const sockaddr_un* sun = reinterpret_cast<const sockaddr_un*>(&ss);
  const std::size_t n = std::min(length - kUnixPathOffset, kUnixPathSize);
  // n == 0 is the unnamed address (socketpair(), an unbound client).
  if (n > 0 && sun->sun_path[0] == '\0' && names.abstract) {
    if (names.zeroes_are_unnamed &&
        std::all_of(sun->sun_path, sun->sun_path + n,
                    [](char c) { return c == '\0'; })) {
      return parts;
    }
    parts.abstract = true;
    parts.path.assign(sun->sun_path + 1, n - 1);
    return parts;
  }
  // A path ends at its first NUL; some kernels count the terminator in the
  // length and some callers pass the whole structure.
  const char* end =
      static_cast<const char*>(std::memchr(sun->sun_path, '\0', n));
  parts.path.assign(sun->sun_path, end != nullptr ? end - sun->sun_path : n);
  return parts;
}

inline absl::StatusOr<std::size_t> EncodeUnix(const AddressParts& parts,
                                              void* storage,
                                              const UnixNamespace& names) {
  sockaddr_un sun;
  std::memset(&sun, 0, sizeof(sun));
  sun.sun_family = AF_UNIX;
  std::size_t length = kUnixPathOffset;
  if (parts.abstract) {
    if (!names.abstract) {
      return absl::UnimplementedError(
          "abstract unix socket names are not available on this OS");
    }
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
      return absl::InvalidArgumentError(
          absl::StrCat("unix socket path \"", absl::CHexEscape(parts.path),
                       "\" does not fit sun_path or contains a NUL byte"));
    }
    std::memcpy(sun.sun_path, parts.path.data(), parts.path.size());
    length += parts.path.size() + 1;  // with the terminating NUL
  }
  std::memcpy(storage, &sun, length);
  return length;
}

// DecodeAddress()
//
// sys::DecodeAddress() (platform/sys.h) for an OS whose unix-domain names
// follow `names`.
inline absl::StatusOr<AddressParts> DecodeAddress(const void* native,
                                                  std::size_t length,
                                                  const UnixNamespace& names) {
  if (native == nullptr || length < kFamilyEnd) {
    return TooShort("socket", length, kFamilyEnd);
  }
  // Copy first: the caller's buffer need not be aligned for the structures.
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof(ss));
  std::memcpy(&ss, native, std::min(length, sizeof(ss)));

  AddressParts parts;
  switch (ss.ss_family) {
    case AF_INET: {
      if (length < sizeof(sockaddr_in)) {
        return TooShort("IPv4", length, sizeof(sockaddr_in));
      }
      const sockaddr_in* sin = reinterpret_cast<const sockaddr_in*>(&ss);
      IpAddress::V4Bytes bytes;
      std::memcpy(bytes.data(), &sin->sin_addr, bytes.size());
      parts.family = AddressFamily::kIPv4;
      parts.ip = IpAddress::V4(bytes);
      parts.port = ntohs(sin->sin_port);
      return parts;
    }
    case AF_INET6: {
      if (length < sizeof(sockaddr_in6)) {
        return TooShort("IPv6", length, sizeof(sockaddr_in6));
      }
      const sockaddr_in6* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
      IpAddress::V6Bytes bytes;
      std::memcpy(bytes.data(), &sin6->sin6_addr, bytes.size());
      parts.family = AddressFamily::kIPv6;
      parts.ip = IpAddress::V6(bytes, sin6->sin6_scope_id);
      parts.port = ntohs(sin6->sin6_port);
      parts.flow_info = ntohl(sin6->sin6_flowinfo);
      return parts;
    }
    case AF_UNIX:
      return DecodeUnix(ss, length, names);
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("native address has an unknown family ", ss.ss_family));
  }
}

// DecodeFamily()
//
// sys::DecodeFamily() (platform/sys.h).
inline AddressFamily DecodeFamily(const void* native, std::size_t length) {
  if (native == nullptr || length < kFamilyEnd) {
    return AddressFamily::kUnspecified;
  }
  decltype(sockaddr::sa_family) family;
  std::memcpy(
      &family,
      static_cast<const unsigned char*>(native) + offsetof(sockaddr, sa_family),
      sizeof(family));
  return FamilyFromNative(family);
}

// EncodeAddress()
//
// sys::EncodeAddress() (platform/sys.h) for an OS whose unix-domain names
// follow `names`. Returns the length written to `storage`.
inline absl::StatusOr<std::size_t> EncodeAddress(const AddressParts& parts,
                                                 void* storage,
                                                 const UnixNamespace& names) {
  switch (parts.family) {
    case AddressFamily::kIPv4: {
      if (!parts.ip.is_v4()) break;
      sockaddr_in sin;
      std::memset(&sin, 0, sizeof(sin));
      sin.sin_family = AF_INET;
      sin.sin_port = htons(parts.port);
      std::memcpy(&sin.sin_addr, parts.ip.bytes().data(), 4);
      std::memcpy(storage, &sin, sizeof(sin));
      return sizeof(sin);
    }
    case AddressFamily::kIPv6: {
      if (!parts.ip.is_v6()) break;
      sockaddr_in6 sin6;
      std::memset(&sin6, 0, sizeof(sin6));
      sin6.sin6_family = AF_INET6;
      sin6.sin6_port = htons(parts.port);
      sin6.sin6_flowinfo = htonl(parts.flow_info);
      sin6.sin6_scope_id = parts.ip.scope_id();
      std::memcpy(&sin6.sin6_addr, parts.ip.bytes().data(), 16);
      std::memcpy(storage, &sin6, sizeof(sin6));
      return sizeof(sin6);
    }
    case AddressFamily::kUnix:
      return EncodeUnix(parts, storage, names);
    case AddressFamily::kUnspecified:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("cannot encode a ", AddressFamilyName(parts.family),
                   " address holding ", AddressFamilyName(parts.ip.family())));
}

}  // namespace net::sys::bsd

#endif  // NET_PLATFORM_BSD_ADDRESS_BSD_H_
