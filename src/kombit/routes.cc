// The KOMBIT mock's API, top to bottom: one row per route (method, path, who may call,
// what it takes and answers, its handler). The handlers are in the *_routes.cc files
// beside this one; /openapi.json is generated from this table. Adding a route: a row here
// and a handler there (see docs/architecture.md).
#include "kombit/schemas.h"
#include "kombit/service.h"

namespace adda::kombit {

void KombitService::AddRoutes() {
  using net::Access;
  using net::Route;
  const std::string base = "/v1/municipalities/{code}";
  const std::vector<net::QueryParam> paging = {{"limit", "integer", "1-500, default 50"},
                                               {"offset", "integer", "default 0"}};
  auto filtered = paging;
  filtered.push_back({"municipality", "integer", "only items owned by this municipality"});
  const std::vector<std::string> preconditions = {"If-Match", "If-None-Match"};
  // An integration write answers its stored answer again for a repeated Idempotency-Key.
  const std::vector<std::string> versioned = {"ETag", "Idempotent-Replayed"};
  AddSchemas(KombitSchemas());
  HttpService::AddRoutes({
      // The case and benefit indexes (borger.dk's system key) (index_routes.cc)
      Route::Get("/v1/municipalities").For(Access::kSystem).Tag("index")
          .Summary("The municipalities in the index and their display policy")
          .Answers(200, "MunicipalityList")
          .Handle(this, &KombitService::Municipalities),
      Route::Get("/v1/citizens").For(Access::kSystem).Tag("index")
          .Summary("Citizens of one municipality (test users for test tools), ordered by CPR")
          .Query({{"municipality", "integer", "the municipality's code", true}, paging[0], paging[1],
                 {"after", "string", "keyset paging: citizens with a CPR after this one (then next_after); deep pages stay fast"}})
          .Answers(200, "CitizenList")
          .Handle(this, &KombitService::Citizens),
      Route::Get("/v1/citizens/{cpr}").For(Access::kSystem).Tag("index")
          .Summary("One citizen with children and parents (custody links)")
          .Answers(200, "CitizenRecord")
          .Handle(this, &KombitService::CitizenRecord),
      Route::Get("/v1/citizens/{cpr}/cases").For(Access::kSystem).Tag("index")
          .Summary("A citizen's cases (primary party), newest first; documents where the municipality shows them")
          .Query(filtered)
          .Answers(200, "IndexCaseList")
          .Handle(this, &KombitService::CitizenCases),
      Route::Get("/v1/citizens/{cpr}/grants").For(Access::kSystem).Tag("index")
          .Summary("A citizen's grants with granted benefits and payments past and planned, newest first")
          .Query(filtered)
          .Answers(200, "GrantList")
          .Handle(this, &KombitService::CitizenGrants),
      Route::Get("/v1/citizens/{cpr}/overview").For(Access::kSystem).Tag("index")
          .Summary("A citizen's cases and grants in one answer (first page of each)")
          .Query(paging)
          .Answers(200, "Overview")
          .Handle(this, &KombitService::CitizenOverview),
      Route::Get("/v1/changes").For(Access::kSystem).Tag("index")
          .Summary("The change feed: which citizens' cases and grants were written, oldest first (a long poll "
                "with wait_ms), after the pattern of KOMBIT's Beskedfordeler")
          .Query({{"after", "integer", "the last seq seen; without it the feed starts now"},
                 {"limit", "integer", "1-5000, default 500"},
                 {"wait_ms", "integer", "0-5000: wait this long for a change before answering empty"}})
          .Answers(200, "ChangeFeed")
          .Fails({410})  // changes.pruned: start again from last_seq
          .Handle(this, &KombitService::Changes),
      Route::Get("/v1/cases/{code}/{id}").For(Access::kSystem).Tag("index")
          .Summary("One case by owner and id (index view)")
          .Answers(200, "IndexCase")
          .Handle(this, &KombitService::CaseItem),
      Route::Get("/v1/grants/{code}/{id}").For(Access::kSystem).Tag("index")
          .Summary("One grant by owner and id")
          .Answers(200, "Grant")
          .Handle(this, &KombitService::GrantItem),
      // The integration API (one key per municipality, its own path only) (integration_routes.cc)
      Route::Put(base + "/cases/{id}").For(Access::kMunicipality).Tag("integration")
          .Summary("Create or replace a case with its full status history (If-Match / If-None-Match honoured)")
          .Takes("CaseInput", "integration.invalid").Reads(preconditions)
          .Answers(200, "WriteResult", versioned).Answers(201, "WriteResult", versioned)
          .Fails({412})
          .Handle(this, &KombitService::IntegratePutCase),
      Route::Get(base + "/cases/{id}").For(Access::kMunicipality).Tag("integration")
          .Summary("One of our cases, full, with its ETag")
          .Answers(200, "Case", {"ETag"})
          .Handle(this, &KombitService::OwnCase),
      Route::Get(base + "/cases").For(Access::kMunicipality).Tag("integration")
          .Summary("Our cases, full, ordered by id")
          .Query(paging)
          .Answers(200, "CaseList")
          .Handle(this, &KombitService::OwnCases),
      Route::Post(base + "/cases/{id}/status").For(Access::kMunicipality).Tag("integration")
          .Summary("Append a status change: {status, from, reopened?, local_status?}")
          .Takes("StatusChange", "integration.invalid").Reads(preconditions)
          .Answers(200, "WriteResult", versioned)
          .Fails({412})
          .Handle(this, &KombitService::IntegrateStatus),
      Route::Put(base + "/cases/{id}/documents/{doc}").For(Access::kMunicipality).Tag("integration")
          .Summary("Add or replace one document's metadata on a case")
          .Takes("DocumentInput", "integration.invalid").Reads(preconditions)
          .Answers(200, "WriteResult", versioned)
          .Fails({412})
          .Handle(this, &KombitService::IntegrateDocument),
      Route::Put(base + "/grants/{id}").For(Access::kMunicipality).Tag("integration")
          .Summary("Create or replace a grant with its granted benefits and payments (If-Match / If-None-Match honoured)")
          .Takes("GrantInput", "integration.invalid").Reads(preconditions)
          .Answers(200, "WriteResult", versioned).Answers(201, "WriteResult", versioned)
          .Fails({412})
          .Handle(this, &KombitService::IntegratePutGrant),
      Route::Get(base + "/grants/{id}").For(Access::kMunicipality).Tag("integration")
          .Summary("One of our grants, with its ETag")
          .Answers(200, "Grant", {"ETag"})
          .Handle(this, &KombitService::OwnGrant),
      Route::Get(base + "/grants").For(Access::kMunicipality).Tag("integration")
          .Summary("Our grants, ordered by id")
          .Query(paging)
          .Answers(200, "GrantList")
          .Handle(this, &KombitService::OwnGrants),
      Route::Put(base + "/grants/{id}/benefits/{sub}").For(Access::kMunicipality).Tag("integration")
          .Summary("Add or replace one granted benefit (with its payment plan) on a grant")
          .Takes("GrantedBenefitInput", "integration.invalid").Reads(preconditions)
          .Answers(200, "WriteResult", versioned)
          .Fails({412})
          .Handle(this, &KombitService::IntegrateGrantBenefit),
      Route::Put(base + "/grants/{id}/payments/{sub}").For(Access::kMunicipality).Tag("integration")
          .Summary("Add or replace one payment on a grant")
          .Takes("PaymentInput", "integration.invalid").Reads(preconditions)
          .Answers(200, "WriteResult", versioned)
          .Fails({412})
          .Handle(this, &KombitService::IntegrateGrantPayment),
      Route::Post(base + "/bulk").For(Access::kMunicipality).Tag("integration").Body("application/x-ndjson", options_.max_bulk_body)
          .Summary("Initial load: newline-delimited JSON, one {kind, record, key?} per line; per-line results")
          .Answers(200, "BulkReport")
          .Handle(this, &KombitService::Bulk),
      Route::Get(base + "/log").For(Access::kMunicipality).Tag("integration")
          .Summary("Our integration log: every request, its status, violations and warnings")
          .Query({{"after", "integer", "entries after this id"}, {"limit", "integer", "1-5000, default 500"}})
          .Answers(200, "IntegrationLog")
          .Handle(this, &KombitService::IntegrationLog),
      // Contributions from citizens, to the owning municipality (contribution_routes.cc)
      Route::Post("/v1/contributions").For(Access::kSystem).Tag("contributions")
          .Summary("Forward a citizen's note or correction to the owning municipality (idempotent by id)")
          .Takes("ContributionInput", "integration.invalid")
          .Answers(201, "Contribution").Answers(200, "Contribution")  // 200: had it already
          .Fails({409})  // contribution.id_conflict: another contribution has this id
          .Handle(this, &KombitService::ReceiveContribution),
      Route::Get("/v1/contributions/{id}").For(Access::kSystem).Tag("contributions")
          .Summary("One contribution: its status and the municipality's reply")
          .Answers(200, "Contribution")
          .Handle(this, &KombitService::ContributionStatus),
      Route::Get("/v1/citizens/{cpr}/contributions").For(Access::kSystem).Tag("contributions")
          .Summary("A citizen's contributions, oldest first")
          .Query(paging)
          .Answers(200, "ContributionList")
          .Handle(this, &KombitService::CitizenContributions),
      Route::Get("/v1/municipalities/{code}/contributions").For(Access::kMunicipality).Tag("contributions")
          .Summary("Our contributions inbox, oldest first, optionally by status")
          .Query({{"status", "string", "received | under_review | corrected | answered | rejected"}, paging[0], paging[1]})
          .Answers(200, "ContributionList")
          .Handle(this, &KombitService::OwnContributions),
      Route::Patch("/v1/municipalities/{code}/contributions/{id}").For(Access::kMunicipality).Tag("contributions")
          .Summary("Move a contribution on (received → under_review → corrected | answered | rejected) with a reply")
          .Takes("ContributionChange", "integration.invalid").Reads(preconditions)
          .Answers(200, "Contribution", versioned)
          .Fails({412})
          .Handle(this, &KombitService::AnswerContribution),
      // Admin: faults and counters (admin_routes.cc)
      Route::Get("/admin/faults").For(Access::kAdmin).Tag("admin")
          .Summary("The fault rules in force, with their counters")
          .Answers(200, "FaultRules")
          .Handle(this, &KombitService::Faults),
      Route::Post("/admin/faults").For(Access::kAdmin).Tag("admin")
          .Summary("Add one fault rule (see docs/kombit.md for its fields)")
          .Takes("FaultRuleInput", "fault.invalid")
          .Answers(201, "FaultAdded")
          .Handle(this, &KombitService::AddFault),
      Route::Put("/admin/faults").For(Access::kAdmin).Tag("admin")
          .Summary("Replace every fault rule at once (an array)")
          .Takes("FaultRuleList", "fault.invalid")
          .Answers(200, "FaultRules")
          .Handle(this, &KombitService::ReplaceFaults),
      Route::Delete("/admin/faults").For(Access::kAdmin).Tag("admin")
          .Summary("Reset: remove every fault rule")
          .Answers(204)
          .Handle(this, &KombitService::ClearFaults),
      Route::Delete("/admin/faults/{id}").For(Access::kAdmin).Tag("admin")
          .Summary("Remove one fault rule")
          .Answers(204)
          .Handle(this, &KombitService::RemoveFault),
      Route::Get("/admin/stats").For(Access::kAdmin).Tag("admin")
          .Summary("Counts: citizens, cases, grants, contributions, log entries, requests")
          .Answers(200, "KombitStats")
          .Handle(this, &KombitService::Stats),
  });
}

}  // namespace adda::kombit
