#include "cli/cli.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <pthread.h>
#include <signal.h>

#include "auth/credentials.h"
#include "cli/advisory_commands.h"
#include "cli/config.h"
#include "cli/feed_commands.h"
#include "cli/incident_commands.h"
#include "cli/intake_commands.h"
#include "cli/intel_commands.h"
#include "cli/job_commands.h"
#include "cli/migrate_command.h"
#include "cli/openpgp_commands.h"
#include "cli/ripe_commands.h"
#include "cli/support.h"
#include "common/quote.h"
#include "common/time.h"
#include "http/server.h"
#include "registry/asset_csv.h"
#include "registry/member_json.h"
#include "routing/constituency.h"
#include "service/audit.h"
#include "service/leases.h"
#include "service/registry_service.h"
#include "service/session_service.h"
#include "store/store.h"

namespace baken::cli {

namespace {

using registry::Json;

constexpr std::string_view kInitialAdmin = "admin@baken.local";

// `text` as one word for a POSIX shell, so that a printed command can be pasted as it is.
std::string ShellQuoted(std::string_view text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_./:+@=,-").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(text);
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// The words the parser could not place: when --help stops the parse, these are commands (or
// options) that do not exist.
std::string UnknownWords(const CLI::App& app) {
  return fmt::format("{}", fmt::join(app.remaining(/*recurse=*/true), " "));
}

int FailAll(std::string_view source, const registry::Problems& problems) {
  std::cerr << fmt::format("baken: {} was refused ({} problem{}); nothing was written:\n", source,
                           problems.size(), problems.size() == 1 ? "" : "s");
  for (const auto& problem : problems) std::cerr << "  " << problem.message << "\n";
  return kFailed;
}

// --- member ----------------------------------------------------------------------------------

int MemberImport(const GlobalOptions& options, const std::string& path) {
  auto text = ReadFile(path);
  if (!text) return Fail(text.error());
  auto members = registry::ParseMemberFile(*text);
  if (!members) return FailAll(path, members.error());
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::RegistryService registry(**store, nullptr);
  auto summary = registry.ImportMembers(auth::CommandLineOperator(), *members);
  if (!summary) return Fail(fmt::format("{}: {}", path, summary.error().message));
  if (options.json) {
    PrintJson(Json{{"created", summary->created},
                   {"updated", summary->updated},
                   {"unchanged", summary->unchanged}});
  } else {
    std::cout << fmt::format("{}: {} created, {} updated, {} unchanged\n", path, summary->created,
                             summary->updated, summary->unchanged);
  }
  return kOk;
}

int MemberExport(const GlobalOptions& options) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::RegistryService registry(**store, nullptr);
  auto members = registry.ListMembers(auth::CommandLineOperator());
  if (!members) return Fail(members.error());
  std::cout << registry::FormatMemberFile(*members);
  return kOk;
}

int MemberList(const GlobalOptions& options) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::RegistryService registry(**store, nullptr);
  auto members = registry.ListMembers(auth::CommandLineOperator());
  if (!members) return Fail(members.error());
  if (options.json) {
    Json list = Json::array();
    for (const auto& member : *members) {
      list.push_back(registry::MemberToJson(member, registry::ClaimStyle::kWithState));
    }
    PrintJson(Json{{"members", std::move(list)}});
    return kOk;
  }
  for (const auto& member : *members) {
    size_t pending = 0;
    for (const auto& claim : member.claims)
      pending += claim.state == registry::ClaimState::kPending;
    std::cout << fmt::format(
        "{}  {:<40} {:<20} {} contacts, {} claims ({} pending), {} assets, "
        "confirmed {}\n",
        member.code, member.name, registry::Name(member.kind), member.contacts.size(),
        member.claims.size(), pending, member.assets.size(),
        member.data_confirmed_at.value_or("never"));
  }
  return kOk;
}

int MemberImportAssets(const GlobalOptions& options, const std::string& code,
                       const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Fail(fmt::format("cannot read '{}'", path));
  auto assets = registry::ParseAssetCsv(file, path);
  if (!assets) return FailAll(path, assets.error());
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::RegistryService registry(**store, nullptr);
  if (auto status = registry.ReplaceAssets(auth::CommandLineOperator(), code, *assets); !status) {
    return Fail(status.error());
  }
  if (options.json) {
    PrintJson(Json{{"member", code}, {"assets", assets->size()}});
  } else {
    std::cout << fmt::format("{}: {} assets registered for {}\n", path, assets->size(), code);
  }
  return kOk;
}

// --- lookup ----------------------------------------------------------------------------------

int Lookup(const GlobalOptions& options, const std::string& value) {
  auto query = routing::ParseLookupQuery(value);
  if (!query) return Fail(query.error());
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::RegistryService registry(**store, nullptr);
  auto constituency = registry.BuildConstituency();
  if (!constituency) return Fail(constituency.error());
  auto match = routing::Lookup(**constituency, *query);
  if (options.json) {
    PrintJson(service::LookupToJson(**constituency, match));
  } else if (!match) {
    std::cout << fmt::format("{}: no member\n", value);
  } else {
    std::cout << fmt::format("{}: {} ({} {})\n", value, (*constituency)->MemberCode(*match),
                             routing::EvidenceName(match->reason),
                             (*constituency)->DescribeClaim(*match));
  }
  return kOk;
}

// --- user and token --------------------------------------------------------------------------

int UserResetTotp(const GlobalOptions& options, const std::string& email) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::SessionService sessions(**store);
  if (auto status = sessions.ResetTotp(auth::CommandLineOperator(), email); !status) {
    return Fail(status.error());
  }
  if (options.json) {
    PrintJson(Json{{"email", email}, {"totp", false}});
  } else {
    std::cout << fmt::format(
        "account {} signs in with its password only; it can turn the code on again\n", email);
  }
  return kOk;
}

