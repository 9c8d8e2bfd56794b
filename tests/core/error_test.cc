// Copyright 2026 The net Authors.
//
// The portable error model: names, canonical codes, predicates, and the
// payload that survives copies of a status.

#include <limits>
#include <set>
#include <string>

#include "core/errors_internal.h"
#include "tests/test_util.h"

namespace {

using net::SocketError;

constexpr int kLast = static_cast<int>(SocketError::kUnknown);

}  // namespace

TEST_CASE("every portable error has a distinct lowercase name") {
  std::set<std::string> names;
  for (int i = 0; i <= kLast; ++i) {
    std::string name(net::SocketErrorName(static_cast<SocketError>(i)));
    CAPTURE(name);
    CHECK(!name.empty());
    for (char c : name) CHECK_FALSE((c >= 'A' && c <= 'Z'));
    CHECK(names.insert(name).second);
  }
}

TEST_CASE("canonical status codes follow the documented mapping") {
  using C = absl::StatusCode;
  CHECK(net::SocketErrorToStatusCode(SocketError::kNone) == C::kOk);
  CHECK(net::SocketErrorToStatusCode(SocketError::kConnectionRefused) == C::kUnavailable);
  CHECK(net::SocketErrorToStatusCode(SocketError::kTimedOut) == C::kDeadlineExceeded);
  CHECK(net::SocketErrorToStatusCode(SocketError::kAddressInUse) == C::kAlreadyExists);
  CHECK(net::SocketErrorToStatusCode(SocketError::kAccessDenied) == C::kPermissionDenied);
  CHECK(net::SocketErrorToStatusCode(SocketError::kHostNotFound) == C::kNotFound);
  CHECK(net::SocketErrorToStatusCode(SocketError::kTooManyOpenFiles) == C::kResourceExhausted);
  CHECK(net::SocketErrorToStatusCode(SocketError::kCancelled) == C::kCancelled);
  for (int i = 1; i <= kLast; ++i) {
    CHECK(net::SocketErrorToStatusCode(static_cast<SocketError>(i)) != C::kOk);
  }
}

TEST_CASE("the portable error survives copying and moving a status") {
  absl::Status s = net::internal::PortableError("connect", "[::1]:1",
                                                SocketError::kTimedOut);
  absl::Status copy = s;
  absl::Status moved = std::move(copy);
  CHECK(net::GetSocketError(moved) == SocketError::kTimedOut);
  CHECK_FALSE(net::GetNativeError(moved).has_value());
  CHECK(moved.code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(moved.message() == "connect [::1]:1: timed out");
}

TEST_CASE("statuses not made by net carry no portable error") {
  CHECK(net::GetSocketError(absl::OkStatus()) == SocketError::kNone);
  CHECK(net::GetSocketError(absl::InvalidArgumentError("x")) == SocketError::kUnknown);
  CHECK_FALSE(net::GetNativeError(absl::InvalidArgumentError("x")).has_value());
  absl::Status forged = absl::UnavailableError("forged");
  forged.SetPayload("type.net/net.SocketError", absl::Cord("not-a-number"));
  CHECK(net::GetSocketError(forged) == SocketError::kUnknown);
  forged.SetPayload("type.net/net.SocketError", absl::Cord("99999:1"));
  CHECK(net::GetSocketError(forged) == SocketError::kUnknown);
}

TEST_CASE("predicates classify would-block, in-progress, transient, peer-gone") {
  auto make = [](SocketError e) {
    return net::internal::PortableError("op", "", e);
  };
  CHECK(net::IsWouldBlock(make(SocketError::kWouldBlock)));
  CHECK_FALSE(net::IsWouldBlock(make(SocketError::kInProgress)));
  CHECK(net::IsInProgress(make(SocketError::kInProgress)));
  CHECK(net::IsInProgress(make(SocketError::kAlready)));
  CHECK(net::IsTransient(make(SocketError::kInterrupted)));
  CHECK(net::IsTransient(make(SocketError::kTooManyOpenFiles)));
  CHECK(net::IsTransient(make(SocketError::kTryAgain)));
  CHECK_FALSE(net::IsTransient(make(SocketError::kConnectionRefused)));
  CHECK(net::IsPeerGone(make(SocketError::kConnectionReset)));
  CHECK(net::IsPeerGone(make(SocketError::kBrokenPipe)));
  CHECK_FALSE(net::IsPeerGone(make(SocketError::kTimedOut)));
  CHECK_FALSE(net::IsPeerGone(absl::OkStatus()));
}

TEST_CASE("any native code, negative and extreme ones too, survives the "
          "status payload") {
  for (int native : {0, 4, 115, 10061, -2, -1073741819,
                     std::numeric_limits<int>::max(),
                     std::numeric_limits<int>::min()}) {
    CAPTURE(native);
    const absl::Status s = net::internal::SystemError("op", "", native);
    CHECK(net::GetNativeError(s) == native);
    const absl::Status as = net::internal::SystemErrorAs(
        "op", "", native, net::SocketError::kAddressInUse);
    CHECK(net::GetSocketError(as) == net::SocketError::kAddressInUse);
    CHECK(net::GetNativeError(as) == native);
  }
  // A status carrying a malformed payload is no net error.
  absl::Status forged = absl::UnknownError("forged");
  forged.SetPayload("type.net/net.SocketError", absl::Cord("x:1"));
  CHECK(net::GetSocketError(forged) == net::SocketError::kUnknown);
  CHECK_FALSE(net::GetNativeError(forged).has_value());
  forged.SetPayload("type.net/net.SocketError", absl::Cord("3:99999999999"));
  CHECK(net::GetSocketError(forged) == net::SocketError::kConnectionRefused);
  CHECK_FALSE(net::GetNativeError(forged).has_value());
}
