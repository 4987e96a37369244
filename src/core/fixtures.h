// The fixture files compiled into the binary (fixtures/*.json, embedded at build time
// by cmake/embed_fixtures.cmake), so adda needs no data directory to know KLE, names,
// explanations and the case mix. Immutable; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace adda {

// name ("kle", "names", "explanations", "case_mix") -> file contents.
const std::map<std::string, std::string_view>& EmbeddedFixtures();

// The named fixture's text; empty if there is no such fixture.
inline std::string_view EmbeddedFixture(const std::string& name) {
  const auto& all = EmbeddedFixtures();
  auto it = all.find(name);
  return it == all.end() ? std::string_view() : it->second;
}

}  // namespace adda
