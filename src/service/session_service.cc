#include "service/session_service.h"

#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/problem_codes.h"
#include "common/text.h"
#include "common/time.h"
#include "registry/validation.h"
#include "service/audit.h"

namespace baken::service {

namespace {

Status NeedsStaff(const auth::Principal& who, std::string_view what) {
  if (!who.IsStaff()) return PermissionDenied(fmt::format("only analysts may {}", what));
  return {};
}

registry::Json TokenDetail(const store::ApiToken& token) {
  return registry::Json{{"id", token.id}, {"label", token.label}, {"expires_at", token.expires_at}};
}

}  // namespace

Result<auth::SignInOutcome> SessionService::SignIn(std::string_view email,
                                                   std::string_view password, std::string_view code,
                                                   std::string_view source) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auth::SignInOutcome outcome,
                         auth::SignIn(*tx, email, password, code, source, clock_()));
  if (outcome.signed_in) {
    // The overview's "new since your last visit" counts from the sign-in before this one.
    BAKEN_RETURN_IF_ERROR(
        tx->Accounts().RecordSignIn(outcome.signed_in->principal.user_id, FormatUtc(clock_())));
    BAKEN_RETURN_IF_ERROR(RecordAudit(
        *tx, outcome.signed_in->principal, "session.start", outcome.signed_in->principal.email,
        {{"expires_at", outcome.signed_in->expires_at}, {"source", source}}));
  } else if (outcome.locked_now && outcome.refused_user) {
    BAKEN_RETURN_IF_ERROR(
        RecordAudit(*tx, *outcome.refused_user, "session.locked", outcome.refused_user->email,
                    {{"source", source}, {"minutes", static_cast<int64_t>(outcome.lock.count())}}));
  }
  // Committed also on refusal: the failure counts.
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return outcome;
}

Result<std::optional<auth::SessionUser>> SessionService::Authenticate(std::string_view cookie_token,
                                                                      std::string_view source) {
  const auto now = clock_();
  std::optional<auth::SessionUser> user;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(user, auth::AuthenticateSession(*tx, cookie_token, source, now));
  }
  // When it was last used, for the user's list of sessions: written at most once a minute, so
  // that a page that asks for several things does not queue for the write lock each time.
  const std::string stale = FormatUtc(now - std::chrono::minutes(1));
  if (user && (!user->last_used_at || *user->last_used_at < stale)) {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(tx->Accounts().TouchSession(user->session_id, FormatUtc(now)));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return user;
}

Status SessionService::ChangePassword(const auth::Principal& who, std::string_view current,
                                      std::string_view replacement, std::string_view cookie_token,
                                      std::string_view source) {
  if (who.user_id == 0) return PermissionDenied("only an account has a password");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const auth::Recheck recheck,
                         auth::ChangePassword(*tx, who, current, replacement,
                                              auth::HashToken(cookie_token), source, clock_()));
  if (!recheck.done) return RecordRecheck(*tx, who, recheck, "password.change", source);
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "user.password_change", who.email,
                                    {{"source", source}, {"other_sessions_ended", true}}));
  return tx->Commit();
}

Result<std::vector<store::Session>> SessionService::ListOwnSessions(const auth::Principal& who) {
  if (who.user_id == 0) return PermissionDenied("only an account has sessions");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Accounts().ListSessions(who.user_id, FormatUtc(clock_()));
}

Status SessionService::RevokeOwnSession(const auth::Principal& who, int64_t id) {
  if (who.user_id == 0) return PermissionDenied("only an account has sessions");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const bool ended, tx->Accounts().DeleteSessionOf(who.user_id, id));
  if (!ended) return NotFound(fmt::format("no session {}", id));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "session.revoke", who.email, {{"session", id}}));
  return tx->Commit();
}

Status SessionService::SignOut(const auth::Principal& who, std::string_view cookie_token) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(auth::SignOut(*tx, cookie_token));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "session.end", who.email, registry::Json::object()));
  return tx->Commit();
}

