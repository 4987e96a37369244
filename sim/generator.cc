#include "sim/generator.h"

#include <Poco/DigestEngine.h>
#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/OpenSSLInitializer.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "core/fixtures.h"
#include "core/ids.h"
#include "core/lifecycle.h"
#include "core/random.h"
#include "store/schema.h"

namespace adda::sim {
namespace fs = std::filesystem;
namespace {

// Payments are listed for the pilot's two calendar years.
const Date kPaymentsFrom = Date::FromYmd(2018, 1, 1);
const Date kPaymentsTo = Date::FromYmd(2019, 12, 31);
// Undecided cases are generated with a status change within this many days (so only
// planted defects are stale).
constexpr int kFreshWithinDays = 300;

enum SituationBit : uint32_t {
  kHomeOwner = 1u << 0,
  kUnemployed = 1u << 1,
  kSickLeave = 1u << 2,
  kReducedCapacity = 1u << 3,
  kSmallChild = 1u << 4,
  kSchoolChild = 1u << 5,
  kLowIncome = 1u << 6,
  kElderlyAlone = 1u << 7,
  kChildAtRisk = 1u << 8,
};

uint32_t SituationMask(const std::string& s) {
  if (s == "home_owner") return kHomeOwner;
  if (s == "unemployed") return kUnemployed;
  if (s == "sick_leave") return kSickLeave;
  if (s == "reduced_work_capacity") return kReducedCapacity;
  if (s == "parent_of_small_child") return kSmallChild;
  if (s == "parent_of_school_child") return kSchoolChild;
  if (s == "low_income") return kLowIncome;
  if (s == "elderly_alone") return kElderlyAlone;
  if (s == "child_at_risk") return kChildAtRisk;
  return 0;  // any
}

struct Person {
  Citizen c;
  int age = 0;
  uint32_t flags = 0;
  int32_t partner = -1;
  int children = 0;
  bool partner_decided = false;
};

struct DefectRow {
  std::string item_kind, item_id, kind;
};

// One unit of work handed from the generating thread to the writing thread.
struct Chunk {
  std::optional<Municipality> header;
  std::vector<Citizen> citizens;
  std::vector<store::CaseRow> cases;
  std::vector<store::GrantRow> grants;
  std::vector<DefectRow> defects;
  int municipality = 0;
  bool last_of_municipality = false;
  std::optional<MunicipalityTotals> totals;  // on the last chunk of a municipality
  std::string digest;  // SHA-256 of the chunk's rows, computed by the producer
};

// A bounded single-producer, single-consumer queue.
class ChunkQueue {
 public:
  explicit ChunkQueue(size_t capacity) : capacity_(capacity) {}
  bool Push(Chunk&& c, const std::atomic<bool>* cancel) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return q_.size() < capacity_ || closed_; });
    if (closed_ || (cancel && cancel->load())) return false;
    q_.push_back(std::move(c));
    cv_.notify_all();
    return true;
  }
  std::optional<Chunk> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !q_.empty() || finished_ || closed_; });
    if (q_.empty()) return std::nullopt;
    Chunk c = std::move(q_.front());
    q_.pop_front();
    cv_.notify_all();
    return c;
  }
  void Finish() {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
    cv_.notify_all();
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Chunk> q_;
  size_t capacity_;
  bool finished_ = false, closed_ = false;
};

int64_t Uniform(Rng& rng, const Range& r) {
  return rng.Between(static_cast<int64_t>(std::llround(r.lo)), static_cast<int64_t>(std::llround(r.hi)));
}

// Generates one municipality's people, households, cases and benefits.
class MunicipalityGenerator {
 public:
  MunicipalityGenerator(const GeneratorInputs& in, const Municipality& m, int slot, int slots,
                        const GenerateOptions& opt)
      : in_(in), m_(m), opt_(opt), seed_(DeriveSeed(opt.seed, "municipality", static_cast<uint64_t>(m.code))),
        serial_width_(500 / std::max(1, slots)), serial_base_(slot * (500 / std::max(1, slots))) {
    totals_.code = m.code;
    totals_.name = m.name;
    totals_.target_population = std::max<int64_t>(1, std::llround(static_cast<double>(m.population) * opt.scale));
    for (const auto& r : in.rules) multipliers_.push_back(std::min(1.0, r.probability * m.RateMultiplier(r.id, r.kle)));
  }

  void BuildPeople();
  void LinkHouseholds();
  void AssignSituations();
  void Emit(size_t begin, size_t end, Chunk* out);

  size_t size() const { return people_.size(); }
  MunicipalityTotals& totals() { return totals_; }

