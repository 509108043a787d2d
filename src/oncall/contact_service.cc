#include "oncall/contact_service.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "auth/credentials.h"
#include "common/fields.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/text.h"
#include "common/time.h"
#include "net/http_client.h"
#include "oncall/webhook.h"
#include "service/audit.h"

namespace baken::oncall {

namespace {

constexpr size_t kMaxLabel = 100;
constexpr size_t kMaxUrl = 2000;
constexpr size_t kMaxRules = 10;
constexpr int64_t kMaxRuleDelayMinutes = 24 * 60;

tl::unexpected<Error> StaffOnly() {
  return PermissionDenied("only analysts keep contact methods for paging");
}

Json MethodJson(const store::ContactMethodRecord& method) {
  return Json{{"id", method.id},
              {"kind", method.kind},
              {"label", method.label},
              {"url", method.url},
              {"channel", fmt::format("webhook:{}", method.id)},
              {"verified_at", OrNull(method.verified_at)},
              {"disabled_at", OrNull(method.disabled_at)},
              {"created_at", method.created_at}};
}

Json RuleJson(const store::NotificationRuleRecord& rule) {
  return Json{{"channel", rule.channel}, {"delay_minutes", rule.delay_minutes}};
}

std::string NewCode() { return fmt::format("{:06}", randombytes_uniform(1000000)); }

}  // namespace

Result<store::ContactMethodRecord> ContactService::OwnMethod(store::Transaction& tx,
                                                             const auth::Principal& who,
                                                             int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto method, tx.ContactMethods().FindMethod(id));
  // Another analyst's method is not there for the caller.
  if (!method || method->person != who.email) {
    return NotFound(fmt::format("contact method {} does not exist", id));
  }
  return *method;
}

Result<Json> ContactService::Mine(const auth::Principal& who) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto methods, tx->ContactMethods().Methods(who.email));
  BAKEN_ASSIGN_OR_RETURN(auto rules, ChannelsOf(*tx, who.email));
  Json json{{"email", who.email}, {"methods", Json::array()}, {"rules", Json::array()}};
  for (const auto& method : methods) json["methods"].push_back(MethodJson(method));
  for (const auto& rule : rules) json["rules"].push_back(RuleJson(rule));
  return json;
}

Result<Json> ContactService::AddWebhook(const auth::Principal& who, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"label", "url"});
  const auto label = fields.Text("label", kMaxLabel, true);
  const auto url = fields.Text("url", kMaxUrl, true);
  if (url && (!net::IsHttpUrl(*url) || url->find_first_of(" \t\r\n") != std::string::npos)) {
    fields.Problem(problems::field_type,
                   {{"field", "url"}, {"kind", "an http:// or https:// address"}});
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  store::ContactMethodRecord method;
  method.person = who.email;
  method.label = *label;
  method.url = *url;
  method.secret = NewWebhookSecret();
  method.created_at = FormatUtc(clock_());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(method.id, tx->ContactMethods().AddMethod(method));
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "oncall.contact_method.add",
                                               fmt::format("contact_method:{}", method.id),
                                               Json{{"label", method.label}, {"url", method.url}}));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  BAKEN_ASSIGN_OR_RETURN(Json json, SendCodeTo(method));
  json["secret"] = method.secret;  // the only time it is shown
  return json;
}

Result<Json> ContactService::SendCode(const auth::Principal& who, int64_t id) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto method, OwnMethod(*tx, who, id));
  tx.reset();
  return SendCodeTo(std::move(method));
}

// The code is kept before it is sent: a code that arrives can always be typed back.
Result<Json> ContactService::SendCodeTo(store::ContactMethodRecord method) {
  if (method.disabled_at) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::oncall_method_unknown,
                                {{"field", "id"}, {"value", std::to_string(method.id)}}));
  }
  const std::string code = NewCode();
  const auto now = clock_();
  method.code_sha256 = auth::HashToken(code);
  method.code_expires_at = FormatUtc(now + kCodeLifetime);
  method.code_attempts = 0;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(tx->ContactMethods().SaveMethod(method));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  const Json body{{"type", "verification"},
                  {"delivery", fmt::format("verify-{}-{}", method.id, FormatUtc(now))},
                  {"method", method.id},
                  {"code", code}};
  const WebhookAnswer answer = PostWebhook(method.url, method.secret, body.dump(),
                                           std::chrono::floor<std::chrono::seconds>(now));
  Json json = MethodJson(method);
  json["code_sent"] = answer.delivered;
  json["detail"] = answer.detail;
  return json;
}

