#include "work/work_service.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <unistd.h>

#include "common/json_text.h"
#include "common/quote.h"
#include "common/time.h"
#include "registry/member_json.h"
#include "service/leases.h"
#include "service/registry_service.h"

namespace baken::work {

namespace {

using registry::Json;
namespace fs = std::filesystem;

constexpr std::string_view kIngest = "ingest";
constexpr std::string_view kJob = "job";

// A file still being written into the spool: writers give it such a name and rename it when
// complete (rename is atomic within a file system).
bool Unfinished(const std::string& name) {
  return name.starts_with(".") || name.ends_with(".tmp") || name.ends_with(".part");
}

// The SHA-256 of a file's content, read in pieces (a day's feed file may be large).
Result<std::string> FileSha256(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(fmt::format("{}: cannot be read", Quote(path.string())));
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in.gcount();
    if (got > 0) {
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                                static_cast<unsigned long long>(got));
    }
  }
  if (in.bad()) return Unavailable(fmt::format("{}: read error", Quote(path.string())));
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  std::string hex;
  for (unsigned char byte : digest) hex += fmt::format("{:02x}", byte);
  return hex;
}

std::string ErrorText(const Error& error) { return error.message; }

}  // namespace

Json ReportToJson(const UnitReport& report) {
  Json json{{"kind", report.kind}, {"key", report.key}, {"state", report.state}};
  if (!report.file.empty()) json["file"] = report.file;
  if (report.error) json["error"] = *report.error;
  if (!report.detail.is_null()) json["summary"] = report.detail;
  return json;
}

// A name that is not UTF-8 (a file from a system with another encoding) with its bytes outside
// ASCII, and '%', written as %XX: the store's text (PostgreSQL's especially) and the unit's
// JSON hold UTF-8 only, and a name kept as it is would stop every scan of the spool.
std::string PercentEncodedName(std::string_view name) {
  std::string encoded;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || c == '%') {
      encoded += fmt::format("%{:02X}", byte);
    } else {
      encoded.push_back(c);
    }
  }
  return encoded;
}