 private:
  Date BirthDateForAge(Rng& rng, int age) const;
  std::string MakeCpr(Rng& rng, Date& birth, Sex sex, int age);
  void MakeCase(Rng& rng, const CaseRule& rule, const Person& p, Chunk* out);
  void MakeGrant(Rng& rng, const CaseRule& rule, const Case& c, Chunk* out);
  double DefectRate(const std::string& kind) const {
    auto it = m_.defect_rates.find(kind);
    return it == m_.defect_rates.end() ? 0.0 : it->second;
  }
  bool MaybeDefect(Rng& rng, const std::string& kind) {
    ++totals_.defect_eligible[kind];
    if (!rng.Chance(DefectRate(kind))) return false;
    ++totals_.defects[kind];
    return true;
  }
  std::string Unit(const std::string& key) const {
    auto it = m_.units.find(key);
    return it != m_.units.end() ? it->second : "Borgerservice " + m_.name;
  }

  const GeneratorInputs& in_;
  const Municipality& m_;
  const GenerateOptions& opt_;
  uint64_t seed_;
  int serial_width_, serial_base_;
  std::vector<Person> people_;
  std::map<int64_t, int> serials_;  // (birth day, sex) -> next serial
  std::vector<double> multipliers_;
  int64_t case_seq_ = 0;
  MunicipalityTotals totals_;
};

Date MunicipalityGenerator::BirthDateForAge(Rng& rng, int age) const {
  // Uniform over the year of birthdays that give `age` on the clock date.
  const Date latest = opt_.today.AddMonths(-12 * age);
  const Date earliest = opt_.today.AddMonths(-12 * (age + 1)).AddDays(1);
  return earliest.AddDays(static_cast<int32_t>(rng.Between(0, latest - earliest)));
}

std::string MunicipalityGenerator::MakeCpr(Rng& rng, Date& birth, Sex sex, int age) {
  for (int attempt = 0; attempt < 400; ++attempt) {
    const int64_t key = int64_t{birth.days()} * 2 + (sex == Sex::kMale ? 1 : 0);
    int& next = serials_[key];
    if (next < serial_width_) {
      auto cpr = Cpr::MakeSubstitute(birth, sex, serial_base_ + next);
      ++next;
      if (cpr) return cpr->digits();
      continue;
    }
    // This birthday is full in our slot: move to a neighbouring day of the same age.
    Date candidate = birth.AddDays(rng.Chance(0.5) ? 1 : -1);
    if (AgeOn(candidate, opt_.today) != age) candidate = BirthDateForAge(rng, age);
    birth = candidate;
  }
  throw std::runtime_error("no free substitute CPR for " + birth.ToString());
}

void MunicipalityGenerator::BuildPeople() {
  const int64_t n = totals_.target_population;
  double total_share = 0;
  for (const auto& b : m_.age_structure) total_share += b.share;
  // Largest remainder: band counts that sum to exactly n.
  std::vector<int64_t> counts;
  std::vector<std::pair<double, size_t>> remainders;
  int64_t assigned = 0;
  for (size_t i = 0; i < m_.age_structure.size(); ++i) {
    const double exact = static_cast<double>(n) * m_.age_structure[i].share / total_share;
    counts.push_back(static_cast<int64_t>(std::floor(exact)));
    assigned += counts.back();
    remainders.emplace_back(exact - std::floor(exact), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; assigned < n; ++i, ++assigned) ++counts[remainders[i % remainders.size()].second];

  Rng rng(DeriveSeed(seed_, "people"));
  people_.reserve(static_cast<size_t>(n));
  for (size_t b = 0; b < m_.age_structure.size(); ++b) {
    const AgeBand& band = m_.age_structure[b];
    for (int64_t k = 0; k < counts[b]; ++k) {
      Person p;
      p.age = static_cast<int>(rng.Between(band.from, band.to));
      double male = m_.male_share;
      if (p.age >= 80) male -= 0.12;
      else if (p.age >= 65) male -= 0.03;
      const Sex sex = rng.Chance(male) ? Sex::kMale : Sex::kFemale;
      Date birth = BirthDateForAge(rng, p.age);
      p.c.cpr = MakeCpr(rng, birth, sex, p.age);
      p.c.municipality = m_.code;
      p.c.sex = sex;
      p.c.birth_date = birth;
      p.c.first_name = in_.names.FirstName(rng, sex, birth.year());
      p.c.last_name = in_.names.LastName(rng);
      p.c.household = int64_t{m_.code} * 10'000'000 + static_cast<int64_t>(people_.size());
      people_.push_back(std::move(p));
    }
  }
  totals_.citizens = static_cast<int64_t>(people_.size());
}

void MunicipalityGenerator::LinkHouseholds() {
  Rng rng(DeriveSeed(seed_, "households"));
  std::vector<std::vector<int32_t>> women(121), men(121);
  for (size_t i = 0; i < people_.size(); ++i) {
    auto& bucket = people_[i].c.sex == Sex::kMale ? men : women;
    bucket[static_cast<size_t>(std::min(people_[i].age, 120))].push_back(static_cast<int32_t>(i));
  }
  for (size_t i = 0; i < people_.size(); ++i) {
    Person& child = people_[i];
    if (child.age >= kAgeOfMajority) continue;
    ++totals_.minors;
    if (rng.Chance(0.03)) continue;  // parents live elsewhere, or the child is in care
    int32_t mother = -1;
    for (int attempt = 0; attempt < 8 && mother < 0; ++attempt) {
      const int age = child.age + static_cast<int>(rng.Between(20, 42));
      const auto& pool = women[static_cast<size_t>(std::min(age, 120))];
      if (pool.empty()) continue;
      const int32_t cand = pool[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(pool.size()) - 1))];
      if (people_[static_cast<size_t>(cand)].children < 4) mother = cand;
    }
    if (mother < 0) continue;
    Person& mum = people_[static_cast<size_t>(mother)];
    if (!mum.partner_decided) {
      mum.partner_decided = true;
      if (rng.Chance(0.8)) {
        for (int attempt = 0; attempt < 8; ++attempt) {
          const int age = mum.age + static_cast<int>(rng.Between(-3, 6));
          if (age < kAgeOfMajority || age > 120) continue;
          const auto& pool = men[static_cast<size_t>(age)];
          if (pool.empty()) continue;
          const int32_t cand = pool[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(pool.size()) - 1))];
          Person& dad = people_[static_cast<size_t>(cand)];
          if (dad.partner >= 0 || dad.partner_decided) continue;
          dad.partner_decided = true;
          dad.partner = mother;
          mum.partner = cand;
          dad.c.household = mum.c.household;
          if (rng.Chance(0.4)) mum.c.last_name = dad.c.last_name;
          break;
        }
      }
    }
    ++mum.children;
    child.c.mother = mum.c.cpr;
    child.c.household = mum.c.household;
    child.c.last_name = mum.c.last_name;
    const uint32_t parent_flag = child.age <= 5 ? uint32_t{kSmallChild} : child.age <= 16 ? uint32_t{kSchoolChild} : 0u;
    mum.flags |= parent_flag;
    if (mum.partner >= 0) {
      Person& dad = people_[static_cast<size_t>(mum.partner)];
      ++dad.children;
      dad.flags |= parent_flag;
      child.c.father = dad.c.cpr;
      child.c.last_name = dad.c.last_name;
    }
    ++totals_.children_with_parent;
  }
}

