#include "oncall/paging_service.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "auth/credentials.h"
#include "common/fields.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "notify/mime.h"
#include "notify/page_notice.h"
#include "oncall/escalation.h"
#include "oncall/page_delivery.h"
#include "oncall/roster_records.h"
#include "service/audit.h"
#include "store/oncall_repository.h"

namespace baken::oncall {

namespace {

using std::chrono::minutes;

constexpr size_t kMaxName = 100;
constexpr size_t kMaxSubject = 200;
constexpr size_t kMaxDedupKey = 200;
constexpr size_t kMaxSteps = 10;  // also the most targets per step
constexpr int64_t kMaxDelayMinutes = 24 * 60;
constexpr int64_t kMaxRepeat = 10;
constexpr int64_t kMaxPagesPerTick = 200;
constexpr std::string_view kSeverities[] = {"critical", "high", "low"};

tl::unexpected<Error> StaffOnly() {
  return PermissionDenied("only analysts keep policies and answer pages");
}

// A whole number in [low, high] at `field`; nullopt (with the problem) otherwise.
std::optional<int64_t> Count(Fields& fields, const Json& value, const std::string& field,
                             int64_t low, int64_t high) {
  if (!value.is_number_integer() || value.get<int64_t>() < low || value.get<int64_t>() > high) {
    fields.Problem(
        problems::field_type,
        {{"field", field}, {"kind", fmt::format("a whole number from {} to {}", low, high)}});
    return std::nullopt;
  }
  return value.get<int64_t>();
}

// The steps as the request gives them, checked against the roster and the accounts; the JSON
// kept in the store.
Result<Json> ReadSteps(store::Transaction& tx, Fields& fields, const Json& steps) {
  Json kept = Json::array();
  if (!steps.is_array() || steps.empty() || steps.size() > kMaxSteps) {
    fields.Problem(problems::oncall_policy_steps,
                   {{"field", "steps"}, {"max", std::to_string(kMaxSteps)}});
    return kept;
  }
  BAKEN_ASSIGN_OR_RETURN(auto rotations, tx.Oncall().Rotations());
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string at = fmt::format("steps[{}]", i);
    const Json& step = steps[i];
    if (!step.is_object() || !step.contains("targets") || !step["targets"].is_array() ||
        step["targets"].empty() || step["targets"].size() > kMaxSteps) {
      fields.Problem(problems::oncall_policy_steps,
                     {{"field", at}, {"max", std::to_string(kMaxSteps)}});
      continue;
    }
    const auto delay = Count(fields, step.value("delay_minutes", Json(0)), at + ".delay_minutes", 0,
                             kMaxDelayMinutes);
    Json targets = Json::array();
    for (size_t j = 0; j < step["targets"].size(); ++j) {
      const std::string where = fmt::format("{}.targets[{}]", at, j);
      const Json& target = step["targets"][j];
      const auto kind = target.is_object() && target.value("kind", Json()).is_string()
                            ? ParseTargetKind(target["kind"].get<std::string>())
                            : std::nullopt;
      if (!kind) {
        fields.Problem(problems::field_type,
                       {{"field", where + ".kind"}, {"kind", "on_duty, everyone or person"}});
        continue;
      }
      if (*kind == TargetKind::kPerson) {
        const std::string person =
            target.value("person", Json("")).is_string() ? target["person"].get<std::string>() : "";
        BAKEN_ASSIGN_OR_RETURN(auto email, AnalystEmail(tx, person));
        if (!email) {
          fields.Problem(problems::oncall_person_unknown,
                         {{"field", where + ".person"}, {"value", person.substr(0, 200)}});
          continue;
        }
        targets.push_back(Json{{"kind", "person"}, {"person", *email}});
        continue;
      }
      const Json rotation = target.value("rotation", Json());
      const bool known = rotation.is_number_integer() &&
                         std::any_of(rotations.begin(), rotations.end(), [&](const auto& r) {
                           return r.id == rotation.get<int64_t>();
                         });
      if (!known) {
        fields.Problem(problems::oncall_rotation_unknown,
                       {{"field", where + ".rotation"}, {"value", rotation.dump().substr(0, 40)}});
        continue;
      }
      targets.push_back(Json{{"kind", Name(*kind)}, {"rotation", rotation}});
    }
    if (delay) kept.push_back(Json{{"delay_minutes", *delay}, {"targets", std::move(targets)}});
  }
  return kept;
}

Status ReadPolicy(store::Transaction& tx, const Json& body, store::PolicyRecord& policy,
                  bool creating) {
  Fields fields(body, {"name", "steps", "repeat", "ack_timeout_minutes", "default"});
  if (creating || fields.Has("name")) {
    if (auto name = fields.Text("name", kMaxName, true)) policy.name = *name;
  }
  if (creating || fields.Has("steps")) {
    BAKEN_ASSIGN_OR_RETURN(
        const Json steps,
        ReadSteps(tx, fields, body.is_object() ? body.value("steps", Json()) : Json()));
    policy.steps = steps.dump();
  }
  if (fields.Has("repeat")) {
    if (auto repeat = Count(fields, body["repeat"], "repeat", 0, kMaxRepeat)) {
      policy.repeat_count = *repeat;
    }
  }
  if (fields.Has("ack_timeout_minutes")) {
    if (auto timeout = Count(fields, body["ack_timeout_minutes"], "ack_timeout_minutes", 0,
                             kMaxDelayMinutes)) {
      policy.ack_timeout_minutes = *timeout;
    }
  }
  // The default policy is the one Baken's own pages go to (at most one: setting it moves it).
  if (const auto is_default = fields.Flag("default")) policy.is_default = *is_default;
  return fields.Done();
}

// The policy as the engine computes with it (the store keeps what ReadSteps checked).
Policy ToPolicy(const store::PolicyRecord& record) {
  Policy policy;
  policy.id = record.id;
  policy.name = record.name;
  policy.repeat = static_cast<int>(record.repeat_count);
  policy.ack_timeout = minutes{record.ack_timeout_minutes};
  const Json steps = Json::parse(record.steps, nullptr, false);
  if (!steps.is_array()) return policy;
  for (const Json& step : steps) {
    Step kept;
    kept.delay = minutes{step.value("delay_minutes", int64_t{0})};
    for (const Json& target : step.value("targets", Json::array())) {
      Target read;
      read.kind = ParseTargetKind(target.value("kind", "")).value_or(TargetKind::kOnDuty);
      read.rotation = target.value("rotation", int64_t{0});
      read.person = target.value("person", "");
      kept.targets.push_back(std::move(read));
    }
    policy.steps.push_back(std::move(kept));
  }
  return policy;
}

Progress ToProgress(const store::PageRecord& page) {
  Progress progress;
  progress.state = ParsePageState(page.state).value_or(PageState::kTriggered);
  progress.round = static_cast<int>(page.round);
  progress.repeats_left = static_cast<int>(page.repeats_left);
  progress.step = static_cast<int>(page.step);
  progress.exhausted = page.exhausted;
  progress.next_at = ToTime(page.next_at);
  return progress;
}

void SaveProgress(const Progress& progress, store::PageRecord& page) {
  page.state = std::string(Name(progress.state));
  page.round = progress.round;
  page.repeats_left = progress.repeats_left;
  page.step = progress.step;
  page.exhausted = progress.exhausted;
  page.next_at = Utc(progress.next_at);
}

Json PolicyJson(const store::PolicyRecord& policy) {
  return Json{{"id", policy.id},
              {"name", policy.name},
              {"steps", Json::parse(policy.steps, nullptr, false)},
              {"repeat", policy.repeat_count},
              {"ack_timeout_minutes", policy.ack_timeout_minutes},
              {"default", policy.is_default},
              {"created_by", policy.created_by},
              {"created_at", policy.created_at},
              {"updated_at", policy.updated_at}};
}

Json PageJson(const store::PageRecord& page) {
  const bool open = page.state != "resolved";
  return Json{{"id", page.id},
              {"source", page.source},
              {"severity", page.severity},
              {"dedup_key", page.dedup_key},
              {"subject", page.subject},
              {"policy", page.policy_id},
              {"state", page.state},
              {"round", page.round},
              {"step", page.step},
              {"exhausted", page.exhausted},
              {"next_at", open ? Json(page.next_at) : Json()},
              {"created_by", page.created_by},
              {"created_at", page.created_at},
              {"acknowledged_by", OrNull(page.acknowledged_by)},
              {"acknowledged_at", OrNull(page.acknowledged_at)},
              {"resolved_by", OrNull(page.resolved_by)},
              {"resolved_at", OrNull(page.resolved_at)}};
}

Json EventJson(const store::PageEventRecord& event) {
  return Json{{"at", event.at},
              {"kind", event.kind},
              {"round", OrNull(event.round)},
              {"step", OrNull(event.step)},
              {"person", OrNull(event.person)},
              {"channel", OrNull(event.channel)},
              {"detail", OrNull(event.detail)}};
}

// Who answered, as analysts read it: the account's address.
std::string Answerer(const auth::Principal& who) {
  return who.email.empty() ? who.actor : who.email;
}

}  // namespace

