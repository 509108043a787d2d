#include "cli/intake_commands.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "cli/config.h"
#include "common/json_limits.h"
#include "disclosure/report_service.h"
#include "mail/message.h"
#include "mail/openpgp.h"
#include "registry/member_json.h"
#include "service/registry_service.h"

namespace baken::cli {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// Exit statuses an MTA understands (sysexits.h): a message refused for what it is bounces to
// its sender with our sentence; a store that cannot be reached makes the MTA try again later.
constexpr int kDataError = 65;
constexpr int kTemporaryFailure = 75;

struct Intake {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const routing::Constituency> snapshot;
  Config config;
  std::optional<mail::OpenPgp> openpgp;
};

Result<Intake> OpenIntake(const GlobalOptions& options) {
  Intake intake;
  BAKEN_ASSIGN_OR_RETURN(intake.config, LoadConfig(options.config));
  BAKEN_ASSIGN_OR_RETURN(intake.store, OpenStore(options));
  service::RegistryService registry(*intake.store, nullptr);
  BAKEN_ASSIGN_OR_RETURN(intake.snapshot, registry.BuildConstituency());
  if (!intake.config.openpgp_home.empty()) intake.openpgp.emplace(intake.config.openpgp_home);
  return intake;
}

// One message: what is said of it, and its exit status.
int TakeIn(const GlobalOptions& options, Intake& intake, std::string_view raw,
           std::string_view name) {
  disclosure::ReportService reports(*intake.store, intake.config.disclosure);
  auto taken =
      reports.TakeInMail(raw, intake.openpgp ? &*intake.openpgp : nullptr, *intake.snapshot);
  if (!taken) {
    std::cerr << fmt::format("baken: {}: {}\n", name, taken.error().message);
    return taken.error().code == ErrorCode::kInvalidArgument ? kDataError : kTemporaryFailure;
  }
  if (options.json) {
    std::cout << registry::DumpJson(Json{{"message", name},
                                         {"report", taken->receipt.id},
                                         {"reference", taken->receipt.reference},
                                         {"duplicate", taken->duplicate},
                                         {"format", taken->format},
                                         {"encrypted", taken->encrypted},
                                         {"signature", taken->signature},
                                         {"sender", taken->sender}})
              << std::endl;
  } else {
    std::cout << fmt::format(
        "{}: {} {}\n", name, taken->receipt.reference,
        taken->duplicate ? "(taken in before)"
                         : fmt::format("({}{}, signature {})", taken->format,
                                       taken->encrypted ? ", encrypted" : "", taken->signature));
  }
  return kOk;
}

int MailFromStdin(const GlobalOptions& options) {
  auto intake = OpenIntake(options);
  if (!intake) {
    Fail(intake.error());
    return kTemporaryFailure;
  }
  std::string raw;
  char buffer[65536];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    raw.append(buffer, static_cast<size_t>(std::cin.gcount()));
    if (raw.size() > mail::kMaxMessageBytes) {
      std::cerr << fmt::format("baken: standard input: the message is larger than {} bytes\n",
                               mail::kMaxMessageBytes);
      return kDataError;
    }
  }
  return TakeIn(options, *intake, raw, "standard input");
}

