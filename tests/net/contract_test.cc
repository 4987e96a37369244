// The route table carries the contract, and the pipeline keeps it (in process, one small
// service): a body of another content type is a 415, a body that does not match its
// schema is refused with the route's code and the violations before the handler acts, a
// 405 names the methods in Allow, the document names every schema, header and status,
// and with check_answers an answer the document does not describe is caught.
#include <gtest/gtest.h>

#include "core/json_schema.h"
#include "net/service.h"

namespace adda::net {
namespace {

namespace s = schema;

class Little : public HttpService {
 public:
  explicit Little(bool check) : HttpService(Options(check)) {
    AddBasicRoutes();
    AddSchemas({{"NoteIn", s::Object({s::Req("text", s::Text(10)), s::Opt("stars", s::Integer(1, 5))})},
                {"Note", s::Object({s::Req("id", s::Integer(1, 100)), s::Req("text", s::String())})}});
    AddRoutes({
        Route::Post("/notes").For(Access::kPublic).Summary("Add a note")
            .Takes("NoteIn", "note.invalid").Answers(201, "Note", {"ETag"}).Fails({409})
            .Handle(this, &Little::Add),
        Route::Get("/notes/{id}").For(Access::kPublic).Summary("One note")
            .Answers(200, "Note").Answers(200, "", {}, "text/csv")
            .Handle(this, &Little::One),
        Route::Post("/lines").For(Access::kPublic).Summary("NDJSON").Body("application/x-ndjson")
            .Answers(204)
            .Handle(this, &Little::Lines),
    });
  }
  int handled = 0;

 protected:
  void Authorize(Request&, const Route&) override {}
  bool Serves(Access a) const override { return a == Access::kPublic; }

