#include "disclosure/report_service.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "auth/credentials.h"
#include "common/fields.h"
#include "common/hash.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/time.h"
#include "common/tlp.h"
#include "disclosure/proof_of_work.h"
#include "disclosure/report.h"
#include "disclosure/report_routing.h"
#include "disclosure/report_service_parts.h"
#include "disclosure/submission.h"
#include "incidents/reader.h"
#include "service/audit.h"

namespace baken::disclosure {

namespace parts {

tl::unexpected<Error> StaffOnly() {
  return PermissionDenied("only analysts handle the reports' queue");
}

tl::unexpected<Error> Changed() {
  return tl::unexpected(
      Error(ErrorCode::kConflict, "the report was changed by someone else meanwhile; reload it"));
}

Status Record(store::Transaction& tx, int64_t report, std::optional<std::string> member,
              std::string_view at, std::string_view actor, std::string_view action,
              std::optional<std::string> from, std::optional<std::string> to,
              std::optional<std::string> detail) {
  store::ReportHistoryEntry entry;
  entry.report_id = report;
  entry.member = std::move(member);
  entry.at = std::string(at);
  entry.actor = std::string(actor);
  entry.action = std::string(action);
  entry.from_state = std::move(from);
  entry.to_state = std::move(to);
  entry.detail = std::move(detail);
  return tx.Disclosure().AddHistory(entry);
}

Status Notice(store::Transaction& tx, int64_t report, std::optional<std::string> member,
              std::string_view kind, std::string_view now) {
  store::ReportNotice notice;
  notice.report_id = report;
  notice.member = std::move(member);
  notice.kind = std::string(kind);
  notice.created_at = std::string(now);
  return tx.Disclosure().AddNotice(notice);
}

bool Active(const store::VulnerabilityNotification& notification) {
  return notification.state != kProposed && notification.state != kWithdrawn;
}

}  // namespace parts

namespace {

using parts::Active;
using parts::Changed;
using parts::Notice;
using parts::Record;
using parts::StaffOnly;
using store::ReportHistoryEntry;
using store::VulnerabilityNotification;
using store::VulnerabilityReport;

constexpr int64_t kChallengeSeconds = 600;
constexpr size_t kMaxMessage = 10000;
constexpr int64_t kMaxListed = 500;

// Where a public submission came from, as stored: hashed, so that the table holds no addresses.
std::string SourceKey(std::string_view source) {
  return Sha256Hex("baken-report-source:" + std::string(source));
}

std::string TokenHash(std::string_view token) { return Sha256Hex(token); }

// The principal a public submission is audited as.
auth::Principal Public(std::string_view source_key) {
  auth::Principal who;
  who.actor = "public:" + std::string(source_key.substr(0, 16));
  return who;
}

Json OrNull(const std::optional<std::string>& value) { return value ? Json(*value) : Json(); }

// A free text someone writes into a thread: bounded, no control characters, no markup.
std::optional<std::string> MessageText(Fields& fields) {
  auto text = fields.Text("text", kMaxMessage, true);
  if (!text) return std::nullopt;
  if (auto script = ScriptIn(*text)) {
    fields.Problem(problems::report_script, {{"field", "text"}, {"what", *script}});
    return std::nullopt;
  }
  return text;
}

Json ItemJson(const store::ReportItem& item) {
  Json json{{"kind", item.kind}, {"value", item.value}};
  if (item.kind == "product") {
    const ProductName product = SplitProduct(item.value);
    json["value"] = fmt::format("{} {}{}", product.vendor, product.product,
                                product.version.empty() ? "" : " " + product.version);
    json["vendor"] = product.vendor;
    json["product"] = product.product;
    json["version"] = product.version;
  }
  return json;
}

Json NotificationJson(const VulnerabilityNotification& notification) {
  return Json{{"id", notification.id},
              {"report", notification.report_id},
              {"member", notification.member},
              {"member_name", notification.member_name},
              {"state", notification.state},
              {"routed_by", notification.routed_by},
              {"named", notification.named},
              {"member_reference", OrNull(notification.member_reference)},
              {"note", OrNull(notification.note)},
              {"notified_at", OrNull(notification.notified_at)},
              {"seen_at", OrNull(notification.seen_at)},
              {"acknowledged_at", OrNull(notification.acknowledged_at)},
              {"acknowledged_by", OrNull(notification.acknowledged_by)},
              {"answered_at", OrNull(notification.answered_at)},
              {"answered_by", OrNull(notification.answered_by)},
              {"due_at", OrNull(notification.due_at)},
              {"reminders", notification.reminders}};
}

Json MessageJson(const store::ReportMessage& message) {
  return Json{{"id", message.id},
              {"member", OrNull(message.member)},
              {"author", message.author},
              {"text", message.text},
              {"for_reporter", message.for_reporter},
              {"released_at", OrNull(message.released_at)},
              {"released_by", OrNull(message.released_by)},
              {"at", message.at}};
}

Json AttachmentJson(const store::ReportAttachment& attachment) {
  return Json{{"id", attachment.id},
              {"name", attachment.name},
              {"media_type", attachment.media_type},
              {"size", attachment.size},
              {"sha256", attachment.sha256},
              {"added_at", attachment.added_at}};
}

Json ReporterJson(const VulnerabilityReport& report) {
  return Json{{"name", OrNull(report.reporter_name)},
              {"email", OrNull(report.reporter_email)},
              {"organisation", OrNull(report.reporter_organisation)},
              {"language", report.reporter_language},
              {"share_details", report.share_details},
              {"credit", report.credit},
              {"credit_as", OrNull(report.credit_as)},
              {"wants_updates", report.wants_updates}};
}

Json ReportSummaryJson(const VulnerabilityReport& report) {
  return Json{{"id", report.id},
              {"reference", ReferenceOf(report)},
              {"channel", report.channel},
              {"title", report.title},
              {"severity", report.severity},
              {"tlp", report.tlp},
              {"state", report.state},
              {"created_at", report.created_at},
              {"updated_at", report.updated_at}};
}

// How the reporter's status page counts the organisations (never which ones).
Json Counts(const std::vector<VulnerabilityNotification>& notifications) {
  int64_t notified = 0;
  int64_t seen = 0;
  int64_t acknowledged = 0;
  std::map<std::string, int64_t> answers = {
      {std::string(kFixed), 0}, {std::string(kNotAffected), 0}, {std::string(kDisputed), 0}};
  for (const VulnerabilityNotification& notification : notifications) {
    if (!Active(notification)) continue;
    ++notified;
    seen += notification.seen_at.has_value() || notification.acknowledged_at.has_value();
    acknowledged += notification.acknowledged_at.has_value();
    if (answers.count(notification.state)) ++answers[notification.state];
  }
  return Json{{"notified", notified},
              {"seen", seen},
              {"acknowledged", acknowledged},
              {"fixed", answers[std::string(kFixed)]},
              {"not_affected", answers[std::string(kNotAffected)]},
              {"disputed", answers[std::string(kDisputed)]}};
}

}  // namespace

std::string ReferenceOf(const VulnerabilityReport& report) {
  return fmt::format("CVD-{}-{:05}", report.created_at.substr(0, 4), report.id);
}

ReportService::ReportService(store::Store& store, DisclosureSettings settings, Clock clock)
    : store_(store), settings_(settings), clock_(std::move(clock)) {}

std::chrono::system_clock::time_point ReportService::NowPoint() const {
  return clock_ ? clock_() : baken::Now();
}

std::string ReportService::Now() const { return FormatUtc(NowPoint()); }

Result<Json> ReportService::Challenge(std::string_view source) {
  const auto now = NowPoint();
  const std::string source_key = SourceKey(source);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(
      const int64_t asked,
      tx->Disclosure().CountChallengesFrom(source_key, FormatUtc(now - std::chrono::hours(1))));
  if (asked >= settings_.challenges_per_hour) {
    return tl::unexpected(Coded(ErrorCode::kTooMany, problems::report_too_many_challenges,
                                {{"max", std::to_string(settings_.challenges_per_hour)}}));
  }
  // Expired challenges are of no use to anyone; an hour's worth stays for the count above.
  BAKEN_RETURN_IF_ERROR(tx->Disclosure().PurgeChallenges(FormatUtc(now - std::chrono::hours(1))));
  const std::string challenge = auth::RandomUrlSafe(24);
  const std::string expires_at = FormatUtc(now + std::chrono::seconds(kChallengeSeconds));
  BAKEN_RETURN_IF_ERROR(tx->Disclosure().AddChallenge(TokenHash(challenge), settings_.proof_bits,
                                                      source_key, expires_at, FormatUtc(now)));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Json{{"challenge", challenge},
              {"bits", settings_.proof_bits},
              {"algorithm", "sha256(challenge + ':' + nonce) starts with `bits` zero bits"},
              {"expires_at", expires_at}};
}

Result<Receipt> ReportService::Submit(const Json& body, std::string_view source,
                                      const routing::Constituency& snapshot) {
  // What is wrong with the report itself is said first, before the challenge is used up.
  BAKEN_ASSIGN_OR_RETURN(Submission submission, ReadSubmission(body));
  const std::string challenge = body.value("challenge", Json()).is_string()
                                    ? body["challenge"].get<std::string>()
                                    : std::string();
  const std::string nonce =
      body.value("nonce", Json()).is_string() ? body["nonce"].get<std::string>() : std::string();
  const auto now = NowPoint();
  const std::string source_key = SourceKey(source);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(
      const int64_t sent,
      tx->Disclosure().CountReportsFrom(source_key, FormatUtc(now - std::chrono::hours(1))));
  if (sent >= settings_.reports_per_hour) {
    return tl::unexpected(Coded(ErrorCode::kTooMany, problems::report_too_many_reports,
                                {{"max", std::to_string(settings_.reports_per_hour)}}));
  }
  std::optional<int64_t> bits;
  if (!challenge.empty()) {
    BAKEN_ASSIGN_OR_RETURN(bits,
                           tx->Disclosure().UseChallenge(TokenHash(challenge), FormatUtc(now)));
  }
  if (!bits) return InvalidInput(problems::report_challenge_unknown);
  if (!ProofHolds(challenge, nonce, static_cast<int>(*bits))) {
    // The challenge stays used: a wrong guess costs a new challenge, not a free retry.
    BAKEN_RETURN_IF_ERROR(tx->Commit());
    return InvalidInput(problems::report_proof_wrong, {{"bits", std::to_string(*bits)}});
  }
  BAKEN_ASSIGN_OR_RETURN(
      Receipt receipt, Receive(*tx, std::move(submission), "form", source_key, "public", snapshot));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return receipt;
}

Result<Receipt> ReportService::Enter(const auth::Principal& who, const Json& body,
                                     std::string_view channel,
                                     const routing::Constituency& snapshot) {
  if (!who.IsStaff()) return StaffOnly();
  if (!OneOf(Channels(), channel)) {
    return InvalidArgument(fmt::format("channel must be {}", ChoicesText(Channels())));
  }
  BAKEN_ASSIGN_OR_RETURN(Submission submission, ReadSubmission(body));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(Receipt receipt, Receive(*tx, std::move(submission), channel,
                                                  "actor:" + who.actor, who.actor, snapshot));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return receipt;
}

Result<Receipt> ReportService::Receive(store::Transaction& tx, Submission submission,
                                       std::string_view channel, std::string_view source_key,
                                       std::string_view submitted_by,
                                       const routing::Constituency& snapshot) {
  const auto now_point = NowPoint();
  const std::string now = FormatUtc(now_point);
  VulnerabilityReport report = std::move(submission.report);
  report.channel = std::string(channel);
  report.source_key = std::string(source_key);
  report.submitted_by = std::string(submitted_by);
  report.state = std::string(kReceived);
  report.tlp = "AMBER";
  report.created_at = now;
  report.updated_at = now;
  BAKEN_ASSIGN_OR_RETURN(report.id, tx.Disclosure().AddReport(report));
  const std::string actor =
      submitted_by == "public" ? Public(source_key).actor : std::string(submitted_by);
  BAKEN_RETURN_IF_ERROR(Record(tx, report.id, std::nullopt, now, actor, "received", std::nullopt,
                               std::string(kReceived), report.channel));

  // Routing: every item through the snapshot; products through the inventories.
  std::map<std::string, std::string> routed;  // member → how (the first item that reached it)
  std::map<std::string, std::string> candidates;
  std::optional<std::vector<registry::Member>> members;
  for (const NamedItem& named : submission.items) {
    store::ReportItem item;
    item.report_id = report.id;
    item.kind = named.kind;
    item.value = named.value;
    if (named.kind == "product") {
      if (!members) {
        BAKEN_ASSIGN_OR_RETURN(members, tx.Members().List(registry::Scope::All()));
      }
      for (const ItemRoute& candidate : ProductCandidates(*members, SplitProduct(named.value))) {
        candidates.emplace(candidate.member, candidate.match);
      }
    } else if (auto route = RouteItem(snapshot, named)) {
      item.member = route->member;
      item.route_reason = route->reason;
      item.route_match = route->match;
      routed.emplace(route->member, route->reason);
    }
    BAKEN_RETURN_IF_ERROR(tx.Disclosure().AddItem(item));
  }
  const std::string due = FormatUtc(now_point + std::chrono::hours(24 * settings_.response_days));
  for (const auto& [member, how] : routed) {
    VulnerabilityNotification notification;
    notification.report_id = report.id;
    notification.member = member;
    notification.state = std::string(kNotified);
    notification.routed_by = how;
    notification.notified_at = now;
    notification.due_at = due;
    notification.created_at = now;
    notification.updated_at = now;
    BAKEN_RETURN_IF_ERROR(tx.Disclosure().AddNotification(notification));
    BAKEN_RETURN_IF_ERROR(Record(tx, report.id, member, now, "baken", "notified", std::nullopt,
                                 std::string(kNotified), how));
    BAKEN_RETURN_IF_ERROR(Notice(tx, report.id, member, "notice", now));
  }
  for (const auto& [member, asset] : candidates) {
    if (routed.count(member)) continue;
    VulnerabilityNotification notification;
    notification.report_id = report.id;
    notification.member = member;
    notification.state = std::string(kProposed);
    notification.routed_by = "inventory";
    notification.created_at = now;
    notification.updated_at = now;
    BAKEN_RETURN_IF_ERROR(tx.Disclosure().AddNotification(notification));
    BAKEN_RETURN_IF_ERROR(Record(tx, report.id, member, now, "baken", "proposed", std::nullopt,
                                 std::string(kProposed), "inventory: " + asset));
  }
  for (store::ReportAttachment& attachment : submission.attachments) {
    attachment.report_id = report.id;
    attachment.added_by = "reporter";
    attachment.added_at = now;
    BAKEN_RETURN_IF_ERROR(tx.Disclosure().AddAttachment(attachment));
  }
  Receipt receipt;
  receipt.id = report.id;
  receipt.reference = ReferenceOf(report);
  receipt.token = auth::RandomUrlSafe(32);
  receipt.token_expires_at =
      FormatUtc(now_point + std::chrono::hours(24 * settings_.status_link_days));
  BAKEN_RETURN_IF_ERROR(
      tx.Disclosure().AddLink(TokenHash(receipt.token), report.id, receipt.token_expires_at, now));
  if (report.reporter_email) {
    BAKEN_RETURN_IF_ERROR(Notice(tx, report.id, std::nullopt, "received", now));
  }
  auth::Principal who = Public(source_key);
  if (submitted_by != "public") who.actor = std::string(submitted_by);
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(tx, who, "report.receive",
                                             fmt::format("report:{}", report.id),
                                             Json{{"channel", report.channel},
                                                  {"items", submission.items.size()},
                                                  {"members", routed.size()},
                                                  {"candidates", candidates.size()}}));
  return receipt;
}

