// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: export.h
// -----------------------------------------------------------------------------
//
// `NET_EXPORT`: the mark on every public class and free function of `net`
// that a program calls from outside the library. The library is compiled
// with hidden symbol visibility (`-fvisibility=hidden`
// `-fvisibility-inlines-hidden`), so only what carries this mark is part of
// the ABI of libnet.so / net.dll; everything else (core/ internals, the
// backend contract in platform/sys.h, the copies of Abseil and OpenSSL code
// inlined into it) stays private (docs/shipping.md, "Shared and static
// builds").
//
// What it expands to is decided by the build, not here (include/ names no
// OS or toolchain: shared/DESIGN.md). CMake defines it (CMakeLists.txt,
// "The toolchain's spelling"):
//
//   build                   compiling net itself        compiling a user
//   static (the default)    (empty)                     (empty)
//   shared, ELF / Mach-O    visibility("default")       (empty)
//   shared, Windows DLL     __declspec(dllexport)       __declspec(dllimport)
//
// The user's column reaches a CMake user through the `net::net` target's
// interface (also in the installed netTargets.cmake), with `NET_SHARED`,
// which marks a shared build. No header is generated, so one set of
// installed headers serves a static and a shared library side by side (the
// Debian package ships both). On ELF and Mach-O the attribute only matters
// where a symbol is defined, so a pkg-config user of libnet.so needs no
// flag; mingw's auto-import reaches net.dll's data without dllimport; an
// MSVC program that links net.dll without CMake defines
// `NET_EXPORT=__declspec(dllimport)`.
//
// What needs the mark: a class or struct with a member function defined in
// the library (`class NET_EXPORT Socket`), a free function defined in the
// library, and a `friend` function declared in a class (the class's mark does
// not reach it). Templates, `inline` and `constexpr` functions, enums and
// plain data structs need nothing.

#ifndef NET_EXPORT_H_
#define NET_EXPORT_H_

#if !defined(NET_EXPORT)
#define NET_EXPORT
#endif

#endif  // NET_EXPORT_H_
