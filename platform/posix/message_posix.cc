// Copyright 2026 The net Authors.
//
// Messages with control data on POSIX (net/message.h): sendmsg/recvmsg with
// the ancillary data encoded and decoded here, sendmmsg/recvmmsg batches on
// Linux, and the options that switch reception on. The Windows twin is
// message_windows.cc. Where Linux and the BSDs differ the difference sits in
// one small named helper; what each OS supports: docs/messages.md.

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>
#if defined(__FreeBSD__) || defined(__APPLE__)
#include <net/if_dl.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/status_macros.h"
#include "net/message.h"
#include "platform/fault.h"
#include "platform/posix/options_internal_posix.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/message_bsd.h"
#include "platform/bsd/socket_bsd.h"

// UDP GSO and GRO (linux/udp.h, not in every libc's netinet/udp.h).
#if defined(__linux__)
#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#endif

namespace net::sys {
namespace {

using posix::Fail;
using posix::Fd;
using posix::RetryOnEintr;

// --- Per-OS names, one #if each ---------------------------------------------

// MSG_CMSG_CLOEXEC (Linux, FreeBSD, NetBSD) makes received descriptors
// close-on-exec atomically; elsewhere (macOS) FD_CLOEXEC is set right after
// the receive.
constexpr int kCloexecFlag =
#if defined(MSG_CMSG_CLOEXEC)
    MSG_CMSG_CLOEXEC;
#else
    0;
#endif

// Credentials: Linux SCM_CREDENTIALS (struct ucred), FreeBSD SCM_CREDS
// (struct cmsgcred); macOS has neither in a form a receiver can rely on.
#if defined(__linux__)
constexpr int kCredentialsType = SCM_CREDENTIALS;
using NativeCredentials = ucred;
#elif defined(__FreeBSD__)
constexpr int kCredentialsType = SCM_CREDS;
using NativeCredentials = cmsgcred;
#else
constexpr int kCredentialsType = -1;
struct NativeCredentials {
  int unused;
};
#endif

Credentials FromNative(const NativeCredentials& c) {
#if defined(__linux__)
  return Credentials{c.pid, c.uid, c.gid};
#elif defined(__FreeBSD__)
  return Credentials{c.cmcred_pid, c.cmcred_euid, c.cmcred_gid};
#else
  (void)c;
  return Credentials{};
#endif
}

[[maybe_unused]] absl::Status Unavailable(absl::string_view what) {
  return internal::NotAvailable(
      absl::StrCat(what, " is not available on ", posix::PlatformName()));
}

// --- Receive options --------------------------------------------------------

absl::Status SetInt(Handle handle, int level, int name, bool on,
                    absl::string_view what) {
  const int value = on ? 1 : 0;
  if (NET_FAULT(kSetOption, handle, -1,
                setsockopt(Fd(handle), level, name, &value,
                           sizeof(value))) != 0) {
    return Fail(absl::StrCat("setsockopt ", what));
  }
  return absl::OkStatus();
}

// The options that ask for each item, per family. Linux delivers the
// local address and interface in one IP_PKTINFO; the BSDs and macOS in
// IP_RECVDSTADDR and IP_RECVIF (macOS has IP_PKTINFO too, but
// IP_RECVDSTADDR is what every BSD shares).
constexpr bsd::ReceiveOption kV4Options[] = {
#if defined(IP_PKTINFO) && defined(__linux__)
    {ControlSet::kPacketInfo, IPPROTO_IP, IP_PKTINFO, "IP_PKTINFO"},
#elif defined(IP_RECVDSTADDR) && defined(IP_RECVIF)
    {ControlSet::kPacketInfo, IPPROTO_IP, IP_RECVDSTADDR, "IP_RECVDSTADDR"},
    {ControlSet::kPacketInfo, IPPROTO_IP, IP_RECVIF, "IP_RECVIF"},
#endif
    {ControlSet::kHopLimit, IPPROTO_IP, IP_RECVTTL, "IP_RECVTTL"},
    {ControlSet::kTrafficClass, IPPROTO_IP, IP_RECVTOS, "IP_RECVTOS"},
};
constexpr bsd::ReceiveOption kV6Options[] = {
    {ControlSet::kPacketInfo, IPPROTO_IPV6, IPV6_RECVPKTINFO, "IPV6_RECVPKTINFO"},
    {ControlSet::kHopLimit, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, "IPV6_RECVHOPLIMIT"},
    {ControlSet::kTrafficClass, IPPROTO_IPV6, IPV6_RECVTCLASS, "IPV6_RECVTCLASS"},
};

absl::Status EnableV4(Handle handle, ControlSet set, bool on) {
#if !(defined(IP_PKTINFO) && defined(__linux__)) && \
    !(defined(IP_RECVDSTADDR) && defined(IP_RECVIF))
  if (HasFlag(set, ControlSet::kPacketInfo)) return Unavailable("IP_PKTINFO");
#endif
  return bsd::EnableEach(handle, kV4Options, set, on, SetInt);
}

absl::Status EnableV6(Handle handle, ControlSet set, bool on) {
  return bsd::EnableEach(handle, kV6Options, set, on, SetInt);
}

bool IsV6Only(Handle handle) {
  int value = 0;
  socklen_t length = sizeof(value);
  if (getsockopt(Fd(handle), IPPROTO_IPV6, IPV6_V6ONLY, &value, &length) != 0) {
    return true;
  }
  return value != 0;
}

}  // namespace

absl::Status EnableReceive(Handle handle, AddressFamily family, ControlSet set,
                           bool on) {
  if (family == AddressFamily::kIPv4) {
    NET_RETURN_IF_ERROR(EnableV4(handle, set, on));
  } else if (family == AddressFamily::kIPv6) {
    NET_RETURN_IF_ERROR(EnableV6(handle, set, on));
    // A dual-stack socket: IPv4 datagrams carry the IPv4 items (Linux
    // takes the IPv4 options on an IPv6 socket for its mapped traffic).
    if (!IsV6Only(handle)) NET_RETURN_IF_ERROR(EnableV4(handle, set, on));
  }
  if (HasFlag(set, ControlSet::kTimestamp)) {
#if defined(SO_TIMESTAMPNS)
    NET_RETURN_IF_ERROR(
        SetInt(handle, SOL_SOCKET, SO_TIMESTAMPNS, on, "SO_TIMESTAMPNS"));
#else
    NET_RETURN_IF_ERROR(
        SetInt(handle, SOL_SOCKET, SO_TIMESTAMP, on, "SO_TIMESTAMP"));
#endif
  }
  if (HasFlag(set, ControlSet::kGroSize)) {
#if defined(__linux__)
    NET_RETURN_IF_ERROR(SetInt(handle, SOL_UDP, UDP_GRO, on, "UDP_GRO"));
#else
    return Unavailable("UDP_GRO");
#endif
  }
  if (HasFlag(set, ControlSet::kCredentials)) {
#if defined(__linux__)
    NET_RETURN_IF_ERROR(
        SetInt(handle, SOL_SOCKET, SO_PASSCRED, on, "SO_PASSCRED"));
#elif defined(__FreeBSD__) && defined(LOCAL_CREDS)
    NET_RETURN_IF_ERROR(SetInt(handle, 0, LOCAL_CREDS, on, "LOCAL_CREDS"));
#else
    return Unavailable("receiving credentials (SCM_CREDS)");
#endif
  }
  return absl::OkStatus();
}

std::size_t ControlSpace(ControlSet set, std::size_t descriptors) {
  std::size_t space = 0;
  // Both families' items: a dual-stack socket may deliver either.
  if (HasFlag(set, ControlSet::kPacketInfo)) {
    space += CMSG_SPACE(sizeof(in6_pktinfo));
#if defined(__linux__)
    space += CMSG_SPACE(sizeof(in_pktinfo));
#else
    space += CMSG_SPACE(sizeof(in_addr)) + CMSG_SPACE(sizeof(sockaddr_storage));
#endif
  }
  if (HasFlag(set, ControlSet::kHopLimit)) space += 2 * CMSG_SPACE(sizeof(int));
  if (HasFlag(set, ControlSet::kTrafficClass)) {
    space += 2 * CMSG_SPACE(sizeof(int));
  }
  if (HasFlag(set, ControlSet::kTimestamp)) {
    space += CMSG_SPACE(sizeof(timespec));
  }
  if (HasFlag(set, ControlSet::kGroSize)) space += CMSG_SPACE(sizeof(int));
  if (HasFlag(set, ControlSet::kCredentials)) {
    space += CMSG_SPACE(sizeof(NativeCredentials));
  }
  if (descriptors > 0) space += CMSG_SPACE(descriptors * sizeof(int));
  return space;
}

// --- Decoding ------------------------------------------------------------------

namespace {

// Copies a value of type T out of an item's data, if the item is that long.
template <typename T>
bool Read(const unsigned char* data, std::size_t length, T* out) {
  if (length < sizeof(T)) return false;
  std::memcpy(out, data, sizeof(T));
  return true;
}

// TTL, TOS and friends come as an int (Linux, and IPv6 everywhere) or as a
// single byte (IP_TOS on Linux; IP_RECVTTL and IP_RECVTOS on the BSDs).
bool ReadSmallInt(const unsigned char* data, std::size_t length, int* out) {
  if (length >= sizeof(int)) return Read(data, length, out);
  if (length >= 1) {
    *out = data[0];
    return true;
  }
  return false;
}

IpAddress V4FromNative(const in_addr& a) {
  IpAddress::V4Bytes bytes;
  std::memcpy(bytes.data(), &a, 4);
  return IpAddress::V4(bytes);
}

IpAddress V6FromNative(const in6_addr& a) {
  IpAddress::V6Bytes bytes;
  std::memcpy(bytes.data(), &a, 16);
  return IpAddress::V6(bytes);
}

PacketInfo& Info(ReceivedControl* out) {
  if (!out->packet_info.has_value()) out->packet_info.emplace();
  return *out->packet_info;
}

// One item; false if net does not know it.
bool DecodeItem(int level, int type, const unsigned char* data,
                std::size_t length, ReceivedControl* out,
                std::vector<Handle>* descriptors) {
  int value = 0;
  if (level == SOL_SOCKET) {
    if (type == SCM_RIGHTS) {
      for (std::size_t i = 0; i + sizeof(int) <= length; i += sizeof(int)) {
        int fd;
        std::memcpy(&fd, data + i, sizeof(fd));
        descriptors->push_back(posix::ToHandle(fd));
      }
      return true;
    }
    if (type == kCredentialsType) {
      NativeCredentials c;
      if (Read(data, length, &c)) out->credentials = FromNative(c);
      return true;
    }
#if defined(SCM_TIMESTAMPNS)
    if (type == SCM_TIMESTAMPNS) {
      timespec t;
      if (Read(data, length, &t)) out->timestamp = absl::TimeFromTimespec(t);
      return true;
    }
#endif
    if (type == SCM_TIMESTAMP) {
      timeval t;
      if (Read(data, length, &t)) out->timestamp = absl::TimeFromTimeval(t);
      return true;
    }
    return false;
  }
  if (level == IPPROTO_IP) {
#if defined(IP_PKTINFO) && defined(__linux__)
    if (type == IP_PKTINFO) {
      in_pktinfo info;
      if (Read(data, length, &info)) {
        Info(out).local = V4FromNative(info.ipi_addr);
        Info(out).interface_index = static_cast<std::uint32_t>(info.ipi_ifindex);
      }
      return true;
    }
#endif
#if defined(IP_RECVDSTADDR)
    if (type == IP_RECVDSTADDR) {
      in_addr a;
      if (Read(data, length, &a)) Info(out).local = V4FromNative(a);
      return true;
    }
#endif
#if defined(IP_RECVIF) && (defined(__FreeBSD__) || defined(__APPLE__))
    if (type == IP_RECVIF) {
      sockaddr_dl link;
      // sdl_index sits in the fixed head of sockaddr_dl.
      if (length >= offsetof(sockaddr_dl, sdl_index) + sizeof(link.sdl_index)) {
        std::memcpy(&link, data, std::min(length, sizeof(link)));
        Info(out).interface_index = link.sdl_index;
      }
      return true;
    }
#endif
    if (type == IP_TTL || type == IP_RECVTTL) {
      if (ReadSmallInt(data, length, &value)) out->hop_limit = value;
      return true;
    }
    if (type == IP_TOS || type == IP_RECVTOS) {
      if (ReadSmallInt(data, length, &value)) {
        out->traffic_class = static_cast<std::uint8_t>(value);
      }
      return true;
    }
    return false;
  }
  if (level == IPPROTO_IPV6) {
    if (type == IPV6_PKTINFO) {
      in6_pktinfo info;
      if (Read(data, length, &info)) {
        Info(out).local = V6FromNative(info.ipi6_addr);
        Info(out).interface_index = info.ipi6_ifindex;
      }
      return true;
    }
    if (type == IPV6_HOPLIMIT) {
      if (ReadSmallInt(data, length, &value)) out->hop_limit = value;
      return true;
    }
    if (type == IPV6_TCLASS) {
      if (ReadSmallInt(data, length, &value)) {
        out->traffic_class = static_cast<std::uint8_t>(value);
      }
      return true;
    }
    return false;
  }
#if defined(__linux__)
  if (level == SOL_UDP && type == UDP_GRO) {
    if (ReadSmallInt(data, length, &value)) {
      out->gro_size = static_cast<std::uint16_t>(value);
    }
    return true;
  }
#endif
  return false;
}

}  // namespace

void DecodeControl(const void* control, std::size_t length,
                   ReceivedControl* out, std::vector<Handle>* descriptors) {
  // Walked by hand rather than with CMSG_NXTHDR: some libcs' macro trusts
  // cmsg_len far enough to read past the buffer. Each header is copied out
  // (the buffer may be unaligned); an item whose length is shorter than a
  // header or runs past the end stops the walk.
  const auto* base = static_cast<const unsigned char*>(control);
  const std::size_t header = CMSG_LEN(0);  // aligned header size
  std::size_t offset = 0;
  while (length - offset >= sizeof(cmsghdr) && length - offset >= header) {
    cmsghdr h;
    std::memcpy(&h, base + offset, sizeof(h));
    const auto item = static_cast<std::size_t>(h.cmsg_len);
    if (item < header || item > length - offset) break;
    const std::size_t data_length = item - header;
    if (!DecodeItem(h.cmsg_level, h.cmsg_type, base + offset + header,
                    data_length, out, descriptors)) {
      ++out->unknown_items;
    }
    const std::size_t step = CMSG_SPACE(data_length);
    if (step > length - offset) break;
    offset += step;
  }
}

void CloseDescriptor(Handle handle) { posix::CloseHandle(Fd(handle)); }

// --- Encoding -------------------------------------------------------------------

namespace {

// Control room, aligned for cmsghdr: on the stack when small.
class ControlBuffer {
 public:
  explicit ControlBuffer(std::size_t size) : size_(size) {
    if (size > sizeof(inline_)) {
      heap_.reset(new Word[(size + sizeof(Word) - 1) / sizeof(Word)]);
    }
    std::memset(data(), 0, size);
  }
  char* data() {
    return heap_ ? reinterpret_cast<char*>(heap_.get())
                 : reinterpret_cast<char*>(inline_);
  }
  std::size_t size() const { return size_; }