Result<Json> PagingService::Policies(const auth::Principal& who) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto policies, tx->Oncall().Policies());
  Json list = Json::array();
  for (const auto& policy : policies) list.push_back(PolicyJson(policy));
  return Json{{"policies", std::move(list)}};
}

Result<Json> PagingService::CreatePolicy(const auth::Principal& who, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  store::PolicyRecord policy;
  BAKEN_RETURN_IF_ERROR(ReadPolicy(*tx, body, policy, /*creating=*/true));
  const std::string now = FormatUtc(clock_());
  policy.created_by = who.actor;
  policy.created_at = now;
  policy.updated_at = now;
  BAKEN_ASSIGN_OR_RETURN(policy.id, tx->Oncall().AddPolicy(policy));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(
      *tx, who, "oncall.policy.create", fmt::format("policy:{}", policy.id), PolicyJson(policy)));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return PolicyJson(policy);
}

Result<Json> PagingService::UpdatePolicy(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto found, tx->Oncall().FindPolicy(id));
  if (!found) return NotFound(fmt::format("policy {} does not exist", id));
  store::PolicyRecord policy = *found;
  BAKEN_RETURN_IF_ERROR(ReadPolicy(*tx, body, policy, /*creating=*/false));
  policy.updated_at = FormatUtc(clock_());
  BAKEN_RETURN_IF_ERROR(tx->Oncall().UpdatePolicy(policy));
  BAKEN_RETURN_IF_ERROR(
      service::RecordAudit(*tx, who, "oncall.policy.update", fmt::format("policy:{}", id),
                           Json{{"from", PolicyJson(*found)}, {"to", PolicyJson(policy)}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return PolicyJson(policy);
}

Result<Json> PagingService::Pages(const auth::Principal& who, bool open_only, int64_t limit) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto pages, tx->Oncall().Pages(open_only, limit));
  Json list = Json::array();
  for (const auto& page : pages) list.push_back(PageJson(page));
  return Json{{"pages", std::move(list)}};
}