void MunicipalityGenerator::AssignSituations() {
  auto share = [&](const char* k) {
    auto it = m_.situations.find(k);
    return it == m_.situations.end() ? 0.0 : it->second;
  };
  const double owner = share("home_owner"), unemployed = share("unemployed"),
               sick = share("sick_leave"), reduced = share("reduced_work_capacity"),
               low = share("low_income"), alone = share("elderly_alone"), risk = share("child_at_risk");
  for (size_t i = 0; i < people_.size(); ++i) {
    Person& p = people_[i];
    Rng rng(DeriveSeed(seed_, "situation", i));
    if (p.age >= 25 && rng.Chance(owner)) p.flags |= kHomeOwner;
    if (p.age >= 18 && p.age <= 66) {
      const double u = rng.Uniform();
      if (u < unemployed) p.flags |= kUnemployed;
      else if (u < unemployed + sick) p.flags |= kSickLeave;
      else if (u < unemployed + sick + reduced) p.flags |= kReducedCapacity;
    }
    if (p.age >= 18 && rng.Chance(low)) p.flags |= kLowIncome;
    if (p.age >= 65 && p.partner < 0 && rng.Chance(alone)) p.flags |= kElderlyAlone;
    if (p.age < 18 && rng.Chance(risk)) p.flags |= kChildAtRisk;
  }
  // A partner of a home owner owns the home too.
  for (auto& p : people_)
    if (p.partner >= 0 && (people_[static_cast<size_t>(p.partner)].flags & kHomeOwner)) p.flags |= kHomeOwner;
}

std::string Initials(Rng& rng) {
  std::string s;
  for (int i = 0; i < 3; ++i) s += static_cast<char>('A' + rng.Between(0, 25));
  return s;
}

