#ifndef BAKEN_HTTP_SERVER_H_
#define BAKEN_HTTP_SERVER_H_

// `baken serve`: the JSON API under /api/v1, /healthz, /metrics, the OpenAPI document and the
// web portal's static files, on cpp-httplib (see docs/decisions/0002-http-library.md).
//
// Requests to the API carry `Authorization: Bearer TOKEN`. What a caller may see is decided by
// auth::ScopeFor in the services; a member's user asking for another member's object gets 404,
// as if it did not exist. Errors are application/problem+json (RFC 9457).

#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "disclosure/report_service.h"
#include "net/ip_address.h"
#include "routing/constituency.h"
#include "service/registry_service.h"
#include "store/store.h"

namespace baken::http {

struct RouteInfo {
  std::string method;        // "GET", "PUT", "POST"
  std::string openapi_path;  // "/api/v1/members/{code}"
};

// Whose service this Baken is, as the portal shows it in its header and footer (the
// configuration's "organisation"); empty fields are left out.
struct Organisation {
  std::string name = "Baken";
  std::string full_name;
  std::string phone;  // the 24/7 number members call
  std::string email;
  std::string logo;  // an https:// URL or a path on this server
};

struct ServerOptions {
  // The folder of the built portal; when it does not exist, `/` shows a short page that says
  // so.
  std::string web_root = "web/dist";
  // Clients that may read /metrics without a token (a Prometheus on this machine, by default);
  // others need an analyst's or admin's API token.
  std::vector<net::Prefix> metrics_from = DefaultMetricsFrom();
  Organisation organisation;
  // The public intake of researchers' reports: its proof of work and rate limits.
  disclosure::DisclosureSettings disclosure;

  static std::vector<net::Prefix> DefaultMetricsFrom();
};

class Server {
 public:
  Server(store::Store& store, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the constituency and binds the socket. Port 0 picks a free port. Returns the port.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop is called (from any thread or a signal-watching thread).
  void Run();
  void Stop();

  // Every API route, as documented in the OpenAPI document (the test compares the two).
  static std::vector<RouteInfo> Routes();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3.0 document served at /api/v1/openapi.json.
std::string_view OpenApiDocument();

}  // namespace baken::http

#endif  // BAKEN_HTTP_SERVER_H_
