// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: platform/windows/address_windows.cc
// -----------------------------------------------------------------------------
//
// The Winsock side of the address contract in platform/sys.h (its twin is
// platform/posix/address_posix.cc): the sockaddr codec of
// platform/bsd/address_bsd.h (`SOCKADDR_IN`, `SOCKADDR_IN6` and, from
// afunix.h, `SOCKADDR_UN` are the BSD structures), and interface names for
// IPv6 zones. Text is never parsed or printed here; that is core/address.cc's
// job, the same on every OS.
//
// Windows differs from POSIX in a few small ways that matter here: there is
// no `sa_len` field; `sun_path` holds 108 bytes, as on Linux; an unbound
// unix-domain socket's name is all zeroes; and interface names are the NDIS
// "LUID names" (`loopback_0`, `ethernet_32768`) that if_nametoindex() /
// if_indextoname() of iphlpapi understand.

#include <cstddef>
#include <cstdint>
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

// After winsock_internal.h: <netioapi.h> needs the Winsock types, and
// platform/bsd/ needs the OS headers (platform/bsd/socket_bsd.h says why).
#include <iphlpapi.h>
#include <netioapi.h>

#include "platform/bsd/address_bsd.h"

namespace net::sys {
namespace {

// Windows' AF_UNIX takes abstract names (a leading NUL) like Linux does;
// PostgreSQL relies on it ("Supported on Linux and Windows", commit
// c9f0624). wine 8 has no AF_UNIX at all; sockets then fail at Open(). An
// unbound socket's name is the whole structure of zeroes.
constexpr bsd::UnixNamespace kUnixNames = {/*abstract=*/true,
                                           /*zeroes_are_unnamed=*/true};

// Longest interface name accepted: what if_nametoindex() can hold.
constexpr std::size_t kMaxInterfaceName = IF_MAX_STRING_SIZE;

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
  return bsd::EncodeAddress(parts, storage, kUnixNames);
}

std::size_t MaxUnixPathLength() { return bsd::kUnixPathSize - 1; }

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
