// A compact streaming JSON writer for the bodies the hot paths produce (case and grant
// index views written by the generator and served by KOMBIT). It appends to a string
// without building a DOM, which makes it several times faster than nlohmann::json for
// the same output; the JSON is equal, value for value, to what to_json gives (a test
// keeps the two in step). Strings must be valid UTF-8; control characters are escaped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/money.h"

namespace adda {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);  // key must not need escaping

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  JsonWriter& DateValue(Date d);   // "YYYY-MM-DD"
  JsonWriter& Amount(Money m);     // DKK as a number with at most two decimals
  JsonWriter& Raw(std::string_view json);  // an already valid JSON value

  JsonWriter& OptString(const std::optional<std::string>& s) { return s ? String(*s) : Null(); }
  JsonWriter& OptDate(const std::optional<Date>& d) { return d ? DateValue(*d) : Null(); }

  // Key + value in one call.
  template <typename F>
  JsonWriter& Field(std::string_view key, F&& write_value) {
    Key(key);
    write_value(*this);
    return *this;
  }

 private:
  void Separate() {
    if (after_key_) {
      after_key_ = false;
    } else if (depth_ > 0) {
      if (!first_[depth_ - 1]) out_.push_back(',');
      first_[depth_ - 1] = false;
    }
  }
  void Open(char c);

  static constexpr int kMaxDepth = 64;
  std::string& out_;
  bool first_[kMaxDepth] = {};  // per open container: no element written yet
  int depth_ = 0;
  bool after_key_ = false;
};

// Appends `s` to `out` as a JSON string literal with quotes.
void AppendJsonString(std::string& out, std::string_view s);

// What `write(writer, value)` produces, as a DOM: how to_json reuses the writers.
template <typename T, typename F>
nlohmann::json WrittenJson(const T& value, F write) {
  std::string out;
  JsonWriter w(out);
  write(w, value);
  return nlohmann::json::parse(out);
}

}  // namespace adda