Result<Json> ReportService::Status(std::string_view token) {
  if (token.empty() || token.size() > 200) return InvalidInput(problems::report_link_unknown);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const auto id, tx->Disclosure().ReportOfLink(TokenHash(token), Now()));
  if (!id) return tl::unexpected(Coded(ErrorCode::kNotFound, problems::report_link_unknown));
  BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(*id));
  if (!report) return tl::unexpected(Coded(ErrorCode::kNotFound, problems::report_link_unknown));
  BAKEN_ASSIGN_OR_RETURN(const auto notifications, tx->Disclosure().Notifications(*id));
  BAKEN_ASSIGN_OR_RETURN(const auto messages, tx->Disclosure().Messages(*id));
  // A duplicate's reporter follows what the organisations do about the original, without
  // learning anything else of it (not even its reference: it is another reporter's).
  std::vector<VulnerabilityNotification> followed = notifications;
  if (report->merged_into) {
    BAKEN_ASSIGN_OR_RETURN(followed, tx->Disclosure().Notifications(*report->merged_into));
  }
  Json named = Json::array();
  for (const VulnerabilityNotification& notification : notifications) {
    if (Active(notification) && notification.named) {
      named.push_back(Json{{"name", notification.member_name}, {"state", notification.state}});
    }
  }
  Json thread = Json::array();
  for (const store::ReportMessage& message : messages) {
    // The thread with the reporter, and what an analyst passed on from a member, which is
    // shown as from "an organisation": the member may not want to be known.
    if (message.member && !message.released_at) continue;
    const std::string from = message.member                 ? "organisation"
                             : message.author == "reporter" ? "reporter"
                                                            : "cert";
    thread.push_back(Json{{"from", from},
                          {"text", message.text},
                          {"at", message.member ? *message.released_at : message.at}});
  }
  return Json{{"reference", ReferenceOf(*report)},
              {"title", report->title},
              {"state", report->state},
              {"received_at", report->created_at},
              {"updated_at", report->updated_at},
              {"organisations", Counts(followed)},
              {"duplicate", report->merged_into.has_value()},
              {"named", std::move(named)},
              {"messages", std::move(thread)},
              {"may_add", report->state != kClosed}};
}