Result<auth::TotpOffer> SessionService::OfferTotp(const auth::Principal& who) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auth::TotpOffer offer, auth::OfferTotp(*tx, who));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return offer;
}

// A refused recheck is committed (the failure counts) with its audit entries, and becomes the
// error the user sees; a done one only gets its caller's audit entry.
Status SessionService::RecordRecheck(store::Transaction& tx, const auth::Principal& who,
                                     const auth::Recheck& recheck, std::string_view what,
                                     std::string_view source) {
  if (recheck.password_wrong) {
    BAKEN_RETURN_IF_ERROR(RecordAudit(tx, who, "user.password_refused", who.email,
                                      {{"for", what}, {"source", source}}));
  }
  if (recheck.locked_now) {
    BAKEN_RETURN_IF_ERROR(
        RecordAudit(tx, who, "session.locked", who.email,
                    {{"source", source}, {"minutes", static_cast<int64_t>(recheck.lock.count())}}));
  }
  BAKEN_RETURN_IF_ERROR(tx.Commit());
  if (recheck.locked && !recheck.locked_now) {
    return InvalidInput(problems::session_locked);
  }
  if (recheck.password_wrong) {
    return InvalidInput(problems::session_password_wrong);
  }
  if (recheck.locked_now) {
    return InvalidInput(problems::session_locked_now);
  }
  return InvalidInput(problems::session_code_wrong);
}

Status SessionService::ConfirmTotp(const auth::Principal& who, std::string_view password,
                                   std::string_view code, std::string_view source) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const auth::Recheck recheck,
                         auth::ConfirmTotp(*tx, who, password, code, source, clock_()));
  if (!recheck.done) return RecordRecheck(*tx, who, recheck, "totp.confirm", source);
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "user.totp_on", who.email, registry::Json::object()));
  return tx->Commit();
}

Status SessionService::DisableTotp(const auth::Principal& who, std::string_view password,
                                   std::string_view code, std::string_view source) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const auth::Recheck recheck,
                         auth::DisableTotp(*tx, who, password, code, source, clock_()));
  if (!recheck.done) return RecordRecheck(*tx, who, recheck, "totp.disable", source);
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, "user.totp_off", who.email, registry::Json::object()));
  return tx->Commit();
}

Status SessionService::ResetTotp(const auth::Principal& who, std::string_view email) {
  BAKEN_RETURN_IF_ERROR(NeedsStaff(who, "reset a second factor"));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(auth::ResetTotp(*tx, email));
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, "user.totp_reset", std::string(email), registry::Json::object()));
  return tx->Commit();
}

Result<auth::NewToken> SessionService::CreateToken(
    const auth::Principal& who, std::string_view email, std::string_view label,
    std::optional<std::chrono::system_clock::time_point> expires_at) {
  if (who.email != email) BAKEN_RETURN_IF_ERROR(NeedsStaff(who, "make another account's token"));
  const auto now = clock_();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(
      auth::NewToken created,
      auth::CreateToken(*tx, email, label, expires_at.value_or(now + auth::kDefaultTokenLifetime),
                        now));
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, "token.create", created.record.email, TokenDetail(created.record)));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return created;
}

Result<std::vector<store::ApiToken>> SessionService::ListTokens(
    const auth::Principal& who, std::optional<std::string_view> email) {
  BAKEN_RETURN_IF_ERROR(NeedsStaff(who, "list other accounts' tokens"));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return auth::ListTokens(*tx, email);
}

Status SessionService::RevokeToken(const auth::Principal& who, int64_t id) {
  BAKEN_RETURN_IF_ERROR(NeedsStaff(who, "revoke other accounts' tokens"));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(store::ApiToken revoked, auth::RevokeToken(*tx, id, std::nullopt));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "token.revoke", revoked.email, TokenDetail(revoked)));
  return tx->Commit();
}