void MunicipalityGenerator::MakeCase(Rng& rng, const CaseRule& rule, const Person& p, Chunk* out) {
  const Date today = opt_.today;
  Case c;
  c.id = MakeUuid(rng);
  c.municipality = m_.code;
  const Date opened = today.AddDays(-static_cast<int32_t>(Uniform(rng, rule.opened_days_before)));
  c.status_history.push_back({CaseStatus::kOpstaaet, opened, std::nullopt, false});
  const size_t target = rng.Pick(rule.final_status_weights);
  Date cur = opened;
  for (size_t s = 1; s <= target; ++s) {
    const auto status = static_cast<CaseStatus>(s);
    auto it = rule.durations_days.find(status);
    const int64_t days = it == rule.durations_days.end() ? 30 : Uniform(rng, it->second);
    const Date next = cur.AddDays(static_cast<int32_t>(days));
    if (next > today) break;
    c.status_history.back().to = next;
    c.status_history.push_back({status, next, std::nullopt, false});
    cur = next;
  }
  // A case still being processed has moved recently; only planted defects are stale.
  const bool undecided = c.current_status() <= CaseStatus::kOplyst;
  if (undecided && today - c.last_change() > kFreshWithinDays) {
    const int32_t shift = (today - c.last_change()) - static_cast<int32_t>(rng.Between(0, kFreshWithinDays));
    for (auto& h : c.status_history) {
      h.from = h.from.AddDays(shift);
      if (h.to) h.to = h.to->AddDays(shift);
    }
  }
  if (c.current_status() >= CaseStatus::kAfgjort) {
    std::vector<double> w;
    for (const auto& o : rule.outcomes) w.push_back(o.second);
    Decision d;
    d.outcome = rule.outcomes.empty() ? "medhold" : rule.outcomes[rng.Pick(w)].first;
    d.date = c.status_history[std::min<size_t>(2, c.status_history.size() - 1)].from;
    for (const auto& h : c.status_history)
      if (h.status == CaseStatus::kAfgjort) d.date = h.from;
    c.decision = d;
  }
  ++case_seq_;
  char number[64];
  std::snprintf(number, sizeof number, "%s-%s-%06lld-%02d", rule.kle.c_str(), rule.facet.c_str(),
                static_cast<long long>(case_seq_), opened.year() % 100);
  c.case_number = number;
  c.title = rule.title;
  c.description = "Sag om " + rule.title;
  c.legal_basis = rule.legal_basis;
  c.sensitivity = rule.sensitivity;
  {
    const size_t n = rule.local_statuses.size();
    const size_t idx = std::min(n - 1, static_cast<size_t>(c.current_status()) * n / 4);
    c.local_status = rule.local_statuses[idx];
  }
  c.kle_subject = rule.kle;
  c.kle_facet = rule.facet;
  c.responsible_unit = Unit(rule.unit);
  c.caseworker = Initials(rng);
  c.primary_party = "urn:oio:cpr-nr:" + p.c.cpr;
  c.deliverer = rule.deliverer;
  c.version = 1;

  // Planted defects (ground truth). Stale first: it moves the whole history.
  std::vector<std::string> planted;
  if (undecided && MaybeDefect(rng, "stale_status")) {
    const int32_t shift = (today.AddDays(-static_cast<int32_t>(rng.Between(kStaleAfterDays + 35, 900))) - c.last_change());
    for (auto& h : c.status_history) {
      h.from = h.from.AddDays(shift);
      if (h.to) h.to = h.to->AddDays(shift);
    }
    planted.push_back("stale_status");
  }
  std::vector<size_t> gappable;
  for (size_t i = 0; i + 1 < c.status_history.size(); ++i)
    if (c.status_history[i + 1].from - c.status_history[i].from >= 2) gappable.push_back(i);
  if (!gappable.empty() && MaybeDefect(rng, "status_gap")) {
    const size_t i = gappable[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(gappable.size()) - 1))];
    const int32_t len = c.status_history[i + 1].from - c.status_history[i].from;
    const int32_t gap = static_cast<int32_t>(rng.Between(1, std::min(30, len - 1)));
    c.status_history[i].to = c.status_history[i + 1].from.AddDays(-gap);
    planted.push_back("status_gap");
  }
  if (MaybeDefect(rng, "missing_unit")) {
    c.responsible_unit.reset();
    planted.push_back("missing_unit");
  }
  if (!in_.jargon_titles.empty() && MaybeDefect(rng, "jargon_title")) {
    c.title = in_.jargon_titles[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(in_.jargon_titles.size()) - 1))];
    planted.push_back("jargon_title");
  }
  if (!in_.unknown_kle_codes.empty() && MaybeDefect(rng, "unknown_kle")) {
    c.kle_subject = in_.unknown_kle_codes[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(in_.unknown_kle_codes.size()) - 1))];
    planted.push_back("unknown_kle");
  }

  // Documents dated when the case reached their status.
  for (const auto& t : rule.documents) {
    const StatusPeriod* reached = nullptr;
    for (const auto& h : c.status_history)
      if (h.status == t.at) reached = &h;
    if (!reached) continue;
    Document d;
    d.id = MakeUuid(rng);
    d.title = t.title;
    d.type = t.type;
    d.letter_date = std::min(today, reached->from.AddDays(static_cast<int32_t>(rng.Between(0, 7))));
    d.status = t.type == "Brev, indgaaende" ? (rng.Chance(0.7) ? "Fordelt" : "Modtaget")
               : t.type == "Brev, udgaaende" ? "Afleveret"
                                             : "Endeligt";
    c.documents.push_back(std::move(d));
  }

  ++totals_.cases;
  if (c.is_open()) ++totals_.open_cases;
  for (const auto& k : planted) out->defects.push_back({"case", c.id, k});

  store::CaseRow row;
  row.municipality = c.municipality;
  row.id = c.id;
  row.case_number = c.case_number;
  row.cpr = p.c.cpr;
  row.opened = c.status_history.front().from.ToString();
  row.status = ToString(c.current_status());
  row.last_change = c.last_change().ToString();
  row.caseworker = c.caseworker;
  row.body = CaseIndexJson(c, false);
  row.documents = DocumentsJson(c.documents);
  out->cases.push_back(std::move(row));

  if (rule.benefit && c.decision &&
      (c.decision->outcome == "medhold" || c.decision->outcome == "delvist_medhold"))
    MakeGrant(rng, rule, c, out);
}

