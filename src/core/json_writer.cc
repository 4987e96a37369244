#include "core/json_writer.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace adda {

namespace {

// true for the bytes a JSON string must escape: control characters, quote, backslash.
constexpr auto kNeedsEscape = [] {
  struct Table {
    bool v[256] = {};
  } t;
  for (int c = 0; c < 0x20; ++c) t.v[c] = true;
  t.v[static_cast<unsigned char>('"')] = true;
  t.v[static_cast<unsigned char>('\\')] = true;
  return t;
}();

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;  // start of the current run of characters needing no escape
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kNeedsEscape.v[c]) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void JsonWriter::Open(char c) {
  if (depth_ == kMaxDepth) throw std::logic_error("JsonWriter: nesting deeper than 64");
  Separate();
  out_.push_back(c);
  first_[depth_++] = true;
}

JsonWriter& JsonWriter::BeginObject() {
  Open('{');
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_.push_back('}');
  --depth_;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  Open('[');
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_.push_back(']');
  --depth_;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  // One append for `,"key":`: keys are short literals, this is the writer's hottest call.
  char buf[72];
  size_t n = 0;
  if (depth_ > 0) {
    if (!first_[depth_ - 1]) buf[n++] = ',';
    first_[depth_ - 1] = false;
  }
  if (key.size() > sizeof buf - 4) throw std::logic_error("JsonWriter: key too long");
  buf[n++] = '"';
  std::memcpy(buf + n, key.data(), key.size());
  n += key.size();
  buf[n++] = '"';
  buf[n++] = ':';
  out_.append(buf, n);
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  Separate();
  AppendJsonString(out_, s);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  Separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  out_.append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_.append("null");
  return *this;
}

JsonWriter& JsonWriter::DateValue(Date d) {
  Separate();
  out_.push_back('"');
  d.AppendTo(out_);
  out_.push_back('"');
  return *this;
}

JsonWriter& JsonWriter::Amount(Money m) {
  Separate();
  const int64_t ore = m.ore;
  const uint64_t abs = ore < 0 ? static_cast<uint64_t>(-(ore + 1)) + 1 : static_cast<uint64_t>(ore);
  if (ore < 0) out_.push_back('-');
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, abs / 100);
  out_.append(buf, r.ptr);
  const unsigned frac = static_cast<unsigned>(abs % 100);
  if (frac != 0) {
    out_.push_back('.');
    out_.push_back(static_cast<char>('0' + frac / 10));
    if (frac % 10 != 0) out_.push_back(static_cast<char>('0' + frac % 10));
  }
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_.append(json);
  return *this;
}

}  // namespace adda