Result<Json> PagingService::Page(const auth::Principal& who, int64_t id) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto page, tx->Oncall().FindPage(id));
  if (!page) return NotFound(fmt::format("page {} does not exist", id));
  BAKEN_ASSIGN_OR_RETURN(auto events, tx->Oncall().PageEvents(id));
  Json json = PageJson(*page);
  json["history"] = Json::array();
  for (const auto& event : events) json["history"].push_back(EventJson(event));
  return json;
}

Result<std::pair<int64_t, bool>> PagingService::Trigger(store::Transaction& tx,
                                                        const PageRequest& request,
                                                        std::string_view now) {
  BAKEN_ASSIGN_OR_RETURN(auto policy_record, tx.Oncall().FindPolicy(request.policy_id));
  if (!policy_record) {
    return InvalidInput(problems::oncall_policy_unknown,
                        {{"field", "policy"}, {"value", std::to_string(request.policy_id)}});
  }
  const Progress progress = Start(ToPolicy(*policy_record), ToTime(now));
  store::PageRecord page;
  page.source = request.source;
  page.severity = request.severity;
  page.dedup_key = request.dedup_key;
  page.subject = request.subject;
  page.policy_id = request.policy_id;
  SaveProgress(progress, page);
  page.created_by = request.by;
  page.created_at = std::string(now);
  BAKEN_ASSIGN_OR_RETURN(const auto added, tx.Oncall().AddPage(page));
  store::PageEventRecord event;
  event.page_id = added.first;
  event.at = std::string(now);
  event.kind = added.second ? "created" : "absorbed";
  event.person = request.by;
  event.detail = request.subject;
  BAKEN_RETURN_IF_ERROR(tx.Oncall().AddPageEvent(event));
  return added;
}