void MunicipalityGenerator::MakeGrant(Rng& rng, const CaseRule& rule, const Case& c, Chunk* out) {
  const BenefitTemplate& t = *rule.benefit;
  const Date today = opt_.today;
  Grant g;
  g.id = MakeUuid(rng);
  g.municipality = c.municipality;
  g.case_id = c.id;
  g.recipient = c.primary_party;
  g.start = c.decision->date;
  const bool one_off = t.frequency == "Engang";
  if (one_off) {
    g.end = g.start;
  } else if (!c.is_open() && rule.deliverer == Deliverer::kMunicipality) {
    g.end = c.last_change();
  }
  g.reason = rule.title;
  g.sensitivity = rule.sensitivity;
  g.responsible_unit = Unit(rule.unit);
  g.deliverer = rule.deliverer;
  g.version = 1;

  GrantedBenefit b;
  b.id = MakeUuid(rng);
  b.name = t.name;
  b.kle = t.kle;
  b.reason = c.decision->outcome == "delvist_medhold" ? "Delvis bevilget" : "Bevilget";
  b.start = *g.start;
  b.end = g.end;
  b.repayable = t.repayable;
  PaymentPlan plan;
  plan.start = *g.start;
  plan.end = g.end;
  plan.frequency = t.frequency;
  plan.timing = t.timing;
  plan.disposition = t.disposition;
  plan.amount = Money{Uniform(rng, t.monthly_dkk) * 100};
  b.plan = plan;

  const double tax = rng.BetweenReal(t.tax_rate.lo, t.tax_rate.hi);
  auto add_payment = [&](Date from, Date to, Date disposition, int64_t gross_ore) {
    Payment p;
    p.id = MakeUuid(rng);
    p.benefit_id = b.id;
    p.period_start = from;
    p.period_end = to;
    p.gross = Money{gross_ore};
    p.after_tax = Money{static_cast<int64_t>(std::llround(static_cast<double>(gross_ore) * (1.0 - tax) / 100.0)) * 100};
    p.sent = p.after_tax;
    p.paid = disposition <= today ? p.after_tax : Money{0};
    p.disposition_date = disposition;
    g.payments.push_back(p);
  };
  if (one_off) {
    if (*g.start >= kPaymentsFrom && *g.start <= kPaymentsTo)
      add_payment(*g.start, *g.start, std::min(today, g.start->AddDays(static_cast<int32_t>(rng.Between(3, 10)))),
                  plan.amount.ore);
  } else {
    const int step = t.frequency == "Kvartalsvis" ? 3 : 1;
    Date month = Date::FromYmd(std::max(*g.start, kPaymentsFrom).year(), std::max(*g.start, kPaymentsFrom).month(), 1);
    const Date last = g.end ? std::min(*g.end, kPaymentsTo) : kPaymentsTo;
    while (month <= last) {
      const Date period_end_full = month.AddMonths(step).AddDays(-1);
      const Date from = std::max(month, *g.start);
      const Date to = std::min(period_end_full, last);
      if (from <= to) {
        const int32_t full_days = period_end_full - month + 1;
        const int32_t days = to - from + 1;
        const int64_t gross = plan.amount.ore * days / full_days / 100 * 100;
        const Date disposition = t.timing == "Forud" ? month.AddDays(-1).LastBankDayOfMonth()
                                                     : to.LastBankDayOfMonth();
        if (gross > 0) add_payment(from, to, disposition, gross);
      }
      month = month.AddMonths(step);
    }
  }
  g.benefits.push_back(std::move(b));

  std::vector<std::string> planted;
  if (MaybeDefect(rng, "missing_unit")) {
    g.responsible_unit.reset();
    planted.push_back("missing_unit");
  }
  if (!g.payments.empty() && MaybeDefect(rng, "payment_without_grant_period")) {
    g.start.reset();
    g.end.reset();
    planted.push_back("payment_without_grant_period");
  }
  for (const auto& k : planted) out->defects.push_back({"grant", g.id, k});

  ++totals_.grants;
  totals_.payments += static_cast<int64_t>(g.payments.size());
  store::GrantRow row;
  row.municipality = g.municipality;
  row.id = g.id;
  row.case_id = g.case_id;
  row.cpr = c.primary_party.substr(c.primary_party.size() - 10);
  if (g.start) row.start = g.start->ToString();
  row.body = GrantJson(g);
  out->grants.push_back(std::move(row));
}

