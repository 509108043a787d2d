#include "service/digests.h"

#include "common/time.h"

namespace baken::service {

DigestPeriod DigestPeriodAt(std::chrono::system_clock::time_point now, int64_t seconds) {
  const int64_t length = seconds > 0 ? seconds : 86400;
  const int64_t at =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return DigestPeriod{at - at % length, length};
}

Result<int64_t> OpenDigestFor(store::Transaction& tx, const store::EventRecord& record,
                              const DigestPeriod& period, std::string_view now,
                              std::vector<int64_t>* opened) {
  for (int64_t start = period.start;; start += period.seconds) {
    const std::string starts =
        FormatUtc(std::chrono::system_clock::time_point(std::chrono::seconds(start)));
    const store::DigestKey key{*record.member, record.feed_name, record.tlp, starts};
    BAKEN_ASSIGN_OR_RETURN(const std::optional<store::Digest> found, tx.Digests().Find(key));
    if (found && !found->open) continue;
    if (found) return found->id;
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, tx.Digests().Create(key, starts, now));
    opened->push_back(id);
    return id;
  }
}

}  // namespace baken::service