Result<std::pair<int64_t, bool>> PagingService::Trigger(const PageRequest& request) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const auto added, Trigger(*tx, request, FormatUtc(clock_())));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return added;
}

Result<std::optional<int64_t>> PagingService::RaiseOnce(const PageRequest& request) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const bool used, tx->Oncall().PageKeyUsed(request.dedup_key));
  if (used) return std::optional<int64_t>();
  BAKEN_ASSIGN_OR_RETURN(const auto added, Trigger(*tx, request, FormatUtc(clock_())));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return std::optional<int64_t>(added.first);
}

Status PagingService::ResolveByBaken(int64_t id, std::string_view why) {
  auth::Principal baken;
  baken.role = store::Role::kAdmin;
  baken.actor = "baken";
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Json page, AnswerIn(*tx, baken, id, /*resolve=*/true, why));
  return tx->Commit();
}

Result<std::pair<Json, bool>> PagingService::PageByHand(const auth::Principal& who,
                                                        const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"policy", "severity", "subject", "dedup_key"});
  const auto policy = fields.Id("policy", true);
  const auto severity = fields.Choice("severity", kSeverities, true);
  const auto subject = fields.Text("subject", kMaxSubject, true);
  const auto dedup_key = fields.Text("dedup_key", kMaxDedupKey);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  const std::string now = FormatUtc(clock_());
  PageRequest request{"manual", *severity, "", *subject, *policy, who.actor};
  // Without a key of its own a page by hand is its own problem.
  request.dedup_key =
      dedup_key ? "manual:" + *dedup_key : fmt::format("manual:{}:{}", who.actor, now);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const auto added, Trigger(*tx, request, now));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "oncall.page.create",
                                             fmt::format("page:{}", added.first),
                                             Json{{"subject", *subject}, {"new", added.second}}));
  BAKEN_ASSIGN_OR_RETURN(auto page, tx->Oncall().FindPage(added.first));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return std::make_pair(PageJson(*page), added.second);
}

Result<Json> PagingService::Acknowledge(const auth::Principal& who, int64_t id,
                                        std::string_view via) {
  return Answer(who, id, /*resolve=*/false, via);
}

Result<Json> PagingService::Resolve(const auth::Principal& who, int64_t id, std::string_view via) {
  return Answer(who, id, /*resolve=*/true, via);
}

Result<Json> PagingService::Answer(const auth::Principal& who, int64_t id, bool resolve,
                                   std::string_view via) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(Json page, AnswerIn(*tx, who, id, resolve, via));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return page;
}