void MunicipalityGenerator::Emit(size_t begin, size_t end, Chunk* out) {
  for (size_t i = begin; i < end; ++i) {
    const Person& p = people_[i];
    out->citizens.push_back(p.c);
    Rng rng(DeriveSeed(seed_, "cases", i));
    for (size_t r = 0; r < in_.rules.size(); ++r) {
      const CaseRule& rule = in_.rules[r];
      if (p.age < rule.age_from || p.age > rule.age_to) continue;
      const uint32_t need = SituationMask(rule.situation);
      if (need && !(p.flags & need)) continue;
      if (rng.Chance(multipliers_[r])) MakeCase(rng, rule, p, out);
    }
  }
}

// Hashes rows as they are written, with unit separators so fields cannot run together.
class RowDigest {
 public:
  // Poco's crypto engines initialise and tear down OpenSSL per object, which races
  // between the producer and writer threads; one process-wide initialiser prevents it.
  RowDigest() { static Poco::Crypto::OpenSSLInitializer keep_openssl; }
  void Add(std::string_view field) {
    buffer_.append(field);
    buffer_.push_back('\x1f');
  }
  void Add(const std::string& s) { Add(std::string_view(s)); }
  void Add(int64_t v) { Add(std::string_view(std::to_string(v))); }
  void Add(int v) { Add(static_cast<int64_t>(v)); }
  void Add(const std::optional<std::string>& v) { Add(v ? std::string_view(*v) : std::string_view("\x1e")); }
  void EndRow() {
    buffer_.push_back('\x1d');
    if (buffer_.size() >= kFlushBytes) Flush();
  }
  std::string Hex() {
    Flush();
    return Poco::DigestEngine::digestToHex(engine_.digest());
  }

 private:
  // OpenSSL's SHA-256 (through Poco::Crypto) uses the CPU's SHA instructions: about ten
  // times Poco::SHA2Engine, which was a fifth of the whole generator's time.
  static constexpr size_t kFlushBytes = 1 << 16;
  void Flush() {
    engine_.update(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
  std::string buffer_;
  Poco::Crypto::DigestEngine engine_{"SHA256"};
};

// Every row of a chunk, field by field, in the order the sink receives them. Computed on
// the producer thread so that hashing overlaps the SQLite inserts on the writer's.
std::string ChunkDigest(const Chunk& chunk) {
  RowDigest digest;
  if (chunk.header) {
    digest.Add(chunk.header->code);
    digest.Add(chunk.header->name);
    digest.EndRow();
  }
  for (const auto& c : chunk.citizens) {
    digest.Add(c.cpr);
    digest.Add(c.first_name);
    digest.Add(c.last_name);
    digest.Add(c.birth_date.ToString());
    digest.Add(c.household);
    digest.Add(c.mother);
    digest.Add(c.father);
    digest.EndRow();
  }
  for (const auto& r : chunk.cases) {
    digest.Add(r.caseworker);
    digest.Add(r.body);
    digest.Add(r.documents);
    digest.EndRow();
  }
  for (const auto& r : chunk.grants) {
    digest.Add(r.body);
    digest.EndRow();
  }
  for (const auto& d : chunk.defects) {
    digest.Add(d.item_kind);
    digest.Add(d.item_id);
    digest.Add(d.kind);
    digest.EndRow();
  }
  return digest.Hex();
}

}  // namespace

MunicipalityTotals GenerateSummary::Total() const {
  MunicipalityTotals t;
  t.name = "Total";
  for (const auto& m : municipalities) {
    t.target_population += m.target_population;
    t.citizens += m.citizens;
    t.minors += m.minors;
    t.children_with_parent += m.children_with_parent;
    t.cases += m.cases;
    t.open_cases += m.open_cases;
    t.grants += m.grants;
    t.payments += m.payments;
    for (const auto& [k, v] : m.defects) t.defects[k] += v;
    for (const auto& [k, v] : m.defect_eligible) t.defect_eligible[k] += v;
  }
  return t;
}

Result<GeneratorInputs> LoadGeneratorInputs(const std::string& pilots_dir) {
  GeneratorInputs in;
  auto parse_fixture = [](const std::string& name) -> Result<nlohmann::json> {
    auto text = EmbeddedFixture(name);
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return Status::Error("fixture.invalid", name + ".json is not valid JSON");
    return j;
  };
  auto kle_json = parse_fixture("kle");
  if (!kle_json.ok()) return kle_json.status();
  auto kle = KleCatalogue::FromJson(*kle_json);
  if (!kle.ok()) return kle.status();
  in.kle = std::move(kle.value());
  auto names_json = parse_fixture("names");
  if (!names_json.ok()) return names_json.status();
  auto names = NameTables::FromJson(*names_json);
  if (!names.ok()) return names.status();
  in.names = std::move(names.value());
  auto mix_json = parse_fixture("case_mix");
  if (!mix_json.ok()) return mix_json.status();
  auto rules = DecodeCaseMix(*mix_json, in.kle);
  if (!rules.ok()) return rules.status();
  in.rules = std::move(rules.value());
  auto expl = parse_fixture("explanations");
  if (!expl.ok()) return expl.status();
  for (const auto& t : expl->value("jargon_titles", nlohmann::json::array()))
    if (t.is_string()) in.jargon_titles.push_back(t.get<std::string>());
  for (const auto& t : expl->value("jargon", nlohmann::json::array()))
    if (t.is_string()) in.jargon_terms.push_back(t.get<std::string>());
  // Well-formed subjects that are not in the catalogue: retired or mistyped codes.
  for (const char* code : {"32.18.04", "15.30.07", "27.24.11", "29.99.01", "32.24.99"})
    if (!in.kle.Subject(code)) in.unknown_kle_codes.push_back(code);

  std::error_code ec;
  if (!fs::is_directory(pilots_dir, ec))
    return Status::Error("config.invalid", pilots_dir + ": not a folder of municipality configs");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(pilots_dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) return Status::Error("config.invalid", pilots_dir + ": no *.json municipality configs");
  for (const auto& f : files) {
    std::ifstream is(f);
    std::stringstream ss;
    ss << is.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded()) return Status::Error("config.invalid", f.string() + ": not valid JSON");
    auto m = DecodeMunicipality(j);
    if (!m.ok()) {
      const auto& v = m.status().violations();
      return Status::Error("config.invalid",
                           f.string() + ": " + (v.empty() ? m.status().message() : v.front().field + " " + v.front().message),
                           v);
    }
    for (const auto& other : in.municipalities)
      if (other.code == m->code)
        return Status::Error("config.invalid", f.string() + ": municipality " + std::to_string(m->code) + " configured twice");
    in.municipalities.push_back(std::move(m.value()));
  }
  std::sort(in.municipalities.begin(), in.municipalities.end(),
            [](const Municipality& a, const Municipality& b) { return a.code < b.code; });
  return in;
}

