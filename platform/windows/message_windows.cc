// Copyright 2026 The net Authors.
//
// Messages with control data on Windows (net/message.h): WSASendMsg and
// WSARecvMsg (the latter loaded once through WSAIoctl
// SIO_GET_EXTENSION_FUNCTION_POINTER) for datagram and raw sockets, with
// packet info, TTL / hop limit and TOS / traffic class. The POSIX twin is
// message_posix.cc. What Winsock lacks (descriptors, credentials,
// timestamps, GSO/GRO, TTL and TOS per message) is kUnimplemented;
// docs/messages.md has the table.

#include "platform/windows/winsock_internal.h"

// <windows.h> (through winsock_internal.h) defines SendMessage as
// SendMessageA/SendMessageW, which would rename sys::SendMessage here but
// not in core/message.cc: an undefined reference at link time.
#undef SendMessage

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/message.h"
#include "net/status_macros.h"
#include "platform/fault.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/message_bsd.h"
#include "platform/bsd/socket_bsd.h"

namespace net::sys {
namespace {

using windows::Sock;

absl::Status Unavailable(absl::string_view what) {
  return internal::NotAvailable(
      absl::StrCat(what, " is not available on Windows"));
}

absl::Status SetInt(Handle handle, int level, int name, bool on,
                    absl::string_view what) {
  const DWORD value = on ? 1 : 0;
  if (NET_FAULT(kSetOption, handle, SOCKET_ERROR,
                setsockopt(Sock(handle), level, name,
                           reinterpret_cast<const char*>(&value),
                           sizeof(value))) == SOCKET_ERROR) {
    return internal::SystemError(absl::StrCat("setsockopt ", what), "",
                                 WSAGetLastError());
  }
  return absl::OkStatus();
}

// The options that ask for each item, per family. Winsock's IPv6 names
// are the RFC 2292 ones (IPV6_PKTINFO, IPV6_HOPLIMIT), and its IPv4 packet
// info is IP_PKTINFO.
constexpr bsd::ReceiveOption kV4Options[] = {
    {ControlSet::kPacketInfo, IPPROTO_IP, IP_PKTINFO, "IP_PKTINFO"},
    {ControlSet::kHopLimit, IPPROTO_IP, IP_RECVTTL, "IP_RECVTTL"},
    {ControlSet::kTrafficClass, IPPROTO_IP, IP_RECVTOS, "IP_RECVTOS"},
};
constexpr bsd::ReceiveOption kV6Options[] = {
    {ControlSet::kPacketInfo, IPPROTO_IPV6, IPV6_PKTINFO, "IPV6_PKTINFO"},
    {ControlSet::kHopLimit, IPPROTO_IPV6, IPV6_HOPLIMIT, "IPV6_HOPLIMIT"},
    {ControlSet::kTrafficClass, IPPROTO_IPV6, IPV6_RECVTCLASS, "IPV6_RECVTCLASS"},
};

absl::Status EnableV4(Handle handle, ControlSet set, bool on) {
  return bsd::EnableEach(handle, kV4Options, set, on, SetInt);
}

absl::Status EnableV6(Handle handle, ControlSet set, bool on) {
  return bsd::EnableEach(handle, kV6Options, set, on, SetInt);
}

bool IsV6Only(Handle handle) {
  DWORD value = 1;
  int length = sizeof(value);
  if (getsockopt(Sock(handle), IPPROTO_IPV6, IPV6_V6ONLY,
                 reinterpret_cast<char*>(&value), &length) == SOCKET_ERROR) {
    return true;
  }
  return value != 0;
}

// WSARecvMsg is not exported by ws2_32: it is asked of a socket, once per
// process (the pointer is the same for every socket of the provider).
LPFN_WSARECVMSG RecvMsgFunction(SOCKET s) {
  static LPFN_WSARECVMSG function = [s] {
    GUID guid = WSAID_WSARECVMSG;
    LPFN_WSARECVMSG f = nullptr;
    DWORD bytes = 0;
    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                 &f, sizeof(f), &bytes, nullptr, nullptr) == SOCKET_ERROR) {
      return static_cast<LPFN_WSARECVMSG>(nullptr);
    }
    return f;
  }();
  return function;
}

}  // namespace

