// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/posix/address_posix.cc
// -----------------------------------------------------------------------------
//
// The POSIX side of the address contract in platform/sys.h (its twin is
// platform/windows/address_windows.cc): the sockaddr codec of
// platform/bsd/address_bsd.h with the POSIX differences (`sa_len` on the
// BSDs, the abstract namespace on Linux only), and interface names for IPv6
// zones. Text is never parsed or printed here; that is core/address.cc's
// job, the same on every OS.

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

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
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/address_bsd.h"

namespace net::sys {
namespace {

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

// Unix-domain names: the abstract namespace on Linux only; an unbound
// socket's name has no path bytes at all.
constexpr bsd::UnixNamespace kUnixNames = {
    /*abstract=*/posix::HasAbstractUnixNamespace(),
    /*zeroes_are_unnamed=*/false};

// True for the errors of if_nametoindex()/if_indextoname() that mean "out of
// resources" rather than "no such interface" (glibc opens a socket for them).
bool IsResourceError(int error) {
  return error == EMFILE || error == ENFILE || error == ENOBUFS ||
         error == ENOMEM;
}

}  // namespace

absl::StatusOr<AddressParts> DecodeAddress(const void* native,
                                           std::size_t length) {
  return bsd::DecodeAddress(native, length, kUnixNames);
}

AddressFamily DecodeFamily(const void* native, std::size_t length) {
  return bsd::DecodeFamily(native, length);
}

absl::StatusOr<std::size_t> EncodeAddress(const AddressParts& parts,
                                          void* storage) {
  absl::StatusOr<std::size_t> length =
      bsd::EncodeAddress(parts, storage, kUnixNames);
  if (length.ok()) SetSockaddrLength(storage, *length);
  return length;
}

std::size_t MaxUnixPathLength() { return bsd::kUnixPathSize - 1; }

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