// `baken user unlock|disable|enable`: what the account can do now, for people.
enum class AccountControl { kUnlock, kDisable, kEnable };

int UserControl(const GlobalOptions& options, const std::string& email, AccountControl control) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::SessionService sessions(**store);
  const auth::Principal who = auth::CommandLineOperator();
  const Status status = control == AccountControl::kUnlock    ? sessions.Unlock(who, email)
                        : control == AccountControl::kDisable ? sessions.Disable(who, email)
                                                              : sessions.Enable(who, email);
  if (!status) return Fail(status.error());
  if (options.json) {
    const char* key = control == AccountControl::kUnlock    ? "unlocked"
                      : control == AccountControl::kDisable ? "disabled"
                                                            : "enabled";
    PrintJson(Json{{"email", email}, {key, true}});
    return kOk;
  }
  switch (control) {
    case AccountControl::kUnlock:
      std::cout << fmt::format("account {} may sign in again from every address\n", email);
      break;
    case AccountControl::kDisable:
      std::cout << fmt::format(
          "account {} is disabled: it cannot sign in, its sessions ended and its API tokens are "
          "refused\n",
          email);
      break;
    case AccountControl::kEnable:
      std::cout << fmt::format("account {} is enabled again\n", email);
      break;
  }
  return kOk;
}

int UserAdd(const GlobalOptions& options, const auth::NewUser& input, bool password_stdin) {
  auth::NewUser user = input;
  if (!password_stdin) return Fail("give the password on standard input with --password-stdin");
  std::getline(std::cin, user.password);
  if (!user.password.empty() && user.password.back() == '\r') user.password.pop_back();
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto tx = (*store)->Begin(store::Access::kWrite);
  if (!tx) return Fail(tx.error());
  auto id = auth::AddUser(**tx, user, NowUtc());
  if (!id) return Fail(id.error());
  Json detail{{"role", store::Name(user.role)}};
  if (user.member) detail["member"] = *user.member;
  if (auto status =
          service::RecordAudit(**tx, auth::CommandLineOperator(), "user.add", user.email, detail);
      !status) {
    return Fail(status.error());
  }
  if (auto status = (*tx)->Commit(); !status) return Fail(status.error());
  if (options.json) {
    PrintJson(Json{{"id", *id}, {"email", user.email}, {"role", store::Name(user.role)}});
  } else {
    std::cout << fmt::format("account {} ({}) added\n", user.email, store::Name(user.role));
  }
  return kOk;
}

