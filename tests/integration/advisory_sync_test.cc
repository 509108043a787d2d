// `baken advisory sync URL` against a real HTTP server on loopback that serves the CSAF
// distribution fixtures (tests/data/advisories/distribution) the way their providers do: a
// directory provider found through /.well-known, a ROLIE provider, and CISA's deviating
// changes.csv found through security.txt. The server (support/file_server.h) logs every
// request, so the tests can see what a second sync fetches again and what it does not.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "support/baken_process.h"
#include "support/cli_test.h"
#include "support/file_server.h"

namespace baken::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

std::string ReadFixture(const std::string& relative) {
  std::ifstream in(SourceDir() / "tests" / "data" / "advisories" / relative, std::ios::binary);
  EXPECT_TRUE(in) << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Hex(const unsigned char* digest, size_t size) {
  std::string hex;
  for (size_t i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}
std::string Sha512File(const std::string& body, const std::string& name) {
  unsigned char digest[crypto_hash_sha512_BYTES];
  crypto_hash_sha512(digest, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  return Hex(digest, sizeof digest) + "  " + name + "\n";
}
std::string Sha256File(const std::string& body, const std::string& name) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  return Hex(digest, sizeof digest) + "  " + name + "\n";
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class AdvisorySyncTest : public CliTest {
 protected:
  Json Sync(const std::string& url, int expected_exit = 0) {
    return BakenJson({"advisory", "sync", url}, expected_exit);
  }
  // gocsaf's directory provider, found through /.well-known, and its changes.csv.
  void ServeDirectoryListing() {
    server_.Serve("/.well-known/csaf/provider-metadata.json",
                  ReplaceAll(ReadFixture("distribution/gocsaf-directory-provider-metadata.json"),
                             "{{.URL}}", server_.Url()));
    server_.Serve("/white/changes.csv", ReadFixture("distribution/gocsaf-directory-changes.csv"));
  }
  // ... with the one advisory it lists and that advisory's SHA-512 file.
  void ServeDirectoryProvider() {
    ServeDirectoryListing();
    const std::string document = ReadFixture("csaf/avendor-advisory-0004.json");
    server_.Serve("/white/avendor-advisory-0004.json", document);
    server_.Serve("/white/avendor-advisory-0004.json.sha512",
                  Sha512File(document, "avendor-advisory-0004.json"));
  }
  std::vector<std::string> StoredIds() {
    std::vector<std::string> ids;
    for (const Json& advisory : BakenJson({"advisory", "list"})) ids.push_back(advisory["id"]);
    return ids;
  }
  FileServer server_;
};

TEST_F(AdvisorySyncTest, DirectoryProviderIsFoundAndFollowedFromWhereItStopped) {
  ServeDirectoryProvider();

  Json summary = Sync(server_.Url());  // a base URL: found through /.well-known
  EXPECT_EQ(summary["provider_metadata"], server_.Url("/.well-known/csaf/provider-metadata.json"));
  EXPECT_EQ(summary["publisher"], "ACME Inc");
  EXPECT_EQ(summary["imported"], 1);
  EXPECT_TRUE(summary["failures"].empty()) << summary.dump(2);
  EXPECT_TRUE(summary["unverified"].empty()) << summary.dump(2);
  ASSERT_EQ(summary["listings"].size(), 1u);
  EXPECT_EQ(summary["listings"][0]["kind"], "changes.csv");
  EXPECT_EQ(summary["listings"][0]["cursor_before"], nullptr);
  EXPECT_EQ(summary["listings"][0]["cursor_after"], "2020-01-01T00:00:00.000000Z");
  EXPECT_THAT(StoredIds(), Contains("Avendor-advisory-0004"));

  // The provider publishes a second advisory, without a hash file.
  server_.Serve("/white/changes.csv",
                "\"2024/bsi-2022-0001.json\",\"2024-05-01T10:00:00+02:00\"\n" +
                    ReadFixture("distribution/gocsaf-directory-changes.csv"));
  server_.Serve("/white/2024/bsi-2022-0001.json", ReadFixture("csaf/bsi-2022-0001.json"));
  server_.TakeRequests();
  Json second = Sync(server_.Url());
  EXPECT_EQ(second["imported"], 1);
  EXPECT_EQ(second["unchanged"], 0);
  EXPECT_EQ(second["listings"][0]["listed"], 2);
  EXPECT_EQ(second["listings"][0]["fetched"], 1);
  EXPECT_EQ(second["listings"][0]["cursor_before"], "2020-01-01T00:00:00.000000Z");
  EXPECT_EQ(second["listings"][0]["cursor_after"], "2024-05-01T08:00:00.000000Z");
  EXPECT_THAT(second["unverified"], Contains(server_.Url("/white/2024/bsi-2022-0001.json")));
  // The first document was not fetched again: where the listing stopped was remembered.
  std::vector<std::string> requests = server_.TakeRequests();
  EXPECT_THAT(requests, Not(Contains("/white/avendor-advisory-0004.json")));
  EXPECT_THAT(requests, Contains("/white/2024/bsi-2022-0001.json"));
  EXPECT_THAT(StoredIds(), Contains("BSI-2022-0001"));

  // A document listed late with an earlier time (within the week before the cursor) is still
  // fetched; nothing else is.
  server_.Serve("/white/changes.csv",
                "\"2024/bsi-2022-0001.json\",\"2024-05-01T10:00:00+02:00\"\n"
                "\"2024/sec-vex-2022-0001.json\",\"2024-04-29T12:00:00Z\"\n" +
                    ReadFixture("distribution/gocsaf-directory-changes.csv"));
  server_.Serve("/white/2024/sec-vex-2022-0001.json", ReadFixture("csaf/sec-vex-2022-0001.json"));
  Json third = Sync(server_.Url());
  EXPECT_EQ(third["listings"][0]["fetched"], 1);
  EXPECT_EQ(third["imported"], 1);
  EXPECT_EQ(third["listings"][0]["cursor_after"], "2024-05-01T08:00:00.000000Z");
  requests = server_.TakeRequests();
  EXPECT_THAT(requests, Contains("/white/2024/sec-vex-2022-0001.json"));
  EXPECT_THAT(requests, Not(Contains("/white/2024/bsi-2022-0001.json")));

  // Nothing new: nothing fetched.
  Json fourth = Sync(server_.Url());
  EXPECT_EQ(fourth["listings"][0]["fetched"], 0);
  EXPECT_EQ(fourth["imported"], 0);
}

TEST_F(AdvisorySyncTest, ADocumentWhoseHashDiffersIsNotImportedAndIsTriedAgain) {
  ServeDirectoryListing();
  const std::string document = ReadFixture("csaf/avendor-advisory-0004.json");
  server_.Serve("/white/avendor-advisory-0004.json", document);
  server_.Serve("/white/avendor-advisory-0004.json.sha256",
                Sha256File(document + " ", "avendor-advisory-0004.json"));  // of other bytes

  Json summary = Sync(server_.Url(), 1);
  EXPECT_EQ(summary["imported"], 0);
  ASSERT_EQ(summary["failures"].size(), 1u) << summary.dump(2);
  EXPECT_EQ(summary["failures"][0]["url"], server_.Url("/white/avendor-advisory-0004.json"));
  EXPECT_THAT(summary["failures"][0]["reason"].get<std::string>(),
              HasSubstr("SHA-256 of the document is"));
  EXPECT_THAT(summary["failures"][0]["reason"].get<std::string>(), HasSubstr("not imported"));
  EXPECT_EQ(summary["listings"][0]["failed"], 1);
  EXPECT_TRUE(StoredIds().empty());

  // The provider mends its hash file: the next sync tries the document again, though the
  // cursor has passed it.
  server_.Serve("/white/avendor-advisory-0004.json.sha256",
                Sha256File(document, "avendor-advisory-0004.json"));
  Json mended = Sync(server_.Url());
  EXPECT_EQ(mended["imported"], 1);
  EXPECT_TRUE(mended["failures"].empty());
  EXPECT_EQ(mended["listings"][0]["cursor_before"], "2020-01-01T00:00:00.000000Z");
  EXPECT_EQ(mended["listings"][0]["fetched"], 1);
}

TEST_F(AdvisorySyncTest, RolieFeedsAreFollowedAndAFailedDocumentIsTriedAgain) {
  // The OASIS examples, moved to this server; the feed's entry points at a fixture document.
  std::string metadata = ReadFixture("distribution/oasis-example-01-provider-metadata.json");
  metadata = ReplaceAll(metadata, "https://www.example.com/.well-known/csaf/",
                        server_.Url("/.well-known/csaf/"));
  Json with_amber = Json::parse(metadata);
  with_amber["distributions"][0]["rolie"]["feeds"].push_back(
      {{"summary", "TLP:AMBER"}, {"tlp_label", "AMBER"}, {"url", "feed-tlp-amber.json"}});
  server_.Serve("/.well-known/csaf/provider-metadata.json", with_amber.dump());
  server_.Serve("/.well-known/csaf/feed-tlp-amber.json", "", 403);

  Json feed = Json::parse(ReadFixture("distribution/oasis-example-01-feed-tlp-white.json"));
  Json& entry = feed["feed"]["entry"][0];
  const std::string document = ReadFixture("csaf/sec-vex-2022-0001.json");
  entry["content"]["src"] = server_.Url("/csaf/2022/sec-vex-2022-0001.json");
  entry["link"][0]["href"] = server_.Url("/csaf/2022/sec-vex-2022-0001.json");
  entry["link"][1]["href"] = server_.Url("/csaf/2022/sec-vex-2022-0001.json.sha512");
  Json missing = entry;  // a later entry whose document the server does not have
  missing["updated"] = "2022-06-01T00:00:00Z";
  missing["content"]["src"] = server_.Url("/csaf/2022/gone.json");
  missing["link"] = Json::array({{{"rel", "self"}, {"href", server_.Url("/csaf/2022/gone.json")}}});
  feed["feed"]["entry"].push_back(missing);
  server_.Serve("/.well-known/csaf/feed-tlp-white.json", feed.dump());
  server_.Serve("/csaf/2022/sec-vex-2022-0001.json", document);
  server_.Serve("/csaf/2022/sec-vex-2022-0001.json.sha512",
                Sha512File(document, "sec-vex-2022-0001.json"));

  Json summary = Sync(server_.Url("/.well-known/csaf/provider-metadata.json"), 1);
  EXPECT_EQ(summary["imported"], 1);
  ASSERT_EQ(summary["failures"].size(), 1u) << summary.dump(2);
  EXPECT_EQ(summary["failures"][0]["url"], server_.Url("/csaf/2022/gone.json"));
  EXPECT_EQ(summary["failures"][0]["reason"], "HTTP 404");
  ASSERT_EQ(summary["listings"].size(), 1u);  // the AMBER feed is skipped, and said so
  EXPECT_EQ(summary["listings"][0]["kind"], "rolie");
  EXPECT_EQ(summary["listings"][0]["cursor_after"], "2022-06-01T00:00:00.000000Z");
  bool amber_noted = false;
  for (const Json& note : summary["notes"]) {
    amber_noted |=
        note.get<std::string>().find("feed-tlp-amber.json: HTTP 403") != std::string::npos;
  }
  EXPECT_TRUE(amber_noted) << summary["notes"].dump();
  EXPECT_EQ(StoredIds(), std::vector<std::string>{"SEC-VEX-2022-0001"});

  // The missing document appears: the next run fetches it.
  server_.Serve("/csaf/2022/gone.json", ReadFixture("csaf/bsi-2022-0001.json"));
  server_.TakeRequests();
  Json second = Sync(server_.Url("/.well-known/csaf/provider-metadata.json"));
  EXPECT_EQ(second["imported"], 1);
  EXPECT_EQ(second["unchanged"], 0);
  EXPECT_TRUE(second["failures"].empty());
  EXPECT_THAT(server_.TakeRequests(), Not(Contains("/csaf/2022/sec-vex-2022-0001.json")));
}

TEST_F(AdvisorySyncTest, CisasDeviationsAreReadAndNoted) {
  // Found through security.txt; changes.csv unquoted, with paths that repeat the directory.
  server_.Serve("/security.txt", "Contact: mailto:security@example.org\nCSAF: " +
                                     server_.Url("/csaf_files/IT/white/provider-metadata.json") +
                                     "\n");
  server_.Serve("/csaf_files/IT/white/provider-metadata.json",
                Json{{"canonical_url", server_.Url("/csaf_files/IT/white/provider-metadata.json")},
                     {"publisher", {{"name", "CISA"}}},
                     {"distributions", {{{"directory_url", server_.Url("/csaf_files/IT/white/")}}}}}
                    .dump());
  server_.Serve("/csaf_files/IT/white/changes.csv",
                ReadFixture("distribution/cisa-it-white-changes.csv"));
  const std::string document = ReadFixture("csaf/va-24-201-01.json");
  server_.Serve("/csaf_files/IT/white/2024/va-24-201-01.json", document);
  server_.Serve("/csaf_files/IT/white/2024/va-24-201-01.json.sha256",
                Sha256File(document, "va-24-201-01.json"));

  Json summary = Sync(server_.Url(), 1);
  EXPECT_EQ(summary["publisher"], "CISA");
  EXPECT_EQ(summary["imported"], 1);
  EXPECT_EQ(summary["failures"].size(), 3u);  // the three documents the server lacks
  EXPECT_EQ(summary["listings"][0]["cursor_after"], "2024-10-03T16:03:00.000000Z");
  bool path_noted = false;
  for (const Json& note : summary["notes"]) {
    path_noted |=
        note.get<std::string>().find("repeats the directory's own path") != std::string::npos;
  }
  EXPECT_TRUE(path_noted) << summary["notes"].dump();
  EXPECT_EQ(StoredIds(), std::vector<std::string>{"VA-24-201-01"});
}

TEST_F(AdvisorySyncTest, AFutureTimeIsNotTheCursorAndPlainHttpElsewhereIsRefused) {
  server_.Serve("/.well-known/csaf/provider-metadata.json",
                Json{{"publisher", {{"name", "Careless"}}},
                     {"distributions",
                      {{{"directory_url", server_.Url("/white/")}},
                       {{"directory_url", "http://csaf.example.invalid/white/"}}}}}
                    .dump());
  const std::string document = ReadFixture("csaf/avendor-advisory-0004.json");
  server_.Serve("/white/changes.csv",
                "\"2099/avendor-advisory-0004.json\",\"2099-01-01T00:00:00Z\"\n");
  server_.Serve("/white/2099/avendor-advisory-0004.json", document);

  Json summary = Sync(server_.Url(), 1);
  EXPECT_EQ(summary["imported"], 1);
  ASSERT_EQ(summary["listings"].size(), 1u);
  EXPECT_EQ(summary["listings"][0]["cursor_after"], nullptr);  // 2099 would hide all else
  bool future_noted = false;
  for (const Json& note : summary["notes"]) {
    future_noted |= note.get<std::string>().find("more than a day ahead") != std::string::npos;
  }
  EXPECT_TRUE(future_noted) << summary["notes"].dump();
  ASSERT_EQ(summary["failures"].size(), 1u) << summary.dump(2);
  EXPECT_EQ(summary["failures"][0]["url"], "http://csaf.example.invalid/white/changes.csv");
  EXPECT_THAT(summary["failures"][0]["reason"].get<std::string>(),
              HasSubstr("plain http is refused"));
}

// The contract's own form: `baken advisory sync URL`, the database from BAKEN_DB, output for
// people.
TEST_F(AdvisorySyncTest, TheContractsFormSyncsAndSaysWhatItDid) {
  ServeDirectoryProvider();
  setenv("BAKEN_DB", database_.location().c_str(), 1);
  const CommandResult result = RunBaken({"advisory", "sync", server_.Url()});
  unsetenv("BAKEN_DB");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(result.out.empty());
  EXPECT_THAT(StoredIds(), Contains("Avendor-advisory-0004"));
}

TEST_F(AdvisorySyncTest, NoProviderMetadataIsAClearError) {
  const CommandResult result = Baken({"advisory", "sync", server_.Url()});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("no CSAF provider metadata found for " + server_.Url()));
  EXPECT_THAT(result.err, HasSubstr("/.well-known/csaf/provider-metadata.json (HTTP 404)"));
}

}  // namespace
}  // namespace baken::testing
