#include "core/kle.h"

namespace adda {

bool KleCatalogue::IsSubjectFormat(std::string_view c) {
  if (c.size() != 8 || c[2] != '.' || c[5] != '.') return false;
  for (size_t i : {0, 1, 3, 4, 6, 7})
    if (c[i] < '0' || c[i] > '9') return false;
  return true;
}

bool KleCatalogue::IsFacetFormat(std::string_view c) {
  std::string_view digits;
  if (c.size() == 3 && c[0] >= 'A' && c[0] <= 'Z') {
    digits = c.substr(1);
  } else if (c.size() == 4 && c.substr(0, 2) == "\xC3\x98") {  // Ø in UTF-8
    digits = c.substr(2);
  } else {
    return false;
  }
  return digits[0] >= '0' && digits[0] <= '9' && digits[1] >= '0' && digits[1] <= '9';
}

Result<KleCatalogue> KleCatalogue::FromJson(const nlohmann::json& j) {
  KleCatalogue k;
  try {
    for (const auto& g : j.at("main_groups"))
      k.main_groups_[g.at("code").get<std::string>()] = g.at("title").get<std::string>();
    for (const auto& s : j.at("subjects")) {
      KleSubject subject;
      subject.code = s.at("code").get<std::string>();
      subject.title = s.at("title").get<std::string>();
      auto del = ParseDeliverer(s.value("deliverer", "municipality"));
      if (!IsSubjectFormat(subject.code) || !del)
        return Status::Error("fixture.invalid", "kle.json: bad subject " + subject.code);
      subject.deliverer = *del;
      k.by_code_[subject.code] = k.subjects_.size();
      k.subjects_.push_back(std::move(subject));
    }
    for (const auto& f : j.at("action_facets"))
      k.facets_[f.at("code").get<std::string>()] = f.at("title").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    return Status::Error("fixture.invalid", std::string("kle.json: ") + e.what());
  }
  return k;
}

const KleSubject* KleCatalogue::Subject(std::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &subjects_[it->second];
}

std::optional<std::string> KleCatalogue::MainGroupTitle(std::string_view main_code) const {
  auto it = main_groups_.find(std::string(main_code.substr(0, 2)));
  if (it == main_groups_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> KleCatalogue::FacetTitle(std::string_view code) const {
  auto it = facets_.find(code);
  if (it == facets_.end()) return std::nullopt;
  return it->second;
}

}  // namespace adda