absl::Status EnableReceive(Handle handle, AddressFamily family, ControlSet set,
                           bool on) {
  if (HasFlag(set, ControlSet::kTimestamp)) {
    return Unavailable("a receive timestamp (SO_TIMESTAMP)");
  }
  if (HasFlag(set, ControlSet::kGroSize)) return Unavailable("UDP_GRO");
  if (HasFlag(set, ControlSet::kCredentials)) {
    return Unavailable("credential passing (SCM_CREDENTIALS)");
  }
  if (family == AddressFamily::kIPv4) {
    NET_RETURN_IF_ERROR(EnableV4(handle, set, on));
  } else if (family == AddressFamily::kIPv6) {
    NET_RETURN_IF_ERROR(EnableV6(handle, set, on));
    // Dual-stack: IPv4 datagrams carry the IPv4 items (documented for
    // IP_PKTINFO on an AF_INET6 socket).
    if (!IsV6Only(handle)) NET_RETURN_IF_ERROR(EnableV4(handle, set, on));
  }
  return absl::OkStatus();
}

std::size_t ControlSpace(ControlSet set, std::size_t descriptors) {
  (void)descriptors;  // never received here
  std::size_t space = 0;
  if (HasFlag(set, ControlSet::kPacketInfo)) {
    space += WSA_CMSG_SPACE(sizeof(IN6_PKTINFO)) +
             WSA_CMSG_SPACE(sizeof(IN_PKTINFO));
  }
  if (HasFlag(set, ControlSet::kHopLimit)) space += 2 * WSA_CMSG_SPACE(sizeof(INT));
  if (HasFlag(set, ControlSet::kTrafficClass)) {
    space += 2 * WSA_CMSG_SPACE(sizeof(INT));
  }
  return space;
}

void DecodeControl(const void* control, std::size_t length,
                   ReceivedControl* out, std::vector<Handle>* descriptors) {
  (void)descriptors;
  // As on POSIX: walked by hand, each header copied out, an item shorter
  // than a header or running past the end stops the walk.
  const auto* base = static_cast<const unsigned char*>(control);
  const std::size_t header = WSA_CMSG_LEN(0);
  std::size_t offset = 0;
  while (length - offset >= sizeof(WSACMSGHDR) && length - offset >= header) {
    WSACMSGHDR h;
    std::memcpy(&h, base + offset, sizeof(h));
    const auto item = static_cast<std::size_t>(h.cmsg_len);
    if (item < header || item > length - offset) break;
    const unsigned char* data = base + offset + header;
    const std::size_t n = item - header;
    int value = 0;
    bool known = true;
    if (h.cmsg_level == IPPROTO_IP && h.cmsg_type == IP_PKTINFO &&
        n >= sizeof(IN_PKTINFO)) {
      IN_PKTINFO info;
      std::memcpy(&info, data, sizeof(info));
      IpAddress::V4Bytes bytes;
      std::memcpy(bytes.data(), &info.ipi_addr, 4);
      out->packet_info = PacketInfo{IpAddress::V4(bytes), info.ipi_ifindex};
    } else if (h.cmsg_level == IPPROTO_IPV6 && h.cmsg_type == IPV6_PKTINFO &&
               n >= sizeof(IN6_PKTINFO)) {
      IN6_PKTINFO info;
      std::memcpy(&info, data, sizeof(info));
      IpAddress::V6Bytes bytes;
      std::memcpy(bytes.data(), &info.ipi6_addr, 16);
      out->packet_info = PacketInfo{IpAddress::V6(bytes), info.ipi6_ifindex};
    } else if ((h.cmsg_level == IPPROTO_IP && h.cmsg_type == IP_TTL) ||
               (h.cmsg_level == IPPROTO_IPV6 && h.cmsg_type == IPV6_HOPLIMIT)) {
      if (n >= sizeof(int)) {
        std::memcpy(&value, data, sizeof(value));
        out->hop_limit = value;
      } else if (n >= 1) {
        out->hop_limit = data[0];
      }
    } else if ((h.cmsg_level == IPPROTO_IP && h.cmsg_type == IP_TOS) ||
               (h.cmsg_level == IPPROTO_IPV6 && h.cmsg_type == IPV6_TCLASS)) {
      if (n >= sizeof(int)) {
        std::memcpy(&value, data, sizeof(value));
        out->traffic_class = static_cast<std::uint8_t>(value);
      } else if (n >= 1) {
        out->traffic_class = data[0];
      }
    } else {
      known = false;
    }
    if (!known) ++out->unknown_items;
    const std::size_t step = WSA_CMSG_SPACE(n);
    if (step > length - offset) break;
    offset += step;
  }
}

void CloseDescriptor(Handle handle) { (void)closesocket(Sock(handle)); }

