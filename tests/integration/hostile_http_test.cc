// Requests no well-behaved client sends, over real sockets to a real `baken serve`: bodies that
// nest deep or hold many keys, slow and oversized requests, ambiguous framing, sign-in from
// another site, /metrics from elsewhere. After each, the server still answers others.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/test_database.h"
#include "support/baken_process.h"
#include "support/raw_connection.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

std::string Request(std::string_view head, std::string_view body = "") {
  return std::string(head) + "\r\n\r\n" + std::string(body);
}

std::string JsonPost(std::string_view path, std::string_view body,
                     std::string_view extra_headers = "") {
  return fmt::format(
      "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: {}\r\n{}\r\n{}",
      path, body.size(), extra_headers, body);
}

class HostileHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = database_.location();
    Cli({"member", "import", (SourceDir() / "tests/data/registry/members.json").string()});
    analyst_ = AddUserWithToken("analyst@cert.example.nl", "analyst", "");
    member_ = AddUserWithToken("soc@amsterdam.example.nl", "member", "GM0363");
    server_ = std::make_unique<BakenServer>(db_);
    ASSERT_TRUE(server_->running()) << "baken serve did not start";
  }
  void TearDown() override {
    // A sanitizer report at exit (a leak, a use after free) makes the exit status non-zero.
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << "baken serve did not end cleanly";
    }
  }

  std::string Cli(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> full = {"--db", db_};
    full.insert(full.end(), args.begin(), args.end());
    auto result = RunBaken(full, input);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  std::string AddUserWithToken(const std::string& email, const std::string& role,
                               const std::string& member) {
    std::vector<std::string> args = {"user",   "add", "--email",         email,
                                     "--role", role,  "--password-stdin"};
    if (!member.empty()) args.insert(args.end(), {"--member", member});
    Cli(args, "correct horse battery staple\n");
    return nlohmann::json::parse(Cli({"--json", "token", "create", "--email", email}))["token"];
  }

  // Sends `bytes` on a new connection from `from` and returns everything the server answers
  // before it closes the connection (or 20 s pass).
  std::string Exchange(std::string_view bytes, const char* from = "127.0.0.4",
                       bool* closed = nullptr) {
    RawConnection connection(server_->port(), from);
    EXPECT_TRUE(connection.connected());
    connection.Send(bytes);
    return connection.ReadUntilClosed(std::chrono::seconds(20), closed);
  }

  // The server answers a plain request from another client.
  void ExpectHealthy(const char* from = "127.0.0.3") {
    const std::string answer =
        Exchange(Request("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"), from);
    EXPECT_THAT(answer, StartsWith("HTTP/1.1 200")) << answer;
  }

  TempDir dir_;
  store::testing::TestDatabase database_;
  std::string db_;
  std::string analyst_;
  std::string member_;
  std::unique_ptr<BakenServer> server_;
};