struct TokenRequest {
  std::string email;
  std::string label;
  std::optional<int64_t> expires_in_days;
  std::string expires;  // YYYY-MM-DD, or empty
};

// When a new token expires: --expires DATE (refused from 00:00 UTC that day), --expires-in
// DAYS, or nullopt for the default lifetime.
Result<std::optional<std::chrono::system_clock::time_point>> TokenExpiry(
    const TokenRequest& request, std::chrono::system_clock::time_point now) {
  using std::chrono::system_clock;
  if (!request.expires.empty()) {
    if (!IsValidDate(request.expires)) {
      return InvalidArgument(
          fmt::format("--expires {} is not a date like 2027-06-30", Quote(request.expires)));
    }
    const std::chrono::year_month_day date{
        std::chrono::year(std::stoi(request.expires.substr(0, 4))),
        std::chrono::month(static_cast<unsigned>(std::stoi(request.expires.substr(5, 2)))),
        std::chrono::day(static_cast<unsigned>(std::stoi(request.expires.substr(8, 2))))};
    return std::optional<system_clock::time_point>(std::chrono::sys_days(date));
  }
  if (request.expires_in_days) {
    return std::optional<system_clock::time_point>(now +
                                                   std::chrono::days(*request.expires_in_days));
  }
  return std::optional<system_clock::time_point>();
}

Json TokenToJson(const store::ApiToken& token, std::chrono::system_clock::time_point now) {
  return Json{{"id", token.id},
              {"email", token.email},
              {"label", token.label},
              {"created_at", token.created_at},
              {"expires_at", token.expires_at},
              {"expired", token.expires_at <= FormatUtc(now)}};
}

int TokenCreate(const GlobalOptions& options, const TokenRequest& request) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::SessionService sessions(**store);
  auto expires_at = TokenExpiry(request, sessions.Now());
  if (!expires_at) return Fail(expires_at.error());
  auto created =
      sessions.CreateToken(auth::CommandLineOperator(), request.email, request.label, *expires_at);
  if (!created) return Fail(created.error());
  if (options.json) {
    PrintJson(Json{{"token", created->token},
                   {"id", created->record.id},
                   {"expires_at", created->record.expires_at}});
  } else {
    std::cout << created->token << "\n";
    std::cerr << fmt::format("token {} for {} expires at {}; it is shown only now\n",
                             created->record.id, created->record.email, created->record.expires_at);
  }
  return kOk;
}

int TokenList(const GlobalOptions& options, const std::string& email) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::SessionService sessions(**store);
  const auto now = sessions.Now();
  auto tokens =
      sessions.ListTokens(auth::CommandLineOperator(),
                          email.empty() ? std::nullopt : std::optional<std::string_view>(email));
  if (!tokens) return Fail(tokens.error());
  if (options.json) {
    Json list = Json::array();
    for (const auto& token : *tokens) list.push_back(TokenToJson(token, now));
    PrintJson(Json{{"tokens", std::move(list)}});
    return kOk;
  }
  for (const auto& token : *tokens) {
    std::cout << fmt::format("{:>5}  {:<32} created {}  {} {}  {}\n", token.id, token.email,
                             token.created_at,
                             token.expires_at <= FormatUtc(now) ? "EXPIRED" : "expires",
                             token.expires_at, token.label.empty() ? "" : Quote(token.label));
  }
  return kOk;
}

int TokenRevoke(const GlobalOptions& options, int64_t id) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::SessionService sessions(**store);
  if (auto status = sessions.RevokeToken(auth::CommandLineOperator(), id); !status) {
    return Fail(status.error());
  }
  if (options.json) {
    PrintJson(Json{{"id", id}, {"revoked", true}});
  } else {
    std::cout << fmt::format("token {} is revoked\n", id);
  }
  return kOk;
}

