#ifndef BAKEN_HTTP_HANDLER_H_
#define BAKEN_HTTP_HANDLER_H_

// What the API's handler files share: the request as a handler sees it (Call), its answer
// (Reply), the routes each capability declares, and the helpers that read parameters and
// bodies. Each capability keeps its handlers in its own file (registry_handlers.cc,
// feed_handlers.cc, ...); server.cc only receives, authenticates, reads bodies and dispatches.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "auth/credentials.h"
#include "auth/principal.h"
#include "common/error.h"
#include "common/problem.h"
#include "common/quote.h"
#include "disclosure/report_service.h"
#include "http/server.h"
#include "registry/member_json.h"
#include "routing/constituency.h"
#include "service/registry_service.h"
#include "store/store.h"

namespace baken::http {

using registry::Json;

// What body a route takes. Bodies are read only after the caller is authenticated, and only up
// to the route's limit: an anonymous caller can make the server read at most a sign-in's worth.
enum class Body {
  kNone,        // none: a request that sends one is refused unread
  kSmall,       // a small JSON object (sign-in, a code, a reason)
  kList,        // a member's list as JSON, or the inventory as CSV
  kAdvisory,    // one CSAF or CVE document
  kAttachment,  // evidence for an incident: JSON with the file in base64
  kReport,      // a researcher's report, with its attachments in base64 (the public intake)
  kUpload,      // a feed file, written to a temporary file as it arrives
  kIntel,       // a MISP event, STIX bundle or list (larger ones: `baken intel import`)
};

// What a handler sees of a request.
struct Call {
  const httplib::Request& request;
  std::optional<auth::Principal> principal;     // set for authenticated routes
  std::vector<std::string> params;              // path parameters, in order
  std::string_view list;                        // Route::list
  std::optional<auth::SessionUser> session;     // when signed in by the session cookie
  std::string body;                             // the body, for routes that take one in memory
  std::optional<std::filesystem::path> upload;  // the body, for Body::kUpload routes
};

struct Reply {
  Reply(int status_code, Json json) : status(status_code), body(std::move(json)) {}

