// Ydelse: the benefit index (Ydelsesindeks, SF1490) as adda models it.
//
// A Grant (bevilling) has a period, a reason, a recipient (CPR URN), an owner
// municipality and unit, a link to its case, and zero or more GrantedBenefits (bevilget
// ydelse), each with a PaymentPlan. Payments (økonomisk effektuering) belong to one
// granted benefit and carry gross, after tax and ATP, sent and paid amounts. A payment
// whose disposition date lies after "today" is planned. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/case.h"
#include "core/date.h"
#include "core/money.h"
#include "core/status.h"

namespace adda {

inline constexpr size_t kMaxBenefits = 50;
inline constexpr size_t kMaxPayments = 1000;

const std::vector<std::string>& FrequencyNames();  // Maanedlig, Kvartalsvis, Engang, …
const std::vector<std::string>& TimingNames();     // Forud, Bagud

struct PaymentPlan {
  Date start;
  std::optional<Date> end;
  std::string frequency = "Maanedlig";
  std::string timing = "Bagud";
  std::string disposition;  // e.g. "Sidste bankdag i maaneden"
  Money amount;
};

struct GrantedBenefit {
  std::string id;
  std::string name;
  std::string kle;  // NN.NN.NN
  std::string reason;
  Date start;
  std::optional<Date> end;
  bool repayable = false;
  std::optional<PaymentPlan> plan;
};

struct Payment {
  std::string id;
  std::string benefit_id;
  Date period_start;
  Date period_end;
  Money gross;
  Money after_tax;  // after tax and ATP
  Money sent;       // sent for payment
  Money paid;
  Date disposition_date;

  bool planned_on(Date today) const { return disposition_date > today; }
};

struct Grant {
  std::string id;
  int municipality = 0;
  std::optional<std::string> case_id;
  std::string recipient;  // urn:oio:cpr-nr:…
  std::optional<Date> start;
  std::optional<Date> end;
  std::string reason;
  std::string sensitivity = "FORTROLIGE_PERSONOPLYSNINGER";
  std::optional<std::string> responsible_unit;
  std::optional<Deliverer> deliverer;
  std::vector<GrantedBenefit> benefits;
  std::vector<Payment> payments;
  int64_t version = 0;  // set by the store
};

void to_json(nlohmann::json& j, const Grant& g);
// The same JSON as compact text, written without a DOM (the generator and KOMBIT store it).
std::string GrantJson(const Grant& g);
void to_json(nlohmann::json& j, const GrantedBenefit& b);
void to_json(nlohmann::json& j, const Payment& p);

// Decodes untrusted JSON, appending every structural problem to `violations`.
Grant DecodeGrant(const nlohmann::json& j, std::vector<Violation>* violations);
Payment DecodePayment(const nlohmann::json& j, const std::string& path,
                      std::vector<Violation>* violations);
GrantedBenefit DecodeGrantedBenefit(const nlohmann::json& j, const std::string& path,
                                    std::vector<Violation>* violations);
// Trusted decode; throws std::invalid_argument on any violation.
void from_json(const nlohmann::json& j, Grant& g);

}  // namespace adda
