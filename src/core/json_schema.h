// JSON Schemas (the OpenAPI 3.0 dialect) as values: builders for writing a service's
// contract in C++, and a validator that checks a JSON value against one.
//
// The validator reports what JsonReader reports, with the same rule ids and paths
// ("field.required", "field.type", "field.length", "field.enum", "field.date",
// "field.range", "field.unknown"; "status_history[2].from"), so a body refused by its
// schema reads exactly as one refused by a handler's decoder. What it reads of a
// schema: type, nullable, enum, minimum, maximum, minLength, maxLength, pattern (with an
// "x-rule" naming the rule it breaks), format (date, date-time), properties, required,
// additionalProperties, items, minItems, maxItems, oneOf (with a discriminator), allOf
// and local $refs to
// "#/components/schemas/<name>". Anything else in a schema (description, example) is
// documentation only.
//
// Debian 12 packages no JSON Schema validator for C++, and this subset is small; the
// tests (tests/core/json_schema_test.cc) hold it to the rules above.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace adda::schema {

using Json = nlohmann::json;

// Scalars.
Json String();  // any string (answers)
Json String(size_t max_len, size_t min_len = 0);
// A string that must be present and not empty (JsonReader's required string).
Json Text(size_t max_len);
Json Pattern(std::string regex, std::string rule, size_t max_len);  // rule: the x-rule it breaks
Json Integer(int64_t lo, int64_t hi);
Json Integer();  // any integer
Json Number(double lo, double hi);
Json Boolean();
Json Date();      // "YYYY-MM-DD", a real date
Json DateTime();  // RFC 3339, as the services stamp
Json Enum(std::vector<std::string> values);
// Compound.
Json Array(Json items, size_t max_items, size_t min_items = 0);
Json Ref(const std::string& name);  // {"$ref": "#/components/schemas/<name>"}
// `s` or null. A reference made nullable must be to an object schema.
Json Nullable(Json s);
Json OneOf(std::vector<Json> forms);
// One of several named object schemas, told apart by the string in `property` (its value
// is the form's name in `forms`): {"kind": "case"} is held to forms["case"].
Json Tagged(const std::string& property, const std::vector<std::pair<std::string, std::string>>& forms);

// A property of an object: its name, its schema, and whether it must be there.
struct Property {
  std::string name;
  Json schema;
  bool required;
};
inline Property Req(std::string name, Json s) { return {std::move(name), std::move(s), true}; }
// An optional property; null counts as absent (as JsonReader reads it).
inline Property Opt(std::string name, Json s) { return {std::move(name), Nullable(std::move(s)), false}; }
// An object with exactly these properties (`closed`: any other is "field.unknown"), or
// these and any others (open: answers may grow, and KOMBIT warns of unknown fields).
Json Object(const std::vector<Property>& properties, bool closed = true);
// An object whose values all follow `values` (a map by key).
Json Map(Json values);

Json Described(Json s, const std::string& description);

// Checks `value` against `schema`, appending a Violation for each problem to `out`.
// `components` is the document's components.schemas, for $refs. `path` prefixes field
// paths (empty: the value is the body; its own problems are reported at "$").
void Validate(const Json& schema, const Json& value, const Json& components, const std::string& path,
              std::vector<Violation>* out);

// The names of the components `schema` refers to, directly.
std::vector<std::string> RefsIn(const Json& schema);

}  // namespace adda::schema
