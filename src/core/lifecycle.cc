#include "core/lifecycle.h"

namespace adda {
namespace {

std::string At(size_t i) { return "status_history[" + std::to_string(i) + "]"; }

}  // namespace

bool IsStale(const Case& c, Date today) {
  if (c.status_history.empty()) return false;
  const CaseStatus s = c.current_status();
  return (s == CaseStatus::kOpstaaet || s == CaseStatus::kOplyst) &&
         today - c.last_change() > kStaleAfterDays;
}

bool IsForwardMove(CaseStatus from, CaseStatus to) {
  return static_cast<int>(to) > static_cast<int>(from);
}

bool IsLegalTransition(CaseStatus current, CaseStatus next, bool reopened) {
  return reopened || IsForwardMove(current, next);
}

HistoryCheck CheckHistory(const std::vector<StatusPeriod>& h, Date today) {
  HistoryCheck out;
  if (h.empty()) {
    out.errors.push_back({kRuleStartsOpstaaet, "status_history", "a case must have a status history"});
    return out;
  }
  if (h.front().status != CaseStatus::kOpstaaet)
    out.errors.push_back({kRuleStartsOpstaaet, At(0) + ".status",
                          "the first status must be Opstaaet, not " +
                              std::string(ToString(h.front().status))});
  for (size_t i = 0; i < h.size(); ++i) {
    const StatusPeriod& p = h[i];
    if (p.from > today)
      out.errors.push_back({kRuleNotFuture, At(i) + ".from",
                            p.from.ToString() + " lies after today (" + today.ToString() + ")"});
    if (p.to && *p.to < p.from)
      out.errors.push_back({kRuleOrdered, At(i) + ".to", "ends before it starts"});
    if (i + 1 < h.size()) {
      const StatusPeriod& n = h[i + 1];
      if (!p.to)
        out.errors.push_back({kRuleSingleOpen, At(i) + ".to",
                              "only the last status may be open; this one needs an end date"});
      if (n.from < p.from)
        out.errors.push_back({kRuleOrdered, At(i + 1) + ".from", "starts before the status before it"});
      else if (p.to && *p.to > n.from)
        out.errors.push_back({kRuleNoOverlap, At(i + 1) + ".from",
                              "overlaps the status before it (which ends " + p.to->ToString() + ")"});
      else if (p.to && *p.to < n.from)
        out.warnings.push_back({kRuleNoGap, At(i + 1) + ".from",
                                "no status is valid from " + p.to->ToString() + " to " +
                                    n.from.ToString()});
      if (!IsLegalTransition(p.status, n.status, n.reopened))
        out.errors.push_back({kRuleNoBackwards, At(i + 1) + ".status",
                              std::string("moves from ") + ToString(p.status) + " to " +
                                  ToString(n.status) + " without being marked reopened"});
    }
  }
  return out;
}

Status AppendStatus(std::vector<StatusPeriod>* history, const StatusPeriod& next, Date today) {
  std::vector<Violation> errors;
  if (history->empty()) {
    errors.push_back({kRuleStartsOpstaaet, "status_history", "the case has no history to append to"});
  } else {
    const StatusPeriod& last = history->back();
    if (next.from > today)
      errors.push_back({kRuleNotFuture, "from", next.from.ToString() + " lies after today"});
    if (next.from < last.from)
      errors.push_back({kRuleOrdered, "from", "starts before the current status (" +
                                                  last.from.ToString() + ")"});
    if (!IsLegalTransition(last.status, next.status, next.reopened))
      errors.push_back({kRuleNoBackwards, "status",
                        std::string("cannot move from ") + ToString(last.status) + " to " +
                            ToString(next.status) + " without marking it reopened"});
    if (next.to && *next.to < next.from)
      errors.push_back({kRuleOrdered, "to", "ends before it starts"});
  }
  if (!errors.empty())
    return Status::Error("kombit.invalid", "the status change breaks the lifecycle rules",
                         std::move(errors));
  history->back().to = next.from;
  history->push_back(next);
  return Status::Ok();
}

}  // namespace adda
