#ifndef BAKEN_CLI_SUPPORT_H_
#define BAKEN_CLI_SUPPORT_H_

// What every `baken` command shares: global options, exit codes, error and JSON output, and
// opening the store.

#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"
#include "registry/member_json.h"
#include "store/store.h"

namespace baken::cli {

inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;
inline constexpr int kUsage = 2;

struct GlobalOptions {
  std::string db;
  std::string config;  // --config FILE (cli/config.h)
  bool json = false;
};

// Prints "baken: MESSAGE" on stderr and returns kFailed.
int Fail(std::string_view message);
int Fail(const Error& error);

void PrintJson(const registry::Json& json);

// --db, else $BAKEN_DB, else var/baken.db (whose folder is created on first use).
std::string DatabaseLocation(const GlobalOptions& options);
Result<std::unique_ptr<store::Store>> OpenStore(const GlobalOptions& options);

Result<std::string> ReadFile(const std::string& path);

}  // namespace baken::cli

#endif  // BAKEN_CLI_SUPPORT_H_