Result<GenerateSummary> GeneratePopulation(const GeneratorInputs& in, const GenerateOptions& opt,
                                           PopulationSink& sink, const ProgressFn& progress,
                                           const std::atomic<bool>* cancel) {
  if (!(opt.scale > 0) || opt.scale > 10)
    return Status::Error("config.invalid", "--scale must be greater than 0 and at most 10");
  std::vector<size_t> chosen;
  for (size_t i = 0; i < in.municipalities.size(); ++i)
    if (!opt.only_municipality || in.municipalities[i].code == *opt.only_municipality) chosen.push_back(i);
  if (chosen.empty())
    return Status::Error("config.invalid",
                         "no configured municipality has code " + std::to_string(*opt.only_municipality));
  int64_t total_people = 0;
  for (size_t i : chosen)
    total_people += std::max<int64_t>(1, std::llround(static_cast<double>(in.municipalities[i].population) * opt.scale));

  const int64_t started = opt.clock->Ticks();
  constexpr size_t kChunkPeople = 4000;
  ChunkQueue queue(32);
  std::string producer_error;
  std::thread producer([&] {
    auto cancelled_now = [&] { return cancel && cancel->load(); };
    try {
      for (size_t i : chosen) {
        if (cancelled_now()) break;
        const Municipality& m = in.municipalities[i];
        MunicipalityGenerator gen(in, m, static_cast<int>(i), static_cast<int>(in.municipalities.size()), opt);
        gen.BuildPeople();
        gen.LinkHouseholds();
        gen.AssignSituations();
        bool stopped = false;
        for (size_t begin = 0; begin < gen.size() && !stopped; begin += kChunkPeople) {
          Chunk chunk;
          chunk.municipality = m.code;
          if (begin == 0) chunk.header = m;
          gen.Emit(begin, std::min(gen.size(), begin + kChunkPeople), &chunk);
          if (begin + kChunkPeople >= gen.size()) {
            chunk.last_of_municipality = true;
            chunk.totals = gen.totals();
          }
          chunk.digest = ChunkDigest(chunk);
          stopped = !queue.Push(std::move(chunk), cancel);
        }
        if (stopped) break;
      }
    } catch (const std::exception& e) {
      producer_error = e.what();
    }
    queue.Finish();
  });

  GenerateSummary summary;
  RowDigest digest;
  int64_t done = 0;
  bool cancelled = false;
  std::string consumer_error;
  try {
    while (auto chunk = queue.Pop()) {
      if (cancel && cancel->load()) {
        cancelled = true;
        break;
      }
      if (chunk->header) {
        sink.Municipality(*chunk->header);
        ++summary.rows;
      }
      for (const auto& c : chunk->citizens) sink.Citizen(c);
      for (const auto& r : chunk->cases) sink.Case(r);
      for (const auto& r : chunk->grants) sink.Grant(r);
      for (const auto& d : chunk->defects) sink.Defect(chunk->municipality, d.item_kind, d.item_id, d.kind);
      digest.Add(chunk->digest);
      digest.EndRow();
      summary.rows += static_cast<int64_t>(chunk->citizens.size() + chunk->cases.size() +
                                           chunk->grants.size() + chunk->defects.size());
      done += static_cast<int64_t>(chunk->citizens.size());
      if (chunk->totals) summary.municipalities.push_back(*chunk->totals);
      if (progress) progress(done, total_people);
    }
  } catch (const std::exception& e) {
    consumer_error = e.what();
  }
  queue.Close();
  producer.join();
  if (cancelled || (cancel && cancel->load()))
    return Status::Error("generate.cancelled", "generation was interrupted");
  if (!producer_error.empty()) return Status::Error("generate.failed", producer_error);
  if (!consumer_error.empty()) return Status::Error("generate.failed", consumer_error);
  summary.digest = digest.Hex();
  summary.seconds = opt.clock->MillisSince(started) / 1000.0;
  return summary;
}

