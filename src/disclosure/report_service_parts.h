#ifndef BAKEN_DISCLOSURE_REPORT_SERVICE_PARTS_H_
#define BAKEN_DISCLOSURE_REPORT_SERVICE_PARTS_H_

// What the files of ReportService (report_service*.cc) share; not for other modules.

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "store/disclosure_repository.h"
#include "store/store.h"

namespace baken::disclosure::parts {

tl::unexpected<Error> StaffOnly();
// Someone else changed the report or notification between reading and saving it.
tl::unexpected<Error> Changed();

// A line in the report's history (`member`: a notification's change).
Status Record(store::Transaction& tx, int64_t report, std::optional<std::string> member,
              std::string_view at, std::string_view actor, std::string_view action,
              std::optional<std::string> from = std::nullopt,
              std::optional<std::string> to = std::nullopt,
              std::optional<std::string> detail = std::nullopt);
// A mail the notify job plans: `kind` to `member`, or (no member) to the reporter or analysts.
Status Notice(store::Transaction& tx, int64_t report, std::optional<std::string> member,
              std::string_view kind, std::string_view now);
// A notification the member knows of: neither a candidate nor withdrawn.
bool Active(const store::VulnerabilityNotification& notification);

}  // namespace baken::disclosure::parts

#endif  // BAKEN_DISCLOSURE_REPORT_SERVICE_PARTS_H_