namespace {

absl::Status Encode(AddressFamily family, const SendControl& c,
                    std::vector<char>* control) {
  if (!c.descriptors.empty()) {
    return Unavailable("descriptor passing (SCM_RIGHTS)");
  }
  if (c.credentials) return Unavailable("credential passing (SCM_CREDENTIALS)");
  if (c.segment_size.has_value()) return Unavailable("UDP GSO (UDP_SEGMENT)");
  if (c.hop_limit.has_value() || c.traffic_class.has_value()) {
    return Unavailable(
        "a per-message TTL or TOS (set IpTtl/IpTos on the socket instead)");
  }
  if (!c.packet_info.has_value()) return absl::OkStatus();
  const PacketInfo& p = *c.packet_info;
  WSACMSGHDR h{};
  if (family == AddressFamily::kIPv4 || p.local.is_v4()) {
    IN_PKTINFO info{};
    const IpAddress::V4Bytes bytes = p.local.v4_bytes();
    std::memcpy(&info.ipi_addr, bytes.data(), 4);
    info.ipi_ifindex = p.interface_index;
    control->assign(WSA_CMSG_SPACE(sizeof(info)), 0);
    h.cmsg_level = IPPROTO_IP;
    h.cmsg_type = IP_PKTINFO;
    h.cmsg_len = WSA_CMSG_LEN(sizeof(info));
    std::memcpy(control->data(), &h, sizeof(h));
    std::memcpy(control->data() + WSA_CMSG_LEN(0), &info, sizeof(info));
  } else {
    IN6_PKTINFO info{};
    std::memcpy(&info.ipi6_addr, p.local.v6_bytes().data(), 16);
    info.ipi6_ifindex = p.interface_index;
    control->assign(WSA_CMSG_SPACE(sizeof(info)), 0);
    h.cmsg_level = IPPROTO_IPV6;
    h.cmsg_type = IPV6_PKTINFO;
    h.cmsg_len = WSA_CMSG_LEN(sizeof(info));
    std::memcpy(control->data(), &h, sizeof(h));
    std::memcpy(control->data() + WSA_CMSG_LEN(0), &info, sizeof(info));
  }
  return absl::OkStatus();
}

void FillBuffers(absl::Span<const absl::Span<char>> in, WSABUF* out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    out[i].buf = in[i].data();
    out[i].len = static_cast<ULONG>(std::min<std::size_t>(in[i].size(), ULONG_MAX));
  }
}

}  // namespace

absl::StatusOr<IoResult> SendMessage(Handle handle, AddressFamily family,
                                     const OutgoingMessage& message,
                                     MessageFlags flags) {
  // Copied out of the 8-byte-aligned vector: the control buffer of WSAMSG
  // must be aligned for WSACMSGHDR.
  std::vector<char> control;
  NET_RETURN_IF_ERROR(Encode(family, message.control, &control));
  std::unique_ptr<WSACMSGHDR[]> aligned;
  WSABUF vectors[Socket::kMaxIoVectors];
  for (std::size_t i = 0; i < message.buffers.size(); ++i) {
    vectors[i].buf = const_cast<char*>(message.buffers[i].data());
    vectors[i].len = static_cast<ULONG>(
        std::min<std::size_t>(message.buffers[i].size(), ULONG_MAX));
  }
  WSAMSG m{};
  m.lpBuffers = vectors;
  m.dwBufferCount = static_cast<ULONG>(message.buffers.size());
  if (message.to.has_value()) {
    m.name = const_cast<sockaddr*>(message.to->native());
    m.namelen = static_cast<INT>(message.to->native_length());
  }
  if (!control.empty()) {
    aligned.reset(new WSACMSGHDR[control.size() / sizeof(WSACMSGHDR) + 1]);
    std::memcpy(aligned.get(), control.data(), control.size());
    m.Control.buf = reinterpret_cast<char*>(aligned.get());
    m.Control.len = static_cast<ULONG>(control.size());
  }
  DWORD sent = 0;
  const int rc = NET_FAULT(
      kSend, handle, SOCKET_ERROR,
      WSASendMsg(Sock(handle), &m,
                 static_cast<DWORD>(bsd::NativeMessageFlags(flags)), &sent,
                 nullptr, nullptr));
  if (rc != SOCKET_ERROR) return IoResult::Transferred(sent);
  const int error = WSAGetLastError();
  if (error == WSAEWOULDBLOCK) return IoResult::WouldBlock();
  return internal::SystemError(
      "WSASendMsg", message.to.has_value() ? message.to->ToString() : "",
      error);
}

