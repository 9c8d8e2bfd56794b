// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/address.cc
// -----------------------------------------------------------------------------
//
// `net::IpAddress` and `net::SocketAddress`: the portable text parser and
// formatter, and the accessors over the native layout. The native layout is
// read and written only by the backend (`sys::DecodeAddress()`,
// `sys::EncodeAddress()` in platform/*/address_*.cc); nothing here includes an
// OS header, and no OS text routine (`inet_pton`, `inet_ntop`) is used, so
// every OS accepts and prints exactly the same text.
//
// Parser rules
//
//   * Input longer than `kMaxAddressTextLength` bytes is rejected before it is
//     scanned; the message gives the length and the limit and quotes at most
//     the first 64 bytes. Input containing a NUL byte is rejected.
//   * IPv4: exactly four decimal parts separated by `.`, each 1 to 3 digits,
//     no leading zero except "0" itself, value at most 255. The legacy forms
//     that inet_aton() accepts (`127.1`, `010.0.0.1`, `0x7f.0.0.1`) are not.
//   * IPv6 (RFC 4291 section 2.2): groups of 1 to 4 hex digits (either case)
//     separated by `:`; at most one `::`, which stands for at least one zero
//     group; exactly 8 groups without `::`, at most 7 with it; the last group
//     may be a strict IPv4 dotted quad, which counts as 2 groups; no leading
//     or trailing single `:`.
//   * Zone: `%zone` only after an IPv6 address, 1 to `kMaxZoneLength` bytes,
//     no NUL, whitespace, control character, `]` or `%`. A zone of decimal
//     digits only is the interface index (at most UINT32_MAX), taken without
//     asking the OS; any other zone is an interface name looked up with
//     `sys::InterfaceIndex()`, and an unknown name is kInvalidArgument.
//   * Port: 1 to 5 decimal digits, no sign, value at most 65535.
//   * `SocketAddress::Parse()` accepts `a.b.c.d:port`, `[v6]:port`,
//     `[v6%zone]:port`, `unix:/path` (any path, also relative), `unix:@name`
//     (an abstract name) and `unix:` (the unnamed address). An IPv6 address
//     with a port needs the brackets; an IPv4 address must not have them.
//
// Formatter: dotted quad for IPv4; RFC 5952 for IPv6: lowercase, no leading
// zeros in a group, the longest run of two or more zero groups compressed to
// `::` (the leftmost run wins a tie; a single zero group is never
// compressed), and IPv4-mapped addresses as `::ffff:a.b.c.d`. A zone is
// printed as the interface name when the OS knows the index, else the number.
//
// Errors name the input: `parse address "1.2.3.4:99999": port out of range
// (0..65535)`.

#include "net/address.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "platform/sys.h"

namespace net {
namespace {

// How much of a rejected input a message quotes.
constexpr std::size_t kMaxQuotedBytes = 64;

constexpr std::size_t kMaxPortDigits = 5;

// Quote()
//
// `text` in double quotes, C-escaped (NUL shows as \x00), cut to the first
// kMaxQuotedBytes bytes with "..." after the cut.
std::string Quote(absl::string_view text) {
  if (text.size() <= kMaxQuotedBytes) {
    return absl::StrCat("\"", absl::CHexEscape(text), "\"");
  }
  return absl::StrCat("\"", absl::CHexEscape(text.substr(0, kMaxQuotedBytes)),
                      "...\"");
}

absl::Status ParseError(absl::string_view what, absl::string_view text,
                        absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("parse ", what, " ", Quote(text), ": ", reason));
}

// CheckBounds()
//
// The checks made before any scanning: length and NUL bytes. Returns the
// reason, or an empty string.
std::string CheckBounds(absl::string_view text) {
  if (text.size() > kMaxAddressTextLength) {
    return absl::StrCat("input of ", text.size(),
                        " bytes is longer than the limit of ",
                        kMaxAddressTextLength);
  }
  if (text.empty()) return "empty input";
  if (text.find('\0') != absl::string_view::npos) return "contains a NUL byte";
  return "";
}

bool IsDigit(char c) {
  return absl::ascii_isdigit(static_cast<unsigned char>(c));
}
bool IsHexDigit(char c) {
  return absl::ascii_isxdigit(static_cast<unsigned char>(c));
}
bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

// ParseV4()
//
// A strict dotted quad into `out[0..3]`. Returns the reason for a rejection,
// or an empty string.
std::string ParseV4(absl::string_view text, std::uint8_t* out) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  if (parts.size() != 4) {
    return absl::StrCat("IPv4 address needs 4 decimal parts, found ",
                        parts.size());
  }
  for (std::size_t i = 0; i < 4; ++i) {
    absl::string_view part = parts[i];
    if (part.empty()) return "empty part in IPv4 address";
    if (part.size() > 3 || !AllDigits(part)) {
      return absl::StrCat("IPv4 part ", Quote(part),
                          " is not a decimal number of 1 to 3 digits");
    }
    if (part.size() > 1 && part[0] == '0') {
      return absl::StrCat("IPv4 part ", Quote(part),
                          " has a leading zero (octal is not accepted)");
    }
    int value = 0;
    if (!absl::SimpleAtoi(part, &value) || value > 255) {
      return absl::StrCat("IPv4 part ", Quote(part), " out of range (0..255)");
    }
    out[i] = static_cast<std::uint8_t>(value);
  }
  return "";
}

