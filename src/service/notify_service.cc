#include "service/notify_service.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "advisories/matcher.h"
#include "advisories/reader.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "common/time.h"
#include "common/tlp.h"
#include "mail/openpgp.h"
#include "net/email.h"
#include "notify/incident_notice.h"
#include "notify/intel_warning.h"
#include "notify/labels.h"
#include "notify/mime.h"
#include "notify/overview.h"
#include "notify/pgp_mime.h"
#include "notify/warning.h"
#include "service/audit.h"
#include "service/leases.h"
#include "service/recipients.h"
#include "store/incident_repository.h"
#include "store/intel_repository.h"
#include "store/openpgp_key_repository.h"
#include "store/partner_repository.h"

namespace baken::service {

namespace {

using registry::ContactRole;
using registry::Json;

// The message's reason, with its code so that the portal words it in the reader's language.
void SetReason(store::OutboxMessage& message, Error reason) {
  message.reason = std::move(reason.message);
  message.reason_code = std::move(reason.key);
  message.reason_params = std::move(reason.params);
}

void ClearReason(store::OutboxMessage& message) {
  message.reason.reset();
  message.reason_code.clear();
  message.reason_params.clear();
}

Error RedHeld() { return Coded(ErrorCode::kInvalidArgument, problems::outbox_red_held); }

// Who receives a vulnerability warning or overview: the contacts the TLP level allows who
// take warnings (trusted contacts unless they opted out, registry::TakesWarnings).
std::vector<const registry::Contact*> WarningRecipients(const registry::Member& member, Tlp tlp) {
  std::vector<const registry::Contact*> recipients = EligibleContacts(member, tlp);
  std::erase_if(recipients, [](const registry::Contact* contact) {
    return !registry::TakesWarnings(*contact);
  });
  return recipients;
}

Error NoWarningRecipientReason(Tlp tlp) {
  return Coded(ErrorCode::kInvalidArgument, problems::outbox_no_warning_recipient,
               {{"tlp", std::string(Name(tlp))}});
}

// The one message that stands for all recipients when there are none: held, with the reason.
store::OutboxMessage Held(const store::OutboxMessage& base, std::string message_id, Error reason) {
  store::OutboxMessage held = base;
  held.message_id = std::move(message_id);
  held.state = store::OutboxState::kHeld;
  SetReason(held, std::move(reason));
  return held;
}

// The caller's dry-run transaction (which the caller rolls back), or else a new one, owned
// by *own.
Result<store::Transaction*> DryRunOr(store::Store& store, store::Transaction* dry_run,
                                     store::Access access,
                                     std::unique_ptr<store::Transaction>* own) {
  if (dry_run != nullptr) return dry_run;
  BAKEN_ASSIGN_OR_RETURN(*own, store.Begin(access));
  return own->get();
}

// The outbox message that carries a rendered message to one language's contacts.
store::OutboxMessage Addressed(const store::OutboxMessage& base, const std::string& language,
                               const std::string& message_id, notify::RenderedMessage rendered,
                               const std::vector<const registry::Contact*>& contacts) {
  store::OutboxMessage message = base;
  message.language = language;
  message.message_id = message_id;
  message.subject = std::move(rendered.subject);
  message.mime = std::move(rendered.mime);
  for (const registry::Contact* contact : contacts) message.recipients.push_back(contact->email);
  return message;
}

// The message to one language's contacts, or, when it cannot be built (an address the mail
// builder refuses, such as one stored before the registry checked addresses by the same rule,
// or a broken template), a held message that says why. It has no recipients, so it can never
// be released or sent as it is: an analyst sees it in the outbox and fixes the cause. One
// member's bad data must not stop the run for the others.
store::OutboxMessage AddressedOrHeld(const store::OutboxMessage& base, const std::string& language,
                                     const std::string& message_id,
                                     Result<notify::RenderedMessage> rendered,
                                     const std::vector<const registry::Contact*>& contacts,
                                     NotifySummary* summary) {
  if (rendered) {
    return Addressed(base, language, message_id, std::move(*rendered), contacts);
  }
  std::string addresses;
  for (const registry::Contact* contact : contacts) {
    if (!addresses.empty()) addresses += ", ";
    addresses += Quote(contact->email);
  }
  store::OutboxMessage held = Held(base, message_id,
                                   Coded(ErrorCode::kInvalidArgument, problems::outbox_unbuildable,
                                         {{"language", language},
                                          {"addresses", addresses},
                                          {"problem", rendered.error().message}}));
  held.language = language;
  ++summary->unbuildable;
  summary->problems.push_back(
      fmt::format("{} ({}, {}): {}", base.member, base.feed_name, language, *held.reason));
  return held;
}

// Adds a planned message to the outbox and to the run's summary.
Status RecordPlanned(store::Transaction& tx, const store::OutboxMessage& message,
                     NotifySummary* summary) {
  BAKEN_RETURN_IF_ERROR(tx.Outbox().Add(message));
  summary->planned.push_back({message.member, message.feed_name, message.tlp, message.language,
                              message.recipients, message.subject,
                              std::string(store::Name(message.state)), message.reason.value_or(""),
                              message.event_count});
  if (message.state == store::OutboxState::kHeld) ++summary->held;
  return {};
}

std::string Later(std::chrono::system_clock::time_point now, int64_t seconds) {
  return FormatUtc(now + std::chrono::seconds(seconds));
}

std::function<std::chrono::system_clock::time_point()> ClockOf(const NotifySettings& settings) {
  if (settings.clock) return settings.clock;
  return [] { return std::chrono::system_clock::now(); };
}

// Who acted, as the outbox shows it to people: an address, without the audit log's "user:".
std::string ShownActor(const auth::Principal& who) {
  constexpr std::string_view kUserPrefix = "user:";
  return who.actor.starts_with(kUserPrefix) ? who.actor.substr(kUserPrefix.size()) : who.actor;
}

}  // namespace

Json NotifySummaryToJson(const NotifySummary& summary) {
  Json planned = Json::array();
  for (const PlannedMessage& message : summary.planned) {
    planned.push_back(Json{{"member", message.member},
                           {"feed", message.feed_name},
                           {"tlp", message.tlp},
                           {"language", message.language.empty() ? Json() : Json(message.language)},
                           {"recipients", message.recipients},
                           {"subject", message.subject},
                           {"state", message.state},
                           {"reason", message.reason.empty() ? Json() : Json(message.reason)},
                           {"events", message.events}});
  }
  return Json{{"planned", std::move(planned)},
              {"sent", summary.sent},
              {"retrying", summary.retrying},
              {"failed", summary.failed},
              {"held", summary.held},
              {"unknown", summary.unknown},
              {"unbuildable", summary.unbuildable},
              {"problems", summary.problems}};
}

Result<NotifySummary> NotifyService::Run(const auth::Principal& who,
                                         const NotifySettings& settings) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may send notifications");
  // A sender no message can carry would hold every message: refused before anything starts.
  if (!net::IsValidEmailAddress(notify::MailboxAddress(settings.from))) {
    return InvalidArgument(
        fmt::format("the sender {} is not a valid e-mail address", Quote(settings.from)));
  }
  NotifySummary summary;
  if (!settings.dry_run) BAKEN_RETURN_IF_ERROR(RecoverInterrupted(settings, &summary));

