#ifndef BAKEN_STORE_TEST_DATABASE_H_
#define BAKEN_STORE_TEST_DATABASE_H_

// A database of its own for one test, on the engine the test run is for: a SQLite file in a
// fresh folder, or, when ctest runs the PostgreSQL variant of a test (cmake/modules.cmake
// baken_postgres_tests sets BAKEN_TEST_POSTGRES_URL_FILE), a fresh database on the throw-away
// test server. Both are removed when the test ends.

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace baken::store::testing {

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // What Store::Open and `baken --db` take: a file path or a postgresql:// URL.
  const std::string& location() const { return location_; }
  bool postgresql() const { return !database_.empty(); }
  // A fresh folder for the test's other files (also on PostgreSQL).
  const std::filesystem::path& folder() const { return folder_; }

  // The location for one of the test's processes: on PostgreSQL its sessions carry `client` as
  // their application_name, so the test can tell them apart; on SQLite the location itself.
  std::string LocationFor(std::string_view client) const;
  // Waits until the PostgreSQL server has no session of `client` left. A killed process's
  // session ends only once the server has finished what the process sent before it died (a
  // COMMIT may still land after the kill), so only then does the store show where the kill
  // landed. True at once on SQLite; false when a session outlived `within`.
  bool WaitUntilSessionsEnd(std::string_view client, std::chrono::milliseconds within) const;

 private:
  std::filesystem::path folder_;
  std::string server_url_;  // the test server's own database, to create and drop from
  std::string database_;    // the test's database on it
  std::string location_;
};

// True when this test run is the PostgreSQL variant.
bool TestingOnPostgresql();

}  // namespace baken::store::testing

#endif  // BAKEN_STORE_TEST_DATABASE_H_
