// Copyright 2026 The net Authors.
//
// Compiled by both consumer projects: proves that including <net/net.h>
// leaves the user's translation unit free of operating-system socket
// headers and of <windows.h> macros (shared/DESIGN.md, "Layers"). Each
// `#error` names the leak. Nothing here runs; building it is the test.

#include <net/net.h>

// <windows.h> macros that break ordinary C++ (NOMINMAX not defined here on
// purpose: a user of net must not need it).
#if defined(min) || defined(max)
#error "<net/net.h> defines min/max macros (windows.h leaked)"
#endif
#if defined(ERROR) || defined(interface) || defined(near) || defined(far)
#error "<net/net.h> defines windows.h macros (ERROR/interface/near/far)"
#endif
#if defined(_WINDOWS_) || defined(_INC_WINDOWS) || defined(_WINSOCKAPI_) || \
    defined(_WINSOCK2API_) || defined(_WS2TCPIP_H_) || defined(INVALID_SOCKET)
#error "<net/net.h> includes windows.h or winsock"
#endif

// The BSD socket API (glibc and BSD/macOS include guards, and the constants
// every socket header defines).
#if defined(_SYS_SOCKET_H) || defined(_SYS_SOCKET_H_) ||                      \
    defined(_NETINET_IN_H) || defined(_NETINET_IN_H_) || defined(_NETDB_H) || \
    defined(_NETDB_H_) || defined(_ARPA_INET_H) || defined(_ARPA_INET_H_)
#error "<net/net.h> includes <sys/socket.h>, <netinet/in.h> or <netdb.h>"
#endif
#if defined(AF_INET) || defined(AF_INET6) || defined(AF_UNIX) ||            \
    defined(SOCK_STREAM) || defined(SOL_SOCKET) || defined(MSG_NOSIGNAL) || \
    defined(INADDR_ANY)
#error "<net/net.h> defines socket constants (an OS socket header leaked)"
#endif

#include <algorithm>
#include <limits>

// What the macros above would break, spelled out.
int HygieneMinMax(int a, int b) {
  return std::min(a, b) + std::max(a, b) +
         (std::numeric_limits<int>::max() > 0 ? 0 : 1);
}
