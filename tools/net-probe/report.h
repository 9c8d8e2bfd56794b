// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/report.h
// -----------------------------------------------------------------------------
//
// How net-probe prints a `Report` (probe.h): an aligned table for people
// (the default) or JSON for machines (`--json`). docs/net-probe.md shows
// both.

#ifndef NET_TOOLS_NET_PROBE_REPORT_H_
#define NET_TOOLS_NET_PROBE_REPORT_H_

#include <string>

#include "tools/net-probe/probe.h"

namespace net_probe {

// FormatTable()
//
// The report as aligned text sections, ending in a newline.
std::string FormatTable(const Report& report);

// FormatJson()
//
// The report as one JSON object (RFC 8259), indented, ending in a newline.
std::string FormatJson(const Report& report);

}  // namespace net_probe

#endif  // NET_TOOLS_NET_PROBE_REPORT_H_
