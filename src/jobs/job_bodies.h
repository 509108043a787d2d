#ifndef BAKEN_JOBS_JOB_BODIES_H_
#define BAKEN_JOBS_JOB_BODIES_H_

// What each scheduled job does, in the process `baken job run NAME` is (decision 0019): the
// services every other command uses, one pass each.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "disclosure/report_mail.h"
#include "oncall/page_sources.h"
#include "oncall/paging_service.h"
#include "service/notify_service.h"
#include "store/store.h"

namespace baken::jobs {

struct JobContext {
  std::optional<service::NotifySettings> notify;  // nullopt: no mail server
  int retention_days = 180;
  std::vector<std::string> advisory_providers;
  oncall::PageMail page_mail;                  // how pages go out
  oncall::PageSources page_sources;            // what Baken pages for by itself
  disclosure::DisclosureSettings disclosure;   // reminders of researchers' reports
  disclosure::ReportMailSettings report_mail;  // how their notices go out
};

// What a run did, and why it failed, if it did. A job that did part of its work (one of
// several providers unreachable) has both.
struct JobResult {
  nlohmann::json summary;
  std::optional<std::string> error;
};

// Runs the job once.
JobResult RunJobHere(store::Store& store, std::string_view name, const JobContext& context);

}  // namespace baken::jobs

#endif  // BAKEN_JOBS_JOB_BODIES_H_