  // Plan: each due digest becomes its messages in one transaction, so a crash leaves either
  // the open digest or all of its messages, never half.
  {
    std::unique_ptr<store::Transaction> dry_run;
    if (settings.dry_run) {
      BAKEN_ASSIGN_OR_RETURN(dry_run, store_.Begin(store::Access::kWrite));
    }
    BAKEN_RETURN_IF_ERROR(PlanWarnings(settings, dry_run.get(), &summary));
    BAKEN_RETURN_IF_ERROR(PlanOverviews(settings, dry_run.get(), &summary));
    BAKEN_RETURN_IF_ERROR(PlanBreachReminders(settings, dry_run.get(), &summary));
    BAKEN_RETURN_IF_ERROR(PlanPartnerNotices(settings, dry_run.get(), &summary));
    BAKEN_RETURN_IF_ERROR(PlanIncidentNews(settings, dry_run.get(), &summary));
    BAKEN_RETURN_IF_ERROR(PlanIntelWarnings(settings, dry_run.get(), &summary));
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(auto due, tx->Digests().Due(NowUtc()));
    tx.reset();
    for (const store::Digest& digest : due) {
      if (settings.dry_run) {
        if (!dry_run) {
          BAKEN_ASSIGN_OR_RETURN(dry_run, store_.Begin(store::Access::kWrite));
        }
        BAKEN_RETURN_IF_ERROR(Plan(settings, *dry_run, digest, &summary));
        continue;
      }
      BAKEN_ASSIGN_OR_RETURN(auto write, store_.Begin(store::Access::kWrite));
      BAKEN_RETURN_IF_ERROR(Plan(settings, *write, digest, &summary));
      BAKEN_RETURN_IF_ERROR(write->Commit());
    }
    if (settings.dry_run) {
      // Also show what is already waiting to go out.
      BAKEN_ASSIGN_OR_RETURN(auto read, store_.Begin(store::Access::kRead));
      BAKEN_ASSIGN_OR_RETURN(auto waiting, read->Outbox().Deliverable(NowUtc()));
      for (const store::OutboxMessage& message : waiting) {
        summary.planned.push_back({message.member, message.feed_name, message.tlp, message.language,
                                   message.recipients, message.subject, "pending", "",
                                   message.event_count});
      }
      return summary;
    }
  }

