// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: core/option_table.h
// -----------------------------------------------------------------------------
//
// One row of the option table as core/ sees it: the public `OptionInfo`
// facts plus the socket families and types the option applies to, which
// core/option_checks.cc enforces before any system call.

#ifndef NET_CORE_OPTION_TABLE_H_
#define NET_CORE_OPTION_TABLE_H_

#include <cstdint>

#include "net/option_ids.h"

namespace net::internal {

// Bits of OptionRow::families.
inline constexpr std::uint8_t kFamilyIPv4 = 1u << 0;
inline constexpr std::uint8_t kFamilyIPv6 = 1u << 1;
inline constexpr std::uint8_t kFamilyUnix = 1u << 2;

// Bits of OptionRow::types.
inline constexpr std::uint8_t kTypeStream = 1u << 0;
inline constexpr std::uint8_t kTypeDatagram = 1u << 1;
inline constexpr std::uint8_t kTypeSeqPacket = 1u << 2;
inline constexpr std::uint8_t kTypeRaw = 1u << 3;

struct OptionRow {
  OptionId id;
  const char* name;  // the POSIX spelling; sys::NativeOptionName()
                     // overrides it where a backend differs
  const char* level_name;
  OptionLevel level;
  OptionValueKind kind;
  bool gettable;
  bool settable;
  std::uint8_t families;  // kFamily* bits
  std::uint8_t types;     // kType* bits
};

// FindRow()
//
// The row of `id`, or nullptr for a value outside the enum.
const OptionRow* FindRow(OptionId id);

}  // namespace net::internal

#endif  // NET_CORE_OPTION_TABLE_H_