Result<Json> ReportService::AddFromReporter(std::string_view token, const Json& body) {
  Fields fields(body, {"text"});
  auto text = MessageText(fields);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  if (token.empty() || token.size() > 200) return InvalidInput(problems::report_link_unknown);
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    const std::string now = Now();
    BAKEN_ASSIGN_OR_RETURN(const auto id, tx->Disclosure().ReportOfLink(TokenHash(token), now));
    if (!id) return tl::unexpected(Coded(ErrorCode::kNotFound, problems::report_link_unknown));
    BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(*id));
    if (!report) return tl::unexpected(Coded(ErrorCode::kNotFound, problems::report_link_unknown));
    if (report->state == kClosed) return InvalidInput(problems::report_closed);
    store::ReportMessage message;
    message.report_id = *id;
    message.author = "reporter";
    message.text = std::move(*text);
    message.at = now;
    BAKEN_RETURN_IF_ERROR(tx->Disclosure().AddMessage(message));
    BAKEN_RETURN_IF_ERROR(Record(*tx, *id, std::nullopt, now, "reporter", "message"));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Status(token);
}

Result<Json> ReportService::List(const auth::Principal& who, const store::ReportQuery& query) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const auto reports, tx->Disclosure().Reports(query));
  BAKEN_ASSIGN_OR_RETURN(const int64_t total, tx->Disclosure().CountReports(query));
  Json list = Json::array();
  for (const VulnerabilityReport& report : reports) {
    BAKEN_ASSIGN_OR_RETURN(const auto notifications, tx->Disclosure().Notifications(report.id));
    Json summary = ReportSummaryJson(report);
    summary["organisations"] = Counts(notifications);
    summary["proposed"] =
        std::count_if(notifications.begin(), notifications.end(),
                      [](const VulnerabilityNotification& n) { return n.state == kProposed; });
    list.push_back(std::move(summary));
  }
  return Json{{"reports", std::move(list)}, {"total", total}};
}