  // One message at a time, each taken with a lease first, so that processes delivering from
  // the same outbox never take the same message.
  const std::string owner = settings.owner.empty() ? ProcessOwnerName() : settings.owner;
  // In id order, each message once per run: one that fails for now waits for a later run.
  for (int64_t last = 0;;) {
    const auto now = ClockOf(settings)();
    BAKEN_ASSIGN_OR_RETURN(auto claim, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(std::optional<store::OutboxMessage> message,
                           claim->Outbox().ClaimDeliverable(
                               owner, FormatUtc(now), Later(now, settings.lease_seconds), last));
    if (!message) break;
    last = message->id;
    BAKEN_RETURN_IF_ERROR(claim->Commit());
    claim.reset();
    BAKEN_RETURN_IF_ERROR(Deliver(settings, owner, std::move(*message), &summary));
  }
  if (!summary.planned.empty() || summary.sent > 0 || summary.failed > 0 || summary.unknown > 0) {
    BAKEN_ASSIGN_OR_RETURN(auto write, store_.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(RecordAudit(*write, who, "notify.run", "outbox",
                                      Json{{"planned", summary.planned.size()},
                                           {"sent", summary.sent},
                                           {"held", summary.held},
                                           {"retrying", summary.retrying},
                                           {"failed", summary.failed},
                                           {"unknown", summary.unknown}}));
    BAKEN_RETURN_IF_ERROR(write->Commit());
  }
  return summary;
}

Result<store::OutboxMessage> NotifyService::Release(const auth::Principal& who, int64_t id) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may release messages");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(std::optional<store::OutboxMessage> found, tx->Outbox().Get(id));
  if (!found) return NotFound(fmt::format("message {} does not exist", id));
  store::OutboxMessage message = std::move(*found);
  if (message.state != store::OutboxState::kHeld || message.tlp != "RED" ||
      message.recipients.empty()) {
    return Conflict(fmt::format(
        "message {} is {} (TLP:{}); only a held TLP:RED message with recipients can be released",
        id, store::Name(message.state), message.tlp));
  }
  message.state = store::OutboxState::kPending;
  SetReason(message, Coded(ErrorCode::kInvalidArgument, problems::outbox_released,
                           {{"actor", ShownActor(who)}}));
  message.updated_at = NowUtc();
  BAKEN_RETURN_IF_ERROR(tx->Outbox().UpdateState(message));
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, "outbox.release", fmt::format("message:{}", id),
                  Json{{"member", message.member}, {"recipients", message.recipients}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return message;
}

Result<store::OutboxMessage> NotifyService::Resolve(const auth::Principal& who, int64_t id,
                                                    bool arrived) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may resolve messages");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(std::optional<store::OutboxMessage> found, tx->Outbox().Get(id));
  if (!found) return NotFound(fmt::format("message {} does not exist", id));
  store::OutboxMessage message = std::move(*found);
  if (message.state != store::OutboxState::kUnknown &&
      message.state != store::OutboxState::kFailed) {
    return Conflict(fmt::format("message {} is {}; only unknown or failed messages are resolved",
                                id, store::Name(message.state)));
  }
  const std::string now = NowUtc();
  if (arrived) {
    message.state = store::OutboxState::kSent;
    message.sent_at = message.sent_at.value_or(now);
    SetReason(message, Coded(ErrorCode::kInvalidArgument, problems::outbox_confirmed,
                             {{"actor", ShownActor(who)}}));
  } else {
    message.state = store::OutboxState::kPending;
    message.next_attempt_at.reset();
    SetReason(message, Coded(ErrorCode::kInvalidArgument, problems::outbox_resend,
                             {{"actor", ShownActor(who)}}));
  }
  message.updated_at = now;
  BAKEN_RETURN_IF_ERROR(tx->Outbox().UpdateState(message));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, arrived ? "outbox.confirm" : "outbox.resend",
                                    fmt::format("message:{}", id),
                                    Json{{"member", message.member}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return message;
}

Status NotifyService::RecoverInterrupted(const NotifySettings& settings, NotifySummary* summary) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  const std::string now = FormatUtc(ClockOf(settings)());
  BAKEN_RETURN_IF_ERROR(EndLeasesOfGoneProcesses(*tx, now));
  // Only messages whose holder's lease ran out: another process may be taking one right now.
  BAKEN_ASSIGN_OR_RETURN(auto interrupted, tx->Outbox().Interrupted(now));
  for (store::OutboxMessage& message : interrupted) {
    message.state = store::OutboxState::kUnknown;
    SetReason(message, Coded(ErrorCode::kInvalidArgument, problems::outbox_interrupted));
    message.updated_at = NowUtc();
    BAKEN_RETURN_IF_ERROR(tx->Outbox().UpdateState(message));
    ++summary->unknown;
    summary->problems.push_back(
        fmt::format("message {} to {} ({}): delivery unknown after an interruption", message.id,
                    message.member, message.feed_name));
  }
  return tx->Commit();
}

Status NotifyService::Plan(const NotifySettings& settings, store::Transaction& tx,
                           const store::Digest& digest, NotifySummary* summary) {
  const std::string now = NowUtc();
  // Another process may have planned it since it was read as due: then it is closed already.
  BAKEN_ASSIGN_OR_RETURN(const bool closed_here, tx.Digests().Close(digest.id, now));
  if (!closed_here) return {};
  // Counted again under the write lock: an ingest may have added events since it was read.
  std::vector<std::string> events;
  store::EventQuery query;
  query.digest_id = digest.id;
  BAKEN_RETURN_IF_ERROR(
      tx.Events().ForEach(registry::Scope::All(), query, [&](const store::StoredEvent& event) {
        events.push_back(event.record.data);
        return true;
      }));
  if (events.empty()) return {};
  const Tlp tlp = ParseTlp(digest.key.tlp).value_or(Tlp::kRed);
  auto member = tx.Members().Get(registry::Scope::All(), digest.key.member);
  std::vector<const registry::Contact*> eligible;
  if (member) {
    eligible = EligibleContacts(*member, tlp);
  } else if (member.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(member.error());
  }

  store::OutboxMessage base;
  base.digest_id = digest.id;
  base.member = digest.key.member;
  base.feed_name = digest.key.feed_name;
  base.tlp = std::string(Name(tlp));
  base.created_at = now;
  base.updated_at = now;
  base.event_count = static_cast<int64_t>(events.size());

  const auto record = [&](const store::OutboxMessage& message) {
    return RecordPlanned(tx, message, summary);
  };

  if (eligible.empty()) {
    return record(Held(base,
                       fmt::format("baken.digest-{}@{}", digest.id, settings.message_id_domain),
                       member ? NoRecipientReason(tlp)
                              : Coded(ErrorCode::kInvalidArgument, problems::outbox_member_gone,
                                      {{"member", digest.key.member}})));
  }

  const auto by_language = ContactsByLanguage(eligible);
  const notify::Templates& templates =
      settings.templates != nullptr ? *settings.templates : notify::Templates::BuiltIn();
  for (const auto& [language, contacts] : by_language) {
    notify::Digest content;
    content.message_id =
        fmt::format("baken.digest-{}.{}@{}", digest.id, language, settings.message_id_domain);
    content.language = language;
    content.member_code = member->code;
    content.member_name = member->name;
    content.feed_name = digest.key.feed_name;
    // RED is rendered as RED, for the day an analyst releases it; until then it is held.
    content.tlp = std::string(Name(tlp));
    content.period = digest.key.period.substr(0, 10);
    content.events = events;
    content.from = settings.from;
    content.date = notify::RfcDate(std::chrono::system_clock::now());
    content.to = RecipientsOf(contacts);
    store::OutboxMessage message = AddressedOrHeld(
        base, language, content.message_id, notify::Render(templates, content), contacts, summary);
    message.event_count = static_cast<int64_t>(events.size());
    if (tlp == Tlp::kRed && message.state == store::OutboxState::kPending) {
      message.state = store::OutboxState::kHeld;
      SetReason(message, RedHeld());
    }
    BAKEN_RETURN_IF_ERROR(record(message));
  }
  return {};
}

namespace {

int RiskRank(const std::string& risk) {
  return risk == "Urgent" ? 3 : risk == "Hoog" ? 2 : risk == "Normaal" ? 1 : 0;
}

// What changed for a member between two warnings of one advisory, in the member's language;
// empty when nothing calls for a new warning (a finding that went away, or a lower risk, is
// recorded but not announced).
std::vector<std::string> Changes(const std::vector<store::AdvisoryFinding>& before,
                                 const std::vector<store::AdvisoryFinding>& now,
                                 const std::string& language) {
  const bool nl = language != "en";
  std::vector<std::string> changes;
  for (const store::AdvisoryFinding& finding : now) {
    const auto old = std::find_if(before.begin(), before.end(), [&](const auto& previous) {
      return previous.asset == finding.asset && previous.product_id == finding.product_id;
    });
    if (old == before.end()) {
      changes.push_back(fmt::format(fmt::runtime(nl ? "{}: nieuw getroffen" : "{}: newly affected"),
                                    finding.asset));
      continue;
    }
    if (old->outcome == "unknown" && finding.outcome == "affected") {
      changes.push_back(
          fmt::format(fmt::runtime(nl ? "{}: nu zeker kwetsbaar (was: mogelijk)"
                                      : "{}: now known to be vulnerable (was: possibly)"),
                      finding.asset));
    }
    if (RiskRank(finding.risk) > RiskRank(old->risk)) {
      changes.push_back(fmt::format(
          fmt::runtime(nl ? "{}: risico van {} naar {}" : "{}: risk from {} to {}"), finding.asset,
          notify::RiskLabel(old->risk, language), notify::RiskLabel(finding.risk, language)));
    }
    for (const std::string& cve : finding.cves) {
      if (std::find(old->cves.begin(), old->cves.end(), cve) == old->cves.end()) {
        changes.push_back(
            fmt::format(fmt::runtime(nl ? "{}: nieuw: {}" : "{}: new: {}"), finding.asset, cve));
      }
    }
    for (const std::string& remediation : finding.remediations) {
      if (std::find(old->remediations.begin(), old->remediations.end(), remediation) ==
          old->remediations.end()) {
        changes.push_back(
            fmt::format(fmt::runtime(nl ? "{}: nieuwe maatregel: {}" : "{}: new remedy: {}"),
                        finding.asset, notify::RemediationText(remediation, language)));
      }
    }
  }
  return changes;
}

// The advisory's own summary, else its first vulnerability's description.
std::string Description(const advisories::Advisory& advisory) {
  for (const auto& note : advisory.notes) {
    if (note.category == "summary" || note.category == "description") return note.text;
  }
  for (const auto& vulnerability : advisory.vulnerabilities) {
    for (const auto& note : vulnerability.notes) {
      if (note.category == "description" || note.category == "summary") return note.text;
    }
  }
  return {};
}

// The warning as members and the weekly overview see it (the `warnings` table).
Status RecordWarning(store::Transaction& tx, const store::StoredAdvisory& stored,
                     const advisories::Advisory& advisory, const std::string& member, Tlp tlp,
                     const std::vector<store::AdvisoryFinding>& before,
                     const std::vector<store::AdvisoryFinding>& current, const std::string& now) {
  store::WarningRecord warning;
  warning.member = member;
  warning.advisory_id = stored.id;
  warning.tracking_id = stored.tracking_id;
  warning.version = stored.version;
  warning.title = advisory.title;
  warning.tlp = std::string(Name(tlp));
  warning.risk = "Laag";
  for (const store::AdvisoryFinding& finding : current) {
    if (RiskRank(finding.risk) > RiskRank(warning.risk)) warning.risk = finding.risk;
    ++(finding.outcome == "affected" ? warning.affected : warning.unknown);
  }
  warning.revised = !before.empty();
  if (warning.revised) warning.changes = Changes(before, current, "en");
  warning.issued_at = now;
  return tx.Advisories().AddWarning(warning).map([](int64_t) {});
}

}  // namespace

Status NotifyService::PlanWarnings(const NotifySettings& settings, store::Transaction* dry_run,
                                   NotifySummary* summary) {
  std::vector<store::StoredAdvisory> unwarned;
  std::vector<registry::Member> members;
  {
    std::unique_ptr<store::Transaction> read;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kRead, &read));
    BAKEN_ASSIGN_OR_RETURN(unwarned, tx->Advisories().Unwarned());
    if (unwarned.empty()) return {};
    BAKEN_ASSIGN_OR_RETURN(members, tx->Members().List(registry::Scope::All()));
  }
  std::vector<advisories::MemberAssets> assets;
  for (const registry::Member& member : members) assets.push_back({member.code, member.assets});
  const advisories::Inventory inventory(std::move(assets));

  for (const store::StoredAdvisory& stored : unwarned) {
    std::unique_ptr<store::Transaction> write;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kWrite, &write));
    auto advisory = advisories::ReadAdvisory(stored.document);
    if (!advisory) {
      summary->problems.push_back(fmt::format("advisory {} no longer reads; no warnings: {}",
                                              stored.tracking_id,
                                              advisory.error().reasons.front()));
    } else {
      // A warning says which systems a member runs and that they are weak: never less
      // restricted than AMBER, whatever the advisory's own level.
      const Tlp tlp = std::max(
          stored.tlp ? ParseTlp(*stored.tlp).value_or(Tlp::kAmber) : Tlp::kClear, Tlp::kAmber);
      std::map<std::string, std::vector<const advisories::Match*>> by_member;
      const std::vector<advisories::Match> matches =
          advisories::MatchAdvisory(*advisory, inventory, {.explain_not_affected = false});
      for (const advisories::Match& match : matches) {
        if (match.outcome != advisories::Outcome::kNotAffected) {
          by_member[match.member].push_back(&match);
        }
      }
      const std::string now = NowUtc();
      for (const registry::Member& member : members) {
        std::vector<store::AdvisoryFinding> current;
        const auto rows = by_member.find(member.code);
        if (rows != by_member.end()) {
          for (const advisories::Match* match : rows->second) {
            current.push_back({match->asset, match->product_id,
                               std::string(advisories::Name(match->outcome)),
                               match->risk ? std::string(advisories::Name(match->risk->level))
                                           : std::string("Normaal"),
                               match->cves, match->remediations});
          }
        }
        BAKEN_ASSIGN_OR_RETURN(const auto before,
                               tx->Advisories().Findings(member.code, stored.id));
        if (current == before) continue;
        BAKEN_RETURN_IF_ERROR(tx->Advisories().ReplaceFindings(member.code, stored.id, current));
        if (current.empty()) continue;
        const bool revised = !before.empty();
        if (revised && Changes(before, current, "en").empty()) continue;  // nothing worse

        store::OutboxMessage base;
        base.advisory_id = stored.id;
        base.member = member.code;
        base.feed_name = stored.tracking_id;
        base.tlp = std::string(Name(tlp));
        base.created_at = now;
        base.updated_at = now;
        base.event_count = static_cast<int64_t>(current.size());
        const std::string id_base = fmt::format("baken.warning-{}-{}.{}", stored.id,
                                                stored.sha256.substr(0, 12), member.code);
        const auto record = [&](const store::OutboxMessage& message) {
          return RecordPlanned(*tx, message, summary);
        };
        BAKEN_RETURN_IF_ERROR(
            RecordWarning(*tx, stored, *advisory, member.code, tlp, before, current, now));
        const std::vector<const registry::Contact*> eligible = WarningRecipients(member, tlp);
        if (eligible.empty()) {
          BAKEN_RETURN_IF_ERROR(
              record(Held(base, fmt::format("{}@{}", id_base, settings.message_id_domain),
                          NoWarningRecipientReason(tlp))));
          continue;
        }
        for (const auto& [language, contacts] : ContactsByLanguage(eligible)) {
          notify::Warning warning;
          warning.message_id =
              fmt::format("{}.{}@{}", id_base, language, settings.message_id_domain);
          warning.language = language;
          warning.member_code = member.code;
          warning.member_name = member.name;
          warning.advisory_id = stored.tracking_id;
          warning.title = advisory->title;
          warning.description = Description(*advisory).substr(0, 1000);
          warning.tlp = std::string(Name(tlp));
          if (revised) warning.changes = Changes(before, current, language);
          for (const advisories::Match* match : rows->second) {
            warning.rows.push_back({match->asset, std::string(advisories::Name(match->outcome)),
                                    match->risk ? std::string(advisories::Name(match->risk->level))
                                                : std::string("Normaal"),
                                    match->cves,
                                    match->risk ? match->risk->reasons : std::vector<std::string>{},
                                    match->reasons, match->remediations});
          }
          warning.from = settings.from;
          warning.date = notify::RfcDate(std::chrono::system_clock::now());
          warning.to = RecipientsOf(contacts);
          store::OutboxMessage message =
              AddressedOrHeld(base, language, warning.message_id, notify::RenderWarning(warning),
                              contacts, summary);
          if (tlp == Tlp::kRed && message.state == store::OutboxState::kPending) {
            message.state = store::OutboxState::kHeld;
            SetReason(message, RedHeld());
          }
          BAKEN_RETURN_IF_ERROR(record(message));
        }
      }
    }
    BAKEN_RETURN_IF_ERROR(tx->Advisories().MarkWarned(stored.id, stored.sha256));
    if (write) BAKEN_RETURN_IF_ERROR(write->Commit());
  }
  return {};
}

