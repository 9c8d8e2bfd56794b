// Copyright 2026 The net Authors.
//
// Whole-feature capability answers on Windows (`net::CheckSupported(Feature)`),
// probed at run time where the OS version or the process's rights decide
// (AF_UNIX exists from Windows 10 1803 and not under wine; raw sockets need
// an administrator). The POSIX twin is features_posix.cc; the answers both
// give by opening a socket are bsd::ProbedFeatureSupport()
// (platform/bsd/options_bsd.h), with this file's Probe(). Also how many
// CPUs the process may run on (`net::AvailableParallelism()`).

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>

#include "absl/numeric/bits.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/options.h"
#include "platform/sys.h"
#include "platform/windows/options_internal_windows.h"
#include "platform/windows/winsock_internal.h"

// After the OS headers (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/options_bsd.h"

namespace net::sys {
namespace {

// Opens and closes a socket; the status of the attempt.
absl::Status Probe(int family, int type, int protocol, absl::string_view what) {
  SOCKET s = windows::OpenSocket(family, type, protocol);
  if (s == INVALID_SOCKET) return windows::Fail("socket", what);
  closesocket(s);
  return absl::OkStatus();
}

absl::Status DualStackProbe() {
  SOCKET s = windows::OpenSocket(AF_INET6, SOCK_STREAM, 0);
  if (s == INVALID_SOCKET) return windows::Fail("socket", "ipv6 stream");
  const DWORD off = 0;
  absl::Status status;
  if (setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY,
                 reinterpret_cast<const char*>(&off), sizeof(off)) != 0) {
    status = windows::Fail("setsockopt IPV6_V6ONLY", "false");
  }
  closesocket(s);
  return status;
}

absl::Status RunProbe(OptionId id, const windows::ProbeSpec& p) {
  SOCKET s = windows::OpenSocket(p.family, p.type, 0);
  if (s == INVALID_SOCKET) return absl::OkStatus();  // cannot tell
  alignas(8) char buffer[1024] = {};
  int length = std::min<int>(p.size, sizeof(buffer));
  int error = 0;
  bool kept = true;
  switch (p.kind) {
    case windows::ProbeKind::kGet:
      if (getsockopt(s, p.level, p.name, buffer, &length) != 0) {
        error = WSAGetLastError();
      }
      break;
    case windows::ProbeKind::kGetSticky: {
      const DWORD one = 1;
      if (setsockopt(s, p.level, p.name, reinterpret_cast<const char*>(&one),
                     sizeof(one)) != 0) {
        error = WSAGetLastError();
        break;
      }
      DWORD value = 0;
      int value_length = sizeof(value);
      if (getsockopt(s, p.level, p.name, reinterpret_cast<char*>(&value),
                     &value_length) != 0) {
        error = WSAGetLastError();
      } else {
        // A 1-byte BOOL answer leaves the other bytes zero.
        kept = value != 0;
      }
      break;
    }
    case windows::ProbeKind::kSetZeroed:
      if (setsockopt(s, p.level, p.name, buffer, length) != 0) {
        error = WSAGetLastError();
      }
      break;
  }
  closesocket(s);
  if (error == WSAENOPROTOOPT) {
    return windows::NotOnWindows(
        id, "this Windows version (or wine) does not implement it");
  }
  if (!kept) {
    return windows::NotOnWindows(
        id, "this Windows (or wine) accepts it but does not keep it");
  }
  return absl::OkStatus();
}

}  // namespace

namespace windows {

absl::Status ProbeOption(OptionId id, const ProbeSpec& spec) {
  static std::mutex mutex;
  static std::map<OptionId, absl::Status>* const answers =
      new std::map<OptionId, absl::Status>();
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = answers->find(id);
    if (it != answers->end()) return it->second;
  }
  absl::Status answer = RunProbe(id, spec);
  std::lock_guard<std::mutex> lock(mutex);
  return answers->emplace(id, std::move(answer)).first->second;
}

}  // namespace windows

absl::Status FeatureSupport(Feature feature) {
  switch (feature) {
    case Feature::kAbstractUnixSockets:
      return internal::NotAvailable(
          "abstract unix sockets are not available on Windows");
    case Feature::kSctp:
      return windows::SctpSupport("");
    case Feature::kReusePortLoadBalancing:
      return internal::NotAvailable(
          "SO_REUSEPORT load balancing is not available on Windows");
    case Feature::kDescriptorPassing:
      return internal::NotAvailable(
          "descriptor passing (SCM_RIGHTS) is not available on Windows");
    case Feature::kCredentialPassing:
      return internal::NotAvailable(
          "credential passing (SCM_CREDENTIALS) is not available on Windows");
    case Feature::kUdpSegmentation:
      return internal::NotAvailable(
          "UDP GSO/GRO (UDP_SEGMENT) is not available through net on Windows");
    default:
      return bsd::ProbedFeatureSupport(feature, Probe, DualStackProbe);
  }
}

int AvailableParallelism() {
  // The process's mask covers its processor group alone (at most 64).
  DWORD_PTR process = 0;
  DWORD_PTR system = 0;
  if (GetProcessAffinityMask(GetCurrentProcess(), &process, &system) &&
      process != 0) {
    return absl::popcount(static_cast<std::uint64_t>(process));
  }
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  return info.dwNumberOfProcessors > 0
             ? static_cast<int>(info.dwNumberOfProcessors)
             : 1;
}

}  // namespace net::sys
