// Reading back, over HTTP and with the municipality's own key, everything one
// municipality has pushed to the KOMBIT mock: all pages of its cases
// (GET /v1/municipalities/{code}/cases) and grants (…/grants), all pages of its
// integration log (…/log), and the mock's simulated clock (GET /health). This is what
// `adda conform` evaluates (core/conformance.h); the reader only fetches and decodes,
// as a municipality's own tool would. Records are decoded page by page into domain
// values, so a full municipality is never held as JSON. Blocking; one connection;
// not thread-safe (use one reader per thread).
#pragma once

#include <chrono>
#include <string>

#include "core/conformance.h"
#include "core/status.h"

namespace adda::sim {

struct ConformReaderOptions {
  std::string kombit;                        // http://host:port
  int municipality = 0;                      // the path's {code}
  std::string token;                         // the municipality's bearer token
  int page_size = 500;                       // records per page (KOMBIT's maximum)
  int log_page_size = 5000;                  // log entries per page (KOMBIT's maximum)
  std::chrono::milliseconds timeout{30000};  // per request
};

// What was read: the records and log (core::conformance::Data) and the service's today.
struct ReadBack {
  conformance::Data data;
  Date today;  // from GET /health
};

// Reads everything. Failure, as a Status with one of these codes and a message naming
// the request: "conform.bad_url" (kombit is not http://host:port),
// "conform.unreachable" (connection refused, reset or timed out),
// "conform.refused" (401/403: the key is not this municipality's),
// "conform.http" (any other non-200 answer), "conform.malformed" (an answer
// that is not the JSON the API documents). Never throws for network or HTTP trouble.
Result<ReadBack> ReadMunicipality(const ConformReaderOptions& options);

}  // namespace adda::sim