// ParseGroups()
//
// The `:`-separated groups of one side of an IPv6 address (no `::` inside)
// appended to `groups`. `last` says whether the side ends the address, where
// a dotted quad may stand for the last two groups.
std::string ParseGroups(absl::string_view side, bool last,
                        std::vector<std::uint16_t>* groups) {
  if (side.empty()) return "";
  std::vector<absl::string_view> pieces = absl::StrSplit(side, ':');
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    absl::string_view piece = pieces[i];
    if (piece.empty()) {
      if (i == 0) return "IPv6 address starts with a single ':'";
      if (i + 1 == pieces.size()) return "IPv6 address ends with a single ':'";
      return "empty group in IPv6 address";
    }
    if (piece.find('.') != absl::string_view::npos) {
      if (!last || i + 1 != pieces.size()) {
        return "an embedded IPv4 address must end the IPv6 address";
      }
      std::uint8_t v4[4];
      std::string why = ParseV4(piece, v4);
      if (!why.empty()) return absl::StrCat("embedded ", why);
      groups->push_back(static_cast<std::uint16_t>(v4[0] << 8 | v4[1]));
      groups->push_back(static_cast<std::uint16_t>(v4[2] << 8 | v4[3]));
      continue;
    }
    if (piece.size() > 4) {
      return absl::StrCat("IPv6 group ", Quote(piece),
                          " has more than 4 hex digits");
    }
    // All hex digits checked first: SimpleHexAtoi() would take "0x", signs
    // and whitespace.
    std::uint32_t value = 0;
    if (!std::all_of(piece.begin(), piece.end(), IsHexDigit) ||
        !absl::SimpleHexAtoi(piece, &value)) {
      return absl::StrCat("IPv6 group ", Quote(piece), " is not hexadecimal");
    }
    groups->push_back(static_cast<std::uint16_t>(value));
  }
  return "";
}

