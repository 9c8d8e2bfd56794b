// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: address.h
// -----------------------------------------------------------------------------
//
// This header defines the two address value types of `net`:
//
//   * `net::IpAddress`: an IPv4 or IPv6 host address (IPv6 with a scope id).
//   * `net::SocketAddress`: an endpoint, held in the operating system's own
//     `sockaddr_storage` layout, for IPv4 and IPv6 (host + port) and for
//     unix-domain sockets (a path, or a Linux abstract name).
//
// The text forms are parsed and formatted by portable code, so every OS gives
// the same answer. The parser is strict: it accepts `1.2.3.4`, `::1`,
// `fe80::1%eth0`, `1.2.3.4:80`, `[::1]:80` and `[fe80::1%3]:80`, and it
// rejects the legacy and ambiguous forms that `inet_aton` accepts (`127.1`,
// `010.0.0.1`, `0x7f.0.0.1`), anything longer than `kMaxAddressTextLength`,
// and ports above 65535. IPv6 is formatted as RFC 5952 says (lowercase,
// longest zero run compressed, `::ffff:1.2.3.4` for mapped IPv4).
//
// Example:
//
//   absl::StatusOr<net::SocketAddress> a =
//       net::SocketAddress::Parse("[::1]:8080");
//   if (!a.ok()) return a.status();
//   connect(raw_fd, a->native(), a->native_length());  // interop

#ifndef NET_ADDRESS_H_
#define NET_ADDRESS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "net/export.h"

// The operating system's generic address type, declared only: users that
// interoperate with raw socket code have it from their own OS headers.
struct sockaddr;

namespace net {

// AddressFamily
//
// The address families `net` handles. `kUnix` is AF_UNIX / AF_LOCAL.
enum class AddressFamily : std::uint8_t {
  kUnspecified = 0,  // no address (a default-constructed SocketAddress)
  kIPv4,  // AF_INET
  kIPv6,  // AF_INET6
  kUnix,  // AF_UNIX (AF_LOCAL): a path or an abstract name
};

// AddressFamilyName()
//
// "unspecified", "ipv4", "ipv6" or "unix".
NET_EXPORT absl::string_view AddressFamilyName(AddressFamily family);

// The longest address text `Parse()` looks at; longer input is rejected
// before it is scanned.
inline constexpr std::size_t kMaxAddressTextLength = 128;

// The longest IPv6 zone (interface name) accepted after `%`.
inline constexpr std::size_t kMaxZoneLength = 64;

// IpAddress
//
// An IPv4 or IPv6 address. A default-constructed `IpAddress` is the IPv4
// unspecified address `0.0.0.0`.
class NET_EXPORT IpAddress {
 public:
  // The address bytes in network order, IPv4 and IPv6.
  using V4Bytes = std::array<std::uint8_t, 4>;
  using V6Bytes = std::array<std::uint8_t, 16>;  // IPv6

  IpAddress() = default;

  // IpAddress::V4()
  //
  // An IPv4 address from its four octets in network order.
  static IpAddress V4(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                      std::uint8_t d);
  static IpAddress V4(const V4Bytes& bytes);

  // IpAddress::V6()
  //
  // An IPv6 address from its 16 bytes in network order, with a scope id
  // (interface index; 0 means none).
  static IpAddress V6(const V6Bytes& bytes, std::uint32_t scope_id = 0);

  // IpAddress::Loopback(), IpAddress::Any()
  //
  // `127.0.0.1` / `::1` and `0.0.0.0` / `::`. Any family other than kIPv6
  // gives the IPv4 address.
  static IpAddress Loopback(AddressFamily family);
  static IpAddress Any(AddressFamily family);

  // IpAddress::Parse()
  //
  // Parses a strict dotted-quad IPv4 address or an RFC 4291 IPv6 address with
  // an optional `%zone` (an interface name, looked up in the OS, or a decimal
  // index). No brackets, no port.
  //
  // Errors: kInvalidArgument, with a message naming the input and what is
  // wrong with it; an unknown interface name is kInvalidArgument too.
  static absl::StatusOr<IpAddress> Parse(absl::string_view text);

  // kIPv4 or kIPv6, and tests for each.
  AddressFamily family() const { return family_; }
  bool is_v4() const { return family_ == AddressFamily::kIPv4; }
  bool is_v6() const { return family_ == AddressFamily::kIPv6; }

  // IpAddress::bytes()
  //
  // The address in network order: 4 bytes for IPv4, 16 for IPv6.
  absl::Span<const std::uint8_t> bytes() const;
  V4Bytes v4_bytes() const;  // zeroes for an IPv6 address
  const V6Bytes& v6_bytes() const { return bytes_; }  // v4 is in bytes 0..3
  std::uint32_t scope_id() const { return scope_id_; }

  bool IsLoopback() const;     // 127.0.0.0/8, ::1
  bool IsUnspecified() const;  // 0.0.0.0, ::
  bool IsMulticast() const;    // 224.0.0.0/4, ff00::/8
  bool IsLinkLocal() const;    // 169.254.0.0/16, fe80::/10
  bool IsV4Mapped() const;     // ::ffff:0:0/96

