// libFuzzer: the integration API's payload path — JSON to a case or a grant, then the
// domain validation — never crashes, whatever the bytes.
#include <cstddef>
#include <cstdint>

#include "core/benefit.h"
#include "core/case.h"
#include "core/validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  adda::ValidationContext ctx;
  ctx.municipality = 751;
  try {
    const auto c = j.get<adda::Case>();
    (void)adda::ValidateCase(c, ctx);
  } catch (const std::exception&) {
  }
  try {
    const auto g = j.get<adda::Grant>();
    (void)adda::ValidateGrant(g, ctx);
  } catch (const std::exception&) {
  }
  return 0;
}