// A Maildir folder: each message in new/ is taken in and moved to cur/, seen (":2,S") when it
// became a report, flagged (":2,F") when it was refused, so that an analyst finds it; one that
// could not be taken now (the store, GnuPG's agent) stays in new/ for the next run.
int MailFromMaildir(const GlobalOptions& options, const std::string& folder) {
  auto intake = OpenIntake(options);
  if (!intake) return Fail(intake.error());
  std::error_code error;
  std::vector<fs::path> messages;
  for (const auto& entry : fs::directory_iterator(fs::path(folder) / "new", error)) {
    std::error_code ignored;
    if (entry.is_regular_file(ignored)) messages.push_back(entry.path());
  }
  if (error) return Fail(fmt::format("{}/new: {}", folder, error.message()));
  std::sort(messages.begin(), messages.end());
  int status = kOk;
  for (const fs::path& path : messages) {
    const std::string name = path.filename().string();
    if (fs::file_size(path, error) > mail::kMaxMessageBytes) {
      std::cerr << fmt::format("baken: {}: larger than {} bytes\n", path.string(),
                               mail::kMaxMessageBytes);
      fs::rename(path, fs::path(folder) / "cur" / (name + ":2,F"), error);
      status = kFailed;
      continue;
    }
    auto raw = ReadFile(path.string());
    if (!raw) {
      std::cerr << fmt::format("baken: {}: {}\n", path.string(), raw.error().message);
      status = kFailed;
      continue;
    }
    const int taken = TakeIn(options, *intake, *raw, path.string());
    if (taken == kTemporaryFailure) {
      // Stays in new/ for the next run; the messages after it are not held up by it.
      status = kFailed;
      continue;
    }
    fs::rename(path, fs::path(folder) / "cur" / (name + (taken == kOk ? ":2,S" : ":2,F")), error);
    if (error)
      return Fail(fmt::format("{}: cannot move to cur/: {}", path.string(), error.message()));
    if (taken != kOk) status = kFailed;
  }
  return status;
}

// A partner's reports in bulk: {"reports": [submission, ...]} or a list of submissions, each
// taken in on its own (channel "partner"); the ones with problems are named by their place.
int JsonReports(const GlobalOptions& options, const std::string& file) {
  auto intake = OpenIntake(options);
  if (!intake) return Fail(intake.error());
  auto text = ReadFile(file);
  if (!text) return Fail(text.error());
  auto document = ParseJson<Json>(*text);
  if (!document) return Fail(fmt::format("{}: {}", file, document.error().message));
  const Json* list = &*document;
  if (document->is_object() && document->contains("reports")) list = &(*document)["reports"];
  if (!list->is_array()) {
    return Fail(fmt::format("{}: expected a list of reports or {{\"reports\": [...]}}", file));
  }
  disclosure::ReportService reports(*intake->store, intake->config.disclosure);
  const auth::Principal who = auth::CommandLineOperator();
  int status = kOk;
  Json out = Json::array();
  for (size_t index = 0; index < list->size(); ++index) {
    auto receipt = reports.Enter(who, (*list)[index], "partner", *intake->snapshot);
    if (!receipt) {
      std::cerr << fmt::format("baken: {}: reports[{}]: {}\n", file, index,
                               receipt.error().message);
      status = kFailed;
      continue;
    }
    if (options.json) {
      out.push_back(
          Json{{"index", index}, {"report", receipt->id}, {"reference", receipt->reference}});
    } else {
      std::cout << fmt::format("reports[{}]: {}\n", index, receipt->reference);
    }
  }
  if (options.json) PrintJson(out);
  return status;
}

}  // namespace

struct IntakeCommands::Arguments {
  std::string maildir;
  std::string file;
};

IntakeCommands::~IntakeCommands() = default;

IntakeCommands::IntakeCommands(CLI::App& app, const GlobalOptions& options, int& status)
    : arguments_(std::make_unique<Arguments>()) {
  auto* intake = app.add_subcommand("intake", "take in researchers' reports");
  intake->require_subcommand(1);
  auto* mail = intake->add_subcommand(
      "mail",
      "a report by e-mail (plain, X-ARF, OpenPGP-encrypted) from standard input, as an MTA "
      "pipe delivers it (exit 65: refused, bounce it; 75: try again later), or each new "
      "message of a Maildir folder");
  mail->add_option("--maildir", arguments_->maildir, "a Maildir folder (new/ and cur/)");
  mail->callback([this, &options, &status] {
    status = arguments_->maildir.empty() ? MailFromStdin(options)
                                         : MailFromMaildir(options, arguments_->maildir);
  });
  auto* json = intake->add_subcommand(
      "json", "a partner's reports in bulk: a JSON list of reports (as the public API takes)");
  json->add_option("FILE", arguments_->file, "the JSON file")->required();
  json->callback([this, &options, &status] { status = JsonReports(options, arguments_->file); });
}

}  // namespace baken::cli
