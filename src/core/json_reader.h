// Reading untrusted JSON into domain values while collecting *every* problem.
//
// Each accessor records a Violation (rule "field.required", "field.type", "field.length",
// "field.enum", "field.date", "field.range") under the field's path and returns nullopt,
// instead of throwing at the first problem, so an API can answer with the full list.
// Not thread-safe; lives for one decode.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/money.h"
#include "core/status.h"

namespace adda {

class JsonReader {
 public:
  // `path` prefixes field names in violations, e.g. "status_history[2]".
  JsonReader(const nlohmann::json& object, std::string path, std::vector<Violation>* out);

  bool is_object() const { return object_.is_object(); }
  bool Has(const char* key) const;
  std::optional<std::string> String(const char* key, bool required, size_t max_len);
  std::optional<int64_t> Int(const char* key, bool required, int64_t lo, int64_t hi);
  // Any JSON number (integer or not) within [lo, hi].
  std::optional<double> Number(const char* key, bool required, double lo, double hi);
  std::optional<bool> Bool(const char* key, bool required);
  std::optional<Date> DateField(const char* key, bool required);
  std::optional<Money> Amount(const char* key, bool required);
  const nlohmann::json* Object(const char* key, bool required);
  const nlohmann::json* Array(const char* key, bool required, size_t max_items);
  // One of `allowed`; the stored string is returned.
  std::optional<std::string> OneOf(const char* key, bool required,
                                   const std::vector<std::string>& allowed);

  // Records "field.unknown" for every key not in `allowed`: a misspelt key in a config
  // must fail loudly rather than be silently ignored.
  void ExpectOnly(std::initializer_list<const char*> allowed);
  // Keys not in `allowed`, for callers that warn rather than reject.
  std::vector<std::string> UnknownKeys(std::initializer_list<const char*> allowed) const;

  std::string FieldPath(const char* key) const;
  void Add(std::string rule, const char* key, std::string message);

 private:
  const nlohmann::json* Get(const char* key, bool required);

  const nlohmann::json& object_;
  std::string path_;
  std::vector<Violation>* out_;
};

}  // namespace adda
