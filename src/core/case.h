// Sag: a municipal case as the case index (Sags- og Dokumentindeks, SF1470) knows it.
//
// A Case carries its whole progress-status *history* (Opstaaet → Oplyst → Afgjort →
// Afsluttet, each with a validity period), a free-text local status, KLE subject and
// action facet, the responsible unit, the primary party as a CPR URN, document metadata
// (never content) and the decision. The caseworker is kept for the municipality's own
// reads and never shown to citizens (see IndexView). Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/status.h"

namespace adda {

enum class CaseStatus { kOpstaaet = 0, kOplyst = 1, kAfgjort = 2, kAfsluttet = 3 };
const char* ToString(CaseStatus s);
std::optional<CaseStatus> ParseCaseStatus(std::string_view s);
const std::vector<std::string>& CaseStatusNames();

enum class Deliverer { kMunicipality, kUdbetalingDanmark };
const char* ToString(Deliverer d);
std::optional<Deliverer> ParseDeliverer(std::string_view s);

const std::vector<std::string>& SensitivityNames();       // SF1470 values
const std::vector<std::string>& DocumentTypeNames();      // "Brev, indgaaende", …
const std::vector<std::string>& DocumentStatusNames();    // "Modtaget", …
const std::vector<std::string>& DecisionOutcomeNames();   // medhold, delvist_medhold, afslag, annulleret

// Field limits of the real schema.
inline constexpr size_t kMaxCaseNumber = 50;
inline constexpr size_t kMaxTitle = 255;
inline constexpr size_t kMaxDescription = 4096;
inline constexpr size_t kMaxShortText = 255;
inline constexpr size_t kMaxHistory = 64;
inline constexpr size_t kMaxDocuments = 500;
inline constexpr size_t kMaxId = 64;        // an id from the source system, and ids that refer to one
inline constexpr size_t kMaxKleCode = 16;   // a KLE subject, NN.NN.NN
inline constexpr size_t kMaxKleFacet = 8;   // an action facet, e.g. G01
inline constexpr size_t kMaxPartyUrn = 64;  // urn:oio:cpr-nr:…

struct StatusPeriod {
  CaseStatus status = CaseStatus::kOpstaaet;
  Date from;
  std::optional<Date> to;  // open while nullopt
  bool reopened = false;   // genoptagelse: allows a backwards move
};

struct Document {
  std::string id;
  std::string title;
  Date letter_date;
  std::string type;
  std::string status;
};

struct Decision {
  std::string outcome;
  Date date;
};

struct Case {
  std::string id;  // UUID from the source system
  int municipality = 0;
  std::string case_number;
  std::string title;
  std::string description;
  std::string legal_basis;
  std::string sensitivity = "FORTROLIGE_PERSONOPLYSNINGER";
  std::string local_status;
  std::vector<StatusPeriod> status_history;
  std::string kle_subject;  // NN.NN.NN
  std::string kle_facet;    // e.g. G01
  std::optional<std::string> responsible_unit;
  std::optional<std::string> caseworker;  // never shown to a citizen
  std::string primary_party;              // urn:oio:cpr-nr:…
  std::vector<Document> documents;
  std::optional<Decision> decision;
  std::optional<Deliverer> deliverer;
  int64_t version = 0;  // set by the store

  CaseStatus current_status() const { return status_history.back().status; }
  Date last_change() const { return status_history.back().from; }
  bool is_open() const { return current_status() != CaseStatus::kAfsluttet; }
};

// Full JSON, including caseworker when set. Round-trips with DecodeCase.
void to_json(nlohmann::json& j, const Case& c);
void to_json(nlohmann::json& j, const StatusPeriod& p);
void to_json(nlohmann::json& j, const Document& d);

// What the index answers borger.dk: no caseworker; documents only when the owning
// municipality allows their titles to be shown.
nlohmann::json CaseIndexView(const Case& c, bool show_documents);

// The same two views as compact JSON text, written without a DOM: the hot paths
// (generator, KOMBIT writes) store and serve these bytes.
std::string CaseJson(const Case& c);
std::string CaseIndexJson(const Case& c, bool show_documents);
std::string DocumentsJson(const std::vector<Document>& documents);
// A case body without documents plus its documents (and caseworker, when given) as one
// object, byte for byte what CaseIndexJson(c, true) / CaseJson(c) give, without parsing.
std::string SpliceCaseJson(std::string_view body_without_documents, std::string_view documents,
                           const std::optional<std::string>& caseworker);

// Decodes untrusted JSON, appending every structural problem (missing field, wrong type,
// length, enum, date) to `violations`. The returned Case is complete only when no
// violation was added. Domain rules are checked separately (validation.h).
Case DecodeCase(const nlohmann::json& j, std::vector<Violation>* violations);
// Decodes one status entry (used by "append a status change").
StatusPeriod DecodeStatusPeriod(const nlohmann::json& j, const std::string& path,
                                std::vector<Violation>* violations);
Document DecodeDocument(const nlohmann::json& j, const std::string& path,
                        std::vector<Violation>* violations);

// Trusted decode (stored data): throws std::invalid_argument on any violation.
void from_json(const nlohmann::json& j, Case& c);

}  // namespace adda
