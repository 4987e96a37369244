#include "core/status.h"

namespace adda {

void to_json(nlohmann::json& j, const Violation& v) {
  j = nlohmann::json{{"rule", v.rule}, {"field", v.field}, {"message", v.message}};
}

void from_json(const nlohmann::json& j, Violation& v) {
  v.rule = j.at("rule").get<std::string>();
  v.field = j.value("field", "");
  v.message = j.value("message", "");
}

}  // namespace adda
