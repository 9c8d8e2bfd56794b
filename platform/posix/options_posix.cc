// Copyright 2026 The net Authors.
//
// Socket options on POSIX: the OptionId -> (level, name) table, the plain
// values (bool, int, timeval, linger, text, seconds, milliseconds), the TCP
// keepalive tuple, dispatch to the IP and SCTP files, and the capability
// answers. The Windows twin is options_windows.cc.
//
// Linux-vs-macOS/BSD differences are the small named helpers at the top,
// one #if each.

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/options.h"
#include "net/status_macros.h"
#include "platform/posix/options_internal_posix.h"
#include "platform/fault.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/options_bsd.h"

namespace net::sys {
namespace posix {

absl::string_view PlatformName() {
#if defined(__linux__)
  return "Linux";
#elif defined(__APPLE__)
  return "macOS";
#elif defined(__FreeBSD__)
  return "FreeBSD";
#else
  return "this system";
#endif
}

absl::Status SetRaw(Handle handle, int level, int name, const void* data,
                    socklen_t length, OptionId id, const OptionValue& value) {
  if (NET_FAULT(kSetOption, handle, -1,
                setsockopt(Fd(handle), level, name, data, length)) == 0) {
    return absl::OkStatus();
  }
  return internal::SystemError(
      absl::StrCat("setsockopt ", internal::OptionName(id)),
      FormatOptionValue(value), errno);
}

absl::Status GetRaw(Handle handle, int level, int name, void* data,
                    socklen_t* length, OptionId id) {
  if (NET_FAULT(kGetOption, handle, -1,
                getsockopt(Fd(handle), level, name, data, length)) == 0) {
    return absl::OkStatus();
  }
  return internal::SystemError(
      absl::StrCat("getsockopt ", internal::OptionName(id)), "", errno);
}

}  // namespace posix
namespace {

using posix::GetRaw;
using posix::SetRaw;

// How a value is laid out natively.
enum class Codec : std::uint8_t {
  kBool,          // int 0/1
  kInt,           // int
  kUnsigned,      // unsigned int (an interface index)
  kTimeval,       // struct timeval; {0, 0} is "no timeout"
  kLinger,        // struct linger, seconds
  kBytes,         // raw bytes (IP_OPTIONS)
  kString,        // text without the NUL (TCP_CONGESTION, SO_BINDTODEVICE)
  kSeconds,       // int seconds
  kMilliseconds,  // unsigned int milliseconds
  kFamily,        // int AF_* (SO_DOMAIN)
  kType,          // int SOCK_* (SO_TYPE)
  kError,         // int errno (SO_ERROR)
  kKeepAlive,     // the keepalive tuple: three TCP options
};

struct Native {
  OptionId id = OptionId::kBroadcast;
  int level = 0;
  int name = 0;
  Codec codec = Codec::kInt;
  const char* rename = "";  // the native name where it is not the table's
};

// LingerNative()
//
// macOS' SO_LINGER counts in clock ticks; SO_LINGER_SEC is the seconds
// version that POSIX describes (xnu bsd/sys/socket.h). Elsewhere SO_LINGER
// is in seconds.
Native LingerNative() {
#if defined(SO_LINGER_SEC)
  return {OptionId::kLinger, SOL_SOCKET, SO_LINGER_SEC, Codec::kLinger,
          "SO_LINGER_SEC"};
#else
  return {OptionId::kLinger, SOL_SOCKET, SO_LINGER, Codec::kLinger};
#endif
}

// UserTimeoutNative()
//
// The dead-peer timeout: Linux's TCP_USER_TIMEOUT (RFC 5482, in
// milliseconds); macOS' TCP_RXT_CONNDROPTIME (seconds); nothing elsewhere.
std::optional<Native> UserTimeoutNative() {
#if defined(TCP_USER_TIMEOUT)
  return Native{OptionId::kTcpUserTimeout, IPPROTO_TCP, TCP_USER_TIMEOUT,
                Codec::kMilliseconds};
#elif defined(TCP_RXT_CONNDROPTIME)
  return Native{OptionId::kTcpUserTimeout, IPPROTO_TCP, TCP_RXT_CONNDROPTIME,
                Codec::kSeconds, "TCP_RXT_CONNDROPTIME"};
#else
  return std::nullopt;
#endif
}

// KeepIdleNative()
//
// The keepalive tuple, keyed by its idle time: TCP_KEEPIDLE on Linux and
// the BSDs; macOS names it TCP_KEEPALIVE (netinet/tcp.h). The interval and
// count are TCP_KEEPINTVL and TCP_KEEPCNT everywhere.
std::optional<Native> KeepIdleNative() {
#if defined(TCP_KEEPIDLE) && defined(TCP_KEEPINTVL) && defined(TCP_KEEPCNT)
  return Native{OptionId::kTcpKeepAlive, IPPROTO_TCP, TCP_KEEPIDLE,
                Codec::kKeepAlive};
#elif defined(TCP_KEEPALIVE) && defined(TCP_KEEPINTVL) && defined(TCP_KEEPCNT)
  return Native{OptionId::kTcpKeepAlive, IPPROTO_TCP, TCP_KEEPALIVE,
                Codec::kKeepAlive, "TCP_KEEPALIVE+TCP_KEEPINTVL+TCP_KEEPCNT"};
#else
  return std::nullopt;
#endif
}

// CorkNative()
//
// "Hold partial segments": TCP_CORK on Linux, TCP_NOPUSH on the BSDs and
// macOS.
std::optional<Native> CorkNative() {
#if defined(TCP_CORK)
  return Native{OptionId::kTcpCork, IPPROTO_TCP, TCP_CORK, Codec::kBool};
#elif defined(TCP_NOPUSH)
  return Native{OptionId::kTcpCork, IPPROTO_TCP, TCP_NOPUSH, Codec::kBool,
                "TCP_NOPUSH"};
#else
  return std::nullopt;
#endif
}

bool Assign(const std::optional<Native>& native, Native* out) {
  if (!native.has_value()) return false;
  *out = *native;
  return true;
}

// The options with plain values, where this system has them (the IP
// struct and SCTP options have their own files).
constexpr Native kNative[] = {
    {OptionId::kBroadcast, SOL_SOCKET, SO_BROADCAST, Codec::kBool},
    {OptionId::kDebug, SOL_SOCKET, SO_DEBUG, Codec::kBool},
    {OptionId::kDontRoute, SOL_SOCKET, SO_DONTROUTE, Codec::kBool},
    {OptionId::kSocketError, SOL_SOCKET, SO_ERROR, Codec::kError},
    {OptionId::kKeepAlive, SOL_SOCKET, SO_KEEPALIVE, Codec::kBool},
    {OptionId::kOutOfBandInline, SOL_SOCKET, SO_OOBINLINE, Codec::kBool},
    {OptionId::kReceiveBuffer, SOL_SOCKET, SO_RCVBUF, Codec::kInt},
    {OptionId::kSendBuffer, SOL_SOCKET, SO_SNDBUF, Codec::kInt},
    {OptionId::kReceiveLowWatermark, SOL_SOCKET, SO_RCVLOWAT, Codec::kInt},
    {OptionId::kSendLowWatermark, SOL_SOCKET, SO_SNDLOWAT, Codec::kInt},
    {OptionId::kReceiveTimeout, SOL_SOCKET, SO_RCVTIMEO, Codec::kTimeval},
    {OptionId::kSendTimeout, SOL_SOCKET, SO_SNDTIMEO, Codec::kTimeval},
    {OptionId::kReuseAddress, SOL_SOCKET, SO_REUSEADDR, Codec::kBool},
#if defined(SO_REUSEPORT)
    {OptionId::kReusePort, SOL_SOCKET, SO_REUSEPORT, Codec::kBool},
#endif
    {OptionId::kSocketType, SOL_SOCKET, SO_TYPE, Codec::kType},
#if defined(SO_USELOOPBACK)
    {OptionId::kUseLoopback, SOL_SOCKET, SO_USELOOPBACK, Codec::kBool},
#endif
    {OptionId::kAcceptConnections, SOL_SOCKET, SO_ACCEPTCONN, Codec::kBool},
#if defined(SO_DOMAIN)
    {OptionId::kSocketDomain, SOL_SOCKET, SO_DOMAIN, Codec::kFamily},
#endif
#if defined(SO_PROTOCOL)
    {OptionId::kSocketProtocol, SOL_SOCKET, SO_PROTOCOL, Codec::kInt},
#endif
#if defined(SO_BINDTODEVICE)
    {OptionId::kBindToDevice, SOL_SOCKET, SO_BINDTODEVICE, Codec::kString},
#endif
    {OptionId::kIpHeaderIncluded, IPPROTO_IP, IP_HDRINCL, Codec::kBool},
    {OptionId::kIpOptions, IPPROTO_IP, IP_OPTIONS, Codec::kBytes},
#if defined(IP_RECVDSTADDR)
    {OptionId::kIpReceiveDestinationAddress, IPPROTO_IP, IP_RECVDSTADDR,
     Codec::kBool},
#endif
#if defined(IP_RECVIF)
    {OptionId::kIpReceiveInterface, IPPROTO_IP, IP_RECVIF, Codec::kBool},
#endif
    {OptionId::kIpTos, IPPROTO_IP, IP_TOS, Codec::kInt},
    {OptionId::kIpTtl, IPPROTO_IP, IP_TTL, Codec::kInt},
    {OptionId::kIpMulticastTtl, IPPROTO_IP, IP_MULTICAST_TTL, Codec::kInt},
    {OptionId::kIpMulticastLoop, IPPROTO_IP, IP_MULTICAST_LOOP, Codec::kBool},
#if defined(IP_PKTINFO)
    {OptionId::kIpPacketInfo, IPPROTO_IP, IP_PKTINFO, Codec::kBool},
#endif
#if defined(IP_RECVTTL)
    {OptionId::kIpReceiveTtl, IPPROTO_IP, IP_RECVTTL, Codec::kBool},
#endif
#if defined(IP_RECVTOS)
    {OptionId::kIpReceiveTos, IPPROTO_IP, IP_RECVTOS, Codec::kBool},
#endif
#if defined(IPV6_CHECKSUM)
    {OptionId::kIpv6Checksum, IPPROTO_IPV6, IPV6_CHECKSUM, Codec::kInt},
#endif
#if defined(IPV6_DONTFRAG)
    {OptionId::kIpv6DontFragment, IPPROTO_IPV6, IPV6_DONTFRAG, Codec::kBool},
#endif
#if defined(IPV6_RECVDSTOPTS)
    {OptionId::kIpv6ReceiveDestinationOptions, IPPROTO_IPV6, IPV6_RECVDSTOPTS,
     Codec::kBool},
#endif
#if defined(IPV6_RECVHOPLIMIT)
    {OptionId::kIpv6ReceiveHopLimit, IPPROTO_IPV6, IPV6_RECVHOPLIMIT,
     Codec::kBool},
#endif
#if defined(IPV6_RECVHOPOPTS)
    {OptionId::kIpv6ReceiveHopOptions, IPPROTO_IPV6, IPV6_RECVHOPOPTS,
     Codec::kBool},
#endif
#if defined(IPV6_RECVPATHMTU)
    {OptionId::kIpv6ReceivePathMtu, IPPROTO_IPV6, IPV6_RECVPATHMTU,
     Codec::kBool},
#endif
#if defined(IPV6_RECVPKTINFO)
    {OptionId::kIpv6ReceivePacketInfo, IPPROTO_IPV6, IPV6_RECVPKTINFO,
     Codec::kBool},
#endif
#if defined(IPV6_RECVRTHDR)
    {OptionId::kIpv6ReceiveRoutingHeader, IPPROTO_IPV6, IPV6_RECVRTHDR,
     Codec::kBool},
#endif
#if defined(IPV6_RECVTCLASS)
    {OptionId::kIpv6ReceiveTrafficClass, IPPROTO_IPV6, IPV6_RECVTCLASS,
     Codec::kBool},
#endif
    {OptionId::kIpv6UnicastHops, IPPROTO_IPV6, IPV6_UNICAST_HOPS, Codec::kInt},
#if defined(IPV6_USE_MIN_MTU)
    {OptionId::kIpv6UseMinMtu, IPPROTO_IPV6, IPV6_USE_MIN_MTU, Codec::kInt},
#endif
    {OptionId::kIpv6V6Only, IPPROTO_IPV6, IPV6_V6ONLY, Codec::kBool},
    {OptionId::kIpv6MulticastInterface, IPPROTO_IPV6, IPV6_MULTICAST_IF,
     Codec::kUnsigned},
    {OptionId::kIpv6MulticastHops, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
     Codec::kInt},
    {OptionId::kIpv6MulticastLoop, IPPROTO_IPV6, IPV6_MULTICAST_LOOP,
     Codec::kBool},
#if defined(IPV6_TCLASS)
    {OptionId::kIpv6TrafficClass, IPPROTO_IPV6, IPV6_TCLASS, Codec::kInt},
#endif
    {OptionId::kTcpNoDelay, IPPROTO_TCP, TCP_NODELAY, Codec::kBool},
    {OptionId::kTcpMaxSegment, IPPROTO_TCP, TCP_MAXSEG, Codec::kInt},
#if defined(TCP_FASTOPEN)
    {OptionId::kTcpFastOpen, IPPROTO_TCP, TCP_FASTOPEN, Codec::kInt},
#endif
#if defined(TCP_CONGESTION)
    {OptionId::kTcpCongestion, IPPROTO_TCP, TCP_CONGESTION, Codec::kString},
#endif
#if defined(TCP_DEFER_ACCEPT)
    {OptionId::kTcpDeferAccept, IPPROTO_TCP, TCP_DEFER_ACCEPT, Codec::kSeconds},
#endif
#if defined(TCP_QUICKACK)
    {OptionId::kTcpQuickAck, IPPROTO_TCP, TCP_QUICKACK, Codec::kBool},
#endif
};

// The native level/name/codec of `id`; false where this system lacks it.
bool Lookup(OptionId id, Native* out) {
  if (id == OptionId::kLinger) {
    *out = LingerNative();
    return true;
  }
  if (id == OptionId::kTcpKeepAlive) return Assign(KeepIdleNative(), out);
  if (id == OptionId::kTcpUserTimeout) return Assign(UserTimeoutNative(), out);
  if (id == OptionId::kTcpCork) return Assign(CorkNative(), out);
  for (const Native& n : kNative) {
    if (n.id == id) {
      *out = n;
      return true;
    }
  }
  return false;
}

timeval NativeTimeval(absl::Duration d) {
  timeval tv{};
  if (d == absl::InfiniteDuration() || d == absl::ZeroDuration()) return tv;
  const std::int64_t us = internal::CeilMicroseconds(d);
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(us / 1000000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>(us % 1000000);
  return tv;
}

absl::Duration TimeoutFromTimeval(const timeval& tv) {
  if (tv.tv_sec == 0 && tv.tv_usec == 0) return absl::InfiniteDuration();
  return absl::Seconds(tv.tv_sec) + absl::Microseconds(tv.tv_usec);
}

// The tuple applies whole or not at all (issue 18): the three TCP values
// are set first, the one most likely to be refused (the count: Linux takes
// 1..127) first of all, and SO_KEEPALIVE last; if a step is refused, the
// values already changed are put back, so a failed set leaves keepalive as
// it was.
absl::Status SetKeepAlive(Handle handle, const Native& n, OptionId id,
                          const OptionValue& value) {
#if defined(TCP_KEEPINTVL) && defined(TCP_KEEPCNT)
  const KeepAlive& k = std::get<KeepAlive>(value);
  struct Step {
    int level, name, value, old;
  };
  Step steps[] = {
      {n.level, TCP_KEEPCNT, k.count, 0},
      {n.level, TCP_KEEPINTVL, static_cast<int>(internal::CeilSeconds(k.interval)), 0},
      {n.level, n.name, static_cast<int>(internal::CeilSeconds(k.idle)), 0},
      {SOL_SOCKET, SO_KEEPALIVE, 1, 0},
  };
  for (Step& step : steps) {
    socklen_t length = sizeof(step.old);
    absl::Status s = GetRaw(handle, step.level, step.name, &step.old, &length, id);
    if (!s.ok()) return s;
  }
  for (std::size_t i = 0; i < std::size(steps); ++i) {
    absl::Status s = SetRaw(handle, steps[i].level, steps[i].name,
                            &steps[i].value, sizeof(int), id, value);
    if (s.ok()) continue;
    for (std::size_t j = i; j-- > 0;) {
      SetRaw(handle, steps[j].level, steps[j].name, &steps[j].old, sizeof(int),
             id, value)
          .IgnoreError();
    }
    return s;
  }
  return absl::OkStatus();
#else
  (void)handle, (void)n, (void)value;
  return internal::NotAvailable(
      absl::StrCat(internal::OptionName(id), " is not available here"));
#endif
}

absl::StatusOr<OptionValue> GetKeepAlive(Handle handle, const Native& n,
                                         OptionId id) {
#if defined(TCP_KEEPINTVL) && defined(TCP_KEEPCNT)
  int idle = 0, interval = 0, count = 0;
  socklen_t length = sizeof(int);
  absl::Status s = GetRaw(handle, n.level, n.name, &idle, &length, id);
  length = sizeof(int);
  if (s.ok())
    s = GetRaw(handle, n.level, TCP_KEEPINTVL, &interval, &length, id);
  length = sizeof(int);
  if (s.ok()) s = GetRaw(handle, n.level, TCP_KEEPCNT, &count, &length, id);
  if (!s.ok()) return s;
  return OptionValue(
      KeepAlive{absl::Seconds(idle), absl::Seconds(interval), count});
#else
  (void)handle, (void)n;
  return internal::NotAvailable(
      absl::StrCat(internal::OptionName(id), " is not available here"));
#endif
}

}  // namespace

absl::Status SetOption(Handle handle, OptionId id, const OptionValue& value) {
  if (internal::IsSctpOption(id))
    return posix::SetSctpOption(handle, id, value);
  if (bsd::IsIpOption(id)) return posix::SetIpOption(handle, id, value);
  Native n;
  if (!Lookup(id, &n)) return OptionSupport(id);
  auto set_bytes = [&](const void* data, std::size_t length) {
    return SetRaw(handle, n.level, n.name, data, static_cast<socklen_t>(length),
                  id, value);
  };
  auto set = [&](const auto& native) {
    return set_bytes(&native, sizeof(native));
  };
  switch (n.codec) {
    case Codec::kBool:
      return set(int{std::get<bool>(value) ? 1 : 0});
    case Codec::kInt:
      return set(std::get<int>(value));
    case Codec::kUnsigned:
      return set(unsigned{std::get<std::uint32_t>(value)});
    case Codec::kTimeval:
      return set(NativeTimeval(std::get<absl::Duration>(value)));
    case Codec::kLinger:
      return set(bsd::NativeLinger(std::get<Linger>(value)));
    case Codec::kBytes:
    case Codec::kString: {
      const std::string& s = std::get<std::string>(value);
      return set_bytes(s.data(), s.size());
    }
    case Codec::kSeconds:
      return set(static_cast<int>(
          internal::CeilSeconds(std::get<absl::Duration>(value))));
    case Codec::kMilliseconds:
      return set(static_cast<unsigned>(
          internal::CeilMilliseconds(std::get<absl::Duration>(value))));
    case Codec::kKeepAlive:
      return SetKeepAlive(handle, n, id, value);
    case Codec::kFamily:
    case Codec::kType:
    case Codec::kError:
      break;  // get-only; core/ never asks
  }
  return absl::InternalError(absl::StrCat(
      "setsockopt ", internal::OptionName(id), ": the option is get-only"));
}

absl::StatusOr<OptionValue> GetOption(Handle handle, OptionId id,
                                      const OptionValue& query) {
  if (internal::IsSctpOption(id))
    return posix::GetSctpOption(handle, id, query);
  if (bsd::IsIpOption(id)) return posix::GetIpOption(handle, id);
  Native n;
  if (!Lookup(id, &n)) return OptionSupport(id);
  if (n.codec == Codec::kKeepAlive) return GetKeepAlive(handle, n, id);
  // Big enough for every plain value: text up to 255 bytes, 40 bytes of IP
  // options, a timeval, a linger.
  alignas(8) char buffer[256] = {};
  socklen_t length = sizeof(buffer);
  if (n.codec != Codec::kString && n.codec != Codec::kBytes) {
    length = n.codec == Codec::kTimeval  ? sizeof(timeval)
             : n.codec == Codec::kLinger ? sizeof(linger)
                                         : sizeof(int);
  }
  NET_RETURN_IF_ERROR(GetRaw(handle, n.level, n.name, buffer, &length, id));
  const int as_int = bsd::IntFromAnswer(buffer, length);
  switch (n.codec) {
    case Codec::kBool:
      return OptionValue(as_int != 0);
    case Codec::kInt:
      return OptionValue(as_int);
    case Codec::kUnsigned:
      return OptionValue(static_cast<std::uint32_t>(as_int));
    case Codec::kTimeval: {
      timeval tv{};
      std::memcpy(&tv, buffer, sizeof(tv));
      return OptionValue(TimeoutFromTimeval(tv));
    }
    case Codec::kLinger: {
      linger native{};
      std::memcpy(&native, buffer, sizeof(native));
      return OptionValue(bsd::LingerFromNative(native));
    }
    case Codec::kBytes:
      return OptionValue(std::string(buffer, length));
    case Codec::kString:
      return OptionValue(std::string(buffer, strnlen(buffer, length)));
    case Codec::kSeconds:
      return OptionValue(absl::Seconds(as_int));
    case Codec::kMilliseconds:
      return OptionValue(absl::Milliseconds(static_cast<unsigned>(as_int)));
    case Codec::kFamily:
      return OptionValue(bsd::FamilyFromNative(as_int));
    case Codec::kType:
      return bsd::SocketTypeValue(as_int);
    case Codec::kError:
      return bsd::SocketErrorValue(as_int);
    case Codec::kKeepAlive:
      break;
  }
  return absl::InternalError("getsockopt: unhandled codec");
}

absl::Status OptionSupport(OptionId id) {
  if (internal::IsSctpOption(id)) {
    return posix::SctpSupport(internal::OptionName(id));
  }
  if (bsd::IsIpOption(id)) return posix::IpOptionSupport(id);
  Native n;
  if (Lookup(id, &n)) return absl::OkStatus();
  return internal::NotAvailable(absl::StrCat(internal::OptionName(id),
                                             " is not available on ",
                                             posix::PlatformName()));
}

absl::string_view NativeOptionName(OptionId id) {
  // Called while the table is built: must not use FindOption().
  if (internal::IsSctpOption(id)) return posix::SctpNativeName(id);
  Native n;
  return Lookup(id, &n) ? n.rename : "";
}

}  // namespace net::sys