absl::StatusOr<IoResult> ReceiveMessage(Handle handle, IncomingMessage* message,
                                        MessageFlags flags) {
  LPFN_WSARECVMSG recv_msg = RecvMsgFunction(Sock(handle));
  if (recv_msg == nullptr) {
    return internal::SystemError("WSAIoctl WSARecvMsg", "", WSAGetLastError());
  }
  WSABUF vectors[Socket::kMaxIoVectors];
  FillBuffers(message->buffers, vectors);
  std::unique_ptr<WSACMSGHDR[]> control;
  const std::size_t capacity = message->control_capacity;
  if (capacity > 0) {
    control.reset(new WSACMSGHDR[capacity / sizeof(WSACMSGHDR) + 1]());
  }
  SocketAddress from;
  WSAMSG m{};
  m.name = from.mutable_native();
  m.namelen = static_cast<INT>(SocketAddress::kStorageSize);
  m.lpBuffers = vectors;
  m.dwBufferCount = static_cast<ULONG>(message->buffers.size());
  m.Control.buf = reinterpret_cast<char*>(control.get());
  m.Control.len = static_cast<ULONG>(std::min<std::size_t>(capacity, ULONG_MAX));
  m.dwFlags = static_cast<DWORD>(bsd::NativeMessageFlags(flags));
  // A control room too small for what may come fails the receive with
  // WSAEMSGSIZE and MSG_CTRUNC (Windows and wine alike) and the byte count
  // is not returned: with such a room the size of the next datagram is
  // asked first (FIONREAD), so that the count is known then. With room for
  // every item Winsock delivers (the default) this costs nothing.
  u_long pending = 0;
  if (capacity > 0 &&
      capacity < ControlSpace(ControlSet::kPacketInfo | ControlSet::kHopLimit |
                                  ControlSet::kTrafficClass,
                              0) &&
      ioctlsocket(Sock(handle), FIONREAD, &pending) != 0) {
    pending = 0;
  }
  DWORD received = 0;
  const int rc = NET_FAULT(kReceive, handle, SOCKET_ERROR,
                           recv_msg(Sock(handle), &m, &received, nullptr,
                                    nullptr));
  bool data_truncated = false;
  if (rc == SOCKET_ERROR) {
    const int error = WSAGetLastError();
    if (error == WSAEWOULDBLOCK) return IoResult::WouldBlock();
    if (error != WSAEMSGSIZE) {
      return internal::SystemError("WSARecvMsg", "", error);
    }
    // The datagram was longer than the buffers (they hold its head), or
    // the control room was too small (MSG_CTRUNC), or both.
    std::size_t total = 0;
    for (std::size_t i = 0; i < message->buffers.size(); ++i) {
      total += vectors[i].len;
    }
    const bool control_only = (m.dwFlags & MSG_CTRUNC) != 0 &&
                              (m.dwFlags & MSG_TRUNC) == 0 && pending > 0;
    data_truncated = !control_only || pending > total;
    received = static_cast<DWORD>(
        control_only ? std::min<std::size_t>(pending, total) : total);
  }
  if (control != nullptr) {
    std::vector<Handle> ignored;
    DecodeControl(control.get(),
                  std::min<std::size_t>(m.Control.len, capacity),
                  &message->control, &ignored);
  }
  message->bytes = received;
  message->data_truncated = data_truncated || (m.dwFlags & MSG_TRUNC) != 0;
  message->control_truncated = (m.dwFlags & MSG_CTRUNC) != 0;
  if (m.namelen > 0) {
    from.set_native_length(static_cast<std::size_t>(m.namelen));
    message->from = from;
  }
  return message->data_truncated ? IoResult::Truncated(received)
                                 : IoResult::Transferred(received);
}

// Winsock has no batch call: a loop of the single ones.
absl::StatusOr<std::size_t> SendMessages(
    Handle handle, AddressFamily family,
    absl::Span<const OutgoingMessage> messages, MessageFlags flags) {
  return bsd::EachMessage(messages, [&](const OutgoingMessage& message, bool) {
    return SendMessage(handle, family, message, flags);
  });
}

absl::StatusOr<std::size_t> ReceiveMessages(
    Handle handle, absl::Span<IncomingMessage> messages, MessageFlags flags) {
  return bsd::EachMessage(
      messages, [&](IncomingMessage& message, bool first) -> absl::StatusOr<IoResult> {
        // After the first, only what is already there (MSG_WAITFORONE's
        // rule): a blocking socket must not wait for a second datagram.
        if (!first) {
          u_long pending = 0;
          if (ioctlsocket(Sock(handle), FIONREAD, &pending) != 0 || pending == 0) {
            return IoResult::WouldBlock();
          }
        }
        return ReceiveMessage(handle, &message, flags);
      });
}

}  // namespace net::sys
