// The STIX 2.1 writer (export_formats.h): a bundle of reports, indicators and vulnerabilities.

#include <chrono>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "common/time.h"
#include "intel/export_formats.h"
#include "intel/export_internal.h"
#include "net/ip_address.h"
#include "registry/member_json.h"

namespace baken::intel {

namespace {

using export_detail::CheckedValue;
using export_detail::ClaimUuid;
using export_detail::EpochOf;
using export_detail::EventTlp;
using export_detail::IndicatorTlp;
using export_detail::IsRfcUuid;
using export_detail::LeftOut;
using export_detail::LeftOutEvent;
using export_detail::UuidInSourceId;
using OrderedJson = nlohmann::ordered_json;

constexpr std::string_view kTlp2Extension =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

// The TLP 2.0 marking definitions as OASIS publishes them (cti-stix-common-objects,
// extension-definition-specifications/tlp-2.0); stix_reader.h knows the same ids.
struct Tlp2Marking {
  Tlp tlp;
  std::string_view id;
  std::string_view name;
  std::string_view level;
};

constexpr Tlp2Marking kTlp2Markings[] = {
    {Tlp::kClear, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR", "clear"},
    {Tlp::kGreen, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN", "green"},
    {Tlp::kAmber, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER", "amber"},
    {Tlp::kAmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
     "TLP:AMBER+STRICT", "amber+strict"},
    {Tlp::kRed, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED", "red"},
};

const Tlp2Marking& MarkingOf(Tlp tlp) {
  for (const Tlp2Marking& marking : kTlp2Markings) {
    if (marking.tlp == tlp) return marking;
  }
  return kTlp2Markings[4];
}

OrderedJson MarkingJson(const Tlp2Marking& marking) {
  return OrderedJson{
      {"type", "marking-definition"},
      {"spec_version", "2.1"},
      {"id", marking.id},
      {"created", "2022-10-01T00:00:00.000Z"},
      {"name", marking.name},
      {"extensions",
       {{kTlp2Extension, {{"extension_type", "property-extension"}, {"tlp_2_0", marking.level}}}}}};
}

// STIX timestamps of SDOs are precise to the millisecond (STIX 2.1 §3.2).
std::string Stamp(int64_t epoch) {
  const std::string utc =
      FormatUtc(std::chrono::system_clock::time_point(std::chrono::seconds(epoch)));
  return utc.substr(0, 19) + ".000Z";
}

// A string inside a pattern: between single quotes, with backslash and quote escaped (STIX 2.1
// §9.2). Nothing else needs escaping there: the pattern is itself a JSON string.
std::string Quoted(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::optional<std::string> PatternOf(std::string_view kind, const std::string& value) {
  std::string_view path;
  if (kind == "ip") {
    const auto address = net::IpAddress::Parse(value);
    if (!address) return std::nullopt;
    path = address->is_v4() ? "ipv4-addr:value" : "ipv6-addr:value";
  } else if (kind == "cidr") {
    const auto prefix = net::ParsePrefix(value);
    if (!prefix) return std::nullopt;
    path = prefix->network.is_v4() ? "ipv4-addr:value" : "ipv6-addr:value";
  } else if (kind == "domain" || kind == "host") {
    path = "domain-name:value";
  } else if (kind == "url") {
    path = "url:value";
  } else if (kind == "email") {
    path = "email-addr:value";
  } else if (kind == "md5") {
    path = "file:hashes.MD5";
  } else if (kind == "sha1") {
    path = "file:hashes.'SHA-1'";
  } else if (kind == "sha256") {
    path = "file:hashes.'SHA-256'";
  } else if (kind == "filename") {
    path = "file:name";
  } else if (kind == "asn") {
    // An integer property: the number, unquoted ("AS64500" was checked to be canonical).
    return fmt::format("[autonomous-system:number = {}]", value.substr(2));
  } else {
    return std::nullopt;
  }
  return fmt::format("[{} = {}]", path, Quoted(value));
}

std::vector<std::string> Labels(const std::vector<std::string>& tags) {
  std::vector<std::string> labels;
  for (const std::string& tag : tags) {
    const std::string lower = AsciiLower(tag);
    if (tag.empty() || std::string_view(tag).starts_with(kValidUntilTag) ||
        (std::string_view(lower).starts_with("tlp:") && ParseTlp(lower.substr(4)))) {
      continue;
    }
    labels.push_back(tag);
  }
  return labels;
}

class BundleWriter {
 public:
  BundleWriter(const StixWriteOptions& options, int64_t now)
      : options_(options),
        now_(now),
        stamp_(Stamp(now)),
        identity_("identity--" + DerivedUuid(fmt::format("identity\n{}", options.creator))) {}

  ExportOutput Write(const std::vector<IntelEvent>& events) {
    ExportOutput out;
    OrderedJson objects = OrderedJson::array();
    std::string report_ids;
    for (const IntelEvent& event : events) {
      std::string report_id;
      AddEvent(event, objects, out, report_id);
      report_ids += report_id + "\n";
    }
    OrderedJson head = OrderedJson::array();
    head.push_back(OrderedJson{{"type", "identity"},
                               {"spec_version", "2.1"},
                               {"id", identity_},
                               {"created", stamp_},
                               {"modified", stamp_},
                               {"name", options_.creator},
                               {"identity_class", "organization"}});
    for (Tlp tlp : markings_) head.push_back(MarkingJson(MarkingOf(tlp)));
    for (auto& object : objects) head.push_back(std::move(object));
    const std::string bundle_id =
        "bundle--" + DerivedUuid(fmt::format("bundle\n{}\n{}", stamp_, report_ids));
    out.content = registry::DumpJson(
        OrderedJson{{"type", "bundle"}, {"id", bundle_id}, {"objects", std::move(head)}}, 2);
    return out;
  }

 private:
  std::string Id(std::string_view type, const std::optional<std::string>& preferred,
                 const std::string& name) {
    // STIX identifiers take RFC 4122 uuids only; an older MISP's may not be one.
    const bool usable = preferred && IsRfcUuid(*preferred);
    return fmt::format(
        "{}--{}", type,
        ClaimUuid(used_, usable ? preferred : std::nullopt, fmt::format("{}\n{}", type, name)));
  }

  OrderedJson Common(std::string_view type, const std::string& id, Tlp tlp) {
    markings_.insert(tlp);
    return OrderedJson{{"type", type},
                       {"spec_version", "2.1"},
                       {"id", id},
                       {"created_by_ref", identity_},
                       {"created", stamp_},
                       {"modified", stamp_},
                       {"object_marking_refs", {MarkingOf(tlp).id}}};
  }

  // valid_from: first seen, else the event's date, else now; valid_until only after it.
  std::optional<std::pair<int64_t, std::optional<int64_t>>> Validity(const IntelEvent& event,
                                                                     const Indicator& indicator,
                                                                     ExportOutput& out) {
    std::optional<int64_t> from;
    if (indicator.first_seen) from = EpochOf(*indicator.first_seen);
    if (!from && event.date) from = EpochOf(*event.date);
    if (!from) from = now_;
    std::optional<int64_t> until;
    if (indicator.valid_until) {
      until = EpochOf(*indicator.valid_until);
      if (!until) {
        out.left_out.push_back(LeftOut(event, indicator, "its valid-until is not a time"));
        return std::nullopt;
      }
      if (*until <= *from) {
        // STIX requires valid_until after valid_from; first seen after the end is a sender's
        // mistake, and from now on is what is left.
        if (now_ >= *until) {
          out.left_out.push_back(LeftOut(event, indicator, "no longer valid"));
          return std::nullopt;
        }
        from = now_;
      }
    }
    return std::pair{*from, until};
  }

  void AddEvent(const IntelEvent& event, OrderedJson& objects, ExportOutput& out,
                std::string& report_id) {
    const std::string event_uuid = ExportEventUuid(event);
    OrderedJson refs = OrderedJson::array();
    OrderedJson made = OrderedJson::array();
    size_t written = 0;
    for (const Indicator& indicator : event.indicators) {
      if (!Detectable(indicator.kind)) {
        out.left_out.push_back(LeftOut(event, indicator, "no STIX pattern for this kind"));
        continue;
      }
      auto value = CheckedValue(indicator);
      if (!value) {
        out.left_out.push_back(LeftOut(event, indicator, value.error().message));
        continue;
      }
      const Tlp tlp = IndicatorTlp(event, indicator);
      const std::string name =
          fmt::format("{}\n{}\n{}\n{}", event_uuid, indicator.source_id, indicator.kind, *value);
      if (indicator.kind == "cve") {
        const std::string id = Id("vulnerability", UuidInSourceId(indicator.source_id), name);
        OrderedJson vulnerability = Common("vulnerability", id, tlp);
        vulnerability["name"] = *value;
        vulnerability["external_references"] = {{{"source_name", "cve"}, {"external_id", *value}}};
        made.push_back(std::move(vulnerability));
        refs.push_back(id);
        ++written;
        continue;
      }
      const auto pattern = PatternOf(indicator.kind, *value);
      if (!pattern) {
        out.left_out.push_back(LeftOut(event, indicator, "no STIX pattern for this value"));
        continue;
      }
      const auto validity = Validity(event, indicator, out);
      if (!validity) continue;
      const std::string id = Id("indicator", UuidInSourceId(indicator.source_id), name);
      OrderedJson object = Common("indicator", id, tlp);
      if (!indicator.comment.empty()) object["name"] = indicator.comment;
      object["indicator_types"] = {"malicious-activity"};
      object["pattern"] = *pattern;
      object["pattern_type"] = "stix";
      object["pattern_version"] = "2.1";
      object["valid_from"] = Stamp(validity->first);
      if (validity->second) object["valid_until"] = Stamp(*validity->second);
      if (auto labels = Labels(indicator.tags); !labels.empty()) object["labels"] = labels;
      made.push_back(std::move(object));
      refs.push_back(id);
      ++written;
    }
    if (refs.empty()) {
      out.left_out.push_back(LeftOutEvent(
          event, "nothing in it has a STIX form: no report (a report must refer to something)"));
      return;
    }
    report_id = Id("report", event_uuid, event_uuid);
    OrderedJson report = Common("report", report_id, EventTlp(event));
    report["name"] = event.title.empty() ? std::string("(untitled)") : event.title;
    if (!event.description.empty()) report["description"] = event.description;
    report["report_types"] = {"threat-report"};
    std::optional<int64_t> published;
    if (event.date) published = EpochOf(*event.date);
    report["published"] = Stamp(published.value_or(now_));
    if (event.confidence && *event.confidence >= 0 && *event.confidence <= 100) {
      report["confidence"] = *event.confidence;
    }
    if (auto labels = Labels(event.tags); !labels.empty()) report["labels"] = labels;
    report["object_refs"] = std::move(refs);
    objects.push_back(std::move(report));
    for (auto& object : made) objects.push_back(std::move(object));
    out.written += written;
  }

  const StixWriteOptions& options_;
  int64_t now_;
  std::string stamp_;
  std::string identity_;
  std::set<Tlp> markings_;
  std::set<std::string> used_;
};

}  // namespace

Result<ExportOutput> WriteStixBundle(const std::vector<IntelEvent>& events,
                                     const StixWriteOptions& options) {
  const auto now = EpochOf(options.now);
  if (!now || options.now.size() != 20) {
    return InvalidArgument("the STIX export's time is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
  }
  if (TrimBlanks(options.creator).empty()) return InvalidArgument("the STIX creator has no name");
  return BundleWriter(options, *now).Write(events);
}

}  // namespace baken::intel
