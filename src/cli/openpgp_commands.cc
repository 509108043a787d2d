#include "cli/openpgp_commands.h"

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "auth/principal.h"
#include "cli/config.h"
#include "common/text.h"
#include "common/time.h"
#include "mail/openpgp.h"
#include "net/email.h"
#include "service/audit.h"
#include "store/openpgp_key_repository.h"

namespace baken::cli {

namespace {

constexpr size_t kMaxKeyBytes = size_t{256} << 10;

// One public key from FILE, on file for each address of its user ids (or only `email`). A
// different key already on file for one of them is replaced only when asked (`replace`): a key
// that names someone else's address would otherwise take their mail over unseen.
int Import(const GlobalOptions& options, const std::string& file, const std::string& email,
           bool replace) {
  auto config = LoadConfig(options.config);
  if (!config) return Fail(config.error());
  if (config->openpgp_home.empty()) {
    return Fail("openpgp.home is not set in the configuration: a GnuPG home is needed");
  }
  auto armored = ReadFile(file);
  if (!armored) return Fail(armored.error());
  if (armored->size() > kMaxKeyBytes) {
    return Fail(fmt::format("{}: larger than {} bytes", file, kMaxKeyBytes));
  }
  const mail::OpenPgp openpgp(config->openpgp_home);
  auto keys = openpgp.Inspect(*armored);
  if (!keys) return Fail(fmt::format("{}: {}", file, keys.error().message));
  if (keys->size() != 1) {
    return Fail(fmt::format("{}: holds {} keys; give one key per file", file, keys->size()));
  }
  const mail::OpenPgp::KeyInfo& key = keys->front();
  if (!key.usable) {
    return Fail(fmt::format("{}: key {} cannot be encrypted to (revoked, expired or sign-only)",
                            file, key.fingerprint));
  }
  std::vector<std::string> addresses;
  for (const std::string& address : key.emails) {
    if (net::IsValidEmailAddress(address) && (email.empty() || address == AsciiLower(email))) {
      addresses.push_back(address);
    }
  }
  if (addresses.empty()) {
    return Fail(
        email.empty()
            ? fmt::format("{}: key {} has no user id with an e-mail address", file, key.fingerprint)
            : fmt::format("{}: key {} is not for {}", file, key.fingerprint, email));
  }
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto tx = (*store)->Begin(store::Access::kWrite);
  if (!tx) return Fail(tx.error());
  const auth::Principal who = auth::CommandLineOperator();
  for (const std::string& address : addresses) {
    auto existing = (*tx)->OpenPgpKeys().KeyFor(address);
    if (!existing) return Fail(existing.error());
    if (*existing && (*existing)->fingerprint != key.fingerprint) {
      if (!replace) {
        return Fail(
            fmt::format("{}: {} already has key {} on file; give --replace to put {} in its place",
                        file, address, (*existing)->fingerprint, key.fingerprint));
      }
      std::cout << fmt::format("{}: replaces {}\n", address, (*existing)->fingerprint);
    }
    const store::OpenPgpKey record{address, key.fingerprint, *armored, who.actor, NowUtc()};
    if (auto put = (*tx)->OpenPgpKeys().Put(record); !put) return Fail(put.error());
    if (auto audited = service::RecordAudit(**tx, who, "openpgp.key_import", "email:" + address,
                                            {{"fingerprint", key.fingerprint}});
        !audited) {
      return Fail(audited.error());
    }
  }
  if (auto committed = (*tx)->Commit(); !committed) return Fail(committed.error());
  for (const std::string& address : addresses) {
    std::cout << fmt::format("{}: {}\n", address, key.fingerprint);
  }
  return kOk;
}

int List(const GlobalOptions& options) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto tx = (*store)->Begin(store::Access::kRead);
  if (!tx) return Fail(tx.error());
  auto keys = (*tx)->OpenPgpKeys().List();
  if (!keys) return Fail(keys.error());
  if (options.json) {
    registry::Json out = registry::Json::array();
    for (const auto& key : *keys) {
      out.push_back({{"email", key.email},
                     {"fingerprint", key.fingerprint},
                     {"added_by", key.added_by},
                     {"added_at", key.added_at}});
    }
    PrintJson(out);
    return kOk;
  }
  for (const auto& key : *keys) {
    std::cout << fmt::format("{}  {}  (added {} by {})\n", key.email, key.fingerprint, key.added_at,
                             key.added_by);
  }
  return kOk;
}

int Remove(const GlobalOptions& options, const std::string& email) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto tx = (*store)->Begin(store::Access::kWrite);
  if (!tx) return Fail(tx.error());
  auto removed = (*tx)->OpenPgpKeys().Remove(email);
  if (!removed) return Fail(removed.error());
  if (!*removed) return Fail(fmt::format("no key on file for {}", email));
  if (auto audited = service::RecordAudit(**tx, auth::CommandLineOperator(), "openpgp.key_remove",
                                          "email:" + email, {});
      !audited) {
    return Fail(audited.error());
  }
  if (auto committed = (*tx)->Commit(); !committed) return Fail(committed.error());
  return kOk;
}

}  // namespace

struct OpenPgpCommands::Arguments {
  std::string file;
  std::string email;
  bool replace = false;
};

OpenPgpCommands::~OpenPgpCommands() = default;

OpenPgpCommands::OpenPgpCommands(CLI::App& app, const GlobalOptions& options, int& status)
    : arguments_(std::make_unique<Arguments>()) {
  auto* openpgp = app.add_subcommand(
      "openpgp", "contacts' OpenPGP public keys: mail to them is encrypted (openpgp.sign_as)");
  openpgp->require_subcommand(1);
  auto* import = openpgp->add_subcommand(
      "import", "put a public key on file for the addresses of its user ids");
  import->add_option("FILE", arguments_->file, "one armored public key")->required();
  import->add_option("--email", arguments_->email, "only for this address of the key");
  import->add_flag("--replace", arguments_->replace,
                   "replace a different key already on file for the address");
  import->callback([this, &options, &status] {
    status = Import(options, arguments_->file, arguments_->email, arguments_->replace);
});
openpgp->add_subcommand("list", "the keys on file")->callback([&options, &status] {
  status = List(options);
});
auto* remove = openpgp->add_subcommand("remove", "take an address's key off file");
remove->add_option("--email", arguments_->email, "the address")->required();
remove->callback([this, &options, &status] { status = Remove(options, arguments_->email); });
}  // namespace baken::cli

}  // namespace baken::cli