// ParseV6()
//
// An RFC 4291 address without zone into `out`.
std::string ParseV6(absl::string_view text, IpAddress::V6Bytes* out) {
  std::vector<std::uint16_t> head, tail;
  std::size_t gap = text.find("::");
  if (gap == absl::string_view::npos) {
    std::string why = ParseGroups(text, /*last=*/true, &head);
    if (!why.empty()) return why;
    if (head.size() != 8) {
      return absl::StrCat("IPv6 address needs 8 groups without '::', found ",
                          head.size());
    }
  } else {
    absl::string_view after = text.substr(gap + 2);
    if (absl::StartsWith(after, ":")) return "':::' in IPv6 address";
    if (after.find("::") != absl::string_view::npos) {
      return "more than one '::' in IPv6 address";
    }
    std::string why = ParseGroups(text.substr(0, gap), /*last=*/false, &head);
    if (why.empty()) why = ParseGroups(after, /*last=*/true, &tail);
    if (!why.empty()) return why;
    if (head.size() + tail.size() > 7) {
      return absl::StrCat("IPv6 address has ", head.size() + tail.size(),
                          " groups and '::' (at most 7 with '::')");
    }
  }
  head.resize(8 - tail.size(), 0);  // the groups that `::` stands for
  head.insert(head.end(), tail.begin(), tail.end());
  for (std::size_t i = 0; i < 8; ++i) {
    (*out)[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    (*out)[2 * i + 1] = static_cast<std::uint8_t>(head[i] & 0xff);
  }
  return "";
}

// ParseZone()
//
// The text after `%`: a decimal index, or an interface name the OS knows.
std::string ParseZone(absl::string_view zone, std::uint32_t* scope_id) {
  if (zone.empty()) return "empty zone after '%'";
  if (zone.size() > kMaxZoneLength) {
    return absl::StrCat("zone of ", zone.size(),
                        " bytes is longer than the limit of ", kMaxZoneLength);
  }
  for (char c : zone) {
    unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isspace(u) || absl::ascii_iscntrl(u) || c == ']' ||
        c == '%') {
      return absl::StrCat("zone ", Quote(zone),
                          " contains a character not allowed in a zone");
    }
  }
  if (AllDigits(zone)) {
    if (!absl::SimpleAtoi(zone, scope_id)) {
      return absl::StrCat("zone index ", Quote(zone),
                          " out of range (0..4294967295)");
    }
    return "";
  }
  absl::StatusOr<std::uint32_t> index = sys::InterfaceIndex(zone);
  if (!index.ok()) {
    return absl::StrCat("unknown interface ", Quote(zone), " in zone (",
                        index.status().message(), ")");
  }
  *scope_id = *index;
  return "";
}

// ParseIp()
//
// The IPv4 or IPv6 host part (already bounded) into `out`.
std::string ParseIp(absl::string_view text, IpAddress* out) {
  if (text.empty()) return "empty IP address";
  absl::string_view address = text;
  absl::string_view zone;
  bool has_zone = false;
  std::size_t percent = text.find('%');
  if (percent != absl::string_view::npos) {
    address = text.substr(0, percent);
    zone = text.substr(percent + 1);
    has_zone = true;
  }
  if (address.find(':') == absl::string_view::npos) {
    if (has_zone) return "a zone ('%') is only allowed on an IPv6 address";
    IpAddress::V4Bytes v4;
    std::string why = ParseV4(address, v4.data());
    if (!why.empty()) return why;
    *out = IpAddress::V4(v4);
    return "";
  }
  IpAddress::V6Bytes v6;
  std::string why = ParseV6(address, &v6);
  if (!why.empty()) return why;
  std::uint32_t scope_id = 0;
  if (has_zone) {
    why = ParseZone(zone, &scope_id);
    if (!why.empty()) return why;
  }
  *out = IpAddress::V6(v6, scope_id);
  return "";
}

std::string ParsePort(absl::string_view text, std::uint16_t* port) {
  if (text.empty()) return "missing port after ':'";
  if (!AllDigits(text)) {
    return absl::StrCat("port ", Quote(text), " is not a decimal number");
  }
  std::uint32_t value = 0;
  if (text.size() > kMaxPortDigits || !absl::SimpleAtoi(text, &value) ||
      value > 65535) {
    return "port out of range (0..65535)";
  }
  *port = static_cast<std::uint16_t>(value);
  return "";
}

// FormatV6()
//
// RFC 5952 section 4 text of `b` (no zone).
std::string FormatV6(const IpAddress::V6Bytes& b) {
  std::uint16_t g[8];
  for (int i = 0; i < 8; ++i) {
    g[i] = static_cast<std::uint16_t>(b[2 * i] << 8 | b[2 * i + 1]);
  }
  if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 &&
      g[5] == 0xffff) {
    return absl::StrCat("::ffff:", b[12], ".", b[13], ".", b[14], ".", b[15]);
  }
  int best_start = -1;
  int best_length = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_length) {  // strictly longer: the leftmost run wins ties
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  if (best_length < 2) best_start = -1;
  std::string out;
  for (int i = 0; i < 8;) {
    if (i == best_start) {
      out.append("::");
      i += best_length;
      continue;
    }
    if (!out.empty() && out.back() != ':') out.push_back(':');
    absl::StrAppend(&out, absl::Hex(g[i]));
    ++i;
  }
  return out;
}

}  // namespace

