// Copyright 2026 The net Authors.
//
// The one version (issue 16): net::Version() and its three numbers are the
// `project(net VERSION ...)` of CMakeLists.txt (passed to this file as
// NET_TEST_PROJECT_VERSION), and debian/changelog's newest entry is the same
// upstream version, so a version bump that forgets the package fails here.
// (No RELIABILITY.md case: this is the shipping part of issue 16.)

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "net/net.h"
#include "tests/test_util.h"

#ifndef NET_TEST_PROJECT_VERSION
#error "tests/CMakeLists.txt defines NET_TEST_PROJECT_VERSION"
#endif
#ifndef NET_TEST_SOURCE_DIR
#error "tests/CMakeLists.txt defines NET_TEST_SOURCE_DIR"
#endif

TEST_CASE("net::Version() is the CMake project version and its three numbers "
          "are that version's") {
  CHECK(net::Version() == absl::string_view(NET_TEST_PROJECT_VERSION));
  const std::vector<absl::string_view> parts =
      absl::StrSplit(NET_TEST_PROJECT_VERSION, '.');
  REQUIRE(parts.size() == 3);
  int numbers[3] = {-1, -1, -1};
  for (int i = 0; i < 3; ++i) REQUIRE(absl::SimpleAtoi(parts[i], &numbers[i]));
  CHECK(net::VersionMajor() == numbers[0]);
  CHECK(net::VersionMinor() == numbers[1]);
  CHECK(net::VersionPatch() == numbers[2]);
  CHECK(absl::StrCat(net::VersionMajor(), ".", net::VersionMinor(), ".",
                     net::VersionPatch()) == net::Version());
}

TEST_CASE("debian/changelog's newest entry packages the CMake project "
          "version") {
  const std::string path =
      absl::StrCat(NET_TEST_SOURCE_DIR, "/debian/changelog");
  std::ifstream in(path);
  if (!in) {
    // A source tree without debian/ (a vendored copy, say) has nothing to
    // disagree with.
    NET_SKIP(absl::StrCat("no ", path));
  }
  // The first line: "net (UPSTREAM-REVISION) DISTRIBUTION; urgency=..."
  std::string first;
  std::getline(in, first);
  CAPTURE(first);
  const std::size_t open = first.find(" (");
  const std::size_t close = first.find(')', open);
  REQUIRE(open != std::string::npos);
  REQUIRE(close != std::string::npos);
  CHECK(first.substr(0, open) == "net");
  std::string version = first.substr(open + 2, close - open - 2);
  // Drop the Debian revision ("-1") and any epoch ("1:").
  if (std::size_t dash = version.rfind('-'); dash != std::string::npos) {
    version.resize(dash);
  }
  if (std::size_t colon = version.find(':'); colon != std::string::npos) {
    version.erase(0, colon + 1);
  }
  CHECK(version == NET_TEST_PROJECT_VERSION);
}
