// Copyright 2026 The net Authors.
//
// The WSA translation table (platform/windows/errors_windows.cc) against the
// Winsock headers and against errors Winsock really raises. The mapping of
// names to portable errors is checked for every backend by
// tests/contract/error_table_test.cc, from the one list of expectations
// (tests/contract/error_expectations.h); what only Windows can check is that
// each name stands for the number the headers give it, and that real
// WSAGetLastError() values land on the same rows.

#include <cstring>
#include <string>

#include "core/errors_internal.h"
#include "platform/sys.h"
#include "platform/windows/winsock_internal.h"
#include "tests/contract/error_expectations.h"
#include "tests/test_util.h"

namespace {

struct Constant {
  const char* name;
  int value;
};

// The Winsock names the expectation list uses, with their header values.
#define NET_CONSTANT(name) {#name, name}
constexpr Constant kConstants[] = {
    NET_CONSTANT(WSAEADDRINUSE),      NET_CONSTANT(WSAEADDRNOTAVAIL),
    NET_CONSTANT(WSAECONNREFUSED),    NET_CONSTANT(WSAECONNRESET),
    NET_CONSTANT(WSAECONNABORTED),    NET_CONSTANT(WSAETIMEDOUT),
    NET_CONSTANT(WSAEHOSTUNREACH),    NET_CONSTANT(WSAEHOSTDOWN),
    NET_CONSTANT(WSAENETUNREACH),     NET_CONSTANT(WSAENETDOWN),
    NET_CONSTANT(WSAENETRESET),       NET_CONSTANT(WSAESHUTDOWN),
    NET_CONSTANT(WSAENOTCONN),        NET_CONSTANT(WSAEISCONN),
    NET_CONSTANT(WSAEINPROGRESS),     NET_CONSTANT(WSAEALREADY),
    NET_CONSTANT(WSAEWOULDBLOCK),     NET_CONSTANT(WSAEINTR),
    NET_CONSTANT(WSAEMSGSIZE),        NET_CONSTANT(WSAENOBUFS),
    NET_CONSTANT(WSAEMFILE),          NET_CONSTANT(WSAEACCES),
    NET_CONSTANT(WSAEAFNOSUPPORT),    NET_CONSTANT(WSAEPFNOSUPPORT),
    NET_CONSTANT(WSAEPROTONOSUPPORT), NET_CONSTANT(WSAESOCKTNOSUPPORT),
    NET_CONSTANT(WSAEPROTOTYPE),      NET_CONSTANT(WSAENOPROTOOPT),
    NET_CONSTANT(WSAEOPNOTSUPP),      NET_CONSTANT(WSAEINVAL),
    NET_CONSTANT(WSAENOTSOCK),        NET_CONSTANT(WSAEBADF),
    NET_CONSTANT(WSAEFAULT),          NET_CONSTANT(WSAEDESTADDRREQ),
    NET_CONSTANT(WSA_OPERATION_ABORTED), NET_CONSTANT(WSANOTINITIALISED),
    NET_CONSTANT(WSAHOST_NOT_FOUND),  NET_CONSTANT(WSATRY_AGAIN),
    NET_CONSTANT(WSANO_RECOVERY),     NET_CONSTANT(WSATYPE_NOT_FOUND),
    NET_CONSTANT(WSA_NOT_ENOUGH_MEMORY), NET_CONSTANT(WSANO_DATA),
};
#undef NET_CONSTANT

const Constant* FindConstant(absl::string_view name) {
  for (const Constant& c : kConstants) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

template <std::size_t N>
void CheckNumbers(const net_test::ErrorExpectation (&expectations)[N],
                  absl::Span<const net::sys::ErrorRow> table) {
  for (const net_test::ErrorExpectation& e : expectations) {
    if (*e.windows == '\0') continue;
    CAPTURE(e.windows);
    const Constant* constant = FindConstant(e.windows);
    REQUIRE(constant != nullptr);  // kConstants covers the whole list
    const net::sys::ErrorRow* row = net_test::FindErrorRow(table, e.windows);
    REQUIRE(row != nullptr);
    CHECK(row->native == constant->value);
  }
}

net::SocketError Translated(int native) {
  return net::internal::TranslateError(native);
}

}  // namespace

TEST_CASE("each WSA row carries the number the Winsock headers give its name") {
  CheckNumbers(net_test::kSocketErrorExpectations, net::sys::ErrorTable());
  CheckNumbers(net_test::kResolverErrorExpectations,
               net::sys::ResolverErrorTable());
}

TEST_CASE("errors Winsock really raises land on their portable errors") {
  NET_REQUIRE_OK(net::sys::EnsureInitialized());  // raw calls follow
  // Not a socket.
  CHECK(closesocket(INVALID_SOCKET) == SOCKET_ERROR);
  CHECK(Translated(net::sys::LastError()) == net::SocketError::kNotASocket);

  // An address family Winsock does not know.
  CHECK(socket(12345, SOCK_STREAM, 0) == INVALID_SOCKET);
  CHECK(Translated(net::sys::LastError()) ==
        net::SocketError::kAddressFamilyNotSupported);

  // A receive on a stream socket that is not connected.
  SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(s != INVALID_SOCKET);
  char byte;
  CHECK(recv(s, &byte, 1, 0) == SOCKET_ERROR);
  CHECK(Translated(net::sys::LastError()) == net::SocketError::kNotConnected);

  // A non-blocking accept with nothing pending.
  net::Socket listener = net_test::Listen();
  u_long on = 1;
  const SOCKET l = static_cast<SOCKET>(listener.native_handle());
  REQUIRE(ioctlsocket(l, FIONBIO, &on) == 0);
  CHECK(accept(l, nullptr, nullptr) == INVALID_SOCKET);
  CHECK(Translated(net::sys::LastError()) == net::SocketError::kWouldBlock);

  // A connect to a port nobody listens on.
  net::SocketAddress closed = net_test::LocalAddressOf(listener);
  REQUIRE(listener.Close().ok());
  CHECK(connect(s, closed.native(), static_cast<int>(closed.native_length())) ==
        SOCKET_ERROR);
  CHECK(Translated(net::sys::LastError()) ==
        net::SocketError::kConnectionRefused);
  closesocket(s);
}

TEST_CASE("resolver codes from GetAddrInfoW land on their portable errors") {
  NET_REQUIRE_OK(net::sys::EnsureInitialized());
  ADDRINFOW hints{};
  hints.ai_flags = AI_NUMERICHOST;
  ADDRINFOW* result = nullptr;
  const int rc = GetAddrInfoW(L"not-a-number", L"80", &hints, &result);
  REQUIRE(rc != 0);
  CAPTURE(rc);
  CHECK(net::internal::TranslateResolverError(rc) ==
        net::SocketError::kHostNotFound);
}

TEST_CASE("Winsock statuses never carry FormatMessage text") {
  absl::Status s = net::internal::SystemError("connect", "127.0.0.1:9",
                                              WSAECONNREFUSED);
  CHECK(std::string(s.message()) ==
        "connect 127.0.0.1:9: connection refused [WSAECONNREFUSED 10061]");
}