absl::string_view AddressFamilyName(AddressFamily family) {
  switch (family) {
    case AddressFamily::kUnspecified:
      return "unspecified";
    case AddressFamily::kIPv4:
      return "ipv4";
    case AddressFamily::kIPv6:
      return "ipv6";
    case AddressFamily::kUnix:
      return "unix";
  }
  return "unspecified";
}

// --- IpAddress -------------------------------------------------------------

IpAddress IpAddress::V4(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                        std::uint8_t d) {
  return V4(V4Bytes{a, b, c, d});
}

IpAddress IpAddress::V4(const V4Bytes& bytes) {
  IpAddress ip;
  ip.family_ = AddressFamily::kIPv4;
  std::copy(bytes.begin(), bytes.end(), ip.bytes_.begin());
  return ip;
}

IpAddress IpAddress::V6(const V6Bytes& bytes, std::uint32_t scope_id) {
  IpAddress ip;
  ip.family_ = AddressFamily::kIPv6;
  ip.bytes_ = bytes;
  ip.scope_id_ = scope_id;
  return ip;
}

IpAddress IpAddress::Loopback(AddressFamily family) {
  if (family != AddressFamily::kIPv6) return V4(127, 0, 0, 1);
  V6Bytes b{};
  b[15] = 1;
  return V6(b);
}

IpAddress IpAddress::Any(AddressFamily family) {
  return family == AddressFamily::kIPv6 ? V6(V6Bytes{}) : V4(0, 0, 0, 0);
}

absl::StatusOr<IpAddress> IpAddress::Parse(absl::string_view text) {
  std::string why = CheckBounds(text);
  if (why.empty() && (text[0] == '[' || text.back() == ']')) {
    why = "brackets belong only to SocketAddress text ([address]:port)";
  }
  IpAddress ip;
  if (why.empty()) why = ParseIp(text, &ip);
  if (!why.empty()) return ParseError("IP address", text, why);
  return ip;
}

absl::Span<const std::uint8_t> IpAddress::bytes() const {
  return absl::MakeConstSpan(bytes_.data(), is_v4() ? 4 : 16);
}

IpAddress::V4Bytes IpAddress::v4_bytes() const {
  if (!is_v4()) return V4Bytes{};
  return V4Bytes{bytes_[0], bytes_[1], bytes_[2], bytes_[3]};
}

bool IpAddress::IsLoopback() const {
  if (is_v4()) return bytes_[0] == 127;
  return bytes_ == Loopback(AddressFamily::kIPv6).bytes_;
}

bool IpAddress::IsUnspecified() const {
  absl::Span<const std::uint8_t> b = bytes();
  return std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0; });
}

bool IpAddress::IsMulticast() const {
  return is_v4() ? (bytes_[0] & 0xf0) == 0xe0 : bytes_[0] == 0xff;
}

bool IpAddress::IsLinkLocal() const {
  if (is_v4()) return bytes_[0] == 169 && bytes_[1] == 254;
  return bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
}

bool IpAddress::IsV4Mapped() const {
  if (!is_v6()) return false;
  for (int i = 0; i < 10; ++i) {
    if (bytes_[i] != 0) return false;
  }
  return bytes_[10] == 0xff && bytes_[11] == 0xff;
}

std::string IpAddress::ToString() const {
  if (is_v4()) {
    return absl::StrCat(bytes_[0], ".", bytes_[1], ".", bytes_[2], ".",
                        bytes_[3]);
  }
  std::string out = FormatV6(bytes_);
  if (scope_id_ != 0) {
    absl::StatusOr<std::string> name = sys::InterfaceName(scope_id_);
    absl::StrAppend(&out, "%", name.ok() ? *name : absl::StrCat(scope_id_));
  }
  return out;
}

bool operator==(const IpAddress& a, const IpAddress& b) {
  return a.family_ == b.family_ && a.bytes_ == b.bytes_ &&
         a.scope_id_ == b.scope_id_;
}

