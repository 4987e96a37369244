// The schema validator (core/json_schema.h) reports what JsonReader would: the same rule
// ids at the same paths, so a body refused by its schema reads as one refused by a decoder.
#include <gtest/gtest.h>

#include "core/json_reader.h"
#include "core/json_schema.h"

namespace adda::schema {
namespace {

std::vector<Violation> Check(const Json& schema, const Json& value, const Json& components = Json::object()) {
  std::vector<Violation> v;
  Validate(schema, value, components, "", &v);
  return v;
}

std::string Rules(const std::vector<Violation>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : " ") + x.field + ":" + x.rule;
  return out;
}

const Json kPeriod = Object({Req("status", Enum({"received", "closed"})), Req("from", Date()), Opt("to", Date())});
const Json kCase = Object({Req("id", Text(8)), Req("municipality", Integer(100, 999)), Opt("note", String(5)),
                           Req("history", Array(Ref("Period"), 3, 1)), Opt("flag", Boolean())});
const Json kComponents = {{"Period", kPeriod}};

TEST(JsonSchema, AValidBodyHasNoViolations) {
  const Json ok = {{"id", "c1"}, {"municipality", 561}, {"history", {{{"status", "received"}, {"from", "2018-12-11"}}}}};
  EXPECT_EQ(Rules(Check(kCase, ok, kComponents)), "");
  Json with_nulls = ok;
  with_nulls["note"] = nullptr;  // an optional field may be null, as JsonReader reads it
  with_nulls["flag"] = nullptr;
  EXPECT_EQ(Rules(Check(kCase, with_nulls, kComponents)), "");
}

TEST(JsonSchema, EachProblemIsNamedAtItsPath) {
  const Json bad = {{"id", ""},
                    {"municipality", 1000},
                    {"note", "toolong"},
                    {"history", {{{"status", "lost"}, {"from", "2018-02-30"}}, {{"from", 3}}}},
                    {"flag", "yes"},
                    {"extra", 1}};
  EXPECT_EQ(Rules(Check(kCase, bad, kComponents)),
            "extra:field.unknown flag:field.type history[0].from:field.date history[0].status:field.enum "
            "history[1].status:field.required history[1].from:field.type id:field.required municipality:field.range "
            "note:field.length");
}

TEST(JsonSchema, RequiredMissingOrNullAndTheBodyItself) {
  EXPECT_EQ(Rules(Check(kCase, {{"id", nullptr}, {"municipality", 561}, {"history", {{{"status", "received"}, {"from", "2018-12-11"}}}}},
                        kComponents)),
            "id:field.required");
  EXPECT_EQ(Rules(Check(kCase, Json::array(), kComponents)), "$:field.type");
  EXPECT_EQ(Rules(Check(kCase, {{"id", "x"}, {"municipality", 561}, {"history", Json::array()}}, kComponents)),
            "history:field.required") << "an empty list where one item is needed reads as missing";
  EXPECT_EQ(Rules(Check(Array(Integer(), 2), {1, 2, 3})), "$:field.length");
  EXPECT_EQ(Rules(Check(Array(Integer(1, 5), 3), {1, 6, "x"})), "[1]:field.range [2]:field.type");
}

TEST(JsonSchema, AgreesWithJsonReaderOnTheSameBody) {
  const Json body = {{"id", 7}, {"municipality", 42.5}, {"note", "ææææææ"}};
  std::vector<Violation> by_reader;
  JsonReader r(body, "", &by_reader);
  r.String("id", true, 8);
  r.Int("municipality", true, 100, 999);
  r.String("note", false, 5);
  r.Array("history", true, 3);
  std::vector<Violation> by_schema = Check(kCase, body, kComponents);
  auto sorted = [](std::vector<Violation> v) {
    std::sort(v.begin(), v.end(), [](const Violation& a, const Violation& b) { return a.field < b.field; });
    std::string out;
    for (const auto& x : v) out += x.field + ":" + x.rule + " ";
    return out;
  };
  EXPECT_EQ(sorted(by_schema), sorted(by_reader)) << "characters, not bytes, are counted by both";
}

TEST(JsonSchema, ARequiredFieldThatMayBeNullMustStillBeThere) {
  const Json answer = Object({Req("reply", Nullable(String())), Req("id", String())});
  EXPECT_EQ(Rules(Check(answer, {{"reply", nullptr}, {"id", "x"}})), "") << "named, without a value";
  EXPECT_EQ(Rules(Check(answer, {{"id", "x"}})), "reply:field.required") << "left out";
  EXPECT_EQ(Rules(Check(answer, {{"reply", "ok"}, {"id", nullptr}})), "id:field.required");
}

TEST(JsonSchema, IntegersNumbersAndHugeValues) {
  EXPECT_EQ(Rules(Check(Integer(0, 10), 3.0)), "$:field.type") << "3.0 is not an integer in JSON terms here";
  EXPECT_EQ(Rules(Check(Number(0, 1), 0.5)), "");
  EXPECT_EQ(Rules(Check(Number(0, 1), 2)), "$:field.range");
  EXPECT_EQ(Rules(Check(Integer(0, 10), Json::parse("18446744073709551615"))), "$:field.range");
  EXPECT_EQ(Rules(Check(Integer(), Json::parse("18446744073709551615"))), "");
}

TEST(JsonSchema, PatternsNameTheirRule) {
  const Json id = Pattern("^[a-z]+$", "field.id", 10);
  EXPECT_EQ(Rules(Check(id, "abc")), "");
  EXPECT_EQ(Rules(Check(id, "a/../b")), "$:field.id");
  EXPECT_EQ(Rules(Check(String(10), "x")), "");
  EXPECT_EQ(Rules(Check(DateTime(), "2018-12-11T08:00:00.000Z")), "");
  EXPECT_EQ(Rules(Check(DateTime(), "yesterday")), "$:field.date");
}

TEST(JsonSchema, OneOfAndTaggedFormsPickTheirForm) {
  const Json scope = OneOf({Enum({"all"}), Array(Integer(1, 9), 3, 1)});
  EXPECT_EQ(Rules(Check(scope, "all")), "");
  EXPECT_EQ(Rules(Check(scope, Json::array({1, 2}))), "");
  EXPECT_EQ(Rules(Check(scope, "some")), "$:field.enum") << "the string form's own problem";
  EXPECT_EQ(Rules(Check(scope, Json::array({0}))), "[0]:field.range") << "the list form's own problem";
  EXPECT_EQ(Rules(Check(scope, 5)), "$:field.type");

  const Json components = {{"A", Object({Req("kind", Enum({"a"})), Req("x", Integer())})},
                           {"B", Object({Req("kind", Enum({"b"})), Req("y", Boolean())})}};
  const Json tagged = Tagged("kind", {{"a", "A"}, {"b", "B"}});
  EXPECT_EQ(Rules(Check(tagged, {{"kind", "a"}, {"x", 1}}, components)), "");
  EXPECT_EQ(Rules(Check(tagged, {{"kind", "b"}, {"x", 1}}, components)), "y:field.required x:field.unknown");
  EXPECT_EQ(Rules(Check(tagged, {{"kind", "c"}}, components)), "kind:field.enum");
  EXPECT_EQ(Rules(Check(tagged, Json::object(), components)), "kind:field.required");
}

TEST(JsonSchema, AnUnknownReferenceIsReportedNotFollowed) {
  EXPECT_EQ(Rules(Check(Ref("Nope"), 1)), "$:schema.ref");
  EXPECT_EQ(RefsIn(kCase), std::vector<std::string>{"Period"});
  // A schema that refers to itself ends at the depth limit instead of the stack's.
  const Json loop = {{"Loop", Ref("Loop")}};
  EXPECT_EQ(Rules(Check(Ref("Loop"), 1, loop)), "$:schema.depth");
}

TEST(JsonSchema, OpenObjectsAndMapsTakeOtherKeys) {
  const Json open = Object({Req("a", Integer())}, /*closed=*/false);
  EXPECT_EQ(Rules(Check(open, {{"a", 1}, {"b", "x"}})), "");
  EXPECT_EQ(Rules(Check(Map(Integer(0, 9)), {{"p", 1}, {"q", 10}})), "q:field.range");
}

}  // namespace
}  // namespace adda::schema