Result<Json> ReportService::Get(const auth::Principal& who, int64_t id) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(id));
  if (!report) return NotFound(fmt::format("there is no report {}", id));
  BAKEN_ASSIGN_OR_RETURN(const auto items, tx->Disclosure().Items(id));
  BAKEN_ASSIGN_OR_RETURN(const auto notifications, tx->Disclosure().Notifications(id));
  BAKEN_ASSIGN_OR_RETURN(const auto messages, tx->Disclosure().Messages(id));
  BAKEN_ASSIGN_OR_RETURN(const auto attachments, tx->Disclosure().Attachments(id));
  BAKEN_ASSIGN_OR_RETURN(const auto history, tx->Disclosure().History(id));
  BAKEN_ASSIGN_OR_RETURN(const auto mails, tx->Disclosure().Mails(id));
  BAKEN_ASSIGN_OR_RETURN(const auto suggestions, tx->Disclosure().Suggestions(id));
  Json json = ReportSummaryJson(*report);
  json["description"] = report->description;
  json["member_summary"] = OrNull(report->member_summary);
  json["state_reason"] = OrNull(report->state_reason);
  json["closed_at"] = OrNull(report->closed_at);
  json["submitted_by"] = report->submitted_by;
  json["reporter"] = ReporterJson(*report);
  // A merged report lives on in the one it joined: it moves no more.
  json["next_states"] =
      report->merged_into ? std::vector<std::string_view>{} : NextReportStates(report->state);
  Json item_list = Json::array();
  for (const store::ReportItem& item : items) {
    Json entry = ItemJson(item);
    entry["member"] = OrNull(item.member);
    entry["route_reason"] = OrNull(item.route_reason);
    entry["route_match"] = OrNull(item.route_match);
    item_list.push_back(std::move(entry));
  }
  json["items"] = std::move(item_list);
  json["notifications"] = Json::array();
  for (const auto& notification : notifications) {
    json["notifications"].push_back(NotificationJson(notification));
  }
  json["messages"] = Json::array();
  for (const auto& message : messages) json["messages"].push_back(MessageJson(message));
  json["attachments"] = Json::array();
  for (const auto& attachment : attachments) {
    json["attachments"].push_back(AttachmentJson(attachment));
  }
  // The e-mails it came in, as the analysts see them (decision 0021).
  json["mails"] = Json::array();
  for (const auto& mail : mails) {
    json["mails"].push_back(Json{{"id", mail.id},
                                 {"message_id", mail.message_id},
                                 {"sender", mail.sender},
                                 {"format", mail.format},
                                 {"encrypted", mail.encrypted},
                                 {"signature", mail.signature},
                                 {"signer", mail.signer},
                                 {"size", mail.size},
                                 {"received_at", mail.received_at}});
  }
  json["history"] = Json::array();
  for (const auto& entry : history) {
    json["history"].push_back(Json{{"at", entry.at},
                                   {"actor", entry.actor},
                                   {"action", entry.action},
                                   {"member", OrNull(entry.member)},
                                   {"from", OrNull(entry.from_state)},
                                   {"to", OrNull(entry.to_state)},
                                   {"detail", OrNull(entry.detail)}});
  }
  json["suggestions"] = Json::array();
  for (const auto& suggestion : suggestions) {
    json["suggestions"].push_back(Json{{"item", suggestion.item},
                                       {"source", suggestion.source},
                                       {"location", suggestion.location},
                                       {"contacts", suggestion.contacts},
                                       {"detail", OrNull(suggestion.detail)},
                                       {"found_at", suggestion.found_at}});
  }
  json["organisations"] = Counts(notifications);
  json["incident"] = report->incident_id ? Json(*report->incident_id) : Json();
  json["merged_into"] = Json();
  if (report->merged_into) {
    BAKEN_ASSIGN_OR_RETURN(const auto original, tx->Disclosure().FindReport(*report->merged_into));
    if (original) json["merged_into"] = ReportSummaryJson(*original);
  }
  BAKEN_ASSIGN_OR_RETURN(const auto duplicates, tx->Disclosure().Duplicates(id));
  json["duplicates"] = Json::array();
  for (const VulnerabilityReport& duplicate : duplicates) {
    json["duplicates"].push_back(ReportSummaryJson(duplicate));
  }
  return json;
}

