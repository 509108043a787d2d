// The identifiers every writer shares, and the MISP writers (event, events, feed).

#include "intel/export_formats.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "common/text.h"
#include "common/time.h"
#include "intel/export_internal.h"
#include "intel/misp_feed.h"
#include "registry/member_json.h"

namespace baken::intel {

namespace export_detail {

std::optional<std::string> UuidInSourceId(std::string_view source_id) {
  if (IsUuid(source_id)) return AsciiLower(source_id);
  const size_t dashes = source_id.rfind("--");
  if (dashes != std::string_view::npos && IsUuid(source_id.substr(dashes + 2))) {
    return AsciiLower(source_id.substr(dashes + 2));
  }
  return std::nullopt;
}

bool IsRfcUuid(std::string_view uuid) {
  if (!IsUuid(uuid)) return false;
  const char version = uuid[14];
  const char variant = static_cast<char>(AsciiLower(uuid.substr(19, 1))[0]);
  return version >= '1' && version <= '5' &&
         (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
}

std::string ClaimUuid(std::set<std::string>& used, const std::optional<std::string>& preferred,
                      const std::string& name) {
  if (preferred && used.insert(*preferred).second) return *preferred;
  std::string uuid = DerivedUuid(name);
  for (int again = 2; !used.insert(uuid).second; ++again) {
    uuid = DerivedUuid(fmt::format("{}\n{}", name, again));
  }
  return uuid;
}

Result<std::string> CheckedValue(const Indicator& indicator) {
  if (indicator.kind == "other") return InvalidArgument("kind 'other' is never exported");
  BAKEN_ASSIGN_OR_RETURN(std::string canonical, CanonicalValue(indicator.kind, indicator.value));
  if (canonical != indicator.value) {
    return InvalidArgument(fmt::format("not in the canonical form of a {}", indicator.kind));
  }
  return canonical;
}

Tlp EventTlp(const IntelEvent& event) { return ParseTlp(event.tlp).value_or(Tlp::kRed); }

Tlp IndicatorTlp(const IntelEvent& event, const Indicator& indicator) {
  // An unreadable label is read as the strictest: writing it looser could leak.
  return std::max(EventTlp(event), ParseTlp(indicator.tlp).value_or(Tlp::kRed));
}

std::string OneLine(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  return line;
}

namespace {

std::string Cut(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  // Not inside a UTF-8 sequence.
  while (max > 0 && (static_cast<unsigned char>(text[max]) & 0xc0) == 0x80) --max;
  return std::string(text.substr(0, max)) + "…";
}

}  // namespace

std::string LeftOutEvent(const IntelEvent& event, std::string_view why) {
  return fmt::format("event '{}': {}", OneLine(Cut(event.title, 80)), why);
}

std::string LeftOut(const IntelEvent& event, const Indicator& indicator, std::string_view why) {
  return fmt::format("event '{}': {} '{}': {}", OneLine(Cut(event.title, 80)),
                     OneLine(Cut(indicator.kind, 20)), OneLine(Cut(indicator.value, 100)), why);
}

std::optional<int64_t> EpochOf(std::string_view utc) {
  const auto when = ParseUtc(utc);
  if (!when) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(when->time_since_epoch()).count();
}

}  // namespace export_detail

using export_detail::CheckedValue;
using export_detail::ClaimUuid;
using export_detail::EpochOf;
using export_detail::EventTlp;
using export_detail::IndicatorTlp;
using export_detail::LeftOut;
using export_detail::LeftOutEvent;
using export_detail::OneLine;
using export_detail::UuidInSourceId;

std::string DerivedUuid(std::string_view name) {
  std::string hex = Sha256Hex(fmt::format("baken:{}", name)).substr(0, 32);
  hex[12] = '5';
  // The variant's two high bits are 10: 8, 9, a or b.
  static constexpr std::string_view kDigits = "0123456789abcdef";
  const size_t nibble = kDigits.find(hex[16]);
  hex[16] = kDigits[(nibble & 0x3) | 0x8];
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20, 12));
}

