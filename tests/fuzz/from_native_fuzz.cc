// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/fuzz/from_native_fuzz.cc
// -----------------------------------------------------------------------------
//
// Fuzz target: `SocketAddress::FromNative()` on arbitrary bytes and lengths
// (RELIABILITY.md P5, P1). The first two input bytes choose the length (0
// to 1023: below, at and far above sizeof(sockaddr_storage)); the rest are
// the address bytes, copied into a heap buffer of exactly that length
// (zero-filled past the input), so ASan catches a read past `length`.
// Oracles:
//
//   * a length of 0 or above SocketAddress::kStorageSize, or shorter than
//     the family's structure, is kInvalidArgument; so is an unknown family;
//   * on success: the family is the native one; native_length() is
//     sizeof(sockaddr_in)/sizeof(sockaddr_in6) for IP, at most
//     sizeof(sockaddr_un) for unix; FromNative() of the result gives it
//     back (normalisation is idempotent); ToString() never says
//     "unspecified"; and the text round trip holds: Parse(ToString(a))
//     equals `a` with its flow label cleared (text carries no flow label),
//     except for the unix names text cannot carry -- an abstract name
//     holding a NUL byte and a path of a non-abstract name beginning with
//     '@' (see docs/fuzzing.md, "Known limits").

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "net/address.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using net::AddressFamily;
using net::SocketAddress;
using net_fuzz::FuzzCheck;

void CheckAccepted(const SocketAddress& a, int native_family,
                   const std::string& raw) {
  const std::string text = a.ToString();
  FuzzCheck(text != "unspecified", "accepted address prints unspecified", raw);
  absl::StatusOr<SocketAddress> again =
      SocketAddress::FromNative(a.native(), a.native_length());
  FuzzCheck(again.ok() && *again == a, "FromNative() is not idempotent", text);

  switch (native_family) {
    case AF_INET:
    case AF_INET6: {
      const bool v6 = native_family == AF_INET6;
      FuzzCheck(a.family() ==
                    (v6 ? AddressFamily::kIPv6 : AddressFamily::kIPv4),
                "family differs from the native one", text);
      FuzzCheck(a.native_length() ==
                    (v6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in)),
                "native_length() is not sizeof the family's sockaddr", text);
      absl::StatusOr<SocketAddress> parsed = SocketAddress::Parse(text);
      FuzzCheck(parsed.ok(), "ToString() of an IP address does not parse",
                text);
      FuzzCheck(*parsed == SocketAddress(a.ip(), a.port()),
                "Parse(ToString(a)) != a (flow label cleared)",
                absl::StrCat(text, " -> ", parsed->ToString()));
      break;
    }
    case AF_UNIX: {
      FuzzCheck(a.family() == AddressFamily::kUnix, "unix family lost", text);
      FuzzCheck(a.native_length() <= sizeof(sockaddr_un),
                "unix native_length() beyond sockaddr_un", text);
      const std::string path = a.unix_path();
      const bool text_can_carry =
          a.is_abstract() ? path.find('\0') == std::string::npos
                          : path.empty() || path[0] != '@';
      absl::StatusOr<SocketAddress> parsed = SocketAddress::Parse(text);
      if (text_can_carry) {
        FuzzCheck(parsed.ok(), "ToString() of a unix address does not parse",
                  text);
        FuzzCheck(*parsed == a, "unix Parse(ToString(a)) != a", text);
      }
      break;
    }
    default:
      FuzzCheck(false, "an unknown family was accepted", raw);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size < 2) return 0;
  const std::size_t length = (data[0] | (data[1] << 8)) % 1024;
  data += 2;
  size -= 2;
  // Exactly `length` bytes: the input, then zeroes.
  std::unique_ptr<unsigned char[]> buffer(new unsigned char[length + 1]);
  std::memset(buffer.get(), 0, length + 1);
  std::memcpy(buffer.get(), data, std::min(size, length));
  const std::string raw(reinterpret_cast<const char*>(buffer.get()), length);
  // length 0 still passes a valid pointer (one byte, never to be read).
  absl::StatusOr<SocketAddress> a = SocketAddress::FromNative(
      reinterpret_cast<const sockaddr*>(buffer.get()), length);

  int family = -1;
  if (length >= offsetof(sockaddr, sa_family) + sizeof(sa_family_t)) {
    sa_family_t f;
    std::memcpy(&f, buffer.get() + offsetof(sockaddr, sa_family), sizeof(f));
    family = f;
  }
  std::size_t needed = 0;
  switch (family) {
    case AF_INET: needed = sizeof(sockaddr_in); break;
    case AF_INET6: needed = sizeof(sockaddr_in6); break;
    case AF_UNIX: needed = offsetof(sockaddr_un, sun_path); break;
    default: needed = SIZE_MAX; break;  // unknown family: always rejected
  }
  const bool must_reject = length == 0 ||
                           length > SocketAddress::kStorageSize ||
                           family < 0 || length < needed;
  if (must_reject) {
    FuzzCheck(!a.ok() && a.status().code() ==
                             absl::StatusCode::kInvalidArgument,
              "bad native address not rejected with kInvalidArgument", raw);
    return 0;
  }
  if (family == AF_UNIX && !a.ok()) {
    // The one unix form net cannot hold: a path filling all of sun_path
    // with no NUL (Linux accepts it; net keeps paths NUL-terminated, so it
    // cannot encode it again). See docs/fuzzing.md, "Known limits".
    const std::size_t offset = offsetof(sockaddr_un, sun_path);
    const std::size_t n =
        std::min(length - offset, sizeof(sockaddr_un::sun_path));
    const unsigned char* path = buffer.get() + offset;
    const bool full_path = n == sizeof(sockaddr_un::sun_path) &&
                           path[0] != 0 && std::memchr(path, 0, n) == nullptr;
    FuzzCheck(full_path && a.status().code() ==
                               absl::StatusCode::kInvalidArgument,
              "a well-formed unix native address was rejected",
              a.status().ToString());
    return 0;
  }
  FuzzCheck(a.ok(), "a well-formed native address was rejected",
            a.status().ToString());
  CheckAccepted(*a, family, raw);

  // The null pointer, with this length.
  FuzzCheck(!SocketAddress::FromNative(nullptr, length).ok(),
            "null pointer accepted");
  return 0;
}