Result<auth::NewToken> SessionService::CreateOwnToken(
    const auth::Principal& who, std::string_view label,
    std::optional<std::chrono::system_clock::time_point> expires_at) {
  if (who.user_id == 0) return PermissionDenied("only an account has tokens of its own");
  return CreateToken(who, who.email, label, expires_at);
}

Result<std::vector<store::ApiToken>> SessionService::ListOwnTokens(const auth::Principal& who) {
  if (who.user_id == 0) return PermissionDenied("only an account has tokens of its own");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Accounts().ListTokens(who.user_id);
}

Status SessionService::RevokeOwnToken(const auth::Principal& who, int64_t id) {
  if (who.user_id == 0) return PermissionDenied("only an account has tokens of its own");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(store::ApiToken revoked, auth::RevokeToken(*tx, id, who.user_id));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "token.revoke", revoked.email, TokenDetail(revoked)));
  return tx->Commit();
}

namespace {

Status NeedsAdmin(const auth::Principal& who) {
  if (who.role != store::Role::kAdmin) {
    return tl::unexpected(Coded(ErrorCode::kPermissionDenied, problems::user_admins_only));
  }
  return {};
}

}  // namespace

Result<std::vector<store::User>> SessionService::ListUsers(const auth::Principal& who) {
  BAKEN_RETURN_IF_ERROR(NeedsAdmin(who));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Accounts().ListUsers();
}

Result<store::User> SessionService::FindUser(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto users, ListUsers(who));
  for (store::User& user : users) {
    if (user.id == id) return std::move(user);
  }
  return NotFound(fmt::format("account {} does not exist", id));
}

Result<std::pair<store::User, std::string>> SessionService::AddUser(const auth::Principal& who,
                                                                    auth::NewUser user) {
  BAKEN_RETURN_IF_ERROR(NeedsAdmin(who));
  if (!registry::IsValidEmail(user.email)) {
    return InvalidInput(problems::contact_email_invalid, {{"value", user.email}});
  }
  if (user.role == store::Role::kMember && !user.member) {
    return InvalidInput(problems::user_member_needed);
  }
  if (user.role != store::Role::kMember) user.member.reset();
  user.password = auth::GeneratePassword();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, auth::AddUser(*tx, user, FormatUtc(clock_())));
  registry::Json detail{{"role", store::Name(user.role)}};
  if (user.member) detail["member"] = *user.member;
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "user.add", user.email, detail));
  BAKEN_ASSIGN_OR_RETURN(auto stored, tx->Accounts().FindUserByEmail(user.email));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  if (!stored || stored->id != id) return Internal("the new account was not found again");
  return std::pair{std::move(*stored), std::move(user.password)};
}

Status SessionService::Unlock(const auth::Principal& who, std::string_view email) {
  BAKEN_RETURN_IF_ERROR(NeedsStaff(who, "unlock an account"));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(auth::Unlock(*tx, email));
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, "user.unlock", std::string(email), registry::Json::object()));
  return tx->Commit();
}

Status SessionService::Disable(const auth::Principal& who, std::string_view email) {
  BAKEN_RETURN_IF_ERROR(NeedsStaff(who, "disable an account"));
  // An admin who locks themselves out leaves nobody to let them back in from the portal.
  if (who.user_id != 0 && AsciiLower(who.email) == AsciiLower(email)) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::user_not_yourself));
  }
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(auth::Disable(*tx, email, clock_()));
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, "user.disable", std::string(email), registry::Json::object()));
  return tx->Commit();
}

Status SessionService::Enable(const auth::Principal& who, std::string_view email) {
  BAKEN_RETURN_IF_ERROR(NeedsStaff(who, "enable an account"));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(auth::Enable(*tx, email));
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, "user.enable", std::string(email), registry::Json::object()));
  return tx->Commit();
}

}  // namespace baken::service