bool operator<(const IpAddress& a, const IpAddress& b) {
  return std::tie(a.family_, a.bytes_, a.scope_id_) <
         std::tie(b.family_, b.bytes_, b.scope_id_);
}

// --- SocketAddress ---------------------------------------------------------

namespace {

// FromParts()
//
// The native form of `parts`, written by the backend.
absl::StatusOr<SocketAddress> FromParts(const sys::AddressParts& parts) {
  SocketAddress out;
  absl::StatusOr<std::size_t> length =
      sys::EncodeAddress(parts, out.mutable_native());
  if (!length.ok()) return length.status();
  out.set_native_length(*length);
  return out;
}

// UnixAddress()
//
// A unix-domain path or abstract name, checked against the OS's `sun_path`.
// A NUL byte is refused in a path only: an abstract name is raw bytes.
absl::StatusOr<SocketAddress> UnixAddress(absl::string_view name,
                                          bool abstract) {
  absl::string_view what =
      abstract ? "abstract unix socket name " : "unix socket path ";
  if (!abstract && name.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, Quote(name), " contains a NUL byte"));
  }
  if (name.size() > sys::MaxUnixPathLength()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, Quote(name), " of ", name.size(),
                     " bytes is longer than this OS allows (",
                     sys::MaxUnixPathLength(), ")"));
  }
  sys::AddressParts parts;
  parts.family = AddressFamily::kUnix;
  parts.path = std::string(name);
  parts.abstract = abstract;
  return FromParts(parts);
}

absl::StatusOr<sys::AddressParts> Decode(const SocketAddress& address) {
  if (address.native_length() == 0) {
    return absl::InvalidArgumentError("unspecified address");
  }
  return sys::DecodeAddress(address.native(), address.native_length());
}

}  // namespace

SocketAddress::SocketAddress(const IpAddress& ip, std::uint16_t port,
                             std::uint32_t flow_info) {
  sys::AddressParts parts;
  parts.family = ip.family();
  parts.ip = ip;
  parts.port = port;
  parts.flow_info = ip.is_v6() ? flow_info : 0;
  // Cannot fail for an IP address; on a broken backend the address stays
  // unspecified rather than half written.
  absl::StatusOr<SocketAddress> encoded = FromParts(parts);
  if (encoded.ok()) *this = *encoded;
}

absl::StatusOr<SocketAddress> SocketAddress::Parse(absl::string_view text) {
  std::string why = CheckBounds(text);
  if (!why.empty()) return ParseError("address", text, why);

  if (absl::StartsWith(text, "unix:")) {
    absl::string_view path = text.substr(5);
    absl::StatusOr<SocketAddress> unix_address =
        absl::ConsumePrefix(&path, "@") ? UnixAbstract(path) : Unix(path);
    if (unix_address.ok()) return unix_address;
    return absl::Status(unix_address.status().code(),
                        absl::StrCat("parse address ", Quote(text), ": ",
                                     unix_address.status().message()));
  }

  absl::string_view host;
  absl::string_view port_text;
  if (text[0] == '[') {
    std::size_t close = text.find(']');
    if (close == absl::string_view::npos) {
      return ParseError("address", text, "missing ']' after IPv6 address");
    }
    host = text.substr(1, close - 1);
    absl::string_view rest = text.substr(close + 1);
    if (rest.empty()) return ParseError("address", text, "missing port");
    if (rest[0] != ':') {
      return ParseError("address", text, "expected ':' and a port after ']'");
    }
    port_text = rest.substr(1);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) {
      return ParseError("address", text, "missing port (expected host:port)");
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != absl::string_view::npos) {
      return ParseError("address", text,
                        "an IPv6 address with a port needs brackets: "
                        "[address]:port");
    }
  }

  IpAddress ip;
  why = ParseIp(host, &ip);
  if (why.empty() && text[0] == '[' && !ip.is_v6()) {
    why = "brackets are only for IPv6 addresses";
  }
  std::uint16_t port = 0;
  if (why.empty()) why = ParsePort(port_text, &port);
  if (!why.empty()) return ParseError("address", text, why);
  return SocketAddress(ip, port);
}

