// adda pilot end to end on the smoke scenario: the real binary generates the population,
// starts both services, runs the journeys over HTTP and writes every report file. The
// files must agree with each other, the thresholds must show in junit.xml and the exit
// code, and a replay must run the same plan.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <csignal>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/cli_testing.h"
#include "core/date.h"
#include "store/sqlite.h"

namespace {

namespace fs = std::filesystem;
using adda::testing::Adda;
using adda::testing::ScratchDir;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::vector<std::string>> Csv(const std::string& text) {
  // RFC 4180: quoted fields may hold commas, quotes ("") and newlines.
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field), field.clear();
    } else if (c == '\n') {
      rows.back().push_back(field), field.clear();
      rows.emplace_back();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::string OnlyRunDir(const std::string& reports) {
  std::vector<std::string> dirs;
  for (const auto& e : fs::directory_iterator(reports))
    if (e.is_directory()) dirs.push_back(e.path().string());
  EXPECT_EQ(dirs.size(), 1u);
  return dirs.empty() ? "" : dirs[0];
}

class PilotCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // ctest runs every test in its own process, two at a time: one folder per process.
    dir_ = ScratchDir("pilot-" + std::to_string(::getpid()));
    run_ = Adda("pilot --scenario pilots/scenarios/smoke.json --out " + dir_ + "/reports --data " + dir_ +
                    "/data --run-id smoke-run --quiet",
                dir_);
  }
  static std::string dir_;
  static adda::testing::CliRun run_;
  std::string Run() const { return dir_ + "/reports/smoke-run"; }
};
std::string PilotCli::dir_;
adda::testing::CliRun PilotCli::run_;

TEST_F(PilotCli, SmokePassesAndPrintsWhereTheReportIs) {
  EXPECT_EQ(run_.exit_code, 0) << run_.out << run_.err;
  EXPECT_NE(run_.out.find("adda pilot: pass"), std::string::npos) << run_.out;
  EXPECT_NE(run_.out.find("report: " + Run() + "/report.html"), std::string::npos) << run_.out;
  for (const char* f : {"report.html", "report.md", "summary.json", "steps.csv", "feedback.csv", "junit.xml", "scenario.json"})
    EXPECT_TRUE(fs::exists(Run() + "/" + f)) << f;
  EXPECT_FALSE(fs::exists(dir_ + "/data/pilot/run-smoke-run")) << "the run's working databases are removed";
}

TEST_F(PilotCli, SimulatedFeedbackReachedBorgerDkLikeARealClient) {
  // Every simulated answer was posted to POST /v1/feedback; the run's feedback.csv and
  // the summary count the same answers, and none failed to post.
  const auto s = nlohmann::json::parse(Read(Run() + "/summary.json"));
  EXPECT_GT(s["feedback"]["answers"].get<int>(), 0);
  EXPECT_EQ(s["feedback"]["post_errors"], 0);
  EXPECT_EQ(s["usage"]["feedback_posted"], s["feedback"]["posted"]);
  int by_persona = 0;
  for (const auto& p : s["feedback"]["by_persona"]) by_persona += p["n"].get<int>();
  EXPECT_EQ(by_persona, s["feedback"]["answers"].get<int>());
}

TEST_F(PilotCli, SummaryIsCompleteAndConsistent) {
  const auto s = nlohmann::json::parse(Read(Run() + "/summary.json"));
  EXPECT_EQ(s["schema"], "adda-run-summary/1");
  EXPECT_EQ(s["verdict"], "pass");
  EXPECT_TRUE(s["complete"].get<bool>());
  const auto& t = s["totals"];
  EXPECT_EQ(t["journeys"], 60);
  EXPECT_EQ(t["journeys"].get<int>(), t["journeys_ok"].get<int>() + t["journeys_failed"].get<int>() +
                                          t["journeys_abandoned"].get<int>());
  int requests = 0, errors = 0;
  for (const auto& st : s["steps"]) requests += st["count"].get<int>(), errors += st["errors"].get<int>();
  EXPECT_EQ(requests, t["requests"].get<int>());
  EXPECT_EQ(errors, t["errors"].get<int>());
  int timeline = 0;
  for (const auto& b : s["timeline"]["buckets"]) timeline += b["requests"].get<int>();
  EXPECT_EQ(timeline, requests);
  EXPECT_EQ(s["usage"]["logins"], 60);
  const auto& m = s["manifest"];
  EXPECT_EQ(m["seed"], 7);
  EXPECT_EQ(m["scale"], 0.002);
  EXPECT_EQ(m["municipalities"].size(), 5u);
  EXPECT_EQ(m["data_digest"].get<std::string>().rfind("sha256:", 0), 0u);
  EXPECT_EQ(m["plan_digest"].get<std::string>().rfind("sha256:", 0), 0u);
  EXPECT_EQ(m["scenario"]["digest"].get<std::string>().rfind("sha256:", 0), 0u);
  // Cohorts under five are suppressed, with no figures.
  for (const auto& c : s["cohorts"]) {
    if (c["suppressed"].get<bool>()) {
      EXPECT_TRUE(c["p95"].is_null());
      EXPECT_TRUE(c["requests"].is_null());
    }
  }
  EXPECT_EQ(s["feedback"]["origin"], "simulated");
  EXPECT_EQ(s["feedback"]["answers"], s["feedback"]["posted"]);
}

