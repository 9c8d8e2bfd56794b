// Copyright 2026 The net Authors.
//
// The front door of the messages with control data (net/message.h):
// `Socket::EnableReceive()`, `SendMessage()`, `ReceiveMessage()` and their
// batches. Checks the arguments before any system call and leaves the
// native layouts to the backends (platform/posix/message_posix.cc,
// platform/windows/message_windows.cc). Decisions: docs/messages.md.

#include <cstddef>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/errors_internal.h"
#include "net/message.h"
#include "net/socket.h"
#include "net/status_macros.h"
#include "platform/sys.h"

namespace net {
namespace {

bool IsIp(AddressFamily family) {
  return family == AddressFamily::kIPv4 || family == AddressFamily::kIPv6;
}

constexpr ControlSet kIpItems = ControlSet::kPacketInfo | ControlSet::kHopLimit |
                                ControlSet::kTrafficClass | ControlSet::kGroSize;

bool HasControl(const SendControl& control) {
  return control.packet_info.has_value() || control.hop_limit.has_value() ||
         control.traffic_class.has_value() ||
         control.segment_size.has_value() || !control.descriptors.empty() ||
         control.credentials;
}

// A TCP socket carries no control data on any OS: Windows refuses
// WSASendMsg/WSARecvMsg on it (wine accepts them), and what POSIX would
// accept (IP_TOS on one segment) has no meaning for a byte stream. Unix
// stream sockets do carry descriptors and credentials.
absl::Status CheckNotTcp(absl::string_view operation, AddressFamily family,
                         SocketType type) {
  if (!IsIp(family) || type != SocketType::kStream) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      operation,
      ": messages with control data are for datagram, raw and unix sockets; "
      "use SendVector/ReceiveVector on a TCP socket"));
}

absl::Status CheckSendControl(absl::string_view operation, AddressFamily family,
                              const SendControl& control) {
  const bool ip_item = control.packet_info.has_value() ||
                       control.hop_limit.has_value() ||
                       control.traffic_class.has_value() ||
                       control.segment_size.has_value();
  const bool unix_item = !control.descriptors.empty() || control.credentials;
  if (ip_item && !IsIp(family)) {
    return absl::InvalidArgumentError(absl::StrCat(
        operation, ": packet info, hop limit, traffic class and segment size "
                   "are for IPv4 and IPv6 sockets, the socket is ",
        AddressFamilyName(family)));
  }
  if (unix_item && family != AddressFamily::kUnix) {
    return absl::InvalidArgumentError(absl::StrCat(
        operation, ": descriptors and credentials are for unix sockets, the "
                   "socket is ",
        AddressFamilyName(family)));
  }
  if (control.descriptors.size() > SendControl::kMaxDescriptors) {
    return absl::InvalidArgumentError(
        absl::StrCat(operation, ": at most ", SendControl::kMaxDescriptors,
                     " descriptors, got ", control.descriptors.size()));
  }
  for (NativeHandle d : control.descriptors) {
    if (d == kInvalidHandle) {
      return absl::InvalidArgumentError(
          absl::StrCat(operation, ": descriptors holds kInvalidHandle"));
    }
  }
  if (control.hop_limit.has_value() &&
      (*control.hop_limit < 0 || *control.hop_limit > 255)) {
    return absl::InvalidArgumentError(
        absl::StrCat(operation, ": hop limit must be 0..255, got ",
                     *control.hop_limit));
  }
  if (control.packet_info.has_value() &&
      !control.packet_info->local.IsUnspecified() && family ==
      AddressFamily::kIPv4 && !control.packet_info->local.is_v4()) {
    return absl::InvalidArgumentError(absl::StrCat(
        operation, ": packet info address ",
        control.packet_info->local.ToString(), " on an IPv4 socket"));
  }
  if (control.segment_size.has_value() && *control.segment_size == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(operation, ": segment size must not be 0"));
  }
  return absl::OkStatus();
}

absl::Status CheckBuffers(absl::string_view operation, std::size_t count) {
  if (count <= Socket::kMaxIoVectors) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      operation, ": at most ", Socket::kMaxIoVectors, " buffers, got ", count));
}

absl::Status CheckOutgoing(absl::string_view operation, AddressFamily family,
                           SocketType type, const OutgoingMessage& message) {
  NET_RETURN_IF_ERROR(CheckBuffers(operation, message.buffers.size()));
  if (HasControl(message.control)) {
    NET_RETURN_IF_ERROR(CheckNotTcp(operation, family, type));
  }
  NET_RETURN_IF_ERROR(CheckSendControl(operation, family, message.control));
  if (message.to.has_value() && message.to->family() != family) {
    return absl::InvalidArgumentError(absl::StrCat(
        operation, ": address ", message.to->ToString(), " is ",
        AddressFamilyName(message.to->family()), " but the socket is ",
        AddressFamilyName(family)));
  }
  return absl::OkStatus();
}

absl::Status CheckBatch(absl::string_view operation, std::size_t count) {
  if (count <= Socket::kMaxBatch) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      operation, ": at most ", Socket::kMaxBatch, " messages, got ", count));
}

// Clears what a receive fills in, so a reused message holds no stale items
// (and closes descriptors it still owned).
void ResetIncoming(IncomingMessage* message) {
  message->bytes = 0;
  message->from.reset();
  message->control = ReceivedControl();
  message->data_truncated = false;
  message->control_truncated = false;
}

std::size_t TotalSize(absl::Span<const absl::Span<char>> buffers) {
  std::size_t total = 0;
  for (const auto& b : buffers) total += b.size();
  return total;
}

