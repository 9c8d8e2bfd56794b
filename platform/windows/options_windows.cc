// Copyright 2026 The net Authors.
//
// Socket options on Windows: the OptionId -> (level, name) table of
// Winsock, the plain values, the keepalive tuple, dispatch to the IP file,
// and the capability answers. The POSIX twin is options_posix.cc. What
// Winsock does differently is absorbed here:
//
//   * BOOL results: getsockopt may write one byte (TCP_NODELAY,
//     SO_KEEPALIVE, IPV6_V6ONLY); values are read into a zeroed DWORD and a
//     1-byte answer is taken as such.
//   * Timeouts (SO_RCVTIMEO, SO_SNDTIMEO) are a DWORD of milliseconds, 0
//     meaning none; a duration is rounded up to the next millisecond.
//   * The keepalive tuple is set with TCP_KEEPCNT where the OS has it
//     (Windows 10 1703), then WSAIoctl(SIO_KEEPALIVE_VALS) (idle and
//     interval in milliseconds, keepalive on), whole or not at all (see
//     SetKeepAlive()); it is read back with TCP_KEEPIDLE,
//     TCP_KEEPINTVL and TCP_KEEPCNT (Windows 10 1709). Without them (older
//     Windows, wine) the probe count is fixed at 10 and cannot be read.
//   * The dead-peer timeout is TCP_MAXRT, in whole seconds.
//   * SO_REUSEADDR is the native one, which allows binding over a port in
//     active use; stream sockets bind with SO_EXCLUSIVEADDRUSE unless it was
//     set (socket_windows.cc). SO_REUSEPORT does not exist.

#include "platform/windows/winsock_internal.h"

// clang-format off: after winsock2.h.
#include <mstcpip.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/options.h"
#include "net/status_macros.h"
#include "platform/fault.h"
#include "platform/sys.h"
#include "platform/windows/options_internal_windows.h"

// After the OS headers (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/options_bsd.h"

// The Windows 10 TCP option numbers (ws2ipdef.h of the Windows SDK), which
// mingw-w64's headers lack.
#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE 3
#endif
#ifndef TCP_MAXSEG
#define TCP_MAXSEG 4
#endif
#ifndef TCP_MAXRT
#define TCP_MAXRT 5
#endif
#ifndef TCP_FASTOPEN
#define TCP_FASTOPEN 15
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPIDLE
#define TCP_KEEPIDLE TCP_KEEPALIVE
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 17
#endif

