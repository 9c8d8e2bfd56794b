// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/table.h
// -----------------------------------------------------------------------------
//
// `Table`: the aligned columns of every text section of net-probe.

#ifndef NET_TOOLS_NET_PROBE_TABLE_H_
#define NET_TOOLS_NET_PROBE_TABLE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace net_probe {

// Table
//
// Columns padded to their widest cell, two spaces apart; the last column is
// not padded, so lines carry no trailing blanks. The first row is usually a
// header, but nothing sets it apart.
class Table {
 public:
  Table() = default;
  explicit Table(std::vector<std::string> first) { Add(std::move(first)); }

  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  // Table::Format()
  //
  // Every row on its own line, each starting with `indent`; "" for no rows.
  std::string Format(absl::string_view indent) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace net_probe

#endif  // NET_TOOLS_NET_PROBE_TABLE_H_
