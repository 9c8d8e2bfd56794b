// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/posix/address_posix.cc
// -----------------------------------------------------------------------------
//
// The POSIX side of the address contract in platform/sys.h (its twin is
// platform/windows/address_windows.cc): reading and writing `sockaddr_in`,
// `sockaddr_in6` and `sockaddr_un`, and interface names for IPv6 zones.
// Text is never parsed or printed here; that is core/address.cc's job, the
// same on every OS.

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
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

namespace net::sys {
namespace {

static_assert(sizeof(sockaddr_storage) <= SocketAddress::kStorageSize,
              "SocketAddress::kStorageSize must hold a sockaddr_storage");
static_assert(alignof(sockaddr_storage) <= 8,
              "SocketAddress storage is aligned to 8 bytes only");

// The bytes of a native address up to and including its family field.
constexpr std::size_t kFamilyEnd =
    offsetof(sockaddr, sa_family) + sizeof(sa_family_t);

constexpr std::size_t kUnixPathOffset = offsetof(sockaddr_un, sun_path);
constexpr std::size_t kUnixPathSize = sizeof(sockaddr_un{}.sun_path);

// SetSockaddrLength()
//
// BSD-derived systems carry the structure's length in its first byte
// (`sin_len`, `sin6_len`, `sun_len`, each an alias of `sockaddr::sa_len`);
// getsockname() and accept() fill it in, so setting it too makes our
// addresses byte-equal to the kernel's. Linux has no such field.
void SetSockaddrLength(void* native, std::size_t length) {
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)
  const std::uint8_t byte = static_cast<std::uint8_t>(length);
  std::memcpy(static_cast<unsigned char*>(native) + offsetof(sockaddr, sa_len),
              &byte, sizeof(byte));
#else
  (void)native;
  (void)length;
#endif
}

// HasAbstractNamespace()
//
// Linux (and Android) has an abstract namespace for unix-domain sockets,
// names that start with a NUL byte and live outside the file system (see
// unix(7)); other POSIX systems have none, and there a leading NUL is just an
// empty path.
constexpr bool HasAbstractNamespace() {
#if defined(__linux__)
  return true;
#else
  return false;
#endif
}

template <typename T>
std::size_t Store(T* native, void* storage) {
  SetSockaddrLength(native, sizeof(T));
  std::memcpy(storage, native, sizeof(T));
  return sizeof(T);
}

absl::Status TooShort(absl::string_view family, std::size_t length,
                      std::size_t needed) {
  return absl::InvalidArgumentError(
      absl::StrCat("native ", family, " address of ", length,
                   " bytes is too short (needs ", needed, ")"));
}

absl::StatusOr<AddressParts> DecodeUnix(const sockaddr_storage& ss,
                                        std::size_t length) {
  AddressParts parts;
  parts.family = AddressFamily::kUnix;
  if (length < kUnixPathOffset) {
    return TooShort("unix", length, kUnixPathOffset);
  }
  const sockaddr_un* sun = reinterpret_cast<const sockaddr_un*>(&ss);
  std::size_t n = std::min(length - kUnixPathOffset, kUnixPathSize);
  // n == 0 is the unnamed address (socketpair(), an unbound client).
  if (n > 0 && sun->sun_path[0] == '\0' && HasAbstractNamespace()) {
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

absl::StatusOr<std::size_t> EncodeUnix(const AddressParts& parts,
                                       void* storage) {
  sockaddr_un sun;
  std::memset(&sun, 0, sizeof(sun));
  sun.sun_family = AF_UNIX;
  std::size_t length = kUnixPathOffset;
  if (parts.abstract) {
    if (!HasAbstractNamespace()) {
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
  SetSockaddrLength(&sun, length);
  std::memcpy(storage, &sun, length);
  return length;
}

// True for the errors of if_nametoindex()/if_indextoname() that mean "out of
// resources" rather than "no such interface" (glibc opens a socket for them).
bool IsResourceError(int error) {
  return error == EMFILE || error == ENFILE || error == ENOBUFS ||
         error == ENOMEM;
}

}  // namespace

absl::StatusOr<AddressParts> DecodeAddress(const void* native,
                                           std::size_t length) {
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
      return DecodeUnix(ss, length);
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("native address has an unknown family ", ss.ss_family));
  }
}

AddressFamily DecodeFamily(const void* native, std::size_t length) {
  if (native == nullptr || length < kFamilyEnd) {
    return AddressFamily::kUnspecified;
  }
  sa_family_t family;
  std::memcpy(
      &family,
      static_cast<const unsigned char*>(native) + offsetof(sockaddr, sa_family),
      sizeof(family));
  switch (family) {
    case AF_INET:
      return AddressFamily::kIPv4;
    case AF_INET6:
      return AddressFamily::kIPv6;
    case AF_UNIX:
      return AddressFamily::kUnix;
    default:
      return AddressFamily::kUnspecified;
  }
}

absl::StatusOr<std::size_t> EncodeAddress(const AddressParts& parts,
                                          void* storage) {
  switch (parts.family) {
    case AddressFamily::kIPv4: {
      if (!parts.ip.is_v4()) break;
      sockaddr_in sin;
      std::memset(&sin, 0, sizeof(sin));
      sin.sin_family = AF_INET;
      sin.sin_port = htons(parts.port);
      std::memcpy(&sin.sin_addr, parts.ip.bytes().data(), 4);
      return Store(&sin, storage);
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
      return Store(&sin6, storage);
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

absl::StatusOr<std::uint32_t> InterfaceIndex(absl::string_view name) {
  if (name.empty() || name.size() >= IF_NAMESIZE ||
      name.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "interface name \"", absl::CHexEscape(name), "\" must be 1 to ",
        IF_NAMESIZE - 1, " bytes without NUL"));
  }
  std::string terminated(name);
  errno = 0;
  unsigned int index = if_nametoindex(terminated.c_str());
  if (index != 0) return static_cast<std::uint32_t>(index);
  int error = errno;
  if (IsResourceError(error)) {
    return internal::SystemError("if_nametoindex", terminated, error);
  }
  return absl::NotFoundError(
      absl::StrCat("interface \"", absl::CHexEscape(name), "\" not found"));
}

absl::StatusOr<std::string> InterfaceName(std::uint32_t index) {
  char name[IF_NAMESIZE] = {};
  errno = 0;
  if (index != 0 && if_indextoname(index, name) != nullptr) {
    return std::string(name);
  }
  int error = errno;
  if (index != 0 && IsResourceError(error)) {
    return internal::SystemError("if_indextoname", absl::StrCat(index), error);
  }
  return absl::NotFoundError(
      absl::StrCat("interface index ", index, " not found"));
}

}  // namespace net::sys
