// Copyright 2026 The net Authors.
//
// `Socket::SetOptionValue()` and `Socket::GetOptionValue()`: the portable
// checks every option goes through before the backend's setsockopt, in this
// order: the socket is open; the option can be set (or read); this OS has
// it (kUnimplemented); it applies to the socket's family and type; the value
// has the option's kind and is in range (kInvalidArgument naming the option
// and the value). Only then does platform/sys.h get the call.

#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/option_table.h"
#include "core/options_internal.h"
#include "net/options.h"
#include "net/socket.h"
#include "net/status_macros.h"
#include "platform/sys.h"

namespace net {
namespace {

using internal::OptionRow;

std::uint8_t FamilyBit(AddressFamily family) {
  switch (family) {
    case AddressFamily::kIPv4:
      return internal::kFamilyIPv4;
    case AddressFamily::kIPv6:
      return internal::kFamilyIPv6;
    case AddressFamily::kUnix:
      return internal::kFamilyUnix;
    case AddressFamily::kUnspecified:
      break;
  }
  return 0;
}

std::uint8_t TypeBit(SocketType type) {
  switch (type) {
    case SocketType::kStream:
      return internal::kTypeStream;
    case SocketType::kDatagram:
      return internal::kTypeDatagram;
    case SocketType::kSeqPacket:
      return internal::kTypeSeqPacket;
    case SocketType::kRaw:
      return internal::kTypeRaw;
  }
  return 0;
}

// "ipv4/ipv6 datagram/raw sockets"
std::string AppliesTo(const OptionRow& row) {
  std::vector<absl::string_view> families;
  if (row.families & internal::kFamilyIPv4) families.push_back("ipv4");
  if (row.families & internal::kFamilyIPv6) families.push_back("ipv6");
  if (row.families & internal::kFamilyUnix) families.push_back("unix");
  std::vector<absl::string_view> types;
  if (row.types & internal::kTypeStream) types.push_back("stream");
  if (row.types & internal::kTypeDatagram) types.push_back("datagram");
  if (row.types & internal::kTypeSeqPacket) types.push_back("seqpacket");
  if (row.types & internal::kTypeRaw) types.push_back("raw");
  return absl::StrCat(absl::StrJoin(families, "/"), " ",
                      absl::StrJoin(types, "/"), " sockets");
}

absl::Status CheckApplies(absl::string_view op, const OptionRow& row,
                          AddressFamily family, SocketType type) {
  // A socket whose family the OS did not tell (an adopted oddity) is left
  // to the OS to judge.
  const bool family_ok = family == AddressFamily::kUnspecified ||
                         (row.families & FamilyBit(family)) != 0;
  if (family_ok && (row.types & TypeBit(type)) != 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(op, ": does not apply to an ", AddressFamilyName(family),
                   " ", SocketTypeName(type), " socket (", row.level_name,
                   " option for ", AppliesTo(row), ")"));
}

bool KindMatches(OptionValueKind kind, const OptionValue& v) {
  switch (kind) {
    case OptionValueKind::kBool:
      return std::holds_alternative<bool>(v);
    case OptionValueKind::kInt:
      return std::holds_alternative<int>(v);
    case OptionValueKind::kUnsigned:
    case OptionValueKind::kInterfaceIndex:
      return std::holds_alternative<std::uint32_t>(v);
    case OptionValueKind::kDuration:
      return std::holds_alternative<absl::Duration>(v);
    case OptionValueKind::kLinger:
      return std::holds_alternative<Linger>(v);
    case OptionValueKind::kBytes:
    case OptionValueKind::kString:
      return std::holds_alternative<std::string>(v);
    case OptionValueKind::kIpAddress:
      return std::holds_alternative<IpAddress>(v);
    case OptionValueKind::kSocketAddress:
      return std::holds_alternative<SocketAddress>(v);
    case OptionValueKind::kAddressFamily:
      return std::holds_alternative<AddressFamily>(v);
    case OptionValueKind::kSocketType:
      return std::holds_alternative<SocketType>(v);
    case OptionValueKind::kError:
      return std::holds_alternative<absl::Status>(v);
    case OptionValueKind::kGroup:
      return std::holds_alternative<MulticastGroup>(v);
    case OptionValueKind::kSourceGroup:
      return std::holds_alternative<SourceGroup>(v);
    case OptionValueKind::kIcmp6Filter:
      return std::holds_alternative<Icmp6Filter>(v);
    case OptionValueKind::kKeepAlive:
      return std::holds_alternative<KeepAlive>(v);
    case OptionValueKind::kSctpInitMsg:
      return std::holds_alternative<SctpInitMsg>(v);
    case OptionValueKind::kSctpRtoInfo:
      return std::holds_alternative<SctpRtoInfo>(v);
    case OptionValueKind::kSctpAssocInfo:
      return std::holds_alternative<SctpAssocInfo>(v);
    case OptionValueKind::kSctpEvents:
      return std::holds_alternative<SctpEventSubscription>(v);
    case OptionValueKind::kSctpSendParams:
      return std::holds_alternative<SctpSendParams>(v);
    case OptionValueKind::kSctpPeerAddrParams:
      return std::holds_alternative<SctpPeerAddrParams>(v);
    case OptionValueKind::kSctpPeerAddrInfo:
      return std::holds_alternative<SctpPeerAddrInfo>(v);
    case OptionValueKind::kSctpStatus:
      return std::holds_alternative<SctpStatus>(v);
    case OptionValueKind::kSctpPrimaryAddr:
      return std::holds_alternative<SctpPrimaryAddr>(v);
  }
  return false;
}

absl::Status Invalid(absl::string_view op, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(op, ": ", what));
}

absl::Status CheckRange(absl::string_view op, std::int64_t v, std::int64_t min,
                        std::int64_t max) {
  if (v >= min && v <= max) return absl::OkStatus();
  return Invalid(op, absl::StrCat(v, " is out of range ", min, "..", max));
}

// A duration field: not negative; finite unless `infinite_ok`; at most
// `max` once rounded up to whole `unit`s; positive if `positive`.
struct DurationRule {
  absl::Duration unit;
  std::int64_t max_units;
  bool positive = false;
  bool infinite_ok = false;
};

absl::Status CheckDuration(absl::string_view op, absl::string_view field,
                           absl::Duration d, const DurationRule& rule) {
  const std::string what =
      field.empty() ? absl::FormatDuration(d)
                    : absl::StrCat(field, " ", absl::FormatDuration(d));
  if (d < absl::ZeroDuration()) {
    return Invalid(op, absl::StrCat(what, " must not be negative"));
  }
  if (d == absl::InfiniteDuration()) {
    if (rule.infinite_ok) return absl::OkStatus();
    return Invalid(op, absl::StrCat(what, " must be finite"));
  }
  if (rule.positive && d == absl::ZeroDuration()) {
    return Invalid(op, absl::StrCat(what, " must be positive"));
  }
  if (internal::CeilUnits(d, rule.unit) > rule.max_units) {
    return Invalid(
        op,
        absl::StrCat(what, " is too long (at most ",
                     absl::FormatDuration(rule.unit * rule.max_units), ")"));
  }
  return absl::OkStatus();
}

constexpr std::int64_t kUint32Max = 0xffffffff;

absl::Status CheckInterfaceIndex(absl::string_view op, std::uint32_t index) {
  if (index == 0) return absl::OkStatus();
  if (sys::InterfaceName(index).ok()) return absl::OkStatus();
  return Invalid(op, absl::StrCat("interface index ", index,
                                  " does not exist on this machine"));
}

// Which interface selector an option uses.
enum class Selector { kByIndex, kByAddress };

absl::Status CheckInterface(absl::string_view op, Selector selector,
                            std::uint32_t index, const IpAddress& address) {
  if (selector == Selector::kByAddress) {
    if (index != 0) {
      return Invalid(
          op,
          absl::StrCat(
              "interface index ", index,
              " given, but this option selects the interface by its IPv4 "
              "address (set interface_address, or use the MCAST_* options)"));
    }
    if (!address.is_v4()) {
      return Invalid(op, absl::StrCat("interface address ", address.ToString(),
                                      " is not an IPv4 address"));
    }
    return absl::OkStatus();
  }
  if (!address.IsUnspecified()) {
    return Invalid(
        op,
        absl::StrCat("interface address ", address.ToString(),
                     " given, but this option selects the interface by index "
                     "(set interface_index)"));
  }
  return CheckInterfaceIndex(op, index);
}

absl::Status CheckGroupAddress(absl::string_view op, const IpAddress& group,
                               AddressFamily family) {
  if (group.family() != family) {
    return Invalid(op, absl::StrCat("group ", group.ToString(), " is ",
                                    AddressFamilyName(group.family()),
                                    " but this option takes an ",
                                    AddressFamilyName(family), " group"));
  }
  if (!group.IsMulticast()) {
    return Invalid(op, absl::StrCat("group ", group.ToString(),
                                    " is not a multicast address"));
  }
  return absl::OkStatus();
}

absl::Status CheckGroup(absl::string_view op, const OptionValue& v,
                        AddressFamily family, Selector selector) {
  if (const auto* g = std::get_if<MulticastGroup>(&v)) {
    NET_RETURN_IF_ERROR(CheckGroupAddress(op, g->group, family));
    return CheckInterface(op, selector, g->interface_index,
                          g->interface_address);
  }
  const auto& s = std::get<SourceGroup>(v);
  NET_RETURN_IF_ERROR(CheckGroupAddress(op, s.group, family));
  if (s.source.family() != family || s.source.IsMulticast() ||
      s.source.IsUnspecified()) {
    return Invalid(
        op, absl::StrCat("source ", s.source.ToString(), " is not a unicast ",
                         AddressFamilyName(family), " address"));
  }
  return CheckInterface(op, selector, s.interface_index, s.interface_address);
}

absl::Status CheckSctpAddress(absl::string_view op, const SocketAddress& a,
                              bool required) {
  if (a.family() == AddressFamily::kUnspecified && !required) {
    return absl::OkStatus();
  }
  if (!a.is_ip()) {
    return Invalid(op, absl::StrCat("address ", a.ToString(),
                                    " is not an IPv4 or IPv6 endpoint"));
  }
  return absl::OkStatus();
}

absl::Status ValidateSctp(absl::string_view op, const OptionValue& v) {
  const DurationRule ms{absl::Milliseconds(1), kUint32Max};
  if (const auto* m = std::get_if<SctpInitMsg>(&v)) {
    return CheckDuration(op, "max_init_timeout", m->max_init_timeout,
                         {absl::Milliseconds(1), 0xffff});
  }
  if (const auto* r = std::get_if<SctpRtoInfo>(&v)) {
    NET_RETURN_IF_ERROR(CheckDuration(op, "initial", r->initial, ms));
    NET_RETURN_IF_ERROR(CheckDuration(op, "max", r->max, ms));
    return CheckDuration(op, "min", r->min, ms);
  }
  if (const auto* a = std::get_if<SctpAssocInfo>(&v)) {
    return CheckDuration(op, "cookie_life", a->cookie_life, ms);
  }
  if (const auto* s = std::get_if<SctpSendParams>(&v)) {
    return CheckDuration(op, "time_to_live", s->time_to_live, ms);
  }
  if (const auto* p = std::get_if<SctpPeerAddrParams>(&v)) {
    NET_RETURN_IF_ERROR(CheckSctpAddress(op, p->address, false));
    NET_RETURN_IF_ERROR(
        CheckDuration(op, "heartbeat_interval", p->heartbeat_interval, ms));
    return CheckDuration(op, "sack_delay", p->sack_delay, ms);
  }
  if (const auto* p = std::get_if<SctpPrimaryAddr>(&v)) {
    return CheckSctpAddress(op, p->address, true);
  }
  return absl::OkStatus();
}

// The value checks of one option; `v` has the option's kind.
absl::Status ValidateValue(absl::string_view op, const OptionRow& row,
                           AddressFamily family, const OptionValue& v) {
  switch (row.id) {
    case OptionId::kReceiveBuffer:
    case OptionId::kSendBuffer:
    case OptionId::kReceiveLowWatermark:
    case OptionId::kSendLowWatermark:
    case OptionId::kTcpFastOpen:
    case OptionId::kSctpMaxBurst:
    case OptionId::kSctpMaxSegment:
      return CheckRange(op, std::get<int>(v), 0, INT_MAX);
    case OptionId::kIpTos:
    case OptionId::kIpMulticastTtl:
      return CheckRange(op, std::get<int>(v), 0, 255);
    case OptionId::kIpTtl:
      return CheckRange(op, std::get<int>(v), 1, 255);
    case OptionId::kIpv6UnicastHops:
    case OptionId::kIpv6MulticastHops:
    case OptionId::kIpv6TrafficClass:
      return CheckRange(op, std::get<int>(v), -1, 255);
    case OptionId::kIpv6UseMinMtu:
      return CheckRange(op, std::get<int>(v), -1, 1);
    case OptionId::kTcpMaxSegment:
      return CheckRange(op, std::get<int>(v), 0, 65535);
    case OptionId::kIpv6Checksum: {
      const int offset = std::get<int>(v);
      if (offset == -1 || (offset >= 0 && offset % 2 == 0)) {
        return absl::OkStatus();
      }
      return Invalid(op,
                     absl::StrCat(offset, " is not -1 or an even byte offset"));
    }
    case OptionId::kReceiveTimeout:
    case OptionId::kSendTimeout:
      return CheckDuration(
          op, "", std::get<absl::Duration>(v),
          {absl::Milliseconds(1), kUint32Max - 1, false, true});
    case OptionId::kTcpUserTimeout:
      return CheckDuration(op, "", std::get<absl::Duration>(v),
                           {absl::Milliseconds(1), INT_MAX});
    case OptionId::kTcpDeferAccept:
    case OptionId::kSctpAutoClose:
      return CheckDuration(op, "", std::get<absl::Duration>(v),
                           {absl::Seconds(1), INT_MAX});
    case OptionId::kLinger:
      return CheckDuration(op, "timeout", std::get<Linger>(v).timeout,
                           {absl::Seconds(1), 65535});
    case OptionId::kTcpKeepAlive: {
      const KeepAlive& k = std::get<KeepAlive>(v);
      const DurationRule rule{absl::Seconds(1), INT_MAX / 1000, true};
      NET_RETURN_IF_ERROR(CheckDuration(op, "idle", k.idle, rule));
      NET_RETURN_IF_ERROR(CheckDuration(op, "interval", k.interval, rule));
      if (k.count < 1) {
        return Invalid(op,
                       absl::StrCat("count ", k.count, " must be at least 1"));
      }
      return absl::OkStatus();
    }
    case OptionId::kIpOptions:
      if (std::get<std::string>(v).size() > 40) {
        return Invalid(op, absl::StrCat(std::get<std::string>(v).size(),
                                        " bytes of IPv4 options; at most 40"));
      }
      return absl::OkStatus();
    case OptionId::kTcpCongestion: {
      const std::string& name = std::get<std::string>(v);
      if (name.empty() || name.size() > 15 ||
          name.find('\0') != std::string::npos) {
        return Invalid(op, absl::StrCat(FormatOptionValue(v),
                                        " is not an algorithm name (1 to 15 "
                                        "characters, no NUL)"));
      }
      return absl::OkStatus();
    }
    case OptionId::kBindToDevice: {
      const std::string& name = std::get<std::string>(v);
      if (name.empty()) return absl::OkStatus();
      if (name.size() < 16 && name.find('\0') == std::string::npos &&
          sys::InterfaceIndex(name).ok()) {
        return absl::OkStatus();
      }
      return Invalid(op, absl::StrCat("interface ", FormatOptionValue(v),
                                      " does not exist on this machine"));
    }
    case OptionId::kIpMulticastInterface: {
      const IpAddress& a = std::get<IpAddress>(v);
      if (a.is_v4() && !a.IsMulticast()) return absl::OkStatus();
      return Invalid(
          op, absl::StrCat(a.ToString(), " is not an IPv4 interface address"));
    }
    case OptionId::kIpv6MulticastInterface:
      return CheckInterfaceIndex(op, std::get<std::uint32_t>(v));
    case OptionId::kIpv6NextHop: {
      const SocketAddress& a = std::get<SocketAddress>(v);
      if (a.family() == AddressFamily::kIPv6) return absl::OkStatus();
      return Invalid(op, absl::StrCat(a.ToString(), " is not an IPv6 address"));
    }
    case OptionId::kIpAddMembership:
    case OptionId::kIpDropMembership:
    case OptionId::kIpBlockSource:
    case OptionId::kIpUnblockSource:
    case OptionId::kIpAddSourceMembership:
    case OptionId::kIpDropSourceMembership:
      return CheckGroup(op, v, AddressFamily::kIPv4, Selector::kByAddress);
    case OptionId::kIpv6JoinGroup:
    case OptionId::kIpv6LeaveGroup:
      return CheckGroup(op, v, AddressFamily::kIPv6, Selector::kByIndex);
    case OptionId::kMcastJoinGroup:
    case OptionId::kMcastLeaveGroup:
    case OptionId::kMcastBlockSource:
    case OptionId::kMcastUnblockSource:
    case OptionId::kMcastJoinSourceGroup:
    case OptionId::kMcastLeaveSourceGroup:
      return CheckGroup(op, v, family, Selector::kByIndex);
    default:
      break;
  }
  if (row.level == OptionLevel::kSctp) return ValidateSctp(op, v);
  return absl::OkStatus();
}

absl::Status WrongKind(absl::string_view op, const OptionRow& row,
                       const OptionValue& v) {
  return Invalid(op, absl::StrCat("takes a ", OptionValueKindName(row.kind),
                                  " value, got ", FormatOptionValue(v),
                                  " (alternative ", v.index(), ")"));
}

absl::Status UnknownId(absl::string_view verb, OptionId id) {
  return absl::InvalidArgumentError(absl::StrCat(
      verb, " option: ", static_cast<int>(id), " is not a net::OptionId"));
}

}  // namespace

