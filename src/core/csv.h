#pragma once
// One CSV field writer for every CSV adda writes (borger.dk's exports, the report's
// steps.csv and feedback.csv): RFC 4180 quoting, and OWASP's neutralisation of formula
// injection, since researchers open these files in a spreadsheet.
#include <string>
#include <string_view>

namespace adda {

// A field as it goes between commas. A value that a spreadsheet would read as a formula
// (it starts with '=', '+', '-', '@', a tab or a carriage return) gets a leading
// apostrophe, and then the whole field is quoted; a plain number such as "-12.5" is
// left as it is, since it cannot be a formula. A field holding a comma, a double quote,
// a line break or the apostrophe's prefix is quoted, with '"' doubled.
std::string CsvField(std::string_view v);

// True when CsvField would put an apostrophe before `v`.
bool CsvNeedsNeutralising(std::string_view v);

}  // namespace adda
