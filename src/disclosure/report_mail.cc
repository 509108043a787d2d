#include "disclosure/report_mail.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "auth/credentials.h"
#include "common/hash.h"
#include "common/json_text.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/time.h"
#include "common/tlp.h"
#include "disclosure/ripe_abuse.h"
#include "disclosure/security_txt.h"
#include "notify/mime.h"
#include "notify/report_notice.h"
#include "service/recipients.h"

namespace baken::disclosure {

namespace {

// Who signs: the display name of the From address ("CERT Gemeenten <cert@…>" → "CERT
// Gemeenten").
std::string SenderName(const std::string& from) {
  const size_t angle = from.find('<');
  if (angle == std::string::npos || angle == 0) return "Baken";
  std::string name = from.substr(0, angle);
  while (!name.empty() && (name.back() == ' ' || name.back() == '"')) name.pop_back();
  while (!name.empty() && (name.front() == ' ' || name.front() == '"')) name.erase(0, 1);
  return name.empty() ? "Baken" : name;
}

std::string PortalLink(const ReportMailSettings& settings, std::string_view path) {
  if (settings.portal_url.empty()) return {};
  std::string base = settings.portal_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(path);
}

void SetReason(store::OutboxMessage& message, Error reason) {
  message.state = store::OutboxState::kHeld;
  message.reason = std::move(reason.message);
  message.reason_code = std::move(reason.key);
  message.reason_params = std::move(reason.params);
}

// The outbox message of one rendered mail, or held with the reason it could not be built.
store::OutboxMessage Message(store::OutboxMessage base, const notify::ReportMail& mail,
                             std::vector<std::string> recipients) {
  base.language = mail.language;
  base.message_id = mail.message_id;
  base.recipients = std::move(recipients);
  auto rendered = notify::RenderReportMail(mail);
  if (rendered) {
    base.subject = std::move(rendered->subject);
    base.mime = std::move(rendered->mime);
  } else {
    base.subject = mail.reference;
    SetReason(base, Coded(ErrorCode::kInvalidArgument, problems::outbox_unbuildable,
                          {{"language", mail.language},
                           {"addresses", fmt::format("{}", fmt::join(base.recipients, ", "))},
                           {"problem", rendered.error().message}}));
    base.recipients.clear();
  }
  return base;
}

struct Plan {
  int64_t planned = 0;
  int64_t held = 0;
};

Status Add(store::Transaction& tx, const store::OutboxMessage& message, Plan& plan) {
  BAKEN_RETURN_IF_ERROR(tx.Outbox().Add(message).map([](int64_t) {}));
  ++plan.planned;
  if (message.state == store::OutboxState::kHeld) ++plan.held;
  return {};
}

// One notice's messages, in the caller's transaction.
Status PlanNotice(store::Transaction& tx, const store::ReportNotice& notice,
                  const ReportMailSettings& settings, std::chrono::system_clock::time_point now,
                  Plan& plan) {
  BAKEN_ASSIGN_OR_RETURN(const auto report, tx.Disclosure().FindReport(notice.report_id));
  if (!report) return {};
  const std::string reference = ReferenceOf(*report);
  const std::string id_base =
      fmt::format("baken.report-{}-{}-{}", report->id, notice.kind, notice.id);
  store::OutboxMessage base;
  base.report_id = report->id;
  base.member = notice.member.value_or("");
  base.feed_name = reference;
  base.tlp = "AMBER";
  base.created_at = FormatUtc(now);
  base.updated_at = base.created_at;
  notify::ReportMail mail;
  mail.reference = reference;
  mail.sender = settings.from;
  mail.sender_name = SenderName(settings.from);
  mail.date = notify::RfcDate(now);

  if (notice.kind == "notice" || notice.kind == "reminder") {
    BAKEN_ASSIGN_OR_RETURN(const registry::Member member,
                           tx.Members().Get(registry::Scope::All(), *notice.member));
    BAKEN_ASSIGN_OR_RETURN(const auto notifications, tx.Disclosure().Notifications(report->id));
    const auto notification = std::find_if(
        notifications.begin(), notifications.end(),
        [&](const store::VulnerabilityNotification& n) { return n.member == member.code; });
    if (notification == notifications.end()) return {};
    mail.to_whom = notify::ReportMail::To::kMember;
    mail.member_name = member.name;
    mail.link = PortalLink(settings, fmt::format("/disclosure/notifications/{}", notification->id));
    mail.reminder = notice.kind == "reminder" ? notification->reminders : 0;
    if (notification->due_at) mail.due = notification->due_at->substr(0, 10);
    // The notice says only that there is a report: for the contacts who may read it.
    const Tlp tlp = std::min(ParseTlp(report->tlp).value_or(Tlp::kAmber), Tlp::kAmberStrict);
    const auto contacts = service::EligibleContacts(member, tlp);
    if (contacts.empty()) {
      store::OutboxMessage held = base;
      held.message_id = fmt::format("{}@{}", id_base, settings.message_id_domain);
      held.subject = reference;
      SetReason(held, service::NoRecipientReason(tlp));
      return Add(tx, held, plan);
    }
    for (const auto& [language, group] : service::ContactsByLanguage(contacts)) {
      mail.language = language;
      mail.message_id = fmt::format("{}.{}@{}", id_base, language, settings.message_id_domain);
      mail.to = service::RecipientsOf(group);
      std::vector<std::string> addresses;
      for (const registry::Contact* contact : group) addresses.push_back(contact->email);
      BAKEN_RETURN_IF_ERROR(Add(tx, Message(base, mail, std::move(addresses)), plan));
    }
    return {};
  }

  if (notice.kind == "no_response") {
    BAKEN_ASSIGN_OR_RETURN(const auto notifications, tx.Disclosure().Notifications(report->id));
    mail.to_whom = notify::ReportMail::To::kAnalysts;
    mail.language = "nl";
    mail.message_id = fmt::format("{}@{}", id_base, settings.message_id_domain);
    mail.link = PortalLink(settings, fmt::format("/disclosure/reports/{}", report->id));
    for (const auto& notification : notifications) {
      if (notification.member == notice.member) mail.reminders = notification.reminders;
    }
    if (settings.analysts_email.empty()) {
      store::OutboxMessage held = base;
      held.message_id = mail.message_id;
      held.subject = reference;
      SetReason(held, Coded(ErrorCode::kInvalidArgument, problems::outbox_no_analysts_address));
      return Add(tx, held, plan);
    }
    mail.to = {{"", settings.analysts_email}};
    return Add(tx, Message(base, mail, {settings.analysts_email}), plan);
  }

  // To the reporter: a fresh status link.
  mail.to_whom = notify::ReportMail::To::kReporter;
  mail.received = notice.kind == "received";
  mail.language = report->reporter_language;
  mail.message_id = fmt::format("{}@{}", id_base, settings.message_id_domain);
  base.tlp = "CLEAR";
  base.member.clear();
  if (!report->reporter_email) {
    store::OutboxMessage held = base;
    held.message_id = mail.message_id;
    held.subject = reference;
    SetReason(held, Coded(ErrorCode::kInvalidArgument, problems::outbox_no_reporter_address));
    return Add(tx, held, plan);
  }
  if (!settings.portal_url.empty()) {
    const std::string token = auth::RandomUrlSafe(32);
    const auto expires = now + std::chrono::hours(24 * settings.status_link_days);
    BAKEN_RETURN_IF_ERROR(
        tx.Disclosure().AddLink(Sha256Hex(token), report->id, FormatUtc(expires), FormatUtc(now)));
    mail.link = PortalLink(settings, "/report-status#" + token);
    mail.link_expires = FormatUtc(expires).substr(0, 10);
  }
  mail.to = {{report->reporter_name.value_or(""), *report->reporter_email}};
  return Add(tx, Message(base, mail, {*report->reporter_email}), plan);
}

}  // namespace

Result<int64_t> SuggestContacts(store::Store& store, const DisclosureSettings& disclosure,
                                const Clock& clock, int64_t limit) {
  // The RIPE data is local: many at a time.
  BAKEN_ASSIGN_OR_RETURN(const int64_t from_ripe,
                         SuggestRipeContacts(store, FormatUtc(clock ? clock() : Now()), 100));
  if (!disclosure.security_txt) return from_ripe;
  std::vector<store::ReportItem> items;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(items, tx->Disclosure().ItemsToLookUp("security.txt", limit));
  }
  for (const store::ReportItem& item : items) {
    store::ReportSuggestion suggestion;
    suggestion.report_id = item.report_id;
    suggestion.item = item.value;
    suggestion.source = "security.txt";
    suggestion.location = SecurityTxtUrl(item.kind, item.value);
    if (suggestion.location.empty()) {
      // Coded, so that the portal says it in the reader's language (reports.suggestionProblem.*).
      suggestion.detail = nlohmann::json{{"problem", "no_url"}}.dump();
    } else if (auto found =
                   FetchSecurityTxt(suggestion.location, disclosure.security_txt_private_hosts)) {
      suggestion.contacts = found->contacts;
      nlohmann::json detail = nlohmann::json::object();
      if (found->expires) detail["expires"] = *found->expires;
      if (!found->encryption.empty()) detail["encryption"] = found->encryption;
      if (!found->policy.empty()) detail["policy"] = found->policy;
      if (found->preferred_languages) detail["preferred_languages"] = *found->preferred_languages;
      detail["signed"] = found->signed_cleartext;
      suggestion.detail = detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      // Whatever a host or its name made of the message, what is kept is UTF-8.
      suggestion.detail =
          nlohmann::json{{"problem", "fetch_failed"},
                         {"reason", RepairUtf8(found.error().message.substr(0, 500))}}
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    suggestion.found_at = FormatUtc(clock ? clock() : Now());
    BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(tx->Disclosure().AddSuggestion(suggestion));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return from_ripe + static_cast<int64_t>(items.size());
}

Result<nlohmann::json> PlanReportMail(store::Store& store, const DisclosureSettings& disclosure,
                                      const ReportMailSettings& settings, const Clock& clock) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t reminded,
                         ReportService(store, disclosure, clock).RemindDue());
  const auto now = clock ? clock() : Now();
  std::vector<store::ReportNotice> notices;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(notices, tx->Disclosure().UnplannedNotices(1000));
  }
  // Several pieces of news for one reporter since the last run make one e-mail: the last.
  std::map<int64_t, int64_t> last_update;  // report → its last unplanned "update" notice
  for (const store::ReportNotice& notice : notices) {
    if (notice.kind == "update") last_update[notice.report_id] = notice.id;
  }
  Plan plan;
  for (const store::ReportNotice& notice : notices) {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(const bool mine,
                           tx->Disclosure().MarkNoticePlanned(notice.id, FormatUtc(now)));
    if (!mine) continue;  // planned by another process
    if (notice.kind != "update" || last_update[notice.report_id] == notice.id) {
      BAKEN_RETURN_IF_ERROR(PlanNotice(*tx, notice, settings, now, plan));
    }
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  // Last, and a few at a time: a slow host must not hold up the messages of this run.
  BAKEN_ASSIGN_OR_RETURN(const int64_t suggested, SuggestContacts(store, disclosure, clock, 5));
  return nlohmann::json{{"suggested", suggested},
                        {"reminded", reminded},
                        {"planned", plan.planned},
                        {"held", plan.held}};
}

}  // namespace baken::disclosure
