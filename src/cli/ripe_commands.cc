#include "cli/ripe_commands.h"

#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time.h"
#include "disclosure/ripe_abuse.h"
#include "net/ip_address.h"
#include "store/ripe_repository.h"

namespace baken::cli {

namespace {

int Load(const GlobalOptions& options, const std::vector<std::string>& files) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto loaded = disclosure::LoadRipeDump(**store, files, auth::CommandLineOperator(), NowUtc());
  if (!loaded) return Fail(loaded.error());
  if (options.json) {
    PrintJson({{"ranges", loaded->ranges},
               {"organisations", loaded->organisations},
               {"roles", loaded->roles},
               {"objects", loaded->objects},
               {"refused", loaded->refused},
               {"problems", loaded->problems}});
    return kOk;
  }
  std::cout << fmt::format(
      "{} objects read: {} ranges, {} organisations and {} roles kept; {} refused\n",
      loaded->objects, loaded->ranges, loaded->organisations, loaded->roles, loaded->refused);
  for (const std::string& problem : loaded->problems) std::cerr << "baken: " << problem << "\n";
  return kOk;
}

int Lookup(const GlobalOptions& options, const std::string& text) {
  const auto address = net::IpAddress::Parse(text);
  if (!address) return Fail(fmt::format("'{}' is not an IP address", text));
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto tx = (*store)->Begin(store::Access::kRead);
  if (!tx) return Fail(tx.error());
  auto load = (*tx)->Ripe().LastLoad();
  if (!load) return Fail(load.error());
  if (!*load) return Fail("no RIPE data loaded: see `baken ripe load`");
  auto contact = (*tx)->Ripe().AbuseContactFor(*address);
  if (!contact) return Fail(contact.error());
  if (options.json) {
    registry::Json out = {{"address", address->ToString()}, {"data_of", (*load)->loaded_at}};
    if (*contact) {
      out["mailbox"] = (*contact)->mailbox;
      out["abuse_c"] = (*contact)->role;
      out["object"] = (*contact)->object;
      out["org"] = (*contact)->org ? registry::Json((*(*contact)->org)) : registry::Json();
    } else {
      out["mailbox"] = nullptr;
    }
    PrintJson(out);
    return kOk;
  }
  if (!*contact) {
    std::cout << fmt::format("{}: no abuse contact in the RIPE data of {}\n", address->ToString(),
                             (*load)->loaded_at);
    return kOk;
  }
  std::cout << fmt::format(
      "{}: {} ({}{}, {})\n", address->ToString(), (*contact)->mailbox, (*contact)->role,
      (*contact)->org ? " of " + *(*contact)->org : std::string(), (*contact)->object);
  return kOk;
}

}  // namespace

struct RipeCommands::Arguments {
  std::vector<std::string> files;
  std::string address;
};

RipeCommands::~RipeCommands() = default;

RipeCommands::RipeCommands(CLI::App& app, const GlobalOptions& options, int& status)
    : arguments_(std::make_unique<Arguments>()) {
  auto* ripe = app.add_subcommand(
      "ripe", "the RIPE database's abuse contacts, for reports that reach no member");
  ripe->require_subcommand(1);
  auto* load = ripe->add_subcommand(
      "load",
      "replace the RIPE data with dump files (ripe.db.inetnum.gz, ripe.db.inet6num.gz, "
      "ripe.db.organisation.gz, ripe.db.role.gz)");
  load->add_option("FILE", arguments_->files, "dump files, gzip or plain, in any order")
      ->required();
  load->callback([this, &options, &status] { status = Load(options, arguments_->files); });
  auto* lookup = ripe->add_subcommand("lookup", "the abuse contact the RIPE data gives an address");
  lookup->add_option("ADDRESS", arguments_->address, "an IPv4 or IPv6 address")->required();
  lookup->callback([this, &options, &status] { status = Lookup(options, arguments_->address); });
}

}  // namespace baken::cli
