// Writers for a municipality's conformance report (`adda conform`), rendered from the
// conformance document alone (schema "adda-conformance/1", written by
// core/conformance.h's to_json, plus "kombit" and "generated" added by the caller), so
// the HTML, the JSON, the JUnit file and the printed table always agree.
//
// The Render* functions are pure: same input, same bytes; no I/O, no clock, no locale.
// They never throw for a document that follows the schema and show a missing key or a
// value of the wrong type as "–" (or leave it out) rather than failing. Every string
// taken from the document is escaped for its output format. CPR numbers arrive already
// masked (core/conformance.h masks every finding). Thread-safe: no shared state.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/status.h"

namespace adda::report {

// conformance.html: one self-contained page (no scripts, external CSS, fonts or images).
// Sections, in order, with these ids: verdict (READY / NOT READY banner first, then the
// figures read and an inline-SVG bar chart of the failing rules), rules (every rule: id,
// severity, result, count, what it checks, how to fix), findings (per failing rule up to
// ten examples with masked CPRs), about (how the rules were evaluated).
std::string RenderConformanceHtml(const nlohmann::json& doc);

// conformance.json: the document itself, 2-space indented, ending in a newline.
std::string RenderConformanceJson(const nlohmann::json& doc);

// junit.xml: one <testsuite name="adda.conformance.CODE"> with one <testcase> per rule
// (classname "adda.conformance.<severity>", name = rule id). A failing blocker or warning
// rule has a <failure type="blocker|warning"> with its count, examples and fix; a
// planned rule is <skipped/>; a failing advice rule passes, with the finding as
// <system-out>.
std::string RenderConformanceJunit(const nlohmann::json& doc);

// The summary printed by `adda conform`: the verdict line, what was read, and a table
// with one line per rule (id, severity, result, count, the first example).
std::string RenderConformanceText(const nlohmann::json& doc);

// Writes conformance.html, conformance.json and junit.xml into `dir` (created with its
// parents if missing). Every file is rendered first, then each is written under a
// temporary name and renamed over its final name; conformance.json goes last, so its
// presence means the set is complete. On failure the Status names the file, and no
// temporary file is left behind.
Status WriteConformanceReport(const std::string& dir, const nlohmann::json& doc);

}  // namespace adda::report
