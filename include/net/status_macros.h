// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: status_macros.h
// -----------------------------------------------------------------------------
//
// Status propagation helpers, the only macros `net` exports.

#ifndef NET_STATUS_MACROS_H_
#define NET_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// NET_RETURN_IF_ERROR(expr)
//
// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function if it is not OK.
#define NET_RETURN_IF_ERROR(expr)                \
  do {                                           \
    ::absl::Status net_status_ = (expr);         \
    if (!net_status_.ok()) return net_status_;   \
  } while (false)

#define NET_STATUS_MACROS_CONCAT_INNER_(a, b) a##b
#define NET_STATUS_MACROS_CONCAT_(a, b) NET_STATUS_MACROS_CONCAT_INNER_(a, b)

// NET_ASSIGN_OR_RETURN(lhs, expr)
//
// Evaluates `expr` (an absl::StatusOr<T>); returns its status if not OK,
// else moves its value into `lhs` (which may be a declaration).
#define NET_ASSIGN_OR_RETURN(lhs, expr)                                    \
  NET_ASSIGN_OR_RETURN_IMPL_(                                              \
      NET_STATUS_MACROS_CONCAT_(net_statusor_, __LINE__), lhs, expr)
#define NET_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = *std::move(statusor)

#endif  // NET_STATUS_MACROS_H_