namespace {

constexpr size_t kMaxOverviewLines = 1000;

struct IsoWeek {
  std::string label;  // "2026-W47"
  std::chrono::sys_days monday;
};

// The last complete ISO week before `now`.
IsoWeek LastCompleteWeek(std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  const sys_days today = floor<days>(now);
  const sys_days this_monday = today - days{weekday{today}.iso_encoding() - 1};
  const sys_days monday = this_monday - days{7};
  // The ISO week-year is the year of the week's Thursday.
  const year_month_day thursday{monday + days{3}};
  const sys_days new_year = sys_days{thursday.year() / January / 1};
  const auto week = (sys_days{thursday} - new_year).count() / 7 + 1;
  return {fmt::format("{:04}-W{:02}", int(thursday.year()), week), monday};
}

std::string DateOf(std::chrono::sys_days day) {
  return FormatUtc(std::chrono::system_clock::time_point(day)).substr(0, 10);
}

}  // namespace

Status NotifyService::PlanOverviews(const NotifySettings& settings, store::Transaction* dry_run,
                                    NotifySummary* summary) {
  const IsoWeek week = LastCompleteWeek(settings.now.value_or(std::chrono::system_clock::now()));
  const std::string from = FormatUtc(std::chrono::system_clock::time_point(week.monday));
  const std::string until =
      FormatUtc(std::chrono::system_clock::time_point(week.monday + std::chrono::days{7}));
  std::vector<registry::Member> members;
  {
    std::unique_ptr<store::Transaction> read;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kRead, &read));
    // Only the members warned in that week need a look (and a write transaction).
    BAKEN_ASSIGN_OR_RETURN(
        const std::vector<store::WarningRecord> issued,
        tx->Advisories().Warnings(registry::Scope::All(), from, until, 1'000'000, false));
    if (issued.empty()) return {};
    std::set<std::string> warned;
    for (const store::WarningRecord& warning : issued) warned.insert(warning.member);
    BAKEN_ASSIGN_OR_RETURN(members, tx->Members().List(registry::Scope::All()));
    std::erase_if(members,
                  [&](const registry::Member& member) { return warned.count(member.code) == 0; });
  }
  for (const registry::Member& member : members) {
    std::unique_ptr<store::Transaction> write;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kWrite, &write));
    // A TLP:RED warning is never sent automatically, so the overview does not repeat it.
    BAKEN_ASSIGN_OR_RETURN(std::vector<store::WarningRecord> warnings,
                           tx->Advisories().Warnings(registry::Scope::OneMember(member.code), from,
                                                     until, kMaxOverviewLines + 1, false));
    if (warnings.empty()) continue;
    if (warnings.size() > kMaxOverviewLines) {
      summary->problems.push_back(
          fmt::format("the overview {} of {} lists its newest {} warnings only", week.label,
                      member.code, kMaxOverviewLines));
      warnings.resize(kMaxOverviewLines);
    }
    BAKEN_ASSIGN_OR_RETURN(const std::optional<int64_t> overview_id,
                           tx->Advisories().AddOverview(member.code, week.label, NowUtc()));
    if (!overview_id) continue;  // sent before

    // It says which systems are weak, like the warnings: at least AMBER, and as strict as the
    // strictest warning it lists.
    Tlp tlp = Tlp::kAmber;
    for (const store::WarningRecord& warning : warnings) {
      tlp = std::max(tlp, ParseTlp(warning.tlp).value_or(Tlp::kAmber));
    }
    const std::string now = NowUtc();
    store::OutboxMessage base;
    base.overview_id = *overview_id;
    base.member = member.code;
    base.feed_name = week.label;
    base.tlp = std::string(Name(tlp));
    base.created_at = now;
    base.updated_at = now;
    base.event_count = static_cast<int64_t>(warnings.size());
    const std::string id_base = fmt::format("baken.overview-{}.{}", week.label, member.code);
    const std::vector<const registry::Contact*> recipients = WarningRecipients(member, tlp);
    if (recipients.empty()) {
      BAKEN_RETURN_IF_ERROR(
          RecordPlanned(*tx,
                        Held(base, fmt::format("{}@{}", id_base, settings.message_id_domain),
                             NoWarningRecipientReason(tlp)),
                        summary));
    }
    for (const auto& [language, contacts] : ContactsByLanguage(recipients)) {
      notify::Overview overview;
      overview.message_id = fmt::format("{}.{}@{}", id_base, language, settings.message_id_domain);
      overview.language = language;
      overview.member_code = member.code;
      overview.member_name = member.name;
      overview.week = week.label;
      overview.from = DateOf(week.monday);
      overview.until = DateOf(week.monday + std::chrono::days{6});
      overview.tlp = std::string(Name(tlp));
      for (auto it = warnings.rbegin(); it != warnings.rend(); ++it) {  // oldest first
        overview.lines.push_back({it->tracking_id, it->version, it->title, it->risk, it->affected,
                                  it->unknown, it->revised, it->issued_at});
      }
      overview.sender = settings.from;
      overview.date = notify::RfcDate(std::chrono::system_clock::now());
      overview.to = RecipientsOf(contacts);
      BAKEN_RETURN_IF_ERROR(
          RecordPlanned(*tx,
                        AddressedOrHeld(base, language, overview.message_id,
                                        notify::RenderOverview(overview), contacts, summary),
                        summary));
    }
    if (write) BAKEN_RETURN_IF_ERROR(write->Commit());
  }
  return {};
}

