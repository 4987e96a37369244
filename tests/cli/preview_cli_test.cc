// adda preview end to end: real KOMBIT and borger.dk processes on ephemeral ports, the
// real binary sampling a municipality's citizens and asking borger.dk's municipal
// preview. Each preview read must land in the citizen's access log with its purpose,
// and the chain must still verify.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "common/cli_testing.h"
#include "common/kombit_process.h"

namespace {

using adda::testing::Adda;
using adda::testing::KombitProcess;
using adda::testing::ScratchDir;

TEST(PreviewCli, ShowsWhatCitizensWouldSeeAndLogsEveryRead) {
  const auto dir = ScratchDir("preview");
  ASSERT_EQ(Adda("generate --scale 0.002 --seed 5 --out " + dir + "/kombit.db", dir).exit_code, 0);
  std::string why;
  KombitProcess kombit, borger;
  ASSERT_TRUE(kombit.Start(dir + "/kombit.db", dir, "2018-12-11", &why)) << why;
  const std::string bdir = dir + "/b";
  std::filesystem::create_directories(bdir);
  ASSERT_TRUE(borger.StartServe({"borger", "--db", dir + "/borger.db", "--kombit", kombit.url(), "--kombit-credentials",
                                 dir + "/kombit.db.credentials.json"},
                                bdir, &why))
      << why;
  const std::string creds = " --credentials " + dir + "/kombit.db.credentials.json";
  auto r = Adda("preview --municipality 751 --borger " + borger.url() + " --kombit " + kombit.url() +
                    " --sample 3 --out " + dir + "/out" + creds,
                dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("purpose: municipal pre-go-live preview"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("751xx"), std::string::npos);
  std::ifstream in(dir + "/out/preview.json");
  const auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["citizens"].size(), 3u);
  for (const auto& c : j["citizens"])
    for (const auto& i : c["items"]) EXPECT_EQ(i["municipality"], 751);
  // Every read is in the access log, and the chain verifies.
  auto verify = Adda("audit verify --db " + dir + "/borger.db", dir);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("3 entries, chain intact"), std::string::npos) << verify.out;
  // The conformance report carries the same preview, CPRs masked.
  auto conform = Adda("conform --municipality 751 --kombit " + kombit.url() + " --borger " + borger.url() +
                          " --preview 2 --out " + dir + "/conf" + creds,
                      dir);
  EXPECT_TRUE(conform.exit_code == 0 || conform.exit_code == 1) << conform.out << conform.err;
  EXPECT_NE(conform.out.find("citizen preview"), std::string::npos) << conform.out;
  std::ifstream cj(dir + "/conf/conformance.json");
  const auto doc = nlohmann::json::parse(cj);
  ASSERT_EQ(doc["preview"]["citizens"].size(), 2u);
  for (const auto& c : doc["preview"]["citizens"])
    EXPECT_NE(c["subject"].get<std::string>().find("xx-xxxx"), std::string::npos);
  std::ifstream ch(dir + "/conf/conformance.html");
  const std::string html(std::istreambuf_iterator<char>(ch), {});
  EXPECT_NE(html.find("id=\"preview\""), std::string::npos);
  EXPECT_NE(Adda("audit verify --db " + dir + "/borger.db", dir).out.find("5 entries, chain intact"), std::string::npos);

  // Bad usage and a key that is not the municipality's.
  EXPECT_EQ(Adda("preview --municipality 751 --borger " + borger.url() + creds, dir).exit_code, 2);
  auto refused = Adda("preview --municipality 751 --borger " + borger.url() + " --cpr 0101010101 --token nope", dir);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("403"), std::string::npos) << refused.out;
}

}  // namespace