Result<Json> PagingService::AnswerIn(store::Transaction& tx, const auth::Principal& who, int64_t id,
                                     bool resolve, std::string_view via) {
  BAKEN_ASSIGN_OR_RETURN(auto page, tx.Oncall().FindPage(id));
  if (!page) return NotFound(fmt::format("page {} does not exist", id));
  if (page->state == "resolved") {
    return tl::unexpected(
        Coded(ErrorCode::kConflict, problems::oncall_page_closed, {{"id", std::to_string(id)}}));
  }
  BAKEN_ASSIGN_OR_RETURN(auto policy, tx.Oncall().FindPolicy(page->policy_id));
  if (!policy) return Internal(fmt::format("page {} has no policy", id));
  const auto now_time = clock_();
  const std::string now = FormatUtc(now_time);
  if (resolve) {
    page->state = "resolved";
    page->resolved_by = Answerer(who);
    page->resolved_at = now;
  } else {
    Progress progress = oncall::Acknowledge(ToPolicy(*policy), ToProgress(*page),
                                            std::chrono::floor<std::chrono::seconds>(now_time));
    SaveProgress(progress, *page);
    page->acknowledged_by = Answerer(who);
    page->acknowledged_at = now;
  }
  BAKEN_RETURN_IF_ERROR(tx.Oncall().SavePage(*page));
  // What was still to go ("e-mail after 5 minutes") is not needed any more.
  BAKEN_ASSIGN_OR_RETURN(const int64_t cancelled, tx.Oncall().CancelNotifications(id, now));
  store::PageEventRecord event;
  event.page_id = id;
  event.at = now;
  event.kind = resolve ? "resolved" : "acknowledged";
  event.person = Answerer(who);
  if (cancelled > 0) event.detail = fmt::format("cancelled:{}", cancelled);
  event.channel = std::string(via);
  BAKEN_RETURN_IF_ERROR(tx.Oncall().AddPageEvent(event));
  BAKEN_RETURN_IF_ERROR(
      service::RecordAudit(tx, who, resolve ? "oncall.page.resolve" : "oncall.page.acknowledge",
                           fmt::format("page:{}", id), Json{{"via", via}}));
  return PageJson(*page);
}

Result<store::PageLinkRecord> PagingService::UsableLink(store::Transaction& tx,
                                                        std::string_view token) {
  BAKEN_ASSIGN_OR_RETURN(auto link, tx.Oncall().FindPageLink(auth::HashToken(token)));
  if (!link) return tl::unexpected(Coded(ErrorCode::kNotFound, problems::oncall_link_unknown, {}));
  if (link->used_at) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::oncall_link_used, {}));
  }
  if (link->expires_at <= FormatUtc(clock_())) {
    return tl::unexpected(
        Coded(ErrorCode::kConflict, problems::oncall_link_expired, {{"at", link->expires_at}}));
  }
  return *link;
}

Result<Json> PagingService::Link(std::string_view token) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const store::PageLinkRecord link, UsableLink(*tx, token));
  BAKEN_ASSIGN_OR_RETURN(auto page, tx->Oncall().FindPage(link.page_id));
  if (!page) return Internal(fmt::format("link to page {} that does not exist", link.page_id));
  // As little as the page itself says: no subject, that is behind sign-in.
  return Json{{"page", page->id},     {"severity", page->severity},    {"source", page->source},
              {"state", page->state}, {"expires_at", link.expires_at}, {"person", link.person}};
}

Result<Json> PagingService::AnswerByLink(std::string_view token, const Json& body) {
  Fields fields(body, {"action"});
  constexpr std::string_view kActions[] = {"acknowledge", "resolve"};
  const auto action = fields.Choice("action", kActions, true);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const store::PageLinkRecord link, UsableLink(*tx, token));
  // The link answers as the analyst it was sent to, while that is an analyst.
  BAKEN_ASSIGN_OR_RETURN(auto user, tx->Accounts().FindUserByEmail(link.person));
  if (!user || user->role == store::Role::kMember || user->disabled_at) {
    return PermissionDenied("the link's analyst no longer has an analyst's account");
  }
  BAKEN_ASSIGN_OR_RETURN(const bool first,
                         tx->Oncall().UsePageLink(link.id, *action, FormatUtc(clock_())));
  if (!first) return tl::unexpected(Coded(ErrorCode::kConflict, problems::oncall_link_used, {}));
  BAKEN_ASSIGN_OR_RETURN(Json page, AnswerIn(*tx, auth::PrincipalFor(*user), link.page_id,
                                             *action == "resolve", "link"));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return page;
}