  // IpAddress::ToString()
  //
  // Dotted quad, or RFC 5952 text with `%zone` (the interface name when the
  // OS knows the index, else the number).
  std::string ToString() const;

  friend NET_EXPORT bool operator==(const IpAddress& a, const IpAddress& b);
  friend bool operator!=(const IpAddress& a, const IpAddress& b) {
    return !(a == b);
  }
  friend NET_EXPORT bool operator<(const IpAddress& a, const IpAddress& b);

  template <typename H>
  friend H AbslHashValue(H h, const IpAddress& a) {
    return H::combine(std::move(h), a.family_, a.bytes_, a.scope_id_);
  }
  template <typename Sink>
  friend void AbslStringify(Sink& sink, const IpAddress& a) {
    sink.Append(a.ToString());
  }

 private:
  AddressFamily family_ = AddressFamily::kIPv4;
  V6Bytes bytes_{};
  std::uint32_t scope_id_ = 0;
};

// SocketAddress
//
// An endpoint in the OS's native `sockaddr_storage` layout. A
// default-constructed `SocketAddress` has family kUnspecified and length 0.
class NET_EXPORT SocketAddress {
 public:
  // Bytes reserved for the native address: `sizeof(sockaddr_storage)` on
  // every supported OS (each backend checks this at compile time).
  static constexpr std::size_t kStorageSize = 128;

  SocketAddress() = default;

  // SocketAddress::SocketAddress()
  //
  // An IPv4 or IPv6 endpoint. `flow_info` is the IPv6 flow label field.
  SocketAddress(const IpAddress& ip, std::uint16_t port,
                std::uint32_t flow_info = 0);

  // SocketAddress::Parse()
  //
  // Parses `1.2.3.4:80`, `[::1]:80`, `[fe80::1%eth0]:80`, and the unix forms
  // that `ToString()` prints: `unix:/path/to/socket` and `unix:@abstract`.
  // The port is mandatory for IP endpoints, decimal, 0 to 65535.
  //
  // Errors: kInvalidArgument naming the input and the fault.
  static absl::StatusOr<SocketAddress> Parse(absl::string_view text);

  // SocketAddress::Unix()
  //
  // A unix-domain socket path. An empty path is the unnamed address.
  //
  // Errors: kInvalidArgument if the path does not fit the OS's `sun_path`
  // (with its terminating NUL) or contains a NUL byte.
  static absl::StatusOr<SocketAddress> Unix(absl::string_view path);

  // SocketAddress::UnixAbstract()
  //
  // A Linux abstract-namespace name (no leading NUL: it is added).
  //
  // Errors: kInvalidArgument if too long; kUnimplemented where the OS has no
  // abstract namespace.
  static absl::StatusOr<SocketAddress> UnixAbstract(absl::string_view name);

  // SocketAddress::FromNative()
  //
  // Copies a native address of `length` bytes.
  //
  // Errors: kInvalidArgument for a null pointer, a length that is too short
  // for its family or larger than `kStorageSize`, or an unknown family.
  static absl::StatusOr<SocketAddress> FromNative(const struct sockaddr* addr,
                                                  std::size_t length);

  // SocketAddress::native(), native_length()
  //
  // The native address, for interop with raw socket code.
  const struct sockaddr* native() const;
  std::size_t native_length() const { return length_; }

  // SocketAddress::mutable_native(), set_native_length()
  //
  // For backends and raw code that fill in an address (`accept`,
  // `recvfrom`): write up to `kStorageSize` bytes, then set the length.
  struct sockaddr* mutable_native();
  void set_native_length(std::size_t length);

  // The family, and whether it is kIPv4 or kIPv6.
  AddressFamily family() const;
  bool is_ip() const;

  // The IP part and port of an IPv4 or IPv6 address (zero values otherwise).
  IpAddress ip() const;
  std::uint16_t port() const;
  std::uint32_t flow_info() const;
  SocketAddress WithPort(std::uint16_t port) const;

  // The path of a unix-domain address (without the abstract namespace's
  // leading NUL), and whether it is abstract.
  std::string unix_path() const;
  bool is_abstract() const;

  // SocketAddress::ToString()
  //
  // `1.2.3.4:80`, `[::1]:80`, `[fe80::1%lo]:80`, `unix:/path`,
  // `unix:@name`, `unix:` (unnamed) or `unspecified`.
  std::string ToString() const;

  friend NET_EXPORT bool operator==(const SocketAddress& a,
                                    const SocketAddress& b);
  friend bool operator!=(const SocketAddress& a, const SocketAddress& b) {
    return !(a == b);
  }

  template <typename H>
  friend H AbslHashValue(H h, const SocketAddress& a) {
    return H::combine(
        H::combine_contiguous(std::move(h), a.storage_, a.length_),
        a.length_);
  }
  template <typename Sink>
  friend void AbslStringify(Sink& sink, const SocketAddress& a) {
    sink.Append(a.ToString());
  }

 private:
  alignas(8) unsigned char storage_[kStorageSize] = {};
  std::uint32_t length_ = 0;
};

}  // namespace net

#endif  // NET_ADDRESS_H_