std::string ExportEventUuid(const IntelEvent& event) {
  if (auto uuid = UuidInSourceId(event.source_id)) return *uuid;
  if (!event.source_id.empty()) return DerivedUuid(fmt::format("event\n{}", event.source_id));
  return DerivedUuid(fmt::format("event\n\n{}\n{}", event.title, event.date.value_or("")));
}

namespace {

using OrderedJson = nlohmann::ordered_json;

struct MispType {
  std::string_view type;
  std::string_view category;
  std::string_view relation;  // its object_relation inside an object
};

// The MISP type an indicator is written as: the one it was read from where that is a simple type
// of the same kind (so that ip-src stays ip-src), else the one each kind reads back from.
MispType MispTypeOf(const Indicator& indicator) {
  const std::string_view kind = indicator.kind;
  const std::string_view source = indicator.source_type;
  if (kind == "ip" || kind == "cidr") {
    return {source == "ip-src" ? "ip-src" : "ip-dst", "Network activity", "ip"};
  }
  if (kind == "domain") return {"domain", "Network activity", "domain"};
  if (kind == "host") return {"hostname", "Network activity", "hostname"};
  if (kind == "url") return {"url", "Network activity", "url"};
  if (kind == "email") {
    if (source == "email-src" || source == "email-dst")
      return {source, "Network activity", "email"};
    return {"email", "Network activity", "email"};
  }
  if (kind == "md5" || kind == "sha1" || kind == "sha256" || kind == "filename") {
    return {kind, "Payload delivery", kind};
  }
  if (kind == "asn") return {"AS", "Network activity", "asn"};
  if (kind == "cve") return {"vulnerability", "External analysis", "vulnerability"};
  return {source == "comment" ? "comment" : "text", "Other", "text"};
}

std::string TlpTag(Tlp tlp) { return "tlp:" + AsciiLower(Name(tlp)); }

OrderedJson TagJson(const std::string& name) {
  // The colours of MISP's tlp taxonomy; other tags a neutral grey (the receiving instance keeps
  // its own colour for a tag it knows).
  std::string_view colour = "#808080";
  if (name == "tlp:clear") colour = "#ffffff";
  if (name == "tlp:green") colour = "#339900";
  if (name == "tlp:amber" || name == "tlp:amber+strict") colour = "#ffc000";
  if (name == "tlp:red") colour = "#cc0033";
  return OrderedJson{{"name", name}, {"colour", colour}, {"exportable", true}};
}

// Tags passed on, without those Baken writes itself: a TLP level (not tlp:ex:chr, which is no
// level but a further restriction) and valid until.
bool PassedOn(const std::string& tag) {
  if (tag.empty() || std::string_view(tag).starts_with(kValidUntilTag)) return false;
  const std::string lower = AsciiLower(tag);
  return !(std::string_view(lower).starts_with("tlp:") && ParseTlp(lower.substr(4)).has_value());
}

// MISP's distribution for what goes to `distribution` under `tlp`: AMBER and stricter only for
// the receiving organisation (0), GREEN for its community (1), CLEAR for all (3); Baken's
// "cert" and "named" are the receiving organisation's only, "members" its community.
int MispDistribution(std::string_view distribution, Tlp tlp) {
  const int by_tlp = tlp == Tlp::kClear ? 3 : tlp == Tlp::kGreen ? 1 : 0;
  const int by_distribution = distribution == kPartners ? 3 : distribution == kAllMembers ? 1 : 0;
  return std::min(by_tlp, by_distribution);
}

std::string MispTime(const std::optional<std::string>& utc) {
  if (!utc) return "";
  const auto epoch = EpochOf(*utc);
  if (!epoch) return "";
  const std::string text = FormatUtc(std::chrono::system_clock::time_point(
      std::chrono::seconds(*epoch)));  // "YYYY-MM-DDTHH:MM:SSZ"
  return text.substr(0, 19) + ".000000+00:00";
}

std::string InfoOf(const IntelEvent& event) {
  // The RFC: no line breaks, at most 256 characters.
  std::string info = OneLine(TrimBlanks(event.title));
  if (info.size() > 256) {
    size_t max = 255;
    while (max > 0 && (static_cast<unsigned char>(info[max]) & 0xc0) == 0x80) --max;
    info.resize(max);
  }
  return info.empty() ? "(untitled)" : info;
}

std::string_view ThreatLevelId(std::string_view level) {
  if (level == "high") return "1";
  if (level == "medium") return "2";
  if (level == "low") return "3";
  return "4";
}

struct KnownTemplate {
  std::string_view name;
  std::string_view uuid;
  std::string_view version;
  std::string_view meta_category;
  std::string_view description;
};

// MISP's own object templates for the groups Baken reads (as MISP writes them in its events).
constexpr KnownTemplate kTemplates[] = {
    {"file", "688c46fb-5edb-40a3-8273-1af7923e2215", "8", "file",
     "File object describing a file with meta-information"},
    {"domain-ip", "43b3b146-77eb-4931-b4cc-b66c60f28734", "5", "network",
     "A domain and IP address seen as a tuple in a specific time frame."},
};

// A detectable indicator with its checked value.
struct Item {
  const Indicator* indicator;
  std::string value;
  MispType type;
};

class MispEventWriter {
 public:
  MispEventWriter(const IntelEvent& event, const MispWriteOptions& options, int64_t timestamp,
                  std::set<std::string>& used)
      : event_(event),
        options_(options),
        seconds_(timestamp),
        timestamp_(std::to_string(timestamp)),
        used_(used) {}

