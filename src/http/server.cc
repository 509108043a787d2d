#include "http/server.h"

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "advisories/reader.h"
#include "auth/credentials.h"
#include "common/json_limits.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "common/text.h"
#include "common/time.h"
#include "common/tlp.h"
#include "feeds/input.h"
#include "http/guarded_server.h"
#include "registry/asset_csv.h"
#include "registry/member_json.h"
#include "registry/validation.h"
#include "service/advisory_service.h"
#include "service/events_service.h"
#include "service/ingest_service.h"
#include "service/notify_service.h"
#include "service/session_service.h"

namespace baken::http {

namespace {

using registry::Json;

constexpr std::string_view kApiVersion = "1.0.0";

// What body a route takes. Bodies are read only after the caller is authenticated, and only up
// to the route's limit: an anonymous caller can make the server read at most a sign-in's worth.
enum class Body {
  kNone,      // none: a request that sends one is refused unread
  kSmall,     // a small JSON object (sign-in, a code, a reason)
  kList,      // a member's list as JSON, or the inventory as CSV
  kAdvisory,  // one CSAF or CVE document
  kUpload,    // a feed file, written to a temporary file as it arrives
};

size_t BodyLimit(Body body) {
  switch (body) {
    case Body::kNone:
      return 0;
    case Body::kSmall:
      return 64 << 10;
    case Body::kList:
      return 8 << 20;
    case Body::kAdvisory:
      return advisories::kMaxAdvisoryBytes;
    case Body::kUpload:
      // Larger deliveries go through `baken ingest`, which reads the files where they are.
      return size_t{256} << 20;
  }
  return 0;
}

// An upload arrives at the speed of the sender's line; other bodies are small.
constexpr auto kUploadTime = std::chrono::minutes(15);

// What a handler sees of a request.
struct Call {
  const httplib::Request& request;
  std::optional<auth::Principal> principal;     // set for authenticated routes
  std::vector<std::string> params;              // path parameters, in order
  std::string_view list;                        // Route::list
  std::optional<auth::SessionUser> session;     // when signed in by the session cookie
  std::string body;                             // the body, for routes that take one in memory
  std::optional<std::filesystem::path> upload;  // the body, for Body::kUpload routes
};

struct Reply {
  Reply(int status_code, Json json) : status(status_code), body(std::move(json)) {}

