// What a value looks like in a report: escaping for each output format, locale-free
// number formatting, JSON access that never throws, and the plain-language wording
// that the HTML and Markdown reports share. Internal to src/report. Pure functions,
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace adda::report {

// Shown for a value that was not measured (null).
inline constexpr char kDash[] = "\xE2\x80\x93";  // "–"
// Shown instead of the figures of a cohort with fewer than 5 journeys or answers.
inline constexpr char kSuppressedText[] = "suppressed (fewer than 5)";

// ---- JSON access: a missing key, or a key of a non-object, reads as null.

const nlohmann::json& Field(const nlohmann::json& j, const char* key);
// `j` if it is an array, otherwise an empty array: for range-for over optional lists.
const nlohmann::json& Items(const nlohmann::json& j);
// The value of a JSON number; nullopt for anything else (null, string, ...).
std::optional<double> Number(const nlohmann::json& j);
// A string as itself, a number as FormatNumber, a boolean as "true"/"false", null as "".
std::string Text(const nlohmann::json& j);
// True only for the JSON boolean true.
bool IsTrue(const nlohmann::json& j);

// ---- Page look and files.

// The stylesheet every adda HTML report shares (fonts, colours, banner, figures,
// tables, charts); each report appends its own rules.
const char* BaseStyle();
// Writes each (name, content) into `dir` (created if needed) through a temp file and a
// rename, so a reader never sees half a file. "report.write" naming the file, on the
// first failure.
Status WriteFilesAtomically(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files);

// ---- Escaping.

// For HTML and SVG text and attribute values: & < > " '.
std::string EscapeHtml(std::string_view s);
// For XML 1.0 text and attributes: as EscapeHtml, tab/newline/CR as character
// references (kept inside attributes), other control characters (illegal in XML 1.0)
// dropped.
std::string EscapeXml(std::string_view s);
// For a Markdown table cell: line breaks become spaces; \ | < > ` * [ ] are
// backslash-escaped so text never turns into markup or a new column.
std::string EscapeMarkdown(std::string_view s);

// ---- Numbers (independent of the C locale).

// Fixed decimals, rounded; never "-0".
std::string FormatFixed(double v, int decimals);
// At most `max_decimals` decimals, trailing zeros dropped: 12.5, 3, 0.125.
std::string FormatNumber(double v, int max_decimals = 3);
// A whole number; from 10 000 up grouped by three with a narrow no-break space (SI
// style, read alike by Danish and English readers).
std::string FormatCount(double v);
std::string FormatCount(const nlohmann::json& j);  // kDash unless a number
// Milliseconds with 1 decimal, no unit; kDash for null.
std::string FormatMs(const nlohmann::json& j);
// A 0–1 rate as a percentage with 1 decimal ("99.0%"); "<0.1%" for a positive rate that
// would round to zero; kDash for null.
std::string FormatPercent(const nlohmann::json& j);
// A number with at most `decimals` decimals; kDash for null.
std::string FormatOptional(const nlohmann::json& j, int decimals);
// The value of a threshold metric (docs/summary-schema.md) with its unit: "612.4 ms",
// "99.0%", "80.0 req/s", "73.5"; kDash for null.
std::string FormatMetric(const std::string& metric, const nlohmann::json& value);
// A threshold's limit: as FormatMetric, without trailing zeros ("500 ms", "98%").
std::string FormatLimit(const std::string& metric, const nlohmann::json& limit);

// ---- Wording shared by the HTML and Markdown reports.

// "<=" -> "≤" and so on; anything else as given.
std::string OpSymbol(const std::string& op);
// The usage counters in reading order, with plain labels.
struct UsageItem {
  const char* key;
  const char* label;
};
const UsageItem* UsageItems(size_t* count);
// The error classes of docs/summary-schema.md in reading order.
const std::vector<std::string>& ErrorClasses();
// A plain explanation of an error class ("http_5xx" -> "server error (HTTP 5xx)").
std::string ErrorClassMeaning(const std::string& error_class);
// Sauro–Lewis curved grade for a SUS mean (68 is a C, the average).
std::string SusGrade(double sus_mean);
// The grade the summary gives, or one computed from `sus_mean`, or kDash.
std::string GradeOf(const nlohmann::json& grade, const nlohmann::json& sus_mean);
// "PASS", "FAIL", "INCOMPLETE", or the verdict upper-cased.
std::string VerdictWord(const nlohmann::json& summary);
// One sentence under the verdict: how many thresholds failed, or why it is incomplete.
std::string VerdictSentence(const nlohmann::json& summary);
// Number of thresholds whose pass is not true.
int FailedThresholds(const nlohmann::json& summary);
// What the feedback's origin means, in a sentence.
std::string OriginSentence(const nlohmann::json& origin);
// "Aarhus (751)" for a municipality cohort; the cohort id when there is no label.
std::string CohortName(const nlohmann::json& cohort);

}  // namespace adda::report