  OrderedJson Write(ExportOutput& out) {
    uuid_ = ClaimUuid(used_, ExportEventUuid(event_), fmt::format("event\n{}", event_.source_id));
    const Tlp tlp = EventTlp(event_);
    distribution_ = MispDistribution(event_.distribution, tlp);
    OrderedJson json;
    json["uuid"] = uuid_;
    json["info"] = InfoOf(event_);
    json["date"] =
        event_.date && IsValidDate(*event_.date)
            ? *event_.date
            : FormatUtc(std::chrono::system_clock::time_point(std::chrono::seconds(seconds_)))
                  .substr(0, 10);
    json["threat_level_id"] = ThreatLevelId(event_.threat_level);
    // Baken keeps no analysis state; 0 (initial) is what MISP starts an event with.
    json["analysis"] = "0";
    json["distribution"] = std::to_string(distribution_);
    json["sharing_group_id"] = "0";
    json["published"] = true;
    json["timestamp"] = timestamp_;
    json["publish_timestamp"] = timestamp_;
    json["Orgc"] = Orgc();
    OrderedJson tags = OrderedJson::array();
    tags.push_back(TagJson(TlpTag(tlp)));
    for (const std::string& tag : event_.tags) {
      if (PassedOn(tag)) tags.push_back(TagJson(tag));
    }
    json["Tag"] = std::move(tags);

    std::vector<Item> items;
    for (const Indicator& indicator : event_.indicators) {
      auto value = CheckedValue(indicator);
      if (!value) {
        out.left_out.push_back(LeftOut(event_, indicator, value.error().message));
        continue;
      }
      // MISP's domain and hostname types need a dot (its validation refuses "com").
      if ((indicator.kind == "domain" || indicator.kind == "host") &&
          value->find('.') == std::string::npos) {
        out.left_out.push_back(LeftOut(event_, indicator, "MISP takes no name without a dot"));
        continue;
      }
      items.push_back(Item{&indicator, std::move(*value), MispTypeOf(indicator)});
    }
    // The groups, in the order first met; then each attribute where its group (or itself) was.
    std::vector<std::string> order;
    std::map<std::string, std::vector<size_t>> groups;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string& group = items[i].indicator->group;
      if (group.empty()) continue;
      if (groups[group].empty()) order.push_back(group);
      groups[group].push_back(i);
    }
    // Objects' and composite attributes' uuids first: they carry the group back.
    std::map<std::string, std::string> group_uuids;
    for (const std::string& group : order) {
      const auto& members = groups[group];
      if (members.size() < 2 && items[members[0]].indicator->group_name.empty()) continue;
      group_uuids[group] =
          ClaimUuid(used_, UuidInSourceId(group), fmt::format("group\n{}\n{}", uuid_, group));
    }
    OrderedJson attributes = OrderedJson::array();
    OrderedJson objects = OrderedJson::array();
    std::set<std::string> done;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string& group = items[i].indicator->group;
      const auto grouped = group_uuids.find(group);
      if (group.empty() || grouped == group_uuids.end()) {
        attributes.push_back(Attribute(items[i], ""));
        ++out.written;
        continue;
      }
      if (!done.insert(group).second) continue;
      std::vector<const Item*> members;
      for (size_t member : groups[group]) members.push_back(&items[member]);
      if (auto composite = Composite(members, grouped->second)) {
        attributes.push_back(std::move(*composite));
      } else {
        objects.push_back(Object(members, grouped->second));
      }
      out.written += members.size();
    }
    json["Attribute"] = std::move(attributes);
    json["Object"] = std::move(objects);
    return OrderedJson{{"Event", std::move(json)}};
  }

  const std::string& uuid() const { return uuid_; }

 private:
  OrderedJson Orgc() const {
    const std::string name = event_.creator.empty() ? options_.organisation : event_.creator;
    std::string uuid = DerivedUuid(fmt::format("organisation\n{}", name));
    if (name == options_.organisation && IsUuid(options_.organisation_uuid)) {
      uuid = AsciiLower(options_.organisation_uuid);
    }
    return OrderedJson{{"name", name}, {"uuid", uuid}};
  }

  int AttributeDistribution(const Indicator& indicator) const {
    const Tlp tlp = IndicatorTlp(event_, indicator);
    const int own = indicator.cert_only ? 0 : MispDistribution(event_.distribution, tlp);
    return std::min(own, distribution_);
  }

  OrderedJson Tags(const Indicator& indicator) const {
    OrderedJson tags = OrderedJson::array();
    const Tlp tlp = IndicatorTlp(event_, indicator);
    if (tlp > EventTlp(event_)) tags.push_back(TagJson(TlpTag(tlp)));
    if (indicator.valid_until) {
      if (const auto epoch = EpochOf(*indicator.valid_until)) {
        tags.push_back(TagJson(fmt::format(
            "{}=\"{}\"", kValidUntilTag,
            FormatUtc(std::chrono::system_clock::time_point(std::chrono::seconds(*epoch))))));
      }
    }
    for (const std::string& tag : indicator.tags) {
      if (PassedOn(tag)) tags.push_back(TagJson(tag));
    }
    return tags;
  }

  // The fields every attribute has, without type and value.
  OrderedJson Common(const Indicator& indicator, std::string_view category,
                     std::string_view relation, const std::string& uuid) const {
    OrderedJson json;
    json["uuid"] = uuid;
    json["category"] = category;
    if (!relation.empty()) json["object_relation"] = relation;
    json["to_ids"] = indicator.for_detection && Detectable(indicator.kind);
    const int distribution = AttributeDistribution(indicator);
    json["distribution"] = distribution == distribution_ ? "5" : std::to_string(distribution);
    json["sharing_group_id"] = "0";
    json["timestamp"] = timestamp_;
    json["comment"] = indicator.comment;
    json["deleted"] = false;
    json["disable_correlation"] = false;
    const std::string first = MispTime(indicator.first_seen);
    std::string last = MispTime(indicator.last_seen);
    // MISP refuses an attribute last seen before it was first seen.
    if (!first.empty() && !last.empty() && last < first) last.clear();
    if (!first.empty()) json["first_seen"] = first;
    if (!last.empty()) json["last_seen"] = last;
    json["Tag"] = Tags(indicator);
    return json;
  }

  OrderedJson Attribute(const Item& item, std::string_view relation,
                        const std::string& group_uuid = "") {
    const Indicator& indicator = *item.indicator;
    const std::string uuid =
        ClaimUuid(used_, UuidInSourceId(indicator.source_id),
                  fmt::format("attribute\n{}\n{}\n{}\n{}\n{}", uuid_, group_uuid,
                              indicator.source_id, indicator.kind, item.value));
    OrderedJson json = Common(indicator, item.type.category, relation, uuid);
    // type and value first, as MISP writes them, for people reading the file.
    OrderedJson ordered{{"type", item.type.type}, {"value", item.value}};
    for (auto& [key, value] : json.items()) ordered[key] = std::move(value);
    return ordered;
  }

  // Two values read from one composite attribute ("domain|ip", "filename|sha256") that still
  // agree on everything a MISP attribute holds once: that attribute again.
  std::optional<OrderedJson> Composite(const std::vector<const Item*>& members,
                                       const std::string& uuid) const {
    if (members.size() != 2 || !members[0]->indicator->group_name.empty()) return std::nullopt;
    const Indicator& a = *members[0]->indicator;
    const Indicator& b = *members[1]->indicator;
    std::string type;
    std::string_view category;
    if (a.kind == "domain" && b.kind == "ip") {
      type = "domain|ip";
      category = "Network activity";
    } else if (a.kind == "filename" &&
               (b.kind == "md5" || b.kind == "sha1" || b.kind == "sha256")) {
      type = "filename|" + b.kind;
      category = "Payload delivery";
    } else {
      return std::nullopt;
    }
    if (IndicatorTlp(event_, a) != IndicatorTlp(event_, b) || a.for_detection != b.for_detection ||
        a.valid_until != b.valid_until || a.cert_only != b.cert_only || a.comment != b.comment ||
        a.tags != b.tags) {
      return std::nullopt;
    }
    OrderedJson json = Common(a, category, "", uuid);
    OrderedJson ordered{{"type", type},
                        {"value", fmt::format("{}|{}", members[0]->value, members[1]->value)}};
    for (auto& [key, value] : json.items()) ordered[key] = std::move(value);
    return ordered;
  }

  OrderedJson Object(const std::vector<const Item*>& members, const std::string& uuid) {
    std::string name = members[0]->indicator->group_name;
    if (name.empty()) {
      // Named after what it holds, where a MISP template holds just that.
      const auto all = [&](std::initializer_list<std::string_view> kinds) {
        return std::all_of(members.begin(), members.end(), [&](const Item* item) {
          return std::find(kinds.begin(), kinds.end(), item->indicator->kind) != kinds.end();
        });
      };
      if (all({"domain", "ip"})) {
        name = "domain-ip";
      } else if (all({"filename", "md5", "sha1", "sha256"})) {
        name = "file";
      } else {
        name = "baken-indicators";
      }
    }
    KnownTemplate known{name, "", "1", "misc",
                        "Indicators that belong together, as Baken received them"};
    for (const KnownTemplate& candidate : kTemplates) {
      if (candidate.name == name) known = candidate;
    }
    // A group without a MISP template of its name: a template uuid of its own, the same every
    // time, so that an instance sees the same kind of object again.
    const std::string template_uuid =
        known.uuid.empty() ? DerivedUuid(fmt::format("misp-object-template\n{}", name))
                           : std::string(known.uuid);
    OrderedJson json;
    json["uuid"] = uuid;
    json["name"] = name;
    json["meta-category"] = known.meta_category;
    json["description"] = known.description;
    json["template_uuid"] = template_uuid;
    json["template_version"] = known.version;
    json["timestamp"] = timestamp_;
    json["distribution"] = "5";
    json["sharing_group_id"] = "0";
    json["comment"] = "";
    json["deleted"] = false;
    OrderedJson attributes = OrderedJson::array();
    for (const Item* item : members) {
      attributes.push_back(Attribute(*item, item->type.relation, uuid));
    }
    json["Attribute"] = std::move(attributes);
    return json;
  }

  const IntelEvent& event_;
  const MispWriteOptions& options_;
  int64_t seconds_;
  std::string timestamp_;
  std::set<std::string>& used_;
  std::string uuid_;
  int distribution_ = 0;
};

