// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/report.cc
// -----------------------------------------------------------------------------
//
// Table and JSON output of net-probe. Times are printed in microseconds: a
// loopback round trip takes tens of them.

#include "tools/net-probe/report.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tools/net-probe/json.h"
#include "tools/net-probe/probe.h"
#include "tools/net-probe/table.h"

namespace net_probe {
namespace {

// --- Text -------------------------------------------------------------------

std::string Micros(absl::Duration d) {
  return absl::StrFormat("%.1f us", absl::ToDoubleMicroseconds(d));
}

std::string FlagWords(const net::InterfaceFlags& f) {
  std::vector<absl::string_view> words;
  if (f.up) words.push_back("up");
  if (f.running) words.push_back("running");
  if (f.loopback) words.push_back("loopback");
  if (f.broadcast) words.push_back("broadcast");
  if (f.multicast) words.push_back("multicast");
  if (f.point_to_point) words.push_back("point-to-point");
  return words.empty() ? "-" : absl::StrJoin(words, " ");
}

std::string HintsText(const net::ResolveHints& h) {
  return absl::StrCat(net::SocketTypeName(h.type), ", family ",
                      net::AddressFamilyName(h.family),
                      h.address_config ? ", AI_ADDRCONFIG" : "");
}

// A section that failed says so in one line: true when `status` failed.
bool AppendFailure(const absl::Status& status, std::string* out) {
  if (status.ok()) return false;
  absl::StrAppend(out, "  failed: ", status.message(), "\n");
  return true;
}

void AppendInterfaces(const Report& report, std::string* out) {
  absl::StrAppend(out, "Interfaces\n");
  if (AppendFailure(report.interfaces.status(), out)) return;
  Table table({"INDEX", "NAME", "FLAGS", "ADDRESSES"});
  for (const net::NetworkInterface& i : *report.interfaces) {
    std::vector<std::string> row = {absl::StrCat(i.index), i.name,
                                    FlagWords(i.flags), "-"};
    if (i.addresses.empty()) table.Add(row);
    for (std::size_t k = 0; k < i.addresses.size(); ++k) {
      const net::InterfaceAddress& a = i.addresses[k];
      std::string text =
          absl::StrCat(a.address.ToString(), "/", a.prefix_length);
      if (k == 0) {
        row.back() = std::move(text);
        table.Add(row);
      } else {
        table.Add({"", "", "", std::move(text)});
      }
    }
  }
  absl::StrAppend(out, table.Format("  "));
}

void AppendEventLoops(const Report& report, std::string* out) {
  absl::StrAppend(out, "Event loop: ", report.loop_in_use, " (",
                  report.loop_reason, ")\n");
  Table table({"BACKEND", "DEFAULT", "USABLE"});
  for (const LoopBackend& b : report.loop_backends) {
    table.Add({b.name, b.is_default ? "yes" : "-",
               b.usable.ok() ? std::string("yes")
                             : absl::StrCat("no: ", b.usable.message())});
  }
  absl::StrAppend(out, table.Format("  "));
}

void WriteEventLoops(JsonWriter& json, const Report& report) {
  json.Key("event_loop").BeginObject();
  json.Key("in_use").String(report.loop_in_use);
  json.Key("reason").String(report.loop_reason);
  json.Key("backends").BeginArray();
  for (const LoopBackend& b : report.loop_backends) {
    json.BeginObject();
    json.Key("name").String(b.name);
    json.Key("default").Bool(b.is_default);
    json.Key("usable").Bool(b.usable.ok());
    if (!b.usable.ok()) json.Key("reason").String(b.usable.message());
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

void AppendLocalhost(const Report& report, std::string* out) {
  absl::StrAppend(out, "localhost resolves to (",
                  HintsText(report.localhost_hints), ")\n");
  if (AppendFailure(report.localhost.status(), out)) return;
  Table table({"ADDRESS", "FAMILY", "TYPE", "PROTOCOL"});
  for (const net::ResolvedAddress& r : *report.localhost) {
    table.Add({r.address.ip().ToString(),
               std::string(net::AddressFamilyName(r.address.family())),
               std::string(net::SocketTypeName(r.type)),
               absl::StrCat(r.protocol)});
  }
  absl::StrAppend(out, table.Format("  "));
}

void AppendRoundTrips(const Report& report, std::string* out) {
  absl::StrAppendFormat(out,
                        "Loopback round trips (%d x %d-byte ping-pong, "
                        "echo on a second thread)\n",
                        report.config.rounds, kPayloadSize);
  Table table({"TRANSPORT", "RESULT", "CONNECT", "MEDIAN", "P99", "MIN", "MAX",
               "ROUNDS", "SERVER"});
  std::string notes;
  for (const RoundTrip& r : report.round_trips) {
    std::vector<std::string> row = {r.transport,
                                    std::string(OutcomeName(r.outcome))};
    row.push_back(r.connect.has_value() ? Micros(*r.connect) : "-");
    if (r.rounds > 0) {
      for (absl::Duration d : {r.rtt.median, r.rtt.p99, r.rtt.min, r.rtt.max}) {
        row.push_back(Micros(d));
      }
    } else {
      row.insert(row.end(), 4, "-");
    }
    row.push_back(absl::StrCat(r.rounds));
    row.push_back(r.server.empty() ? "-" : r.server);
    table.Add(std::move(row));
    if (!r.detail.empty()) {
      absl::StrAppend(&notes, "  ", r.transport, " ", OutcomeName(r.outcome),
                      ": ", r.detail, "\n");
    }
  }
  absl::StrAppend(out, table.Format("  "), notes);
}

// --- JSON -------------------------------------------------------------------

void WriteStatus(JsonWriter& json, const absl::Status& status) {
  json.Key("ok").Bool(status.ok());
  json.Key("error").ErrorOrNull(status);
}

void WriteInterfaces(JsonWriter& json, const Report& report) {
  json.Key("interfaces").BeginObject();
  WriteStatus(json, report.interfaces.status());
  json.Key("list").BeginArray();
  if (report.interfaces.ok()) {
    for (const net::NetworkInterface& i : *report.interfaces) {
      json.BeginObject();
      json.Key("name").String(i.name);
      json.Key("index").Int(i.index);
      json.Key("flags").BeginObject();
      json.Key("up").Bool(i.flags.up);
      json.Key("running").Bool(i.flags.running);
      json.Key("loopback").Bool(i.flags.loopback);
      json.Key("broadcast").Bool(i.flags.broadcast);
      json.Key("multicast").Bool(i.flags.multicast);
      json.Key("point_to_point").Bool(i.flags.point_to_point);
      json.EndObject();
      json.Key("addresses").BeginArray();
      for (const net::InterfaceAddress& a : i.addresses) {
        json.BeginObject();
        json.Key("address").String(a.address.ToString());
        json.Key("family").String(net::AddressFamilyName(a.address.family()));
        json.Key("netmask").String(a.netmask.ToString());
        json.Key("prefix_length").Int(a.prefix_length);
        json.Key("scope_id").Int(a.address.scope_id());
        json.EndObject();
      }
      json.EndArray();
      json.EndObject();
    }
  }
  json.EndArray();
  json.EndObject();
}

void WriteLocalhost(JsonWriter& json, const Report& report) {
  const net::ResolveHints& h = report.localhost_hints;
  json.Key("localhost").BeginObject();
  WriteStatus(json, report.localhost.status());
  json.Key("hints").BeginObject();
  json.Key("family").String(net::AddressFamilyName(h.family));
  json.Key("type").String(net::SocketTypeName(h.type));
  json.Key("address_config").Bool(h.address_config);
  json.EndObject();
  json.Key("addresses").BeginArray();
  if (report.localhost.ok()) {
    for (const net::ResolvedAddress& r : *report.localhost) {
      json.BeginObject();
      json.Key("address").String(r.address.ip().ToString());
      json.Key("family").String(net::AddressFamilyName(r.address.family()));
      json.Key("type").String(net::SocketTypeName(r.type));
      json.Key("protocol").Int(r.protocol);
      json.EndObject();
    }
  }
  json.EndArray();
  json.EndObject();
}

void WriteRoundTrips(JsonWriter& json, const Report& report) {
  json.Key("round_trips").BeginObject();
  json.Key("rounds").Int(report.config.rounds);
  json.Key("payload_bytes").Int(static_cast<std::int64_t>(kPayloadSize));
  json.Key("transports").BeginArray();
  for (const RoundTrip& r : report.round_trips) {
    json.BeginObject();
    json.Key("transport").String(r.transport);
    json.Key("result").String(OutcomeName(r.outcome));
    json.Key("detail").StringOrNull(r.detail);
    json.Key("server").StringOrNull(r.server);
    json.Key("connect_us").OptionalMicros(r.connect);
    json.Key("rounds").Int(r.rounds);
    json.Key("rtt_us");
    if (r.rounds > 0) {
      json.BeginObject();
      json.Key("min").Micros(r.rtt.min);
      json.Key("median").Micros(r.rtt.median);
      json.Key("p99").Micros(r.rtt.p99);
      json.Key("max").Micros(r.rtt.max);
      json.EndObject();
    } else {
      json.Null();
    }
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

}  // namespace

std::string FormatTable(const Report& report) {
  std::string out = "net-probe: what this machine's socket layer offers\n";
  Table about({"backend", report.backend});
  about.Add({"started", absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                                         report.started, absl::UTCTimeZone())});
  about.Add({"elapsed",
             absl::StrFormat("%.2f s", absl::ToDoubleSeconds(report.elapsed))});
  absl::StrAppend(&out, about.Format("  "), "\n");
  AppendEventLoops(report, &out);
  absl::StrAppend(&out, "\n");
  AppendInterfaces(report, &out);
  absl::StrAppend(&out, "\n");
  AppendLocalhost(report, &out);
  absl::StrAppend(&out, "\n");
  AppendRoundTrips(report, &out);
  if (report.options) AppendOptionsTable(*report.options, &out);
  return out;
}

std::string FormatJson(const Report& report) {
  JsonWriter json;
  json.BeginObject();
  json.Key("tool").String("net-probe");
  json.Key("ok").Bool(!AnyFailed(report));
  json.Key("backend").String(report.backend);
  json.Key("started").String(absl::FormatTime(
      absl::RFC3339_full, report.started, absl::UTCTimeZone()));
  json.Key("elapsed_us").Micros(report.elapsed);
  WriteEventLoops(json, report);
  WriteInterfaces(json, report);
  WriteLocalhost(json, report);
  WriteRoundTrips(json, report);
  if (report.options) WriteOptionsJson(*report.options, json);
  json.EndObject();
  return json.Finish();
}

}  // namespace net_probe
