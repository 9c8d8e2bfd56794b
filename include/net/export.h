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
// What it expands to:
//
//   build                   compiling net itself        compiling a user
//   static (the default)    (empty)                     (empty)
//   shared, ELF / Mach-O    visibility("default")       visibility("default")
//   shared, Windows DLL     __declspec(dllexport)       __declspec(dllimport)
//
// How the choice reaches a user: the CMake target `net::net` of a shared
// build carries the compile definition `NET_SHARED` in its interface (also in
// the installed netTargets.cmake), and net's own sources are compiled with
// `NET_BUILDING_LIBRARY` as well. No header is generated, so one set of
// installed headers serves a static and a shared library side by side (the
// Debian package ships both). On ELF and Mach-O a user who does not define
// `NET_SHARED` compiles the same code either way (the attribute only matters
// where a symbol is defined), so a pkg-config user of libnet.so needs no flag;
// only a Windows program that links net.dll without CMake must pass
// `-DNET_SHARED` (without it, calls still link through the import library's
// thunks, but the DLL's data and vtables are not imported).
//
// What needs the mark: a class or struct with a member function defined in
// the library (`class NET_EXPORT Socket`), a free function defined in the
// library, and a `friend` function declared in a class (the class's mark does
// not reach it). Templates, `inline` and `constexpr` functions, enums and
// plain data structs need nothing.

#ifndef NET_EXPORT_H_
#define NET_EXPORT_H_

#if !defined(NET_SHARED)
#define NET_EXPORT
#elif defined(_WIN32) || defined(__CYGWIN__)
#if defined(NET_BUILDING_LIBRARY)
#define NET_EXPORT __declspec(dllexport)
#else
#define NET_EXPORT __declspec(dllimport)
#endif
#if defined(_MSC_VER)
// C4251/C4275: an exported class holds or derives from a standard library or
// Abseil type that is not itself exported. Both sides are built with the same
// compiler and Abseil here, which is what makes that safe; MSVC warns at /W1
// for every such member.
#pragma warning(disable : 4251 4275)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define NET_EXPORT __attribute__((visibility("default")))
#else
#define NET_EXPORT
#endif

#endif  // NET_EXPORT_H_