  int status = 200;
  Json body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Set-Cookie
  std::string_view content_type = "application/json";
};

constexpr std::string_view kSessionCookie = "baken_session";

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

bool ChangesState(const httplib::Request& request) {
  return request.method != "GET" && request.method != "HEAD";
}

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

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

void SetCommonHeaders(httplib::Response& response) {
  response.set_header("API-Version", std::string(kApiVersion));
  response.set_header("Cache-Control", "no-store");
}

// The code of a refusal that is made from its status alone (before any handler ran).
std::string_view CodeForStatus(int status) {
  switch (status) {
    case 400:
      return "invalid_argument";
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 413:
      return "request.too_large";
    case 415:
      return "request.unsupported_type";
    case 429:
      return "request.too_many";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal" : "invalid_argument";
  }
}

Json ParamsJson(const ProblemParams& params) {
  Json object = Json::object();
  for (const auto& [name, value] : params) object[name] = value;
  return object;
}

// RFC 9457 problem details with Baken's members: `code`, the stable key of the translation
// table (i18n/problems.json) the portal shows in the reader's language, `params`, the values
// its sentence is filled in with, and `errors`, the separate problems of a refused list, each
// with its own code, params and English detail. `extra` holds what a client acts on.
Json ProblemJson(int status, const Error& error, std::string_view instance,
                 const Json& extra = Json::object()) {
  Json problem{{"type", "about:blank"},   {"title", ReasonPhrase(status)}, {"status", status},
               {"detail", error.message}, {"instance", instance},          {"code", CodeOf(error)}};
  if (!error.params.empty()) problem["params"] = ParamsJson(error.params);
  if (!error.causes.empty()) {
    Json errors = Json::array();
    for (const Error& cause : error.causes) {
      Json item{{"code", CodeOf(cause)}, {"detail", cause.message}};
      if (!cause.params.empty()) item["params"] = ParamsJson(cause.params);
      errors.push_back(std::move(item));
    }
    problem["errors"] = std::move(errors);
  }
  for (const auto& [key, value] : extra.items()) problem[key] = value;
  return problem;
}

constexpr std::string_view kProblemType = "application/problem+json";

void WriteProblem(httplib::Response& response, int status, const Error& error,
                  std::string_view instance) {
  response.status = status;
  SetCommonHeaders(response);
  response.set_content(registry::DumpJson(ProblemJson(status, error, instance)),
                       std::string(kProblemType));
}

// A refusal known only by its status and English detail.
void WriteProblem(httplib::Response& response, int status, std::string_view detail,
                  std::string_view instance) {
  WriteProblem(response, status,
               Error(ErrorCode::kInternal, std::string(detail), std::string(CodeForStatus(status))),
               instance);
}

// Parses the request body as JSON, or says why it is not.
Result<Json> JsonBody(const Call& call) {
  auto body = ParseJson<Json>(call.body);
  if (!body) {
    return InvalidArgument(
        fmt::format("the request body is not valid JSON: {}", body.error().message));
  }
  return body;
}

// A refused list: one problem as itself, several as "N problems" with each as a cause.
tl::unexpected<Error> Invalid(const registry::Problems& problems) {
  if (problems.size() == 1) return tl::unexpected(problems.front());
  std::string joined;
  for (const auto& problem : problems) {
    if (!joined.empty()) joined += "; ";
    joined += problem.message;
  }
  Error error = Coded(ErrorCode::kInvalidArgument, problems::problems_several,
                      {{"count", std::to_string(problems.size())}});
  error.message = std::move(joined);
  error.causes = problems;
  return tl::unexpected(std::move(error));
}

// The numeric id in the path ("/claims/17/approve"); anything else names nothing there (404).
Result<int64_t> PathId(const Call& call, std::string_view what) {
  int64_t id = 0;
  const std::string& text = call.params[0];
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

bool FlagParam(const Call& call, const char* name) {
  const std::string text = call.request.get_param_value(name);
  return text == "true" || text == "1" || text == "yes";
}

std::optional<registry::ClaimKind> ClaimKindForList(std::string_view list) {
  if (list == "netblocks") return registry::ClaimKind::kNetblock;
  if (list == "asns") return registry::ClaimKind::kAsn;
  if (list == "domains") return registry::ClaimKind::kDomain;
  return std::nullopt;
}

Json ClaimsToJson(const std::vector<registry::Claim>& claims) {
  Json list = Json::array();
  for (const auto& claim : claims) list.push_back(registry::ClaimToJson(claim));
  return list;
}

// The connection closes after this response: used when the request's body was not read.
void CloseAfter(httplib::Response& response) {
  response.set_header("Connection", "close");
  GuardedServer::CloseAfterResponse();
}

// GuardedServer has checked the framing and given a request without one a Content-Length of 0.
bool HasBody(const httplib::Request& request) {
  return request.has_header("Transfer-Encoding") ||
         request.get_header_value("Content-Length") != "0";
}

uint64_t DeclaredLength(const httplib::Request& request) {
  const std::string text = request.get_header_value("Content-Length");
  uint64_t length = 0;
  std::from_chars(text.data(), text.data() + text.size(), length);
  return length;
}

std::string SizeText(size_t bytes) {
  return bytes >= (1 << 20) ? fmt::format("{} MiB", bytes >> 20)
                            : fmt::format("{} KiB", bytes >> 10);
}

// The media type of the body, lower case, without parameters.
std::string MediaType(const httplib::Request& request) {
  const std::string type = request.get_header_value("Content-Type");
  return AsciiLower(TrimBlanks(std::string_view(type).substr(0, type.find(';'))));
}

// A CSV body (Content-Type text/csv), as the portal sends a spreadsheet.
bool IsCsv(const httplib::Request& request) { return MediaType(request) == "text/csv"; }

// A request refused before its handler runs.
struct Refusal {
  int status;
  std::string detail;
};

// A changing request that a browser sent from another site: a page elsewhere cannot sign a
// visitor in (or act in the visitor's session) by posting a form or a text/plain fetch here.
// Browsers send Sec-Fetch-Site, and Origin on every POST; clients other than browsers send
// neither and are not affected.
std::optional<Refusal> CheckSameSite(const httplib::Request& request) {
  const std::string site = request.get_header_value("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin" && site != "none") {
    return Refusal{
        403, fmt::format("a request from another site ({}) is not accepted here", Quote(site))};
  }
  if (!request.has_header("Origin")) return std::nullopt;
  const std::string origin = request.get_header_value("Origin");
  const std::string host = request.get_header_value("Host");
  if (host.empty() || (origin != "http://" + host && origin != "https://" + host)) {
    return Refusal{403,
                   fmt::format("a request from origin {} is not accepted here", Quote(origin))};
  }
  return std::nullopt;
}

// A temporary file for an upload, removed when it goes out of scope.
class UploadFile {
 public:
  UploadFile() = default;
  UploadFile(const UploadFile&) = delete;
  UploadFile& operator=(const UploadFile&) = delete;
  ~UploadFile() {
    if (fd_ >= 0) close(fd_);
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }

  bool Create() {
    std::string pattern = (std::filesystem::temp_directory_path() / "baken-upload-XXXXXX").string();
    fd_ = mkstemp(pattern.data());  // mode 0600: a feed file names members' weak spots
    if (fd_ < 0) return false;
    path_ = pattern;
    return true;
  }
  bool Write(const char* data, size_t size) {
    while (size > 0) {
      const ssize_t written = ::write(fd_, data, size);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return false;
      data += written;
      size -= static_cast<size_t>(written);
    }
    return true;
  }
  bool Finish() { return close(std::exchange(fd_, -1)) == 0; }
  const std::filesystem::path& path() const { return path_; }

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace

class Server::Impl {
 public:
  using Handler = Result<Reply> (Impl::*)(Call&);
  struct Route {
    const char* method;
    const char* openapi_path;
    bool authenticated;
    Handler handler;
    Body body = Body::kNone;
    // The member list a list route serves, or the action of an account route ("disable").
    const char* list = "";
  };
  static const std::vector<Route>& RouteTable();

  Impl(store::Store& store, ServerOptions options)
      : store_(store),
        web_root_(std::move(options.web_root)),
        organisation_(std::move(options.organisation)),
        metrics_from_(std::move(options.metrics_from)),
        service_(store, &snapshot_),
        metrics_(std::make_shared<prometheus::Registry>()),
        requests_(prometheus::BuildCounter()
                      .Name("baken_http_requests_total")
                      .Help("HTTP requests answered, by route and status class")
                      .Register(*metrics_)),
        members_gauge_(prometheus::BuildGauge()
                           .Name("baken_constituency_claims")
                           .Help("Approved claims in the routing snapshot, by kind")
                           .Register(*metrics_)) {
    Install();
  }

  Result<int> Bind(const std::string& host, int port) {
    BAKEN_ASSIGN_OR_RETURN(auto constituency, service_.BuildConstituency());
    snapshot_.Set(std::move(constituency));
    UpdateSnapshotGauges();
    if (port == 0) {
      const int bound = server_.bind_to_any_port(host);
      if (bound <= 0) return Unavailable(fmt::format("cannot listen on {}:0", host));
      return bound;
    }
    if (!server_.bind_to_port(host, port)) {
      return Unavailable(
          fmt::format("cannot listen on {}:{} (in use, or not allowed)", host, port));
    }
    return port;
  }

  void Run() { server_.listen_after_bind(); }
  void Stop() { server_.stop(); }

 private:
  void Install() {
    // httplib's own check, under the routes' limits (ReadBody), which are checked first.
    server_.set_payload_max_length(BodyLimit(Body::kUpload));
    // On every response, the API's and the portal's files alike.
    server_.set_post_routing_handler([](const httplib::Request&, httplib::Response& response) {
      response.set_header("Content-Security-Policy",
                          "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
      response.set_header("X-Content-Type-Options", "nosniff");
      response.set_header("Referrer-Policy", "no-referrer");
      response.set_header("X-Frame-Options", "DENY");
    });
    server_.set_write_timeout(30, 0);

    server_.Get("/healthz", [this](const httplib::Request&, httplib::Response& response) {
      SetCommonHeaders(response);
      if (auto status = store_.Ping(); !status) {
        response.status = 503;
        response.set_content(
            registry::DumpJson(Json{{"status", "unavailable"}, {"detail", status.error().message}}),
            "application/json");
        return;
      }
      response.set_content(R"({"status":"ok"})", "application/json");
    });
    server_.Get("/metrics", [this](const httplib::Request& request, httplib::Response& response) {
      if (auto refusal = CheckMetricsReader(request)) {
        WriteProblem(response, refusal->status, refusal->detail, request.path);
        return;
      }
      UpdateSnapshotGauges();
      response.set_content(prometheus::TextSerializer().Serialize(metrics_->Collect()),
                           "text/plain; version=0.0.4");
    });
    server_.Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& response) {
      SetCommonHeaders(response);
      response.set_content(std::string(OpenApiDocument()), "application/json");
    });

    for (const Route& route : RouteTable()) {
      const std::string pattern = std::regex_replace(std::string(route.openapi_path),
                                                     std::regex(R"(\{[a-z_]+\})"), "([^/]+)");
      const std::string method = route.method;
      if (method == "GET") {
        server_.Get(pattern,
                    [this, &route](const httplib::Request& request, httplib::Response& response) {
                      Dispatch(route, request, response, nullptr);
                    });
        continue;
      }
      // Every other method gets the body's reader, so that the body is read only after the
      // caller is known and only as far as the route's limit (httplib's own reading has no
      // limit on a chunked body).
      auto handler = [this, &route](const httplib::Request& request, httplib::Response& response,
                                    const httplib::ContentReader& reader) {
        Dispatch(route, request, response, &reader);
      };
      if (method == "PUT") {
        server_.Put(pattern, handler);
      } else if (method == "POST") {
        server_.Post(pattern, handler);
      } else if (method == "DELETE") {
        server_.Delete(pattern, handler);
      }
    }
    // Any other request that may carry a body is answered without reading it.
    const auto nothing_here = [](const httplib::Request& request, httplib::Response& response,
                                 const httplib::ContentReader&) {
      CloseAfter(response);
      WriteProblem(response, 404, fmt::format("there is nothing at {}", request.path),
                   request.path);
    };
    server_.Post(".*", nothing_here);
    server_.Put(".*", nothing_here);
    server_.Delete(".*", nothing_here);
    server_.Patch(".*", nothing_here);

    const bool portal_built = std::filesystem::is_directory(web_root_);
    if (portal_built) {
      server_.set_mount_point("/", web_root_);
      server_.set_file_request_handler(
          [this](const httplib::Request& request, httplib::Response& response) {
            ServePortalFile(request, response);
          });
      // Deep links into the portal (/members/GM0363) are its own routes, not files: they get
      // the portal's page, which shows the route. Paths with a dot are files and stay 404.
      const std::filesystem::path index = std::filesystem::path(web_root_) / "index.html";
      server_.Get(R"(/(?!api(/|$))[^.]*)",
                  [index](const httplib::Request&, httplib::Response& response) {
                    std::ifstream file(index, std::ios::binary);
                    std::ostringstream page;
                    page << file.rdbuf();
                    if (!file || page.str().empty()) {
                      response.status = 404;
                      return;
                    }
                    response.set_header("Cache-Control", "no-cache");
                    response.set_content(page.str(), "text/html; charset=utf-8");
                  });
    }
    if (!portal_built) {
      server_.Get("/", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(
            "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>Baken</title>"
            "<h1>Baken</h1><p>Het portaal is nog niet gebouwd. De API staat op "
            "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>"
            "<p lang=\"en\">The portal has not been built. The API is described at "
            "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p></html>",
            "text/html; charset=utf-8");
      });
    }

    server_.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
      if (!response.body.empty()) return;
      const int status = response.status;
      WriteProblem(response, status,
                   status == 404   ? fmt::format("there is nothing at {}", request.path)
                   : status == 413 ? std::string("the request body is too large")
                                   : std::string(ReasonPhrase(status)),
                   request.path);
    });
    server_.set_exception_handler(
        [](const httplib::Request& request, httplib::Response& response, std::exception_ptr) {
          WriteProblem(response, 500, "the server failed to handle this request", request.path);
        });
  }