// A zero-byte receive into a non-empty buffer on a stream or seqpacket
// socket is the peer's orderly shutdown (as in core/socket.cc).
absl::StatusOr<IoResult> EndOfStreamIfZero(absl::StatusOr<IoResult> r,
                                           SocketType type, bool empty) {
  if (r.ok() && r->kind() == IoResult::Kind::kTransferred && r->bytes() == 0 &&
      !empty &&
      (type == SocketType::kStream || type == SocketType::kSeqPacket)) {
    return IoResult::EndOfStream();
  }
  return r;
}

}  // namespace

void OwnedDescriptor::Reset() {
  if (is_open()) sys::CloseDescriptor(Release());
}

absl::StatusOr<Socket> OwnedDescriptor::ToSocket() {
  absl::StatusOr<Socket> socket = Socket::Adopt(handle_);
  if (socket.ok()) handle_ = kInvalidHandle;
  return socket;
}

std::size_t ControlCapacity(ControlSet set, std::size_t descriptors) {
  return sys::ControlSpace(set, descriptors);
}

absl::Status Socket::EnableReceive(ControlSet set, bool on) {
  NET_RETURN_IF_ERROR(CheckOpen("enable receive"));
  if (HasFlag(set, kIpItems) && !IsIp(family_)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "enable receive: packet info, hop limit, traffic class and GRO are "
        "for IPv4 and IPv6 sockets, the socket is ",
        AddressFamilyName(family_)));
  }
  if (HasFlag(set, kIpItems) && type_ == SocketType::kStream) {
    return CheckNotTcp("enable receive", family_, type_);
  }
  if (HasFlag(set, ControlSet::kCredentials) && family_ != AddressFamily::kUnix) {
    return absl::InvalidArgumentError(absl::StrCat(
        "enable receive: credentials are for unix sockets, the socket is ",
        AddressFamilyName(family_)));
  }
  if (set == ControlSet::kNone) return absl::OkStatus();
  return sys::EnableReceive(handle_, family_, set, on);
}

absl::StatusOr<IoResult> Socket::SendMessage(const OutgoingMessage& message,
                                             MessageFlags flags) {
  NET_RETURN_IF_ERROR(CheckOpen("sendmsg"));
  NET_RETURN_IF_ERROR(CheckOutgoing("sendmsg", family_, type_, message));
  NET_ASSIGN_OR_RETURN(
      IoResult io,
      PortableSendError("sendmsg", sys::SendMessage(handle_, family_, message, flags)));
  if (io.would_block() && !nonblocking_) {
    absl::StatusOr<bool> nonblocking = IsNonBlocking();
    if (nonblocking.ok() && !*nonblocking) {
      return internal::PortableError("sendmsg", "", SocketError::kTimedOut);
    }
  }
  return io;
}

absl::StatusOr<IoResult> Socket::ReceiveMessage(IncomingMessage* message,
                                                MessageFlags flags) {
  NET_RETURN_IF_ERROR(CheckOpen("recvmsg"));
  if (message == nullptr) {
    return absl::InvalidArgumentError("recvmsg: message must not be null");
  }
  ResetIncoming(message);
  NET_RETURN_IF_ERROR(CheckBuffers("recvmsg", message->buffers.size()));
  if (message->control_capacity > 0) {
    NET_RETURN_IF_ERROR(CheckNotTcp("recvmsg", family_, type_));
  }
  NET_ASSIGN_OR_RETURN(
      IoResult io,
      EndOfStreamIfZero(sys::ReceiveMessage(handle_, message, flags), type_,
                        TotalSize(message->buffers) == 0));
  if (io.would_block() && !nonblocking_) {
    absl::StatusOr<bool> nonblocking = IsNonBlocking();
    if (nonblocking.ok() && !*nonblocking) {
      return internal::PortableError("recvmsg", "", SocketError::kTimedOut);
    }
  }
  return io;
}

absl::StatusOr<std::size_t> Socket::SendMessages(
    absl::Span<const OutgoingMessage> messages, MessageFlags flags) {
  NET_RETURN_IF_ERROR(CheckOpen("sendmmsg"));
  NET_RETURN_IF_ERROR(CheckBatch("sendmmsg", messages.size()));
  for (const OutgoingMessage& message : messages) {
    NET_RETURN_IF_ERROR(CheckOutgoing("sendmmsg", family_, type_, message));
  }
  if (messages.empty()) return std::size_t{0};
  absl::StatusOr<std::size_t> sent = sys::SendMessages(handle_, family_, messages, flags);
  if (!sent.ok()) {
    absl::StatusOr<IoResult> portable = PortableSendError(
        "sendmmsg", absl::StatusOr<IoResult>(sent.status()));
    return portable.status();
  }
  return sent;
}

absl::StatusOr<std::size_t> Socket::ReceiveMessages(
    absl::Span<IncomingMessage> messages, MessageFlags flags) {
  NET_RETURN_IF_ERROR(CheckOpen("recvmmsg"));
  NET_RETURN_IF_ERROR(CheckBatch("recvmmsg", messages.size()));
  for (IncomingMessage& message : messages) {
    ResetIncoming(&message);
    NET_RETURN_IF_ERROR(CheckBuffers("recvmmsg", message.buffers.size()));
    if (message.control_capacity > 0) {
      NET_RETURN_IF_ERROR(CheckNotTcp("recvmmsg", family_, type_));
    }
  }
  if (messages.empty()) return std::size_t{0};
  return sys::ReceiveMessages(handle_, messages, flags);
}

}  // namespace net