// Gives a spooled file whose name is not UTF-8 its percent-encoded name, never over a file of
// that name: the new path; nullopt when another worker renamed it first; an error saying why it
// could not be renamed.
Result<std::optional<fs::path>> RenameToUtf8(const fs::path& file) {
  const fs::path target = file.parent_path() / PercentEncodedName(file.filename().string());
  if (::renameat2(AT_FDCWD, file.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
    return target;
  }
  const int error = errno;
  if (error == ENOENT) return std::optional<fs::path>();
  return Unavailable(fmt::format("{} is not UTF-8 and cannot be renamed to {} ({})",
                                 Quote(file.filename().string()), Quote(target.filename().string()),
                                 std::strerror(error)));
}

Result<bool> MoveToDone(const fs::path& file, std::string_view sha256) {
  std::error_code error;
  if (!fs::exists(file, error)) return false;
  const fs::path done = file.parent_path() / "done";
  fs::create_directories(done, error);
  if (error) {
    return Unavailable(
        fmt::format("{}: cannot be made ({})", Quote(done.string()), error.message()));
  }
  fs::path target = done / file.filename();
  if (fs::exists(target, error)) {
    target = done / fmt::format("{}.{}", file.filename().string(), sha256.substr(0, 12));
  }
  fs::rename(file, target, error);
  if (error == std::errc::no_such_file_or_directory) return false;  // another worker moved it
  if (error) {
    return Unavailable(fmt::format("{}: cannot be moved to {} ({})", Quote(file.string()),
                                   Quote(target.string()), error.message()));
  }
  return true;
}

WorkService::WorkService(store::Store& store, Clock clock, jobs::Scheduler* scheduler)
    : store_(store), clock_(std::move(clock)), scheduler_(scheduler) {}

std::string WorkService::Now() const { return FormatUtc(clock_()); }

std::string WorkService::Later(int64_t seconds) const {
  return FormatUtc(clock_() + std::chrono::seconds(seconds));
}

Status WorkService::ScheduleJobs() { return scheduler_ ? scheduler_->Schedule() : Status(); }

Result<int64_t> WorkService::ScanSpool(const WorkerSettings& settings) {
  if (!settings.spool) return 0;
  std::error_code error;
  fs::directory_iterator entries(*settings.spool, error);
  if (error) {
    return Unavailable(fmt::format("the spool {} cannot be read ({})",
                                   Quote(settings.spool->string()), error.message()));
  }
  int64_t added = 0;
  // Only the files still in the spool stay in the cache of hashes.
  std::map<std::tuple<std::string, uintmax_t, int64_t>, std::string> seen;
  for (fs::directory_entry entry : entries) {
    if (const std::string raw = entry.path().filename().string();
        !IsValidUtf8(raw) && !Unfinished(raw) && entry.is_regular_file(error)) {
      const Result<std::optional<fs::path>> renamed = RenameToUtf8(entry.path());
      if (!renamed) {
        // Said once per file (the spool is scanned every few seconds); it stays until someone
        // renames it or lets the worker do so.
        if (unrenamable_.insert(raw).second) {
          std::cerr << "baken worker: " << renamed.error().message << "\n";
        }
        continue;
      }
      if (!*renamed) continue;  // another worker renamed it
      entry = fs::directory_entry(**renamed, error);
      if (error) continue;
    }
    const std::string name = entry.path().filename().string();
    if (Unfinished(name) || !entry.is_regular_file(error)) continue;
    const uintmax_t size = entry.file_size(error);
    if (error) continue;  // gone meanwhile: another worker moved it
    const auto modified = entry.last_write_time(error);
    if (error) continue;
    const auto key = std::make_tuple(entry.path().string(), size,
                                     static_cast<int64_t>(modified.time_since_epoch().count()));
    auto known = hashes_.find(key);
    if (known == hashes_.end()) {
      auto sha256 = FileSha256(entry.path());
      if (!sha256) continue;  // gone meanwhile
      known = hashes_.emplace(key, std::move(*sha256)).first;
    }
    const std::string sha256 = known->second;
    seen.emplace(key, sha256);
    // The name is part of what a file says (a Shadowserver report type is read from it), so
    // the same rows under another name are another file; under the same name, the same one.
    const std::string unit_key = fmt::format("{}/{}", sha256, name);
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    const std::string now = Now();
    BAKEN_ASSIGN_OR_RETURN(
        const bool is_new,
        tx->Work().Add(kIngest, unit_key,
                       Json{{"path", entry.path().string()}, {"name", name}}.dump(), now, now));
    std::optional<store::WorkItem> existing;
    if (!is_new) {
      BAKEN_ASSIGN_OR_RETURN(existing, tx->Work().Find(kIngest, unit_key));
    }
    BAKEN_RETURN_IF_ERROR(tx->Commit());
    if (is_new) {
      ++added;
    } else if (existing && existing->state == store::WorkState::kDone) {
      // Its content is in the store already: a copy, or the move of a worker that stopped
      // right after it finished.
      BAKEN_RETURN_IF_ERROR(MoveToDone(entry.path(), sha256));
      seen.erase(key);
    }
  }
  hashes_ = std::move(seen);
  return added;
}

Result<bool> WorkService::Finish(const WorkerSettings& settings, const store::WorkItem& item,
                                 store::WorkState state, std::string_view run_after,
                                 const std::optional<std::string>& error,
                                 const std::optional<std::string>& result) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const bool held, tx->Work().Finish(item.id, settings.owner, state,
                                                            run_after, error, result, Now()));
  if (!held) return false;
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return true;
}

Result<std::optional<UnitReport>> WorkService::RunOne(const auth::Principal& who,
                                                      const WorkerSettings& settings,
                                                      const std::function<bool()>& stop) {
  std::optional<store::WorkItem> item;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(service::EndLeasesOfGoneProcesses(*tx, Now()));
    const store::WorkFilter filter = scheduler_
                                         ? scheduler_->Filter(/*files=*/true)
                                         : store::WorkFilter{true, std::vector<std::string>{}};
    BAKEN_ASSIGN_OR_RETURN(item,
                           tx->Work().Claim(settings.owner, Now(), Later(settings.lease_seconds),
                                            settings.max_attempts, filter));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  if (!item) return std::optional<UnitReport>();
  if (item->kind == kIngest) {
    BAKEN_ASSIGN_OR_RETURN(UnitReport report, Ingest(who, settings, *item));
    return report;
  }
  if (item->kind != kJob || scheduler_ == nullptr) {
    return Internal(fmt::format("unit {} of kind {} was taken by mistake", item->id, item->kind));
  }
  BAKEN_ASSIGN_OR_RETURN(const jobs::RunReport run, scheduler_->Run(*item, stop));
  UnitReport report{
      std::string(kJob), item->key,  run.lost ? "lost" : std::string(store::Name(run.outcome)), "",
      run.error,         run.summary};
  return report;
}