Result<Json> ReportService::Move(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"state", "reason"});
  auto to = fields.Choice("state", ReportStates(), true);
  auto reason = fields.Text("reason", 2000);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(auto report, tx->Disclosure().FindReport(id));
    if (!report) return NotFound(fmt::format("there is no report {}", id));
    const std::string from = report->state;
    // A merged report lives on in the one it joined (report_service_triage.cc).
    if (report->merged_into) return InvalidInput(problems::report_closed);
    if (!MayMoveReport(from, *to)) {
      std::vector<std::string_view> next = NextReportStates(from);
      return InvalidInput(problems::report_state_move,
                          {{"from", from}, {"to", *to}, {"choices", ChoicesText(next)}});
    }
    const std::string now = Now();
    report->state = *to;
    report->state_reason = reason;
    report->updated_at = now;
    report->closed_at = *to == kClosed ? std::optional<std::string>(now) : std::nullopt;
    BAKEN_ASSIGN_OR_RETURN(const bool saved, tx->Disclosure().SaveReport(*report, from));
    if (!saved) return Changed();
    BAKEN_RETURN_IF_ERROR(
        Record(*tx, id, std::nullopt, now, who.actor, "state", from, *to, reason));
    // An invalid report must stop bothering the members it reached before they answered.
    if (*to == kInvalid) {
      BAKEN_ASSIGN_OR_RETURN(auto notifications, tx->Disclosure().Notifications(id));
      for (VulnerabilityNotification& notification : notifications) {
        if (!MayWithdraw(notification.state)) continue;
        const std::string before = notification.state;
        notification.state = std::string(kWithdrawn);
        notification.due_at.reset();
        notification.updated_at = now;
        BAKEN_ASSIGN_OR_RETURN(
            const bool withdrawn,
            tx->Disclosure().SaveNotification(notification, before, notification.reminders));
        if (!withdrawn) return Changed();
        BAKEN_RETURN_IF_ERROR(Record(*tx, id, notification.member, now, who.actor, "withdrawn",
                                     before, std::string(kWithdrawn), "the report is invalid"));
      }
    }
    if (report->wants_updates) {
      BAKEN_RETURN_IF_ERROR(Notice(*tx, id, std::nullopt, "update", now));
    }
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(
        *tx, who, "report.state", fmt::format("report:{}", id), Json{{"from", from}, {"to", *to}}));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Get(who, id);
}

Result<Json> ReportService::Update(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"tlp", "member_summary"});
  auto tlp = fields.TlpLevel("tlp");
  std::optional<std::string> summary;
  if (auto text = fields.Text("member_summary", kMaxDescription)) {
    if (auto script = ScriptIn(*text)) {
      fields.Problem(problems::report_script, {{"field", "member_summary"}, {"what", *script}});
    } else {
      summary = std::move(text);
    }
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(auto report, tx->Disclosure().FindReport(id));
    if (!report) return NotFound(fmt::format("there is no report {}", id));
    const std::string now = Now();
    if (tlp) report->tlp = *tlp;
    if (fields.IsNull("member_summary")) {
      report->member_summary.reset();
    } else if (summary) {
      report->member_summary = summary;
    }
    report->updated_at = now;
    BAKEN_ASSIGN_OR_RETURN(const bool saved, tx->Disclosure().SaveReport(*report, report->state));
    if (!saved) return Changed();
    BAKEN_RETURN_IF_ERROR(Record(*tx, id, std::nullopt, now, who.actor, "updated", std::nullopt,
                                 std::nullopt, tlp ? "tlp " + *tlp : "summary for members"));
    BAKEN_RETURN_IF_ERROR(
        service::RecordAudit(*tx, who, "report.update", fmt::format("report:{}", id),
                             Json{{"tlp", report->tlp}, {"member_summary", summary.has_value()}}));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Get(who, id);
}

Result<Json> ReportService::NotifyMember(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"member"});
  auto member = fields.Text("member", 100, true);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(id));
    if (!report) return NotFound(fmt::format("there is no report {}", id));
    if (report->state == kClosed || report->state == kInvalid) {
      return InvalidInput(problems::report_closed);
    }
    // The member must exist (outside the registry there is no one to notify).
    BAKEN_RETURN_IF_ERROR(tx->Members().MustExist(*member));
    const auto now_point = NowPoint();
    const std::string now = FormatUtc(now_point);
    const std::string due = FormatUtc(now_point + std::chrono::hours(24 * settings_.response_days));
    BAKEN_ASSIGN_OR_RETURN(auto notifications, tx->Disclosure().Notifications(id));
    auto existing =
        std::find_if(notifications.begin(), notifications.end(),
                     [&](const VulnerabilityNotification& n) { return n.member == *member; });
    std::string before;
    if (existing == notifications.end()) {
      VulnerabilityNotification notification;
      notification.report_id = id;
      notification.member = *member;
      notification.state = std::string(kNotified);
      notification.routed_by = "analyst";
      notification.notified_at = now;
      notification.due_at = due;
      notification.created_at = now;
      notification.updated_at = now;
      BAKEN_RETURN_IF_ERROR(tx->Disclosure().AddNotification(notification));
    } else if (existing->state == kProposed || existing->state == kWithdrawn) {
      before = existing->state;
      existing->state = std::string(kNotified);
      existing->notified_at = now;
      existing->due_at = due;
      existing->updated_at = now;
      BAKEN_ASSIGN_OR_RETURN(const bool saved, tx->Disclosure().SaveNotification(
                                                   *existing, before, existing->reminders));
      if (!saved) return Changed();
    } else {
      return tl::unexpected(
          Error(ErrorCode::kConflict,
                fmt::format("member {} was notified of this report already", *member)));
    }
    BAKEN_RETURN_IF_ERROR(Record(*tx, id, *member, now, who.actor, "notified",
                                 before.empty() ? std::nullopt : std::optional(before),
                                 std::string(kNotified)));
    BAKEN_RETURN_IF_ERROR(Notice(*tx, id, *member, "notice", now));
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(
        *tx, who, "report.notify", fmt::format("report:{}", id), Json{{"member", *member}}));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Get(who, id);
}

