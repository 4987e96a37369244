// The streaming writer must produce exactly the JSON values nlohmann would, for every
// kind of string (escapes, control characters, UTF-8) and every amount.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include <nlohmann/json.hpp>

#include "core/json_writer.h"

namespace adda {
namespace {

std::string Write(const std::function<void(JsonWriter&)>& f) {
  std::string out;
  JsonWriter w(out);
  f(w);
  return out;
}

TEST(JsonWriter, StringsEscapeLikeNlohmann) {
  const std::string samples[] = {"", "plain", "quote \" and \\ backslash", "tab\tnew\nline\r",
                                 std::string("nul\0byte", 8), "\x01\x1f", "æøå ÆØÅ — “citat”", "/slash/"};
  for (const auto& s : samples) {
    const std::string out = Write([&](JsonWriter& w) { w.String(s); });
    EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), s);
    EXPECT_EQ(out, nlohmann::json(s).dump()) << s;
  }
}

TEST(JsonWriter, NestingAndCommas) {
  const std::string out = Write([](JsonWriter& w) {
    w.BeginObject();
    w.Key("a").Int(1);
    w.Key("b").BeginArray().Int(-2).Bool(true).Null().BeginObject().EndObject().BeginArray().EndArray().EndArray();
    w.Key("c").BeginObject().Key("d").String("x").EndObject();
    w.Key("e").OptString(std::nullopt).Key("f").OptDate(Date::FromYmd(2019, 1, 31));
    w.EndObject();
  });
  EXPECT_EQ(out, R"({"a":1,"b":[-2,true,null,{},[]],"c":{"d":"x"},"e":null,"f":"2019-01-31"})");
}

TEST(JsonWriter, AmountsKeepEveryOere) {
  const int64_t ore[] = {0, 1, 10, 99, 100, 669400, 669450, 669455, -1, -150, -669455, 999999999999999};
  for (int64_t v : ore) {
    const std::string out = Write([&](JsonWriter& w) { w.Amount(Money{v}); });
    const double parsed = nlohmann::json::parse(out).get<double>();
    EXPECT_EQ(std::llround(parsed * 100), v) << out;
  }
  EXPECT_EQ(Write([](JsonWriter& w) { w.Amount(Money{669450}); }), "6694.5");
  EXPECT_EQ(Write([](JsonWriter& w) { w.Amount(Money{-5}); }), "-0.05");
}

TEST(JsonWriter, DatesArePaddedIso) {
  EXPECT_EQ(Date::FromYmd(1, 2, 3).ToString(), "0001-02-03");
  EXPECT_EQ(Date::FromYmd(2018, 12, 11).ToString(), "2018-12-11");
}

}  // namespace
}  // namespace adda
