// Threat intelligence (docs/decisions/0023-threat-intelligence.md): taking in MISP events,
// STIX bundles and lists, events and indicators as the caller may receive them, and what
// members add themselves. Who may read what is decided in src/intel; these handlers read the
// request and hand it over.

#include <limits>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/fields.h"
#include "common/problem_codes.h"
#include "common/time.h"
#include "http/handler.h"
#include "intel/feed_follower.h"
#include "intel/indicator.h"
#include "intel/intel_service.h"

namespace baken::http {

namespace {

using intel::IntelService;

IntelService Service(Handlers& api) { return IntelService(api.store, {}, api.snapshot.Get()); }

std::optional<std::string> OptionalParam(const Call& call, const char* name) {
  if (!call.request.has_param(name)) return std::nullopt;
  std::string value = call.request.get_param_value(name);
  if (value.empty()) return std::nullopt;
  return value;
}

Result<int64_t> Offset(const Call& call) {
  return IntParam(call, "offset", 0, 0, std::numeric_limits<int32_t>::max());
}

// The document is the body as it came; what it is, and for a list its TLP, in the query:
// `?format=misp|stix|list&tlp=GREEN&distribution=members&named=GM0001,GM0002&name=list.txt`.
Result<Reply> ImportIntel(Handlers& api, Call& call) {
  intel::ImportOptions options;
  options.format = OptionalParam(call, "format").value_or("");
  options.name = OptionalParam(call, "name").value_or("upload");
  options.tlp = OptionalParam(call, "tlp").value_or("");
  options.distribution = OptionalParam(call, "distribution").value_or("");
  if (const auto named = OptionalParam(call, "named")) {
    for (size_t start = 0; start <= named->size();) {
      const size_t comma = std::min(named->find(',', start), named->size());
      if (comma > start) options.named.push_back(named->substr(start, comma - start));
      start = comma + 1;
    }
  }
  return JsonReply(Service(api).Import(*call.principal, call.body, options), 201);
}

Result<Reply> ListEvents(Handlers& api, Call& call) {
  store::IntelEventQuery query;
  query.text = OptionalParam(call, "q");
  BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 50, 1, 500));
  BAKEN_ASSIGN_OR_RETURN(query.offset, Offset(call));
  return JsonReply(Service(api).Events(*call.principal, query));
}

Result<Reply> CreateEvent(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Service(api).CreateEvent(*call.principal, body), 201);
}

Result<Reply> GetEvent(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "intel event"));
  return JsonReply(Service(api).Event(*call.principal, id));
}

Result<Reply> AddIndicators(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "intel event"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Service(api).AddIndicators(*call.principal, id, body), 201);
}

Result<Reply> ListIndicators(Handlers& api, Call& call) {
  store::IndicatorQuery query;
  query.text = OptionalParam(call, "q");
  query.kind = OptionalParam(call, "kind");
  if (query.kind && !OneOf(intel::IndicatorKinds(), *query.kind)) {
    return InvalidInput(problems::field_choice_unknown,
                        {{"field", "kind"},
                         {"value", *query.kind},
                         {"choices", ChoicesText(intel::IndicatorKinds())}});
  }
  query.for_detection = FlagParam(call, "detection");
  BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 50, 1, 500));
  BAKEN_ASSIGN_OR_RETURN(query.offset, Offset(call));
  return JsonReply(Service(api).Indicators(*call.principal, query));
}

Result<Reply> GetIndicator(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "indicator"));
  return JsonReply(Service(api).Indicator(*call.principal, id));
}

// `?days=30` (1 to 365): how far back the stored feed events are read.
Result<Reply> IndicatorFeedMatches(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "indicator"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t days, IntParam(call, "days", 30, 1, 365));
  return JsonReply(Service(api).IndicatorFeedMatches(*call.principal, id, days));
}

Result<Reply> EventFeedMatches(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "intel event"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t days, IntParam(call, "days", 30, 1, 365));
  return JsonReply(Service(api).EventFeedMatches(*call.principal, id, days));
}

Result<Reply> AddSighting(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "indicator"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Service(api).AddSighting(*call.principal, id, body), 201);
}

Result<Reply> ReportSeen(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Service(api).ReportSeen(*call.principal, body), 201);
}

Result<Reply> GetFeed(Handlers& api, Call& call) {
  return JsonReply(Service(api).Feed(*call.principal, OptionalParam(call, "member")));
}

// The MISP feeds Baken follows (intel/feed_follower.h): analysts list, add and remove them
// here; the intel_sync job fetches them.
intel::FeedFollower Follower(Handlers& api, IntelService& intel) {
  return intel::FeedFollower(api.store, intel, [] { return Now(); });
}

Result<Reply> ListFollowed(Handlers& api, Call& call) {
  IntelService intel = Service(api);
  return JsonReply(Follower(api, intel).Followed(*call.principal));
}

// `{"url", "distribution", "named"}`.
Result<Reply> AddFollowed(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  Fields fields(body, {"url", "distribution", "named"});
  const auto url = fields.Text("url", 2000, true);
  intel::FollowOptions follow;
  follow.distribution = fields.Text("distribution", 20);
  follow.named = fields.TextList("named");
  BAKEN_RETURN_IF_ERROR(fields.Done());
  IntelService intel = Service(api);
  return JsonReply(Follower(api, intel).Add(*call.principal, *url, follow), 201);
}

