// libFuzzer: any bytes as a scenario file give a parsed scenario or a list of problems,
// never a crash; an accepted scenario parses again from its own source, and its plan
// for a small population is built without trouble.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "sim/plan.h"
#include "sim/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  auto s = adda::sim::ParseScenario(j, "fuzz.json");
  if (!s.ok()) {
    if (s.status().violations().empty()) std::abort();  // a refusal always says why
    (void)adda::sim::DescribeScenarioErrors(s.status(), "fuzz.json");
    return 0;
  }
  if (!adda::sim::ParseScenario(s->source, "fuzz.json").ok()) std::abort();
  // Keep plans small: a fuzzed rate or duration must not make the harness slow.
  if (s->load.duration_s() > 60) return 0;
  for (const auto& st : s->load.stages)
    if (st.target > 50) return 0;
  std::vector<adda::sim::TestUser> users;
  for (int m : s->municipalities)
    users.push_back({"0101800000", m, adda::Date::FromYmd(1980, 1, 1)});
  adda::sim::Population population(users, adda::GoLiveDate());
  adda::sim::Plan plan(*s, population);
  const uint64_t n = std::min<uint64_t>(plan.total(), 20);
  for (uint64_t i = 0; i < n; ++i) (void)plan.At(i);
  return 0;
}