  void Dispatch(const Route& route, const httplib::Request& request, httplib::Response& response,
                const httplib::ContentReader* reader) {
    Call call{request, std::nullopt, {}, route.list, std::nullopt, {}, std::nullopt};
    for (size_t i = 1; i < request.matches.size(); ++i) call.params.push_back(request.matches[i]);
    UploadFile upload;
    const auto refuse = [&](int status, std::string_view detail) {
      // The body, if any, was not read (or not wholly): what follows on the connection is not
      // a next request.
      if (HasBody(request)) CloseAfter(response);
      WriteProblem(response, status, detail, request.path);
      Count(route, status);
    };
    if (auto refusal = CheckRequest(route, request)) {
      return refuse(refusal->status, refusal->detail);
    }
    if (route.authenticated) {
      auto principal = Authenticate(request, &call);
      if (!principal) {
        if (StatusFor(principal.error().code) == 401) {
          response.set_header("WWW-Authenticate", "Bearer");
        }
        return refuse(StatusFor(principal.error().code), principal.error().message);
      }
      call.principal = std::move(*principal);
    }
    if (auto refusal = ReadBody(route, request, reader, &call, &upload)) {
      return refuse(refusal->status, refusal->detail);
    }
    int status = 500;
    auto reply = (this->*route.handler)(call);
    if (reply) {
      status = reply->status;
      response.status = status;
      SetCommonHeaders(response);
      for (const auto& [name, value] : reply->headers) response.set_header(name, value);
      response.set_content(registry::DumpJson(reply->body), std::string(reply->content_type));
    } else {
      status = StatusFor(reply.error().code);
      WriteProblem(response, status, reply.error(), request.path);
    }
    Count(route, status);
  }

  // A file of the built portal, after httplib found it under the web root. The build leaves a
  // Brotli and a gzip copy beside each large file (web/scripts/precompress.mjs), so a file is
  // compressed once at build time rather than on every request: that is sent when the browser
  // takes it, with a known length (httplib compresses only bodies it builds itself). Files in
  // assets/ have their content's hash in their name, so browsers may keep them for good; the
  // rest (index.html, the favicon) they must check again.
  void ServePortalFile(const httplib::Request& request, httplib::Response& response) {
    const bool hashed = request.path.rfind("/assets/", 0) == 0;
    response.set_header("Cache-Control",
                        hashed ? "public, max-age=31536000, immutable" : "no-cache");
    response.set_header("Vary", "Accept-Encoding");
    std::string path = request.path;
    if (path.empty() || path.back() == '/') path += "index.html";
    for (const auto& [coding, suffix] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
      if (!AcceptsCoding(request.get_header_value("Accept-Encoding"), coding)) continue;
      // httplib has checked the path (no "..", inside the web root) before calling this.
      std::ifstream file(web_root_ + path + suffix, std::ios::binary);
      if (!file) continue;
      auto bytes = std::make_shared<std::string>(std::istreambuf_iterator<char>(file),
                                                 std::istreambuf_iterator<char>());
      if (!file.eof() && file.fail()) continue;
      const std::string content_type = response.get_header_value("Content-Type");
      response.body.clear();
      response.set_header("Content-Encoding", coding);
      response.set_content_provider(bytes->size(), content_type,
                                    [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
                                      if (offset >= bytes->size()) return false;
                                      sink.write(bytes->data() + offset,
                                                 std::min(length, bytes->size() - offset));
                                      return true;
                                    });
      return;
    }
  }

  // Whether an Accept-Encoding header takes `coding` ("gzip, br;q=0.8": yes; "br;q=0": no).
  static bool AcceptsCoding(std::string_view header, std::string_view coding) {
    while (!header.empty()) {
      const size_t comma = header.find(',');
      std::string_view item = TrimBlanks(header.substr(0, comma));
      header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
      const size_t semicolon = item.find(';');
      if (AsciiLower(TrimBlanks(item.substr(0, semicolon))) != coding) continue;
      if (semicolon == std::string_view::npos) return true;
      std::string parameter = AsciiLower(TrimBlanks(item.substr(semicolon + 1)));
      parameter.erase(std::remove(parameter.begin(), parameter.end(), ' '), parameter.end());
      return !(parameter.rfind("q=0", 0) == 0 &&
               parameter.find_first_not_of("0.", 2) == std::string::npos);
    }
    return false;
  }

  // The counters say how busy the CERT is and how many addresses it watches: for the monitoring
  // host, or for staff with a token.
  std::optional<Refusal> CheckMetricsReader(const httplib::Request& request) {
    const auto address = net::IpAddress::Parse(request.remote_addr);
    if (address &&
        std::any_of(metrics_from_.begin(), metrics_from_.end(),
                    [&](const net::Prefix& prefix) { return prefix.Contains(*address); })) {
      return std::nullopt;
    }
    Call call{request, std::nullopt, {}, {}, std::nullopt, {}, std::nullopt};
    if (auto principal = Authenticate(request, &call); principal && principal->IsStaff()) {
      return std::nullopt;
    }
    return Refusal{403,
                   "/metrics is open to the addresses given with --metrics-from, or with an "
                   "analyst's API token"};
  }

