// KOMBIT's answers as borger.dk uses them: decoded once, where they arrive, into the
// core's types. Handlers never read KOMBIT's JSON themselves. Pure functions of the
// answer's bytes (no I/O); the gateway fetches, these decode.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "core/benefit.h"
#include "core/case.h"
#include "core/citizen.h"
#include "core/status.h"

namespace adda::borger {

// /v1/citizens/{cpr}: the person and the children in the register's custody links.
struct CitizenRecord {
  Citizen person;
  std::vector<Citizen> children;
};

// /v1/citizens?municipality=…: a page of the register, with where the next one starts.
struct CitizenPage {
  std::vector<Citizen> items;
  nlohmann::json next;  // next_after (a CPR) or next_offset, as KOMBIT gave it; null at the end
};

// One case as the index holds it, and whether the municipality shows its documents'
// titles (the index leaves `documents` out when it does not).
struct IndexCase {
  Case value;
  bool documents_shown = false;
};

// /v1/citizens/{cpr}/overview: the citizen's cases and grants. An item the index holds
// in a shape borger.dk cannot read is left out and counted.
struct IndexOverview {
  std::vector<IndexCase> cases;
  std::vector<Grant> grants;
  int unreadable = 0;
};

// /v1/cases/{m}/{id} or /v1/grants/{m}/{id}.
using IndexItem = std::variant<IndexCase, Grant>;

// Each refuses an answer it cannot read with "kombit.unreadable", naming what was wrong.
Result<CitizenRecord> DecodeCitizen(const std::string& body);
Result<CitizenPage> DecodeCitizens(const std::string& body, const std::string& next_key);  // next_after | next_offset
Result<IndexOverview> DecodeOverview(const std::string& body);
Result<IndexItem> DecodeItem(const std::string& kind, const std::string& body);  // kind: case | grant

}  // namespace adda::borger
