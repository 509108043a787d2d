#include "intel/findings.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/time.h"
#include "feeds/dedup.h"
#include "feeds/event.h"
#include "feeds/harmonization.h"
#include "feeds/intelmq_json.h"
#include "intel/sharing.h"
#include "net/ip_address.h"
#include "net/url.h"
#include "service/digests.h"

namespace baken::intel {

namespace {

std::optional<Owner> OwnerFrom(const routing::Constituency& constituency,
                               const std::optional<routing::Match>& match) {
  if (!match) return std::nullopt;
  return Owner{std::string(constituency.MemberCode(*match)),
               std::string(routing::EvidenceName(match->reason)),
               constituency.DescribeClaim(*match)};
}

std::optional<Owner> OwnerOfHost(const routing::Constituency& constituency, std::string_view host) {
  if (const auto ip = net::IpAddress::Parse(host)) {
    return OwnerFrom(constituency, constituency.LookupIp(*ip));
  }
  return OwnerFrom(constituency, constituency.LookupDomain(host));
}

// The classification an event's RSIT tag gives (`rsit:malicious-code="c2-server"`), else
// "blacklist": a source listed it as bad without saying what it does.
std::string ClassificationOf(const store::IntelEventRecord& event) {
  for (const std::string& tag : event.tags) {
    if (!tag.starts_with("rsit:")) continue;
    const size_t open = tag.find("=\"");
    if (open == std::string::npos || !tag.ends_with('"')) continue;
    const std::string type = tag.substr(open + 2, tag.size() - open - 3);
    feeds::Event probe;
    if (probe.Add("classification.type", type))
      return std::string(probe.Get("classification.type"));
  }
  return "blacklist";
}

}  // namespace

std::optional<Owner> OwnerOf(const routing::Constituency& constituency, std::string_view kind,
                             std::string_view value) {
  if (kind == "ip") {
    if (const auto ip = net::IpAddress::Parse(value)) {
      return OwnerFrom(constituency, constituency.LookupIp(*ip));
    }
  } else if (kind == "cidr") {
    if (const auto network = net::ParsePrefix(value)) {
      return OwnerFrom(constituency, constituency.LookupNetwork(*network));
    }
  } else if (kind == "domain" || kind == "host") {
    return OwnerFrom(constituency, constituency.LookupDomain(value));
  } else if (kind == "url") {
    if (const auto url = net::ParseHttpUrl(value)) return OwnerOfHost(constituency, url->host);
  } else if (kind == "email") {
    if (const size_t at = value.rfind('@'); at != std::string_view::npos) {
      return OwnerFrom(constituency, constituency.LookupDomain(value.substr(at + 1)));
    }
  }
  return std::nullopt;
}

std::optional<store::EventRecord> FindingFor(const routing::Constituency& constituency,
                                             const store::IntelEventRecord& event,
                                             const store::IndicatorRecord& indicator,
                                             std::chrono::system_clock::time_point now) {
  const std::optional<Owner> owner = OwnerOf(constituency, indicator.kind, indicator.value);
  if (!owner) return std::nullopt;

  // The owner has the need to know AMBER asks for; whether the indicator may leave the CERT
  // at all is the one sharing rule's answer for the owner as a named member.
  Circle circle{event.distribution, event.named, event.owner_member, event.from_outside,
                event.permission.has_value()};
  circle.named.push_back(owner->member);
  const bool may_receive = MayReceive(Recipient{false, owner->member, false}, circle, indicator.tlp,
                                      indicator.cert_only);
  const std::string tlp = may_receive ? indicator.tlp : "RED";

  feeds::Event finding;
  // Every value below is either Baken's own or was checked as the indicator's kind when it was
  // taken in; a value the harmonization still refuses leaves its field out, not the finding.
  (void)finding.Add("feed.name", kFindingFeed);
  (void)finding.Add("feed.provider", "Baken");
  const std::string type = ClassificationOf(event);
  (void)finding.Add("classification.taxonomy", feeds::TaxonomyOfType(type));
  (void)finding.Add("classification.type", type);
  (void)finding.Add("classification.identifier", fmt::format("intel-{}", indicator.kind));
  if (indicator.kind == "ip") {
    (void)finding.Add("source.ip", indicator.value);
  } else if (indicator.kind == "cidr") {
    (void)finding.Add("source.network", indicator.value);
  } else if (indicator.kind == "domain" || indicator.kind == "host") {
    (void)finding.Add("source.fqdn", indicator.value);
  } else if (indicator.kind == "url") {
    (void)finding.Add("source.url", indicator.value);
    if (const auto url = net::ParseHttpUrl(indicator.value)) {
      (void)finding.Add(url->host_is_ip ? "source.ip" : "source.fqdn", url->host);
    }
  } else if (indicator.kind == "email") {
    (void)finding.Add("source.account", indicator.value);
    (void)finding.Add("source.fqdn", indicator.value.substr(indicator.value.rfind('@') + 1));
  }
  if (indicator.first_seen) (void)finding.Add("time.source", *indicator.first_seen);
  (void)finding.Add("time.observation", feeds::FormatIntelMqTime(now));
  (void)finding.Add("event_description.text", event.title);
  if (!indicator.comment.empty()) (void)finding.Add("comment", indicator.comment);
  (void)finding.Add("tlp", tlp);
  (void)finding.Add("extra.intel_event", std::to_string(event.id));
  (void)finding.Add("extra.intel_indicator", std::to_string(indicator.id));

  store::EventRecord record;
  record.member = owner->member;
  record.route_reason = owner->reason;
  record.route_match = owner->claim;
  // A held finding does not stand in for one the member may receive: when the same value comes
  // again in a way the member may have it, that finding is new.
  record.dedup_key = feeds::DedupKey(owner->member, finding) + (may_receive ? "" : "|held");
  record.feed_name = std::string(kFindingFeed);
  record.classification_type = std::string(finding.Get("classification.type"));
  record.classification_identifier = std::string(finding.Get("classification.identifier"));
  record.source_ip = std::string(finding.Get("source.ip"));
  record.time_source = std::string(finding.Get("time.source"));
  record.time_observation = std::string(finding.Get("time.observation"));
  record.tlp = tlp;
  feeds::AppendIntelMqJson(finding, &record.data);
  return record;
}

Result<int64_t> StoreFindings(store::Transaction& tx, std::vector<store::EventRecord>& findings,
                              std::chrono::system_clock::time_point now) {
  if (findings.empty()) return 0;
  const service::DigestPeriod period = service::DigestPeriodAt(now, 0);
  service::DigestOpener digests(tx, period, FormatUtc(now));
  std::vector<const store::EventRecord*> order;
  for (store::EventRecord& finding : findings) {
    BAKEN_ASSIGN_OR_RETURN(finding.digest_id, digests.For(finding));
    order.push_back(&finding);
  }
  BAKEN_ASSIGN_OR_RETURN(const std::vector<bool> stored, tx.Events().AddNew(order));
  BAKEN_RETURN_IF_ERROR(tx.Digests().DropIfEmpty(digests.opened()));
  return static_cast<int64_t>(std::count(stored.begin(), stored.end(), true));
}

}  // namespace baken::intel