Result<Json> ReportService::Withdraw(const auth::Principal& who, int64_t id,
                                     std::string_view member) {
  if (!who.IsStaff()) return StaffOnly();
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(auto notifications, tx->Disclosure().Notifications(id));
    auto found =
        std::find_if(notifications.begin(), notifications.end(),
                     [&](const VulnerabilityNotification& n) { return n.member == member; });
    if (found == notifications.end()) {
      return NotFound(fmt::format("report {} has no notification for {}", id, member));
    }
    if (!MayWithdraw(found->state)) {
      return InvalidInput(problems::report_withdraw_not_allowed, {{"from", found->state}});
    }
    const std::string now = Now();
    const std::string before = found->state;
    found->state = std::string(kWithdrawn);
    found->due_at.reset();
    found->updated_at = now;
    BAKEN_ASSIGN_OR_RETURN(const bool saved,
                           tx->Disclosure().SaveNotification(*found, before, found->reminders));
    if (!saved) return Changed();
    BAKEN_RETURN_IF_ERROR(Record(*tx, id, std::string(member), now, who.actor, "withdrawn", before,
                                 std::string(kWithdrawn)));
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(
        *tx, who, "report.withdraw", fmt::format("report:{}", id), Json{{"member", member}}));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Get(who, id);
}

Result<Json> ReportService::AddMessage(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"text", "member"});
  auto text = MessageText(fields);
  auto member = fields.Text("member", 100);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(id));
    if (!report) return NotFound(fmt::format("there is no report {}", id));
    if (member) {
      BAKEN_ASSIGN_OR_RETURN(const auto notifications, tx->Disclosure().Notifications(id));
      if (std::none_of(notifications.begin(), notifications.end(),
                       [&](const VulnerabilityNotification& n) {
                         return n.member == *member && Active(n);
                       })) {
        return NotFound(fmt::format("report {} has no notification for {}", id, *member));
      }
    }
    const std::string now = Now();
    store::ReportMessage message;
    message.report_id = id;
    message.member = member;
    message.author = who.actor;
    message.text = std::move(*text);
    message.at = now;
    BAKEN_RETURN_IF_ERROR(tx->Disclosure().AddMessage(message));
    BAKEN_RETURN_IF_ERROR(Record(*tx, id, member, now, who.actor, "message"));
    if (!member && report->wants_updates) {
      BAKEN_RETURN_IF_ERROR(Notice(*tx, id, std::nullopt, "update", now));
    }
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Get(who, id);
}

Result<Json> ReportService::ReleaseMessage(const auth::Principal& who, int64_t id,
                                           int64_t message_id) {
  if (!who.IsStaff()) return StaffOnly();
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(id));
    if (!report) return NotFound(fmt::format("there is no report {}", id));
    BAKEN_ASSIGN_OR_RETURN(auto messages, tx->Disclosure().Messages(id));
    auto found = std::find_if(messages.begin(), messages.end(),
                              [&](const store::ReportMessage& m) { return m.id == message_id; });
    if (found == messages.end()) {
      return NotFound(fmt::format("report {} has no message {}", id, message_id));
    }
    if (!found->member || !found->for_reporter || found->released_at) {
      return InvalidInput(problems::report_message_not_releasable);
    }
    const std::string now = Now();
    found->released_at = now;
    found->released_by = who.actor;
    BAKEN_RETURN_IF_ERROR(tx->Disclosure().SaveMessage(*found));
    BAKEN_RETURN_IF_ERROR(Record(*tx, id, found->member, now, who.actor, "released", std::nullopt,
                                 std::nullopt, std::to_string(message_id)));
    if (report->wants_updates) {
      BAKEN_RETURN_IF_ERROR(Notice(*tx, id, std::nullopt, "update", now));
    }
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Get(who, id);
}

namespace {

// What a member reads of its notification's report (decision 0020).
struct MemberView {
  bool may_read = false;       // TLP allows this user to read the report's text
  bool text_withheld = false;  // the report concerns several members and has no summary yet
  std::optional<std::string> title;
  std::optional<std::string> description;
};

MemberView ViewFor(const incidents::Reader& reader, const VulnerabilityReport& report,
                   const std::vector<VulnerabilityNotification>& notifications) {
  MemberView view;
  view.may_read = reader.staff || reader.MayRead(report.tlp, "");
  if (!view.may_read) return view;
  const auto active = std::count_if(notifications.begin(), notifications.end(), Active);
  if (report.member_summary) {
    view.description = report.member_summary;
  } else if (active <= 1) {
    view.title = report.title;
    view.description = report.description;
  } else {
    view.text_withheld = true;
  }
  return view;
}

}  // namespace

Result<Json> ReportService::Notifications(const auth::Principal& who, int64_t limit,
                                          int64_t offset) {
  limit = std::clamp<int64_t>(limit, 1, kMaxListed);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(
      const auto notifications,
      tx->Disclosure().ListNotifications(auth::ScopeFor(who), who.IsStaff(), limit, offset));
  Json list = Json::array();
  for (const VulnerabilityNotification& notification : notifications) {
    BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(notification.report_id));
    if (!report) continue;
    Json entry = NotificationJson(notification);
    entry["reference"] = ReferenceOf(*report);
    entry["severity"] = report->severity;
    entry["tlp"] = report->tlp;
    list.push_back(std::move(entry));
  }
  return Json{{"notifications", std::move(list)}};
}

