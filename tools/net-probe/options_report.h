// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/options_report.h
// -----------------------------------------------------------------------------
//
// The `--options` section of net-probe: every option of `net::AllOptions()`
// with its native name, level, value type, whether it can be read and set,
// whether this machine supports it (and why not), and its default value on
// fresh TCP and UDP sockets over IPv4 and IPv6. Read-only: nothing is set,
// no traffic is sent.

#ifndef NET_TOOLS_NET_PROBE_OPTIONS_REPORT_H_
#define NET_TOOLS_NET_PROBE_OPTIONS_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "net/net.h"
#include "tools/net-probe/json.h"

namespace net_probe {

// One default value: what a get on a fresh socket of one kind answered, or
// why there is none ("does not apply", "set-only", "not available here", an
// OS error).
struct OptionDefault {
  std::optional<std::string> value;  // FormatOptionValue() text
  std::string reason;                // when there is no value
};

struct OptionRow {
  net::OptionInfo info;
  absl::Status support;                 // CheckSupported(info.id)
  std::vector<OptionDefault> defaults;  // one per OptionsReport::sockets
};

struct OptionsReport {
  std::vector<std::string> sockets;  // "tcp/ipv4", "udp/ipv4", ...
  std::vector<OptionRow> rows;
  std::vector<std::pair<std::string, absl::Status>> features;
};

// ProbeOptions()
//
// Opens one socket of each kind (a kind this machine lacks, such as IPv6,
// gives a reason in every cell) and reads every gettable option. Fast and
// never fails.
OptionsReport ProbeOptions();

// AppendOptionsTable(), WriteOptionsJson()
//
// The section as an aligned table (and the reasons for what is missing), or
// as the "options" and "features" members of the JSON report.
void AppendOptionsTable(const OptionsReport& report, std::string* out);
void WriteOptionsJson(const OptionsReport& report, JsonWriter& json);

}  // namespace net_probe

#endif  // NET_TOOLS_NET_PROBE_OPTIONS_REPORT_H_