TEST_F(PilotCli, CsvFilesAgreeWithTheSummary) {
  const auto s = nlohmann::json::parse(Read(Run() + "/summary.json"));
  const auto steps = Csv(Read(Run() + "/steps.csv"));
  ASSERT_GT(steps.size(), 1u);
  std::map<std::string, std::vector<std::string>> all;
  for (const auto& row : steps)
    if (row.size() > 3 && row[1] == "all") all[row[0]] = row;
  ASSERT_EQ(all.size(), s["steps"].size());
  for (const auto& st : s["steps"]) {
    const auto& row = all.at(st["step"].get<std::string>());
    EXPECT_EQ(std::stoi(row[3]), st["count"].get<int>());
    EXPECT_EQ(std::stoi(row[4]), st["errors"].get<int>());
    EXPECT_NEAR(std::stod(row[7]), st["p95"].get<double>(), 0.001);
  }
  const auto feedback = Csv(Read(Run() + "/feedback.csv"));
  ASSERT_EQ(feedback.size() - 1, s["feedback"]["answers"].get<size_t>());
  const auto& header = feedback[0];
  const size_t rating = std::find(header.begin(), header.end(), "rating") - header.begin();
  const size_t sus = std::find(header.begin(), header.end(), "sus_score") - header.begin();
  ASSERT_LT(sus, header.size());
  double sum = 0;
  for (size_t i = 1; i < feedback.size(); ++i) {
    sum += std::stod(feedback[i][sus]);
    EXPECT_GE(std::stoi(feedback[i][rating]), 1);
  }
  EXPECT_NEAR(sum / (feedback.size() - 1), s["feedback"]["sus"]["mean"].get<double>(), 0.01);
}

TEST_F(PilotCli, HtmlMarkdownAndJunitCarryTheVerdictAndThresholds) {
  const auto s = nlohmann::json::parse(Read(Run() + "/summary.json"));
  const auto html = Read(Run() + "/report.html");
  const auto md = Read(Run() + "/report.md");
  const auto junit = Read(Run() + "/junit.xml");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos) << "self-contained";
  EXPECT_EQ(html.find("<link"), std::string::npos) << "self-contained";
  for (const auto& th : s["thresholds"]) {
    const auto id = th["id"].get<std::string>();
    EXPECT_NE(html.find(id), std::string::npos) << id;
    EXPECT_NE(md.find(id), std::string::npos) << id;
    EXPECT_NE(junit.find("name=\"" + id + "\""), std::string::npos) << id;
  }
  EXPECT_EQ(junit.find("<failure"), std::string::npos);
  EXPECT_NE(html.find(s["run_id"].get<std::string>()), std::string::npos);
}

