// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: message.h
// -----------------------------------------------------------------------------
//
// This header defines the typed control data ("ancillary data") that
// `Socket::SendMessage()` and `Socket::ReceiveMessage()` carry beside the
// bytes of a datagram: the local address and interface a datagram arrived
// on (packet info), its TTL or hop limit, its TOS or traffic class (with the
// ECN bits), its receive time, the UDP segmentation sizes (Linux GSO/GRO),
// and, on unix sockets, descriptors and credentials. `ControlSet` names what
// a socket should be told about; `Socket::EnableReceive()` switches it on
// with the right options for the OS and the family (both families on a
// dual-stack IPv6 socket). What each OS supports, and the decisions behind
// this API: docs/messages.md.
//
// Example:
//
//   NET_RETURN_IF_ERROR(socket.EnableReceive(net::ControlSet::kPacketInfo));
//   char data[1500];
//   absl::Span<char> buffers[] = {absl::MakeSpan(data)};
//   net::IncomingMessage in;
//   in.buffers = buffers;
//   NET_RETURN_IF_ERROR(socket.ReceiveMessage(&in).status());
//   net::OutgoingMessage reply;     // answer from the address it was sent to
//   absl::Span<const char> out[] = {absl::MakeConstSpan(data, in.bytes)};
//   reply.buffers = out;
//   reply.to = in.from;
//   reply.control.packet_info = in.control.packet_info;
//   NET_RETURN_IF_ERROR(socket.SendMessage(reply).status());

#ifndef NET_MESSAGE_H_
#define NET_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "net/address.h"
#include "net/export.h"
#include "net/flags.h"

namespace net {

class Socket;
using NativeHandle = std::uintptr_t;

// ControlSet
//
// The control data a socket is asked to deliver with each datagram it
// receives (`Socket::EnableReceive()`); combine with `|`.
enum class ControlSet : std::uint32_t {
  // Nothing: no control data is asked for.
  kNone = 0,
  // The local address the datagram was sent to and the interface it came
  // in on: IP_PKTINFO (IP_RECVDSTADDR + IP_RECVIF on the BSDs and macOS),
  // IPV6_RECVPKTINFO.
  kPacketInfo = 1u << 0,
  // The TTL (IPv4) or hop limit (IPv6) it arrived with: IP_RECVTTL,
  // IPV6_RECVHOPLIMIT.
  kHopLimit = 1u << 1,
  // The TOS byte (IPv4) or traffic class (IPv6), ECN bits included:
  // IP_RECVTOS, IPV6_RECVTCLASS.
  kTrafficClass = 1u << 2,
  // When the kernel received it: SO_TIMESTAMPNS on Linux, SO_TIMESTAMP
  // elsewhere. kUnimplemented on Windows.
  kTimestamp = 1u << 3,
  // Coalesced UDP receive (UDP_GRO, Linux 5.0+): several datagrams of one
  // flow arrive as one buffer and `ReceivedControl::gro_size` is the size
  // of each. kUnimplemented elsewhere.
  kGroSize = 1u << 4,
  // The sender's credentials on a unix socket: SO_PASSCRED on Linux,
  // LOCAL_CREDS on FreeBSD. kUnimplemented elsewhere.
  kCredentials = 1u << 5,
};

template <>
struct IsFlagEnum<ControlSet> : std::true_type {};

// PacketInfo
//
// Received: the address the datagram was sent to and the index of the
// interface it arrived on. Sent: the source address to send from (an
// unspecified address lets the OS choose) and the interface to send
// through (0: let the routing table choose).
struct PacketInfo {
  IpAddress local;                   // the local (destination or source) address
  std::uint32_t interface_index = 0;  // the interface index; 0: any
};

// Credentials
//
// A process's identity on a unix socket: process id, effective user and
// group ids. `pid` is -1 where the OS does not give it.
struct Credentials {
  std::int64_t pid = -1;  // the process id; -1 where the OS does not give it
  std::uint32_t uid = 0;  // the effective user id
  std::uint32_t gid = 0;  // the effective group id
};

// OwnedDescriptor
//
// A descriptor received with SCM_RIGHTS (any kind: socket, file, pipe),
// owned: closed when destroyed unless `Release()`d or turned into a
// `Socket` with `ToSocket()`. It is close-on-exec from the moment it
// arrived. Move-only.
class NET_EXPORT OwnedDescriptor {
 public:
  OwnedDescriptor() = default;
  // Takes ownership of `handle`.
  explicit OwnedDescriptor(NativeHandle handle) : handle_(handle) {}
  ~OwnedDescriptor() { Reset(); }
  // Takes `other`'s descriptor; `other` is left owning none.
  OwnedDescriptor(OwnedDescriptor&& other) noexcept
      : handle_(std::exchange(other.handle_, ~NativeHandle{0})) {}
  // Closes the descriptor owned here, then takes `other`'s.
  OwnedDescriptor& operator=(OwnedDescriptor&& other) noexcept {
    if (this != &other) {
      Reset();
      handle_ = std::exchange(other.handle_, ~NativeHandle{0});
    }
    return *this;
  }
  OwnedDescriptor(const OwnedDescriptor&) = delete;
  OwnedDescriptor& operator=(const OwnedDescriptor&) = delete;

