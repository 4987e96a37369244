#include "core/csv.h"

namespace adda {
namespace {

// An optional sign, digits, at most one '.', more digits; at least one digit.
bool IsPlainNumber(std::string_view v) {
  size_t i = 0, digits = 0;
  bool dot = false;
  if (i < v.size() && (v[i] == '-' || v[i] == '+')) ++i;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') {
      ++digits;
    } else if (v[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits > 0;
}

}  // namespace

bool CsvNeedsNeutralising(std::string_view v) {
  if (v.empty()) return false;
  switch (v.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return !IsPlainNumber(v);
    default:
      return false;
  }
}

std::string CsvField(std::string_view v) {
  const bool neutralise = CsvNeedsNeutralising(v);
  if (!neutralise && v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  if (neutralise) out.push_back('\'');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace adda