  int status = 200;
  Json body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Set-Cookie
  std::string_view content_type = "application/json";
  // A body that is not JSON (a CSV download), sent as it is instead of `body`.
  std::optional<std::string> text;
};

// What handlers work with, owned by the server and shared by all requests.
struct Handlers {
  store::Store& store;
  routing::ConstituencyHolder& snapshot;  // the routing snapshot lookups and uploads read
  service::RegistryService& registry;     // keeps the snapshot current as claims change
  const Organisation& organisation;
  const disclosure::DisclosureSettings& disclosure;  // the public intake's limits
};

using Handler = Result<Reply> (*)(Handlers&, Call&);

struct Route {
  const char* method;
  const char* openapi_path;
  bool authenticated;
  Handler handler;
  Body body = Body::kNone;
  // The member list a list route serves, or the action of an account route ("disable").
  const char* list = "";
};

// Each capability's routes, in the order the server installs them.
const std::vector<Route>& RegistryRoutes();    // members, their lists, claims, lookup, audit
const std::vector<Route>& FeedRoutes();        // feed uploads and events
const std::vector<Route>& NotifyRoutes();      // the outbox
const std::vector<Route>& AdvisoryRoutes();    // advisories and warnings
const std::vector<Route>& AccountRoutes();     // organisation, session, second factor, users
const std::vector<Route>& OverviewRoutes();    // unrouted groups and assigning them, overview
const std::vector<Route>& IncidentRoutes();    // incidents, participations, their statistics
const std::vector<Route>& PartnerRoutes();     // suppliers and chain partners
const std::vector<Route>& OncallRoutes();      // piket: rotations, overrides, duty
const std::vector<Route>& JobRoutes();         // the scheduled jobs and their runs
const std::vector<Route>& PagingRoutes();      // pages and escalation policies
const std::vector<Route>& DisclosureRoutes();  // researchers' reports and their notifications
const std::vector<Route>& IntelRoutes();       // threat intelligence: events, indicators

inline constexpr std::string_view kProblemType = "application/problem+json";
inline constexpr std::string_view kSessionCookie = "baken_session";

std::string_view ReasonPhrase(int status);

// RFC 9457 problem details with Baken's members: `code`, the stable key of the translation
// table (i18n/problems.json) the portal shows in the reader's language, `params`, the values
// its sentence is filled in with, and `errors`, the separate problems of a refused list, each
// with its own code, params and English detail. `extra` holds what a client acts on.
Json ProblemJson(int status, const Error& error, std::string_view instance,
                 const Json& extra = Json::object());

// The value of a cookie the browser sent, or empty.
std::string CookieValue(const httplib::Request& request, std::string_view name);
// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it),
// Secure when the request came over TLS (a reverse proxy says so in X-Forwarded-Proto).
std::string SessionCookie(const httplib::Request& request, std::string_view value,
                          int64_t max_age_seconds);
// Where a request came from, for the lock-out (auth::SourceKey): the peer's address.
// X-Forwarded-For is not trusted: any client can send it. Behind a reverse proxy every request
// has the proxy's address, so the proxy's own limits must then do this work (decision 0009).
std::string SourceOf(const httplib::Request& request);

// The media type of the body, lower case, without parameters.
std::string MediaType(const httplib::Request& request);
// A CSV body (Content-Type text/csv), as the portal sends a spreadsheet.
bool IsCsv(const httplib::Request& request);

// A service's JSON answer as the reply (200, or `status` such as 201), or its error.
inline Result<Reply> JsonReply(Result<Json> json, int status = 200) {
  if (!json) return tl::unexpected(json.error());
  return Reply{status, std::move(*json)};
}

// Evidence as a download, never shown inline: whatever the file says it is, the browser gets
// application/octet-stream (with nosniff on every response) and a safe file name to save it
// under ("bijlage" when nothing of the name is safe); its SHA-256 in X-Baken-SHA256.
Reply FileDownload(std::string_view name, std::string content, std::string_view sha256);

// Parses the request body as JSON, or says why it is not.
Result<Json> JsonBody(const Call& call);
// The numeric id in the path ("/claims/17/approve"; `index` counts the path's parameters);
// anything else names nothing there (404).
Result<int64_t> PathId(const Call& call, std::string_view what, size_t index = 0);
// A whole-number query parameter within [low, high], or `fallback` when absent.
Result<int64_t> IntParam(const Call& call, const char* name, int64_t fallback, int64_t low,
                         int64_t high);
// A time bound as a date (YYYY-MM-DD, from midnight UTC) or a UTC time, in the IntelMQ form
// that stored events carry, so that text order is time order.
Result<std::optional<std::string>> TimeParam(const Call& call, const char* name);
// The same bound in the form Baken writes its own times in (common/time.h FormatUtc:
// "YYYY-MM-DDTHH:MM:SSZ"), for columns such as created_at.
Result<std::optional<std::string>> UtcTimeParam(const Call& call, const char* name);
// true, 1 or yes.
bool FlagParam(const Call& call, const char* name);

// A query parameter that must be one of `choices` (a list's `sort`), or `fallback` when absent;
// anything else is refused, naming the choices.
template <typename T>
Result<T> ChoiceParam(const Call& call, const char* name,
                      const std::vector<std::pair<std::string_view, T>>& choices, T fallback) {
  if (!call.request.has_param(name)) return fallback;
  const std::string text = call.request.get_param_value(name);
  std::string names;
  for (const auto& [choice, value] : choices) {
    if (choice == text) return value;
    names += names.empty() ? "" : ", ";
    names += choice;
  }
  return InvalidArgument(std::string(name) + " " + Quote(text) + " is unknown (use " + names + ")");
}

}  // namespace baken::http

#endif  // BAKEN_HTTP_HANDLER_H_
