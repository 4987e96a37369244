// The progress-status lifecycle of a case: Opstaaet → Oplyst → Afgjort → Afsluttet.
//
// Forward moves may skip a step (a quick decision goes straight from Opstaaet to
// Afgjort); a move backwards (or repeating the current status) is legal only when the new
// entry is marked `reopened` (genoptagelse). The history is a list of validity periods:
// ordered, non-overlapping, every entry but the last closed, the first one Opstaaet.
// A gap between one period's end and the next one's start is accepted but reported.
// Pure functions; thread-safe.
#pragma once

#include <vector>

#include "core/case.h"
#include "core/status.h"

namespace adda {

// Rule ids (see docs/domain.md).
inline constexpr const char* kRuleStartsOpstaaet = "status.starts_opstaaet";
inline constexpr const char* kRuleOrdered = "status.ordered";
inline constexpr const char* kRuleNoOverlap = "status.no_overlap";
inline constexpr const char* kRuleNoBackwards = "status.no_backwards";
inline constexpr const char* kRuleSingleOpen = "status.single_open";
inline constexpr const char* kRuleNoGap = "status.no_gap";
inline constexpr const char* kRuleNotFuture = "date.not_future";
inline constexpr const char* kRuleStale = "status.stale";

// Days without a status change after which a case still being processed (Opstaaet or
// Oplyst: not yet decided) counts as stale. A decided case may rest in Afgjort for years.
inline constexpr int kStaleAfterDays = 365;
bool IsStale(const Case& c, Date today);

bool IsForwardMove(CaseStatus from, CaseStatus to);
// Whether `next` may follow `current` (a reopening allows any move, including backwards).
bool IsLegalTransition(CaseStatus current, CaseStatus next, bool reopened);

struct HistoryCheck {
  std::vector<Violation> errors;    // reject the write
  std::vector<Violation> warnings;  // accept, but report (gaps)
};

// Checks a whole history as a first import must carry it. `today` is the simulated
// clock: no period may start after it.
HistoryCheck CheckHistory(const std::vector<StatusPeriod>& history, Date today);

// Appends a status change to a valid history: closes the open period at `next.from`
// and adds `next` as the new open period. Failure: a Status with the rule violated
// ("kombit.invalid" with violations) and the history left untouched.
Status AppendStatus(std::vector<StatusPeriod>* history, const StatusPeriod& next, Date today);

}  // namespace adda