  // What can be refused from the headers alone, before anything else is done.
  static std::optional<Refusal> CheckRequest(const Route& route, const httplib::Request& request) {
    if (ChangesState(request)) {
      if (auto refusal = CheckSameSite(request)) return refusal;
    }
    if (!HasBody(request)) return std::nullopt;
    if (route.body == Body::kNone) return Refusal{400, "this request takes no body"};
    const std::string encoding = AsciiLower(request.get_header_value("Content-Encoding"));
    if (!encoding.empty() && encoding != "identity") {
      return Refusal{415, "a compressed request body is not accepted; send a .gz file as it is"};
    }
    const std::string type = MediaType(request);
    if (route.body == Body::kUpload) {
      if (type.starts_with("multipart/")) {
        return Refusal{415, "send the feed file itself as the body, not a multipart form"};
      }
      return std::nullopt;
    }
    const bool csv_allowed = std::string_view(route.list) == "assets";
    if (type != "application/json" && !(csv_allowed && type == "text/csv")) {
      return Refusal{415, csv_allowed ? "send the body as application/json or text/csv"
                                      : "send the body as application/json"};
    }
    return std::nullopt;
  }

  // Reads the body the route takes, up to its limit: into the call, or for an upload into a
  // temporary file.
  static std::optional<Refusal> ReadBody(const Route& route, const httplib::Request& request,
                                         const httplib::ContentReader* reader, Call* call,
                                         UploadFile* upload) {
    if (route.body == Body::kNone || reader == nullptr || !HasBody(request)) return std::nullopt;
    const size_t limit = BodyLimit(route.body);
    const Refusal too_large{
        413, fmt::format("the body is larger than the {} this request takes", SizeText(limit))};
    if (DeclaredLength(request) > limit) return too_large;
    const bool to_file = route.body == Body::kUpload;
    if (to_file) {
      if (!upload->Create()) return Refusal{503, "the upload cannot be stored for now"};
      GuardedServer::AllowBodyTime(kUploadTime);
    }
    size_t received = 0;
    const bool complete = (*reader)([&](const char* data, size_t size) {
      received += size;
      if (received > limit) return false;
      if (to_file) return upload->Write(data, size);
      call->body.append(data, size);
      return true;
    });
    if (received > limit) return too_large;
    if (!complete) {
      return Refusal{400,
                     "the request body did not arrive whole (cut off, malformed, or too slow)"};
    }
    if (to_file) {
      if (!upload->Finish()) return Refusal{503, "the upload cannot be stored for now"};
      call->upload = upload->path();
    }
    return std::nullopt;
  }