Status NotifyService::PlanBreachReminders(const NotifySettings& settings,
                                          store::Transaction* dry_run, NotifySummary* summary) {
  const auto now = settings.now.value_or(Now());
  std::vector<store::OpenBreach> breaches;
  {
    std::unique_ptr<store::Transaction> read;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kRead, &read));
    BAKEN_ASSIGN_OR_RETURN(breaches, tx->Incidents().OpenBreaches());
  }
  for (const store::OpenBreach& breach : breaches) {
    const auto aware = ParseUtc(breach.aware_at);
    const auto deadline = ParseUtc(breach.deadline_at);
    if (!aware || !deadline) continue;  // the service writes both; nothing to count from
    using std::chrono::hours;
    const std::pair<std::string_view, std::chrono::system_clock::time_point> moments[] = {
        {"24h", *aware + hours{24}},
        {"48h", *aware + hours{48}},
        {"4h", *deadline - hours{4}},
        {"overdue", *deadline}};
    std::vector<std::pair<std::string_view, std::chrono::system_clock::time_point>> due;
    for (const auto& [kind, at] : moments) {
      const bool planned =
          std::find(breach.reminded.begin(), breach.reminded.end(), kind) != breach.reminded.end();
      if (at <= now && !planned) due.emplace_back(kind, at);
    }
    if (due.empty()) continue;
    std::unique_ptr<store::Transaction> write;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kWrite, &write));
    // Recorded in the transaction that adds the messages: planned once, also when two
    // processes run or one is killed; another process that got there first wins.
    bool first = true;
    for (const auto& [kind, at] : due) {
      BAKEN_ASSIGN_OR_RETURN(const bool added, tx->Incidents().AddReminder(
                                                   breach.participation_id, kind, FormatUtc(at),
                                                   FormatUtc(now), kind == due.back().first));
      first = first && added;
    }
    if (!first) continue;  // planned meanwhile elsewhere: this transaction rolls back
    const std::string_view kind = due.back().first;
    BAKEN_ASSIGN_OR_RETURN(const registry::Member member,
                           tx->Members().Get(registry::Scope::All(), breach.member));
    std::vector<const registry::Contact*> recipients;
    for (const registry::Contact& contact : member.contacts) {
      if (registry::HasRole(contact, registry::ContactRole::kPrivacy) ||
          registry::HasRole(contact, registry::ContactRole::kCiso)) {
        recipients.push_back(&contact);
      }
    }
    store::OutboxMessage base;
    base.incident_id = breach.incident_id;
    base.member = member.code;
    base.feed_name = fmt::format("incident-{}", breach.incident_id);
    base.tlp = "AMBER";
    base.created_at = NowUtc();
    base.updated_at = base.created_at;
    const std::string id_base = fmt::format("baken.breach-{}-{}", breach.participation_id, kind);
    const int64_t hours_left =
        std::max<int64_t>(0, std::chrono::ceil<hours>(*deadline - now).count());
    const auto render = [&](const std::string& language, const std::string& message_id,
                            const std::vector<const registry::Contact*>& contacts) {
      notify::BreachReminder reminder;
      reminder.message_id = message_id;
      reminder.language = language;
      reminder.incident_id = breach.incident_id;
      reminder.member_code = member.code;
      reminder.member_name = member.name;
      reminder.aware_at = breach.aware_at;
      reminder.deadline_at = breach.deadline_at;
      reminder.hours_left = hours_left;
      reminder.sender = settings.from;
      reminder.to = RecipientsOf(contacts);
      reminder.date = notify::RfcDate(std::chrono::system_clock::now());
      return AddressedOrHeld(base, language, message_id, notify::RenderBreachReminder(reminder),
                             contacts, summary);
    };
    if (recipients.empty()) {
      BAKEN_RETURN_IF_ERROR(RecordPlanned(
          *tx,
          Held(base, fmt::format("{}@{}", id_base, settings.message_id_domain),
               Coded(ErrorCode::kInvalidArgument, problems::outbox_no_breach_recipient)),
          summary));
    }
    for (const auto& [language, contacts] : ContactsByLanguage(recipients)) {
      BAKEN_RETURN_IF_ERROR(RecordPlanned(
          *tx,
          render(language, fmt::format("{}.{}@{}", id_base, language, settings.message_id_domain),
                 contacts),
          summary));
    }
    if (breach.coordinator) {
      // The coordinator watches every participant's clock: the same notice, in Dutch.
      registry::Contact coordinator;
      coordinator.name = "Coördinator";
      coordinator.email = *breach.coordinator;
      BAKEN_RETURN_IF_ERROR(
          RecordPlanned(*tx,
                        render("nl", fmt::format("{}.cert@{}", id_base, settings.message_id_domain),
                               {&coordinator}),
                        summary));
    }
    if (write) BAKEN_RETURN_IF_ERROR(write->Commit());
  }
  return {};
}

