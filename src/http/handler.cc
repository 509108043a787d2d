#include "http/handler.h"

#include <charconv>

#include <fmt/format.h>

#include "auth/credentials.h"
#include "common/json_limits.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/problem_json.h"
#include "common/quote.h"
#include "common/text.h"
#include "common/time.h"

namespace baken::http {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}

Json ProblemJson(int status, const Error& error, std::string_view instance, const Json& extra) {
  Json problem{{"type", "about:blank"},   {"title", ReasonPhrase(status)}, {"status", status},
               {"detail", error.message}, {"instance", instance},          {"code", CodeOf(error)}};
  if (!error.params.empty()) problem["params"] = ProblemParamsJson<Json>(error.params);
  if (!error.causes.empty()) {
    Json errors = Json::array();
    for (const Error& cause : error.causes) {
      Json item{{"code", CodeOf(cause)}, {"detail", cause.message}};
      if (!cause.params.empty()) item["params"] = ProblemParamsJson<Json>(cause.params);
      errors.push_back(std::move(item));
    }
    problem["errors"] = std::move(errors);
  }
  for (const auto& [key, value] : extra.items()) problem[key] = value;
  return problem;
}

// The value of a cookie the browser sent, or empty.
std::string CookieValue(const httplib::Request& request, std::string_view name) {
  const std::string header = request.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return std::string(pair.substr(equals + 1));
    }
  }
  return {};
}

// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it),
// Secure when the request came over TLS (a reverse proxy says so in X-Forwarded-Proto).
std::string SessionCookie(const httplib::Request& request, std::string_view value,
                          int64_t max_age_seconds) {
  const bool tls = request.get_header_value("X-Forwarded-Proto") == "https";
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie,
                     value, max_age_seconds, tls ? "; Secure" : "");
}

// Where a request came from, for the lock-out (auth::SourceKey): the peer's address.
// X-Forwarded-For is not trusted: any client can send it. Behind a reverse proxy every request
// has the proxy's address, so the proxy's own limits must then do this work (decision 0009).
std::string SourceOf(const httplib::Request& request) {
  return auth::SourceKey(request.remote_addr);
}

// The media type of the body, lower case, without parameters.
std::string MediaType(const httplib::Request& request) {
  const std::string type = request.get_header_value("Content-Type");
  return AsciiLower(TrimBlanks(std::string_view(type).substr(0, type.find(';'))));
}

// A CSV body (Content-Type text/csv), as the portal sends a spreadsheet.
bool IsCsv(const httplib::Request& request) { return MediaType(request) == "text/csv"; }

// Parses the request body as JSON, or says why it is not.
Reply FileDownload(std::string_view name, std::string content, std::string_view sha256) {
  std::string file_name;
  for (const char c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    file_name.push_back(safe ? c : '_');
  }
  if (file_name.empty() || file_name.front() == '.') file_name.insert(0, "bijlage");
  Reply reply{200, Json()};
  reply.text = std::move(content);
  reply.content_type = "application/octet-stream";
  reply.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"" + file_name.substr(0, 100) + "\"");
  reply.headers.emplace_back("X-Baken-SHA256", std::string(sha256));
  return reply;
}

Result<Json> JsonBody(const Call& call) {
  auto body = ParseJson<Json>(call.body);
  if (!body) {
    return InvalidArgument(
        fmt::format("the request body is not valid JSON: {}", body.error().message));
  }
  return body;
}

// The numeric id in the path ("/claims/17/approve"); anything else names nothing there (404).
Result<int64_t> PathId(const Call& call, std::string_view what, size_t index) {
  int64_t id = 0;
  if (index >= call.params.size()) return NotFound(fmt::format("no {} in the path", what));
  const std::string& text = call.params[index];
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size()) {
    return NotFound(fmt::format("{} {} does not exist", what, Quote(text)));
  }
  return id;
}

// A whole-number query parameter within [low, high], or `fallback` when absent.
Result<int64_t> IntParam(const Call& call, const char* name, int64_t fallback, int64_t low,
                         int64_t high) {
  if (!call.request.has_param(name)) return fallback;
  const std::string text = call.request.get_param_value(name);
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return InvalidArgument(
        fmt::format("{} {} must be a number from {} to {}", name, Quote(text), low, high));
  }
  return value;
}

// A time bound as a date (YYYY-MM-DD, from midnight UTC) or a UTC time, in the IntelMQ form
// that stored events carry, so that text order is time order.
Result<std::optional<std::string>> TimeParam(const Call& call, const char* name) {
  if (!call.request.has_param(name)) return std::optional<std::string>();
  const std::string text = call.request.get_param_value(name);
  if (IsValidDate(text)) return std::optional<std::string>(text + "T00:00:00+00:00");
  if (text.size() == 20 && IsValidDateOrUtcTimestamp(text) && text.back() == 'Z') {
    return std::optional<std::string>(text.substr(0, 19) + "+00:00");
  }
  return InvalidArgument(fmt::format(
      "{} {} is not a date (YYYY-MM-DD) or UTC time (YYYY-MM-DDTHH:MM:SSZ)", name, Quote(text)));
}

Result<std::optional<std::string>> UtcTimeParam(const Call& call, const char* name) {
  BAKEN_ASSIGN_OR_RETURN(auto bound, TimeParam(call, name));
  if (bound) *bound = bound->substr(0, 19) + "Z";
  return bound;
}

bool FlagParam(const Call& call, const char* name) {
  const std::string text = call.request.get_param_value(name);
  return text == "true" || text == "1" || text == "yes";
}

}  // namespace baken::http
