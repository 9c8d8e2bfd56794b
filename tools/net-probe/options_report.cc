// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/options_report.cc
// -----------------------------------------------------------------------------
//
// net-probe --options: the option table with support and defaults (see
// options_report.h).

#include "tools/net-probe/options_report.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "net/net.h"
#include "tools/net-probe/json.h"
#include "tools/net-probe/socket_kind.h"
#include "tools/net-probe/table.h"

namespace net_probe {
namespace {

// The columns of the defaults, in this order.
constexpr SocketKind kKinds[] = {kTcpIPv4, kUdpIPv4, kTcpIPv6, kUdpIPv6};

OptionDefault ReadDefault(const net::OptionInfo& info,
                          const absl::StatusOr<net::Socket>& socket,
                          const absl::Status& support) {
  if (!support.ok()) return {std::nullopt, "not available here"};
  if (!info.gettable) return {std::nullopt, "set-only"};
  if (!socket.ok()) {
    return {std::nullopt,
            absl::StrCat("no such socket here: ", socket.status().message())};
  }
  absl::StatusOr<net::OptionValue> v = socket->GetOptionValue(info.id);
  if (v.ok()) return {net::FormatOptionValue(*v), ""};
  // Rejected before any system call: the option is not for this socket.
  if (absl::IsInvalidArgument(v.status()) &&
      !net::GetNativeError(v.status()).has_value()) {
    return {std::nullopt, "n/a"};
  }
  return {std::nullopt,
          absl::StrCat("error: ",
                       net::SocketErrorName(net::GetSocketError(v.status())))};
}

std::string Access(const net::OptionInfo& info) {
  if (info.gettable && info.settable) return "get/set";
  return info.gettable ? "get" : "set";
}

// A table cell: the value, or "-" (not available / no such socket), "n/a"
// (does not apply), "(set)" (a request, nothing to read), or the error.
std::string Cell(const OptionDefault& d) {
  if (d.value.has_value()) return *d.value;
  if (d.reason == "set-only") return "(set)";
  if (d.reason == "n/a" || absl::StartsWith(d.reason, "error:")) {
    return d.reason;
  }
  return "-";
}

}  // namespace

OptionsReport ProbeOptions() {
  OptionsReport report;
  std::vector<absl::StatusOr<net::Socket>> sockets;
  for (const SocketKind& k : kKinds) {
    report.sockets.push_back(k.name);
    sockets.push_back(net::Socket::Open(k.family, k.type));
  }
  for (const net::OptionInfo& info : net::AllOptions()) {
    OptionRow row{info, net::CheckSupported(info.id), {}};
    for (const absl::StatusOr<net::Socket>& s : sockets) {
      row.defaults.push_back(ReadDefault(info, s, row.support));
    }
    report.rows.push_back(std::move(row));
  }
  for (net::Feature f : net::AllFeatures()) {
    report.features.emplace_back(std::string(net::FeatureName(f)),
                                 net::CheckSupported(f));
  }
  return report;
}

void AppendOptionsTable(const OptionsReport& report, std::string* out) {
  std::size_t supported = 0;
  for (const OptionRow& r : report.rows) supported += r.support.ok() ? 1 : 0;
  absl::StrAppend(out, "\nsocket options (", supported, " of ",
                  report.rows.size(),
                  " supported here; defaults on fresh sockets)\n");
  std::vector<std::string> header = {"OPTION", "LEVEL", "TYPE", "ACCESS",
                                     "HERE"};
  for (const std::string& s : report.sockets) {
    std::string upper = s;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    header.push_back(upper);
  }
  Table table(std::move(header));
  for (const OptionRow& r : report.rows) {
    std::vector<std::string> row = {
        std::string(r.info.name), std::string(r.info.level_name),
        std::string(net::OptionValueKindName(r.info.kind)), Access(r.info),
        r.support.ok() ? "yes" : "no"};
    for (const OptionDefault& d : r.defaults) row.push_back(Cell(d));
    table.Add(std::move(row));
  }
  absl::StrAppend(out, table.Format("  "));
  absl::StrAppend(out, "\n  not available here:\n");
  // A missing protocol (SCTP) is said once for its whole level.
  std::string protocol_level;
  for (const OptionRow& r : report.rows) {
    if (r.support.ok()) continue;
    if (net::GetSocketError(r.support) !=
        net::SocketError::kProtocolNotSupported) {
      absl::StrAppend(out, "    ", r.support.message(), "\n");
      continue;
    }
    if (r.info.level_name == protocol_level) continue;
    protocol_level = std::string(r.info.level_name);
    absl::string_view why = r.support.message();
    why.remove_prefix(std::min(why.size(), r.info.name.size() + 2));
    const auto count = std::count_if(
        report.rows.begin(), report.rows.end(), [&](const OptionRow& o) {
          return o.info.level_name == protocol_level;
        });
    absl::StrAppend(out, "    ", protocol_level, " (all ", count,
                    " options): ", why, "\n");
  }
  absl::StrAppend(out, "\nfeatures\n");
  Table features;
  for (const auto& [name, status] : report.features) {
    features.Add(
        {name, status.ok() ? "yes" : absl::StrCat("no: ", status.message())});
  }
  absl::StrAppend(out, features.Format("  "));
}

void WriteOptionsJson(const OptionsReport& report, JsonWriter& json) {
  json.Key("options").BeginArray();
  for (const OptionRow& r : report.rows) {
    json.BeginObject();
    json.Key("name").String(r.info.name);
    json.Key("level").String(r.info.level_name);
    json.Key("type").String(net::OptionValueKindName(r.info.kind));
    json.Key("get").Bool(r.info.gettable);
    json.Key("set").Bool(r.info.settable);
    json.Key("supported").Bool(r.support.ok());
    json.Key("why_not").ErrorOrNull(r.support);
    json.Key("defaults").BeginObject();
    for (std::size_t i = 0; i < r.defaults.size(); ++i) {
      const OptionDefault& d = r.defaults[i];
      json.Key(report.sockets[i]).BeginObject();
      json.Key("value").OptionalString(d.value);
      json.Key("reason").StringOrNull(d.reason);
      json.EndObject();
    }
    json.EndObject();
    json.EndObject();
  }
  json.EndArray();
  json.Key("features").BeginObject();
  for (const auto& [name, status] : report.features) {
    json.Key(name).BeginObject();
    json.Key("supported").Bool(status.ok());
    json.Key("why_not").ErrorOrNull(status);
    json.EndObject();
  }
  json.EndObject();
}

}  // namespace net_probe