Status NotifyService::PlanPartnerNotices(const NotifySettings& settings,
                                         store::Transaction* dry_run, NotifySummary* summary) {
  std::vector<store::PartnerNotice> notices;
  {
    std::unique_ptr<store::Transaction> read;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kRead, &read));
    BAKEN_ASSIGN_OR_RETURN(notices, tx->Partners().UnplannedNotices());
  }
  for (const store::PartnerNotice& notice : notices) {
    std::unique_ptr<store::Transaction> write;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kWrite, &write));
    BAKEN_ASSIGN_OR_RETURN(const bool mine, tx->Partners().MarkNoticePlanned(notice.id, NowUtc()));
    if (!mine) continue;  // planned by another process
    BAKEN_ASSIGN_OR_RETURN(const auto partner, tx->Partners().Find(notice.partner_id));
    BAKEN_ASSIGN_OR_RETURN(const auto incident,
                           tx->Incidents().Find(registry::Scope::All(), notice.incident_id));
    if (!partner || !incident) continue;
    const Tlp tlp = ParseTlp(incident->tlp).value_or(Tlp::kRed);
    store::OutboxMessage base;
    base.incident_id = incident->id;
    base.member = "";  // a partner's message is no member's: only analysts see it
    base.feed_name = fmt::format("partner-{}", partner->id);
    base.tlp = std::string(Name(tlp));
    base.created_at = NowUtc();
    base.updated_at = base.created_at;
    const std::string id_base = fmt::format("baken.partner-notice-{}", notice.id);
    // Partner contacts as recipients, by language.
    std::vector<registry::Contact> contacts;
    for (const store::PartnerContact& contact : partner->contacts) {
      if (contact.email.empty()) continue;
      registry::Contact as_contact;
      as_contact.name = contact.name;
      as_contact.email = contact.email;
      as_contact.language = contact.language;
      contacts.push_back(std::move(as_contact));
    }
    std::vector<const registry::Contact*> recipients;
    for (const registry::Contact& contact : contacts) recipients.push_back(&contact);
    if (tlp >= Tlp::kAmberStrict || recipients.empty()) {
      BAKEN_RETURN_IF_ERROR(RecordPlanned(
          *tx,
          Held(base, fmt::format("{}@{}", id_base, settings.message_id_domain),
               recipients.empty()
                   ? Coded(ErrorCode::kInvalidArgument, problems::outbox_no_partner_recipient)
                   : Coded(ErrorCode::kInvalidArgument, problems::outbox_partner_tlp_strict,
                           {{"tlp", std::string(Name(tlp))}})),
          summary));
    } else {
      for (const auto& [language, group] : ContactsByLanguage(recipients)) {
        notify::PartnerNotice content;
        content.message_id = fmt::format("{}.{}@{}", id_base, language, settings.message_id_domain);
        content.language = language;
        content.incident_id = incident->id;
        content.partner_name = partner->name;
        content.text = notice.text;
        content.tlp = std::string(Name(tlp));
        content.sender = settings.from;
        content.to = RecipientsOf(group);
        content.date = notify::RfcDate(std::chrono::system_clock::now());
        BAKEN_RETURN_IF_ERROR(
            RecordPlanned(*tx,
                          AddressedOrHeld(base, language, content.message_id,
                                          notify::RenderPartnerNotice(content), group, summary),
                          summary));
      }
    }
    if (write) BAKEN_RETURN_IF_ERROR(write->Commit());
  }
  return {};
}

