#include "core/json_schema.h"

#include <map>
#include <memory>
#include <mutex>
#include <regex>

#include "core/date.h"

namespace adda::schema {

namespace {

constexpr const char* kRefPrefix = "#/components/schemas/";

Json Typed(const char* type) { return Json{{"type", type}}; }

}  // namespace

Json String() { return Typed("string"); }
Json String(size_t max_len, size_t min_len) {
  Json s = Typed("string");
  s["maxLength"] = max_len;
  if (min_len) s["minLength"] = min_len;
  return s;
}
Json Text(size_t max_len) { return String(max_len, 1); }
Json Pattern(std::string regex, std::string rule, size_t max_len) {
  Json s = String(max_len);
  s["pattern"] = std::move(regex);
  s["x-rule"] = std::move(rule);
  return s;
}
Json Integer(int64_t lo, int64_t hi) {
  Json s = Typed("integer");
  s["minimum"] = lo;
  s["maximum"] = hi;
  return s;
}
Json Integer() { return Typed("integer"); }
Json Number(double lo, double hi) {
  Json s = Typed("number");
  s["minimum"] = lo;
  s["maximum"] = hi;
  return s;
}
Json Boolean() { return Typed("boolean"); }
Json Date() { return Json{{"type", "string"}, {"format", "date"}}; }
Json DateTime() { return Json{{"type", "string"}, {"format", "date-time"}}; }
Json Enum(std::vector<std::string> values) { return Json{{"type", "string"}, {"enum", std::move(values)}}; }
Json Array(Json items, size_t max_items, size_t min_items) {
  Json s{{"type", "array"}, {"items", std::move(items)}, {"maxItems", max_items}};
  if (min_items) s["minItems"] = min_items;
  return s;
}
Json Ref(const std::string& name) { return Json{{"$ref", kRefPrefix + name}}; }
Json Nullable(Json s) {
  // OpenAPI 3.0 ignores siblings of $ref, so a nullable reference wraps it; and
  // "nullable" means something only beside a "type" (adda's references are to objects).
  if (s.contains("$ref")) return Json{{"type", "object"}, {"nullable", true}, {"allOf", Json::array({std::move(s)})}};
  if (!s.contains("type") && s.contains("oneOf")) {
    std::string type;
    for (const auto& form : s["oneOf"]) {
      const std::string t = form.value("type", "");
      type = type.empty() || type == t ? t : "?";
    }
    if (!type.empty() && type != "?") s["type"] = type;
  }
  s["nullable"] = true;
  return s;
}
Json OneOf(std::vector<Json> forms) { return Json{{"oneOf", std::move(forms)}}; }
Json Tagged(const std::string& property, const std::vector<std::pair<std::string, std::string>>& forms) {
  Json one = Json::array();
  Json mapping = Json::object();
  for (const auto& [value, name] : forms) {
    one.push_back(Ref(name));
    mapping[value] = kRefPrefix + name;
  }
  return Json{{"oneOf", one}, {"discriminator", {{"propertyName", property}, {"mapping", mapping}}}};
}

Json Object(const std::vector<Property>& properties, bool closed) {
  Json s = Typed("object");
  Json props = Json::object();
  Json required = Json::array();
  for (const auto& p : properties) {
    props[p.name] = p.schema;
    if (p.required) required.push_back(p.name);
  }
  s["properties"] = std::move(props);
  if (!required.empty()) s["required"] = std::move(required);
  s["additionalProperties"] = !closed;
  return s;
}
Json Map(Json values) { return Json{{"type", "object"}, {"additionalProperties", std::move(values)}}; }
Json Described(Json s, const std::string& description) {
  s["description"] = description;
  return s;
}

namespace {

// One validation: the components and where violations go.
class Checker {
 public:
  Checker(const Json& components, std::vector<Violation>* out) : components_(components), out_(out) {}

  void Check(const Json& schema, const Json& v, const std::string& path, int depth) {
    if (depth > 64) return Add("schema.depth", path, "the schema nests too deeply");
    if (auto ref = schema.find("$ref"); ref != schema.end()) {
      const Json* target = Resolve(*ref);
      if (!target) return Add("schema.ref", path, "refers to an unknown schema " + ref->dump());
      return Check(*target, v, path, depth + 1);
    }
    if (v.is_null()) {
      if (schema.value("nullable", false)) return;
      return Add("field.type", path, "must not be null");
    }
    if (auto all = schema.find("allOf"); all != schema.end())
      for (const auto& s : *all) Check(s, v, path, depth + 1);
    if (auto d = schema.find("discriminator"); d != schema.end()) return CheckTagged(*d, v, path, depth);
    if (auto one = schema.find("oneOf"); one != schema.end()) CheckOneOf(*one, v, path, depth);
    auto type = schema.find("type");
    if (type != schema.end() && !CheckType(type->get<std::string>(), v, path)) return;
    if (v.is_string()) CheckString(schema, v.get_ref<const std::string&>(), path);
    if (v.is_number()) CheckNumber(schema, v, path);
    if (v.is_array()) CheckArray(schema, v, path, depth);
    if (v.is_object()) CheckObject(schema, v, path, depth);
  }

