// libFuzzer target: the request bodies of the incident use cases (fields.h and the checks of
// each use case: a member's report, an analyst's incident with escalation, a change, a task, a
// journal entry, members taking part, an attachment in base64, a breach record with its details
// and an update to the AP). Whatever the JSON, each ends in a result or a refusal with its
// problems named, never a crash, an internal error or a problem without a code; the store is a
// real SQLite file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "incidents/incident_service.h"
#include "store/store.h"

namespace {

using baken::Error;
using baken::ErrorCode;
using baken::incidents::Json;

struct World {
  std::filesystem::path dir;
  std::unique_ptr<baken::store::Store> store;
  int64_t incident = 0;
};

baken::auth::Principal User(std::optional<std::string> member, baken::store::Role role,
                            std::string email) {
  baken::auth::Principal principal;
  principal.user_id = 1;
  principal.role = role;
  principal.member = std::move(member);
  principal.actor = "user:" + email;
  principal.email = std::move(email);
  return principal;
}

World& TheWorld() {
  static World* world = [] {
    auto* made = new World();
    std::string pattern = (std::filesystem::temp_directory_path() / "baken-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    made->dir = pattern;
    std::atexit([] { std::filesystem::remove_all(TheWorld().dir); });
    auto store = baken::store::Store::Open((made->dir / "baken.db").string());
    if (!store) std::abort();
    made->store = std::move(*store);
    auto tx = made->store->Begin(baken::store::Access::kWrite);
    if (!tx) std::abort();
    baken::registry::Member member;
    member.code = "GM0001";
    member.name = "Gemeente Aa";
    baken::registry::Contact contact;
    contact.name = "FG";
    contact.email = "privacy@aa.example";
    contact.roles = {baken::registry::ContactRole::kPrivacy,
                     baken::registry::ContactRole::kTrusted};
    member.contacts = {contact};
    if (!(*tx)->Members().Upsert(member, "fuzz", "2026-12-01T00:00:00Z")) std::abort();
    if (!(*tx)->Commit()) std::abort();
    return made;
  }();
  return *world;
}

// A refusal is fine; an internal error, or a refusal of the input without a code the portal can
// show in the reader's language, is not.
template <typename T>
void Check(const baken::Result<T>& result) {
  if (result) return;
  const Error& error = result.error();
  if (error.code == ErrorCode::kInternal || error.message.empty()) __builtin_trap();
  if (error.code == ErrorCode::kInvalidArgument && error.key.empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Json body = Json::parse(std::string_view(reinterpret_cast<const char*>(data), size),
                                nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  World& world = TheWorld();
  const auto clock = [] {
    return std::chrono::sys_days{std::chrono::year{2026} / 12 / 5} + std::chrono::hours{9};
  };
  baken::incidents::IncidentService service(*world.store, clock);
  const auto analyst = User(std::nullopt, baken::store::Role::kAnalyst, "soc@cert.example");
  const auto privacy = User("GM0001", baken::store::Role::kMember, "privacy@aa.example");
  if (world.incident == 0) {
    auto made = service.Create(analyst, Json{{"title", "Fuzz"}, {"members", {"GM0001"}}});
    if (!made) __builtin_trap();
    world.incident = (*made)["id"].get<int64_t>();
    if (!service.SaveBreach(privacy, world.incident, "GM0001",
                            Json{{"aware_at", "2026-12-04T08:00:00Z"},
                                 {"ap_decision", "notify"},
                                 {"ap_notified_at", "2026-12-04T09:00:00Z"}})) {
      __builtin_trap();
    }
  }
  const int64_t id = world.incident;
  Check(service.Create(privacy, body));
  Check(service.Create(analyst, body));
  Check(service.Update(analyst, id, body));
  Check(service.AddTask(analyst, id, body));
  Check(service.AddEntry(privacy, id, body));
  Check(service.AddParticipations(analyst, id, body));
  Check(service.AddAttachment(privacy, id, body));
  Check(service.SaveBreach(privacy, id, "GM0001", body));
  Check(service.AddBreachUpdate(privacy, id, "GM0001", body));
  return 0;
}