TEST_F(PilotCli, ReplayRunsTheSamePlan) {
  const auto first = nlohmann::json::parse(Read(Run() + "/summary.json"));
  const std::string out = dir_ + "/replay";
  auto r = Adda("pilot --replay " + Run() + " --out " + out + " --data " + dir_ + "/data --quiet", dir_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto second = nlohmann::json::parse(Read(OnlyRunDir(out) + "/summary.json"));
  EXPECT_EQ(second["manifest"]["plan_digest"], first["manifest"]["plan_digest"]);
  EXPECT_EQ(second["manifest"]["scenario"]["digest"], first["manifest"]["scenario"]["digest"]);
  EXPECT_EQ(second["manifest"]["data_digest"], first["manifest"]["data_digest"]);
  EXPECT_EQ(second["totals"]["journeys"], first["totals"]["journeys"]);
  // Same journeys by the same personas: the per-journey counts match exactly.
  for (size_t i = 0; i < first["journeys"].size(); ++i)
    EXPECT_EQ(second["journeys"][i]["count"], first["journeys"][i]["count"]);
  // And compare sees the same plan. (Whether latency regressed between two runs on a busy
  // test machine is not this test's business: exit 0 or 1 are both answers.)
  auto c = Adda("report compare " + Run() + " " + OnlyRunDir(out), dir_);
  EXPECT_TRUE(c.exit_code == 0 || c.exit_code == 1) << c.out << c.err;
  const auto cmp = nlohmann::json::parse(Read(OnlyRunDir(out) + "/compare-smoke-run.json"));
  EXPECT_TRUE(cmp["same_plan"].get<bool>());
  EXPECT_EQ(cmp["schema"], "adda-run-compare/1");
}

TEST(PilotCliGate, AFailingThresholdFailsTheRunInJunitAndTheExitCode) {
  const auto dir = ScratchDir("pilot-fail");
  auto j = nlohmann::json::parse(Read(std::string(ADDA_SOURCE_DIR) + "/pilots/scenarios/smoke.json"));
  j["load"]["journeys"] = 12;
  j["thresholds"].push_back({{"id", "impossible-overview"}, {"metric", "step_p99_ms"}, {"scope", "overview"},
                             {"op", "<"}, {"limit", 0.001}});
  j["thresholds"].push_back({{"id", "no-such-journey"}, {"metric", "journey_success_rate"}, {"op", ">="}, {"limit", 0.5},
                             {"scope", "check-overview"}});
  std::ofstream(dir + "/gate.json") << j.dump(2);
  auto r = Adda("pilot --scenario " + dir + "/gate.json --out " + dir + "/reports --data " + dir + "/data --quiet", dir);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL impossible-overview"), std::string::npos) << r.out;
  const auto run = OnlyRunDir(dir + "/reports");
  const auto s = nlohmann::json::parse(Read(run + "/summary.json"));
  EXPECT_EQ(s["verdict"], "fail");
  const auto junit = Read(run + "/junit.xml");
  EXPECT_NE(junit.find("failures=\"1\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<failure"), std::string::npos);
}

TEST(PilotCliGate, ABadScenarioNamesTheFileFieldAndReason) {
  const auto dir = ScratchDir("pilot-bad");
  std::ofstream(dir + "/bad.json") << R"({"name": "x", "municipalities": [751], "load": {"model": "closed"},
    "personas": [], "journeys": [{"name": "j", "steps": [{"step": "fly"}]}]})";
  auto r = Adda("pilot --scenario " + dir + "/bad.json --out " + dir + "/reports --data " + dir + "/data", dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir + "/bad.json: load.stages: is required"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(dir + "/bad.json: journeys[0].steps[0].step: 'fly' is not a step"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/reports"));
}

}  // namespace

namespace {

TEST(PilotCliGate, EachCitizenLogsInExactlyOnce) {
  // The full-population shape at a tiny scale: every test user runs one journey, none is
  // lost at the end of the run (a journey taken but not yet started must still count).
  const auto dir = ScratchDir("pilot-each");
  auto j = nlohmann::json::parse(Read(std::string(ADDA_SOURCE_DIR) + "/pilots/scenarios/full-population.json"));
  j["scale"] = 0.002;
  j["seed"] = 7;
  j["load"]["stages"] = {{{"duration_s", 0.01}, {"target", 32}}, {{"duration_s", 60}, {"target", 32}}};
  std::ofstream(dir + "/each.json") << j.dump(2);
  auto r = Adda("pilot --scenario " + dir + "/each.json --out " + dir + "/reports --data " + dir +
                    "/data --time-scale 0 --quiet",
                dir);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto s = nlohmann::json::parse(Read(OnlyRunDir(dir + "/reports") + "/summary.json"));
  int64_t citizens = 0;
  for (const auto& m : s["manifest"]["municipalities"]) citizens += m["citizens"].get<int64_t>();
  EXPECT_GT(citizens, 1000);
  EXPECT_EQ(s["totals"]["journeys"].get<int64_t>(), citizens);
  EXPECT_EQ(s["usage"]["logins"].get<int64_t>(), citizens);
  EXPECT_EQ(s["usage"]["overviews"].get<int64_t>(), citizens);
  EXPECT_EQ(s["totals"]["journeys_cut"], 0);
}

}  // namespace