absl::Status Socket::SetOptionValue(OptionId id, const OptionValue& value) {
  const OptionRow* row = internal::FindRow(id);
  if (row == nullptr) return UnknownId("set", id);
  const std::string op = absl::StrCat("set ", internal::OptionName(id));
  NET_RETURN_IF_ERROR(CheckOpen(op));
  if (!row->settable) return Invalid(op, "the option is get-only");
  NET_RETURN_IF_ERROR(sys::OptionSupport(id));
  NET_RETURN_IF_ERROR(CheckApplies(op, *row, family_, type_));
  if (!KindMatches(row->kind, value)) return WrongKind(op, *row, value);
  NET_RETURN_IF_ERROR(ValidateValue(op, *row, family_, value));
  return sys::SetOption(handle_, id, value);
}

absl::StatusOr<OptionValue> Socket::GetOptionValue(
    OptionId id, const OptionValue& query) const {
  const OptionRow* row = internal::FindRow(id);
  if (row == nullptr) return UnknownId("get", id);
  const std::string op = absl::StrCat("get ", internal::OptionName(id));
  NET_RETURN_IF_ERROR(CheckOpen(op));
  if (!row->gettable) {
    return Invalid(op, "the option is a set-only request and cannot be read");
  }
  NET_RETURN_IF_ERROR(sys::OptionSupport(id));
  NET_RETURN_IF_ERROR(CheckApplies(op, *row, family_, type_));
  if (!std::holds_alternative<std::monostate>(query)) {
    if (!KindMatches(row->kind, query)) return WrongKind(op, *row, query);
    if (row->level == OptionLevel::kSctp) {
      NET_RETURN_IF_ERROR(ValidateSctp(op, query));
    }
  }
  return sys::GetOption(handle_, id, query);
}

}  // namespace net
