// Whose service this is, signing in and out, the second factor, one's own API tokens, and user
// management.

#include <chrono>

#include <fmt/format.h>

#include "auth/credentials.h"
#include "auth/principal.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "http/handler.h"
#include "registry/member.h"
#include "service/session_service.h"

namespace baken::http {

namespace {

// The session as the portal needs it, with the roles a member's user has through the member's
// contact with its address (auth::ContactRolesOf, decision 0018): the portal hides what those
// roles do not let it read (the server refuses it regardless).
Result<Json> SessionJson(store::Store& store, const auth::Principal& principal,
                         const std::string& csrf_token, const std::string& expires_at) {
  Json roles = Json::array();
  if (principal.member && !principal.IsStaff()) {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kRead));
    auto member =
        tx->Members().Get(registry::Scope::OneMember(*principal.member), *principal.member);
    if (!member && member.error().code != ErrorCode::kNotFound) {
      return tl::unexpected(member.error());
    }
    if (member) {
      for (const auto role : auth::ContactRolesOf(principal, *member)) {
        roles.push_back(registry::Name(role));
      }
    }
  }
  return Json{{"email", principal.email},
              {"role", store::Name(principal.role)},
              {"member", principal.member ? Json(*principal.member) : Json()},
              {"contact_roles", std::move(roles)},
              {"csrf_token", csrf_token.empty() ? Json() : Json(csrf_token)},
              {"expires_at", expires_at.empty() ? Json() : Json(expires_at)},
              {"totp", principal.totp}};
}

// Whose service this is: public, the sign-in page shows it too.
Result<Reply> GetOrganisation(Handlers& api, Call&) {
  Json body{{"name", api.organisation.name}};
  for (const auto& [key, value] :
       {std::pair{"full_name", &api.organisation.full_name},
        std::pair{"phone", &api.organisation.phone}, std::pair{"email", &api.organisation.email},
        std::pair{"logo", &api.organisation.logo}}) {
    body[key] = value->empty() ? Json() : Json(*value);
  }
  return Reply{200, std::move(body)};
}

Result<Reply> SignIn(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  if (!body.is_object() || !body.contains("email") || !body["email"].is_string() ||
      !body.contains("password") || !body["password"].is_string() ||
      (body.contains("code") && !body["code"].is_string())) {
    return InvalidArgument(
        "the body must be {\"email\": \"...\", \"password\": \"...\"} and, for an account "
        "with a second factor, \"code\": \"123456\"");
  }
  service::SessionService sessions(api.store);
  BAKEN_ASSIGN_OR_RETURN(
      auto outcome,
      sessions.SignIn(body["email"].get<std::string>(), body["password"].get<std::string>(),
                      body.contains("code") ? body["code"].get<std::string>() : "",
                      SourceOf(call.request)));
  if (outcome.code_needed) {
    // Only after the right password: the portal asks for the app's code and sends all three.
    Reply reply{401,
                ProblemJson(401, Coded(ErrorCode::kUnauthenticated, problems::session_code_needed),
                            call.request.path, Json{{"second_factor", "totp"}})};
    reply.content_type = kProblemType;
    return reply;
  }
  const auto& signed_in = outcome.signed_in;
  if (!signed_in) {
    // One answer for every refusal: it does not tell which addresses have accounts.
    return MakeError(ErrorCode::kUnauthenticated,
                     "the e-mail address or the password is wrong, or the account is locked "
                     "for a while after repeated failures");
  }
  BAKEN_ASSIGN_OR_RETURN(Json session, SessionJson(api.store, signed_in->principal,
                                                   signed_in->csrf_token, signed_in->expires_at));
  Reply reply{201, std::move(session)};
  reply.headers.emplace_back(
      "Set-Cookie",
      SessionCookie(
          call.request, signed_in->cookie_token,
          std::chrono::duration_cast<std::chrono::seconds>(auth::kSessionLifetime).count()));
  return reply;
}

Result<Reply> GetSession(Handlers& api, Call& call) {
  return JsonReply(SessionJson(api.store, *call.principal,
                               call.session ? call.session->csrf_token : std::string(),
                               call.session ? call.session->expires_at : std::string()));
}

