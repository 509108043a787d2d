#ifndef BAKEN_ADVISORIES_ADVISORY_H_
#define BAKEN_ADVISORIES_ADVISORY_H_

// One internal model for security advisories, whether they came as CSAF 2.0 documents or as
// CVE JSON 5 records: what the document is (tracking, TLP, notes), which products it speaks
// of (the CSAF product tree flattened to one record per product; a CVE record's `affected`
// entries), and per vulnerability what it says about each product (status, remediation,
// scores, threats). Nothing the matcher or a warning needs is dropped; what was odd about the
// document is kept as problems, each with the JSON pointer of its place.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "advisories/version.h"
#include "common/tlp.h"

namespace baken::advisories {

enum class Format { kCsaf, kCve };

// A problem found while reading: the place (a JSON pointer) and what is wrong with it.
struct Problem {
  std::string where;
  std::string what;
};

struct Note {
  std::string category;  // CSAF note category ("description", "summary", ...); CVE: "description"
  std::string title;
  std::string text;
};

// A document reference (CSAF document.references): "self" is where the publisher keeps it.
struct Reference {
  std::string category;  // "self" or "external"
  std::string summary;
  std::string url;
};

struct Revision {
  std::string number;
  std::string date;
  std::string summary;
};

// One entry of a CVE record's `versions` (schema 5, versions.md), kept as written.
struct CveVersion {
  std::string version;
  std::string status;        // "affected", "unaffected", "unknown"
  std::string version_type;  // "semver", "rpm", "custom", ... or empty
  std::optional<std::string> less_than;
  std::optional<std::string> less_than_or_equal;
  std::vector<std::pair<std::string, std::string>> changes;  // (at, status)
};

struct Product {
  std::string id;    // CSAF product_id; CVE: "affected[N]"
  std::string name;  // CSAF full_product_name.name; CVE: vendor and product
  std::string vendor;
  std::string family;
  std::string product_name;
  std::string version;                // an exact version (product_version, service_pack, ...)
  std::optional<VersionRange> range;  // product_version_range, or a version written as a range
  std::optional<std::string> cpe;     // product identification helpers, as written
  std::optional<std::string> purl;
  bool purl_derived = false;  // made by Baken (from a CVE collectionURL), not given
  std::vector<std::string> model_numbers;
  // A CSAF relationship: this product is `component_id` as part of `platform_id`.
  std::string relationship;  // "default_component_of", ...; empty when none
  std::string component_id;
  std::string platform_id;
  // A CVE record's versions of this product, evaluated when matching.
  std::vector<CveVersion> cve_versions;
  std::string default_status;  // CVE defaultStatus; empty when absent
};

enum class ProductStatus {
  kFirstAffected,
  kKnownAffected,
  kLastAffected,
  kKnownNotAffected,
  kFirstFixed,
  kFixed,
  kUnderInvestigation,
  kRecommended,
};
std::string_view Name(ProductStatus status);  // the CSAF key, e.g. "known_not_affected"

struct Remediation {
  std::string category;  // vendor_fix, mitigation, workaround, none_available, no_fix_planned
  std::string details;
  std::string url;
  std::vector<std::string> product_ids;  // groups expanded; empty for a CVE (all products)
};

struct Score {
  std::vector<std::string> product_ids;  // empty: the whole vulnerability (CVE)
  std::string cvss_version;              // "2.0", "3.0", "3.1", "4.0"
  double base_score = 0;
  std::string vector;
  std::string source;  // CVE: "cna" or the ADP's short name
};

struct Threat {
  std::string category;  // impact, exploit_status, target_set
  std::string details;
  std::vector<std::string> product_ids;
};

struct Flag {
  std::string label;  // component_not_present, vulnerable_code_not_present, ...
  std::vector<std::string> product_ids;
};

struct Vulnerability {
  std::string cve;  // empty when the document gives none
  std::string title;
  std::vector<std::string> ids;  // other identifiers, "system: text"
  std::string cwe;
  std::vector<Note> notes;
  std::map<std::string, std::vector<ProductStatus>> status;  // product id -> statuses
  std::vector<Remediation> remediations;
  std::vector<Score> scores;
  std::vector<Threat> threats;
  std::vector<Flag> flags;
  std::string ssvc_exploitation;  // CVE ADP SSVC "Exploitation": none, poc, active; or empty
};

struct Advisory {
  Format format = Format::kCsaf;
  std::string id;                   // document.tracking.id; the CVE id
  std::string publisher_namespace;  // identity with `id`; CVE: "https://www.cve.org"
  std::string publisher_name;
  std::string category;  // csaf_security_advisory, csaf_vex, ...; CVE: "cve_record"
  std::string version;   // tracking.version; CVE: dateUpdated
  std::string status;    // draft, interim, final; CVE: PUBLISHED, REJECTED
  std::string title;
  std::string lang;
  std::string initial_release;
  std::string current_release;
  std::vector<Revision> revisions;
  std::optional<Tlp> tlp;  // as the document says; absent when it says nothing
  std::string aggregate_severity;
  std::vector<Note> notes;
  std::vector<Reference> references;
  std::vector<Product> products;
  std::vector<Vulnerability> vulnerabilities;
  std::vector<Problem> problems;

  const Product* FindProduct(std::string_view product_id) const;
};

}  // namespace baken::advisories

#endif  // BAKEN_ADVISORIES_ADVISORY_H_
