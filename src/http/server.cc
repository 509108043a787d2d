#include "http/server.h"

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "advisories/reader.h"
#include "auth/credentials.h"
#include "common/quote.h"
#include "common/text.h"
#include "common/time.h"
#include "http/guarded_server.h"
#include "http/handler.h"
#include "incidents/incident_service.h"
#include "jobs/jobs_service.h"
#include "registry/member_json.h"
#include "service/session_service.h"

namespace baken::http {

namespace {

constexpr std::string_view kApiVersion = "1.0.0";

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
    case Body::kAttachment:
      // The file in base64 (a third larger) and its few fields: a larger one is refused unread.
      return static_cast<size_t>(incidents::kMaxAttachmentBytes) / 3 * 4 + (64 << 10);
    case Body::kReport:
      return disclosure::kMaxSubmissionBytes;
    case Body::kIntel:
      return size_t{32} << 20;
    case Body::kUpload:
      // Larger deliveries go through `baken ingest`, which reads the files where they are.
      return size_t{256} << 20;
  }
  return 0;
}

// An upload arrives at the speed of the sender's line; other bodies are small.
constexpr auto kUploadTime = std::chrono::minutes(15);

bool ChangesState(const httplib::Request& request) {
  return request.method != "GET" && request.method != "HEAD";
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
    case ErrorCode::kTooMany:
      return 429;
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
  // Every API route, each capability's from its own file of handlers.
  static const std::vector<Route>& RouteTable();

  Impl(store::Store& store, ServerOptions options)
      : store_(store),
        web_root_(std::move(options.web_root)),
        organisation_(std::move(options.organisation)),
        metrics_from_(std::move(options.metrics_from)),
        service_(store, &snapshot_),
        disclosure_(options.disclosure),
        handlers_{store_, snapshot_, service_, organisation_, disclosure_},
        metrics_(std::make_shared<prometheus::Registry>()),
        requests_(prometheus::BuildCounter()
                      .Name("baken_http_requests_total")
                      .Help("HTTP requests answered, by route and status class")
                      .Register(*metrics_)),
        members_gauge_(prometheus::BuildGauge()
                           .Name("baken_constituency_claims")
                           .Help("Approved claims in the routing snapshot, by kind")
                           .Register(*metrics_)),
        job_success_gauge_(prometheus::BuildGauge()
                               .Name("baken_job_last_success_timestamp_seconds")
                               .Help("When each scheduled job last ran well (Unix time)")
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
      UpdateJobGauges();
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
    Result<Reply> reply = Internal("the server failed to handle this request");
    try {
      reply = route.handler(handlers_, call);
    } catch (const std::exception& error) {
      // A bug, or memory ran out: the client gets a 500 problem, the transaction was rolled
      // back by its destructor, and the operator reads what happened in the log.
      // The route, not the path: a path may hold a credential (a member's feed key).
      std::cerr << fmt::format("baken serve: {} {}: unexpected error: {}\n", request.method,
                               route.openapi_path, Quote(error.what()));
    }
    if (reply) {
      status = reply->status;
      response.status = status;
      SetCommonHeaders(response);
      for (const auto& [name, value] : reply->headers) {
        // A reply's own caching replaces the common "no-store" (httplib's set_header adds).
        if (name == "Cache-Control") response.headers.erase(name);
        response.set_header(name, value);
      }
      response.set_content(reply->text ? *reply->text : registry::DumpJson(reply->body),
                           std::string(reply->content_type));
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
    if (route.body == Body::kIntel) {
      // A MISP event or STIX bundle is JSON; a block list is text.
      if (type != "application/json" && type != "text/plain" && type != "text/csv") {
        return Refusal{415, "send the document as application/json, text/plain or text/csv"};
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

  // Read at each scrape: the jobs run in other processes too (workers, serve's children).
  void UpdateJobGauges() {
    auto last = jobs::JobsService(store_).LastSuccesses();
    if (!last) return;
    for (const auto& [job, when] : *last) {
      if (const auto time = ParseUtc(when)) {
        job_success_gauge_.Add({{"job", job}})
            .Set(static_cast<double>(
                std::chrono::duration_cast<std::chrono::seconds>(time->time_since_epoch())
                    .count()));
      }
    }
  }

  store::Store& store_;
  std::string web_root_;
  Organisation organisation_;
  std::vector<net::Prefix> metrics_from_;
  routing::ConstituencyHolder snapshot_;
  service::RegistryService service_;
  disclosure::DisclosureSettings disclosure_;
  Handlers handlers_;
  std::shared_ptr<prometheus::Registry> metrics_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Gauge>& members_gauge_;
  prometheus::Family<prometheus::Gauge>& job_success_gauge_;
  GuardedServer server_{ConnectionLimits{}};
};

const std::vector<Route>& Server::Impl::RouteTable() {
  static const std::vector<Route> kRoutes = [] {
    std::vector<Route> routes;
    for (const auto* capability :
         {&RegistryRoutes(), &FeedRoutes(), &NotifyRoutes(), &AdvisoryRoutes(), &AccountRoutes(),
          &OverviewRoutes(), &IncidentRoutes(), &PartnerRoutes(), &OncallRoutes(), &JobRoutes(),
          &PagingRoutes(), &DisclosureRoutes(), &IntelRoutes()}) {
      routes.insert(routes.end(), capability->begin(), capability->end());
    }
    return routes;
  }();
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
