// Baken's own clock over a real `baken serve` (decision 0019), on both engines: the server runs
// its scheduled jobs, each in a child `baken job run`; a job that hangs (an advisory provider
// that never answers, on loopback) is cut off at its time limit and tried again after a
// backoff; analysts see the jobs and their runs, a member's user does not; /metrics shows when
// each job last ran well; two servers on one database never run a job at the same time.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "support/api_site.h"
#include "support/baken_process.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;
using std::chrono::seconds;

// A CSAF provider's web server that takes requests and never answers them (until the test
// ends): what a hung job looks like from the inside.
class SilentProvider {
 public:
  SilentProvider() {
    server_.set_read_timeout(5, 0);
    server_.Get(".*", [this](const httplib::Request&, httplib::Response& response) {
      std::unique_lock lock(mutex_);
      ++requests_;
      released_.wait_for(lock, seconds(60), [this] { return done_; });
      response.status = 503;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~SilentProvider() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    released_.notify_all();
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return fmt::format("http://127.0.0.1:{}/.well-known/csaf/provider-metadata.json", port_);
  }
  int requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool done_ = false;
  int requests_ = 0;
};

class JobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.AddUser("anna", "anna@cert.example.nl", "analyst");
    site_.Cli({"member", "import", (SourceDir() / "tests/data/incidents/members.json").string()});
    site_.AddUser("member", "trusted@aa.example.nl", "member", "GM0001");
  }
  std::string WriteConfig(const Json& config) {
    const std::string path = (site_.database().folder() / "baken.json").string();
    std::ofstream(path) << config.dump(2);
    return path;
  }
  // GET /api/v1/jobs until `done` holds for it, at most a minute.
  template <class Done>
  Json WaitForJobs(Done done) {
    Json jobs;
    const auto give_up = std::chrono::steady_clock::now() + seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
      const ApiReply reply = site_.Call("GET", "/api/v1/jobs", "anna");
      EXPECT_EQ(reply.status, 200) << reply.text;
      jobs = reply.body;
      if (done(jobs)) return jobs;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    ADD_FAILURE() << "the jobs did not get there in a minute: " << jobs.dump(2);
    return jobs;
  }
  static const Json* FindJob(const Json& jobs, const std::string& name) {
    for (const Json& job : jobs["jobs"]) {
      if (job["name"] == name) return &job;
    }
    return nullptr;
  }
  static std::vector<Json> RunsOf(const Json& jobs, const std::string& name) {
    std::vector<Json> runs;
    for (const Json& run : jobs["runs"]) {
      if (run["job"] == name) runs.push_back(run);
    }
    return runs;
  }

  ApiSite site_;
};