namespace {

TEST(PilotCliGate, CtrlCStopsCleanlyAndStillWritesAReportMarkedIncomplete) {
  const auto dir = ScratchDir("pilot-interrupt");
  auto j = nlohmann::json::parse(Read(std::string(ADDA_SOURCE_DIR) + "/pilots/scenarios/smoke.json"));
  j["load"].erase("journeys");
  j["load"]["stages"] = {{{"duration_s", 0.5}, {"target", 4}}, {{"duration_s", 600}, {"target", 4}}};
  std::ofstream(dir + "/long.json") << j.dump(2);
  // Started in the background; SIGINT once the run is under way (its report folder's
  // parent exists only after the services are up, so wait for the progress line).
  const std::string cmd = std::string(ADDA_BINARY) + " pilot --scenario " + dir + "/long.json --out " + dir +
                          "/reports --data " + dir + "/data --run-id cut > " + dir + "/out.txt 2> " + dir +
                          "/err.txt & echo $!";
  FILE* p = popen(cmd.c_str(), "r");
  int pid = 0;
  ASSERT_EQ(fscanf(p, "%d", &pid), 1);
  pclose(p);
  for (int i = 0; i < 100 && Read(dir + "/err.txt").find("running 'smoke'") == std::string::npos; ++i)
    usleep(100 * 1000);
  usleep(1500 * 1000);
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  for (int i = 0; i < 150 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) usleep(100 * 1000);
  // Not our child (started through the shell): wait for the report instead.
  for (int i = 0; i < 150 && !fs::exists(dir + "/reports/cut/summary.json"); ++i) usleep(100 * 1000);
  for (int i = 0; i < 50 && ::kill(pid, 0) == 0; ++i) usleep(100 * 1000);
  EXPECT_NE(::kill(pid, 0), 0) << "adda pilot is still running 20 s after Ctrl-C";
  const auto s = nlohmann::json::parse(Read(dir + "/reports/cut/summary.json"));
  EXPECT_FALSE(s["complete"].get<bool>());
  EXPECT_EQ(s["verdict"], "incomplete");
  EXPECT_GT(s["totals"]["requests"].get<int>(), 0);
  EXPECT_NE(Read(dir + "/reports/cut/junit.xml").find("run.complete"), std::string::npos);
  EXPECT_NE(Read(dir + "/reports/cut/report.html").find("INCOMPLETE"), std::string::npos);
}

}  // namespace

namespace {

TEST(PilotCliGate, AFaultWindowIsAppliedThroughKombitsAdminApiAndShowsInTheReport) {
  const auto dir = ScratchDir("pilot-fault");
  auto j = nlohmann::json::parse(Read(std::string(ADDA_SOURCE_DIR) + "/pilots/scenarios/smoke.json"));
  j["load"].erase("journeys");
  j["load"]["stages"] = {{{"duration_s", 0.2}, {"target", 6}}, {{"duration_s", 5}, {"target", 6}}};
  j["faults"] = {{{"name", "outage"}, {"start_s", 1.5}, {"end_s", 3.5}, {"rule", {{"route", "/v1/*"}, {"outage", true}}}}};
  j["thresholds"] = nlohmann::json::array();
  std::ofstream(dir + "/fault.json") << j.dump(2);
  auto r = Adda("pilot --scenario " + dir + "/fault.json --out " + dir + "/reports --data " + dir + "/data --quiet", dir);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto s = nlohmann::json::parse(Read(OnlyRunDir(dir + "/reports") + "/summary.json"));
  const auto& w = s["fault_windows"].at(0);
  EXPECT_TRUE(w["applied"].get<bool>()) << w.dump();
  EXPECT_FALSE(w.contains("error")) << w.dump();
  EXPECT_GT(w["requests"].get<int>(), 0);
  // KOMBIT down shows as borger.dk's 5xx (or stale answers) inside the window only.
  EXPECT_GT(w["errors"].get<int>() + w["stale_answers"].get<int>(), 0) << w.dump();
  EXPECT_LE(w["errors"].get<int>(), s["totals"]["errors"].get<int>());
  EXPECT_NE(Read(OnlyRunDir(dir + "/reports") + "/report.html").find("outage"), std::string::npos);
}

}  // namespace

