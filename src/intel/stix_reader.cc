#include "intel/stix_reader.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "common/text.h"
#include "feeds/harmonization.h"
#include "intel/stix_pattern.h"

namespace baken::intel {

namespace {

using Json = nlohmann::json;

struct StandardMarking {
  std::string_view id;
  Tlp tlp;
};

constexpr StandardMarking kStandardMarkings[] = {
    // TLP 1.0, STIX 2.1 §7.2.1.4
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp::kClear},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp::kGreen},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp::kAmber},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp::kRed},
    // TLP 2.0, OASIS cti-stix-common-objects
    {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", Tlp::kClear},
    {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", Tlp::kGreen},
    {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", Tlp::kAmber},
    {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", Tlp::kAmberStrict},
    {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", Tlp::kRed},
};

constexpr std::string_view kNoTlp = "objects without a TLP marking: read as TLP:AMBER";

constexpr std::string_view kTlp2Extension =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

std::string TextOf(const Json& object, std::string_view key) {
  if (!object.is_object()) return "";
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

std::vector<std::string> TextsOf(const Json& object, std::string_view key) {
  std::vector<std::string> texts;
  if (!object.is_object()) return texts;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_array()) return texts;
  for (const Json& item : *found) {
    if (item.is_string()) texts.push_back(item.get<std::string>());
  }
  return texts;
}

std::optional<std::string> Utc(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const auto normalized = feeds::NormalizeDateTime(text);
  if (!normalized || normalized->size() < 19) return std::nullopt;
  return normalized->substr(0, 19) + "Z";
}

// The TLP a marking-definition object defines: TLP 2.0's extension, TLP 1.0's
// definition_type "tlp", and the upper-case form some producers write ({"TLP": "TLP:WHITE"}).
std::optional<Tlp> TlpOfDefinition(const Json& marking) {
  if (marking.contains("extensions") && marking["extensions"].is_object()) {
    const auto extension = marking["extensions"].find(kTlp2Extension);
    if (extension != marking["extensions"].end()) {
      const std::string level = TextOf(*extension, "tlp_2_0");
      if (!level.empty()) return ParseTlp(level);
    }
  }
  if (AsciiLower(TextOf(marking, "definition_type")) != "tlp") return std::nullopt;
  const Json& definition = marking.value("definition", Json::object());
  for (const char* key : {"tlp", "TLP"}) {
    const std::string level = TextOf(definition, key);
    if (level.empty()) continue;
    // "TLP:TEST" and other inventions are no TLP level.
    std::string_view name = level;
    if (AsciiLower(name.substr(0, std::min<size_t>(4, name.size()))) == "tlp:") {
      name.remove_prefix(4);
    }
    return ParseTlp(name);
  }
  return std::nullopt;
}

// How a marking definition names itself: its name, else what it defines.
std::string MarkingName(const Json& marking) {
  if (const std::string name = TextOf(marking, "name"); !name.empty()) return name.substr(0, 80);
  const Json& definition = marking.value("definition", Json::object());
  if (definition.is_object()) {
    for (const auto& [key, value] : definition.items()) {
      if (value.is_string()) return value.get<std::string>().substr(0, 80);
    }
  }
  return TextOf(marking, "definition_type").substr(0, 80);
}

class BundleReader {
 public:
  explicit BundleReader(const Json& bundle) : bundle_(bundle) {}

  std::vector<IntelEvent> Read() {
    const Json& objects = bundle_["objects"];
    for (size_t i = 0; i < objects.size(); ++i) {
      const Json& object = objects[i];
      const std::string id = TextOf(object, "id");
      if (!object.is_object() || id.empty() || TextOf(object, "type").empty()) {
        bundle_problems_.push_back(fmt::format("/objects/{}: no type or id: left out", i));
        continue;
      }
      if (!by_id_.emplace(id, &object).second) {
        bundle_problems_.push_back(fmt::format("/objects/{}: a second {}: left out", i, id));
        continue;
      }
      order_.push_back(id);
      if (TextOf(object, "type") == "marking-definition") {
        if (auto tlp = TlpOfDefinition(object)) {
          markings_[id] = *tlp;
        } else if (!StandardTlpMarking(id) &&
                   AsciiLower(TextOf(object, "definition_type")) != "statement") {
          bundle_problems_.push_back(fmt::format(
              "{}: a marking that is no TLP level ({}): not used", id, MarkingName(object)));
        }
      }
    }
    ReadSightings();

    std::vector<IntelEvent> events;
    std::set<std::string> used;
    for (const std::string& id : order_) {
      const Json& object = *by_id_[id];
      const std::string type = TextOf(object, "type");
      if (type != "report" && type != "grouping") continue;
      IntelEvent event = EventFrom(object);
      for (const std::string& ref : TextsOf(object, "object_refs")) {
        AddReferred(ref, event, used);
      }
      events.push_back(std::move(event));
    }
    // What no report or grouping holds: an event whose title says nothing but the bundle's id,
    // so its objects' own markings decide, and the event is as loose as its loosest object.
    IntelEvent rest;
    rest.title = fmt::format("STIX bundle {}", TextOf(bundle_, "id"));
    rest.source_id = TextOf(bundle_, "id");
    rest.distribution = std::string(kAllMembers);
    rest_ = &rest;
    for (const std::string& id : order_) {
      const std::string type = TextOf(*by_id_[id], "type");
      if (type == "indicator" || type == "observed-data" || type == "vulnerability") {
        AddReferred(id, rest, used);
      }
    }
    rest_ = nullptr;
    if (!rest.indicators.empty()) {
      Tlp loosest = Tlp::kRed;
      for (const Indicator& indicator : rest.indicators) {
        loosest = std::min(loosest, ParseTlp(indicator.tlp).value_or(Tlp::kAmber));
      }
      rest.tlp = std::string(Name(loosest));
      events.push_back(std::move(rest));
    }
    if (!events.empty()) {
      auto& problems = events.front().problems;
      problems.insert(problems.begin(), bundle_problems_.begin(), bundle_problems_.end());
    }
    return events;
  }

 private:
  // The strictest TLP among an object's markings, its granular ones included (a TLP on one
  // property holds for the value Baken takes from the object).
  std::optional<Tlp> TlpOf(const Json& object, std::vector<std::string>& problems) {
    std::vector<std::string> refs = TextsOf(object, "object_marking_refs");
    if (object.contains("granular_markings") && object["granular_markings"].is_array()) {
      for (const Json& granular : object["granular_markings"]) {
        const std::string ref = TextOf(granular, "marking_ref");
        if (!ref.empty()) refs.push_back(ref);
      }
    }
    std::optional<Tlp> strictest;
    for (const std::string& ref : refs) {
      std::optional<Tlp> tlp = StandardTlpMarking(ref);
      if (const auto defined = markings_.find(ref); defined != markings_.end()) {
        tlp = defined->second;
      }
      if (tlp) strictest = strictest ? std::max(*strictest, *tlp) : *tlp;
    }
    if (!refs.empty() && !strictest) {
      problems.push_back(fmt::format("{}: its markings name no TLP level", TextOf(object, "id")));
    }
    return strictest;
  }

  IntelEvent EventFrom(const Json& object) {
    IntelEvent event;
    event.source_id = TextOf(object, "id");
    event.title = std::string(TrimBlanks(TextOf(object, "name")));
    if (event.title.empty()) event.title = event.source_id;
    event.description = TextOf(object, "description");
    event.distribution = std::string(kAllMembers);
    if (auto tlp = TlpOf(object, event.problems)) {
      event.tlp = std::string(Name(*tlp));
      event.tlp_given = true;
    }
    if (object.contains("confidence") && object["confidence"].is_number_integer()) {
      const int64_t confidence = object["confidence"].get<int64_t>();
      if (confidence >= 0 && confidence <= 100) event.confidence = static_cast<int>(confidence);
    }
    const std::string published = TextOf(object, "published");
    if (auto date = Utc(published.empty() ? TextOf(object, "created") : published)) {
      event.date = date->substr(0, 10);
    }
    if (const auto creator = by_id_.find(TextOf(object, "created_by_ref"));
        creator != by_id_.end()) {
      event.creator = TextOf(*creator->second, "name");
    }
    event.tags = TextsOf(object, "labels");
    return event;
  }

  void AddReferred(const std::string& ref, IntelEvent& event, std::set<std::string>& used) {
    const auto found = by_id_.find(ref);
    if (found == by_id_.end()) return;  // a relationship's target, a malware: not indicators
    const Json& object = *found->second;
    const std::string type = TextOf(object, "type");
    if (type == "indicator") {
      if (used.insert(ref).second) AddIndicator(object, event);
    } else if (type == "observed-data") {
      if (!used.insert(ref).second) return;
      for (const std::string& sco : TextsOf(object, "object_refs")) {
        if (used.insert(sco).second) AddObservable(sco, object, event);
      }
    } else if (type == "vulnerability") {
      if (!used.insert(ref).second) return;
      Indicator indicator = Base(object, event);
      if (auto cve = CanonicalValue("cve", TextOf(object, "name"))) {
        indicator.kind = "cve";
        indicator.value = *cve;
        event.indicators.push_back(std::move(indicator));
      }
    } else if (IsObservable(type)) {
      // A report may refer to observables directly, as misp-stix does beside observed data.
      if (used.insert(ref).second) AddObservable(ref, Json::object(), event);
    }
  }

  static bool IsObservable(std::string_view type) {
    return type == "ipv4-addr" || type == "ipv6-addr" || type == "domain-name" || type == "url" ||
           type == "email-addr" || type == "file" || type == "autonomous-system" ||
           type == "windows-registry-key";
  }

  Indicator Base(const Json& object, IntelEvent& event) {
    Indicator indicator;
    const Tlp event_tlp = ParseTlp(event.tlp).value_or(Tlp::kAmber);
    const std::optional<Tlp> own = TlpOf(object, event.problems);
    if (&event == rest_) {
      indicator.tlp = std::string(Name(own.value_or(Tlp::kAmber)));
      if (!own) Say(event, kNoTlp);
      indicator.source_id = TextOf(object, "id");
      indicator.source_type = TextOf(object, "type");
      return indicator;
    }
    if (!own && !event.tlp_given) Say(event, kNoTlp);
    indicator.tlp = std::string(Name(own ? std::max(*own, event_tlp) : event_tlp));
    indicator.source_id = TextOf(object, "id");
    indicator.source_type = TextOf(object, "type");
    return indicator;
  }

  // Once per event.
  static void Say(IntelEvent& event, std::string_view problem) {
    if (std::find(event.problems.begin(), event.problems.end(), problem) == event.problems.end()) {
      event.problems.emplace_back(problem);
    }
  }

  void Add(IntelEvent& event, Indicator base, std::string_view kind, std::string_view value,
           std::string_view place) {
    auto canonical = CanonicalValue(kind, value);
    if (!canonical) {
      event.problems.push_back(fmt::format("{}: '{}' is not a valid {} ({}): kept as other", place,
                                           value.substr(0, 100), kind, canonical.error().message));
      kind = "other";
      canonical = CanonicalValue("other", value);
      if (!canonical) return;
      base.for_detection = false;
    }
    base.kind = std::string(kind);
    base.value = std::move(*canonical);
    if (const auto sightings = sightings_.find(base.source_id); sightings != sightings_.end()) {
      base.sightings = sightings->second;
    }
    event.indicators.push_back(std::move(base));
  }

  // The kind of value a pattern's object path compares, if Baken keeps that kind.
  static std::optional<std::string_view> KindOfPath(std::string_view path) {
    static constexpr std::pair<std::string_view, std::string_view> kPaths[] = {
        {"ipv4-addr:value", "ip"},
        {"ipv6-addr:value", "ip"},
        {"domain-name:value", "domain"},
        {"url:value", "url"},
        {"email-addr:value", "email"},
        {"email-message:from_ref.value", "email"},
        {"email-message:sender_ref.value", "email"},
        {"file:name", "filename"},
        {"file:hashes.MD5", "md5"},
        {"file:hashes.'MD5'", "md5"},
        {"file:hashes.'SHA-1'", "sha1"},
        {"file:hashes.SHA1", "sha1"},
        {"file:hashes.'SHA1'", "sha1"},
        {"file:hashes.'SHA-256'", "sha256"},
        {"file:hashes.SHA256", "sha256"},
        {"file:hashes.'SHA256'", "sha256"},
        {"autonomous-system:number", "asn"},
    };
    for (const auto& [known, kind] : kPaths) {
      if (known == path) return kind;
    }
    return std::nullopt;
  }

  void AddIndicator(const Json& object, IntelEvent& event) {
    const std::string id = TextOf(object, "id");
    Indicator base = Base(object, event);
    base.for_detection = true;
    base.comment = TextOf(object, "name");
    base.valid_until = Utc(TextOf(object, "valid_until"));
    base.first_seen = Utc(TextOf(object, "valid_from"));
    base.tags = TextsOf(object, "labels");
    base.group = id;
    const std::string pattern_type = TextOf(object, "pattern_type");
    const std::string pattern = TextOf(object, "pattern");
    if (!pattern_type.empty() && pattern_type != "stix") {
      event.problems.push_back(
          fmt::format("{}: a {} pattern: kept as other", id, pattern_type.substr(0, 40)));
      Add(event, base, "other", pattern, id);
      return;
    }
    auto reading = ReadStixPattern(pattern);
    if (!reading) {
      event.problems.push_back(fmt::format("{}: {}: kept as other", id, reading.error().message));
      base.for_detection = false;
      Add(event, base, "other", pattern, id);
      return;
    }
    if (reading->joined_by_and || reading->has_qualifiers) {
      // One part of an AND, or without its time window, matches more than the pattern did.
      event.problems.push_back(
          fmt::format("{}: the pattern's parts must hold together: kept, not for detection", id));
      base.for_detection = false;
    }
    size_t kept = 0;
    for (const PatternComparison& comparison : reading->comparisons) {
      const auto kind = KindOfPath(comparison.path);
      if (!kind || comparison.op != "=" || comparison.negated) {
        event.problems.push_back(fmt::format("{}: '{} {}{}' is not kept", id,
                                             comparison.path.substr(0, 80),
                                             comparison.negated ? "NOT " : "", comparison.op));
        continue;
      }
      std::string_view use = *kind;
      if (use == "ip" && comparison.value.find('/') != std::string::npos) use = "cidr";
      Add(event, base, use, comparison.value, id);
      ++kept;
    }
    if (kept == 0) {
      base.for_detection = false;
      Add(event, base, "other", pattern, id);
    }
  }

  void AddObservable(const std::string& ref, const Json& observed, IntelEvent& event) {
    const auto found = by_id_.find(ref);
    if (found == by_id_.end()) {
      event.problems.push_back(fmt::format("{}: not in the bundle", ref));
      return;
    }
    const Json& sco = *found->second;
    Indicator base = Base(observed.empty() ? sco : observed, event);
    base.source_id = ref;
    base.source_type = TextOf(sco, "type");
    base.group = observed.empty() ? "" : TextOf(observed, "id");
    base.group_name = observed.empty() ? "" : "observed-data";
    base.first_seen = Utc(TextOf(observed, "first_observed"));
    base.last_seen = Utc(TextOf(observed, "last_observed"));
    const std::string type = base.source_type;
    if (type == "ipv4-addr" || type == "ipv6-addr") {
      const std::string value = TextOf(sco, "value");
      Add(event, base, value.find('/') != std::string::npos ? "cidr" : "ip", value, ref);
    } else if (type == "domain-name") {
      Add(event, base, "domain", TextOf(sco, "value"), ref);
    } else if (type == "url") {
      Add(event, base, "url", TextOf(sco, "value"), ref);
    } else if (type == "email-addr") {
      Add(event, base, "email", TextOf(sco, "value"), ref);
    } else if (type == "autonomous-system") {
      if (sco.contains("number") && sco["number"].is_number_unsigned()) {
        Add(event, base, "asn", std::to_string(sco["number"].get<uint64_t>()), ref);
      }
    } else if (type == "file") {
      if (!TextOf(sco, "name").empty()) Add(event, base, "filename", TextOf(sco, "name"), ref);
      const Json& hashes = sco.value("hashes", Json::object());
      for (const auto& [algorithm, kind] :
           {std::pair{"MD5", "md5"}, std::pair{"SHA-1", "sha1"}, std::pair{"SHA-256", "sha256"}}) {
        const std::string hash = TextOf(hashes, algorithm);
        if (!hash.empty()) Add(event, base, kind, hash, ref);
      }
    } else if (type == "windows-registry-key") {
      Add(event, base, "other", TextOf(sco, "key"), ref);
    }
  }

  // Sightings of indicators (of other objects: said, not kept). Where it was sighted is not
  // kept: it names another organisation.
  void ReadSightings() {
    for (const std::string& id : order_) {
      const Json& object = *by_id_[id];
      if (TextOf(object, "type") != "sighting") continue;
      const std::string of = TextOf(object, "sighting_of_ref");
      if (!of.starts_with("indicator--")) {
        bundle_problems_.push_back(fmt::format(
            "{}: a sighting of {}, not of an indicator: not kept", id, of.substr(0, 80)));
        continue;
      }
      Sighting sighting;
      // OpenCTI marks a sighting that proved wrong.
      sighting.kind = object.value("x_opencti_negative", false) == true ? "false_positive" : "seen";
      const std::string first = TextOf(object, "first_seen");
      sighting.at = Utc(first.empty() ? TextOf(object, "created") : first).value_or("");
      if (object.contains("count") && object["count"].is_number_integer()) {
        sighting.count = std::max<int64_t>(1, object["count"].get<int64_t>());
      }
      if (sighting.at.empty()) {
        bundle_problems_.push_back(fmt::format("{}: a sighting without a time: not kept", id));
        continue;
      }
      sightings_[of].push_back(std::move(sighting));
    }
  }

  const Json& bundle_;
  std::map<std::string, const Json*> by_id_;
  std::vector<std::string> order_;
  std::map<std::string, Tlp> markings_;
  std::map<std::string, std::vector<Sighting>> sightings_;
  std::vector<std::string> bundle_problems_;
  const IntelEvent* rest_ = nullptr;  // while the bundle's own event is filled
};

}  // namespace

std::optional<Tlp> StandardTlpMarking(std::string_view id) {
  for (const StandardMarking& marking : kStandardMarkings) {
    if (marking.id == id) return marking.tlp;
  }
  return std::nullopt;
}

tl::expected<std::vector<IntelEvent>, Refusal> ReadStixBundle(std::string_view json_text) {
  Refusal refusal;
  if (json_text.size() > kMaxStixBytes) {
    refusal.reasons.push_back(
        fmt::format("larger than {} MiB: refused before reading", kMaxStixBytes >> 20));
    return tl::unexpected(std::move(refusal));
  }
  auto parsed = ParseJson<Json>(json_text);
  if (!parsed) {
    refusal.reasons.push_back(parsed.error().message);
    return tl::unexpected(std::move(refusal));
  }
  const Json& bundle = *parsed;
  if (!bundle.is_object() || TextOf(bundle, "type") != "bundle") {
    refusal.reasons.push_back("/type: not a STIX bundle (\"type\": \"bundle\")");
  }
  if (!bundle.is_object() || !bundle.contains("objects") || !bundle["objects"].is_array()) {
    refusal.reasons.push_back("/objects: missing or not a list");
  }
  if (!refusal.reasons.empty()) return tl::unexpected(std::move(refusal));
  return BundleReader(bundle).Read();
}

}  // namespace baken::intel