Result<Json> ReportService::Notification(const auth::Principal& who, int64_t id) {
  const registry::Scope scope = auth::ScopeFor(who);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto notification, tx->Disclosure().FindNotification(scope, id));
  // A candidate or a withdrawn one is not the member's to read.
  if (!notification || (!who.IsStaff() && !Active(*notification))) {
    return NotFound(fmt::format("there is no notification {}", id));
  }
  BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(notification->report_id));
  if (!report) return NotFound(fmt::format("there is no notification {}", id));
  BAKEN_ASSIGN_OR_RETURN(const incidents::Reader reader, incidents::Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const auto all, tx->Disclosure().Notifications(report->id));
  const MemberView view = ViewFor(reader, *report, all);
  // The first look of one of the member's own users who may read it marks it seen.
  if (!who.IsStaff() && view.may_read && notification->state == kNotified) {
    const std::string now = Now();
    notification->state = std::string(kSeen);
    notification->seen_at = now;
    notification->updated_at = now;
    BAKEN_ASSIGN_OR_RETURN(
        const bool saved,
        tx->Disclosure().SaveNotification(*notification, kNotified, notification->reminders));
    if (saved) {
      BAKEN_RETURN_IF_ERROR(Record(*tx, report->id, notification->member, now, who.actor, "seen",
                                   std::string(kNotified), std::string(kSeen)));
    }
  }
  Json json = NotificationJson(*notification);
  json["reference"] = ReferenceOf(*report);
  json["report_state"] = report->state;
  json["severity"] = report->severity;
  json["tlp"] = report->tlp;
  json["received_at"] = report->created_at;
  json["may_read"] = view.may_read;
  json["text_withheld"] = view.text_withheld;
  json["title"] = OrNull(view.title);
  json["description"] = OrNull(view.description);
  json["answers"] = Json::array();
  for (std::string_view answer : MemberAnswers()) {
    if (MayAnswer(notification->state, answer)) json["answers"].push_back(answer);
  }
  Json items = Json::array();
  Json messages = Json::array();
  Json attachments = Json::array();
  if (view.may_read) {
    BAKEN_ASSIGN_OR_RETURN(const auto all_items, tx->Disclosure().Items(report->id));
    for (const store::ReportItem& item : all_items) {
      // Its own items, and the products (the same for everyone); never another member's.
      if (item.member == notification->member || item.kind == "product") {
        items.push_back(ItemJson(item));
      }
    }
    BAKEN_ASSIGN_OR_RETURN(const auto all_messages, tx->Disclosure().Messages(report->id));
    for (const store::ReportMessage& message : all_messages) {
      if (message.member == notification->member) messages.push_back(MessageJson(message));
    }
    if (view.description && !view.text_withheld && !report->member_summary) {
      BAKEN_ASSIGN_OR_RETURN(const auto files, tx->Disclosure().Attachments(report->id));
      for (const auto& file : files) attachments.push_back(AttachmentJson(file));
    }
    if (report->share_details) json["reporter"] = ReporterJson(*report);
  }
  json["items"] = std::move(items);
  json["messages"] = std::move(messages);
  json["attachments"] = std::move(attachments);
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return json;
}

Result<Json> ReportService::Answer(const auth::Principal& who, int64_t id, const Json& body) {
  Fields fields(body, {"state", "note", "reference", "named"});
  auto state = fields.Choice("state", MemberAnswers());
  auto note = fields.Text("note", 2000);
  auto reference = fields.Text("reference", 100);
  auto named = fields.Flag("named");
  if (note) {
    if (auto script = ScriptIn(*note)) {
      fields.Problem(problems::report_script, {{"field", "note"}, {"what", *script}});
    }
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(auto notification,
                           tx->Disclosure().FindNotification(auth::ScopeFor(who), id));
    if (!notification || (!who.IsStaff() && !Active(*notification))) {
      return NotFound(fmt::format("there is no notification {}", id));
    }
    BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(notification->report_id));
    if (!report) return NotFound(fmt::format("there is no notification {}", id));
    const std::string now = Now();
    const std::string before = notification->state;
    if (state) {
      if (!MayAnswer(before, *state)) {
        return InvalidInput(problems::report_answer_not_allowed,
                            {{"from", before}, {"to", *state}});
      }
      notification->state = *state;
      // Any answer acknowledges: "fixed" says the member read it too.
      if (!notification->acknowledged_at) {
        notification->acknowledged_at = now;
        notification->acknowledged_by = who.actor;
      }
      if (*state != kAcknowledged) {
        notification->answered_at = now;
        notification->answered_by = who.actor;
      }
      if (!notification->seen_at) notification->seen_at = now;
      notification->due_at.reset();
    }
    if (note) notification->note = note;
    if (reference) notification->member_reference = reference;
    if (named) notification->named = *named;
    notification->updated_at = now;
    BAKEN_ASSIGN_OR_RETURN(const bool saved, tx->Disclosure().SaveNotification(
                                                 *notification, before, notification->reminders));
    if (!saved) return Changed();
    BAKEN_RETURN_IF_ERROR(Record(*tx, report->id, notification->member, now, who.actor,
                                 state ? "answered" : "updated", before, notification->state,
                                 note));
    if (state && report->wants_updates) {
      BAKEN_RETURN_IF_ERROR(Notice(*tx, report->id, std::nullopt, "update", now));
    }
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(
        *tx, who, "report.answer", fmt::format("report:{}", report->id),
        Json{{"member", notification->member}, {"from", before}, {"to", notification->state}}));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Notification(who, id);
}

Result<Json> ReportService::AddMemberMessage(const auth::Principal& who, int64_t id,
                                             const Json& body) {
  Fields fields(body, {"text", "for_reporter"});
  auto text = MessageText(fields);
  const bool for_reporter = fields.Flag("for_reporter").value_or(false);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(const auto notification,
                           tx->Disclosure().FindNotification(auth::ScopeFor(who), id));
    if (!notification || !Active(*notification)) {
      return NotFound(fmt::format("there is no notification {}", id));
    }
    BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(notification->report_id));
    if (!report) return NotFound(fmt::format("there is no notification {}", id));
    if (report->state == kClosed) return InvalidInput(problems::report_closed);
    const std::string now = Now();
    store::ReportMessage message;
    message.report_id = report->id;
    message.member = notification->member;
    message.author = who.actor;
    message.text = std::move(*text);
    message.for_reporter = for_reporter;
    message.at = now;
    BAKEN_RETURN_IF_ERROR(tx->Disclosure().AddMessage(message));
    BAKEN_RETURN_IF_ERROR(Record(*tx, report->id, notification->member, now, who.actor, "message"));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Notification(who, id);
}