Result<Json> PagingService::Escalate(const PageMail& mail) {
  std::vector<store::PageRecord> due;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(due, tx->Oncall().DuePages(FormatUtc(clock_()), kMaxPagesPerTick));
  }
  Json summary{{"pages", 0},       {"planned", 0}, {"notified", 0}, {"skipped", 0},
               {"retriggered", 0}, {"retried", 0}, {"failed", 0},   {"cancelled", 0}};
  for (const store::PageRecord& page : due) {
    BAKEN_RETURN_IF_ERROR(EscalatePage(page.id, summary));
  }
  BAKEN_RETURN_IF_ERROR(PageDelivery(store_, clock_).DeliverDue(mail, summary));
  return summary;
}

// One page in one transaction: its progress, its history and its planned notifications commit
// together, so a process killed halfway plans them again next time, and a notification that
// committed is never planned twice (the store's unique key). PageDelivery sends them.
Status PagingService::EscalatePage(int64_t id, Json& summary) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto page, tx->Oncall().FindPage(id));
  const auto now_time = clock_();
  const Time now = std::chrono::floor<std::chrono::seconds>(now_time);
  if (!page || page->state == "resolved" || ToTime(page->next_at) > now) return {};
  BAKEN_ASSIGN_OR_RETURN(auto policy_record, tx->Oncall().FindPolicy(page->policy_id));
  if (!policy_record) return Internal(fmt::format("page {} has no policy", id));
  const Policy policy = ToPolicy(*policy_record);
  // The overrides over the time the due steps span (a process that was down catches up).
  BAKEN_ASSIGN_OR_RETURN(
      const Roster roster,
      LoadRoster(*tx, std::min(ToTime(page->next_at), now) - std::chrono::hours{1},
                 now + std::chrono::minutes{1}));
  const Resolver resolve = [&roster](const Target& target, Time at) {
    return ResolveFromRoster(target, at, roster.rotations, roster.overrides);
  };
  const Advance advance = AdvanceTo(policy, ToProgress(*page), now, resolve);
  const std::string stamp = FormatUtc(now_time);
  // The history in the order things happened; a step's notifications where the step is.
  for (const Happened& happened : advance.happened) {
    if (happened.what != Happening::kNotified) {
      store::PageEventRecord event;
      event.page_id = id;
      event.at = Utc(happened.at);
      event.kind = std::string(Name(happened.what));
      event.round = happened.round;
      event.step = happened.step;
      BAKEN_RETURN_IF_ERROR(tx->Oncall().AddPageEvent(event));
      if (happened.what == Happening::kSkipped) Tally(summary, "skipped");
      if (happened.what == Happening::kRetriggered) Tally(summary, "retriggered");
      continue;
    }
    for (const Notice& notice : advance.notices) {
      if (notice.round != happened.round || notice.step != happened.step) continue;
      BAKEN_ASSIGN_OR_RETURN(const auto channels, ChannelsOf(*tx, notice.person));
      for (const store::NotificationRuleRecord& channel : channels) {
        store::NotificationRecord plan;
        plan.page_id = id;
        plan.round = notice.round;
        plan.step = notice.step;
        plan.person = notice.person;
        plan.channel = channel.channel;
        plan.planned_at = stamp;
        plan.due_at = Utc(notice.at + minutes{channel.delay_minutes});
        BAKEN_ASSIGN_OR_RETURN(const auto planned, tx->Oncall().PlanNotification(plan));
        if (planned) Tally(summary, "planned");
      }
    }
  }
  SaveProgress(advance.progress, *page);
  BAKEN_RETURN_IF_ERROR(tx->Oncall().SavePage(*page));
  Tally(summary, "pages");
  return tx->Commit();
}

}  // namespace baken::oncall
