// Copyright 2026 The net Authors.
//
// The IPPROTO_SCTP options on POSIX (RFC 6458 section 8), where the system
// has <netinet/sctp.h> (Linux with lksctp's headers, Debian's libsctp-dev;
// FreeBSD). Having the header is not enough: the running kernel must have
// SCTP too (Linux loads it as a module, containers often lack it), so the
// answer is probed once by opening an SCTP socket. The Windows twin is
// options_sctp_windows.cc (Windows has no SCTP stack).

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<netinet/sctp.h>)
#include <netinet/sctp.h>
#define NET_HAVE_SCTP_H 1
#endif
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/error.h"
#include "net/options.h"
#include "net/status_macros.h"
#include "platform/posix/options_internal_posix.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

namespace net::sys::posix {
namespace {

// Why SCTP cannot be used here, or nullopt when it can. Computed once: a
// kernel does not gain or lose SCTP while we run (loading the module needs
// root and is not our business).
const std::optional<std::string>& SctpUnavailableReason() {
  static const std::optional<std::string>* const reason =
      []() -> std::optional<std::string>* {
#if defined(NET_HAVE_SCTP_H)
    int fd = OpenCloexec(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (fd >= 0) {
      CloseHandle(fd);
      return new std::optional<std::string>();
    }
    const int error = errno;
    return new std::optional<std::string>(absl::StrCat(
        "SCTP is not available on ", PlatformName(),
        ": the running kernel has no SCTP (socket(IPPROTO_SCTP) failed with "
        "errno ",
        error, ")"));
#else
    return new std::optional<std::string>(
        absl::StrCat("SCTP is not available on ", PlatformName(),
                     ": net was built without <netinet/sctp.h>"));
#endif
  }();
  return *reason;
}

}  // namespace

absl::Status SctpSupport(absl::string_view what) {
  const std::optional<std::string>& reason = SctpUnavailableReason();
  if (!reason.has_value()) return absl::OkStatus();
  return internal::ProtocolNotAvailable(
      what.empty() ? *reason : absl::StrCat(what, ": ", *reason));
}

#if !defined(NET_HAVE_SCTP_H)

absl::string_view SctpNativeName(OptionId) { return ""; }

absl::Status SetSctpOption(Handle, OptionId id, const OptionValue&) {
  return SctpSupport(internal::OptionName(id));
}

absl::StatusOr<OptionValue> GetSctpOption(Handle, OptionId id,
                                          const OptionValue&) {
  return SctpSupport(internal::OptionName(id));
}

#else  // NET_HAVE_SCTP_H

namespace {

// MaxBurst()
//
// RFC 6458 and FreeBSD call it SCTP_MAXBURST; Linux SCTP_MAX_BURST.
struct Name {
  int value;
  const char* text;  // "" when it is the table's (RFC) name
};
constexpr Name MaxBurst() {
#if defined(SCTP_MAXBURST)
  return {SCTP_MAXBURST, ""};
#else
  return {SCTP_MAX_BURST, "SCTP_MAX_BURST"};
#endif
}

int NativeName(OptionId id) {
  switch (id) {
    case OptionId::kSctpAdaptationLayer:
      return SCTP_ADAPTATION_LAYER;
    case OptionId::kSctpAssocInfo:
      return SCTP_ASSOCINFO;
    case OptionId::kSctpAutoClose:
      return SCTP_AUTOCLOSE;
    case OptionId::kSctpDefaultSendParam:
      return SCTP_DEFAULT_SEND_PARAM;
    case OptionId::kSctpDisableFragments:
      return SCTP_DISABLE_FRAGMENTS;
    case OptionId::kSctpEvents:
      return SCTP_EVENTS;
    case OptionId::kSctpGetPeerAddrInfo:
      return SCTP_GET_PEER_ADDR_INFO;
    case OptionId::kSctpIWantMappedV4Addr:
      return SCTP_I_WANT_MAPPED_V4_ADDR;
    case OptionId::kSctpInitMsg:
      return SCTP_INITMSG;
    case OptionId::kSctpMaxBurst:
      return MaxBurst().value;
    case OptionId::kSctpMaxSegment:
      return SCTP_MAXSEG;
    case OptionId::kSctpNoDelay:
      return SCTP_NODELAY;
    case OptionId::kSctpPeerAddrParams:
      return SCTP_PEER_ADDR_PARAMS;
    case OptionId::kSctpPrimaryAddr:
      return SCTP_PRIMARY_ADDR;
    case OptionId::kSctpRtoInfo:
      return SCTP_RTOINFO;
    case OptionId::kSctpSetPeerPrimaryAddr:
      return SCTP_SET_PEER_PRIMARY_ADDR;
    case OptionId::kSctpStatus:
      return SCTP_STATUS;
    default:
      return -1;
  }
}

std::uint32_t Ms(absl::Duration d) {
  return static_cast<std::uint32_t>(internal::CeilMilliseconds(d));
}

// The sockaddr_storage fields of the SCTP structs are packed on Linux:
// copy through byte pointers, never through a `sockaddr_storage*`.
void WriteAddress(void* base, std::size_t offset, const SocketAddress& a) {
  char* field = static_cast<char*>(base) + offset;
  std::memset(field, 0, sizeof(sockaddr_storage));
  std::memcpy(field, a.native(), a.native_length());
}

SocketAddress ReadAddress(const void* base, std::size_t offset) {
  sockaddr_storage storage;
  std::memcpy(&storage, static_cast<const char*>(base) + offset,
              sizeof(storage));
  std::size_t length = 0;
  if (storage.ss_family == AF_INET) length = sizeof(sockaddr_in);
  if (storage.ss_family == AF_INET6) length = sizeof(sockaddr_in6);
  absl::StatusOr<SocketAddress> a =
      SocketAddress::FromNative(reinterpret_cast<sockaddr*>(&storage), length);
  return a.ok() ? *a : SocketAddress();
}

SctpPeerState PeerState(int state) {
  if (state == SCTP_ACTIVE) return SctpPeerState::kActive;
  if (state == SCTP_INACTIVE) return SctpPeerState::kInactive;
  if (state == SCTP_UNCONFIRMED) return SctpPeerState::kUnconfirmed;
#if defined(SCTP_POTENTIALLY_FAILED)
  if (state == SCTP_POTENTIALLY_FAILED)
    return SctpPeerState::kPotentiallyFailed;
#endif
  return SctpPeerState::kUnknown;
}

SctpAssociationState AssociationState(int state) {
  if (state == SCTP_CLOSED) return SctpAssociationState::kClosed;
  if (state == SCTP_COOKIE_WAIT) return SctpAssociationState::kCookieWait;
  if (state == SCTP_COOKIE_ECHOED) return SctpAssociationState::kCookieEchoed;
  if (state == SCTP_ESTABLISHED) return SctpAssociationState::kEstablished;
  if (state == SCTP_SHUTDOWN_PENDING) {
    return SctpAssociationState::kShutdownPending;
  }
  if (state == SCTP_SHUTDOWN_SENT) return SctpAssociationState::kShutdownSent;
  if (state == SCTP_SHUTDOWN_RECEIVED) {
    return SctpAssociationState::kShutdownReceived;
  }
  if (state == SCTP_SHUTDOWN_ACK_SENT) {
    return SctpAssociationState::kShutdownAckSent;
  }
  return SctpAssociationState::kUnknown;
}

SctpPeerAddrInfo FromPaddrinfo(const sctp_paddrinfo& p) {
  SctpPeerAddrInfo out;
  out.assoc_id = static_cast<SctpAssocId>(p.spinfo_assoc_id);
  out.address = ReadAddress(&p, offsetof(sctp_paddrinfo, spinfo_address));
  out.state = PeerState(p.spinfo_state);
  out.congestion_window = p.spinfo_cwnd;
  out.smoothed_rtt = absl::Milliseconds(p.spinfo_srtt);
  out.rto = absl::Milliseconds(p.spinfo_rto);
  out.mtu = p.spinfo_mtu;
  return out;
}

}  // namespace

absl::string_view SctpNativeName(OptionId id) {
  return id == OptionId::kSctpMaxBurst ? MaxBurst().text : "";
}

absl::Status SetSctpOption(Handle handle, OptionId id,
                           const OptionValue& value) {
  NET_RETURN_IF_ERROR(SctpSupport(internal::OptionName(id)));
  auto set = [&](const void* data, std::size_t length) {
    return SetRaw(handle, IPPROTO_SCTP, NativeName(id), data,
                  static_cast<socklen_t>(length), id, value);
  };
  switch (id) {
    case OptionId::kSctpAdaptationLayer: {
      sctp_setadaptation a{};
      a.ssb_adaptation_ind = std::get<std::uint32_t>(value);
      return set(&a, sizeof(a));
    }
    case OptionId::kSctpAssocInfo: {
      const SctpAssocInfo& v = std::get<SctpAssocInfo>(value);
      sctp_assocparams a{};
      a.sasoc_assoc_id = static_cast<sctp_assoc_t>(v.assoc_id);
      a.sasoc_asocmaxrxt = v.max_retransmissions;
      a.sasoc_cookie_life = Ms(v.cookie_life);
      return set(&a, sizeof(a));
    }
    case OptionId::kSctpAutoClose: {
      const int seconds = static_cast<int>(
          internal::CeilSeconds(std::get<absl::Duration>(value)));
      return set(&seconds, sizeof(seconds));
    }
    case OptionId::kSctpDefaultSendParam: {
      const SctpSendParams& v = std::get<SctpSendParams>(value);
      sctp_sndrcvinfo s{};
      s.sinfo_assoc_id = static_cast<sctp_assoc_t>(v.assoc_id);
      s.sinfo_stream = v.stream;
      s.sinfo_flags = v.flags;
      s.sinfo_ppid = v.ppid;
      s.sinfo_context = v.context;
      s.sinfo_timetolive = Ms(v.time_to_live);
      return set(&s, sizeof(s));
    }
    case OptionId::kSctpDisableFragments:
    case OptionId::kSctpIWantMappedV4Addr:
    case OptionId::kSctpNoDelay: {
      const int on = std::get<bool>(value) ? 1 : 0;
      return set(&on, sizeof(on));
    }
    case OptionId::kSctpEvents: {
      const SctpEventSubscription& v = std::get<SctpEventSubscription>(value);
      sctp_event_subscribe e{};
      e.sctp_data_io_event = v.data_io;
      e.sctp_association_event = v.association;
      e.sctp_address_event = v.address;
      e.sctp_send_failure_event = v.send_failure;
      e.sctp_peer_error_event = v.peer_error;
      e.sctp_shutdown_event = v.shutdown;
      e.sctp_partial_delivery_event = v.partial_delivery;
      e.sctp_adaptation_layer_event = v.adaptation_layer;
      e.sctp_authentication_event = v.authentication;
      e.sctp_sender_dry_event = v.sender_dry;
      return set(&e, sizeof(e));
    }
    case OptionId::kSctpInitMsg: {
      const SctpInitMsg& v = std::get<SctpInitMsg>(value);
      sctp_initmsg m{};
      m.sinit_num_ostreams = v.num_ostreams;
      m.sinit_max_instreams = v.max_instreams;
      m.sinit_max_attempts = v.max_attempts;
      m.sinit_max_init_timeo =
          static_cast<std::uint16_t>(Ms(v.max_init_timeout));
      return set(&m, sizeof(m));
    }
    case OptionId::kSctpMaxBurst:
    case OptionId::kSctpMaxSegment: {
      sctp_assoc_value a{};
      a.assoc_value = static_cast<std::uint32_t>(std::get<int>(value));
      return set(&a, sizeof(a));
    }
    case OptionId::kSctpPeerAddrParams: {
      const SctpPeerAddrParams& v = std::get<SctpPeerAddrParams>(value);
      sctp_paddrparams p;
      std::memset(&p, 0, sizeof(p));
      p.spp_assoc_id = static_cast<sctp_assoc_t>(v.assoc_id);
      WriteAddress(&p, offsetof(sctp_paddrparams, spp_address), v.address);
      p.spp_hbinterval = Ms(v.heartbeat_interval);
      p.spp_pathmaxrxt = v.path_max_retransmissions;
      p.spp_pathmtu = v.path_mtu;
      p.spp_sackdelay = Ms(v.sack_delay);
      p.spp_flags = v.flags;
      return set(&p, sizeof(p));
    }
    case OptionId::kSctpPrimaryAddr: {
      const SctpPrimaryAddr& v = std::get<SctpPrimaryAddr>(value);
      sctp_setprim p;
      std::memset(&p, 0, sizeof(p));
      p.ssp_assoc_id = static_cast<sctp_assoc_t>(v.assoc_id);
      WriteAddress(&p, offsetof(sctp_setprim, ssp_addr), v.address);
      return set(&p, sizeof(p));
    }
    case OptionId::kSctpRtoInfo: {
      const SctpRtoInfo& v = std::get<SctpRtoInfo>(value);
      sctp_rtoinfo r{};
      r.srto_assoc_id = static_cast<sctp_assoc_t>(v.assoc_id);
      r.srto_initial = Ms(v.initial);
      r.srto_max = Ms(v.max);
      r.srto_min = Ms(v.min);
      return set(&r, sizeof(r));
    }
    case OptionId::kSctpSetPeerPrimaryAddr: {
      const SctpPrimaryAddr& v = std::get<SctpPrimaryAddr>(value);
      sctp_setpeerprim p;
      std::memset(&p, 0, sizeof(p));
      p.sspp_assoc_id = static_cast<sctp_assoc_t>(v.assoc_id);
      WriteAddress(&p, offsetof(sctp_setpeerprim, sspp_addr), v.address);
      return set(&p, sizeof(p));
    }
    default:
      break;
  }
  return absl::InternalError(
      absl::StrCat("setsockopt ", internal::OptionName(id), ": cannot be set"));
}

absl::StatusOr<OptionValue> GetSctpOption(Handle handle, OptionId id,
                                          const OptionValue& query) {
  NET_RETURN_IF_ERROR(SctpSupport(internal::OptionName(id)));
  auto get = [&](void* data, std::size_t size) {
    socklen_t length = static_cast<socklen_t>(size);
    return GetRaw(handle, IPPROTO_SCTP, NativeName(id), data, &length, id);
  };
  switch (id) {
    case OptionId::kSctpAdaptationLayer: {
      sctp_setadaptation a{};
      NET_RETURN_IF_ERROR(get(&a, sizeof(a)));
      return OptionValue(static_cast<std::uint32_t>(a.ssb_adaptation_ind));
    }
    case OptionId::kSctpAssocInfo: {
      sctp_assocparams a{};
      if (const auto* q = std::get_if<SctpAssocInfo>(&query)) {
        a.sasoc_assoc_id = static_cast<sctp_assoc_t>(q->assoc_id);
      }
      NET_RETURN_IF_ERROR(get(&a, sizeof(a)));
      SctpAssocInfo v;
      v.assoc_id = static_cast<SctpAssocId>(a.sasoc_assoc_id);
      v.max_retransmissions = a.sasoc_asocmaxrxt;
      v.peer_destinations = a.sasoc_number_peer_destinations;
      v.peer_receive_window = a.sasoc_peer_rwnd;
      v.local_receive_window = a.sasoc_local_rwnd;
      v.cookie_life = absl::Milliseconds(a.sasoc_cookie_life);
      return OptionValue(v);
    }
    case OptionId::kSctpAutoClose: {
      int seconds = 0;
      NET_RETURN_IF_ERROR(get(&seconds, sizeof(seconds)));
      return OptionValue(absl::Seconds(seconds));
    }
    case OptionId::kSctpDefaultSendParam: {
      sctp_sndrcvinfo s{};
      NET_RETURN_IF_ERROR(get(&s, sizeof(s)));
      SctpSendParams v;
      v.assoc_id = static_cast<SctpAssocId>(s.sinfo_assoc_id);
      v.stream = s.sinfo_stream;
      v.flags = s.sinfo_flags;
      v.ppid = s.sinfo_ppid;
      v.context = s.sinfo_context;
      v.time_to_live = absl::Milliseconds(s.sinfo_timetolive);
      return OptionValue(v);
    }
    case OptionId::kSctpDisableFragments:
    case OptionId::kSctpIWantMappedV4Addr:
    case OptionId::kSctpNoDelay: {
      int on = 0;
      NET_RETURN_IF_ERROR(get(&on, sizeof(on)));
      return OptionValue(on != 0);
    }
    case OptionId::kSctpEvents: {
      sctp_event_subscribe e{};
      NET_RETURN_IF_ERROR(get(&e, sizeof(e)));
      SctpEventSubscription v;
      v.data_io = e.sctp_data_io_event != 0;
      v.association = e.sctp_association_event != 0;
      v.address = e.sctp_address_event != 0;
      v.send_failure = e.sctp_send_failure_event != 0;
      v.peer_error = e.sctp_peer_error_event != 0;
      v.shutdown = e.sctp_shutdown_event != 0;
      v.partial_delivery = e.sctp_partial_delivery_event != 0;
      v.adaptation_layer = e.sctp_adaptation_layer_event != 0;
      v.authentication = e.sctp_authentication_event != 0;
      v.sender_dry = e.sctp_sender_dry_event != 0;
      return OptionValue(v);
    }
    case OptionId::kSctpGetPeerAddrInfo: {
      sctp_paddrinfo p;
      std::memset(&p, 0, sizeof(p));
      if (const auto* q = std::get_if<SctpPeerAddrInfo>(&query)) {
        p.spinfo_assoc_id = static_cast<sctp_assoc_t>(q->assoc_id);
        WriteAddress(&p, offsetof(sctp_paddrinfo, spinfo_address), q->address);
      }
      NET_RETURN_IF_ERROR(get(&p, sizeof(p)));
      return OptionValue(FromPaddrinfo(p));
    }
    case OptionId::kSctpInitMsg: {
      sctp_initmsg m{};
      NET_RETURN_IF_ERROR(get(&m, sizeof(m)));
      return OptionValue(SctpInitMsg{
          m.sinit_num_ostreams, m.sinit_max_instreams, m.sinit_max_attempts,
          absl::Milliseconds(m.sinit_max_init_timeo)});
    }
    case OptionId::kSctpMaxBurst:
    case OptionId::kSctpMaxSegment: {
      sctp_assoc_value a{};
      NET_RETURN_IF_ERROR(get(&a, sizeof(a)));
      return OptionValue(static_cast<int>(a.assoc_value));
    }
    case OptionId::kSctpPeerAddrParams: {
      sctp_paddrparams p;
      std::memset(&p, 0, sizeof(p));
      if (const auto* q = std::get_if<SctpPeerAddrParams>(&query)) {
        p.spp_assoc_id = static_cast<sctp_assoc_t>(q->assoc_id);
        WriteAddress(&p, offsetof(sctp_paddrparams, spp_address), q->address);
      }
      NET_RETURN_IF_ERROR(get(&p, sizeof(p)));
      SctpPeerAddrParams v;
      v.assoc_id = static_cast<SctpAssocId>(p.spp_assoc_id);
      v.address = ReadAddress(&p, offsetof(sctp_paddrparams, spp_address));
      v.heartbeat_interval = absl::Milliseconds(p.spp_hbinterval);
      v.path_max_retransmissions = p.spp_pathmaxrxt;
      v.path_mtu = p.spp_pathmtu;
      v.sack_delay = absl::Milliseconds(p.spp_sackdelay);
      v.flags = p.spp_flags;
      return OptionValue(v);
    }
    case OptionId::kSctpPrimaryAddr: {
      sctp_setprim p;
      std::memset(&p, 0, sizeof(p));
      NET_RETURN_IF_ERROR(get(&p, sizeof(p)));
      return OptionValue(
          SctpPrimaryAddr{static_cast<SctpAssocId>(p.ssp_assoc_id),
                          ReadAddress(&p, offsetof(sctp_setprim, ssp_addr))});
    }
    case OptionId::kSctpRtoInfo: {
      sctp_rtoinfo r{};
      if (const auto* q = std::get_if<SctpRtoInfo>(&query)) {
        r.srto_assoc_id = static_cast<sctp_assoc_t>(q->assoc_id);
      }
      NET_RETURN_IF_ERROR(get(&r, sizeof(r)));
      return OptionValue(SctpRtoInfo{static_cast<SctpAssocId>(r.srto_assoc_id),
                                     absl::Milliseconds(r.srto_initial),
                                     absl::Milliseconds(r.srto_max),
                                     absl::Milliseconds(r.srto_min)});
    }
    case OptionId::kSctpStatus: {
      sctp_status s;
      std::memset(&s, 0, sizeof(s));
      if (const auto* q = std::get_if<SctpStatus>(&query)) {
        s.sstat_assoc_id = static_cast<sctp_assoc_t>(q->assoc_id);
      }
      NET_RETURN_IF_ERROR(get(&s, sizeof(s)));
      SctpStatus v;
      v.assoc_id = static_cast<SctpAssocId>(s.sstat_assoc_id);
      v.state = AssociationState(s.sstat_state);
      v.receive_window = s.sstat_rwnd;
      v.unacked_data = s.sstat_unackdata;
      v.pending_data = s.sstat_penddata;
      v.in_streams = s.sstat_instrms;
      v.out_streams = s.sstat_outstrms;
      v.fragmentation_point = s.sstat_fragmentation_point;
      sctp_paddrinfo primary;
      std::memcpy(&primary,
                  reinterpret_cast<const char*>(&s) +
                      offsetof(sctp_status, sstat_primary),
                  sizeof(primary));
      v.primary = FromPaddrinfo(primary);
      return OptionValue(v);
    }
    default:
      break;
  }
  return absl::InternalError(absl::StrCat(
      "getsockopt ", internal::OptionName(id), ": cannot be read"));
}

#endif  // NET_HAVE_SCTP_H

}  // namespace net::sys::posix