Result<store::ReportAttachment> ReportService::Attachment(const auth::Principal& who,
                                                          int64_t report_id,
                                                          std::optional<int64_t> notification,
                                                          int64_t attachment_id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  if (!who.IsStaff()) {
    // A member reaches evidence only through its own notification, when it reads the text.
    if (!notification) return NotFound(fmt::format("there is no attachment {}", attachment_id));
    BAKEN_ASSIGN_OR_RETURN(const auto own,
                           tx->Disclosure().FindNotification(auth::ScopeFor(who), *notification));
    if (!own || !Active(*own) || own->report_id != report_id) {
      return NotFound(fmt::format("there is no attachment {}", attachment_id));
    }
    BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(report_id));
    if (!report) return NotFound(fmt::format("there is no attachment {}", attachment_id));
    BAKEN_ASSIGN_OR_RETURN(const incidents::Reader reader, incidents::Reader::For(*tx, who));
    BAKEN_ASSIGN_OR_RETURN(const auto all, tx->Disclosure().Notifications(report_id));
    const MemberView view = ViewFor(reader, *report, all);
    if (!view.description || view.text_withheld || report->member_summary) {
      return NotFound(fmt::format("there is no attachment {}", attachment_id));
    }
  }
  BAKEN_ASSIGN_OR_RETURN(auto attachment, tx->Disclosure().Attachment(report_id, attachment_id));
  if (!attachment) return NotFound(fmt::format("there is no attachment {}", attachment_id));
  return std::move(*attachment);
}

Result<store::ReportMail> ReportService::Mail(const auth::Principal& who, int64_t report,
                                              int64_t mail) {
  // It carries the reporter's address whatever the reporter agreed to share.
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto found, tx->Disclosure().Mail(report, mail));
  if (!found) return NotFound(fmt::format("report {} has no mail {}", report, mail));
  return std::move(*found);
}

namespace {

// The median of `hours`, to one decimal; null without any.
Json Median(std::vector<double> hours) {
  if (hours.empty()) return Json();
  std::sort(hours.begin(), hours.end());
  const size_t middle = hours.size() / 2;
  const double median =
      hours.size() % 2 == 1 ? hours[middle] : (hours[middle - 1] + hours[middle]) / 2;
  return std::round(median * 10) / 10;
}

std::optional<double> HoursBetween(const std::optional<std::string>& from,
                                   const std::optional<std::string>& to) {
  if (!from || !to) return std::nullopt;
  const auto start = ParseUtc(*from);
  const auto end = ParseUtc(*to);
  if (!start || !end || *end < *start) return std::nullopt;
  return std::chrono::duration<double, std::ratio<3600>>(*end - *start).count();
}

}  // namespace

Result<Json> ReportService::Stats(const auth::Principal& who, std::string_view from,
                                  std::string_view to) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(const std::string lower, PeriodBound("from", from));
  BAKEN_ASSIGN_OR_RETURN(const std::string upper, PeriodBound("to", to));
  store::ReportQuery query;
  if (!lower.empty()) query.from = lower;
  if (!upper.empty()) query.to = upper;
  query.limit = 0;  // all of them
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const auto reports, tx->Disclosure().Reports(query));
  std::map<std::string, std::map<std::string, int64_t>> by_month;  // month → state → count
  std::map<std::string, int64_t> by_channel;
  std::map<std::string, int64_t> answers;
  int64_t notified = 0;
  std::vector<double> to_acknowledge;
  std::vector<double> to_fix;
  for (const VulnerabilityReport& report : reports) {
    ++by_month[report.created_at.substr(0, 7)][report.state];
    ++by_channel[report.channel];
    BAKEN_ASSIGN_OR_RETURN(const auto notifications, tx->Disclosure().Notifications(report.id));
    for (const VulnerabilityNotification& notification : notifications) {
      if (!Active(notification)) continue;
      ++notified;
      ++answers[notification.state];
      if (auto hours = HoursBetween(notification.notified_at, notification.acknowledged_at)) {
        to_acknowledge.push_back(*hours);
      }
      if (notification.state == kFixed) {
        if (auto hours = HoursBetween(notification.notified_at, notification.answered_at)) {
          to_fix.push_back(*hours);
        }
      }
    }
  }
  Json months = Json::array();
  for (const auto& [month, states] : by_month) {
    Json row{{"month", month}};
    int64_t total = 0;
    for (std::string_view state : ReportStates()) {
      const auto found = states.find(std::string(state));
      const int64_t count = found == states.end() ? 0 : found->second;
      row[std::string(state)] = count;
      total += count;
    }
    row["total"] = total;
    months.push_back(std::move(row));
  }
  Json states = Json::object();
  for (std::string_view state : NotificationStates()) {
    if (state == kProposed || state == kWithdrawn) continue;
    states[std::string(state)] =
        answers.count(std::string(state)) ? answers[std::string(state)] : 0;
  }
  return Json{
      {"from", lower.empty() ? Json() : Json(lower)},
      {"to", upper.empty() ? Json() : Json(upper)},
      {"reports", static_cast<int64_t>(reports.size())},
      {"by_month", std::move(months)},
      {"by_channel", by_channel},
      {"notifications", Json{{"total", notified}, {"by_state", std::move(states)}}},
      {"hours_to_acknowledge", Json{{"median", Median(to_acknowledge)},
                                    {"count", static_cast<int64_t>(to_acknowledge.size())}}},
      {"hours_to_fix",
       Json{{"median", Median(to_fix)}, {"count", static_cast<int64_t>(to_fix.size())}}}};
}

Result<int64_t> ReportService::RemindDue() {
  const auto now_point = NowPoint();
  const std::string now = FormatUtc(now_point);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto due, tx->Disclosure().DueNotifications(now, 200));
  int64_t changed = 0;
  for (VulnerabilityNotification& notification : due) {
    const std::string before = notification.state;
    const int64_t reminders = notification.reminders;
    notification.updated_at = now;
    std::string action;
    if (reminders < settings_.reminders) {
      ++notification.reminders;
      notification.due_at = FormatUtc(now_point + std::chrono::hours(24 * settings_.response_days));
      action = "reminded";
    } else {
      notification.state = std::string(kNoResponse);
      notification.due_at.reset();
      action = "no_response";
    }
    BAKEN_ASSIGN_OR_RETURN(const bool mine,
                           tx->Disclosure().SaveNotification(notification, before, reminders));
    if (!mine) continue;  // answered or reminded meanwhile
    BAKEN_RETURN_IF_ERROR(Record(*tx, notification.report_id, notification.member, now, "baken",
                                 action, before, notification.state,
                                 std::to_string(notification.reminders)));
    BAKEN_RETURN_IF_ERROR(Notice(*tx, notification.report_id, notification.member,
                                 action == "reminded" ? "reminder" : "no_response", now));
    ++changed;
  }
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return changed;
}

}  // namespace baken::disclosure