Result<Reply> RemoveFollowed(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "followed feed"));
  IntelService intel = Service(api);
  BAKEN_RETURN_IF_ERROR(Follower(api, intel).Unfollow(*call.principal, id));
  return JsonReply(Result<Json>(Json{{"removed", id}}));
}

constexpr std::string_view kFeedBase = "/api/v1/intel/feed";

Result<Reply> NewFeedKey(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Service(api).NewFeedKey(*call.principal, body, kFeedBase), 201);
}

// A feed file as a download, conditional on its ETag: a firewall that fetches the list every
// few minutes gets 304 until it changes.
Result<Reply> FeedReply(const Call& call, Result<intel::FeedFile> file, std::string_view name) {
  if (!file) return tl::unexpected(file.error());
  Reply reply{200, Json()};
  reply.headers.emplace_back("ETag", file->etag);
  // Kept by the fetcher, asked again each time: private to the member it is for.
  reply.headers.emplace_back("Cache-Control", "private, no-cache");
  const std::string match = call.request.get_header_value("If-None-Match");
  if (!match.empty() && (match == "*" || match.find(file->etag) != std::string::npos)) {
    reply.status = 304;
    reply.text = std::string();
    return reply;
  }
  reply.content_type = file->content_type;
  const size_t slash = name.rfind('/');
  reply.headers.emplace_back(
      "Content-Disposition",
      fmt::format("attachment; filename=\"{}\"",
                  slash == std::string_view::npos ? name : name.substr(slash + 1)));
  reply.text = std::move(file->content);
  return reply;
}

// The path after the route's fixed part: a file name, or misp-feed/<file>.
std::string FileParam(const Call& call, size_t index, bool misp_feed) {
  return (misp_feed ? "misp-feed/" : "") + call.params.at(index);
}

Result<Reply> ExportFile(Handlers& api, Call& call) {
  const std::string name = FileParam(call, 0, false);
  return FeedReply(call, Service(api).Export(*call.principal, name), name);
}

Result<Reply> ExportMispFeedFile(Handlers& api, Call& call) {
  const std::string name = FileParam(call, 0, true);
  return FeedReply(call, Service(api).Export(*call.principal, name), name);
}

// The member's feed at its key: no session or API token (a firewall cannot send one); the key
// in the path is the credential.
Result<Reply> FeedFile(Handlers& api, Call& call) {
  const std::string name = FileParam(call, 1, false);
  return FeedReply(call, Service(api).FeedExport(call.params.at(0), name), name);
}

Result<Reply> FeedMispFeedFile(Handlers& api, Call& call) {
  const std::string name = FileParam(call, 1, true);
  return FeedReply(call, Service(api).FeedExport(call.params.at(0), name), name);
}

}  // namespace

const std::vector<Route>& IntelRoutes() {
  static const std::vector<Route> kRoutes = {
      {"POST", "/api/v1/intel/imports", true, &ImportIntel, Body::kIntel},
      {"GET", "/api/v1/intel/events", true, &ListEvents, Body::kNone},
      {"POST", "/api/v1/intel/events", true, &CreateEvent, Body::kList},
      {"GET", "/api/v1/intel/events/{id}", true, &GetEvent, Body::kNone},
      {"GET", "/api/v1/intel/events/{id}/feed-events", true, &EventFeedMatches, Body::kNone},
      {"POST", "/api/v1/intel/events/{id}/indicators", true, &AddIndicators, Body::kList},
      {"GET", "/api/v1/intel/indicators", true, &ListIndicators, Body::kNone},
      {"GET", "/api/v1/intel/indicators/{id}", true, &GetIndicator, Body::kNone},
      {"GET", "/api/v1/intel/indicators/{id}/feed-events", true, &IndicatorFeedMatches,
       Body::kNone},
      {"POST", "/api/v1/intel/indicators/{id}/sightings", true, &AddSighting, Body::kSmall},
      {"POST", "/api/v1/intel/sightings", true, &ReportSeen, Body::kList},
      {"GET", "/api/v1/intel/feeds", true, &GetFeed, Body::kNone},
      {"GET", "/api/v1/intel/followed", true, &ListFollowed, Body::kNone},
      {"POST", "/api/v1/intel/followed", true, &AddFollowed, Body::kSmall},
      {"DELETE", "/api/v1/intel/followed/{id}", true, &RemoveFollowed, Body::kNone},
      {"POST", "/api/v1/intel/feeds/key", true, &NewFeedKey, Body::kSmall},
      {"GET", "/api/v1/intel/exports/{file}", true, &ExportFile, Body::kNone},
      {"GET", "/api/v1/intel/exports/misp-feed/{file}", true, &ExportMispFeedFile, Body::kNone},
      {"GET", "/api/v1/intel/feed/{key}/{file}", false, &FeedFile, Body::kNone},
      {"GET", "/api/v1/intel/feed/{key}/misp-feed/{file}", false, &FeedMispFeedFile, Body::kNone},
  };
  return kRoutes;
}

}  // namespace baken::http
