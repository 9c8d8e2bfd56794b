// Copyright 2026 The net Authors.
//
// The backend's translation tables, row by row, against the one list of
// expectations shared by every backend (error_expectations.h), and the
// message and payload every OS error carries.

#include <set>
#include <string>

#include "core/errors_internal.h"
#include "platform/sys.h"
#include "tests/contract/error_expectations.h"
#include "tests/test_util.h"

namespace {

bool IsWindows() { return net::sys::BackendName() == "windows"; }

template <std::size_t N>
void CheckTable(const net_test::ErrorExpectation (&expectations)[N],
                absl::Span<const net::sys::ErrorRow> table, bool resolver) {
  int checked = 0;
  for (const net_test::ErrorExpectation& e : expectations) {
    const char* name = IsWindows() ? e.windows : e.posix;
    if (*name == '\0') continue;  // this OS has no such code
    CAPTURE(name);
    const net::sys::ErrorRow* row = net_test::FindErrorRow(table, name);
    if (row == nullptr && !IsWindows() &&
        absl::string_view(name) == "EAI_NODATA") {
      continue;  // not every libc has EAI_NODATA (musl, macOS)
    }
    REQUIRE(row != nullptr);
    CHECK(row->error == e.error);
    // A lookup by number gives the same portable error (the first row with
    // that number wins where two names share one, e.g. EAGAIN/EWOULDBLOCK).
    net::SocketError by_number =
        resolver ? net::internal::TranslateResolverError(row->native)
                 : net::internal::TranslateError(row->native);
    CHECK(by_number == e.error);
    ++checked;
  }
  CHECK(checked > 0);
}

}  // namespace

TEST_CASE("every expected native socket error maps to its portable error") {
  CheckTable(net_test::kSocketErrorExpectations, net::sys::ErrorTable(), false);
}

TEST_CASE("every expected resolver error maps to its portable error") {
  CheckTable(net_test::kResolverErrorExpectations,
             net::sys::ResolverErrorTable(), true);
}

TEST_CASE("every table row is named and maps to a known portable error") {
  // Names are unique within a table. Across the two they may repeat: on
  // Windows the resolver reports some socket codes (EAI_FAMILY is
  // WSAEAFNOSUPPORT).
  for (auto table : {net::sys::ErrorTable(), net::sys::ResolverErrorTable()}) {
    std::set<std::string> names;
    for (const net::sys::ErrorRow& row : table) {
      CAPTURE(row.name);
      CHECK(std::string(row.name).size() > 1);
      CHECK(row.error != net::SocketError::kNone);
      CHECK(row.error != net::SocketError::kUnknown);
      CHECK(names.insert(row.name).second);  // no name listed twice
    }
  }
}

TEST_CASE("an OS error status names the operation, subject, meaning and code") {
  const net::sys::ErrorRow* row = net_test::FindErrorRow(
      net::sys::ErrorTable(), IsWindows() ? "WSAECONNREFUSED" : "ECONNREFUSED");
  REQUIRE(row != nullptr);
  absl::Status s =
      net::internal::SystemError("connect", "127.0.0.1:9", row->native);
  CHECK(s.code() == absl::StatusCode::kUnavailable);
  CHECK(net::GetSocketError(s) == net::SocketError::kConnectionRefused);
  REQUIRE(net::GetNativeError(s).has_value());
  CHECK(*net::GetNativeError(s) == row->native);
  const std::string message(s.message());
  CHECK(message.rfind("connect 127.0.0.1:9: connection refused [", 0) == 0);
  CHECK(message.find(row->name) != std::string::npos);
}

TEST_CASE("an unknown native code keeps its number and says unknown") {
  absl::Status s = net::internal::SystemError("send", "", 987654);
  CHECK(net::GetSocketError(s) == net::SocketError::kUnknown);
  CHECK(s.code() == absl::StatusCode::kUnknown);
  REQUIRE(net::GetNativeError(s).has_value());
  CHECK(*net::GetNativeError(s) == 987654);
  CHECK(std::string(s.message()).find("987654") != std::string::npos);
}