Result<Reply> SignOut(Handlers& api, Call& call) {
  if (call.session) {
    service::SessionService sessions(api.store);
    BAKEN_RETURN_IF_ERROR(
        sessions.SignOut(*call.principal, CookieValue(call.request, kSessionCookie)));
  }
  Reply reply{200, Json{{"signed_out", true}}};
  reply.headers.emplace_back("Set-Cookie", SessionCookie(call.request, "", 0));
  return reply;
}

// {"password", "code"}: turning the second factor on or off asks for the password again, so
// that a stolen session cookie alone cannot do it.
struct PasswordAndCode {
  std::string password;
  std::string code;
};
Result<PasswordAndCode> PasswordAndCodeOf(const Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  if (!body.is_object() || !body.contains("password") || !body["password"].is_string() ||
      !body.contains("code") || !body["code"].is_string()) {
    return InvalidArgument(
        "the body must be {\"password\": \"...\", \"code\": \"123456\"}: the account's "
        "password and the app's current code");
  }
  return PasswordAndCode{body["password"].get<std::string>(), body["code"].get<std::string>()};
}

// Only in the portal: an API token must not be able to set a factor that locks its owner
// out of the portal.
Status NeedsSession(const Call& call) {
  if (!call.session) {
    return PermissionDenied(
        "the second factor and API tokens are managed in a signed-in portal session only");
  }
  return {};
}

// The caller's second factor: offered (a new secret and its QR code), confirmed with a
// first code, or turned off with a current one.
Result<Reply> OfferTotp(Handlers& api, Call& call) {
  BAKEN_RETURN_IF_ERROR(NeedsSession(call));
  service::SessionService sessions(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto offer, sessions.OfferTotp(*call.principal));
  return Reply{201, Json{{"secret", offer.secret}, {"uri", offer.uri}, {"qr_svg", offer.qr_svg}}};
}

Result<Reply> ConfirmTotp(Handlers& api, Call& call) {
  BAKEN_RETURN_IF_ERROR(NeedsSession(call));
  BAKEN_ASSIGN_OR_RETURN(const PasswordAndCode given, PasswordAndCodeOf(call));
  service::SessionService sessions(api.store);
  BAKEN_RETURN_IF_ERROR(
      sessions.ConfirmTotp(*call.principal, given.password, given.code, SourceOf(call.request)));
  call.principal->totp = true;
  return GetSession(api, call);
}

Result<Reply> DisableTotp(Handlers& api, Call& call) {
  BAKEN_RETURN_IF_ERROR(NeedsSession(call));
  BAKEN_ASSIGN_OR_RETURN(const PasswordAndCode given, PasswordAndCodeOf(call));
  service::SessionService sessions(api.store);
  BAKEN_RETURN_IF_ERROR(
      sessions.DisableTotp(*call.principal, given.password, given.code, SourceOf(call.request)));
  call.principal->totp = false;
  return GetSession(api, call);
}

// The signed-in user's own API tokens, in the portal session only (as the second factor): a
// token must not be able to make more of itself. Never the secret, except once at creation.
Json OwnTokenJson(const store::ApiToken& token) {
  return Json{{"id", token.id},
              {"label", token.label},
              {"created_at", token.created_at},
              {"expires_at", token.expires_at}};
}

// --- User management (admins) ---

Json UserJson(const store::User& user) {
  return Json{{"id", user.id},
              {"email", user.email},
              {"role", store::Name(user.role)},
              {"member", user.member ? Json(*user.member) : Json()},
              {"created_at", user.created_at},
              {"disabled_at", user.disabled_at ? Json(*user.disabled_at) : Json()},
              {"totp", user.totp_secret.has_value()}};
}

Result<Reply> ListUsers(Handlers& api, Call& call) {
  service::SessionService sessions(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto users, sessions.ListUsers(*call.principal));
  Json list = Json::array();
  for (const auto& user : users) list.push_back(UserJson(user));
  return Reply{200, Json{{"users", std::move(list)}}};
}

