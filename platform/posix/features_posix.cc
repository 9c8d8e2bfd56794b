// Copyright 2026 The net Authors.
//
// Whole-feature capability answers on POSIX (`net::CheckSupported(Feature)`):
// what the headers promise, confirmed at run time where the kernel or the
// process's privileges decide; and how many CPUs a thread may run on
// (`net::AvailableParallelism()`). The Windows twin is features_windows.cc; the
// answers both give by opening a socket are bsd::ProbedFeatureSupport()
// (platform/bsd/options_bsd.h), with this file's Probe().

#include <errno.h>
#include <netinet/in.h>
#if defined(__linux__)
#include <sched.h>
#endif
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/errors_internal.h"
#include "core/options_internal.h"
#include "net/options.h"
#include "platform/posix/options_internal_posix.h"
#include "platform/posix/posix_internal.h"
#include "platform/sys.h"

// After the OS headers above (platform/bsd/socket_bsd.h says why).
#include "platform/bsd/options_bsd.h"

namespace net::sys {
namespace {

using posix::PlatformName;

// ReusePortBalances()
//
// Linux (3.9+) spreads connections and datagrams over the sockets sharing a
// port with SO_REUSEPORT; FreeBSD does it with SO_REUSEPORT_LB; macOS'
// SO_REUSEPORT only lets them bind (the last one gets the traffic).
constexpr bool ReusePortBalances() {
#if defined(__linux__) && defined(SO_REUSEPORT)
  return true;
#elif defined(SO_REUSEPORT_LB)
  return true;
#else
  return false;
#endif
}

// Opens and closes a socket; the status of the attempt.
absl::Status Probe(int family, int type, int protocol, absl::string_view what) {
  int fd = posix::OpenCloexec(family, type, protocol);
  if (fd < 0) return internal::SystemError("socket", what, errno);
  posix::CloseHandle(fd);
  return absl::OkStatus();
}

absl::Status DualStackProbe() {
  int fd = posix::OpenCloexec(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return internal::SystemError("socket", "ipv6 stream", errno);
  const int off = 0;
  absl::Status status;
  if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) != 0) {
    status = internal::SystemError("setsockopt IPV6_V6ONLY", "false", errno);
  }
  posix::CloseHandle(fd);
  return status;
}

}  // namespace

absl::Status FeatureSupport(Feature feature) {
  switch (feature) {
    case Feature::kAbstractUnixSockets:
      if (posix::HasAbstractUnixNamespace()) return absl::OkStatus();
      return internal::NotAvailable(absl::StrCat(
          "abstract unix sockets are not available on ", PlatformName()));
    case Feature::kSctp:
      return posix::SctpSupport("");
    case Feature::kReusePortLoadBalancing:
      if (ReusePortBalances()) return absl::OkStatus();
      return internal::NotAvailable(absl::StrCat(
          "SO_REUSEPORT load balancing is not available on ", PlatformName()));
    case Feature::kDescriptorPassing:
      return absl::OkStatus();  // SCM_RIGHTS is POSIX
    case Feature::kCredentialPassing:
      // SCM_CREDENTIALS (Linux), SCM_CREDS (FreeBSD); macOS has no
      // reliable per-message credentials (message_posix.cc).
#if defined(__linux__) || defined(__FreeBSD__)
      return absl::OkStatus();
#else
      return internal::NotAvailable(absl::StrCat(
          "credential passing (SCM_CREDS) is not available on ",
          PlatformName()));
#endif
    case Feature::kUdpSegmentation:
#if defined(__linux__)
      return absl::OkStatus();
#else
      return internal::NotAvailable(absl::StrCat(
          "UDP GSO/GRO is not available on ", PlatformName()));
#endif
    default:
      return bsd::ProbedFeatureSupport(feature, Probe, DualStackProbe);
  }
}

int AvailableParallelism() {
#if defined(__linux__)
  // The calling thread's affinity, in a set grown until the kernel's mask
  // fits (EINVAL: more CPUs than the set holds).
  for (int cpus = CPU_SETSIZE; cpus <= (1 << 20); cpus *= 2) {
    cpu_set_t* set = CPU_ALLOC(cpus);
    if (set == nullptr) break;
    const std::size_t size = CPU_ALLOC_SIZE(cpus);
    const bool got = sched_getaffinity(0, size, set) == 0;
    const int error = errno;
    const int count = got ? CPU_COUNT_S(size, set) : 0;
    CPU_FREE(set);
    if (count > 0) return count;
    if (got || error != EINVAL) break;
  }
#endif
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

}  // namespace net::sys
