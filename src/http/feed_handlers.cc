// Feed uploads and the events they brought.

#include <limits>

#include <fmt/format.h>

#include "common/quote.h"
#include "common/tlp.h"
#include "feeds/input.h"
#include "http/handler.h"
#include "service/events_service.h"
#include "service/ingest_service.h"

namespace baken::http {

namespace {

Result<Reply> PostReport(Handlers& api, Call& call) {
  if (!call.principal->IsStaff()) return PermissionDenied("only analysts may upload feeds");
  service::IngestOptions options;
  const std::string name =
      call.request.has_param("name") ? call.request.get_param_value("name") : "upload";
  if (call.request.has_param("feed")) {
    const std::string text = call.request.get_param_value("feed");
    options.feed.kind = feeds::ParseFeedKind(text);
    if (!options.feed.kind) {
      return InvalidArgument(
          fmt::format("feed {} is unknown (use shadowserver, intelmq)", Quote(text)));
    }
    if (*options.feed.kind == feeds::FeedKind::kCsv) {
      return InvalidArgument("a plain CSV list needs a mapping file: use baken ingest --mapping");
    }
  }
  options.feed.report = call.request.get_param_value("report");
  if (call.request.has_param("tlp")) {
    const std::string text = call.request.get_param_value("tlp");
    const std::optional<Tlp> tlp = ParseTlp(text);
    if (!tlp) {
      return InvalidArgument(fmt::format(
          "tlp {} is unknown (use CLEAR, GREEN, AMBER, AMBER+STRICT, RED)", Quote(text)));
    }
    options.tlp = *tlp;
  }
  options.dry_run = FlagParam(call, "dry_run");
  service::IngestService ingest(api.store, api.snapshot.Get());
  BAKEN_ASSIGN_OR_RETURN(auto input, feeds::OpenFeedFile(call.upload->string()));
  BAKEN_ASSIGN_OR_RETURN(auto summary,
                         ingest.IngestInput(*call.principal, name, std::move(input), options));
  return Reply{200, service::SummaryToJson(summary)};
}

Result<Reply> ListEvents(Handlers& api, Call& call) {
  store::EventQuery query;
  if (call.request.has_param("member")) query.member = call.request.get_param_value("member");
  if (call.request.has_param("feed")) query.feed_name = call.request.get_param_value("feed");
  query.unrouted = FlagParam(call, "unrouted");
  if (query.unrouted && !call.principal->IsStaff()) {
    return PermissionDenied("only analysts may list unrouted events");
  }
  BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 100, 1, 1000));
  BAKEN_ASSIGN_OR_RETURN(query.after_id,
                         IntParam(call, "after", 0, 0, std::numeric_limits<int64_t>::max()));
  query.newest_first = FlagParam(call, "newest");
  BAKEN_ASSIGN_OR_RETURN(query.before_id,
                         IntParam(call, "before", 0, 0, std::numeric_limits<int64_t>::max()));
  if (call.request.has_param("before") && !query.newest_first) {
    return InvalidArgument("before pages newest first: use it with newest=true");
  }
  // For a person paging through a list: a page number's worth of events to skip, and
  // filters on TLP, type, the time Baken received the event, and any text in it.
  BAKEN_ASSIGN_OR_RETURN(query.offset,
                         IntParam(call, "offset", 0, 0, std::numeric_limits<int32_t>::max()));
  if (query.offset > 0 && (query.after_id > 0 || query.before_id > 0)) {
    return InvalidArgument("offset pages by count: use it without after and before");
  }
  if (call.request.has_param("tlp")) {
    const std::string text = call.request.get_param_value("tlp");
    const auto tlp = ParseTlp(text);
    if (!tlp) return InvalidArgument(fmt::format("tlp {} is not a TLP level", Quote(text)));
    query.tlp = std::string(Name(*tlp));
  }
  if (call.request.has_param("type")) {
    query.classification_type = call.request.get_param_value("type");
  }
  BAKEN_ASSIGN_OR_RETURN(query.observed_since, TimeParam(call, "since"));
  BAKEN_ASSIGN_OR_RETURN(query.observed_until, TimeParam(call, "until"));
  if (call.request.has_param("q")) query.text = call.request.get_param_value("q");
  Json list = Json::array();
  int64_t last = 0;
  service::EventsService events(api.store);
  BAKEN_ASSIGN_OR_RETURN(const int64_t total,
                         events.Page(*call.principal, query, [&](const store::StoredEvent& event) {
                           Json item = Json::parse(service::EventToJsonText(event), nullptr, false);
                           // The id `after` and `before` page by (the API only: the command line
                           // keeps the contract's IntelMQ fields plus baken.member).
                           if (item.is_object()) item["baken.id"] = event.id;
                           list.push_back(std::move(item));
                           last = event.id;
                           return true;
                         }));
  const bool more =
      static_cast<int64_t>(list.size()) == query.limit && query.offset + query.limit < total;
  // The next page's bound: `before` when paging newest first, `after` otherwise.
  const char* next = query.newest_first ? "next_before" : "next_after";
  return Reply{200, Json{{"events", std::move(list)},
                         {next, more ? Json(last) : Json()},
                         {"total", total},
                         {"offset", query.offset},
                         {"limit", query.limit}}};
}

// One event, for its detail page: the scope decides, so another member's event or an
// unreleased RED one does not exist for a member's user.
Result<Reply> GetEvent(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "event"));
  BAKEN_ASSIGN_OR_RETURN(auto event, service::EventsService(api.store).Find(*call.principal, id));
  std::optional<Json> found;
  if (event) {
    found = Json::parse(service::EventToJsonText(*event), nullptr, false);
    if (found->is_object()) (*found)["baken.id"] = event->id;
  }
  if (!found || !found->is_object()) return NotFound(fmt::format("event {} does not exist", id));
  return Reply{200, std::move(*found)};
}

}  // namespace

const std::vector<Route>& FeedRoutes() {
  static const std::vector<Route> kRoutes = {
      {"POST", "/api/v1/reports", true, &PostReport, Body::kUpload},
      {"GET", "/api/v1/events", true, &ListEvents, Body::kNone},
      {"GET", "/api/v1/events/{id}", true, &GetEvent, Body::kNone},
  };
  return kRoutes;
}

}  // namespace baken::http
