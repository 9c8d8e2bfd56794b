// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/json.h
// -----------------------------------------------------------------------------
//
// The little JSON net-probe needs: `JsonQuote()`, which always yields a valid
// RFC 8259 string literal, and `JsonWriter`, which builds an indented
// document and keeps track of commas and nesting.
//
// Example:
//
//   net_probe::JsonWriter json;
//   json.BeginObject();
//   json.Key("name").String("lo");
//   json.EndObject();
//   std::string text = json.Finish();  // "{\n  \"name\": \"lo\"\n}\n"

#ifndef NET_TOOLS_NET_PROBE_JSON_H_
#define NET_TOOLS_NET_PROBE_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace net_probe {

// JsonQuote()
//
// `text` as a JSON string literal, quotes included: `"` and `\` escaped,
// control characters as `\n`, `\t`, ... or `\u00XX`, and bytes that are not
// valid UTF-8 replaced by U+FFFD, so the output is always valid JSON.
std::string JsonQuote(absl::string_view text);

// JsonWriter
//
// Builds indented JSON; keeps track of commas and nesting.
class JsonWriter {
 public:
  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }

  JsonWriter& Key(absl::string_view key) {
    Separate();
    absl::StrAppend(&out_, JsonQuote(key), ": ");
    after_key_ = true;
    return *this;
  }
  JsonWriter& String(absl::string_view s) { return Raw(JsonQuote(s)); }
  JsonWriter& Int(std::int64_t v) { return Raw(absl::StrCat(v)); }
  JsonWriter& Bool(bool v) { return Raw(v ? "true" : "false"); }
  JsonWriter& Null() { return Raw("null"); }
  // Microseconds with nanosecond precision; durations here are finite.
  JsonWriter& Micros(absl::Duration d) {
    return Raw(absl::StrFormat("%.3f", absl::ToDoubleMicroseconds(d)));
  }
  JsonWriter& StringOrNull(absl::string_view s) {
    return s.empty() ? Null() : String(s);
  }
  // The value, or null when there is none.
  JsonWriter& OptionalString(const std::optional<std::string>& s) {
    return s.has_value() ? String(*s) : Null();
  }
  JsonWriter& OptionalMicros(const std::optional<absl::Duration>& d) {
    return d.has_value() ? Micros(*d) : Null();
  }
  // The message of a failed `status`; null when it is OK.
  JsonWriter& ErrorOrNull(const absl::Status& status) {
    return status.ok() ? Null() : String(status.message());
  }

  std::string Finish() { return absl::StrCat(out_, "\n"); }

 private:
  struct Level {
    bool empty = true;
  };

  // Before a value or a key: the comma and line break, unless the value
  // follows its key.
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (levels_.empty()) return;
    if (!levels_.back().empty) out_ += ',';
    levels_.back().empty = false;
    NewLine();
  }
  void NewLine() {
    out_ += '\n';
    out_.append(2 * levels_.size(), ' ');
  }
  JsonWriter& Raw(absl::string_view text) {
    Separate();
    out_.append(text.data(), text.size());
    return *this;
  }
  JsonWriter& Open(char c) {
    Separate();
    out_ += c;
    levels_.push_back(Level{});
    return *this;
  }
  JsonWriter& Close(char c) {
    const bool empty = levels_.back().empty;
    levels_.pop_back();
    if (!empty) NewLine();
    out_ += c;
    return *this;
  }

  std::string out_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

}  // namespace net_probe

#endif  // NET_TOOLS_NET_PROBE_JSON_H_
