#include "core/policy.h"

#include <algorithm>

#include "core/citizen.h"

namespace adda {

Authority AuthorityOver(const std::string& me, const std::string& them, const std::vector<ChildLink>& my_children,
                        const std::vector<PowerOfAttorney>& held_by_me, Date today, int64_t now_s) {
  Authority a;
  if (me == them) {
    a.kind = Authority::Kind::kSelf;
    return a;
  }
  for (const auto& child : my_children)
    if (child.cpr == them && AgeOn(child.birth_date, today) < kAgeOfMajority) {
      a.kind = Authority::Kind::kParent;
      return a;
    }
  for (const auto& p : held_by_me) {
    if (p.grantee != me || p.grantor != them || p.revoked || p.expires_s <= now_s) continue;
    a.kind = Authority::Kind::kProxy;
    a.areas = p.areas;
    a.proxy_id = p.id;
    return a;
  }
  return a;
}

bool InAreas(const std::optional<std::vector<std::string>>& areas, const std::string& kle) {
  if (!areas) return true;
  if (kle.empty()) return false;
  return std::any_of(areas->begin(), areas->end(), [&](const std::string& a) {
    // "32" covers "32" and "32.…", never "320…".
    return !a.empty() && kle.rfind(a, 0) == 0 && (kle.size() == a.size() || kle[a.size()] == '.');
  });
}

bool MaySee(const std::string& subject_cpr, const std::string& party_urn, const std::string& kle,
            const std::optional<std::vector<std::string>>& areas) {
  return party_urn == "urn:oio:cpr-nr:" + subject_cpr && InAreas(areas, kle);
}

int64_t LoginRetryAfter(const std::vector<ThrottleState>& states, int64_t now_s) {
  int64_t wait = 0;
  for (const auto& s : states) wait = std::max(wait, s.locked_until - now_s);
  return wait;
}

ThrottleState AfterFailedLogin(ThrottleState s, const ThrottleRule& rule, int64_t now_s) {
  if (now_s - s.window_start > rule.window_s) s = {now_s, 0, 0};
  if (++s.failures >= rule.max_failures) s.locked_until = now_s + rule.window_s;
  return s;
}

}  // namespace adda