Status NotifyService::PlanIncidentNews(const NotifySettings& settings, store::Transaction* dry_run,
                                       NotifySummary* summary) {
  std::vector<store::IncidentNotice> notices;
  {
    std::unique_ptr<store::Transaction> read;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kRead, &read));
    BAKEN_ASSIGN_OR_RETURN(notices, tx->Incidents().UnplannedNotices());
  }
  for (const store::IncidentNotice& notice : notices) {
    std::unique_ptr<store::Transaction> write;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kWrite, &write));
    BAKEN_ASSIGN_OR_RETURN(const bool mine, tx->Incidents().MarkNoticePlanned(notice.id, NowUtc()));
    if (!mine) continue;  // planned by another process
    BAKEN_ASSIGN_OR_RETURN(const registry::Member member,
                           tx->Members().Get(registry::Scope::All(), notice.member));
    BAKEN_ASSIGN_OR_RETURN(
        const auto participation,
        tx->Incidents().FindParticipation(registry::Scope::All(), notice.incident_id, member.code));
    const Tlp tlp = ParseTlp(notice.tlp).value_or(Tlp::kRed);
    store::OutboxMessage base;
    base.incident_id = notice.incident_id;
    base.member = member.code;
    base.feed_name = fmt::format("incident-{}", notice.incident_id);
    base.tlp = std::string(Name(tlp));
    base.created_at = NowUtc();
    base.updated_at = base.created_at;
    const std::string id_base = fmt::format("baken.incident-news-{}", notice.id);
    // Who may read it by e-mail, as for a digest; RED news goes to the trusted contacts as
    // well, because the e-mail then carries nothing but that there is news.
    const std::vector<const registry::Contact*> recipients =
        EligibleContacts(member, std::min(tlp, Tlp::kAmberStrict));
    if (recipients.empty()) {
      BAKEN_RETURN_IF_ERROR(
          RecordPlanned(*tx,
                        Held(base, fmt::format("{}@{}", id_base, settings.message_id_domain),
                             NoRecipientReason(tlp)),
                        summary));
    }
    for (const auto& [language, contacts] : ContactsByLanguage(recipients)) {
      notify::IncidentNews news;
      news.message_id = fmt::format("{}.{}@{}", id_base, language, settings.message_id_domain);
      news.language = language;
      news.incident_id = notice.incident_id;
      news.member_name = member.name;
      news.title = participation ? participation->title : std::string();
      news.task = notice.kind == "task";
      news.text = notice.text;
      news.tlp = std::string(Name(tlp));
      news.sender = settings.from;
      news.to = RecipientsOf(contacts);
      news.date = notify::RfcDate(std::chrono::system_clock::now());
      BAKEN_RETURN_IF_ERROR(
          RecordPlanned(*tx,
                        AddressedOrHeld(base, language, news.message_id,
                                        notify::RenderIncidentNews(news), contacts, summary),
                        summary));
    }
    if (write) BAKEN_RETURN_IF_ERROR(write->Commit());
  }
  return {};
}