// --- serve -----------------------------------------------------------------------------------

// On an empty store, an admin account with a random password, so that `make run` can be used
// at once. Returns the password, or nullopt when accounts exist.
Result<std::optional<std::string>> EnsureInitialAdmin(store::Store& store) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(int64_t users, tx->Accounts().CountUsers());
  if (users > 0) return std::optional<std::string>();
  auth::NewUser admin{std::string(kInitialAdmin), store::Role::kAdmin, std::nullopt,
                      auth::GeneratePassword()};
  BAKEN_RETURN_IF_ERROR(auth::AddUser(*tx, admin, NowUtc()));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, auth::CommandLineOperator(), "user.add",
                                             admin.email, Json{{"role", "admin"}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return std::optional<std::string>(admin.password);
}

int Serve(const GlobalOptions& options, const std::string& listen, const std::string& web_root,
          const std::vector<std::string>& metrics_from, const std::string& program, bool run_jobs) {
  http::ServerOptions serving;
  serving.web_root = web_root;
  auto config = LoadConfig(options.config);
  if (!config) return Fail(config.error());
  if (!config->organisation_name.empty()) serving.organisation.name = config->organisation_name;
  serving.organisation.full_name = config->organisation_full_name;
  serving.organisation.phone = config->organisation_phone;
  serving.organisation.email = config->organisation_email;
  serving.organisation.logo = config->organisation_logo;
  serving.disclosure = config->disclosure;
  if (!metrics_from.empty()) {
    serving.metrics_from.clear();
    for (const std::string& text : metrics_from) {
      auto prefix = net::ParsePrefix(text);
      if (!prefix) {
        std::cerr << fmt::format("baken: --metrics-from {}: {}\n", Quote(text),
                                 prefix.error().message);
        return kUsage;
      }
      serving.metrics_from.push_back(*prefix);
    }
  }
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    try {
      port = std::stoi(listen.substr(colon + 1));
    } catch (const std::exception&) {
      port = -1;
    }
  }
  if (colon == std::string::npos || port < 0 || port > 65535) {
    std::cerr << fmt::format("baken: --listen {} must be HOST:PORT\n", Quote(listen));
    return kUsage;
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }

  // Signals are taken by one thread with sigwait, so that a stop request reaches the server
  // from an ordinary thread rather than from inside a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that hangs up must not kill the server: writes then fail with EPIPE instead.
  signal(SIGPIPE, SIG_IGN);

  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto password = EnsureInitialAdmin(**store);
  if (!password) return Fail(password.error());
  http::Server server(**store, std::move(serving));
  auto bound = server.Bind(host, port);
  if (!bound) return Fail(bound.error());
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::cout << fmt::format("Baken listens on http://{}:{}\n", shown_host, *bound);
  if (*password) {
    std::cout << fmt::format(
        "First start: an admin account was created.\n"
        "  e-mail:   {}\n  password: {}\n"
        "  API token: {} --db {} token create --email {}\n",
        kInitialAdmin, **password, program, ShellQuoted(DatabaseLocation(options)), kInitialAdmin);
  }
  std::cout << std::flush;

  // Baken's own clock (decision 0019): the scheduled jobs, beside any workers on the store.
  std::atomic<bool> stopping{false};
  std::optional<jobs::Scheduler> scheduler;
  std::thread scheduler_thread;
  if (run_jobs) {
    std::optional<notify::Templates> templates;
    auto mail = NotifySettingsFrom(*config, NotifyArguments{}, &templates);
    if (!mail) return Fail(mail.error());
    scheduler.emplace(
        **store, [] { return Now(); },
        SchedulerSettingsFor(options, *config, NotifyArguments{}, mail->has_value(),
                             service::ProcessOwnerName()));
    scheduler_thread = std::thread([&] { RunScheduler(*scheduler, stopping, options.json); });
  }

  std::thread watcher([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    server.Stop();
  });
  server.Run();
  // Run returns after Stop (from the watcher) or when listening failed; wake the watcher.
  pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  stopping = true;
  if (scheduler_thread.joinable()) scheduler_thread.join();
  std::cout << "Baken stopped\n";
  return kOk;
}

}  // namespace