Result<Json> ContactService::Verify(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"code"});
  const auto code = fields.Text("code", 20, true);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto method, OwnMethod(*tx, who, id));
  const std::string now = FormatUtc(clock_());
  if (!method.code_sha256 || method.code_expires_at.value_or("") <= now ||
      method.code_attempts >= kMaxCodeAttempts || method.disabled_at) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::oncall_code_expired, {}));
  }
  const std::string typed(TrimBlanks(*code));
  if (auth::HashToken(typed) != *method.code_sha256) {
    method.code_attempts += 1;
    BAKEN_RETURN_IF_ERROR(tx->ContactMethods().SaveMethod(method));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
    return tl::unexpected(
        Coded(ErrorCode::kInvalidArgument, problems::oncall_code_wrong,
              {{"left", std::to_string(kMaxCodeAttempts - method.code_attempts)}}));
  }
  method.verified_at = now;
  method.code_sha256.reset();
  method.code_expires_at.reset();
  method.code_attempts = 0;
  BAKEN_RETURN_IF_ERROR(tx->ContactMethods().SaveMethod(method));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "oncall.contact_method.verify",
                                             fmt::format("contact_method:{}", id), Json::object()));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return MethodJson(method);
}

Result<Json> ContactService::Disable(const auth::Principal& who, int64_t id) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto method, OwnMethod(*tx, who, id));
  if (!method.disabled_at) {
    method.disabled_at = FormatUtc(clock_());
    BAKEN_RETURN_IF_ERROR(tx->ContactMethods().SaveMethod(method));
    BAKEN_ASSIGN_OR_RETURN(auto rules, tx->ContactMethods().Rules(who.email));
    const std::string channel = fmt::format("webhook:{}", id);
    std::erase_if(rules, [&](const auto& rule) { return rule.channel == channel; });
    BAKEN_RETURN_IF_ERROR(tx->ContactMethods().ReplaceRules(who.email, rules));
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "oncall.contact_method.disable",
                                               fmt::format("contact_method:{}", id),
                                               Json::object()));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return MethodJson(method);
}

Result<Json> ContactService::SetRules(const auth::Principal& who, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"rules"});
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto methods, tx->ContactMethods().Methods(who.email));
  std::vector<store::NotificationRuleRecord> rules;
  const Json list = body.is_object() ? body.value("rules", Json()) : Json();
  if (!list.is_array() || list.size() > kMaxRules) {
    fields.Problem(
        problems::field_type,
        {{"field", "rules"}, {"kind", fmt::format("a list of at most {} rules", kMaxRules)}});
  } else {
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = fmt::format("rules[{}]", i);
      const Json& rule = list[i];
      const Json channel = rule.is_object() ? rule.value("channel", Json()) : Json();
      const Json delay = rule.is_object() ? rule.value("delay_minutes", Json(0)) : Json();
      if (!delay.is_number_integer() || delay.get<int64_t>() < 0 ||
          delay.get<int64_t>() > kMaxRuleDelayMinutes) {
        fields.Problem(
            problems::field_type,
            {{"field", at + ".delay_minutes"},
             {"kind", fmt::format("a whole number from 0 to {}", kMaxRuleDelayMinutes)}});
        continue;
      }
      const std::string name = channel.is_string() ? channel.get<std::string>() : "";
      const bool usable =
          name == "email" || std::any_of(methods.begin(), methods.end(), [&](const auto& m) {
            return fmt::format("webhook:{}", m.id) == name && m.verified_at && !m.disabled_at;
          });
      if (!usable) {
        fields.Problem(problems::oncall_method_unknown,
                       {{"field", at + ".channel"}, {"value", channel.dump().substr(0, 60)}});
        continue;
      }
      if (std::any_of(rules.begin(), rules.end(),
                      [&](const auto& kept) { return kept.channel == name; })) {
        fields.Problem(problems::oncall_rule_twice, {{"field", at + ".channel"}, {"value", name}});
        continue;
      }
      rules.push_back({name, delay.get<int64_t>()});
    }
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_RETURN_IF_ERROR(tx->ContactMethods().ReplaceRules(who.email, rules));
  Json kept = Json::array();
  for (const auto& rule : rules) kept.push_back(RuleJson(rule));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(
      *tx, who, "oncall.rules.set", fmt::format("user:{}", who.email), Json{{"rules", kept}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Mine(who);
}

}  // namespace baken::oncall