  // Whether a descriptor is owned.
  bool is_open() const { return handle_ != ~NativeHandle{0}; }
  // The descriptor, still owned here.
  NativeHandle native_handle() const { return handle_; }

  // OwnedDescriptor::Release()
  //
  // Gives up ownership and returns the descriptor.
  NativeHandle Release() { return std::exchange(handle_, ~NativeHandle{0}); }

  // OwnedDescriptor::Reset()
  //
  // Closes the descriptor now, if one is owned.
  void Reset();

  // OwnedDescriptor::ToSocket()
  //
  // Hands the descriptor to a `Socket` (`Socket::Adopt()`).
  //
  // Errors: kNotASocket if it is not one, and then it stays owned here.
  absl::StatusOr<Socket> ToSocket();

 private:
  NativeHandle handle_ = ~NativeHandle{0};
};

// SendControl
//
// Control data to send with one message. Each item is sent only when set.
struct SendControl {
  // The source address and/or interface (IP_PKTINFO, IPV6_PKTINFO; on the
  // BSDs IP_SENDSRCADDR for the address). Its family picks the level: an
  // IPv4 address on a dual-stack IPv6 socket is sent as IP_PKTINFO.
  absl::optional<PacketInfo> packet_info;
  // The TTL or hop limit of this datagram (IP_TTL, IPV6_HOPLIMIT).
  absl::optional<int> hop_limit;
  // The TOS byte or traffic class, ECN bits included (IP_TOS, IPV6_TCLASS).
  absl::optional<std::uint8_t> traffic_class;
  // UDP GSO (Linux 4.18+): the kernel cuts the buffers into datagrams of
  // this many bytes (the last may be shorter). kUnimplemented elsewhere.
  absl::optional<std::uint16_t> segment_size;
  // Descriptors to pass on a unix socket (SCM_RIGHTS). Not owned: the
  // receiver gets duplicates. At most kMaxDescriptors. kUnimplemented on
  // Windows.
  std::vector<NativeHandle> descriptors;
  // Attach this process's credentials (SCM_CREDENTIALS on Linux, SCM_CREDS
  // on FreeBSD; the kernel checks or fills them in). kUnimplemented
  // elsewhere.
  bool credentials = false;

  // The most descriptors one message carries (Linux's SCM_MAX_FD).
  static constexpr std::size_t kMaxDescriptors = 253;
};

// ReceivedControl
//
// The control data that came with one message, decoded. An item the OS did
// not deliver stays unset.
struct ReceivedControl {
  absl::optional<PacketInfo> packet_info;      // ControlSet::kPacketInfo
  absl::optional<int> hop_limit;               // ControlSet::kHopLimit
  absl::optional<std::uint8_t> traffic_class;  // ControlSet::kTrafficClass
  absl::optional<absl::Time> timestamp;        // ControlSet::kTimestamp
  absl::optional<std::uint16_t> gro_size;      // ControlSet::kGroSize
  absl::optional<Credentials> credentials;     // ControlSet::kCredentials
  // Descriptors that arrived (SCM_RIGHTS): owned, close-on-exec; take the
  // ones you want (`std::move`, `Release()`); the rest close with this.
  std::vector<OwnedDescriptor> descriptors;
  // Items of a kind net does not decode, skipped.
  std::size_t unknown_items = 0;
};

// OutgoingMessage
//
// One message to send: gather buffers, a destination (unset on a connected
// socket) and control data.
struct OutgoingMessage {
  absl::Span<const absl::Span<const char>> buffers;  // sent in order
  absl::optional<SocketAddress> to;  // the destination; unset when connected
  SendControl control;               // control data to send with it
};

// IncomingMessage
//
// One message to receive: the caller sets `buffers` (scatter) and may set
// `control_capacity`; the call fills in the rest.
struct IncomingMessage {
  absl::Span<const absl::Span<char>> buffers;  // filled in order (scatter)
  // Bytes of room for control data. The default holds every item of
  // `ControlSet` and a few descriptors; `ControlCapacity()` computes an
  // exact size. 0 receives no control data at all.
  std::size_t control_capacity = kDefaultControlCapacity;

  // Filled in by the receive call.
  std::size_t bytes = 0;                // bytes placed in `buffers`
  absl::optional<SocketAddress> from;   // unset when the OS gave none
  ReceivedControl control;
  bool data_truncated = false;     // the datagram was longer (MSG_TRUNC)
  bool control_truncated = false;  // control data did not fit (MSG_CTRUNC)

  static constexpr std::size_t kDefaultControlCapacity = 512;
};

// ControlCapacity()
//
// The bytes of control room that receiving `set` and `descriptors`
// descriptors takes on this OS (the sum of the CMSG_SPACE of each item).
// Does not block and never fails.
NET_EXPORT std::size_t ControlCapacity(ControlSet set,
                                       std::size_t descriptors = 0);

}  // namespace net

#endif  // NET_MESSAGE_H_
