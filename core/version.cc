// Copyright 2026 The net Authors.
//
// The library's version: NET_VERSION_* are compile definitions of this one
// file, taken by CMake from `project(net VERSION ...)`, so no header carries
// a copy that could drift.

#include "net/version.h"

#include "absl/strings/string_view.h"

#if !defined(NET_VERSION_STRING) || !defined(NET_VERSION_MAJOR) || \
    !defined(NET_VERSION_MINOR) || !defined(NET_VERSION_PATCH)
#error "CMakeLists.txt defines NET_VERSION_STRING and NET_VERSION_{MAJOR,MINOR,PATCH} for this file"
#endif

namespace net {

absl::string_view Version() { return NET_VERSION_STRING; }
int VersionMajor() { return NET_VERSION_MAJOR; }
int VersionMinor() { return NET_VERSION_MINOR; }
int VersionPatch() { return NET_VERSION_PATCH; }

}  // namespace net
