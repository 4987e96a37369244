#include "report/format.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iterator>

namespace adda::report {
namespace {

const nlohmann::json& NullJson() {
  static const nlohmann::json kNull;
  return kNull;
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

// ---- JSON access

const nlohmann::json& Field(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return NullJson();
  auto it = j.find(key);
  return it == j.end() ? NullJson() : *it;
}

const nlohmann::json& Items(const nlohmann::json& j) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  return j.is_array() ? j : kEmpty;
}

std::optional<double> Number(const nlohmann::json& j) {
  if (!j.is_number()) return std::nullopt;
  return j.get<double>();
}

std::string Text(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return std::to_string(j.get<int64_t>());
  if (j.is_number_unsigned()) return std::to_string(j.get<uint64_t>());
  if (j.is_number()) return FormatNumber(j.get<double>());
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  if (j.is_null()) return "";
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool IsTrue(const nlohmann::json& j) { return j.is_boolean() && j.get<bool>(); }

// ---- Escaping

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeXml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (u >= 0x20) out += c;  // other control characters are not allowed in XML 1.0
    }
  }
  return out;
}

std::string EscapeMarkdown(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        out += ' ';
        break;
      case '\n':
        out += ' ';
        break;
      case '\\':
      case '|':
      case '<':
      case '>':
      case '`':
      case '*':
      case '[':
      case ']':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

// ---- Numbers

std::string FormatFixed(double v, int decimals) {
  if (!std::isfinite(v)) return kDash;
  // Halves round away from zero, as readers learnt at school (0.25 -> 0.3), where the
  // scaled value is small enough to be exact.
  const double scale = std::pow(10.0, decimals);
  if (std::fabs(v * scale) < 1e15) v = std::round(v * scale) / scale;
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return kDash;
  std::string out(buf, end);
  if (out[0] == '-' && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

std::string FormatNumber(double v, int max_decimals) {
  std::string out = FormatFixed(v, max_decimals);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

std::string FormatCount(double v) {
  if (!std::isfinite(v)) return kDash;
  const long long n = std::llround(v);
  std::string digits = std::to_string(std::llabs(n));
  if (digits.size() >= 5) {
    std::string grouped;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) grouped += "\xE2\x80\xAF";  // U+202F
      grouped += digits[i];
    }
    digits = grouped;
  }
  return n < 0 ? "-" + digits : digits;
}

std::string FormatCount(const nlohmann::json& j) {
  auto v = Number(j);
  return v ? FormatCount(*v) : kDash;
}

std::string FormatMs(const nlohmann::json& j) { return FormatOptional(j, 1); }

std::string FormatPercent(const nlohmann::json& j) {
  auto v = Number(j);
  if (!v) return kDash;
  std::string out = FormatFixed(*v * 100.0, 1);
  if (*v > 0 && out == "0.0") return "<0.1%";
  return out + "%";
}

std::string FormatOptional(const nlohmann::json& j, int decimals) {
  auto v = Number(j);
  return v ? FormatFixed(*v, decimals) : kDash;
}

std::string FormatMetric(const std::string& metric, const nlohmann::json& value) {
  auto v = Number(value);
  if (!v) return kDash;
  if (EndsWith(metric, "_ms")) return FormatFixed(*v, 1) + " ms";
  if (EndsWith(metric, "_rate")) return FormatPercent(value);
  if (metric == "throughput_rps") return FormatFixed(*v, 1) + " req/s";
  if (metric == "mean_sus") return FormatFixed(*v, 1);
  if (metric == "mean_rating") return FormatFixed(*v, 2);
  return FormatNumber(*v);
}

std::string FormatLimit(const std::string& metric, const nlohmann::json& limit) {
  auto v = Number(limit);
  if (!v) return kDash;
  if (EndsWith(metric, "_ms")) return FormatNumber(*v, 1) + " ms";
  if (EndsWith(metric, "_rate"))
    return *v > 0 && *v < 0.0005 ? FormatPercent(limit) : FormatNumber(*v * 100, 1) + "%";
  if (metric == "throughput_rps") return FormatNumber(*v, 1) + " req/s";
  return FormatNumber(*v, 2);
}

// ---- Wording

std::string OpSymbol(const std::string& op) {
  if (op == "<=") return "\xE2\x89\xA4";  // ≤
  if (op == ">=") return "\xE2\x89\xA5";  // ≥
  return op;
}

const UsageItem* UsageItems(size_t* count) {
  static const UsageItem kItems[] = {
      {"logins", "Logins"},
      {"overviews", "Overviews seen (\"Mit overblik\")"},
      {"cases_opened", "Cases opened"},
      {"benefits_opened", "Benefits opened"},
      {"explanations_read", "Plain-language explanations read"},
      {"contributions", "Corrections and notes sent to the municipality"},
      {"shares_created", "Shares created (data shared with someone the citizen chose)"},
      {"shares_opened", "Shares opened by the person shared with"},
      {"exports", "Exports of own data"},
      {"access_log_reads", "Looks at who has seen my data (access log)"},
      {"feedback_posted", "Feedback answers sent"},
      {"logouts", "Logouts"},
  };
  *count = std::size(kItems);
  return kItems;
}

const std::vector<std::string>& ErrorClasses() {
  static const std::vector<std::string> kClasses = {"transport", "timeout", "http_4xx",
                                                    "http_5xx",  "stale",   "abandoned"};
  return kClasses;
}

std::string ErrorClassMeaning(const std::string& error_class) {
  if (error_class == "transport") return "could not connect (network)";
  if (error_class == "timeout") return "no answer in time";
  if (error_class == "http_4xx") return "request refused (HTTP 4xx)";
  if (error_class == "http_5xx") return "server error (HTTP 5xx)";
  if (error_class == "stale") return "answered with stored, possibly old, data";
  if (error_class == "abandoned") return "citizen gave up the journey";
  return "";
}

std::string SusGrade(double sus_mean) {
  // Sauro & Lewis (2016), curved grading scale.
  static const struct {
    double from;
    const char* grade;
  } kScale[] = {{84.1, "A+"}, {80.8, "A"},  {78.9, "A-"}, {77.2, "B+"}, {74.1, "B"},
                {72.6, "B-"}, {71.1, "C+"}, {65.0, "C"},  {62.7, "C-"}, {51.7, "D"}};
  for (const auto& step : kScale)
    if (sus_mean >= step.from) return step.grade;
  return "F";
}

std::string GradeOf(const nlohmann::json& grade, const nlohmann::json& sus_mean) {
  if (grade.is_string() && !grade.get<std::string>().empty()) return grade.get<std::string>();
  auto v = Number(sus_mean);
  return v ? SusGrade(*v) : kDash;
}

std::string VerdictWord(const nlohmann::json& summary) {
  const nlohmann::json& v = Field(summary, "verdict");
  std::string word = v.is_string() ? v.get<std::string>() : "unknown";
  for (char& c : word)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return word;
}

int FailedThresholds(const nlohmann::json& summary) {
  int failed = 0;
  for (const auto& t : Items(Field(summary, "thresholds")))
    if (!IsTrue(Field(t, "pass"))) ++failed;
  return failed;
}

std::string VerdictSentence(const nlohmann::json& summary) {
  const size_t total = Items(Field(summary, "thresholds")).size();
  const int failed = FailedThresholds(summary);
  std::string thresholds;
  if (total == 0) {
    thresholds = "The scenario sets no thresholds.";
  } else if (failed == 0) {
    thresholds = total == 1 ? "The one threshold passed."
                            : "All " + std::to_string(total) + " thresholds passed.";
  } else {
    thresholds = std::to_string(failed) + " of " + std::to_string(total) + " thresholds failed.";
  }
  const bool incomplete =
      Field(summary, "complete").is_boolean() && !IsTrue(Field(summary, "complete"));
  if (incomplete || Field(summary, "verdict") == "incomplete")
    return "The run was stopped before its end, so the figures cover only the part that ran. " +
           thresholds;
  return thresholds;
}

std::string OriginSentence(const nlohmann::json& origin) {
  const std::string o = Text(origin);
  if (o == "simulated")
    return "These answers are simulated: virtual citizens (the personas of the scenario) gave "
           "them, "
           "not real people. They test the questionnaire and the way answers flow; they are not "
           "evidence of what citizens think.";
  if (o == "observed") return "These answers come from real people (observed feedback).";
  return "Origin of these answers: " + (o.empty() ? std::string("not stated") : o) + ".";
}

std::string CohortName(const nlohmann::json& cohort) {
  const std::string id = Text(Field(cohort, "cohort"));
  const std::string label = Text(Field(cohort, "label"));
  if (label.empty()) return id;
  if (Field(cohort, "kind") == "municipality" && !id.empty() && id != label)
    return label + " (" + id + ")";
  return label;
}

const char* BaseStyle() {
  return R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#24292f;background:#fff;margin:0;line-height:1.45}
header,main,footer{max-width:1040px;margin:0 auto;padding:0 20px}
h1{font-size:1.6em;margin:24px 0 4px}
h2{font-size:1.3em;border-bottom:1px solid #d8dee4;padding-bottom:4px;margin-top:40px}
h3{font-size:1.05em;margin-top:24px}
.subtitle{color:#57606a;margin-top:0}
nav{font-size:.92em}
nav a{margin-right:14px;color:#0969da}
.banner{border-radius:8px;padding:14px 20px;margin:12px 0 20px;display:flex;gap:18px;align-items:baseline;flex-wrap:wrap}
.banner strong{font-size:2.2em;letter-spacing:.04em}
.banner span{font-size:1.1em}
.banner.pass{background:#dafbe1;color:#116329;border:2px solid #2da44e}
.banner.fail{background:#ffebe9;color:#a40e26;border:2px solid #cf222e}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:10px;margin:0 0 16px;padding:0}
.figures div{border:1px solid #d8dee4;border-radius:6px;padding:8px 12px}
.figures dt{font-size:.85em;color:#57606a}
.figures dd{margin:2px 0 0;font-size:1.15em;font-weight:600}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:8px 0 16px;font-size:.92em}
th,td{border-bottom:1px solid #d8dee4;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.fail td{background:#ffebe9}
svg.chart{display:block;max-width:100%;height:auto;margin:8px 0 20px}
.empty{color:#57606a;font-style:italic}
footer{color:#57606a;font-size:.85em;margin:40px auto 24px}
)css";
}

namespace fs = std::filesystem;

Status WriteFilesAtomically(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  auto fail = [](std::string message) { return Status::Error("report.write", std::move(message)); };
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail("cannot create directory " + dir + ": " + ec.message());
  for (const auto& [name, content] : files) {
    const fs::path target = fs::path(dir) / name;
    const fs::path temp = fs::path(dir) / ("." + name + ".tmp");
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (out) out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      const std::string reason = std::strerror(errno);
      fs::remove(temp, ec);
      return fail("cannot write " + temp.string() + ": " + reason);
    }
    fs::rename(temp, target, ec);
    if (ec) {
      const std::string reason = ec.message();
      fs::remove(temp, ec);
      return fail("cannot rename " + temp.string() + " to " + target.string() + ": " + reason);
    }
  }
  return Status::Ok();
}

}  // namespace adda::report
