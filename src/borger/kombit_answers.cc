#include "borger/kombit_answers.h"

#include <exception>

#include <nlohmann/json.hpp>

namespace adda::borger {
namespace {

Status Unreadable(const std::string& what, const std::string& why) {
  return Status::Error("kombit.unreadable", "KOMBIT answered " + what + " borger.dk cannot read: " + why);
}

// The answer's JSON, or why not; nlohmann's own parser error names the offset.
Result<nlohmann::json> Parse(const std::string& what, const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return Unreadable(what, "not JSON");
  if (!j.is_object()) return Unreadable(what, "not an object");
  return j;
}

IndexCase CaseFrom(const nlohmann::json& j) { return {j.get<Case>(), j.contains("documents")}; }

}  // namespace

Result<CitizenRecord> DecodeCitizen(const std::string& body) {
  auto j = Parse("a citizen", body);
  if (!j.ok()) return j.status();
  try {
    CitizenRecord r;
    r.person = j->get<Citizen>();
    const auto children = j->value("children", nlohmann::json::array());
    if (!children.is_array()) return Unreadable("a citizen", "children is not a list");
    for (const auto& c : children) r.children.push_back(c.get<Citizen>());
    return r;
  } catch (const std::exception& e) {
    return Unreadable("a citizen", e.what());
  }
}

Result<CitizenPage> DecodeCitizens(const std::string& body, const std::string& next_key) {
  auto j = Parse("a page of citizens", body);
  if (!j.ok()) return j.status();
  try {
    CitizenPage p;
    const auto& items = j->at("items");
    if (!items.is_array()) return Unreadable("a page of citizens", "items is not a list");
    for (const auto& c : items) p.items.push_back(c.get<Citizen>());
    p.next = j->value(next_key, nlohmann::json());
    return p;
  } catch (const std::exception& e) {
    return Unreadable("a page of citizens", e.what());
  }
}

Result<IndexOverview> DecodeOverview(const std::string& body) {
  auto j = Parse("an overview", body);
  if (!j.ok()) return j.status();
  const auto cases = j->value("/cases/items"_json_pointer, nlohmann::json());
  const auto grants = j->value("/grants/items"_json_pointer, nlohmann::json());
  if (!cases.is_array() || !grants.is_array()) return Unreadable("an overview", "no cases.items and grants.items");
  IndexOverview o;
  for (const auto& c : cases) {
    try {
      o.cases.push_back(CaseFrom(c));
    } catch (const std::exception&) {
      ++o.unreadable;  // one item in a shape we cannot read does not hide the others
    }
  }
  for (const auto& g : grants) {
    try {
      o.grants.push_back(g.get<Grant>());
    } catch (const std::exception&) {
      ++o.unreadable;
    }
  }
  return o;
}

Result<IndexItem> DecodeItem(const std::string& kind, const std::string& body) {
  auto j = Parse("a " + kind, body);
  if (!j.ok()) return j.status();
  try {
    if (kind == "case") return IndexItem(CaseFrom(*j));
    return IndexItem(j->get<Grant>());
  } catch (const std::exception& e) {
    return Unreadable("a " + kind, e.what());
  }
}

}  // namespace adda::borger