 private:
  void Add(std::string rule, const std::string& path, std::string message) {
    out_->push_back({std::move(rule), path.empty() ? "$" : path, std::move(message)});
  }

  const Json* Resolve(const Json& ref) const {
    if (!ref.is_string()) return nullptr;
    const std::string& s = ref.get_ref<const std::string&>();
    if (s.rfind(kRefPrefix, 0) != 0) return nullptr;
    auto it = components_.find(s.substr(std::char_traits<char>::length(kRefPrefix)));
    return it == components_.end() ? nullptr : &*it;
  }

  bool CheckType(const std::string& type, const Json& v, const std::string& path) {
    bool ok = true;
    const char* message = "";
    if (type == "object") ok = v.is_object(), message = "must be an object";
    else if (type == "array") ok = v.is_array(), message = "must be an array";
    else if (type == "string") ok = v.is_string(), message = "must be a string";
    else if (type == "integer") ok = v.is_number_integer(), message = "must be an integer";
    else if (type == "number") ok = v.is_number(), message = "must be a number";
    else if (type == "boolean") ok = v.is_boolean(), message = "must be true or false";
    if (!ok) Add("field.type", path, message);
    return ok;
  }

  void CheckOneOf(const Json& forms, const Json& v, const std::string& path, int depth) {
    // The form whose type the value has decides (adda's oneOfs differ by type), so its
    // own problems are what the caller sees.
    int matching = 0;
    std::vector<Violation> first;
    for (const auto& form : forms) {
      std::vector<Violation> mine;
      Checker(components_, &mine).Check(form, v, path, depth + 1);
      const bool same_type = mine.empty() || mine.front().rule != "field.type" || mine.front().field != (path.empty() ? "$" : path);
      if (mine.empty()) ++matching;
      else if (same_type && first.empty()) first = std::move(mine);
    }
    if (matching == 1) return;
    if (matching > 1) return Add("field.type", path, "matches more than one of its forms");
    if (!first.empty()) {
      out_->insert(out_->end(), first.begin(), first.end());
      return;
    }
    Add("field.type", path, "matches none of its forms");
  }

  // The form the discriminating property names decides.
  void CheckTagged(const Json& d, const Json& v, const std::string& path, int depth) {
    if (!v.is_object()) return Add("field.type", path, "must be an object");
    const std::string property = d.value("propertyName", "");
    const std::string key_path = path.empty() ? property : path + "." + property;
    auto tag = v.find(property);
    if (tag == v.end() || tag->is_null()) return Add("field.required", key_path, "is required");
    const Json& mapping = d.value("mapping", Json::object());
    auto form = tag->is_string() ? mapping.find(tag->get<std::string>()) : mapping.end();
    if (form == mapping.end()) {
      std::string list;
      for (const auto& [k, unused] : mapping.items()) list += (list.empty() ? "" : ", ") + k;
      return Add("field.enum", key_path, "must be one of: " + list);
    }
    Check(Json{{"$ref", *form}}, v, path, depth + 1);
  }

  void CheckString(const Json& schema, const std::string& s, const std::string& path) {
    // Length counts characters (UTF-8 code points), as JsonReader does.
    size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    const size_t min_len = schema.value("minLength", size_t{0});
    if (chars < min_len) {
      if (min_len == 1) Add("field.required", path, "must not be empty");
      else Add("field.length", path, "is " + std::to_string(chars) + " characters; at least " + std::to_string(min_len) + " needed");
      return;
    }
    if (auto max = schema.find("maxLength"); max != schema.end() && chars > max->get<size_t>()) {
      Add("field.length", path, "is " + std::to_string(chars) + " characters; at most " + std::to_string(max->get<size_t>()) + " allowed");
      return;
    }
    if (auto e = schema.find("enum"); e != schema.end()) {
      for (const auto& a : *e)
        if (a == s) return;
      std::string list;
      for (const auto& a : *e) list += (list.empty() ? "" : ", ") + a.get<std::string>();
      return Add("field.enum", path, "must be one of: " + list);
    }
    if (auto f = schema.find("format"); f != schema.end()) {
      if (*f == "date" && !::adda::Date::Parse(s)) return Add("field.date", path, "must be a real date as YYYY-MM-DD");
      if (*f == "date-time" && !Timestamp::Parse(s)) return Add("field.date", path, "must be a date and time (RFC 3339)");
    }
    if (auto p = schema.find("pattern"); p != schema.end()) {
      if (!std::regex_search(s, Compiled(p->get<std::string>())))
        Add(schema.value("x-rule", std::string("field.pattern")), path, "does not have the form " + p->get<std::string>());
    }
  }