Status NotifyService::PlanIntelWarnings(const NotifySettings& settings, store::Transaction* dry_run,
                                        NotifySummary* summary) {
  std::vector<store::IntelWarningRecord> warnings;
  {
    std::unique_ptr<store::Transaction> read;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kRead, &read));
    BAKEN_ASSIGN_OR_RETURN(warnings, tx->Intel().UnplannedWarnings());
  }
  for (const store::IntelWarningRecord& warning : warnings) {
    std::unique_ptr<store::Transaction> write;
    BAKEN_ASSIGN_OR_RETURN(store::Transaction* const tx,
                           DryRunOr(store_, dry_run, store::Access::kWrite, &write));
    BAKEN_ASSIGN_OR_RETURN(const bool mine, tx->Intel().MarkWarningPlanned(warning.id, NowUtc()));
    if (!mine) continue;  // planned by another process
    BAKEN_ASSIGN_OR_RETURN(const registry::Member member,
                           tx->Members().Get(registry::Scope::All(), warning.member));
    // Read as the warned member reads it: the store's form of the one sharing rule. Its event
    // may have been narrowed since the sighting; then the warning is held, never re-routed.
    BAKEN_ASSIGN_OR_RETURN(const auto indicator,
                           tx->Intel().FindIndicator(store::IntelReader{false, member.code, false},
                                                     warning.indicator_id));
    store::OutboxMessage base;
    base.intel_warning_id = warning.id;
    base.member = member.code;
    base.feed_name = "threat-intel";
    base.tlp = indicator ? indicator->tlp : "RED";
    base.created_at = NowUtc();
    base.updated_at = base.created_at;
    const std::string id_base = fmt::format("baken.intel-warning-{}", warning.id);
    const Tlp tlp = ParseTlp(base.tlp).value_or(Tlp::kRed);
    const std::vector<const registry::Contact*> recipients =
        indicator && tlp != Tlp::kRed ? WarningRecipients(member, tlp)
                                      : std::vector<const registry::Contact*>();
    if (recipients.empty()) {
      BAKEN_RETURN_IF_ERROR(RecordPlanned(
          *tx,
          Held(base, fmt::format("{}@{}", id_base, settings.message_id_domain),
               indicator ? NoWarningRecipientReason(tlp)
                         : Coded(ErrorCode::kInvalidArgument, problems::outbox_intel_withdrawn,
                                 {{"member", member.code}})),
          summary));
      if (write) BAKEN_RETURN_IF_ERROR(write->Commit());
      continue;
    }
    BAKEN_ASSIGN_OR_RETURN(
        const auto event,
        tx->Intel().FindEvent(store::IntelReader{false, member.code, false}, indicator->event_id));
    BAKEN_ASSIGN_OR_RETURN(const auto sightings, tx->Intel().Sightings(indicator->id));
    std::string seen_at;
    int64_t count = 1;
    std::string seen_by;
    std::set<std::string> before;        // the members that saw it before this sighting
    std::optional<std::string> sighter;  // this sighting's member, not among the "others"
    for (const store::SightingRecord& sighting : sightings) {
      if (sighting.id == warning.sighting_id) sighter = sighting.member;
    }
    for (const store::SightingRecord& sighting : sightings) {
      if (sighting.id == warning.sighting_id) {
        seen_at = sighting.at;
        count = sighting.count;
        if (sighting.named && sighting.member) {
          BAKEN_ASSIGN_OR_RETURN(const registry::Member named,
                                 tx->Members().Get(registry::Scope::All(), *sighting.member));
          seen_by = named.name;
        }
      } else if (sighting.id < warning.sighting_id && sighting.kind == "seen" && sighting.member &&
                 *sighting.member != member.code && sighting.member != sighter) {
        before.insert(*sighting.member);
      }
    }
    for (const auto& [language, contacts] : ContactsByLanguage(recipients)) {
      notify::IntelWarning content;
      content.message_id = fmt::format("{}.{}@{}", id_base, language, settings.message_id_domain);
      content.language = language;
      content.member_name = member.name;
      content.indicator_id = indicator->id;
      content.kind = indicator->kind;
      content.value = indicator->value;
      content.event_title = event ? event->title : std::string();
      content.seen_at = seen_at;
      content.count = count;
      content.seen_by = seen_by;
      content.others = static_cast<int64_t>(before.size());
      content.tlp = std::string(Name(tlp));
      content.sender = settings.from;
      content.to = RecipientsOf(contacts);
      content.date = notify::RfcDate(std::chrono::system_clock::now());
      BAKEN_RETURN_IF_ERROR(
          RecordPlanned(*tx,
                        AddressedOrHeld(base, language, content.message_id,
                                        notify::RenderIntelWarning(content), contacts, summary),
                        summary));
    }
    if (write) BAKEN_RETURN_IF_ERROR(write->Commit());
  }
  return {};
}

Result<std::string> NotifyService::ProtectForRecipients(const NotifySettings& settings,
                                                        const store::OutboxMessage& message) {
  std::vector<std::string> keys;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    for (const std::string& recipient : message.recipients) {
      BAKEN_ASSIGN_OR_RETURN(const auto key, tx->OpenPgpKeys().KeyFor(recipient));
      if (!key) {
        keys.clear();  // one recipient without a key: signed only, readable by all
        break;
      }
      keys.push_back(key->armored);
    }
  }
  const mail::OpenPgp openpgp(settings.openpgp_home);
  auto protected_mime = notify::ProtectMime(message.mime, openpgp, settings.sign_as, keys);
  if (!protected_mime) {
    // A key that cannot sign now may after the operator fixed it: tried again later.
    return Unavailable(protected_mime.error().message);
  }
  return protected_mime;
}

Status NotifyService::Deliver(const NotifySettings& settings, const std::string& owner,
                              store::OutboxMessage message, NotifySummary* summary) {
  // The outcome is saved only while this process still holds the message; when another took it
  // over (this one was slower than its lease before "sending"), that one's outcome counts.
  const auto save = [&]() -> Status {
    message.updated_at = NowUtc();
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(const bool held, tx->Outbox().SaveOutcome(message, owner));
    if (!held) return {};
    return tx->Commit();
  };
  ++message.attempts;
  // Committed before the server may accept the message: see the header.
  bool handed_over = false;
  bool taken_over = false;
  const auto mark_sending = [&]() -> Status {
    message.state = store::OutboxState::kSending;
    message.updated_at = NowUtc();
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(const bool held,
                           tx->Outbox().MarkSending(
                               message, owner, Later(ClockOf(settings)(), settings.lease_seconds)));
    if (!held) {
      taken_over = true;
      // Taken over by another process after this one's lease ran out: the end of the message
      // is not given to the server (the other process sends it), so it is never sent twice.
      return Unavailable(fmt::format("message {} was taken over by another process", message.id));
    }
    BAKEN_RETURN_IF_ERROR(tx->Commit());
    handed_over = true;
    return {};
  };
  const notify::SmtpSender sender(settings.smtp);
  Status sent;
  if (settings.sign_as.empty()) {
    sent = sender.Send(notify::MailboxAddress(settings.from), message.recipients, message.mime,
                       mark_sending);
  } else {
    // Protected anew at each attempt; the outbox keeps the message as it was planned.
    auto protected_mime = ProtectForRecipients(settings, message);
    sent = protected_mime ? sender.Send(notify::MailboxAddress(settings.from), message.recipients,
                                        *protected_mime, mark_sending)
                          : Status(tl::unexpected(protected_mime.error()));
  }
  const auto now = std::chrono::system_clock::now();
  if (sent) {
    message.state = store::OutboxState::kSent;
    message.sent_at = FormatUtc(now);
    ClearReason(message);
    message.next_attempt_at.reset();
    ++summary->sent;
    return save();
  }
  if (taken_over) return {};
  const std::string problem = sent.error().message;
  SetReason(message, Coded(ErrorCode::kInvalidArgument, problems::outbox_delivery_failed,
                           {{"problem", problem}}));
  if (handed_over && sent.error().code == ErrorCode::kInternal) {
    // The connection broke after the end of the message went out and before the server
    // answered: it may have arrived. Not sent again (at most once).
    message.state = store::OutboxState::kUnknown;
    ++summary->unknown;
  } else if (sent.error().code == ErrorCode::kUnavailable &&
             message.attempts < settings.max_attempts) {
    message.state = store::OutboxState::kPending;
    const int64_t wait = std::min<int64_t>(
        settings.retry_seconds << std::min<int64_t>(message.attempts - 1, 16), 6 * 3600);
    message.next_attempt_at = Later(now, wait);
    ++summary->retrying;
  } else {
    message.state = store::OutboxState::kFailed;
    ++summary->failed;
  }
  summary->problems.push_back(fmt::format("message {} to {} ({}): {}", message.id, message.member,
                                          message.feed_name, problem));
  return save();
}

}  // namespace baken::service
