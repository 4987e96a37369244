// Writing a run's report folder: render everything, then replace each file atomically.
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "report/report.h"

namespace adda::report {

namespace fs = std::filesystem;

bool WriteRunReport(const std::string& dir, const nlohmann::json& summary,
                    const nlohmann::json& feedback_rows, std::string* error) {
  auto fail = [error](std::string message) {
    if (error) *error = std::move(message);
    return false;
  };
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
    return fail(std::string("cannot render the report: ") + e.what());
  }

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
  return true;
}

}  // namespace adda::report
