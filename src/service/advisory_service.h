#ifndef BAKEN_SERVICE_ADVISORY_SERVICE_H_
#define BAKEN_SERVICE_ADVISORY_SERVICE_H_

// Advisories: importing CSAF documents and CVE records (a new revision replaces the old one,
// which is kept), listing them, and matching one against every member's inventory. Shared by
// the command line and the HTTP API. Staff only: matches show which members run what.

#include <string>
#include <string_view>
#include <vector>

#include "advisories/matcher.h"
#include "auth/principal.h"
#include "common/error.h"
#include "registry/member_json.h"
#include "store/store.h"

namespace baken::service {

struct AdvisoryImportSummary {
  int64_t imported = 0;   // new advisories
  int64_t updated = 0;    // newer revisions of known ones
  int64_t unchanged = 0;  // the same revision again, or an older one
  struct Refused {
    std::string file;
    std::vector<std::string> reasons;
  };
  std::vector<Refused> refused;
  // Messy parts of accepted documents: file, place, problem.
  struct Flagged {
    std::string file;
    std::string where;
    std::string what;
  };
  std::vector<Flagged> flagged;
};
registry::Json ImportSummaryToJson(const AdvisoryImportSummary& summary);

registry::Json MatchToJson(const advisories::Match& match);
// An advisory as stored (without its document): id, publisher, format, version, title, TLP.
registry::Json StoredAdvisoryToJson(const store::StoredAdvisory& advisory);
// A warning issued to a member, as the API shows it.
registry::Json WarningToJson(const store::WarningRecord& warning);

inline constexpr size_t kMaxWarningNoteLength = 1000;
// The states a warning can have, as the API names them.
bool IsWarningState(std::string_view state);
struct AdvisoryPage {
  std::vector<store::StoredAdvisory> advisories;
  int64_t total = 0;
};

class AdvisoryService {
 public:
  explicit AdvisoryService(store::Store& store) : store_(store) {}

  // Files, and the *.json files directly in directories. A refused file is listed with its
  // reasons; the others are still imported.
  Result<AdvisoryImportSummary> ImportFiles(const auth::Principal& who,
                                            const std::vector<std::string>& paths);
  // One document's bytes (an upload), named `name` in the summary.
  Result<AdvisoryImportSummary> ImportDocument(const auth::Principal& who, std::string_view name,
                                               std::string_view bytes);
  // One document's bytes, labelled `label` (a URL for a synced document), added to *summary.
  Status ImportInto(const auth::Principal& who, const std::string& label, std::string_view bytes,
                    AdvisoryImportSummary* summary);
  Result<std::vector<store::StoredAdvisory>> List(const auth::Principal& who);
  // Staff only: one page of the advisories that match `query`, and how many match.
  Result<AdvisoryPage> Find(const auth::Principal& who, const store::AdvisoryQuery& query);
  // The advisory with this id as the API shows it: what it is, its vulnerabilities, the odd
  // parts found when reading it, and its matches. kNotFound when no advisory has the id.
  Result<registry::Json> Describe(const auth::Principal& who, std::string_view id);
  // The matches of the advisory with this id (CSAF tracking id or CVE id) against every
  // member's assets; kNotFound when no advisory has the id.
  Result<std::vector<advisories::Match>> Matches(const auth::Principal& who, std::string_view id);
  // The warnings issued to the caller's member (analysts: to every member) since `since`
  // ("YYYY-MM-DD" or a UTC timestamp; empty for all), newest first, at most `limit`. A member's
  // users do not see TLP:RED warnings: those are held until an analyst decides.
  Result<std::vector<store::WarningRecord>> Warnings(const auth::Principal& who,
                                                     std::string_view since, int64_t limit);
  // One warning with the member's affected assets, their risk, CVEs and remediations;
  // kNotFound when it does not exist or is out of the caller's scope (or TLP:RED for a member).
  Result<registry::Json> DescribeWarning(const auth::Principal& who, int64_t id);
  // A page of the warnings in the caller's scope (analysts: every member's, TLP:RED too), for
  // the portal's list; `query.with_red` is decided here.
  Result<store::WarningPage> PageWarnings(const auth::Principal& who, store::WarningQuery query);
  // What the member did about a warning: `state` is "open", "handled" or "not_applicable",
  // `note` why (at most kMaxWarningNoteLength characters). The member's users and analysts may
  // set it; another member's warning does not exist for a member's user (kNotFound). Audited
  // as warning.state. The warning as it is now.
  Result<store::WarningRecord> SetWarningState(const auth::Principal& who, int64_t id,
                                               std::string_view state, std::string_view note);

 private:
  Status ImportOne(const auth::Principal& who, const std::string& file, std::string_view bytes,
                   AdvisoryImportSummary* summary);
  store::Store& store_;
};

}  // namespace baken::service

#endif  // BAKEN_SERVICE_ADVISORY_SERVICE_H_
