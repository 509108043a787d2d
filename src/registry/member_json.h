#ifndef BAKEN_REGISTRY_MEMBER_JSON_H_
#define BAKEN_REGISTRY_MEMBER_JSON_H_

// The registry's JSON: the member file of `baken member import/export` (see the contract in
// README.md) and the pieces the API takes and returns. Readers check every field and collect
// every problem, each a sentence that names the member code, the field and the value, so that a
// person can fix the whole file in one go. Input is untrusted: any text may be passed.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <tl/expected.hpp>

#include "common/error.h"
#include "registry/member.h"

namespace baken::registry {

using Json = nlohmann::ordered_json;
using Problems = std::vector<Error>;  // each names its place in its message

// Reads a member file. On success every member is complete and valid, its claims approved and
// canonical; otherwise all problems found. Duplicate member codes, and a netblock, AS number or
// domain listed for two members, are problems too.
tl::expected<std::vector<Member>, Problems> ParseMemberFile(std::string_view text);

// The member file for these members, with approved claims only: import(export) is a no-op.
std::string FormatMemberFile(const std::vector<Member>& members);

// How claims are shown: as plain values (the file format), or as objects with their state
// (the API, so that a member sees what is still waiting for approval).
enum class ClaimStyle { kValues, kWithState };
Json MemberToJson(const Member& member, ClaimStyle style);
Json ClaimToJson(const Claim& claim);
Json ContactToJson(const Contact& contact);
Json AssetToJson(const Asset& asset);

// The lists of one member as the API takes them (the same shapes as in the member file). `where`
// prefixes each problem (e.g. "GM0363: contacts").
tl::expected<std::vector<Contact>, Problems> ContactsFromJson(const Json& json,
                                                              std::string_view where);
tl::expected<std::vector<Asset>, Problems> AssetsFromJson(const Json& json, std::string_view where);
tl::expected<Asset, Problems> AssetFromJson(const Json& json, std::string_view where);
// Canonical claim values of one kind, in the order given.
tl::expected<std::vector<std::string>, Problems> ClaimValuesFromJson(ClaimKind kind,
                                                                     const Json& json,
                                                                     std::string_view where);

// Writes JSON text; invalid UTF-8 in values is replaced rather than thrown on.
std::string DumpJson(const Json& json, int indent = -1);

}  // namespace baken::registry

#endif  // BAKEN_REGISTRY_MEMBER_JSON_H_
