#ifndef BAKEN_DISCLOSURE_REPORT_H_
#define BAKEN_DISCLOSURE_REPORT_H_

// A researcher's report and each member's notification about it: two objects with two state
// machines (docs/decisions/0020-disclosure.md). The lists are separate on purpose: a report's
// state says what the CERT made of the report, a notification's what one member did about it.
// Codes are English; the words people read are in i18n/disclosure.json.

#include <span>
#include <string_view>
#include <vector>

namespace baken::disclosure {

// The report (Vultron's report management).
inline constexpr std::string_view kReceived = "received";
inline constexpr std::string_view kValid = "valid";
inline constexpr std::string_view kInvalid = "invalid";
inline constexpr std::string_view kAccepted = "accepted";
inline constexpr std::string_view kClosed = "closed";

std::span<const std::string_view> ReportStates();
bool MayMoveReport(std::string_view from, std::string_view to);
std::vector<std::string_view> NextReportStates(std::string_view from);

// A member's notification.
inline constexpr std::string_view kProposed = "proposed";  // a candidate, not yet notified
inline constexpr std::string_view kNotified = "notified";
inline constexpr std::string_view kSeen = "seen";
inline constexpr std::string_view kAcknowledged = "acknowledged";
inline constexpr std::string_view kFixed = "fixed";
inline constexpr std::string_view kNotAffected = "not_affected";
inline constexpr std::string_view kDisputed = "disputed";
inline constexpr std::string_view kNoResponse = "no_response";
inline constexpr std::string_view kWithdrawn = "withdrawn";

std::span<const std::string_view> NotificationStates();
// What a member's user may set: acknowledged, fixed, not_affected, disputed.
std::span<const std::string_view> MemberAnswers();
// Whether a member's answer may follow `from` (a member answers from notified, seen,
// no_response or an earlier answer; never a proposed or withdrawn notification).
bool MayAnswer(std::string_view from, std::string_view answer);
// Whether the notification still waits for the member's first answer (reminders go out).
bool AwaitsAnswer(std::string_view state);
// Whether an analyst may withdraw it (before the member answered).
bool MayWithdraw(std::string_view state);

// How a report came in.
std::span<const std::string_view> Channels();  // form, api, mail, partner
// The reporter's estimate: critical, high, medium, low, unknown.
std::span<const std::string_view> Severities();
// What a report names: ip, host, url, email_domain, product.
std::span<const std::string_view> ItemKinds();

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_REPORT_H_