  // An API token (Authorization: Bearer), or else the portal's session cookie; a changing
  // request on a session must carry the session's CSRF token in X-CSRF-Token.
  Result<auth::Principal> Authenticate(const httplib::Request& request, Call* call) {
    const std::string header = request.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.rfind(kBearer, 0) != 0) {
      const std::string cookie = CookieValue(request, kSessionCookie);
      if (cookie.empty()) {
        return MakeError(ErrorCode::kUnauthenticated,
                         "this request needs an API token (Authorization: Bearer TOKEN) or a "
                         "signed-in session");
      }
      service::SessionService sessions(store_);
      BAKEN_ASSIGN_OR_RETURN(auto session, sessions.Authenticate(cookie, SourceOf(request)));
      if (!session) {
        return MakeError(ErrorCode::kUnauthenticated,
                         "the session has ended or is not valid; sign in again");
      }
      if (ChangesState(request) &&
          !auth::SameSecret(request.get_header_value("X-CSRF-Token"), session->csrf_token)) {
        return PermissionDenied(
            "this request needs the session's CSRF token in the X-CSRF-Token header");
      }
      auth::Principal principal = session->principal;
      call->session = std::move(*session);
      return principal;
    }
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(auto principal,
                           auth::Authenticate(*tx, header.substr(kBearer.size()), SourceOf(request),
                                              std::chrono::system_clock::now()));
    if (!principal) {
      return MakeError(ErrorCode::kUnauthenticated, "the API token is not valid");
    }
    return *principal;
  }

  void Count(const Route& route, int status) {
    requests_
        .Add({{"method", route.method},
              {"route", route.openapi_path},
              {"code", std::to_string(status)}})
        .Increment();
  }

  void UpdateSnapshotGauges() {
    auto constituency = snapshot_.Get();
    if (!constituency) return;
    members_gauge_.Add({{"kind", "netblock"}})
        .Set(static_cast<double>(constituency->netblock_count()));
    members_gauge_.Add({{"kind", "asn"}}).Set(static_cast<double>(constituency->asn_count()));
    members_gauge_.Add({{"kind", "domain"}}).Set(static_cast<double>(constituency->domain_count()));
  }

  // --- Handlers -----------------------------------------------------------------------------

  Result<Reply> ListMembers(Call& call) {
    BAKEN_ASSIGN_OR_RETURN(auto members, service_.ListMembers(*call.principal));
    Json list = Json::array();
    for (const auto& member : members) {
      list.push_back(registry::MemberToJson(member, registry::ClaimStyle::kWithState));
    }
    return Reply{200, Json{{"members", std::move(list)}}};
  }

  Result<Reply> GetMember(Call& call) {
    BAKEN_ASSIGN_OR_RETURN(auto member, service_.GetMember(*call.principal, call.params[0]));
    return Reply{200, registry::MemberToJson(member, registry::ClaimStyle::kWithState)};
  }

  Result<Reply> GetMemberList(Call& call) {
    BAKEN_ASSIGN_OR_RETURN(auto member, service_.GetMember(*call.principal, call.params[0]));
    const std::string_view list = call.list;
    Json body = Json::array();
    if (list == "contacts") {
      for (const auto& contact : member.contacts) body.push_back(registry::ContactToJson(contact));
    } else if (list == "assets") {
      for (const auto& asset : member.assets) body.push_back(registry::AssetToJson(asset));
    } else if (auto kind = ClaimKindForList(list)) {
      for (const auto& claim : member.claims) {
        if (claim.kind == *kind) body.push_back(registry::ClaimToJson(claim));
      }
    } else {
      return NotFound(fmt::format("a member has no list '{}'", list));
    }
    return Reply{200, std::move(body)};
  }

  Result<Reply> PutMemberList(Call& call) {
    const std::string& code = call.params[0];
    const std::string_view list = call.list;
    // Existence and scope first: a member user learns nothing about other members, not even
    // whether its body would have been valid.
    BAKEN_RETURN_IF_ERROR(service_.GetMember(*call.principal, code));
    const std::string where = fmt::format("{}: {}", code, list);
    if (list == "assets" && IsCsv(call.request)) {
      // The inventory spreadsheet as the portal uploads it, the same format as
      // `baken member import-assets`.
      std::istringstream input(call.body);
      auto assets = registry::ParseAssetCsv(input, where);
      if (!assets) return Invalid(assets.error());
      BAKEN_RETURN_IF_ERROR(service_.ReplaceAssets(*call.principal, code, *assets));
      return GetMemberList(call);
    }
    BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
    if (list == "contacts") {
      auto contacts = registry::ContactsFromJson(body, where);
      if (!contacts) return Invalid(contacts.error());
      BAKEN_RETURN_IF_ERROR(service_.ReplaceContacts(*call.principal, code, *contacts));
      return GetMemberList(call);
    }
    if (list == "assets") {
      auto assets = registry::AssetsFromJson(body, where);
      if (!assets) return Invalid(assets.error());
      BAKEN_RETURN_IF_ERROR(service_.ReplaceAssets(*call.principal, code, *assets));
      return GetMemberList(call);
    }
    if (auto kind = ClaimKindForList(list)) {
      auto values = registry::ClaimValuesFromJson(*kind, body, where);
      if (!values) return Invalid(values.error());
      BAKEN_ASSIGN_OR_RETURN(auto claims,
                             service_.ReplaceClaims(*call.principal, code, *kind, *values));
      return Reply{200, ClaimsToJson(claims)};
    }
    return NotFound(fmt::format("a member has no list '{}'", list));
  }

  Result<Reply> ConfirmData(Call& call) {
    BAKEN_RETURN_IF_ERROR(service_.ConfirmData(*call.principal, call.params[0]));
    return GetMember(call);
  }

  Result<Reply> ListClaims(Call& call) {
    std::optional<registry::ClaimState> state;
    if (call.request.has_param("state")) {
      const std::string text = call.request.get_param_value("state");
      state = registry::ParseClaimState(text);
      if (!state) {
        return InvalidArgument(
            fmt::format("state {} is unknown (use pending, approved, refused)", Quote(text)));
      }
    }
    BAKEN_ASSIGN_OR_RETURN(auto reviews, service_.ReviewClaims(*call.principal, state));
    Json list = Json::array();
    for (const auto& review : reviews) {
      Json item = registry::ClaimToJson(review.claim);
      item["member"] = review.claim.member;
      item["kind"] = registry::Name(review.claim.kind);
      item["value"] = review.claim.value;
      Json overlaps = Json::array();
      for (const auto& overlap : review.overlaps) {
        overlaps.push_back(Json{{"member", overlap.member}, {"value", overlap.value}});
      }
      item["overlaps"] = std::move(overlaps);
      list.push_back(std::move(item));
    }
    return Reply{200, Json{{"claims", std::move(list)}}};
  }

  Result<Reply> DecideClaim(Call& call, bool approve) {
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "claim"));
    std::optional<std::string> reason;
    if (!call.body.empty()) {
      BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
      if (!body.is_object()) return InvalidArgument("the request body must be a JSON object");
      if (auto found = body.find("reason"); found != body.end()) {
        if (!found->is_string()) return InvalidArgument("'reason' must be a string");
        reason = found->get<std::string>();
      }
    }
    BAKEN_ASSIGN_OR_RETURN(auto claim, service_.DecideClaim(*call.principal, id, approve, reason));
    return Reply{200, registry::ClaimToJson(claim)};
  }
  Result<Reply> ApproveClaim(Call& call) { return DecideClaim(call, true); }
  Result<Reply> RefuseClaim(Call& call) { return DecideClaim(call, false); }

  Result<Reply> Lookup(Call& call) {
    if (!call.principal->IsStaff()) return PermissionDenied("only analysts and admins may look up");
    const std::string value = call.request.get_param_value("value");
    BAKEN_ASSIGN_OR_RETURN(auto query, routing::ParseLookupQuery(value));
    auto constituency = snapshot_.Get();
    return Reply{200, service::LookupToJson(*constituency, routing::Lookup(*constituency, query))};
  }

  Result<Reply> ListAudit(Call& call) {
    if (!call.principal->IsStaff()) {
      return PermissionDenied("only analysts and admins may read the audit log");
    }
    BAKEN_ASSIGN_OR_RETURN(const int64_t limit, IntParam(call, "limit", 100, 1, 1000));
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(auto entries, tx->Audit().List(limit));
    Json list = Json::array();
    for (const auto& entry : entries) {
      Json detail = Json::parse(entry.detail, nullptr, false);
      list.push_back(Json{{"id", entry.id},
                          {"at", entry.at},
                          {"actor", entry.actor},
                          {"action", entry.action},
                          {"object", entry.object},
                          {"detail", detail.is_discarded() ? Json(entry.detail) : detail}});
    }
    return Reply{200, Json{{"entries", std::move(list)}}};
  }

  Result<Reply> PostReport(Call& call) {
    if (!call.principal->IsStaff()) return PermissionDenied("only analysts may upload feeds");
    service::IngestOptions options;
    const std::string name =
        call.request.has_param("name") ? call.request.get_param_value("name") : "upload";
    if (call.request.has_param("feed")) {
      const std::string text = call.request.get_param_value("feed");
      options.feed.kind = feeds::ParseFeedKind(text);
      if (!options.feed.kind) {
        return InvalidArgument(
            fmt::format("feed {} is unknown (use shadowserver, intelmq)", Quote(text)));
      }
      if (*options.feed.kind == feeds::FeedKind::kCsv) {
        return InvalidArgument("a plain CSV list needs a mapping file: use baken ingest --mapping");
      }
    }
    options.feed.report = call.request.get_param_value("report");
    if (call.request.has_param("tlp")) {
      const std::string text = call.request.get_param_value("tlp");
      const std::optional<Tlp> tlp = ParseTlp(text);
      if (!tlp) {
        return InvalidArgument(fmt::format(
            "tlp {} is unknown (use CLEAR, GREEN, AMBER, AMBER+STRICT, RED)", Quote(text)));
      }
      options.tlp = *tlp;
    }
    options.dry_run = FlagParam(call, "dry_run");
    service::IngestService ingest(store_, snapshot_.Get());
    BAKEN_ASSIGN_OR_RETURN(auto input, feeds::OpenFeedFile(call.upload->string()));
    BAKEN_ASSIGN_OR_RETURN(auto summary,
                           ingest.IngestInput(*call.principal, name, std::move(input), options));
    return Reply{200, service::SummaryToJson(summary)};
  }

  Result<Reply> ListEvents(Call& call) {
    store::EventQuery query;
    if (call.request.has_param("member")) query.member = call.request.get_param_value("member");
    if (call.request.has_param("feed")) query.feed_name = call.request.get_param_value("feed");
    query.unrouted = FlagParam(call, "unrouted");
    if (query.unrouted && !call.principal->IsStaff()) {
      return PermissionDenied("only analysts may list unrouted events");
    }
    BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 100, 1, 1000));
    BAKEN_ASSIGN_OR_RETURN(query.after_id,
                           IntParam(call, "after", 0, 0, std::numeric_limits<int64_t>::max()));
    query.newest_first = FlagParam(call, "newest");
    BAKEN_ASSIGN_OR_RETURN(query.before_id,
                           IntParam(call, "before", 0, 0, std::numeric_limits<int64_t>::max()));
    if (call.request.has_param("before") && !query.newest_first) {
      return InvalidArgument("before pages newest first: use it with newest=true");
    }
    // For a person paging through a list: a page number's worth of events to skip, and
    // filters on TLP, type, the time Baken received the event, and any text in it.
    BAKEN_ASSIGN_OR_RETURN(query.offset,
                           IntParam(call, "offset", 0, 0, std::numeric_limits<int32_t>::max()));
    if (query.offset > 0 && (query.after_id > 0 || query.before_id > 0)) {
      return InvalidArgument("offset pages by count: use it without after and before");
    }
    if (call.request.has_param("tlp")) {
      const std::string text = call.request.get_param_value("tlp");
      const auto tlp = ParseTlp(text);
      if (!tlp) return InvalidArgument(fmt::format("tlp {} is not a TLP level", Quote(text)));
      query.tlp = std::string(Name(*tlp));
    }
    if (call.request.has_param("type")) {
      query.classification_type = call.request.get_param_value("type");
    }
    BAKEN_ASSIGN_OR_RETURN(query.observed_since, TimeParam(call, "since"));
    BAKEN_ASSIGN_OR_RETURN(query.observed_until, TimeParam(call, "until"));
    if (call.request.has_param("q")) query.text = call.request.get_param_value("q");
    Json list = Json::array();
    int64_t last = 0;
    service::EventsService events(store_);
    BAKEN_ASSIGN_OR_RETURN(
        const int64_t total,
        events.Page(*call.principal, query, [&](const store::StoredEvent& event) {
          Json item = Json::parse(service::EventToJsonText(event), nullptr, false);
          // The id `after` and `before` page by (the API only: the command line keeps the
          // contract's IntelMQ fields plus baken.member).
          if (item.is_object()) item["baken.id"] = event.id;
          list.push_back(std::move(item));
          last = event.id;
          return true;
        }));
    const bool more =
        static_cast<int64_t>(list.size()) == query.limit && query.offset + query.limit < total;
    // The next page's bound: `before` when paging newest first, `after` otherwise.
    const char* next = query.newest_first ? "next_before" : "next_after";
    return Reply{200, Json{{"events", std::move(list)},
                           {next, more ? Json(last) : Json()},
                           {"total", total},
                           {"offset", query.offset},
                           {"limit", query.limit}}};
  }

  // One event, for its detail page: the scope decides, so another member's event or an
  // unreleased RED one does not exist for a member's user.
  Result<Reply> GetEvent(Call& call) {
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "event"));
    store::EventQuery query;
    query.after_id = id - 1;
    query.limit = 1;
    std::optional<Json> found;
    service::EventsService events(store_);
    BAKEN_RETURN_IF_ERROR(
        events.ForEach(*call.principal, query, [&](const store::StoredEvent& event) {
          if (event.id == id) {
            found = Json::parse(service::EventToJsonText(event), nullptr, false);
            if (found->is_object()) (*found)["baken.id"] = event.id;
          }
          return false;
        }));
    if (!found || !found->is_object()) return NotFound(fmt::format("event {} does not exist", id));
    return Reply{200, std::move(*found)};
  }

  Result<Reply> ListOutbox(Call& call) {
    std::optional<store::OutboxState> state;
    if (call.request.has_param("state")) {
      const std::string text = call.request.get_param_value("state");
      state = store::ParseOutboxState(text);
      if (!state) {
        return InvalidArgument(
            fmt::format("state {} is unknown (use pending, held, sending, sent, failed, unknown)",
                        Quote(text)));
      }
    }
    BAKEN_ASSIGN_OR_RETURN(const int64_t limit, IntParam(call, "limit", 100, 1, 1000));
    service::EventsService events(store_);
    BAKEN_ASSIGN_OR_RETURN(auto messages, events.Outbox(*call.principal, state, limit));
    Json list = Json::array();
    for (const auto& message : messages) {
      Json item = service::OutboxMessageToJson(message);
      if (!call.principal->IsStaff()) {
        // How delivery went (analysts' names, SMTP errors) is the CERT's business.
        item["reason"] = Json();
        item["reason_code"] = Json();
        item["reason_params"] = Json::object();
        item.erase("attempts");
        item.erase("next_attempt_at");
      }
      list.push_back(std::move(item));
    }
    return Reply{200, Json{{"messages", std::move(list)}}};
  }

  Result<Reply> ReleaseMessage(Call& call) {
    if (!call.principal->IsStaff()) return PermissionDenied("only analysts may release messages");
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "message"));
    service::NotifyService notifier(store_);
    BAKEN_ASSIGN_OR_RETURN(auto message, notifier.Release(*call.principal, id));
    return Reply{200, service::OutboxMessageToJson(message)};
  }

  Result<Reply> ResolveMessage(Call& call, bool arrived) {
    if (!call.principal->IsStaff()) return PermissionDenied("only analysts may resolve messages");
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "message"));
    service::NotifyService notifier(store_);
    BAKEN_ASSIGN_OR_RETURN(auto message, notifier.Resolve(*call.principal, id, arrived));
    return Reply{200, service::OutboxMessageToJson(message)};
  }
  Result<Reply> ListAdvisories(Call& call) {
    service::AdvisoryService advisories(store_);
    BAKEN_ASSIGN_OR_RETURN(auto stored, advisories.List(*call.principal));
    Json list = Json::array();
    for (const auto& advisory : stored) list.push_back(service::StoredAdvisoryToJson(advisory));
    return Reply{200, Json{{"advisories", std::move(list)}}};
  }

  // Whose service this is: public, the sign-in page shows it too.
  Result<Reply> GetOrganisation(Call&) {
    Json body{{"name", organisation_.name}};
    for (const auto& [key, value] :
         {std::pair{"full_name", &organisation_.full_name},
          std::pair{"phone", &organisation_.phone}, std::pair{"email", &organisation_.email},
          std::pair{"logo", &organisation_.logo}}) {
      body[key] = value->empty() ? Json() : Json(*value);
    }
    return Reply{200, std::move(body)};
  }

  Result<Reply> SignIn(Call& call) {
    BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
    if (!body.is_object() || !body.contains("email") || !body["email"].is_string() ||
        !body.contains("password") || !body["password"].is_string() ||
        (body.contains("code") && !body["code"].is_string())) {
      return InvalidArgument(
          "the body must be {\"email\": \"...\", \"password\": \"...\"} and, for an account "
          "with a second factor, \"code\": \"123456\"");
    }
    service::SessionService sessions(store_);
    BAKEN_ASSIGN_OR_RETURN(
        auto outcome,
        sessions.SignIn(body["email"].get<std::string>(), body["password"].get<std::string>(),
                        body.contains("code") ? body["code"].get<std::string>() : "",
                        SourceOf(call.request)));
    if (outcome.code_needed) {
      // Only after the right password: the portal asks for the app's code and sends all three.
      Reply reply{
          401, ProblemJson(401, Coded(ErrorCode::kUnauthenticated, problems::session_code_needed),
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
    Reply reply{201,
                SessionJson(signed_in->principal, signed_in->csrf_token, signed_in->expires_at)};
    reply.headers.emplace_back(
        "Set-Cookie",
        SessionCookie(
            call.request, signed_in->cookie_token,
            std::chrono::duration_cast<std::chrono::seconds>(auth::kSessionLifetime).count()));
    return reply;
  }

  Result<Reply> GetSession(Call& call) {
    return Reply{
        200, SessionJson(*call.principal, call.session ? call.session->csrf_token : std::string(),
                         call.session ? call.session->expires_at : std::string())};
  }

  Result<Reply> SignOut(Call& call) {
    if (call.session) {
      service::SessionService sessions(store_);
      BAKEN_RETURN_IF_ERROR(
          sessions.SignOut(*call.principal, CookieValue(call.request, kSessionCookie)));
    }
    Reply reply{200, Json{{"signed_out", true}}};
    reply.headers.emplace_back("Set-Cookie", SessionCookie(call.request, "", 0));
    return reply;
  }

  static Json SessionJson(const auth::Principal& principal, const std::string& csrf_token,
                          const std::string& expires_at) {
    return Json{{"email", principal.email},
                {"role", store::Name(principal.role)},
                {"member", principal.member ? Json(*principal.member) : Json()},
                {"csrf_token", csrf_token.empty() ? Json() : Json(csrf_token)},
                {"expires_at", expires_at.empty() ? Json() : Json(expires_at)},
                {"totp", principal.totp}};
  }

  // {"password", "code"}: turning the second factor on or off asks for the password again, so
  // that a stolen session cookie alone cannot do it.
  struct PasswordAndCode {
    std::string password;
    std::string code;
  };
  static Result<PasswordAndCode> PasswordAndCodeOf(const Call& call) {
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
  static Status NeedsSession(const Call& call) {
    if (!call.session) {
      return PermissionDenied(
          "the second factor and API tokens are managed in a signed-in portal session only");
    }
    return {};
  }

  // The caller's second factor: offered (a new secret and its QR code), confirmed with a
  // first code, or turned off with a current one.
  Result<Reply> OfferTotp(Call& call) {
    BAKEN_RETURN_IF_ERROR(NeedsSession(call));
    service::SessionService sessions(store_);
    BAKEN_ASSIGN_OR_RETURN(auto offer, sessions.OfferTotp(*call.principal));
    return Reply{201, Json{{"secret", offer.secret}, {"uri", offer.uri}, {"qr_svg", offer.qr_svg}}};
  }

  Result<Reply> ConfirmTotp(Call& call) {
    BAKEN_RETURN_IF_ERROR(NeedsSession(call));
    BAKEN_ASSIGN_OR_RETURN(const PasswordAndCode given, PasswordAndCodeOf(call));
    service::SessionService sessions(store_);
    BAKEN_RETURN_IF_ERROR(
        sessions.ConfirmTotp(*call.principal, given.password, given.code, SourceOf(call.request)));
    call.principal->totp = true;
    return GetSession(call);
  }

  Result<Reply> DisableTotp(Call& call) {
    BAKEN_RETURN_IF_ERROR(NeedsSession(call));
    BAKEN_ASSIGN_OR_RETURN(const PasswordAndCode given, PasswordAndCodeOf(call));
    service::SessionService sessions(store_);
    BAKEN_RETURN_IF_ERROR(
        sessions.DisableTotp(*call.principal, given.password, given.code, SourceOf(call.request)));
    call.principal->totp = false;
    return GetSession(call);
  }

  // The signed-in user's own API tokens, in the portal session only (as the second factor): a
  // token must not be able to make more of itself. Never the secret, except once at creation.
  static Json OwnTokenJson(const store::ApiToken& token) {
    return Json{{"id", token.id},
                {"label", token.label},
                {"created_at", token.created_at},
                {"expires_at", token.expires_at}};
  }

  // --- User management (admins) ---

  static Json UserJson(const store::User& user) {
    return Json{{"id", user.id},
                {"email", user.email},
                {"role", store::Name(user.role)},
                {"member", user.member ? Json(*user.member) : Json()},
                {"created_at", user.created_at},
                {"disabled_at", user.disabled_at ? Json(*user.disabled_at) : Json()},
                {"totp", user.totp_secret.has_value()}};
  }

  Result<Reply> ListUsers(Call& call) {
    service::SessionService sessions(store_);
    BAKEN_ASSIGN_OR_RETURN(auto users, sessions.ListUsers(*call.principal));
    Json list = Json::array();
    for (const auto& user : users) list.push_back(UserJson(user));
    return Reply{200, Json{{"users", std::move(list)}}};
  }

  Result<Reply> AddUser(Call& call) {
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
    service::SessionService sessions(store_);
    BAKEN_ASSIGN_OR_RETURN(auto added, sessions.AddUser(*call.principal, std::move(user)));
    Json reply = UserJson(added.first);
    // Shown this once: the admin passes it on, and the user changes it.
    reply["password"] = std::move(added.second);
    return Reply{201, std::move(reply)};
  }

  // POST /users/{id}/{disable,enable,unlock,reset-totp}: the action is the route's `list`.
  Result<Reply> ControlUser(Call& call) {
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "account"));
    service::SessionService sessions(store_);
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

  Result<Reply> ListOwnTokens(Call& call) {
    BAKEN_RETURN_IF_ERROR(NeedsSession(call));
    service::SessionService sessions(store_);
    BAKEN_ASSIGN_OR_RETURN(auto tokens, sessions.ListOwnTokens(*call.principal));
    Json list = Json::array();
    for (const auto& token : tokens) list.push_back(OwnTokenJson(token));
    return Reply{200, Json{{"tokens", std::move(list)}}};
  }

  Result<Reply> CreateOwnToken(Call& call) {
    BAKEN_RETURN_IF_ERROR(NeedsSession(call));
    BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
    if (!body.is_object() || (body.contains("label") && !body["label"].is_string()) ||
        (body.contains("expires_in_days") && !body["expires_in_days"].is_number_integer())) {
      return InvalidArgument(
          "the body must be {\"label\": \"...\", \"expires_in_days\": 365}, both optional");
    }
    service::SessionService sessions(store_);
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

  Result<Reply> RevokeOwnToken(Call& call) {
    BAKEN_RETURN_IF_ERROR(NeedsSession(call));
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "token"));
    service::SessionService sessions(store_);
    BAKEN_RETURN_IF_ERROR(sessions.RevokeOwnToken(*call.principal, id));
    return Reply{200, Json{{"id", id}, {"revoked", true}}};
  }

  Result<Reply> ListWarnings(Call& call) {
    const std::string since =
        call.request.has_param("since") ? call.request.get_param_value("since") : "";
    BAKEN_ASSIGN_OR_RETURN(const int64_t limit, IntParam(call, "limit", 100, 1, 1000));
    service::AdvisoryService advisories(store_);
    BAKEN_ASSIGN_OR_RETURN(auto warnings, advisories.Warnings(*call.principal, since, limit));
    Json list = Json::array();
    for (const auto& warning : warnings) list.push_back(service::WarningToJson(warning));
    return Reply{200, Json{{"warnings", std::move(list)}}};
  }

  Result<Reply> GetWarning(Call& call) {
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "warning"));
    service::AdvisoryService advisories(store_);
    BAKEN_ASSIGN_OR_RETURN(Json detail, advisories.DescribeWarning(*call.principal, id));
    return Reply{200, std::move(detail)};
  }

  Result<Reply> GetAdvisory(Call& call) {
    service::AdvisoryService advisories(store_);
    BAKEN_ASSIGN_OR_RETURN(Json detail, advisories.Describe(*call.principal, call.params[0]));
    return Reply{200, std::move(detail)};
  }

  Result<Reply> PostAdvisory(Call& call) {
    const std::string name =
        call.request.has_param("name") ? call.request.get_param_value("name") : "upload.json";
    service::AdvisoryService advisories(store_);
    BAKEN_ASSIGN_OR_RETURN(auto summary,
                           advisories.ImportDocument(*call.principal, name, call.body));
    if (!summary.refused.empty()) {
      // Errors are problem+json: the reasons, each naming its place, in the detail.
      return InvalidArgument(fmt::format("advisory {} refused: {}", Quote(name),
                                         fmt::join(summary.refused.front().reasons, "; ")));
    }
    return Reply{200, service::ImportSummaryToJson(summary)};
  }

  Result<Reply> ConfirmMessage(Call& call) { return ResolveMessage(call, true); }
  Result<Reply> ResendMessage(Call& call) { return ResolveMessage(call, false); }

  store::Store& store_;
  std::string web_root_;
  Organisation organisation_;
  std::vector<net::Prefix> metrics_from_;
  routing::ConstituencyHolder snapshot_;
  service::RegistryService service_;
  std::shared_ptr<prometheus::Registry> metrics_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Gauge>& members_gauge_;
  GuardedServer server_{ConnectionLimits{}};
};