 private:
  using Word = std::max_align_t;
  Word inline_[512 / sizeof(Word)];
  std::unique_ptr<Word[]> heap_;
  std::size_t size_;
};

// Appends items to a msghdr's control buffer, sized beforehand.
class ControlWriter {
 public:
  explicit ControlWriter(msghdr* message) : message_(message) {}
  void Add(int level, int type, const void* data, std::size_t length) {
    cmsghdr h{};
    h.cmsg_level = level;
    h.cmsg_type = type;
    h.cmsg_len = static_cast<decltype(h.cmsg_len)>(CMSG_LEN(length));
    char* at = static_cast<char*>(message_->msg_control) + used_;
    std::memcpy(at, &h, sizeof(h));
    std::memcpy(at + CMSG_LEN(0), data, length);
    used_ += CMSG_SPACE(length);
  }
  std::size_t used() const { return used_; }

 private:
  msghdr* message_;
  std::size_t used_ = 0;
};

std::size_t SendSpace(const SendControl& c) {
  std::size_t space = 0;
  if (c.packet_info.has_value()) space += CMSG_SPACE(sizeof(in6_pktinfo));
  if (c.hop_limit.has_value()) space += CMSG_SPACE(sizeof(int));
  if (c.traffic_class.has_value()) space += CMSG_SPACE(sizeof(int));
  if (c.segment_size.has_value()) space += CMSG_SPACE(sizeof(std::uint16_t));
  if (!c.descriptors.empty()) {
    space += CMSG_SPACE(c.descriptors.size() * sizeof(int));
  }
  if (c.credentials) space += CMSG_SPACE(sizeof(NativeCredentials));
  return space;
}

// Whether the IPv4 items apply: an IPv4 socket, or an IPv6 one sending to
// an IPv4-mapped destination.
bool SendsV4(AddressFamily family, const OutgoingMessage& m) {
  if (family == AddressFamily::kIPv4) return true;
  return m.to.has_value() && m.to->is_ip() && m.to->ip().IsV4Mapped();
}

IpAddress::V6Bytes Mapped(const IpAddress& a) {
  if (a.is_v6()) return a.v6_bytes();
  IpAddress::V6Bytes bytes{};
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  const IpAddress::V4Bytes v4 = a.v4_bytes();
  std::memcpy(bytes.data() + 12, v4.data(), 4);
  return bytes;
}

absl::Status Encode(AddressFamily family, const OutgoingMessage& m,
                    msghdr* message) {
  const SendControl& c = m.control;
  ControlWriter w(message);
  const bool v4 = SendsV4(family, m);
  if (c.packet_info.has_value()) {
    const PacketInfo& p = *c.packet_info;
    if (family == AddressFamily::kIPv4) {
#if defined(IP_PKTINFO) && defined(__linux__)
      in_pktinfo info{};
      info.ipi_ifindex = static_cast<int>(p.interface_index);
      const IpAddress::V4Bytes bytes = p.local.v4_bytes();
      std::memcpy(&info.ipi_spec_dst, bytes.data(), 4);
      w.Add(IPPROTO_IP, IP_PKTINFO, &info, sizeof(info));
#elif defined(IP_SENDSRCADDR)
      in_addr a;
      const IpAddress::V4Bytes bytes = p.local.v4_bytes();
      std::memcpy(&a, bytes.data(), 4);
      w.Add(IPPROTO_IP, IP_SENDSRCADDR, &a, sizeof(a));
#else
      return Unavailable("sending IP_PKTINFO");
#endif
    } else {
      // An IPv6 socket: IPv4 sources as mapped addresses (Linux turns an
      // IPV6_PKTINFO with one into the IPv4 source of mapped traffic).
      in6_pktinfo info{};
      const IpAddress::V6Bytes bytes =
          p.local.IsUnspecified() && p.local.is_v4() ? IpAddress::V6Bytes{}
                                                     : Mapped(p.local);
      std::memcpy(&info.ipi6_addr, bytes.data(), 16);
      info.ipi6_ifindex = p.interface_index;
      w.Add(IPPROTO_IPV6, IPV6_PKTINFO, &info, sizeof(info));
    }
  }
  if (c.hop_limit.has_value()) {
    const int value = *c.hop_limit;
    if (v4) {
      w.Add(IPPROTO_IP, IP_TTL, &value, sizeof(value));
    } else {
      w.Add(IPPROTO_IPV6, IPV6_HOPLIMIT, &value, sizeof(value));
    }
  }
  if (c.traffic_class.has_value()) {
    const int value = *c.traffic_class;
    if (v4) {
      w.Add(IPPROTO_IP, IP_TOS, &value, sizeof(value));
    } else {
      w.Add(IPPROTO_IPV6, IPV6_TCLASS, &value, sizeof(value));
    }
  }
  if (c.segment_size.has_value()) {
#if defined(__linux__)
    const std::uint16_t size = *c.segment_size;
    w.Add(SOL_UDP, UDP_SEGMENT, &size, sizeof(size));
#else
    return Unavailable("UDP_SEGMENT (GSO)");
#endif
  }
  if (!c.descriptors.empty()) {
    std::vector<int> fds;
    fds.reserve(c.descriptors.size());
    for (Handle d : c.descriptors) fds.push_back(Fd(d));
    w.Add(SOL_SOCKET, SCM_RIGHTS, fds.data(), fds.size() * sizeof(int));
  }
  if (c.credentials) {
#if defined(__linux__)
    ucred own{getpid(), geteuid(), getegid()};
    w.Add(SOL_SOCKET, SCM_CREDENTIALS, &own, sizeof(own));
#elif defined(__FreeBSD__)
    cmsgcred own{};  // the kernel fills it in
    w.Add(SOL_SOCKET, SCM_CREDS, &own, sizeof(own));
#else
    return Unavailable("sending credentials (SCM_CREDS)");
#endif
  }
  message->msg_controllen =
      static_cast<decltype(message->msg_controllen)>(w.used());
  if (w.used() == 0) message->msg_control = nullptr;
  return absl::OkStatus();
}

// The parts of one outgoing msghdr that must outlive the call.
struct OutgoingNative {
  explicit OutgoingNative(const OutgoingMessage& m)
      : control(SendSpace(m.control)) {}
  iovec vectors[Socket::kMaxIoVectors];
  ControlBuffer control;
};

absl::Status Prepare(const OutgoingMessage& m, OutgoingNative* native,
                     msghdr* message) {
  for (std::size_t i = 0; i < m.buffers.size(); ++i) {
    native->vectors[i].iov_base = const_cast<char*>(m.buffers[i].data());
    native->vectors[i].iov_len = m.buffers[i].size();
  }
  *message = msghdr{};
  message->msg_iov = native->vectors;
  message->msg_iovlen =
      static_cast<decltype(message->msg_iovlen)>(m.buffers.size());
  if (m.to.has_value()) {
    message->msg_name = const_cast<sockaddr*>(m.to->native());
    message->msg_namelen = static_cast<socklen_t>(m.to->native_length());
  }
  message->msg_control = native->control.data();
  return absl::OkStatus();
}

// The parts of one incoming msghdr.
struct IncomingNative {
  explicit IncomingNative(const IncomingMessage& m)
      : control(m.control_capacity) {}
  iovec vectors[Socket::kMaxIoVectors];
  ControlBuffer control;
};

void PrepareIncoming(IncomingMessage* m, IncomingNative* native,
                     SocketAddress* from, msghdr* message) {
  for (std::size_t i = 0; i < m->buffers.size(); ++i) {
    native->vectors[i].iov_base = m->buffers[i].data();
    native->vectors[i].iov_len = m->buffers[i].size();
  }
  *message = msghdr{};
  message->msg_iov = native->vectors;
  message->msg_iovlen =
      static_cast<decltype(message->msg_iovlen)>(m->buffers.size());
  message->msg_name = from->mutable_native();
  message->msg_namelen = SocketAddress::kStorageSize;
  message->msg_control =
      native->control.size() > 0 ? native->control.data() : nullptr;
  message->msg_controllen =
      static_cast<decltype(message->msg_controllen)>(native->control.size());
}

// After a receive of `n` bytes: the sender, the flags and the control data.
// The descriptors are owned first of all, before anything can return.
void Finish(const msghdr& message, std::size_t n, SocketAddress* from,
            IncomingMessage* m) {
  std::vector<Handle> descriptors;
  if (message.msg_control != nullptr) {
    DecodeControl(message.msg_control,
                  std::min<std::size_t>(message.msg_controllen,
                                        m->control_capacity),
                  &m->control, &descriptors);
  }
  for (Handle d : descriptors) {
    m->control.descriptors.emplace_back(d);
    if (kCloexecFlag == 0) (void)fcntl(Fd(d), F_SETFD, FD_CLOEXEC);
  }
  m->bytes = n;
  m->data_truncated = (message.msg_flags & MSG_TRUNC) != 0;
  m->control_truncated = (message.msg_flags & MSG_CTRUNC) != 0;
  if (message.msg_namelen > 0) {
    from->set_native_length(message.msg_namelen);
    m->from = *from;
  }
}

}  // namespace

absl::StatusOr<IoResult> SendMessage(Handle handle, AddressFamily family,
                                     const OutgoingMessage& message,
                                     MessageFlags flags) {
  OutgoingNative native(message);
  msghdr m;
  NET_RETURN_IF_ERROR(Prepare(message, &native, &m));
  NET_RETURN_IF_ERROR(Encode(family, message, &m));
  const int native_flags = bsd::NativeMessageFlags(flags) | posix::SendFlags();
  const ssize_t n = RetryOnEintr([&] {
    return NET_FAULT(kSend, handle, -1, sendmsg(Fd(handle), &m, native_flags));
  });
  if (n >= 0) return IoResult::Transferred(static_cast<std::size_t>(n));
  if (posix::IsWouldBlockErrno(errno)) return IoResult::WouldBlock();
  if (message.to.has_value()) return Fail("sendmsg", *message.to);
  return Fail("sendmsg");
}

namespace {

absl::StatusOr<IoResult> ReceiveOne(Handle handle, IncomingMessage* message,
                                    int native_flags) {
  IncomingNative native(*message);
  SocketAddress from;
  msghdr m;
  native_flags |= kCloexecFlag;
  const ssize_t n = RetryOnEintr([&] {
    PrepareIncoming(message, &native, &from, &m);
    return NET_FAULT(kReceive, handle, -1,
                     recvmsg(Fd(handle), &m, native_flags));
  });
  if (n < 0) {
    if (posix::IsWouldBlockErrno(errno)) return IoResult::WouldBlock();
    return Fail("recvmsg");
  }
  Finish(m, static_cast<std::size_t>(n), &from, message);
  return message->data_truncated
             ? IoResult::Truncated(static_cast<std::size_t>(n))
             : IoResult::Transferred(static_cast<std::size_t>(n));
}

}  // namespace

absl::StatusOr<IoResult> ReceiveMessage(Handle handle, IncomingMessage* message,
                                        MessageFlags flags) {
  return ReceiveOne(handle, message, bsd::NativeMessageFlags(flags));
}

#if defined(__linux__)

// sendmmsg / recvmmsg: one system call for the batch.
absl::StatusOr<std::size_t> SendMessages(
    Handle handle, AddressFamily family,
    absl::Span<const OutgoingMessage> messages, MessageFlags flags) {
  std::vector<std::unique_ptr<OutgoingNative>> natives;
  std::vector<mmsghdr> headers(messages.size());
  natives.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    natives.push_back(std::make_unique<OutgoingNative>(messages[i]));
    headers[i] = mmsghdr{};
    NET_RETURN_IF_ERROR(
        Prepare(messages[i], natives.back().get(), &headers[i].msg_hdr));
    NET_RETURN_IF_ERROR(Encode(family, messages[i], &headers[i].msg_hdr));
  }
  const int native_flags = bsd::NativeMessageFlags(flags) | posix::SendFlags();
  const int n = RetryOnEintr([&] {
    return NET_FAULT(kSend, handle, -1,
                     sendmmsg(Fd(handle), headers.data(),
                              static_cast<unsigned>(headers.size()),
                              native_flags));
  });
  if (n >= 0) return static_cast<std::size_t>(n);
  if (posix::IsWouldBlockErrno(errno)) return std::size_t{0};
  return Fail("sendmmsg");
}