  void CheckNumber(const Json& schema, const Json& v, const std::string& path) {
    auto lo = schema.find("minimum");
    auto hi = schema.find("maximum");
    if (lo == schema.end() && hi == schema.end()) return;
    bool in = true;
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      in = hi == schema.end();
    } else if (v.is_number_integer() && (lo == schema.end() || lo->is_number_integer()) &&
               (hi == schema.end() || hi->is_number_integer())) {
      const int64_t n = v.get<int64_t>();
      in = (lo == schema.end() || n >= lo->get<int64_t>()) && (hi == schema.end() || n <= hi->get<int64_t>());
    } else {
      const double d = v.get<double>();
      in = (lo == schema.end() || d >= lo->get<double>()) && (hi == schema.end() || d <= hi->get<double>());
    }
    if (!in) {
      std::string range = lo == schema.end() ? "at most " + hi->dump()
                          : hi == schema.end() ? "at least " + lo->dump()
                                               : "between " + lo->dump() + " and " + hi->dump();
      Add("field.range", path, "must be " + range);
    }
  }

  void CheckArray(const Json& schema, const Json& v, const std::string& path, int depth) {
    if (auto max = schema.find("maxItems"); max != schema.end() && v.size() > max->get<size_t>())
      return Add("field.length", path, "has " + std::to_string(v.size()) + " items; at most " + std::to_string(max->get<size_t>()) + " allowed");
    if (auto min = schema.find("minItems"); min != schema.end() && v.size() < min->get<size_t>()) {
      if (min->get<size_t>() == 1) return Add("field.required", path, "must not be empty");
      return Add("field.length", path, "has " + std::to_string(v.size()) + " items; at least " + std::to_string(min->get<size_t>()) + " needed");
    }
    auto items = schema.find("items");
    if (items == schema.end()) return;
    // An item of a body that is itself an array is "[2]" (as the fault rules' parser says).
    for (size_t i = 0; i < v.size(); ++i) Check(*items, v[i], path + "[" + std::to_string(i) + "]", depth + 1);
  }

  void CheckObject(const Json& schema, const Json& v, const std::string& path, int depth) {
    auto key_path = [&](const std::string& k) { return path.empty() ? k : path + "." + k; };
    static const Json kNone = Json::object();
    auto pit = schema.find("properties");
    const Json& props = pit == schema.end() ? kNone : *pit;
    // Required: there, and not null unless its schema allows null (JsonReader reads a
    // null as absent; an answer may name a field that has no value with null).
    if (auto req = schema.find("required"); req != schema.end())
      for (const auto& k : *req) {
        auto it = v.find(k.get<std::string>());
        if (it == v.end() || (it->is_null() && !AllowsNull(props, k.get<std::string>())))
          Add("field.required", key_path(k), "is required");
      }
    auto extra = schema.find("additionalProperties");
    for (const auto& [k, value] : v.items()) {
      if (auto p = props.find(k); p != props.end()) {
        if (value.is_null() && IsRequired(schema, k) && !AllowsNull(props, k)) continue;  // reported above
        Check(*p, value, key_path(k), depth + 1);
      } else if (extra != schema.end() && extra->is_boolean() && !extra->get<bool>()) {
        Add("field.unknown", key_path(k), "is not a known field (misspelt?)");
      } else if (extra != schema.end() && extra->is_object()) {
        Check(*extra, value, key_path(k), depth + 1);
      }
    }
  }

  static bool AllowsNull(const Json& props, const std::string& k) {
    auto p = props.find(k);
    return p != props.end() && p->value("nullable", false);
  }

  static bool IsRequired(const Json& schema, const std::string& k) {
    auto req = schema.find("required");
    if (req == schema.end()) return false;
    for (const auto& r : *req)
      if (r == k) return true;
    return false;
  }

  // Patterns are compiled once per process (std::regex is slow to build).
  static const std::regex& Compiled(const std::string& pattern) {
    static std::mutex mu;
    static std::map<std::string, std::unique_ptr<std::regex>> cache;
    std::lock_guard<std::mutex> lock(mu);
    auto& slot = cache[pattern];
    if (!slot) slot = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
    return *slot;
  }

  const Json& components_;
  std::vector<Violation>* out_;
};

void CollectRefs(const Json& s, std::vector<std::string>* out) {
  if (s.is_object()) {
    for (const auto& [k, v] : s.items()) {
      if (k == "$ref" && v.is_string() && v.get_ref<const std::string&>().rfind(kRefPrefix, 0) == 0)
        out->push_back(v.get<std::string>().substr(std::char_traits<char>::length(kRefPrefix)));
      else
        CollectRefs(v, out);
    }
  } else if (s.is_array()) {
    for (const auto& v : s) CollectRefs(v, out);
  }
}

}  // namespace

void Validate(const Json& schema, const Json& value, const Json& components, const std::string& path,
              std::vector<Violation>* out) {
  Checker(components, out).Check(schema, value, path, 0);
}

std::vector<std::string> RefsIn(const Json& schema) {
  std::vector<std::string> out;
  CollectRefs(schema, &out);
  return out;
}

}  // namespace adda::schema
