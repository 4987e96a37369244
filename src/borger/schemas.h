// borger.dk's named schemas (components.schemas of its /openapi.json): what each route
// takes and answers. The route table (routes.cc) names them.
#pragma once

#include <nlohmann/json.hpp>

namespace adda::borger {

nlohmann::json BorgerSchemas();

}  // namespace adda::borger