namespace {

// Every stamp a run leaves, in both databases and the summary, is scenario time: inside
// [clock.start, simulated end]. An expiry is its stamp plus a lifetime, so it is checked
// by the instant it was set. With --time-scale 0.5 the services' clock runs at twice
// real time, which the span shows.
TEST(PilotCliClock, EveryStampBothServicesStoreIsScenarioTime) {
  const auto dir = ScratchDir("pilot-clock");
  auto j = nlohmann::json::parse(Read(std::string(ADDA_SOURCE_DIR) + "/pilots/scenarios/smoke.json"));
  j["load"]["journeys"] = 35;  // every journey of the smoke scenario, five times over
  std::ofstream(dir + "/clock.json") << j.dump(2);
  auto r = Adda("pilot --scenario " + dir + "/clock.json --out " + dir + "/reports --data " + dir +
                    "/data --run-id clock --keep-data --time-scale 0.5 --quiet",
                dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto s = nlohmann::json::parse(Read(dir + "/reports/clock/summary.json"));
  const auto& sc = s["manifest"]["simulated_clock"];
  ASSERT_EQ(sc["start"], "2018-12-11T08:00:00.000Z") << sc.dump();
  const auto start = *adda::Timestamp::Parse(sc["start"].get<std::string>());
  const auto end = *adda::Timestamp::Parse(sc["end"].get<std::string>());
  EXPECT_EQ(sc["services_rate"], 2.0);
  // The services ran for at least the load's wall time, at twice its speed.
  const double wall_s = s["manifest"]["wall_seconds"].get<double>();
  EXPECT_GE(static_cast<double>(end.millis() - start.millis()), 2.0 * wall_s * 1000 * 0.99) << sc.dump();
  EXPECT_LT(end.millis() - start.millis(), 3600 * 1000) << sc.dump();
  // Wall time beside it: the run happened now, not in 2018.
  EXPECT_GT(s["manifest"]["started_at"].get<std::string>(), "2019") << s["manifest"].dump();

  const std::string work = dir + "/data/pilot/run-clock";
  int checked = 0;
  // `lifetime_s`: subtracted from the value first (an expiry); unix: seconds, else ISO.
  auto check = [&](const std::string& db_path, const std::string& table, const std::string& column, bool unix,
                   int64_t lifetime_s = 0, int min_rows = 0) {
    adda::store::Db db(db_path, adda::store::OpenMode::kReadOnly);
    auto st = db.Prepare("SELECT " + column + " FROM " + table + " WHERE " + column + " IS NOT NULL" +
                         (unix ? " AND " + column + " <> 0" : std::string()));
    int rows = 0;
    while (st.Step()) {
      ++rows;
      adda::Timestamp t;
      if (unix) {
        t = adda::Timestamp((st.Int(0) - lifetime_s) * 1000);
      } else {
        auto parsed = adda::Timestamp::Parse(st.Text(0));
        ASSERT_TRUE(parsed) << table << "." << column << " = " << st.Text(0);
        t = *parsed;
      }
      // Unix seconds are truncated: the second a stamp fell in counts.
      const adda::Timestamp lo = unix ? adda::Timestamp(start.millis() / 1000 * 1000) : start;
      EXPECT_GE(t, lo) << table << "." << column << " " << t.ToString() << " before " << start.ToString();
      EXPECT_LE(t, end) << table << "." << column << " " << t.ToString() << " after " << end.ToString();
    }
    EXPECT_GE(rows, min_rows) << table << "." << column;
    checked += rows;
  };
  const std::string borger = work + "/borger.db", kombit = work + "/kombit.db";
  check(borger, "sessions", "created", false, 0, 35);
  check(borger, "sessions", "revoked", false);
  check(borger, "sessions", "expires", true, 30 * 60, 35);
  check(borger, "login_failures", "window_start", true);
  check(borger, "access_log", "ts", false, 0, 35);
  check(borger, "contributions", "created", false, 0, 1);
  check(borger, "contributions", "updated", false, 0, 1);
  check(borger, "shares", "created", false, 0, 1);
  check(borger, "shares", "revoked", false);
  check(borger, "proxies", "created", false);
  check(borger, "feedback", "ts", false, 0, 1);
  check(kombit, "integration_log", "ts", false);
  check(kombit, "contributions", "created", false, 0, 1);
  check(kombit, "contributions", "updated", false, 0, 1);
  check(kombit, "changes", "at", false);
  check(kombit, "idempotency", "created", false);
  EXPECT_GT(checked, 150);
}

}  // namespace