int Run(int argc, char** argv) {
  if (auto status = auth::InitCrypto(); !status) return Fail(status.error());

  CLI::App app{"Baken: the information system of the municipalities' sector CERT", "baken"};
  app.require_subcommand(1);
  // The global options may stand after the command too, as the contract writes them
  // (`baken lookup 192.0.2.7 --json`); subcommands inherit this.
  app.fallthrough();
  GlobalOptions options;
  app.add_option("--db", options.db,
                 "the store: a SQLite file, or postgresql://USER@HOST/DB (default "
                 "var/baken.db; the environment variable BAKEN_DB overrides the default)");
  app.add_flag("--json", options.json, "machine-readable output on stdout");
  app.add_option("--config", options.config,
                 "configuration file (JSON; default: the environment variable BAKEN_CONFIG)");
  int status = kOk;

  auto* serve = app.add_subcommand("serve", "serve the API and the web portal");
  std::string listen = "127.0.0.1:8080";
  std::string web_root = "web/dist";
  serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free port)");
  serve->add_option("--web-root", web_root, "folder of the built web portal");
  std::vector<std::string> metrics_from;
  serve->add_option("--metrics-from", metrics_from,
                    "address or CIDR range that may read /metrics without a token (repeatable; "
                    "default 127.0.0.1 and ::1)");
  const std::string program = argc > 0 ? argv[0] : "baken";
  bool no_jobs = false;
  serve->add_flag("--no-jobs", no_jobs,
                  "serve only: leave the scheduled jobs (see `baken job list`) to `baken worker`");
  serve->callback(
      [&] { status = Serve(options, listen, web_root, metrics_from, program, !no_jobs); });

  const FeedCommands feed_commands(app, options, status);
  const AdvisoryCommands advisory_commands(app, options, status);
  const MigrateCommand migrate_command(app, options, status);
  const IncidentCommands incident_commands(app, options, status);
  const JobCommands job_commands(app, options, status);
  const IntakeCommands intake_commands(app, options, status);
  const OpenPgpCommands openpgp_commands(app, options, status);
  const RipeCommands ripe_commands(app, options, status);
  const IntelCommands intel_commands(app, options, status);

  auto* member = app.add_subcommand("member", "the member registry");
  member->require_subcommand(1);
  std::string member_file;
  auto* import = member->add_subcommand("import", "create or update members from a JSON file");
  import->add_option("FILE", member_file, "member file")->required();
  import->callback([&] { status = MemberImport(options, member_file);
});
member->add_subcommand("export", "print all members as a member file")->callback([&] {
  status = MemberExport(options);
});
member->add_subcommand("list", "list the members")->callback([&] { status = MemberList(options); });
std::string asset_member;
std::string asset_file;
auto* import_assets =
    member->add_subcommand("import-assets", "replace a member's ICT inventory from a CSV file");
import_assets->add_option("--member", asset_member, "member code")->required();
import_assets->add_option("FILE", asset_file, "inventory CSV")->required();
import_assets->callback([&] { status = MemberImportAssets(options, asset_member, asset_file); });

std::string lookup_value;
auto* lookup = app.add_subcommand("lookup", "which member owns an IP address, AS or domain");
lookup->add_option("VALUE", lookup_value, "192.0.2.7, 2001:db8::1, AS64500 or example.nl")
    ->required();
lookup->callback([&] { status = Lookup(options, lookup_value); });

auto* user = app.add_subcommand("user", "accounts");
user->require_subcommand(1);
auth::NewUser new_user;
std::string role_name;
std::string user_member;
bool password_stdin = false;
auto* user_add = user->add_subcommand("add", "add an account");
user_add->add_option("--email", new_user.email, "e-mail address, used to sign in")->required();
user_add->add_option("--role", role_name, "admin, analyst or member")
    ->required()
    ->check(CLI::IsMember({"admin", "analyst", "member"}));