absl::StatusOr<std::size_t> ReceiveMessages(
    Handle handle, absl::Span<IncomingMessage> messages, MessageFlags flags) {
  std::vector<std::unique_ptr<IncomingNative>> natives;
  std::vector<SocketAddress> from(messages.size());
  std::vector<mmsghdr> headers(messages.size());
  natives.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    natives.push_back(std::make_unique<IncomingNative>(messages[i]));
  }
  const int native_flags =
      bsd::NativeMessageFlags(flags) | kCloexecFlag | MSG_WAITFORONE;
  const int n = RetryOnEintr([&] {
    for (std::size_t i = 0; i < messages.size(); ++i) {
      headers[i] = mmsghdr{};
      PrepareIncoming(&messages[i], natives[i].get(), &from[i],
                      &headers[i].msg_hdr);
    }
    return NET_FAULT(kReceive, handle, -1,
                     recvmmsg(Fd(handle), headers.data(),
                              static_cast<unsigned>(headers.size()),
                              native_flags, nullptr));
  });
  if (n < 0) {
    if (posix::IsWouldBlockErrno(errno)) return std::size_t{0};
    return Fail("recvmmsg");
  }
  for (int i = 0; i < n; ++i) {
    Finish(headers[i].msg_hdr, headers[i].msg_len, &from[i], &messages[i]);
  }
  return static_cast<std::size_t>(n);
}

#else  // !__linux__

// A loop of the single calls where the OS has no batch call.
absl::StatusOr<std::size_t> SendMessages(
    Handle handle, AddressFamily family,
    absl::Span<const OutgoingMessage> messages, MessageFlags flags) {
  return bsd::EachMessage(messages, [&](const OutgoingMessage& message, bool) {
    return SendMessage(handle, family, message, flags);
  });
}

absl::StatusOr<std::size_t> ReceiveMessages(
    Handle handle, absl::Span<IncomingMessage> messages, MessageFlags flags) {
  return bsd::EachMessage(messages, [&](IncomingMessage& message, bool first) {
    // After the first, do not wait: MSG_WAITFORONE's rule.
    return ReceiveOne(handle, &message,
                      bsd::NativeMessageFlags(flags) | (first ? 0 : MSG_DONTWAIT));
  });
}

#endif  // __linux__

}  // namespace net::sys
