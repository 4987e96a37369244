// borger.dk's API, top to bottom: one row per route (method, path, who may call, what it
// takes and answers, its handler). The handlers are in the *_routes.cc files beside this
// one; /openapi.json is generated from this table. Adding a route: a row here and a
// handler there (see docs/architecture.md).
#include "borger/schemas.h"
#include "borger/service.h"

namespace adda::borger {

void BorgerService::AddRoutes() {
  using net::Access;
  using net::Route;
  const std::vector<net::QueryParam> behalf = {
      {"on_behalf_of", "string", "a CPR I may act for (my minor child, or a power of attorney)"}};
  AddSchemas(BorgerSchemas());
  HttpService::AddRoutes({
      // Login (mock NemID/MitID) and the session (idp_routes.cc)
      Route::Get("/idp/users").For(Access::kAdmin).Tag("login")
          .Summary("Test users for a municipality, drawn from the synthetic population (for test tools)")
          .Query({{"municipality", "integer", "the municipality's code", true}, {"limit", "integer", ""}, {"offset", "integer", ""},
                 {"after", "string", "keyset paging: users with a CPR after this one (then next_after)"}})
          .Answers(200, "TestUsers")
          .Handle(this, &BorgerService::TestUsers),
      Route::Post("/idp/login").For(Access::kPublic).Tag("login").Body()
          .Summary("Mock NemID/MitID login: {cpr, password}; a session at assurance level Substantial")
          .Takes("LoginIn", "login.invalid").Answers(201, "Session").Fails({429})
          .Handle(this, &BorgerService::Login),
      Route::Post("/v1/logout").For(Access::kCitizen).Tag("login")
          .Summary("End the session; its token is refused from now on")
          .Answers(204)
          .Handle(this, &BorgerService::Logout),
      Route::Get("/v1/me").For(Access::kCitizen).Tag("citizen")
          .Summary("Who I am, whom I may act for (my minor children, powers of attorney I hold)")
          .Answers(200, "Me")
          .Handle(this, &BorgerService::Me),
      // A citizen's own data (citizen_routes.cc)
      Route::Get("/v1/overview").For(Access::kCitizen).Tag("citizen")
          .Summary("My cases and benefits, open and newest first, each explained in plain Danish")
          .Query(behalf)
          .Answers(200, "Overview")
          .Handle(this, &BorgerService::MyOverview),
      Route::Get("/v1/cases/{code}/{id}").For(Access::kCitizen).Tag("citizen")
          .Summary("One of my cases: status explained, timeline, documents (titles and dates), unit, who delivers")
          .Query(behalf)
          .Answers(200, "ExplainedCase")
          .Handle(this, &BorgerService::CaseItem),
      Route::Get("/v1/benefits/{code}/{id}").For(Access::kCitizen).Tag("citizen")
          .Summary("One of my benefits: grant period, granted benefits, payments past and planned")
          .Query(behalf)
          .Answers(200, "ExplainedGrant")
          .Handle(this, &BorgerService::BenefitItem),
      Route::Get("/v1/export").For(Access::kCitizen).Tag("citizen")
          .Summary("All my data as JSON (format=json) or CSV (format=csv)")
          .Query({{"format", "string", "json (default) or csv"}, behalf[0]})
          .Answers(200, "Export", {"Content-Disposition"}).Answers(200, "", {"Content-Disposition"}, "text/csv")
          .Handle(this, &BorgerService::Export),
      Route::Get("/v1/access-log").For(Access::kCitizen).Tag("citizen")
          .Summary("Who has read my data: when, who, what and why")
          .Query({{"after", "integer", "entries after this sequence number"}, {"limit", "integer", "1-1000"}})
          .Answers(200, "AccessLogPage")
          .Handle(this, &BorgerService::AccessLogPage),
      // Contributions: pointing out wrong or missing data (contribution_routes.cc)
      Route::Post("/v1/contributions").For(Access::kCitizen).Tag("contribute").Body()
          .Summary("Point out wrong or missing data on one of my items: {municipality, item_kind, item_id, field?, kind, text}")
          .Query({{"on_behalf_of", "string", ""}})
          .Takes("ContributionIn", "contribution.invalid").Answers(200, "Contribution").Answers(201, "Contribution").Fails({409})
          .Handle(this, &BorgerService::Contribute),
      Route::Get("/v1/contributions").For(Access::kCitizen).Tag("contribute")
          .Summary("My contributions with their status and the municipality's reply")
          .Query({{"on_behalf_of", "string", ""}})
          .Answers(200, "Contributions")
          .Handle(this, &BorgerService::MyContributions),
      // Shares and powers of attorney (share_routes.cc)
      Route::Post("/v1/shares").For(Access::kCitizen).Tag("share").Body()
          .Summary("Share with someone I choose: {recipient, purpose, scope: \"all\" | [{kind, municipality, id}], expires_days}")
          .Takes("ShareIn", "share.invalid").Answers(201, "NewShare")
          .Handle(this, &BorgerService::CreateShare),
      Route::Get("/v1/shares").For(Access::kCitizen).Tag("share")
          .Summary("My shares, active and ended")
          .Answers(200, "Shares")
          .Handle(this, &BorgerService::MyShares),
      Route::Delete("/v1/shares/{id}").For(Access::kCitizen).Tag("share")
          .Summary("Revoke one of my shares; its link stops working at once")
          .Answers(204)
          .Handle(this, &BorgerService::EndShare),
      Route::Get("/v1/shared/{token}").For(Access::kShare).Tag("share")
          .Summary("What someone shared with me: exactly the shared items, read only, until expiry or revocation")
          .Answers(200, "SharedOverview")
          .Handle(this, &BorgerService::SharedOverview),
      Route::Get("/v1/shared/{token}/cases/{code}/{id}").For(Access::kShare).Tag("share")
          .Summary("One shared case, read only")
          .Answers(200, "ExplainedCase")
          .Handle(this, &BorgerService::SharedCase),
      Route::Get("/v1/shared/{token}/benefits/{code}/{id}").For(Access::kShare).Tag("share")
          .Summary("One shared benefit, read only")
          .Answers(200, "ExplainedGrant")
          .Handle(this, &BorgerService::SharedBenefit),
      Route::Post("/v1/proxies").For(Access::kCitizen).Tag("share").Body()
          .Summary("Give someone a power of attorney (fuldmagt) over chosen areas: {grantee, areas: [KLE main groups], expires_days}")
          .Takes("ProxyIn", "proxy.invalid").Answers(201, "Proxy")
          .Handle(this, &BorgerService::GiveProxy),
      Route::Get("/v1/proxies").For(Access::kCitizen).Tag("share")
          .Summary("Powers of attorney I have given and those I hold")
          .Answers(200, "Proxies")
          .Handle(this, &BorgerService::MyProxies),
      Route::Delete("/v1/proxies/{id}").For(Access::kCitizen).Tag("share")
          .Summary("Revoke a power of attorney I gave")
          .Answers(204)
          .Handle(this, &BorgerService::EndProxy),
      // Feedback and the researchers' admin routes (feedback_routes.cc)
      Route::Post("/v1/feedback").For(Access::kFeedback).Tag("feedback").Body()
          .Summary("Feedback: {origin: simulated|observed, rating 1-5?, sus [10 x 1-5]?, text?, page?, journey?, step?, "
                "run_id?, persona?, context?}; observed answers need a citizen's session (at most 20 per session in "
                "10 minutes), simulated ones the runner's credential")
          .Takes("FeedbackIn", "feedback.invalid").Answers(200, "FeedbackReceipt", {"Idempotent-Replayed"}).Answers(201, "FeedbackReceipt").Fails({429})
          .Handle(this, &BorgerService::TakeFeedback),
      Route::Get("/admin/feedback.csv").For(Access::kAdmin).Tag("feedback")
          .Summary("All feedback as CSV for researchers (origin=simulated|observed)")
          .Query({{"origin", "string", "simulated or observed"}})
          .Answers(200, "", {}, "text/csv")
          .Handle(this, &BorgerService::FeedbackCsv),
      Route::Get("/admin/stats").For(Access::kAdmin).Tag("admin")
          .Summary("Counts: sessions, access log, contributions, shares, feedback")
          .Answers(200, "BorgerStats")
          .Handle(this, &BorgerService::Stats),
      // The municipal preview (preview_routes.cc)
      Route::Get("/v1/preview/{cpr}").For(Access::kMunicipality).Tag("preview")
          .Summary("Municipal pre-go-live preview: what borger.dk would show this citizen of the municipality's own "
                "items, with confusing items flagged (written to the citizen's access log)")
          .Answers(200, "Preview")
          .Handle(this, &BorgerService::Preview),
      // The citizen's pages in a browser (page_routes.cc): HTML from the handlers above;
      // not part of the API, so not in /openapi.json (docs/web.md).
      Route::Get("/").For(Access::kPublic).Page().Summary("To Mit Overblik")
          .Answers(303, "", {}, "text/html").Handle(this, &BorgerService::HomePage),
      Route::Get("/log-ind").For(Access::kPublic).Page().Summary("Mock MitID login: test users, or a CPR")
          .Query({{"kommune", "integer", ""}, {"q", "string", ""}, {"efter", "string", ""}, {"logget_af", "string", ""}})
          .Answers(200, "", {}, "text/html").Handle(this, &BorgerService::LoginPage),
      Route::Post("/log-ind").For(Access::kPublic).Page().Summary("Log in (the login form)")
          .Answers(303, "", {}, "text/html").Handle(this, &BorgerService::LoginSubmit),
      Route::Post("/log-af").For(Access::kCitizen).Page().Summary("Log out")
          .Answers(303, "", {}, "text/html").Handle(this, &BorgerService::LogoutSubmit),
      Route::Get("/mit-overblik").For(Access::kCitizen).Page().Summary("Mit Overblik: my cases and benefits").Query(behalf)
          .Answers(200, "", {}, "text/html").Handle(this, &BorgerService::OverviewHtml),
      Route::Get("/mit-overblik/sag/{code}/{id}").For(Access::kCitizen).Page().Summary("One of my cases").Query(behalf)
          .Answers(200, "", {}, "text/html").Handle(this, &BorgerService::CasePage),
      Route::Get("/mit-overblik/ydelse/{code}/{id}").For(Access::kCitizen).Page().Summary("One of my benefits").Query(behalf)
          .Answers(200, "", {}, "text/html").Handle(this, &BorgerService::BenefitPage),
      Route::Get("/mit-overblik/adgangslog").For(Access::kCitizen).Page().Summary("Who has read my data")
          .Query({{"after", "integer", ""}, {"limit", "integer", ""}})
          .Answers(200, "", {}, "text/html").Handle(this, &BorgerService::AccessLogHtml),
      Route::Get("/mit-overblik/hent").For(Access::kCitizen).Page().Summary("Download my data (format=json|csv)")
          .Query({{"format", "string", ""}, behalf[0]})
          .Answers(200, "Export", {"Content-Disposition"}).Answers(200, "", {"Content-Disposition"}, "text/csv")
          .Handle(this, &BorgerService::DownloadPage),
      Route::Get("/mit-overblik/ret/{kind}/{code}/{id}").For(Access::kCitizen).Page()
          .Summary("Ret eller tilføj: the contribution form for one of my cases (sag) or benefits (ydelse)")
          .Answers(200, "", {}, "text/html").Handle(this, &BorgerService::ContributionFormPage),
      Route::Post("/mit-overblik/ret/{kind}/{code}/{id}").For(Access::kCitizen).Page()
          .Summary("Send a contribution (the form); to my contributions with its receipt")
          .Answers(303, "", {}, "text/html").Answers(422, "", {}, "text/html")
          .Handle(this, &BorgerService::ContributionSubmit),
      Route::Get("/mit-overblik/bidrag").For(Access::kCitizen).Page()
          .Summary("My contributions: status and the municipality's reply").Query({{"modtaget", "string", ""}})
          .Answers(200, "", {}, "text/html").Handle(this, &BorgerService::ContributionsHtml),
      Route::Get("/mit-overblik/din-mening").For(Access::kCitizen).Page()
          .Summary("Feedback on Mit Overblik: a rating, the ten SUS statements, a comment").Query({{"side", "string", ""}, {"tak", "string", ""}})
          .Answers(200, "", {}, "text/html").Handle(this, &BorgerService::FeedbackPage),
      Route::Post("/mit-overblik/din-mening").For(Access::kCitizen).Page().Summary("Send feedback (the form)")
          .Answers(303, "", {}, "text/html").Answers(422, "", {}, "text/html").Answers(429, "", {}, "text/html")
          .Handle(this, &BorgerService::FeedbackSubmit),
      Route::Get("/tilgaengelighed").For(Access::kPublic).Page().Summary("Tilgængelighedserklæring")
          .Answers(200, "", {}, "text/html").Handle(this, &BorgerService::AccessibilityPage),
      Route::Get("/static/{build}/{path*}").For(Access::kPublic).Page()
          .Summary("Det Fælles Designsystem and adda's own CSS and script, cached for a year (the build is in the URL)")
          .Answers(200, "", {"ETag"}, "text/css").Answers(304)
          .Handle(this, &BorgerService::StaticFile),
  });
}

}  // namespace adda::borger
