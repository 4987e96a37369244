// borger.dk's citizen rules as pure functions: who may act for whom on a date, which of a
// citizen's items an actor may see, and when a login may be tried again. No I/O: the
// handlers gather the facts (the CPR register's links, the powers of attorney, the
// throttle rows) and ask these, so the rules are tested by table (tests/core/policy_test.cc)
// and written once. See docs/domain.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace adda {

// --- Acting for someone else

// A child linked to a parent in the CPR register.
struct ChildLink {
  std::string cpr;
  Date birth_date;
};

// A power of attorney (fuldmagt): the grantor lets the grantee read and contribute within
// some KLE main groups until it expires (unix seconds) or is revoked.
struct PowerOfAttorney {
  std::string id;
  std::string grantor;
  std::string grantee;
  std::vector<std::string> areas;  // KLE main groups, e.g. "32"
  int64_t expires_s = 0;
  bool revoked = false;
};

struct Authority {
  enum class Kind { kNone, kSelf, kParent, kProxy };
  Kind kind = Kind::kNone;
  std::optional<std::vector<std::string>> areas;  // a power's KLE main groups; nullopt: everything
  std::string proxy_id;                           // the power of attorney in use
  bool allowed() const { return kind != Kind::kNone; }
};

// What `me` may do for `them`: themselves; a parent for a child of theirs who is a minor
// on `today` (custody); a grantee under a power `them` gave `me` that is neither revoked
// nor expired at `now_s` (the first such power held). Custody is looked at first.
Authority AuthorityOver(const std::string& me, const std::string& them, const std::vector<ChildLink>& my_children,
                        const std::vector<PowerOfAttorney>& held_by_me, Date today, int64_t now_s);

// --- Which items an actor sees

// Whether KLE number `kle` lies in `areas` (nullopt: every area). A main group "32"
// covers "32.18.04"; an item without a KLE number lies in no area.
bool InAreas(const std::optional<std::vector<std::string>>& areas, const std::string& kle);

// Whether an item is shown to whoever reads `subject_cpr`'s data: the subject is the
// item's party (a case's primary party, a grant's recipient, as a CPR URN) and the item
// lies in the reader's areas.
bool MaySee(const std::string& subject_cpr, const std::string& party_urn, const std::string& kle,
            const std::optional<std::vector<std::string>>& areas);

// --- Login throttling

struct ThrottleRule {
  int max_failures = 5;    // within the window, then locked for a window
  int64_t window_s = 900;
};

// One subject's failed logins (a CPR, or a client address).
struct ThrottleState {
  int64_t window_start = 0;  // unix seconds
  int failures = 0;
  int64_t locked_until = 0;  // unix seconds; 0: never locked
  bool empty() const { return window_start == 0 && failures == 0 && locked_until == 0; }
};

// Seconds until a login may be tried again (0: now), the longest of `states`' locks.
int64_t LoginRetryAfter(const std::vector<ThrottleState>& states, int64_t now_s);

// The state after one more failure at `now_s`: a window older than the rule's starts
// over; the failure that reaches the limit locks the subject for a window.
ThrottleState AfterFailedLogin(ThrottleState s, const ThrottleRule& rule, int64_t now_s);

}  // namespace adda
