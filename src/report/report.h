// Report writers for a finished run.
//
// Every file in reports/<run-id>/ is rendered from the run's summary.json alone
// (docs/summary-schema.md, "adda-run-summary/1"), so the numbers in every file agree;
// feedback.csv is rendered from the run's list of simulated answers. The Render*
// functions are pure: same input, same bytes, no I/O, no clock, no locale. They never
// throw for a summary that follows the schema, and tolerate a missing key or a value of
// the wrong type by showing it as not measured ("–", or an empty CSV cell) rather than
// failing. Every string taken from the summary is escaped for the output format.
// All functions are thread-safe: they share no state.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/status.h"

namespace adda::report {

// report.html: one self-contained page (no external CSS, scripts, fonts or images;
// charts are inline SVG) for the pilot team and UX researchers. Sections, in order, with
// these ids: verdict, steps, timeline, municipalities, feedback, data-quality, usage,
// errors, manifest. Each chart is an <svg class="chart"> with a <title>. Suppressed
// cohorts read "suppressed (fewer than 5)" instead of figures; null reads "–".
std::string RenderHtml(const nlohmann::json& summary);

// report.md: the same content as RenderHtml, as Markdown tables, without charts.
std::string RenderMarkdown(const nlohmann::json& summary);

// junit.xml: one <testsuite name="adda.thresholds"> with one <testcase> per threshold
// (classname "adda.thresholds", name = threshold id); a failing threshold has a
// <failure> naming its value and limit. An incomplete run (complete = false) adds a
// failing testcase "run.complete", so CI cannot pass a run that was cut short.
std::string RenderJunit(const nlohmann::json& summary);

// steps.csv: one row per step overall (kind "all", empty cohort), each followed by that
// step's rows from step_cohorts; step cohorts of a step not in `steps` come last.
// Columns as docs/summary-schema.md; suppressed rows have empty figures. RFC 4180
// quoting, "\n" line ends, numbers with at most 3 decimals.
std::string RenderStepsCsv(const nlohmann::json& summary);

// feedback.csv: one row per element of `rows` (a JSON array of objects keyed by the
// column names of docs/summary-schema.md; missing keys give empty cells). `steps` and
// `latencies_ms` may be strings already joined with '|' or arrays, which are joined with
// '|'. A row without run_id gets the summary's. The age_band and municipality cells read
// "suppressed" where fewer than 5 rows share that cell's value. A `rows` that is not an
// array gives the header line only.
std::string RenderFeedbackCsv(const nlohmann::json& summary, const nlohmann::json& rows);

// Writes the whole report of a run into `dir` (created with its parents if missing):
// summary.json (2-space indent), report.html, report.md, steps.csv, feedback.csv and
// junit.xml. Every file is rendered first, then each is written to a temporary name in
// `dir` and renamed over its final name, so a reader sees either the old file or the
// whole new one, never half of one; summary.json is renamed last, so its presence means
// the set is complete. Durability across a power cut is not promised (no fsync).
// On failure the Status names the file ("report.write", or "report.render" before any
// file is touched); some files may already be replaced, but no temporary is left.
Status WriteRunReport(const std::string& dir, const nlohmann::json& summary, const nlohmann::json& feedback_rows);

}  // namespace adda::report