Result<Reply> AddUser(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  if (!body.is_object() || !body.contains("email") || !body["email"].is_string() ||
      !body.contains("role") || !body["role"].is_string() ||
      (body.contains("member") && !body["member"].is_string() && !body["member"].is_null())) {
    return InvalidArgument(
        "the body must be {\"email\": \"...\", \"role\": \"member|analyst|admin\", "
        "\"member\": \"GM0363\"} (member for a member's user only)");
  }
  auth::NewUser user;
  user.email = body["email"].get<std::string>();
  const std::string role = body["role"].get<std::string>();
  const auto parsed = store::ParseRole(role);
  if (!parsed) return InvalidInput(problems::user_role_unknown, {{"value", role}});
  user.role = *parsed;
  if (body.contains("member") && body["member"].is_string()) {
    user.member = body["member"].get<std::string>();
  }
  service::SessionService sessions(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto added, sessions.AddUser(*call.principal, std::move(user)));
  Json reply = UserJson(added.first);
  // Shown this once: the admin passes it on, and the user changes it.
  reply["password"] = std::move(added.second);
  return Reply{201, std::move(reply)};
}

// POST /users/{id}/{disable,enable,unlock,reset-totp}: the action is the route's `list`.
Result<Reply> ControlUser(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "account"));
  service::SessionService sessions(api.store);
  BAKEN_ASSIGN_OR_RETURN(const store::User user, sessions.FindUser(*call.principal, id));
  const std::string_view action = call.list;
  if (action == "disable") {
    BAKEN_RETURN_IF_ERROR(sessions.Disable(*call.principal, user.email));
  } else if (action == "enable") {
    BAKEN_RETURN_IF_ERROR(sessions.Enable(*call.principal, user.email));
  } else if (action == "unlock") {
    BAKEN_RETURN_IF_ERROR(sessions.Unlock(*call.principal, user.email));
  } else {
    BAKEN_RETURN_IF_ERROR(sessions.ResetTotp(*call.principal, user.email));
  }
  BAKEN_ASSIGN_OR_RETURN(const store::User changed, sessions.FindUser(*call.principal, id));
  return Reply{200, UserJson(changed)};
}

Result<Reply> ListOwnTokens(Handlers& api, Call& call) {
  BAKEN_RETURN_IF_ERROR(NeedsSession(call));
  service::SessionService sessions(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto tokens, sessions.ListOwnTokens(*call.principal));
  Json list = Json::array();
  for (const auto& token : tokens) list.push_back(OwnTokenJson(token));
  return Reply{200, Json{{"tokens", std::move(list)}}};
}

Result<Reply> CreateOwnToken(Handlers& api, Call& call) {
  BAKEN_RETURN_IF_ERROR(NeedsSession(call));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  if (!body.is_object() || (body.contains("label") && !body["label"].is_string()) ||
      (body.contains("expires_in_days") && !body["expires_in_days"].is_number_integer())) {
    return InvalidArgument(
        "the body must be {\"label\": \"...\", \"expires_in_days\": 365}, both optional");
  }
  service::SessionService sessions(api.store);
  std::optional<std::chrono::system_clock::time_point> expires_at;
  if (body.contains("expires_in_days")) {
    const int64_t days = body["expires_in_days"].get<int64_t>();
    if (days < 1 || days > auth::kMaxTokenLifetime.count()) {
      return InvalidArgument(fmt::format("expires_in_days {} must be a number from 1 to {}", days,
                                         auth::kMaxTokenLifetime.count()));
    }
    expires_at = sessions.Now() + std::chrono::days(days);
  }
  BAKEN_ASSIGN_OR_RETURN(
      auto created,
      sessions.CreateOwnToken(*call.principal,
                              body.contains("label") ? body["label"].get<std::string>() : "",
                              expires_at));
  Json reply = OwnTokenJson(created.record);
  reply["token"] = created.token;
  return Reply{201, std::move(reply)};
}

Result<Reply> RevokeOwnToken(Handlers& api, Call& call) {
  BAKEN_RETURN_IF_ERROR(NeedsSession(call));
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "token"));
  service::SessionService sessions(api.store);
  BAKEN_RETURN_IF_ERROR(sessions.RevokeOwnToken(*call.principal, id));
  return Reply{200, Json{{"id", id}, {"revoked", true}}};
}

