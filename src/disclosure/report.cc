#include "disclosure/report.h"

#include <algorithm>

#include "common/fields.h"

namespace baken::disclosure {

namespace {

constexpr std::string_view kReportStates[] = {kReceived, kValid, kInvalid, kAccepted, kClosed};

struct Move {
  std::string_view from;
  std::string_view to;
};

constexpr Move kReportMoves[] = {
    {kReceived, kValid}, {kReceived, kInvalid}, {kValid, kAccepted},
    {kValid, kInvalid},  {kValid, kClosed},     {kInvalid, kValid},
    {kInvalid, kClosed}, {kAccepted, kClosed},  {kClosed, kAccepted},
};

constexpr std::string_view kNotificationStates[] = {kProposed,     kNotified,   kSeen,
                                                    kAcknowledged, kFixed,      kNotAffected,
                                                    kDisputed,     kNoResponse, kWithdrawn};

constexpr std::string_view kMemberAnswers[] = {kAcknowledged, kFixed, kNotAffected, kDisputed};

constexpr std::string_view kChannels[] = {"form", "api", "mail", "partner"};
constexpr std::string_view kSeverities[] = {"critical", "high", "medium", "low", "unknown"};
constexpr std::string_view kItemKinds[] = {"ip", "host", "url", "email_domain", "product"};

}  // namespace

std::span<const std::string_view> ReportStates() { return kReportStates; }

bool MayMoveReport(std::string_view from, std::string_view to) {
  return std::any_of(std::begin(kReportMoves), std::end(kReportMoves),
                     [&](const Move& move) { return move.from == from && move.to == to; });
}

std::vector<std::string_view> NextReportStates(std::string_view from) {
  std::vector<std::string_view> next;
  for (const Move& move : kReportMoves) {
    if (move.from == from) next.push_back(move.to);
  }
  return next;
}

std::span<const std::string_view> NotificationStates() { return kNotificationStates; }
std::span<const std::string_view> MemberAnswers() { return kMemberAnswers; }

bool MayAnswer(std::string_view from, std::string_view answer) {
  if (!OneOf(kMemberAnswers, answer)) return false;
  if (from == kProposed || from == kWithdrawn) return false;
  // "Acknowledged" after "fixed" would undo the member's own answer by a lesser one.
  if (answer == kAcknowledged) {
    return from == kNotified || from == kSeen || from == kNoResponse;
  }
  return from != answer;
}

bool AwaitsAnswer(std::string_view state) { return state == kNotified || state == kSeen; }

bool MayWithdraw(std::string_view state) {
  return state == kProposed || state == kNotified || state == kSeen || state == kNoResponse;
}

std::span<const std::string_view> Channels() { return kChannels; }
std::span<const std::string_view> Severities() { return kSeverities; }
std::span<const std::string_view> ItemKinds() { return kItemKinds; }

}  // namespace baken::disclosure