TEST_F(JobsTest, ServeRunsItsJobsAndCutsOffOneThatHangs) {
  SilentProvider provider;
  const std::string config =
      WriteConfig({{"advisories", {{"providers", {provider.url()}}}},
                   {"jobs", {{"advisory_sync", {{"every_seconds", 3600}, {"limit_seconds", 2}}}}}});
  ASSERT_TRUE(site_.Serve({"--config", config}, BakenServer::Jobs::kScheduled));

  const Json jobs = WaitForJobs([](const Json& now) {
    const auto finished = [&](const std::string& name) {
      for (const Json& run : now["runs"]) {
        if (run["job"] == name && run["outcome"] != "running") return true;
      }
      return false;
    };
    return finished("retention") && finished("advisory_sync");
  });
  // No mail server in the configuration: no notify job.
  EXPECT_EQ(FindJob(jobs, "notify"), nullptr);

  const auto retention = RunsOf(jobs, "retention");
  ASSERT_EQ(retention.size(), 1u) << jobs.dump(2);
  EXPECT_EQ(retention[0]["outcome"], "ok");
  EXPECT_EQ(retention[0]["summary"]["removed"], 0);
  EXPECT_TRUE(retention[0]["finished_at"].is_string());
  const Json* retention_job = FindJob(jobs, "retention");
  ASSERT_NE(retention_job, nullptr);
  EXPECT_EQ((*retention_job)["last_success"], retention[0]["finished_at"]);
  EXPECT_EQ((*retention_job)["failures_in_a_row"], 0);

  // The provider took the request and kept silent: the run was cut off at its limit, and the
  // job comes back after the first backoff, not in an hour.
  EXPECT_GE(provider.requests(), 1);
  const auto sync = RunsOf(jobs, "advisory_sync");
  ASSERT_EQ(sync.size(), 1u) << jobs.dump(2);
  EXPECT_EQ(sync[0]["outcome"], "cut_off");
  EXPECT_THAT(sync[0]["error"].get<std::string>(), HasSubstr("cut off after 2 s"));
  const Json* sync_job = FindJob(jobs, "advisory_sync");
  ASSERT_NE(sync_job, nullptr);
  EXPECT_EQ((*sync_job)["failures_in_a_row"], 1);
  EXPECT_TRUE((*sync_job)["last_success"].is_null());
  const auto finished = ParseUtc(sync[0]["finished_at"].get<std::string>());
  const auto next = ParseUtc((*sync_job)["next_run"].get<std::string>());
  ASSERT_TRUE(finished && next);
  EXPECT_LE(*next - *finished, seconds(31));
  EXPECT_GE(*next - *finished, seconds(29));

  // One job's runs; a job that does not exist; a member's user.
  const ApiReply only = site_.Call("GET", "/api/v1/jobs?job=retention&limit=5", "anna");
  ASSERT_EQ(only.status, 200);
  ASSERT_EQ(only.body["runs"].size(), 1u);
  EXPECT_EQ(only.body["runs"][0]["job"], "retention");
  EXPECT_EQ(site_.Call("GET", "/api/v1/jobs?job=backup", "anna").status, 400);
  EXPECT_EQ(site_.Call("GET", "/api/v1/jobs", "member").status, 403);
  EXPECT_EQ(site_.Call("GET", "/api/v1/jobs", "").status, 401);

  // /metrics (open to loopback) says when retention last ran well, and nothing for the job
  // that never did.
  const ApiReply metrics = site_.Call("GET", "/metrics", "");
  ASSERT_EQ(metrics.status, 200);
  const auto seconds_since_epoch = std::chrono::duration_cast<seconds>(
      ParseUtc(retention[0]["finished_at"].get<std::string>())->time_since_epoch());
  EXPECT_THAT(metrics.text,
              HasSubstr(fmt::format("baken_job_last_success_timestamp_seconds{{job=\"retention\"}} "
                                    "{}",
                                    seconds_since_epoch.count())));
  EXPECT_THAT(metrics.text, ::testing::Not(HasSubstr("job=\"advisory_sync\"")));

  // The command line shows the same record.
  const Json listed = Json::parse(site_.Cli({"--json", "job", "list"}));
  EXPECT_EQ(RunsOf(listed, "retention").size(), 1u);
  EXPECT_EQ(RunsOf(listed, "advisory_sync").size(), 1u);
}

TEST_F(JobsTest, TwoServersOnOneDatabaseNeverRunAJobAtTheSameTime) {
  // Retention every second, each run taking a while (the sanitizer build starts slowly): the
  // two servers compete for it all the time.
  const std::string config =
      WriteConfig({{"jobs", {{"retention", {{"every_seconds", 1}, {"limit_seconds", 60}}}}}});
  ASSERT_TRUE(site_.Serve({"--config", config}, BakenServer::Jobs::kScheduled));
  BakenServer second(site_.database().location(), {"--config", config},
                     BakenServer::Jobs::kScheduled);
  ASSERT_TRUE(second.running());
  const Json jobs = WaitForJobs([](const Json& now) {
    int finished = 0;
    for (const Json& run : now["runs"]) {
      finished += run["job"] == "retention" && run["outcome"] == "ok";
    }
    return finished >= 8;
  });
  EXPECT_EQ(second.Stop(), 0);

  // In the order they started, each run began when the one before had ended.
  std::vector<Json> runs = RunsOf(jobs, "retention");
  std::reverse(runs.begin(), runs.end());
  ASSERT_GE(runs.size(), 8u);
  for (size_t i = 1; i < runs.size(); ++i) {
    if (runs[i - 1]["outcome"] == "running") {
      ADD_FAILURE() << "run " << runs[i]["id"] << " started while " << runs[i - 1]["id"]
                    << " still ran";
      continue;
    }
    EXPECT_GE(runs[i]["started_at"].get<std::string>(),
              runs[i - 1]["finished_at"].get<std::string>())
        << runs[i].dump() << " overlaps " << runs[i - 1].dump();
  }
}

}  // namespace
}  // namespace baken::testing