const std::vector<Server::Impl::Route>& Server::Impl::RouteTable() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/members", true, &Impl::ListMembers, Body::kNone},
      {"GET", "/api/v1/members/{code}", true, &Impl::GetMember, Body::kNone},
      {"GET", "/api/v1/members/{code}/contacts", true, &Impl::GetMemberList, Body::kNone,
       "contacts"},
      {"PUT", "/api/v1/members/{code}/contacts", true, &Impl::PutMemberList, Body::kList,
       "contacts"},
      {"GET", "/api/v1/members/{code}/netblocks", true, &Impl::GetMemberList, Body::kNone,
       "netblocks"},
      {"PUT", "/api/v1/members/{code}/netblocks", true, &Impl::PutMemberList, Body::kList,
       "netblocks"},
      {"GET", "/api/v1/members/{code}/asns", true, &Impl::GetMemberList, Body::kNone, "asns"},
      {"PUT", "/api/v1/members/{code}/asns", true, &Impl::PutMemberList, Body::kList, "asns"},
      {"GET", "/api/v1/members/{code}/domains", true, &Impl::GetMemberList, Body::kNone, "domains"},
      {"PUT", "/api/v1/members/{code}/domains", true, &Impl::PutMemberList, Body::kList, "domains"},
      {"GET", "/api/v1/members/{code}/assets", true, &Impl::GetMemberList, Body::kNone, "assets"},
      {"PUT", "/api/v1/members/{code}/assets", true, &Impl::PutMemberList, Body::kList, "assets"},
      {"POST", "/api/v1/members/{code}/confirm", true, &Impl::ConfirmData, Body::kSmall},
      {"GET", "/api/v1/claims", true, &Impl::ListClaims, Body::kNone},
      {"POST", "/api/v1/claims/{id}/approve", true, &Impl::ApproveClaim, Body::kSmall},
      {"POST", "/api/v1/claims/{id}/refuse", true, &Impl::RefuseClaim, Body::kSmall},
      {"GET", "/api/v1/lookup", true, &Impl::Lookup, Body::kNone},
      {"GET", "/api/v1/audit", true, &Impl::ListAudit, Body::kNone},
      {"POST", "/api/v1/reports", true, &Impl::PostReport, Body::kUpload},
      {"GET", "/api/v1/events", true, &Impl::ListEvents, Body::kNone},
      {"GET", "/api/v1/events/{id}", true, &Impl::GetEvent, Body::kNone},
      {"GET", "/api/v1/outbox", true, &Impl::ListOutbox, Body::kNone},
      {"POST", "/api/v1/outbox/{id}/release", true, &Impl::ReleaseMessage, Body::kSmall},
      {"POST", "/api/v1/outbox/{id}/confirm", true, &Impl::ConfirmMessage, Body::kSmall},
      {"POST", "/api/v1/outbox/{id}/resend", true, &Impl::ResendMessage, Body::kSmall},
      {"GET", "/api/v1/advisories", true, &Impl::ListAdvisories, Body::kNone},
      {"POST", "/api/v1/advisories", true, &Impl::PostAdvisory, Body::kAdvisory},
      {"GET", "/api/v1/advisories/{id}", true, &Impl::GetAdvisory, Body::kNone},
      {"GET", "/api/v1/warnings", true, &Impl::ListWarnings, Body::kNone},
      {"GET", "/api/v1/warnings/{id}", true, &Impl::GetWarning, Body::kNone},
      {"GET", "/api/v1/users", true, &Impl::ListUsers, Body::kNone},
      {"POST", "/api/v1/users", true, &Impl::AddUser, Body::kSmall},
      {"POST", "/api/v1/users/{id}/disable", true, &Impl::ControlUser, Body::kSmall, "disable"},
      {"POST", "/api/v1/users/{id}/enable", true, &Impl::ControlUser, Body::kSmall, "enable"},
      {"POST", "/api/v1/users/{id}/unlock", true, &Impl::ControlUser, Body::kSmall, "unlock"},
      {"POST", "/api/v1/users/{id}/reset-totp", true, &Impl::ControlUser, Body::kSmall,
       "reset-totp"},
      {"GET", "/api/v1/organisation", false, &Impl::GetOrganisation, Body::kNone},
      {"POST", "/api/v1/session", false, &Impl::SignIn, Body::kSmall},
      {"GET", "/api/v1/session", true, &Impl::GetSession, Body::kNone},
      {"DELETE", "/api/v1/session", true, &Impl::SignOut, Body::kNone},
      {"POST", "/api/v1/session/totp", true, &Impl::OfferTotp, Body::kSmall},
      {"POST", "/api/v1/session/totp/confirm", true, &Impl::ConfirmTotp, Body::kSmall},
      {"POST", "/api/v1/session/totp/disable", true, &Impl::DisableTotp, Body::kSmall},
      {"GET", "/api/v1/session/tokens", true, &Impl::ListOwnTokens, Body::kNone},
      {"POST", "/api/v1/session/tokens", true, &Impl::CreateOwnToken, Body::kSmall},
      {"DELETE", "/api/v1/session/tokens/{id}", true, &Impl::RevokeOwnToken, Body::kNone},
  };
  return kRoutes;
}

std::vector<net::Prefix> ServerOptions::DefaultMetricsFrom() {
  return {*net::ParsePrefix("127.0.0.1/32"), *net::ParsePrefix("::1/128")};
}

Server::Server(store::Store& store, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {}
Server::~Server() = default;

Result<int> Server::Bind(const std::string& host, int port) { return impl_->Bind(host, port); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

std::vector<RouteInfo> Server::Routes() {
  std::vector<RouteInfo> routes = {
      {"GET", "/healthz"}, {"GET", "/metrics"}, {"GET", "/api/v1/openapi.json"}};
  for (const auto& route : Impl::RouteTable()) routes.push_back({route.method, route.openapi_path});
  return routes;
}

}  // namespace baken::http