namespace net::sys {
namespace windows {

absl::Status SetRaw(Handle handle, int level, int name, const void* data,
                    int length, OptionId id, const OptionValue& value) {
  if (NET_FAULT(kSetOption, handle, SOCKET_ERROR,
                setsockopt(Sock(handle), level, name,
                           static_cast<const char*>(data), length)) == 0) {
    return absl::OkStatus();
  }
  return Fail(absl::StrCat("setsockopt ", internal::OptionName(id)),
              FormatOptionValue(value));
}

absl::Status GetRaw(Handle handle, int level, int name, void* data, int* length,
                    OptionId id) {
  if (NET_FAULT(kGetOption, handle, SOCKET_ERROR,
                getsockopt(Sock(handle), level, name, static_cast<char*>(data),
                           length)) == 0) {
    return absl::OkStatus();
  }
  return Fail(absl::StrCat("getsockopt ", internal::OptionName(id)));
}

absl::Status NotOnWindows(OptionId id, absl::string_view why) {
  return internal::NotAvailable(
      why.empty() ? absl::StrCat(internal::OptionName(id),
                                 " is not available on Windows")
                  : absl::StrCat(internal::OptionName(id),
                                 " is not available on Windows (", why, ")"));
}

}  // namespace windows
namespace {

using windows::GetRaw;
using windows::SetRaw;

enum class Codec : std::uint8_t {
  kBool,          // BOOL / DWORD; may be answered in one byte
  kInt,           // int / DWORD
  kUnsigned,      // DWORD (an interface index)
  kMilliseconds,  // DWORD milliseconds, 0 = none (SO_RCVTIMEO, SO_SNDTIMEO)
  kLinger,        // struct linger of two u_shorts, seconds
  kBytes,         // raw bytes (IP_OPTIONS)
  kSeconds,       // DWORD seconds (TCP_MAXRT)
  kProtocolInfo,  // SO_PROTOCOL_INFOW (SO_DOMAIN, SO_PROTOCOL)
  kType,          // int SOCK_* (SO_TYPE)
  kError,         // int WSA code (SO_ERROR)
  kKeepAlive,     // SIO_KEEPALIVE_VALS + TCP_KEEPCNT
};

struct Native {
  OptionId id = OptionId::kBroadcast;
  int level = 0;
  int name = 0;
  Codec codec = Codec::kInt;
  const char* rename = "";  // the native name where it is not the table's
};

// Why an option that Winsock's headers name is not offered.
absl::string_view Missing(OptionId id) {
  switch (id) {
    case OptionId::kUseLoopback:
      return "Winsock defines SO_USELOOPBACK but does not implement it";
    case OptionId::kReceiveLowWatermark:
    case OptionId::kSendLowWatermark:
      return "the Windows TCP/IP provider does not support low-water marks";
    case OptionId::kReusePort:
      return "SO_REUSEADDR is the closest, with other semantics";
    default:
      return "";
  }
}

// The options with plain values, where this system has them (the IP
// struct and SCTP options have their own files).
constexpr Native kNative[] = {
    {OptionId::kBroadcast, SOL_SOCKET, SO_BROADCAST, Codec::kBool},
    {OptionId::kDebug, SOL_SOCKET, SO_DEBUG, Codec::kBool},
    {OptionId::kDontRoute, SOL_SOCKET, SO_DONTROUTE, Codec::kBool},
    {OptionId::kSocketError, SOL_SOCKET, SO_ERROR, Codec::kError},
    {OptionId::kKeepAlive, SOL_SOCKET, SO_KEEPALIVE, Codec::kBool},
    {OptionId::kLinger, SOL_SOCKET, SO_LINGER, Codec::kLinger},
    {OptionId::kOutOfBandInline, SOL_SOCKET, SO_OOBINLINE, Codec::kBool},
    {OptionId::kReceiveBuffer, SOL_SOCKET, SO_RCVBUF, Codec::kInt},
    {OptionId::kSendBuffer, SOL_SOCKET, SO_SNDBUF, Codec::kInt},
    {OptionId::kReceiveTimeout, SOL_SOCKET, SO_RCVTIMEO, Codec::kMilliseconds},
    {OptionId::kSendTimeout, SOL_SOCKET, SO_SNDTIMEO, Codec::kMilliseconds},
    {OptionId::kReuseAddress, SOL_SOCKET, SO_REUSEADDR, Codec::kBool},
    {OptionId::kSocketType, SOL_SOCKET, SO_TYPE, Codec::kType},
    {OptionId::kAcceptConnections, SOL_SOCKET, SO_ACCEPTCONN, Codec::kBool},
    {OptionId::kSocketDomain, SOL_SOCKET, SO_PROTOCOL_INFOW,
     Codec::kProtocolInfo, "SO_PROTOCOL_INFOW.iAddressFamily"},
    {OptionId::kSocketProtocol, SOL_SOCKET, SO_PROTOCOL_INFOW,
     Codec::kProtocolInfo, "SO_PROTOCOL_INFOW.iProtocol"},
    {OptionId::kExclusiveAddressUse, SOL_SOCKET, SO_EXCLUSIVEADDRUSE,
     Codec::kBool},
    {OptionId::kIpHeaderIncluded, IPPROTO_IP, IP_HDRINCL, Codec::kBool},
    {OptionId::kIpOptions, IPPROTO_IP, IP_OPTIONS, Codec::kBytes},
    {OptionId::kIpReceiveDestinationAddress, IPPROTO_IP, IP_RECVDSTADDR,
     Codec::kBool},
    {OptionId::kIpReceiveInterface, IPPROTO_IP, IP_RECVIF, Codec::kBool},
    {OptionId::kIpTos, IPPROTO_IP, IP_TOS, Codec::kInt},
    {OptionId::kIpTtl, IPPROTO_IP, IP_TTL, Codec::kInt},
    {OptionId::kIpMulticastTtl, IPPROTO_IP, IP_MULTICAST_TTL, Codec::kInt},
    {OptionId::kIpMulticastLoop, IPPROTO_IP, IP_MULTICAST_LOOP, Codec::kBool},
    {OptionId::kIpPacketInfo, IPPROTO_IP, IP_PKTINFO, Codec::kBool},
    {OptionId::kIpReceiveTtl, IPPROTO_IP, IP_RECVTTL, Codec::kBool},
    {OptionId::kIpReceiveTos, IPPROTO_IP, IP_RECVTOS, Codec::kBool},
    {OptionId::kIpv6Checksum, IPPROTO_IPV6, IPV6_CHECKSUM, Codec::kInt},
    {OptionId::kIpv6DontFragment, IPPROTO_IPV6, IPV6_DONTFRAG, Codec::kBool},
    {OptionId::kIpv6ReceiveHopLimit, IPPROTO_IPV6, IPV6_HOPLIMIT, Codec::kBool,
     "IPV6_HOPLIMIT"},
    {OptionId::kIpv6ReceivePacketInfo, IPPROTO_IPV6, IPV6_PKTINFO, Codec::kBool,
     "IPV6_PKTINFO"},
    {OptionId::kIpv6ReceiveRoutingHeader, IPPROTO_IPV6, IPV6_RECVRTHDR,
     Codec::kBool},
    {OptionId::kIpv6ReceiveTrafficClass, IPPROTO_IPV6, IPV6_RECVTCLASS,
     Codec::kBool},
    {OptionId::kIpv6UnicastHops, IPPROTO_IPV6, IPV6_UNICAST_HOPS, Codec::kInt},
    {OptionId::kIpv6V6Only, IPPROTO_IPV6, IPV6_V6ONLY, Codec::kBool},
    {OptionId::kIpv6MulticastInterface, IPPROTO_IPV6, IPV6_MULTICAST_IF,
     Codec::kUnsigned},
    {OptionId::kIpv6MulticastHops, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
     Codec::kInt},
    {OptionId::kIpv6MulticastLoop, IPPROTO_IPV6, IPV6_MULTICAST_LOOP,
     Codec::kBool},
    {OptionId::kIpv6TrafficClass, IPPROTO_IPV6, IPV6_TCLASS, Codec::kInt},
    {OptionId::kTcpNoDelay, IPPROTO_TCP, TCP_NODELAY, Codec::kBool},
    {OptionId::kTcpMaxSegment, IPPROTO_TCP, TCP_MAXSEG, Codec::kInt},
    {OptionId::kTcpKeepAlive, IPPROTO_TCP, TCP_KEEPIDLE, Codec::kKeepAlive,
     "SIO_KEEPALIVE_VALS+TCP_KEEPCNT"},
    {OptionId::kTcpUserTimeout, IPPROTO_TCP, TCP_MAXRT, Codec::kSeconds,
     "TCP_MAXRT"},
    {OptionId::kTcpFastOpen, IPPROTO_TCP, TCP_FASTOPEN, Codec::kInt},
};

// The native level/name/codec of `id`; false where this system lacks it.
bool Lookup(OptionId id, Native* out) {
  for (const Native& n : kNative) {
    if (n.id == id) {
      *out = n;
      return true;
    }
  }
  return false;
}

// The keepalive tuple applies whole or not at all (issue 18): the probe
// count is checked and set first, because it is the part some systems
// cannot take (TCP_KEEPCNT needs Windows 10 1703; wine lacks it), and that
// changes nothing visible while keepalive is off; then SIO_KEEPALIVE_VALS
// sets the times and switches keepalive on in one call. If that call fails,
// the count is put back. Where TCP_KEEPCNT cannot be read (before Windows 10
// 1703, wine), it is taken as not settable either: only the fixed count
// (10) is accepted, and any other is kUnimplemented before any change.
absl::Status SetKeepAlive(Handle handle, OptionId id,
                          const OptionValue& value) {
  const SOCKET s = windows::Sock(handle);
  const KeepAlive& k = std::get<KeepAlive>(value);
  constexpr DWORD kFixedCount = 10;
  DWORD previous = 0;
  int length = sizeof(previous);
  const bool have_count =
      getsockopt(s, IPPROTO_TCP, TCP_KEEPCNT,
                 reinterpret_cast<char*>(&previous), &length) == 0;
  const DWORD count = static_cast<DWORD>(k.count);
  if (!have_count && count != kFixedCount) {
    return internal::NotAvailable(absl::StrCat(
        internal::OptionName(id), " ", FormatOptionValue(value),
        ": this Windows cannot set the probe count (TCP_KEEPCNT needs "
        "Windows 10 1703; the fixed count is 10)"));
  }
  const bool set_count = have_count && previous != count;
  if (set_count) {
    NET_RETURN_IF_ERROR(SetRaw(handle, IPPROTO_TCP, TCP_KEEPCNT, &count,
                               sizeof(count), id, value));
  }
  tcp_keepalive vals{};
  vals.onoff = 1;
  vals.keepalivetime = static_cast<ULONG>(internal::CeilSeconds(k.idle) * 1000);
  vals.keepaliveinterval =
      static_cast<ULONG>(internal::CeilSeconds(k.interval) * 1000);
  DWORD returned = 0;
  if (WSAIoctl(s, SIO_KEEPALIVE_VALS, &vals, sizeof(vals), nullptr, 0,
               &returned, nullptr, nullptr) != 0) {
    absl::Status status = windows::Fail("WSAIoctl SIO_KEEPALIVE_VALS",
                                        FormatOptionValue(value));
    if (set_count) {
      setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT,
                 reinterpret_cast<const char*>(&previous), sizeof(previous));
    }
    return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<OptionValue> GetKeepAlive(Handle handle, OptionId id) {
  DWORD idle = 0, interval = 0, count = 0;
  int length = sizeof(DWORD);
  absl::Status s =
      GetRaw(handle, IPPROTO_TCP, TCP_KEEPIDLE, &idle, &length, id);
  length = sizeof(DWORD);
  if (s.ok())
    s = GetRaw(handle, IPPROTO_TCP, TCP_KEEPINTVL, &interval, &length, id);
  length = sizeof(DWORD);
  if (s.ok()) s = GetRaw(handle, IPPROTO_TCP, TCP_KEEPCNT, &count, &length, id);
  if (!s.ok()) {
    if (GetSocketError(s) == SocketError::kOptionNotSupported ||
        GetSocketError(s) == SocketError::kInvalidArgument) {
      return windows::NotOnWindows(
          id,
          "reading it back needs TCP_KEEPIDLE, Windows 10 1709; "
          "SIO_KEEPALIVE_VALS is set-only");
    }
    return s;
  }
  return OptionValue(KeepAlive{absl::Seconds(idle), absl::Seconds(interval),
                               static_cast<int>(count)});
}

}  // namespace

absl::Status SetOption(Handle handle, OptionId id, const OptionValue& value) {
  if (internal::IsSctpOption(id)) {
    return windows::SctpSupport(internal::OptionName(id));
  }
  if (bsd::IsIpOption(id)) return windows::SetIpOption(handle, id, value);
  Native n;
  if (!Lookup(id, &n)) return OptionSupport(id);
  auto set_bytes = [&](const void* data, std::size_t length) {
    return SetRaw(handle, n.level, n.name, data, static_cast<int>(length), id,
                  value);
  };
  auto set = [&](const auto& native) {
    return set_bytes(&native, sizeof(native));
  };
  switch (n.codec) {
    case Codec::kBool:
      return set(DWORD{std::get<bool>(value) ? 1u : 0u});
    case Codec::kInt:
      return set(std::get<int>(value));
    case Codec::kUnsigned:
      return set(DWORD{std::get<std::uint32_t>(value)});
    case Codec::kMilliseconds: {
      const absl::Duration d = std::get<absl::Duration>(value);
      return set(d == absl::InfiniteDuration()
                     ? DWORD{0}
                     : static_cast<DWORD>(internal::CeilMilliseconds(d)));
    }
    case Codec::kLinger:
      return set(bsd::NativeLinger(std::get<Linger>(value)));
    case Codec::kBytes: {
      const std::string& s = std::get<std::string>(value);
      return set_bytes(s.data(), s.size());
    }
    case Codec::kSeconds:
      return set(static_cast<DWORD>(
          internal::CeilSeconds(std::get<absl::Duration>(value))));
    case Codec::kKeepAlive:
      return SetKeepAlive(handle, id, value);
    case Codec::kProtocolInfo:
    case Codec::kType:
    case Codec::kError:
      break;  // get-only; core/ never asks
  }
  return absl::InternalError(absl::StrCat(
      "setsockopt ", internal::OptionName(id), ": the option is get-only"));
}

absl::StatusOr<OptionValue> GetOption(Handle handle, OptionId id,
                                      const OptionValue& /*query*/) {
  if (internal::IsSctpOption(id)) {
    return windows::SctpSupport(internal::OptionName(id));
  }
  if (bsd::IsIpOption(id)) return windows::GetIpOption(handle, id);
  Native n;
  if (!Lookup(id, &n)) return OptionSupport(id);
  switch (n.codec) {
    case Codec::kKeepAlive:
      return GetKeepAlive(handle, id);
    case Codec::kProtocolInfo: {
      WSAPROTOCOL_INFOW info{};
      int length = sizeof(info);
      NET_RETURN_IF_ERROR(GetRaw(handle, n.level, n.name, &info, &length, id));
      if (id == OptionId::kSocketDomain) {
        return OptionValue(bsd::FamilyFromNative(info.iAddressFamily));
      }
      return OptionValue(static_cast<int>(info.iProtocol));
    }
    case Codec::kLinger: {
      linger native{};
      int length = sizeof(native);
      NET_RETURN_IF_ERROR(
          GetRaw(handle, n.level, n.name, &native, &length, id));
      return OptionValue(bsd::LingerFromNative(native));
    }
    case Codec::kBytes: {
      char buffer[40] = {};
      int length = sizeof(buffer);
      NET_RETURN_IF_ERROR(GetRaw(handle, n.level, n.name, buffer, &length, id));
      return OptionValue(std::string(buffer, static_cast<std::size_t>(length)));
    }
    default:
      break;
  }
  DWORD raw = 0;
  int length = sizeof(raw);
  NET_RETURN_IF_ERROR(GetRaw(handle, n.level, n.name, &raw, &length, id));
  const int v = bsd::IntFromAnswer(&raw, static_cast<std::size_t>(length));
  switch (n.codec) {
    case Codec::kBool:
      return OptionValue(v != 0);
    case Codec::kInt:
      return OptionValue(v);
    case Codec::kUnsigned:
      return OptionValue(static_cast<std::uint32_t>(raw));
    case Codec::kMilliseconds:
      if (raw == 0) return OptionValue(absl::InfiniteDuration());
      return OptionValue(absl::Milliseconds(raw));
    case Codec::kSeconds:
      return OptionValue(absl::Seconds(raw));
    case Codec::kType:
      return bsd::SocketTypeValue(v);
    case Codec::kError:
      return bsd::SocketErrorValue(v);
    default:
      break;
  }
  return absl::InternalError("getsockopt: unhandled codec");
}

absl::Status OptionSupport(OptionId id) {
  if (internal::IsSctpOption(id)) {
    return windows::SctpSupport(internal::OptionName(id));
  }
  if (bsd::IsIpOption(id)) return windows::IpOptionSupport(id);
  Native n;
  if (!Lookup(id, &n)) return windows::NotOnWindows(id, Missing(id));
  // Raw-only options cannot be probed without privilege, and the keepalive
  // tuple (SIO_KEEPALIVE_VALS) exists on every Windows: no probe.
  if (id == OptionId::kIpHeaderIncluded || id == OptionId::kIpv6Checksum ||
      n.codec == Codec::kKeepAlive) {
    return absl::OkStatus();
  }
  const bool v6 = n.level == IPPROTO_IPV6;
  const bool datagram =
      n.level == IPPROTO_IP || v6 || id == OptionId::kBroadcast;
  const bool sticky = n.codec == Codec::kBool && FindOption(id) != nullptr &&
                      FindOption(id)->settable;
  return windows::ProbeOption(
      id, {v6 ? AF_INET6 : AF_INET, datagram ? SOCK_DGRAM : SOCK_STREAM,
           n.level, n.name,
           sticky ? windows::ProbeKind::kGetSticky : windows::ProbeKind::kGet,
           1024});
}

absl::string_view NativeOptionName(OptionId id) {
  // Called while the table is built: must not use FindOption().
  if (bsd::IsIpOption(id)) return windows::IpNativeName(id);
  Native n;
  return Lookup(id, &n) ? n.rename : "";
}

}  // namespace net::sys
