#ifndef BAKEN_INTEL_EXPORT_FORMATS_H_
#define BAKEN_INTEL_EXPORT_FORMATS_H_

// Writing intel events out (decision 0023, exports): MISP JSON and MISP feeds, STIX 2.1
// bundles, and block lists for firewalls, resolvers and sensors (plain lists, CSV, a DNS
// response-policy zone, Suricata rules). Pure functions: the caller has already chosen what the
// recipient may receive (TLP, for detection, still valid); the writers do not filter on TLP, but
// they write each indicator's TLP where the format has a place for it.
//
// Every value is treated as hostile (it came from outside): a value that is not in the canonical
// form of its kind, or that a format cannot hold safely, is left out and said in `left_out`,
// never written broken or escaped into another line, record, pattern or rule option. `other`
// is never written; `text` only to MISP, which has a type for it.
//
// Identifiers stay the same across exports: an event's uuid is its source's (a MISP uuid, the
// uuid of a STIX id), else derived from its source id (or, without one, its title and date);
// an indicator's likewise from its source id, kind and value. The caller that wants stored events
// without a source id to keep their uuid when renamed sets source_id to something stable (the
// stored event's id) before writing.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "intel/indicator.h"

namespace baken::intel {

// What a writer made and what it left out.
struct ExportOutput {
  std::string content;
  size_t written = 0;                 // values, records or rules written
  std::vector<std::string> left_out;  // "event 'title': domain 'x': why", one per value left out
};

// ---------------------------------------------------------------------------------------------
// Identifiers

// A uuid that is the same for the same `name` every time: the first 16 bytes of the SHA-256 of
// "baken:" + name, with the version (5, name-based) and variant bits of RFC 4122 set, so that
// MISP and STIX (whose identifiers allow versions 1 to 5 only) both accept it.
std::string DerivedUuid(std::string_view name);

// The uuid an event is exported under (see above), in lower case.
std::string ExportEventUuid(const IntelEvent& event);

// ---------------------------------------------------------------------------------------------
// MISP

// Where MISP has no place for Baken's "valid until", an attribute carries it as this machine
// tag, `baken:valid-until="2027-01-31T00:00:00Z"`; misp_reader.h reads it back.
inline constexpr std::string_view kValidUntilTag = "baken:valid-until";

struct MispWriteOptions {
  // The organisation that publishes the export (the CERT): the events' Orgc when an event does
  // not name its creator.
  std::string organisation = "Baken";
  std::string organisation_uuid;  // empty: derived from `organisation`
  // The time written as the events' and attributes' timestamp, "YYYY-MM-DDTHH:MM:SSZ". A feed's
  // recipients fetch an event again when it grows, so pass the time of the last change of what
  // is exported rather than the time of writing.
  std::string timestamp;
};

// One event as {"Event": {...}} in the MISP core format: TLP as a tlp: tag (TLP 2.0 names), an
// attribute's own tlp: tag where it is stricter than its event, MISP's distribution from the
// event's distribution and TLP (AMBER and stricter: "your organisation only"), indicators of one
// group in one MISP object (a pair read from one composite attribute as that attribute again).
// An error only for options that are not usable (a timestamp that is not a time).
Result<ExportOutput> WriteMispEvent(const IntelEvent& event, const MispWriteOptions& options);

// Several events as MISP's restSearch answers: {"response": [{"Event": …}, …]}.
Result<ExportOutput> WriteMispEvents(const std::vector<IntelEvent>& events,
                                     const MispWriteOptions& options);

// A MISP feed as files: manifest.json (uuid → info, date, timestamp, threat level, analysis,
// Orgc, Tag), one <uuid>.json per event, and hashes.csv (`md5,event uuid` in MISP's own order,
// the MD5 of each for-detection value).
struct MispFeedOutput {
  std::map<std::string, std::string> files;  // file name → content
  size_t written = 0;                        // events
  std::vector<std::string> left_out;
};

Result<MispFeedOutput> WriteMispFeed(const std::vector<IntelEvent>& events,
                                     const MispWriteOptions& options);

// ---------------------------------------------------------------------------------------------
// STIX 2.1

struct StixWriteOptions {
  std::string now;  // "YYYY-MM-DDTHH:MM:SSZ": created, modified, and valid_from when none known
  std::string creator = "Baken";  // the identity that created the objects
};

// A bundle: the creator's identity, the TLP 2.0 marking definitions used (OASIS's standard ids),
// per event a `report` referring to one `indicator` per detectable value (a `[…]` STIX pattern)
// and one `vulnerability` per CVE. An event with nothing to refer to is left out: a report
// must refer to something. Groups are not kept: each value is an indicator of its own.
Result<ExportOutput> WriteStixBundle(const std::vector<IntelEvent>& events,
                                     const StixWriteOptions& options);

// ---------------------------------------------------------------------------------------------
// Block lists

enum class BlockListKind {
  kAddresses,  // ip and cidr
  kDomains,    // domain and host
};

// One value per line, each once, in the order first met.
ExportOutput WritePlainBlockList(const std::vector<IntelEvent>& events, BlockListKind kind);

// kind,value,tlp,valid_until,event: a header and one row per detectable indicator, each cell as
// common/csv_writer.h writes it (quoted, and defused for spreadsheet programs).
ExportOutput WriteCsvList(const std::vector<IntelEvent>& events);

struct RpzOptions {
  std::string origin;   // the zone's name, "rpz.baken.local."
  uint32_t serial = 1;  // the SOA serial; the caller makes it grow
  uint32_t ttl = 300;
  // The apex's name server and the SOA's contact; RPZ zones are only transferred, never asked,
  // so the conventional "localhost." does.
  std::string name_server = "localhost.";
  std::string contact = "hostmaster.localhost.";
};

// A DNS response-policy zone (RPZ): SOA and NS at the apex, then for each domain `name CNAME .`
// and `*.name CNAME .` (NXDOMAIN for it and everything under it). A name DNS cannot hold in this
// zone (not a host name, too long below the origin) is left out. An error for an origin that is
// not a domain name.
Result<ExportOutput> WriteRpzZone(const std::vector<IntelEvent>& events, const RpzOptions& options);

struct SuricataOptions {
  uint32_t sid_base = 9'100'000;  // the first rule's sid; each value gets the next
  uint32_t rev = 1;
};

// Suricata 6/7 rules: `alert ip any any <> ADDRESS any` per address or network, and per domain
// an `alert dns` rule on dns.query matching it and its subdomains (dotprefix + endswith). The
// message names the event; what in it could end the message or the rule is escaped and line
// breaks and other control characters become spaces. An error when the sids would overflow.
Result<ExportOutput> WriteSuricataRules(const std::vector<IntelEvent>& events,
                                        const SuricataOptions& options);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_EXPORT_FORMATS_H_
