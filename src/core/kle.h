// The KLE classification (Kommunernes Landsforenings Emnesystematik) subset adda knows:
// main groups, subjects (NN.NN.NN, with who delivers benefits under them) and action
// facets. Built once from fixtures/kle.json; immutable afterwards, so thread-safe to read.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/case.h"
#include "core/status.h"

namespace adda {

struct KleSubject {
  std::string code;
  std::string title;
  Deliverer deliverer = Deliverer::kMunicipality;
};

class KleCatalogue {
 public:
  // Failure: "fixture.invalid" naming the bad entry.
  static Result<KleCatalogue> FromJson(const nlohmann::json& j);

  // NN.NN.NN with digits only.
  static bool IsSubjectFormat(std::string_view code);
  // A letter (or Ø) followed by two digits, e.g. G01, P15, Ø30.
  static bool IsFacetFormat(std::string_view code);

  const KleSubject* Subject(std::string_view code) const;
  std::optional<std::string> MainGroupTitle(std::string_view main_code) const;
  std::optional<std::string> FacetTitle(std::string_view code) const;
  const std::vector<KleSubject>& subjects() const { return subjects_; }
  const std::map<std::string, std::string>& main_groups() const { return main_groups_; }

 private:
  std::vector<KleSubject> subjects_;
  std::map<std::string, size_t, std::less<>> by_code_;
  std::map<std::string, std::string> main_groups_;
  std::map<std::string, std::string, std::less<>> facets_;
};

}  // namespace adda