// {"current_password", "new_password"}: in the portal session only, as the second factor; the
// other sessions of the account end, this one stays.
Result<Reply> ChangePassword(Handlers& api, Call& call) {
  if (!call.session) {
    return tl::unexpected(Coded(ErrorCode::kPermissionDenied, problems::password_session_only));
  }
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  if (!body.is_object() || !body.contains("current_password") ||
      !body["current_password"].is_string() || !body.contains("new_password") ||
      !body["new_password"].is_string()) {
    return InvalidArgument(
        "the body must be {\"current_password\": \"...\", \"new_password\": \"...\"}");
  }
  service::SessionService sessions(api.store);
  BAKEN_RETURN_IF_ERROR(
      sessions.ChangePassword(*call.principal, body["current_password"].get<std::string>(),
                              body["new_password"].get<std::string>(),
                              CookieValue(call.request, kSessionCookie), SourceOf(call.request)));
  return Reply{200, Json{{"changed", true}}};
}

// The signed-in user's own sessions (where and when each began, when it was last used), this
// one marked, and ending one; ending this one signs out here too.
Result<Reply> ListOwnSessions(Handlers& api, Call& call) {
  BAKEN_RETURN_IF_ERROR(NeedsSession(call));
  service::SessionService sessions(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto list, sessions.ListOwnSessions(*call.principal));
  Json rows = Json::array();
  for (const store::Session& session : list) {
    rows.push_back({{"id", session.id},
                    {"created_at", session.created_at},
                    {"last_used_at", session.last_used_at ? Json(*session.last_used_at) : Json()},
                    {"expires_at", session.expires_at},
                    {"source", session.source},
                    {"current", session.id == call.session->session_id}});
  }
  return Reply{200, Json{{"sessions", std::move(rows)}}};
}

Result<Reply> RevokeOwnSession(Handlers& api, Call& call) {
  BAKEN_RETURN_IF_ERROR(NeedsSession(call));
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "session"));
  service::SessionService sessions(api.store);
  BAKEN_RETURN_IF_ERROR(sessions.RevokeOwnSession(*call.principal, id));
  const bool current = id == call.session->session_id;
  Reply reply{200, Json{{"id", id}, {"revoked", true}, {"signed_out", current}}};
  if (current) reply.headers.emplace_back("Set-Cookie", SessionCookie(call.request, "", 0));
  return reply;
}

}  // namespace

const std::vector<Route>& AccountRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/users", true, &ListUsers, Body::kNone},
      {"POST", "/api/v1/users", true, &AddUser, Body::kSmall},
      {"POST", "/api/v1/users/{id}/disable", true, &ControlUser, Body::kSmall, "disable"},
      {"POST", "/api/v1/users/{id}/enable", true, &ControlUser, Body::kSmall, "enable"},
      {"POST", "/api/v1/users/{id}/unlock", true, &ControlUser, Body::kSmall, "unlock"},
      {"POST", "/api/v1/users/{id}/reset-totp", true, &ControlUser, Body::kSmall, "reset-totp"},
      {"GET", "/api/v1/organisation", false, &GetOrganisation, Body::kNone},
      {"POST", "/api/v1/session", false, &SignIn, Body::kSmall},
      {"GET", "/api/v1/session", true, &GetSession, Body::kNone},
      {"DELETE", "/api/v1/session", true, &SignOut, Body::kNone},
      {"POST", "/api/v1/session/totp", true, &OfferTotp, Body::kSmall},
      {"POST", "/api/v1/session/totp/confirm", true, &ConfirmTotp, Body::kSmall},
      {"POST", "/api/v1/session/totp/disable", true, &DisableTotp, Body::kSmall},
      {"GET", "/api/v1/session/tokens", true, &ListOwnTokens, Body::kNone},
      {"POST", "/api/v1/session/tokens", true, &CreateOwnToken, Body::kSmall},
      {"DELETE", "/api/v1/session/tokens/{id}", true, &RevokeOwnToken, Body::kNone},
      {"POST", "/api/v1/session/password", true, &ChangePassword, Body::kSmall},
      {"GET", "/api/v1/session/sessions", true, &ListOwnSessions, Body::kNone},
      {"DELETE", "/api/v1/session/sessions/{id}", true, &RevokeOwnSession, Body::kNone},
  };
  return kRoutes;
}

}  // namespace baken::http
