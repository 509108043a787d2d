#include "store/test_database.h"

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

#include "store/sql.h"

namespace baken::store::testing {

namespace {

std::string ServerUrl() {
  const char* file = std::getenv("BAKEN_TEST_POSTGRES_URL_FILE");
  if (file == nullptr || *file == '\0') return "";
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) {
    throw std::runtime_error(fmt::format(
        "BAKEN_TEST_POSTGRES_URL_FILE names '{}', which holds no URL: did the postgres fixture "
        "start?",
        file));
  }
  return url;
}

void Execute(const std::string& url, const std::string& sql) {
  auto connection = sql::OpenPostgresql(url);
  if (!connection) throw std::runtime_error(connection.error().message);
  if (auto done = (*connection)->Execute(sql); !done) {
    throw std::runtime_error(done.error().message);
  }
}

}  // namespace

bool TestingOnPostgresql() {
  const char* file = std::getenv("BAKEN_TEST_POSTGRES_URL_FILE");
  return file != nullptr && *file != '\0';
}

TestDatabase::TestDatabase() {
  std::string pattern = (std::filesystem::temp_directory_path() / "baken-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  folder_ = pattern;
  server_url_ = ServerUrl();
  if (server_url_.empty()) {
    location_ = (folder_ / "baken.db").string();
    return;
  }
  std::random_device random;
  database_ = fmt::format("baken_test_{}_{:08x}", getpid(), random());
  Execute(
      server_url_,
      fmt::format("CREATE DATABASE {} ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0", database_));
  // The server's URL with the test's database in place of the last path part.
  const size_t slash = server_url_.rfind('/');
  const size_t query = server_url_.find('?', slash);
  location_ = server_url_.substr(0, slash + 1) + database_ +
              (query == std::string::npos ? "" : server_url_.substr(query));
}

std::string TestDatabase::LocationFor(std::string_view client) const {
  if (!postgresql()) return location_;
  const char separator = location_.find('?') == std::string::npos ? '?' : '&';
  return fmt::format("{}{}application_name={}", location_, separator, client);
}

bool TestDatabase::WaitUntilSessionsEnd(std::string_view client,
                                        std::chrono::milliseconds within) const {
  if (!postgresql()) return true;
  auto connection = sql::OpenPostgresql(server_url_);
  if (!connection) throw std::runtime_error(connection.error().message);
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    auto select = (*connection)
                      ->Prepare(
                          "SELECT count(*) FROM pg_stat_activity WHERE datname = ?1 AND "
                          "application_name = ?2");
    if (!select) throw std::runtime_error(select.error().message);
    select->Bind(1, database_).Bind(2, client);
    auto has_row = select->Step();
    if (!has_row) throw std::runtime_error(has_row.error().message);
    if (*has_row && select->ColumnInt(0) == 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TestDatabase::~TestDatabase() {
  if (!database_.empty()) {
    try {
      Execute(server_url_, fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", database_));
    } catch (const std::exception&) {
      // The server is thrown away after the run anyway.
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

}  // namespace baken::store::testing
