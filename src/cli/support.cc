#include "cli/support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

namespace baken::cli {

namespace {
constexpr std::string_view kDefaultDatabase = "var/baken.db";
}  // namespace

int Fail(std::string_view message) {
  std::cerr << "baken: " << message << "\n";
  return kFailed;
}

int Fail(const Error& error) { return Fail(std::string_view(error.message)); }

void PrintJson(const registry::Json& json) { std::cout << registry::DumpJson(json, 2) << "\n"; }

std::string DatabaseLocation(const GlobalOptions& options) {
  if (!options.db.empty()) return options.db;
  if (const char* env = std::getenv("BAKEN_DB"); env != nullptr && *env != '\0') return env;
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(kDefaultDatabase).parent_path(),
                                      ignored);
  return std::string(kDefaultDatabase);
}

Result<std::unique_ptr<store::Store>> OpenStore(const GlobalOptions& options) {
  return store::Store::Open(DatabaseLocation(options));
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return InvalidArgument(fmt::format("cannot read '{}'", path));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace baken::cli
