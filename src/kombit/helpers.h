// Small helpers the KOMBIT handlers share: reading path parameters safely, list
// answers, 422 answers with every violation, preconditions, hashing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "net/http.h"
#include "store/kombit_store.h"

namespace adda::kombit {


// {code} as a municipality code (3 digits); 400 otherwise.
int PathMunicipality(const net::Request& req);
// An id from the path: 1–64 characters of [A-Za-z0-9._-]; 400 "request.bad_id" otherwise.
const std::string& PathId(const net::Request& req, const std::string& name);
// {cpr} as ten digits (DDMMYY-SSSS accepted); 400 "request.bad_cpr" otherwise.
std::string PathCpr(const net::Request& req);

// 422 with every violation (and the warnings seen so far).
[[noreturn]] void ThrowUnprocessable(const std::vector<Violation>& errors, const std::vector<Violation>& warnings,
                                     const std::string& message = "the record breaks the integration rules");

// {"items": [bodies…], "limit", "offset", "next_offset"}; `bodies` may hold limit + 1.
std::string ListJson(std::vector<std::string> bodies, const store::Page& page);

// Checks If-Match / If-None-Match against the current version (nullopt: no such item).
// 412 "version.mismatch" / "version.exists" / "version.missing".
void CheckPreconditions(const net::Request& req, std::optional<int64_t> current);
inline void CheckPreconditions(const net::Request& req, const std::optional<store::StoredItem>& current) {
  CheckPreconditions(req, current ? std::optional<int64_t>(current->version) : std::nullopt);
}

// Records a refused write in its log entry: status, the violations (or the error's own
// code as one), and any warnings the answer carried. Returns the errors.
nlohmann::json RecordRefusal(const net::HttpError& e, store::LogEntry* entry);

std::string ETag(int64_t version);
nlohmann::json ViolationsJson(const std::vector<Violation>& v);

}  // namespace adda::kombit
