// Writing a run's report folder: render everything, then replace each file atomically.
#include <exception>
#include <utility>
#include <vector>

#include "report/format.h"
#include "report/report.h"

namespace adda::report {

Status WriteRunReport(const std::string& dir, const nlohmann::json& summary, const nlohmann::json& feedback_rows) {
  // Render first, so a renderer's failure leaves the folder as it was. summary.json goes
  // last: once it is in place, the other files are too.
  std::vector<std::pair<std::string, std::string>> files;
  try {
    files = {
        {"report.html", RenderHtml(summary)},
        {"report.md", RenderMarkdown(summary)},
        {"steps.csv", RenderStepsCsv(summary)},
        {"feedback.csv", RenderFeedbackCsv(summary, feedback_rows)},
        {"junit.xml", RenderJunit(summary)},
        {"summary.json",
         summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"},
    };
  } catch (const std::exception& e) {
    return Status::Error("report.render", std::string("cannot render the report: ") + e.what());
  }
  return WriteFilesAtomically(dir, files);
}

}  // namespace adda::report
