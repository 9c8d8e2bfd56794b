// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: net/version.h
// -----------------------------------------------------------------------------
//
// The version of the `net` library a program runs with. There is one version,
// `project(net VERSION ...)` in the top CMakeLists.txt; the build compiles it
// into the library, and the CMake package config, the pkg-config file and the
// Debian package carry the same one (docs/shipping.md, "Versioning").
//
// These are functions, not macros, so that a program linked against the
// shared library reports the library it actually loaded, not the headers it
// was compiled with.
//
// Example:
//
//   std::printf("net %s\n", std::string(net::Version()).c_str());
//   if (net::VersionMajor() == 0 && net::VersionMinor() < 1) { ... }

#ifndef NET_VERSION_H_
#define NET_VERSION_H_

#include "absl/strings/string_view.h"
#include "net/export.h"

namespace net {

// Version()
//
// The library's version as "MAJOR.MINOR.PATCH", e.g. "0.1.0". The string has
// static storage duration.
NET_EXPORT absl::string_view Version();

// VersionMajor(), VersionMinor(), VersionPatch()
//
// The three numbers of `Version()`.
NET_EXPORT int VersionMajor();
NET_EXPORT int VersionMinor();
NET_EXPORT int VersionPatch();

}  // namespace net

#endif  // NET_VERSION_H_