absl::StatusOr<SocketAddress> SocketAddress::Unix(absl::string_view path) {
  return UnixAddress(path, /*abstract=*/false);
}

absl::StatusOr<SocketAddress> SocketAddress::UnixAbstract(
    absl::string_view name) {
  return UnixAddress(name, /*abstract=*/true);
}

absl::StatusOr<SocketAddress> SocketAddress::FromNative(
    const struct sockaddr* addr, std::size_t length) {
  if (addr == nullptr) {
    return absl::InvalidArgumentError("native address: null pointer");
  }
  if (length == 0) {
    return absl::InvalidArgumentError("native address: length 0");
  }
  if (length > kStorageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("native address: length ", length,
                     " is larger than the storage of ", kStorageSize));
  }
  // Decode and encode again rather than copy: padding (`sin_zero`), bytes
  // past the end of a unix path and an over-long length are normalized, so
  // that equal endpoints compare and hash equal.
  absl::StatusOr<sys::AddressParts> parts = sys::DecodeAddress(addr, length);
  if (!parts.ok()) return parts.status();
  return FromParts(*parts);
}

const struct sockaddr* SocketAddress::native() const {
  return reinterpret_cast<const struct sockaddr*>(storage_);
}

struct sockaddr* SocketAddress::mutable_native() {
  return reinterpret_cast<struct sockaddr*>(storage_);
}

void SocketAddress::set_native_length(std::size_t length) {
  length = std::min(length, kStorageSize);
  // Bytes past the end are kept zero, so that a later, longer length never
  // exposes stale bytes.
  std::fill(storage_ + length, storage_ + kStorageSize, 0);
  length_ = static_cast<std::uint32_t>(length);
}

AddressFamily SocketAddress::family() const {
  return sys::DecodeFamily(storage_, length_);
}

bool SocketAddress::is_ip() const {
  AddressFamily f = family();
  return f == AddressFamily::kIPv4 || f == AddressFamily::kIPv6;
}

IpAddress SocketAddress::ip() const {
  absl::StatusOr<sys::AddressParts> parts = Decode(*this);
  if (!parts.ok() || parts->family == AddressFamily::kUnix) return IpAddress();
  return parts->ip;
}

std::uint16_t SocketAddress::port() const {
  absl::StatusOr<sys::AddressParts> parts = Decode(*this);
  return parts.ok() ? parts->port : 0;
}

std::uint32_t SocketAddress::flow_info() const {
  absl::StatusOr<sys::AddressParts> parts = Decode(*this);
  return parts.ok() ? parts->flow_info : 0;
}

SocketAddress SocketAddress::WithPort(std::uint16_t port) const {
  absl::StatusOr<sys::AddressParts> parts = Decode(*this);
  if (!parts.ok() || parts->family == AddressFamily::kUnix) return *this;
  return SocketAddress(parts->ip, port, parts->flow_info);
}

std::string SocketAddress::unix_path() const {
  absl::StatusOr<sys::AddressParts> parts = Decode(*this);
  if (!parts.ok() || parts->family != AddressFamily::kUnix) return "";
  return parts->path;
}

bool SocketAddress::is_abstract() const {
  absl::StatusOr<sys::AddressParts> parts = Decode(*this);
  return parts.ok() && parts->abstract;
}

std::string SocketAddress::ToString() const {
  absl::StatusOr<sys::AddressParts> parts = Decode(*this);
  if (!parts.ok()) return "unspecified";
  switch (parts->family) {
    case AddressFamily::kIPv4:
      return absl::StrCat(parts->ip.ToString(), ":", parts->port);
    case AddressFamily::kIPv6:
      return absl::StrCat("[", parts->ip.ToString(), "]:", parts->port);
    case AddressFamily::kUnix:
      return absl::StrCat("unix:", parts->abstract ? "@" : "", parts->path);
    case AddressFamily::kUnspecified:
      break;
  }
  return "unspecified";
}

bool operator==(const SocketAddress& a, const SocketAddress& b) {
  return a.length_ == b.length_ &&
         std::memcmp(a.storage_, b.storage_, a.length_) == 0;
}

}  // namespace net
