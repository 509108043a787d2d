#include "intel/misp_reader.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "common/text.h"
#include "common/time.h"
#include "common/tlp.h"
#include "feeds/harmonization.h"

namespace baken::intel {

namespace {

using Json = nlohmann::json;

// A text field as MISP writes it; numbers (some producers write ids and levels as numbers)
// as their decimal text; anything else as nothing.
std::optional<std::string> TextOf(const Json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  const auto found = object.find(key);
  if (found == object.end()) return std::nullopt;
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number_integer()) return std::to_string(found->get<int64_t>());
  return std::nullopt;
}

// MISP writes flags as true/false, "1"/"0" or 1/0.
bool FlagOf(const Json& object, std::string_view key) {
  const auto found = object.find(key);
  if (found == object.end()) return false;
  if (found->is_boolean()) return found->get<bool>();
  if (found->is_number_integer()) return found->get<int64_t>() != 0;
  if (found->is_string()) return *found == "1" || *found == "true";
  return false;
}

const Json& ListOf(const Json& object, std::string_view key) {
  static const Json kEmpty = Json::array();
  if (!object.is_object()) return kEmpty;
  const auto found = object.find(key);
  return found != object.end() && found->is_array() ? *found : kEmpty;
}

// "1505292548" (seconds since 1970) as a UTC time; nullopt for anything else.
std::optional<std::string> FromEpoch(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  const auto seconds = ParseInt64(*text);
  // Up to the year 2200, as ParseUtc allows.
  if (!seconds || *seconds < 0 || *seconds > 7'258'118'400) return std::nullopt;
  return FormatUtc(std::chrono::system_clock::time_point(std::chrono::seconds(*seconds)));
}

// An ISO 8601 time with any offset ("2019-06-11T08:00:00.000000+00:00") as a UTC time.
std::optional<std::string> FromIso(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  const auto normalized = feeds::NormalizeDateTime(*text);
  if (!normalized || normalized->size() < 19) return std::nullopt;
  return normalized->substr(0, 19) + "Z";
}

// The TLP a tag names: "tlp:amber", "tlp:amber+strict", TLP 1.0's "tlp:white" as CLEAR; not
// "tlp:ex:chr" or "tlp:unclear", which the MISP taxonomy carries but TLP 2.0 does not know.
std::optional<Tlp> TlpOfTag(std::string_view tag) {
  const std::string lower = AsciiLower(tag);
  if (!std::string_view(lower).starts_with("tlp:")) return std::nullopt;
  const std::string_view level = std::string_view(lower).substr(4);
  if (level == "ex:chr" || level == "unclear") return std::nullopt;
  return ParseTlp(level);
}

// MISP has no field for how long an indicator holds; Baken's exports write it as the machine tag
// baken:valid-until="2027-01-31T00:00:00Z" (intel/export_formats.h), read back here.
std::optional<std::string> ValidUntilOfTags(const std::vector<std::string>& tags) {
  static constexpr std::string_view kPrefix = "baken:valid-until=";
  for (const std::string& tag : tags) {
    std::string_view value = tag;
    if (!value.starts_with(kPrefix)) continue;
    value.remove_prefix(kPrefix.size());
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (auto until = FromIso(std::string(value))) return until;
  }
  return std::nullopt;
}

std::vector<std::string> TagNames(const Json& object) {
  std::vector<std::string> names;
  for (const Json& tag : ListOf(object, "Tag")) {
    if (auto name = TextOf(tag, "name"); name && !name->empty()) names.push_back(*name);
  }
  return names;
}

// The strictest TLP among `tags`, if any names one.
std::optional<Tlp> TlpOfTags(const std::vector<std::string>& tags) {
  std::optional<Tlp> strictest;
  for (const std::string& tag : tags) {
    if (auto tlp = TlpOfTag(tag)) strictest = strictest ? std::max(*strictest, *tlp) : *tlp;
  }
  return strictest;
}

// MISP's distribution level (0 the organisation, 1-3 communities, 4 a sharing group, 5 the
// event's) as whether it keeps something inside the CERT; nullopt for 5 (inherit) and absent.
std::optional<bool> KeepsInside(const Json& object) {
  const auto level = TextOf(object, "distribution");
  if (!level || *level == "5") return std::nullopt;
  return *level == "0" || *level == "4";
}

// The kinds of a MISP type's parts: one for a simple type, two for "filename|sha256" and the
// like (a part that is "" is not kept: a port); empty for a type with no kind here.
std::vector<std::string_view> KindsOfType(std::string_view type) {
  struct Mapping {
    std::string_view type;
    std::array<std::string_view, 2> kinds;
  };
  static constexpr Mapping kMappings[] = {
      {"ip-src", {"ip", ""}},
      {"ip-dst", {"ip", ""}},
      {"ip-src|port", {"ip", ""}},
      {"ip-dst|port", {"ip", ""}},
      {"domain", {"domain", ""}},
      {"hostname", {"host", ""}},
      {"hostname|port", {"host", ""}},
      {"domain|ip", {"domain", "ip"}},
      {"url", {"url", ""}},
      {"email", {"email", ""}},
      {"email-src", {"email", ""}},
      {"email-dst", {"email", ""}},
      {"email-reply-to", {"email", ""}},
      {"md5", {"md5", ""}},
      {"sha1", {"sha1", ""}},
      {"sha256", {"sha256", ""}},
      {"filename", {"filename", ""}},
      {"filename|md5", {"filename", "md5"}},
      {"filename|sha1", {"filename", "sha1"}},
      {"filename|sha256", {"filename", "sha256"}},
      {"AS", {"asn", ""}},
      {"vulnerability", {"cve", ""}},
      {"text", {"text", ""}},
      {"comment", {"text", ""}},
  };
  for (const Mapping& mapping : kMappings) {
    if (mapping.type != type) continue;
    std::vector<std::string_view> kinds = {mapping.kinds[0]};
    // A composite type's second part, also when it is not kept (a port).
    if (type.find('|') != std::string_view::npos) kinds.push_back(mapping.kinds[1]);
    return kinds;
  }
  return {};
}

class EventReader {
 public:
  EventReader(const Json& event, std::string where) : event_(event), where_(std::move(where)) {}

  tl::expected<IntelEvent, std::vector<std::string>> Read() {
    std::vector<std::string> reasons;
    const auto info = TextOf(event_, "info");
    if (!info || TrimBlanks(*info).empty()) {
      reasons.push_back(fmt::format("{}/info: missing; a MISP event has a title", where_));
      return tl::unexpected(std::move(reasons));
    }
    result_.title = std::string(TrimBlanks(*info));
    result_.source_id = TextOf(event_, "uuid").value_or("");
    if (auto date = TextOf(event_, "date"); date && IsValidDate(*date)) result_.date = *date;
    static constexpr std::array<std::string_view, 4> kThreatLevels = {"high", "medium", "low",
                                                                      "undefined"};
    if (auto level = ParseInt64(TextOf(event_, "threat_level_id").value_or(""));
        level && *level >= 1 && *level <= 4) {
      result_.threat_level = std::string(kThreatLevels[static_cast<size_t>(*level - 1)]);
    }
    if (event_.contains("Orgc")) result_.creator = TextOf(event_["Orgc"], "name").value_or("");
    result_.tags = TagNames(event_);
    if (auto tlp = TlpOfTags(result_.tags)) {
      result_.tlp = std::string(Name(*tlp));
      result_.tlp_given = true;
    } else {
      Problem("", "no TLP tag: read as TLP:AMBER");
    }
    // A feed's event carries no distribution: it is published for all.
    event_inside_ = KeepsInside(event_).value_or(false);
    result_.distribution = std::string(event_inside_ ? kCertOnly : kAllMembers);
    if (TextOf(event_, "distribution") == "4") {
      Problem("/distribution", "a sharing group of another MISP instance: kept inside the CERT");
    }

    const Json& attributes = ListOf(event_, "Attribute");
    for (size_t i = 0; i < attributes.size(); ++i) {
      ReadAttribute(attributes[i], fmt::format("/Attribute/{}", i), event_inside_, "", "");
    }
    const Json& objects = ListOf(event_, "Object");
    for (size_t i = 0; i < objects.size(); ++i) {
      const Json& object = objects[i];
      if (!object.is_object()) {
        Problem(fmt::format("/Object/{}", i), "not an object: left out");
        continue;
      }
      if (FlagOf(object, "deleted")) {
        ++deleted_;
        continue;
      }
      const bool inside = KeepsInside(object).value_or(event_inside_);
      const std::string group = TextOf(object, "uuid").value_or(fmt::format("object-{}", i));
      const std::string name = TextOf(object, "name").value_or("");
      const Json& parts = ListOf(object, "Attribute");
      for (size_t j = 0; j < parts.size(); ++j) {
        ReadAttribute(parts[j], fmt::format("/Object/{}/Attribute/{}", i, j), inside, group, name);
      }
    }
    proposals_ += ListOf(event_, "ShadowAttribute").size();
    if (deleted_ > 0) Problem("", fmt::format("{} deleted attributes left out", deleted_));
    if (proposals_ > 0) {
      Problem("", fmt::format("{} proposals (ShadowAttribute) left out", proposals_));
    }
    return std::move(result_);
  }

 private:
  void Problem(std::string_view place, std::string_view what) {
    result_.problems.push_back(fmt::format("{}{}: {}", where_, place, what));
  }

  void ReadAttribute(const Json& attribute, const std::string& place, bool inside_by_default,
                     const std::string& group, const std::string& group_name) {
    if (!attribute.is_object()) {
      Problem(place, "not an object: left out");
      return;
    }
    proposals_ += ListOf(attribute, "ShadowAttribute").size();
    if (FlagOf(attribute, "deleted")) {
      ++deleted_;
      return;
    }
    const auto type = TextOf(attribute, "type");
    const auto value = TextOf(attribute, "value");
    if (!type || !value || value->empty()) {
      Problem(place, "no type or value: left out");
      return;
    }
    Indicator base;
    base.for_detection = FlagOf(attribute, "to_ids");
    base.cert_only = KeepsInside(attribute).value_or(inside_by_default);
    if (base.cert_only && !inside_by_default) {
      Problem(place, "its own distribution keeps it inside the CERT");
    }
    base.comment = TextOf(attribute, "comment").value_or("");
    base.first_seen = FromIso(TextOf(attribute, "first_seen"));
    base.last_seen = FromIso(TextOf(attribute, "last_seen"));
    base.group = group;
    base.group_name = group_name;
    base.source_id = TextOf(attribute, "uuid").value_or("");
    base.source_type = *type;
    base.tags = TagNames(attribute);
    base.valid_until = ValidUntilOfTags(base.tags);
    // An attribute's own label makes it stricter, never looser, than its event.
    Tlp tlp = ParseTlp(result_.tlp).value_or(Tlp::kAmber);
    if (auto own = TlpOfTags(base.tags)) tlp = std::max(tlp, *own);
    base.tlp = std::string(Name(tlp));
    const Json& sightings = ListOf(attribute, "Sighting");
    for (size_t s = 0; s < sightings.size(); ++s) {
      ReadSighting(sightings[s], fmt::format("{}/Sighting/{}", place, s), base);
    }

    std::vector<std::string_view> kinds = KindsOfType(*type);
    std::vector<std::string> parts = {*value};
    if (kinds.size() == 2) {
      const size_t bar = value->find('|');
      if (bar == std::string::npos) {
        Problem(place, fmt::format("a {} value has two parts separated by '|'", *type));
        kinds.clear();
      } else {
        parts = {value->substr(0, bar), value->substr(bar + 1)};
      }
    } else if (kinds.size() == 1 && type->find('|') != std::string::npos) {
      parts = {value->substr(0, value->find('|'))};
    }
    if (kinds.empty()) {
      AddOther(base, *value, place, "");
      return;
    }
    for (size_t k = 0; k < kinds.size() && k < parts.size(); ++k) {
      if (kinds[k].empty()) continue;  // a port
      std::string_view kind = kinds[k];
      // MISP writes networks as ip-src/ip-dst values too.
      if (kind == "ip" && parts[k].find('/') != std::string::npos) kind = "cidr";
      auto canonical = CanonicalValue(kind, parts[k]);
      if (!canonical) {
        AddOther(base, parts[k], place,
                 fmt::format("'{}' is not a valid {} ({})", parts[k].substr(0, 100), kind,
                             canonical.error().message));
        continue;
      }
      Indicator indicator = base;
      indicator.kind = std::string(kind);
      indicator.value = std::move(*canonical);
      // The two parts of one composite attribute belong together.
      if (kinds.size() == 2 && indicator.group.empty()) indicator.group = base.source_id;
      result_.indicators.push_back(std::move(indicator));
    }
  }

  // Kept as `other`: shown to people, never in a detection export.
  void AddOther(const Indicator& base, std::string_view value, const std::string& place,
                std::string_view why) {
    auto kept = CanonicalValue("other", value);
    if (!kept) {
      Problem(place, fmt::format("the value is unusable ({}): left out", kept.error().message));
      return;
    }
    if (!why.empty()) Problem(place, fmt::format("{}: kept as other", why));
    Indicator indicator = base;
    indicator.kind = "other";
    indicator.value = std::move(*kept);
    indicator.for_detection = false;
    result_.indicators.push_back(std::move(indicator));
  }

  void ReadSighting(const Json& sighting, const std::string& place, Indicator& indicator) {
    static constexpr std::array<std::string_view, 4> kTypes = {"seen", "false_positive", "expired",
                                                               "seen"};
    const auto type = ParseInt64(TextOf(sighting, "type").value_or("0"));
    const auto at = FromEpoch(TextOf(sighting, "date_sighting"));
    if (!type || *type < 0 || *type > 3 || !at) {
      Problem(place, "a sighting without a known type or date: left out");
      return;
    }
    // Type 3 (true positive, in the RFC only) is a sighting too.
    indicator.sightings.push_back(Sighting{std::string(kTypes[static_cast<size_t>(*type)]), *at,
                                           TextOf(sighting, "source").value_or(""), 1});
  }

  const Json& event_;
  std::string where_;
  IntelEvent result_;
  bool event_inside_ = false;
  size_t deleted_ = 0;
  size_t proposals_ = 0;
};

}  // namespace

tl::expected<std::vector<IntelEvent>, Refusal> ReadMispEvents(std::string_view json_text) {
  Refusal refusal;
  if (json_text.size() > kMaxMispBytes) {
    refusal.reasons.push_back(
        fmt::format("larger than {} MiB: refused before reading", kMaxMispBytes >> 20));
    return tl::unexpected(std::move(refusal));
  }
  // A large event has thousands of attributes in one array, but no object has many keys.
  auto parsed = ParseJson<Json>(json_text);
  if (!parsed) {
    refusal.reasons.push_back(parsed.error().message);
    return tl::unexpected(std::move(refusal));
  }
  const Json& document = *parsed;
  std::vector<std::pair<const Json*, std::string>> found;
  if (document.is_object() && document.contains("response") && document["response"].is_array()) {
    const Json& response = document["response"];
    for (size_t i = 0; i < response.size(); ++i) {
      const Json& entry = response[i];
      if (entry.is_object() && entry.contains("Event") && entry["Event"].is_object()) {
        found.emplace_back(&entry["Event"], fmt::format("/response/{}/Event", i));
      } else {
        refusal.reasons.push_back(fmt::format("/response/{}: not an {{\"Event\": …}}", i));
      }
    }
  } else if (document.is_object() && document.contains("Event")) {
    if (document["Event"].is_object()) {
      found.emplace_back(&document["Event"], "/Event");
    } else {
      refusal.reasons.push_back("/Event: not an object");
    }
  } else if (document.is_object() &&
             (document.contains("info") || document.contains("Attribute"))) {
    found.emplace_back(&document, "");
  } else {
    refusal.reasons.push_back(
        "no MISP event: expected {\"Event\": …}, a bare event or {\"response\": [{\"Event\": …}]}");
  }
  std::vector<IntelEvent> events;
  for (const auto& [event, where] : found) {
    auto read = EventReader(*event, where).Read();
    if (!read) {
      refusal.reasons.insert(refusal.reasons.end(), read.error().begin(), read.error().end());
    } else {
      events.push_back(std::move(*read));
    }
  }
  if (!refusal.reasons.empty()) return tl::unexpected(std::move(refusal));
  if (events.empty()) {
    refusal.reasons.push_back("/response: no events");
    return tl::unexpected(std::move(refusal));
  }
  return events;
}

Result<std::vector<MispSharingGroup>> ReadMispSharingGroups(std::string_view json_text) {
  BAKEN_ASSIGN_OR_RETURN(const Json list, ParseJson<Json>(json_text));
  // The API answers with a list, or with {"response": [...]}.
  const Json& groups = list.is_object() ? list.value("response", Json()) : list;
  if (!groups.is_array()) return InvalidArgument("not a list of MISP sharing groups");
  std::vector<MispSharingGroup> result;
  for (size_t i = 0; i < groups.size(); ++i) {
    const Json& entry = groups[i];
    if (!entry.is_object() || !entry.contains("SharingGroup") ||
        !entry["SharingGroup"].is_object()) {
      return InvalidArgument(fmt::format("/{}: not a {{\"SharingGroup\": …}}", i));
    }
    const Json& group = entry["SharingGroup"];
    MispSharingGroup read;
    read.id = TextOf(group, "id").value_or("");
    read.uuid = TextOf(group, "uuid").value_or("");
    read.name = TextOf(group, "name").value_or("");
    read.releasability = TextOf(group, "releasability").value_or("");
    if (entry.contains("Organisation")) {
      read.owner = TextOf(entry["Organisation"], "name").value_or("");
    }
    for (const Json& member : ListOf(entry, "SharingGroupOrg")) {
      if (!member.is_object()) continue;
      read.extends = read.extends || FlagOf(member, "extend");
      if (member.contains("Organisation")) {
        if (auto name = TextOf(member["Organisation"], "name")) read.organisations.push_back(*name);
      }
    }
    if (read.name.empty()) {
      return InvalidArgument(fmt::format("/{}/SharingGroup/name: missing", i));
    }
    result.push_back(std::move(read));
  }
  return result;
}

}  // namespace baken::intel