namespace {

class DbSink : public PopulationSink {
 public:
  DbSink(store::Db& db, bool citizens_only) : writer_(db), citizens_only_(citizens_only) {}
  void Municipality(const adda::Municipality& m) override { writer_.Municipality(m); }
  void Citizen(const adda::Citizen& c) override { writer_.Citizen(c); }
  void Case(const store::CaseRow& row) override {
    if (!citizens_only_) writer_.Case(row);
  }
  void Grant(const store::GrantRow& row) override {
    if (!citizens_only_) writer_.Grant(row);
  }
  void Defect(int m, const std::string& k, const std::string& id, const std::string& kind) override {
    if (!citizens_only_) writer_.Defect(m, k, id, kind);
  }
  store::KombitBulkWriter& writer() { return writer_; }

 private:
  store::KombitBulkWriter writer_;
  bool citizens_only_;
};

void RemoveDbFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

}  // namespace

Result<GenerateSummary> GenerateDatabase(const GeneratorInputs& in, const GenerateOptions& opt,
                                         const std::string& out, const ProgressFn& progress,
                                         const std::atomic<bool>* cancel) {
  if (out.empty()) return Status::Error("generate.output", "no output file given");
  std::error_code ec;
  const fs::path out_path(out);
  if (fs::is_directory(out_path, ec))
    return Status::Error("generate.output", out + " is a folder, not a database file");
  if (out_path.has_parent_path() && !fs::exists(out_path.parent_path(), ec)) {
    fs::create_directories(out_path.parent_path(), ec);
    if (ec) return Status::Error("generate.output", "cannot create " + out_path.parent_path().string() + ": " + ec.message());
  }
  const std::string tmp = out + ".tmp-" + std::to_string(::getpid());
  RemoveDbFiles(tmp);
  Result<GenerateSummary> result = Status::Error("generate.failed", "not run");
  try {
    {
      store::Db db(tmp, store::OpenMode::kCreate);
      store::ApplyBulkLoadPragmas(db);
      const auto& migrations = store::KombitMigrations();
      db.Exec(migrations.front().tables);
      store::Transaction tx(db);
      DbSink sink(db, opt.citizens_only);
      result = GeneratePopulation(in, opt, sink, progress, cancel);
      if (!result.ok()) throw std::runtime_error("");
      sink.writer().Meta("seed", std::to_string(opt.seed));
      char scale[32];
      std::snprintf(scale, sizeof scale, "%g", opt.scale);
      sink.writer().Meta("scale", scale);
      sink.writer().Meta("today", opt.today.ToString());
      sink.writer().Meta("items", opt.citizens_only ? "none" : "generated");
      sink.writer().Meta("digest", result->digest);
      sink.writer().Meta("generator", "adda " ADDA_VERSION);
      nlohmann::json eligible;
      for (const auto& m : result->municipalities) {
        eligible[std::to_string(m.code)] = m.defect_eligible;
      }
      sink.writer().Meta("defect_eligible", eligible.dump());
      tx.Commit();
      if (cancel && cancel->load()) throw std::runtime_error("");
      for (const auto& m : migrations) {
        if (&m != &migrations.front()) db.Exec(m.tables);
        db.Exec(m.indexes);
      }
      db.Exec("PRAGMA user_version = " + std::to_string(migrations.back().version));
      db.Exec("ANALYZE");
      db.Exec("PRAGMA locking_mode = NORMAL");
      db.Exec("PRAGMA journal_mode = WAL");
    }
    if (cancel && cancel->load()) throw std::runtime_error("");
    RemoveDbFiles(out);
    fs::rename(tmp, out, ec);
    if (ec) throw std::runtime_error("cannot rename to " + out + ": " + ec.message());
  } catch (const store::StoreError& e) {
    RemoveDbFiles(tmp);
    return Status::Error("generate.output", e.what());
  } catch (const std::exception& e) {
    RemoveDbFiles(tmp);
    if (cancel && cancel->load()) return Status::Error("generate.cancelled", "generation was interrupted; no file written");
    if (!result.ok()) return result.status();
    return Status::Error("generate.failed", e.what());
  }
  return result;
}

}  // namespace adda::sim