TEST_F(HostileHttpTest, DeeplyNestedJsonIsRefusedAndTheServerGoesOn) {
  // Under the sign-in's size limit, so that the nesting itself is what is refused.
  const std::string deep(30'000, '[');
  const std::string answer = Exchange(JsonPost("/api/v1/session", deep));
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 400")) << answer.substr(0, 300);
  EXPECT_THAT(answer, HasSubstr("nests deeper than 64 levels"));
  // The same as text/plain, as the security test sent it: refused for its type, unread.
  const std::string plain = Exchange(
      fmt::format("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                  "Content-Length: {}\r\n\r\n{}",
                  deep.size(), deep));
  EXPECT_THAT(plain, StartsWith("HTTP/1.1 415")) << plain.substr(0, 300);
  // An authenticated list PUT of a megabyte of brackets.
  const std::string claims = Exchange(fmt::format(
      "PUT /api/v1/members/GM0363/netblocks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
      member_, 1'000'000, std::string(1'000'000, '[')));
  EXPECT_THAT(claims, StartsWith("HTTP/1.1 400")) << claims.substr(0, 300);
  EXPECT_THAT(claims, HasSubstr("nests deeper"));
  ExpectHealthy();
}

TEST_F(HostileHttpTest, ObjectsWithManyKeysAreRefusedQuickly) {
  std::string object = "{";
  for (int i = 0; i < 200'000; ++i) object += fmt::format("{}\"k{}\":0", i ? "," : "", i);
  object += "}";
  ASSERT_GT(object.size(), 2'000'000u);
  // Anonymous: refused for its size before a byte of it is read.
  const std::string anonymous = Exchange(JsonPost("/api/v1/session", object));
  EXPECT_THAT(anonymous, StartsWith("HTTP/1.1 413")) << anonymous.substr(0, 300);
  // A member's own list: read, and refused for its keys before any value is built.
  const std::string member = Exchange(fmt::format(
      "PUT /api/v1/members/GM0363/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
      member_, object.size(), object));
  EXPECT_THAT(member, StartsWith("HTTP/1.1 400")) << member.substr(0, 300);
  EXPECT_THAT(member, HasSubstr("more than 1000 keys"));
  ExpectHealthy();
}

TEST_F(HostileHttpTest, SlowClientsCannotHoldTheServer) {
  // One client opens as many connections as it may and sends their headers a byte at a time.
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 16; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server_->port(), "127.0.0.2"));
    ASSERT_TRUE(slow.back()->connected());
    ASSERT_TRUE(slow.back()->Send("G"));
  }
  // One more from the same address is refused at once.
  RawConnection extra(server_->port(), "127.0.0.2");
  ASSERT_TRUE(extra.connected());
  extra.Send(Request("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1"));
  EXPECT_THAT(extra.ReadUntilClosed(std::chrono::seconds(20)), StartsWith("HTTP/1.1 429"));
  // Others are served meanwhile.
  for (int i = 0; i < 5; ++i) ExpectHealthy();

  // The slow requests are cut off when their headers take too long, however steadily the
  // bytes come.
  const std::string_view rest = "ET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaa";
  std::vector<bool> closed(slow.size(), false);
  size_t still_open = slow.size();
  const auto give_up = Clock::now() + std::chrono::seconds(60);
  for (size_t step = 0; still_open > 0 && Clock::now() < give_up; ++step) {
    for (size_t i = 0; i < slow.size(); ++i) {
      if (closed[i]) continue;
      bool server_closed = false;
      slow[i]->ReadUntilClosed(std::chrono::milliseconds(1), &server_closed);
      if (server_closed || !slow[i]->Send(rest.substr(step % rest.size(), 1))) {
        closed[i] = true;
        --still_open;
      }
    }
    usleep(500'000);  // the attacker's pace, not a wait for a result
  }
  EXPECT_EQ(still_open, 0u) << "slow connections were still open after a minute";
  ExpectHealthy("127.0.0.2");
}

TEST_F(HostileHttpTest, LargeBodiesAreRefusedUnread) {
  // Only the head is sent: the answer must come without the server waiting for 300 MB.
  bool closed = false;
  const std::string anonymous = Exchange(
      "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 300000000\r\n\r\n",
      "127.0.0.4", &closed);
  EXPECT_THAT(anonymous, StartsWith("HTTP/1.1 413")) << anonymous;
  EXPECT_THAT(anonymous, HasSubstr("Connection: close"));
  EXPECT_TRUE(closed);
  // An upload route, without a token: refused before its body is read.
  const std::string upload = Exchange(
      "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
      "Content-Length: 200000000\r\n\r\n");
  EXPECT_THAT(upload, StartsWith("HTTP/1.1 401")) << upload;
  // A chunked body has no length to check up front: it is cut off at the limit.
  RawConnection chunked(server_->port(), "127.0.0.4");
  ASSERT_TRUE(chunked.connected());
  chunked.Send(
      "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n");
  const std::string chunk = fmt::format("{:x}\r\n{}\r\n", 16384, std::string(16384, ' '));
  for (int i = 0; i < 10 && chunked.Send(chunk); ++i) {
  }
  const std::string cut = chunked.ReadUntilClosed(std::chrono::seconds(20));
  EXPECT_THAT(cut, StartsWith("HTTP/1.1 413")) << cut;
  // A body on a request that takes none, and a body to a path that does not exist.
  EXPECT_THAT(Exchange(JsonPost("/api/v1/nothing-here", "{}")), StartsWith("HTTP/1.1 404"));
  EXPECT_THAT(Exchange(fmt::format("DELETE /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Authorization: Bearer {}\r\nContent-Length: 2\r\n\r\n{{}}",
                                   member_)),
              StartsWith("HTTP/1.1 400"));
  ExpectHealthy();
}

TEST_F(HostileHttpTest, AmbiguousFramingIsRefused) {
  const std::vector<std::string> heads = {
      "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 2\r\nContent-Length: 40",
      "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 2x",
      "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: -1",
      "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: gzip, chunked",
      "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nContent-Length: 2",
      "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5",
  };
  for (const std::string& head : heads) {
    bool closed = false;
    const std::string answer = Exchange(Request(head, "{}"), "127.0.0.4", &closed);
    EXPECT_THAT(answer, StartsWith("HTTP/1.1 400")) << head << "\n→ " << answer;
    EXPECT_TRUE(closed) << head;
  }
  // Framed exactly, the same request is read (and the sign-in refused for its content).
  const std::string fine = Exchange(JsonPost(
      "/api/v1/session", R"({"email": "a@b.nl", "password": "x"})", "Connection: close\r\n"));
  EXPECT_THAT(fine, StartsWith("HTTP/1.1 401")) << fine;
  ExpectHealthy();
}

TEST_F(HostileHttpTest, SignInFromAnotherSiteIsRefused) {
  const std::string body =
      R"({"email": "soc@amsterdam.example.nl", "password": "correct horse battery staple"})";
  EXPECT_THAT(Exchange(JsonPost("/api/v1/session", body, "Origin: https://evil.example\r\n")),
              StartsWith("HTTP/1.1 403"));
  EXPECT_THAT(Exchange(JsonPost("/api/v1/session", body, "Sec-Fetch-Site: cross-site\r\n")),
              StartsWith("HTTP/1.1 403"));
  EXPECT_THAT(Exchange(JsonPost("/api/v1/session", body, "Origin: null\r\n")),
              StartsWith("HTTP/1.1 403"));
  // The portal's own request: same origin.
  const std::string own = Exchange(
      JsonPost("/api/v1/session", body,
               "Origin: http://127.0.0.1\r\nSec-Fetch-Site: same-origin\r\nConnection: close\r\n"));
  EXPECT_THAT(own, StartsWith("HTTP/1.1 201")) << own;
}

TEST_F(HostileHttpTest, MetricsOnlyFromConfiguredAddressesOrForStaff) {
  const auto metrics = [&](const char* from, const std::string& token) {
    return Exchange(
        Request(fmt::format("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n{}"
                            "Connection: close",
                            token.empty() ? "" : "Authorization: Bearer " + token + "\r\n")),
        from);
  };
  EXPECT_THAT(metrics("127.0.0.1", ""), StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(metrics("127.0.0.3", ""), StartsWith("HTTP/1.1 403"));
  EXPECT_THAT(metrics("127.0.0.3", member_), StartsWith("HTTP/1.1 403"));
  EXPECT_THAT(metrics("127.0.0.3", analyst_), StartsWith("HTTP/1.1 200"));
}

}  // namespace
}  // namespace baken::testing
