// Copyright 2026 The net Authors.
//
// Small POSIX helpers shared by the test code that runs child processes:
// tests/posix/netns_util.cc (commands in throwaway network namespaces) and
// tests/tls/openssl_peer.cc (`openssl s_server` / `s_client` peers). Header
// only: the two are built into different targets (posix_test and
// net_tls_test_support), and a test may link both.

#ifndef NET_TESTS_POSIX_SUBPROCESS_H_
#define NET_TESTS_POSIX_SUBPROCESS_H_

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"

namespace net_test {

// "Connection refused (errno 111)".
inline std::string ErrnoText(int error) {
  return absl::StrCat(std::strerror(error), " (errno ", error, ")");
}

// pipe(2) with both ends close-on-exec: atomically where pipe2 exists, so
// that a child another thread forks meanwhile cannot inherit them.
inline bool MakePipe(int fds[2]) {
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__)
  return pipe2(fds, O_CLOEXEC) == 0;
#else
  if (pipe(fds) != 0) return false;
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  return true;
#endif
}

}  // namespace net_test

#endif  // NET_TESTS_POSIX_SUBPROCESS_H_
