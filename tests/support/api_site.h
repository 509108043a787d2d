#ifndef BAKEN_TESTS_SUPPORT_API_SITE_H_
#define BAKEN_TESTS_SUPPORT_API_SITE_H_

// A Baken site for tests that talk to the API: its own database (SQLite, or PostgreSQL in the
// .postgresql variant: store/test_database.h), users with API tokens made by the real `baken`,
// a real `baken serve` on loopback, and calls to it by the user's name.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "store/test_database.h"
#include "support/baken_process.h"

namespace baken::testing {

struct ApiReply {
  int status = 0;
  nlohmann::json body;  // discarded when the body was not JSON
  std::string text;
};

class ApiSite {
 public:
  // `baken --db DATABASE ARGS...`, expecting success; its stdout.
  std::string Cli(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> full = {"--db", database_.location()};
    full.insert(full.end(), args.begin(), args.end());
    const CommandResult result = RunBaken(full, input);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  // Adds an account and a token for it, which Call uses under `name`.
  void AddUser(const std::string& name, const std::string& email, const std::string& role,
               const std::string& member = "") {
    std::vector<std::string> args = {"user",   "add", "--email",         email,
                                     "--role", role,  "--password-stdin"};
    if (!member.empty()) args.insert(args.end(), {"--member", member});
    Cli(args, "correct horse battery staple\n");
    tokens_[name] =
        nlohmann::json::parse(Cli({"--json", "token", "create", "--email", email}), nullptr, false)
            .value("token", "");
  }
  // Starts `baken serve` on the database; false when it did not start.
  bool Serve(const std::vector<std::string>& extra_args = {},
             BakenServer::Jobs jobs = BakenServer::Jobs::kNone) {
    server_ = std::make_unique<BakenServer>(database_.location(), extra_args, jobs);
    return server_->running();
  }
  BakenServer& server() { return *server_; }

  // METHOD PATH as the user `who` (anonymous when empty), with a JSON body unless null.
  ApiReply Call(const std::string& method, const std::string& path, const std::string& who,
                const nlohmann::json& body = nlohmann::json()) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(30, 0);
    httplib::Headers headers;
    if (!who.empty()) headers.emplace("Authorization", "Bearer " + tokens_.at(who));
    const std::string text = body.is_null() ? "" : body.dump();
    httplib::Result result = method == "GET" ? client.Get(path, headers)
                             : method == "PUT"
                                 ? client.Put(path, headers, text, "application/json")
                                 : client.Post(path, headers, text, "application/json");
    ApiReply reply;
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return reply;
    }
    reply.status = result->status;
    reply.text = result->body;
    reply.body = nlohmann::json::parse(result->body, nullptr, false);
    return reply;
  }

  const store::testing::TestDatabase& database() const { return database_; }

 private:
  store::testing::TestDatabase database_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<BakenServer> server_;
};

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_API_SITE_H_