user_add->add_option("--member", user_member, "the member a member account belongs to");
user_add->add_flag("--password-stdin", password_stdin, "read the password from standard input");
user_add->callback([&] {
  new_user.role = store::ParseRole(role_name).value_or(store::Role::kMember);
  if (!user_member.empty()) new_user.member = user_member;
  status = UserAdd(options, new_user, password_stdin);
});
std::string control_email;
auto* user_unlock = user->add_subcommand(
    "unlock", "lift the locks set by repeated failed sign-ins, from every address");
user_unlock->add_option("--email", control_email, "the account's e-mail address")->required();
user_unlock->callback([&] {
  status = UserControl(options, control_email, AccountControl::kUnlock);
});
auto* user_disable = user->add_subcommand(
    "disable", "stop an account: no sign-in, its sessions end, its API tokens are refused");
user_disable->add_option("--email", control_email, "the account's e-mail address")->required();
user_disable->callback([&] {
  status = UserControl(options, control_email, AccountControl::kDisable);
});
auto* user_enable = user->add_subcommand("enable", "let a disabled account work again");
user_enable->add_option("--email", control_email, "the account's e-mail address")->required();
user_enable->callback([&] {
  status = UserControl(options, control_email, AccountControl::kEnable);
});
std::string reset_email;
auto* user_reset_totp = user->add_subcommand(
    "reset-totp",
    "turn off an account's second factor (a lost phone); the user can set it up again");
user_reset_totp->add_option("--email", reset_email, "the account's e-mail address")->required();
user_reset_totp->callback([&] { status = UserResetTotp(options, reset_email); });

auto* token = app.add_subcommand("token", "API tokens");
token->require_subcommand(1);
TokenRequest token_request;
int64_t expires_in_days = 0;
auto* token_create = token->add_subcommand(
    "create", "create an API token for an account (shown once; by default valid for a year)");
token_create->add_option("--email", token_request.email, "the account's e-mail address")
    ->required();
token_create->add_option("--label", token_request.label, "what the token is for");
auto* expires_in = token_create->add_option("--expires-in", expires_in_days,
                                            "days until the token is refused (1 to 1096)");
expires_in->check(CLI::Range(int64_t{1}, int64_t{auth::kMaxTokenLifetime.count()}));
token_create
    ->add_option("--expires", token_request.expires, "the day (UTC, YYYY-MM-DD) it is refused from")
    ->excludes(expires_in);
token_create->callback([&] {
  if (*expires_in) token_request.expires_in_days = expires_in_days;
  status = TokenCreate(options, token_request);
});
std::string list_email;
auto* token_list = token->add_subcommand("list", "list API tokens (never the tokens themselves)");
token_list->add_option("--email", list_email, "only this account's tokens");
token_list->callback([&] { status = TokenList(options, list_email); });
int64_t revoke_id = 0;
auto* token_revoke = token->add_subcommand("revoke", "revoke an API token: it is refused at once");
token_revoke->add_option("ID", revoke_id, "the token's id, as `baken token list` shows it")
    ->required();
token_revoke->callback([&] { status = TokenRevoke(options, revoke_id); });

try {
  app.parse(argc, argv);
} catch (const CLI::ParseError& error) {
  // `--help` after words that are no command (`baken roster list --help`) would print the
  // help of the last command that exists and succeed; say that the command does not exist.
  if (auto unknown = UnknownWords(app); !unknown.empty() && error.get_exit_code() == 0) {
    std::cerr << fmt::format("baken: {} is not a command or option of baken (see baken --help)\n",
                             Quote(unknown));
    return kUsage;
  }
  const int code = app.exit(error);
  // --help and --version are successes; everything else is bad usage.
  return code == 0 ? kOk : kUsage;
} catch (const std::exception& error) {
  // What no command expects (memory ran out, a library refused its input): said in one line
  // with the failure's exit code, not an abort. Work committed before it stays; nothing is
  // half-written, as every write is a transaction.
  return Fail(fmt::format("stopped by an unexpected error: {}", error.what()));
}
return status;
}  // namespace baken::cli

}  // namespace baken::cli
