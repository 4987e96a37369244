#include "core/json_reader.h"

namespace adda {

JsonReader::JsonReader(const nlohmann::json& object, std::string path, std::vector<Violation>* out)
    : object_(object), path_(std::move(path)), out_(out) {
  if (!object_.is_object()) {
    out_->push_back({"field.type", path_.empty() ? "$" : path_, "expected a JSON object"});
  }
}

std::string JsonReader::FieldPath(const char* key) const {
  return path_.empty() ? std::string(key) : path_ + "." + key;
}

void JsonReader::Add(std::string rule, const char* key, std::string message) {
  out_->push_back({std::move(rule), FieldPath(key), std::move(message)});
}

std::vector<std::string> JsonReader::UnknownKeys(std::initializer_list<const char*> allowed) const {
  std::vector<std::string> out;
  if (!object_.is_object()) return out;
  for (const auto& item : object_.items()) {
    bool known = false;
    for (const char* k : allowed) known = known || item.key() == k;
    if (!known) out.push_back(item.key());
  }
  return out;
}

void JsonReader::ExpectOnly(std::initializer_list<const char*> allowed) {
  for (const auto& k : UnknownKeys(allowed))
    out_->push_back({"field.unknown", FieldPath(k.c_str()), "is not a known field (misspelt?)"});
}

bool JsonReader::Has(const char* key) const {
  if (!object_.is_object()) return false;
  auto it = object_.find(key);
  return it != object_.end() && !it->is_null();
}

const nlohmann::json* JsonReader::Get(const char* key, bool required) {
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) {
    if (required) Add("field.required", key, "is required");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> JsonReader::String(const char* key, bool required, size_t max_len) {
  const auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Add("field.type", key, "must be a string");
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (required && s.empty()) {
    Add("field.required", key, "must not be empty");
    return std::nullopt;
  }
  // Length counts characters (UTF-8 code points), as the real schemas do.
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  if (chars > max_len) {
    Add("field.length", key, "is " + std::to_string(chars) + " characters; at most " +
                                 std::to_string(max_len) + " allowed");
    return std::nullopt;
  }
  return s;
}

std::optional<double> JsonReader::Number(const char* key, bool required, double lo, double hi) {
  const auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    Add("field.type", key, "must be a number");
    return std::nullopt;
  }
  const double d = v->get<double>();
  if (!(d >= lo && d <= hi)) {
    Add("field.range", key, "is " + v->dump() + "; must be between " + nlohmann::json(lo).dump() + " and " +
                                nlohmann::json(hi).dump());
    return std::nullopt;
  }
  return d;
}

std::optional<int64_t> JsonReader::Int(const char* key, bool required, int64_t lo, int64_t hi) {
  const auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    Add("field.type", key, "must be an integer");
    return std::nullopt;
  }
  int64_t n;
  if (v->is_number_unsigned()) {
    const uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) {
      Add("field.range", key, "is out of range");
      return std::nullopt;
    }
    n = static_cast<int64_t>(u);
  } else {
    n = v->get<int64_t>();
  }
  if (n < lo || n > hi) {
    Add("field.range", key,
        "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonReader::Bool(const char* key, bool required) {
  const auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    Add("field.type", key, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<Date> JsonReader::DateField(const char* key, bool required) {
  const auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Add("field.type", key, "must be a date string YYYY-MM-DD");
    return std::nullopt;
  }
  auto d = Date::Parse(v->get_ref<const std::string&>());
  if (!d) Add("field.date", key, "must be a real date as YYYY-MM-DD");
  return d;
}

std::optional<Money> JsonReader::Amount(const char* key, bool required) {
  const auto* v = Get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    Add("field.type", key, "must be a number (DKK)");
    return std::nullopt;
  }
  auto m = Money::FromDkkChecked(v->get<double>());
  if (!m) Add("field.range", key, "is not a usable amount");
  return m;
}

const nlohmann::json* JsonReader::Object(const char* key, bool required) {
  const auto* v = Get(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    Add("field.type", key, "must be an object");
    return nullptr;
  }
  return v;
}

const nlohmann::json* JsonReader::Array(const char* key, bool required, size_t max_items) {
  const auto* v = Get(key, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    Add("field.type", key, "must be an array");
    return nullptr;
  }
  if (v->size() > max_items) {
    Add("field.length", key, "has " + std::to_string(v->size()) + " items; at most " +
                                 std::to_string(max_items) + " allowed");
    return nullptr;
  }
  return v;
}

std::optional<std::string> JsonReader::OneOf(const char* key, bool required,
                                             const std::vector<std::string>& allowed) {
  auto s = String(key, required, 256);
  if (!s) return std::nullopt;
  for (const auto& a : allowed)
    if (a == *s) return s;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  Add("field.enum", key, "must be one of: " + list);
  return std::nullopt;
}

}  // namespace adda
