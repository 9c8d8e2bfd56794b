// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: net/flags.h
// -----------------------------------------------------------------------------
//
// `|` and `HasFlag()` for net's flag enums (`MessageFlags`, `AcceptFlags`,
// `ListenerFlags`): one definition, enabled per enum by `IsFlagEnum`, so
// that an enum that is not a set of flags gets no `|`.

#ifndef NET_FLAGS_H_
#define NET_FLAGS_H_

#include <type_traits>

namespace net {

// IsFlagEnum
//
// Whether the enum `E` is a set of flags, false unless specialized: a flag
// enum's header declares `template <> struct IsFlagEnum<E> :
// std::true_type {};`, which gives `E` the `|` and `HasFlag()` below.
template <typename E>
struct IsFlagEnum : std::false_type {};

// operator|()
//
// The union of the flags `a` and `b`, for an enum with `IsFlagEnum`.
template <typename E, typename = std::enable_if_t<IsFlagEnum<E>::value>>
constexpr E operator|(E a, E b) {
  using U = std::underlying_type_t<E>;
  return static_cast<E>(static_cast<U>(a) | static_cast<U>(b));
}

// HasFlag()
//
// Whether `set` has any bit of `flag`.
template <typename E, typename = std::enable_if_t<IsFlagEnum<E>::value>>
constexpr bool HasFlag(E set, E flag) {
  using U = std::underlying_type_t<E>;
  return (static_cast<U>(set) & static_cast<U>(flag)) != 0;
}

}  // namespace net

#endif  // NET_FLAGS_H_
