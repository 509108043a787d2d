#ifndef BAKEN_TESTS_SUPPORT_CLI_TEST_H_
#define BAKEN_TESTS_SUPPORT_CLI_TEST_H_

// A GoogleTest fixture for tests that run the real `baken` against their own database (a SQLite
// file, or a PostgreSQL database in the .postgresql variant: store/test_database.h) and a fresh
// folder: `Baken(args)` runs `baken --db DATABASE ARGS`, `BakenJson` adds --json, checks the exit
// status and parses the output.

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/test_database.h"
#include "support/baken_process.h"

namespace baken::testing {

class CliTest : public ::testing::Test {
 protected:
  CommandResult Baken(std::vector<std::string> args, const std::string& input = "",
                      int timeout_seconds = 60) {
    args.insert(args.begin(), {"--db", database_.location()});
    return RunBaken(args, input, timeout_seconds);
  }
  // The parsed output (discarded JSON when it is not JSON), after checking the exit status.
  nlohmann::json BakenJson(std::vector<std::string> args, int expected_exit = 0) {
    args.insert(args.begin(), "--json");
    const CommandResult result = Baken(args);
    EXPECT_EQ(result.exit_code, expected_exit) << result.err << result.out;
    return nlohmann::json::parse(result.out, nullptr, false);
  }
  // Writes a file into the test's folder; returns its path.
  std::string Write(const std::string& name, std::string_view text) {
    std::ofstream(dir_.File(name), std::ios::binary) << text;
    return dir_.File(name);
  }

  TempDir dir_;
  store::testing::TestDatabase database_;
};

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_CLI_TEST_H_