Result<UnitReport> WorkService::Ingest(const auth::Principal& who, const WorkerSettings& settings,
                                       const store::WorkItem& item) {
  UnitReport report{std::string(kIngest), item.key, "done", "", std::nullopt, Json()};
  const Json payload = Json::parse(item.payload, nullptr, false);
  const fs::path path =
      payload.is_object() ? fs::path(payload.value("path", std::string())) : fs::path();
  report.file = path.filename().string();
  const auto lost = [&] {
    report.state = "lost";
    return report;
  };
  const auto fail = [&](std::string error) -> Result<UnitReport> {
    // Tried again (by any worker) until it has had its attempts.
    const bool give_up = item.attempts >= settings.max_attempts;
    BAKEN_ASSIGN_OR_RETURN(
        const bool held,
        Finish(settings, item, give_up ? store::WorkState::kFailed : store::WorkState::kReady,
               Now(), error, std::nullopt));
    if (!held) return lost();
    report.state = give_up ? "failed" : "ready";
    report.error = std::move(error);
    return report;
  };
  std::error_code exists_error;
  if (path.empty() || !fs::exists(path, exists_error)) {
    // Never ingested by anyone (the unit is not done), and not in the spool any more.
    BAKEN_ASSIGN_OR_RETURN(
        const bool held,
        Finish(settings, item, store::WorkState::kFailed, Now(),
               fmt::format("{} is no longer in the spool", Quote(path.string())), std::nullopt));
    if (!held) return lost();
    report.state = "failed";
    report.error = fmt::format("{} is no longer in the spool", Quote(path.string()));
    return report;
  }

  // Routing as the registry is now: members may have changed since the worker started.
  service::RegistryService registry(store_, nullptr);
  auto constituency = registry.BuildConstituency();
  if (!constituency) return fail(ErrorText(constituency.error()));
  service::IngestOptions options = settings.ingest;
  bool taken_over = false;
  // The heartbeat: a file that takes long keeps its lease commit by commit (at most a second or
  // five batches apart, IngestOptions).
  options.after_batch = [&]() -> Status {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(
        const bool held, tx->Work().Renew(item.id, settings.owner, Later(settings.lease_seconds)));
    if (!held) {
      taken_over = true;
      return Unavailable(fmt::format("{} was taken over by another worker", report.file));
    }
    return tx->Commit();
  };
  service::IngestService ingest(store_, *constituency);
  auto summary = ingest.IngestFiles(who, {path.string()}, options);
  if (taken_over) return lost();
  if (!summary) return fail(ErrorText(summary.error()));
  report.detail = service::SummaryToJson(*summary);
  // Rows refused are named in the result; the file itself is done.
  BAKEN_ASSIGN_OR_RETURN(const bool held, Finish(settings, item, store::WorkState::kDone, Now(),
                                                 std::nullopt, registry::DumpJson(report.detail)));
  if (!held) return lost();
  // Done in the store first, then moved: a worker stopped in between leaves the file in the
  // spool, and the next scan moves it (its content is known and done).
  BAKEN_RETURN_IF_ERROR(MoveToDone(path, item.key));
  return report;
}

Result<UnitReport> WorkService::NotifyPass(const auth::Principal& who,
                                           const WorkerSettings& settings) {
  UnitReport report{"notify", "", "done", "", std::nullopt, Json()};
  if (!settings.notify) return report;
  service::NotifySettings notify = *settings.notify;
  notify.owner = settings.owner;
  notify.lease_seconds = settings.lease_seconds;
  notify.clock = clock_;
  service::NotifyService notifier(store_);
  BAKEN_ASSIGN_OR_RETURN(const service::NotifySummary summary, notifier.Run(who, notify));
  report.detail = service::NotifySummaryToJson(summary);
  return report;
}

}  // namespace baken::work
