// The HTTP harnesses' input format: a request line, header lines up to a blank line,
// then the body, turned into the net::Request the services' pipeline takes (the server
// has already framed it). Kept apart so both services are fuzzed through the same door.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/http.h"

namespace adda::fuzzing {

// Nothing when the bytes have no "METHOD /target" first line. `header_value` may rewrite
// each header's value (placeholders for keys and tokens).
inline std::optional<net::Request> RequestFromBytes(
    const std::string& input, const std::function<std::string(const std::string&)>& header_value = nullptr) {
  const size_t line_end = input.find('\n');
  const std::string request_line = input.substr(0, line_end);
  const size_t space = request_line.find(' ');
  if (space == std::string::npos) return std::nullopt;
  net::Request req;
  req.method = request_line.substr(0, space);
  req.target = request_line.substr(space + 1);
  if (req.target.empty() || req.target[0] != '/') return std::nullopt;
  const size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = net::ParseQuery(std::string_view(req.target).substr(q + 1));
  size_t pos = line_end == std::string::npos ? input.size() : line_end + 1;
  while (pos < input.size()) {
    const size_t end = input.find('\n', pos);
    const std::string line = input.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? input.size() : end + 1;
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value[0] == ' ') value.erase(0, 1);
    req.headers[line.substr(0, colon)] = header_value ? header_value(value) : value;
  }
  req.body = input.substr(std::min(pos, input.size()));
  return req;
}

}  // namespace adda::fuzzing