 private:
  static ServiceOptions Options(bool check) {
    ServiceOptions o;
    o.name = "little";
    o.check_answers = check;
    return o;
  }
  Response Add(Request& req) {
    const auto body = req.Json();
    ++handled;
    auto r = Response::Json(201, {{"id", 1}, {"text", body["text"]}});
    r.headers["ETag"] = "\"1\"";
    return r;
  }
  Response One(Request& req) {
    // A deliberately wrong answer for id "bad", to prove the check sees it.
    if (req.Param("id") == "bad") return Response::Json(200, {{"id", "one"}, {"text", "x"}, {"more", 1}});
    if (req.Param("id") == "csv") return Response::Raw(200, "id,text\n1,x\n", "text/csv; charset=utf-8");
    if (req.Param("id") == "xml") return Response::Raw(200, "<note/>", "application/xml");
    return Response::Json(200, {{"id", 1}, {"text", "x"}});
  }
  Response Lines(Request&) { return Response::NoContent(); }
};

Request Post(const std::string& path, std::string body, const std::string& type) {
  Request r;
  r.method = "POST";
  r.path = r.target = path;
  r.body = std::move(body);
  if (!type.empty()) r.headers["Content-Type"] = type;
  return r;
}

Request Get(const std::string& path) {
  Request r;
  r.method = "GET";
  r.path = r.target = path;
  return r;
}

nlohmann::json ErrorOf(const Response& r) { return nlohmann::json::parse(r.body)["error"]; }

TEST(Contract, ABodyOfAnotherContentTypeIs415AndNeverReachesTheHandler) {
  Little svc(false);
  for (const std::string type : {"text/plain", "", "application/x-www-form-urlencoded", "application/jsonx"}) {
    auto req = Post("/notes", R"({"text":"hi"})", type);
    const Response r = svc.Handle(req);
    EXPECT_EQ(r.status, 415) << "'" << type << "'";
    EXPECT_EQ(ErrorOf(r)["code"], "request.unsupported_media_type");
    EXPECT_EQ(ErrorOf(r)["expected"], "application/json");
  }
  auto ndjson_as_json = Post("/lines", "{}\n{}\n", "application/json");
  EXPECT_EQ(svc.Handle(ndjson_as_json).status, 415);
  EXPECT_EQ(svc.handled, 0);
  // Parameters and case do not matter.
  auto with_charset = Post("/notes", R"({"text":"hi"})", "Application/JSON; charset=utf-8");
  EXPECT_EQ(svc.Handle(with_charset).status, 201);
  auto lines = Post("/lines", "{}\n", "application/x-ndjson");
  EXPECT_EQ(svc.Handle(lines).status, 204);
}

TEST(Contract, ABodyThatDoesNotMatchItsSchemaIsRefusedWithTheRoutesCode) {
  Little svc(false);
  auto req = Post("/notes", R"({"text":"","stars":9,"colour":"red"})", "application/json");
  const Response r = svc.Handle(req);
  EXPECT_EQ(r.status, 422);
  const auto e = ErrorOf(r);
  EXPECT_EQ(e["code"], "note.invalid");
  std::set<std::string> seen;
  for (const auto& v : e["violations"]) seen.insert(v["field"].get<std::string>() + ":" + v["rule"].get<std::string>());
  EXPECT_EQ(seen, (std::set<std::string>{"colour:field.unknown", "stars:field.range", "text:field.required"}));
  EXPECT_EQ(svc.handled, 0) << "nothing of a refused body is acted on";
  auto not_json = Post("/notes", "{", "application/json");
  EXPECT_EQ(ErrorOf(svc.Handle(not_json))["code"], "request.malformed_json");
}

TEST(Contract, A405NamesTheMethodsInAllow) {
  Little svc(false);
  Request del = Get("/notes/1");
  del.method = "DELETE";
  const Response r = svc.Handle(del);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.at("Allow"), "GET");
  auto put = Post("/notes", "{}", "application/json");
  put.method = "PUT";
  EXPECT_EQ(svc.Handle(put).headers.at("Allow"), "POST");
}

TEST(Contract, TheDocumentNamesSchemasHeadersAndStatuses) {
  Little svc(false);
  const auto doc = svc.OpenApi();
  const auto& post = doc["paths"]["/notes"]["post"];
  EXPECT_EQ(post["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/NoteIn");
  EXPECT_EQ(post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Note");
  EXPECT_TRUE(post["responses"]["201"]["headers"].contains("ETag"));
  EXPECT_TRUE(post["responses"]["201"]["headers"].contains("X-Request-Id"));
  for (const char* status : {"400", "405", "409", "413", "415", "422", "500", "503", "default"})
    EXPECT_TRUE(post["responses"].contains(status)) << status;
  EXPECT_FALSE(post["responses"].contains("4XX")) << "statuses are named, not hidden in a range";
  EXPECT_FALSE(post["responses"].contains("401")) << "a public route asks no credential";
  const auto& get = doc["paths"]["/notes/{id}"]["get"];
  EXPECT_TRUE(get["responses"]["200"]["content"].contains("text/csv"));
  EXPECT_TRUE(get["responses"]["200"]["content"].contains("application/json"));
  EXPECT_FALSE(doc["components"]["responses"].contains("E429")) << "only the statuses some route answers";
  EXPECT_TRUE(doc["components"]["responses"]["E405"]["headers"].contains("Allow"));
  for (const auto& name : s::RefsIn(doc)) EXPECT_TRUE(doc["components"]["schemas"].contains(name)) << name;
  const auto& ndjson = doc["paths"]["/lines"]["post"]["requestBody"]["content"];
  EXPECT_TRUE(ndjson.contains("application/x-ndjson"));
}

TEST(Contract, CheckingAnswersCatchesWhatTheDocumentDoesNotDescribe) {
  Little svc(true);
  auto ok = Get("/notes/1");
  svc.Handle(ok);
  auto csv = Get("/notes/csv");
  svc.Handle(csv);
  auto missing = Get("/nowhere");
  svc.Handle(missing);  // an error: the Error body, documented
  EXPECT_TRUE(svc.ContractViolations().empty()) << svc.ContractViolations().front();
  auto bad = Get("/notes/bad");
  svc.Handle(bad);
  auto xml = Get("/notes/xml");
  svc.Handle(xml);
  const auto v = svc.ContractViolations();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_NE(v[0].find("id field.type"), std::string::npos) << v[0];
  EXPECT_NE(v[1].find("more field.unknown"), std::string::npos) << v[1];
  EXPECT_NE(v[2].find("undocumented answer (application/xml)"), std::string::npos) << v[2];
  Little unchecked(false);
  auto bad2 = Get("/notes/bad");
  unchecked.Handle(bad2);
  EXPECT_TRUE(unchecked.ContractViolations().empty()) << "off unless asked for";
}

TEST(Contract, ATableRowNamingNoSchemaOrAnUnknownOneIsRefused) {
  struct Bad : Little {
    Bad() : Little(false) {}
    void Try(Route r) { AddRoutes({std::move(r)}); }
  } svc;
  auto handler = [](Request&) { return Response::NoContent(); };
  EXPECT_THROW(svc.Try(Route::Post("/a").For(Access::kPublic).Body().Answers(204).Handle(handler)), std::logic_error)
      << "a JSON body with no schema";
  EXPECT_THROW(svc.Try(Route::Get("/b").For(Access::kPublic).Answers(200, "Nope").Handle(handler)), std::logic_error);
  EXPECT_THROW(svc.Try(Route::Get("/c").For(Access::kPublic).Handle(handler)), std::logic_error) << "no answer";
  EXPECT_NO_THROW(svc.Try(Route::Get("/d").For(Access::kPublic).Answers(200, "Note").Handle(handler)));
}

}  // namespace
}  // namespace adda::net