Result<int64_t> TimestampOf(const MispWriteOptions& options) {
  const auto epoch = EpochOf(options.timestamp);
  if (!epoch || options.timestamp.size() != 20) {
    return InvalidArgument("the MISP export's timestamp is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
  }
  return *epoch;
}

}  // namespace

Result<ExportOutput> WriteMispEvent(const IntelEvent& event, const MispWriteOptions& options) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t timestamp, TimestampOf(options));
  ExportOutput out;
  std::set<std::string> used;
  const OrderedJson json = MispEventWriter(event, options, timestamp, used).Write(out);
  out.content = registry::DumpJson(json, 2);
  return out;
}

Result<ExportOutput> WriteMispEvents(const std::vector<IntelEvent>& events,
                                     const MispWriteOptions& options) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t timestamp, TimestampOf(options));
  ExportOutput out;
  std::set<std::string> used;
  OrderedJson response = OrderedJson::array();
  for (const IntelEvent& event : events) {
    response.push_back(MispEventWriter(event, options, timestamp, used).Write(out));
  }
  out.content = registry::DumpJson(OrderedJson{{"response", std::move(response)}}, 2);
  return out;
}

Result<MispFeedOutput> WriteMispFeed(const std::vector<IntelEvent>& events,
                                     const MispWriteOptions& options) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t timestamp, TimestampOf(options));
  MispFeedOutput feed;
  std::set<std::string> used;
  OrderedJson manifest = OrderedJson::object();
  std::string hashes;
  for (const IntelEvent& event : events) {
    ExportOutput out;
    MispEventWriter writer(event, options, timestamp, used);
    const OrderedJson json = writer.Write(out);
    feed.left_out.insert(feed.left_out.end(), out.left_out.begin(), out.left_out.end());
    if (writer.uuid() != ExportEventUuid(event)) {
      feed.left_out.push_back(LeftOutEvent(
          event, "its uuid is another event's in this feed: written under a derived one"));
    }
    const OrderedJson& body = json["Event"];
    manifest[writer.uuid()] =
        OrderedJson{{"Orgc", body["Orgc"]},          {"Tag", body["Tag"]},
                    {"info", body["info"]},          {"date", body["date"]},
                    {"analysis", body["analysis"]},  {"threat_level_id", body["threat_level_id"]},
                    {"timestamp", body["timestamp"]}};
    // MISP's order, md5 of each value (each part of a composite one) and the event's uuid.
    const auto hash = [&](const OrderedJson& attribute) {
      if (!attribute.value("to_ids", false)) return;
      const std::string value = attribute.value("value", "");
      const std::string type = attribute.value("type", "");
      if (type.find('|') != std::string::npos && value.find('|') != std::string::npos) {
        const size_t bar = value.find('|');
        hashes += fmt::format("{},{}\n", Md5Hex(value.substr(0, bar)), writer.uuid());
        hashes += fmt::format("{},{}\n", Md5Hex(value.substr(bar + 1)), writer.uuid());
      } else {
        hashes += fmt::format("{},{}\n", Md5Hex(value), writer.uuid());
      }
    };
    for (const OrderedJson& attribute : body["Attribute"]) hash(attribute);
    for (const OrderedJson& object : body["Object"]) {
      for (const OrderedJson& attribute : object["Attribute"]) hash(attribute);
    }
    feed.files[writer.uuid() + ".json"] = registry::DumpJson(json);
    ++feed.written;
  }
  feed.files["manifest.json"] = registry::DumpJson(manifest, 2);
  feed.files["hashes.csv"] = std::move(hashes);
  return feed;
}

}  // namespace baken::intel
