// libFuzzer: the CPR parser never crashes, and what it accepts is ten digits that parse
// again to the same number.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/cpr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cpr = adda::Cpr::Parse(text);
  if (cpr.ok()) {
    if (cpr->digits().size() != 10) std::abort();
    auto again = adda::Cpr::Parse(cpr->digits());
    if (!again.ok() || again->digits() != cpr->digits()) std::abort();
  }
  return 0;
}
