#include "service/digests.h"

#include "common/time.h"

namespace baken::service {

DigestPeriod DigestPeriodAt(std::chrono::system_clock::time_point now, int64_t seconds) {
  const int64_t length = seconds > 0 ? seconds : 86400;
  const int64_t at =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return DigestPeriod{at - at % length, length};
}

namespace {

std::string PeriodText(int64_t start) {
  return FormatUtc(std::chrono::system_clock::time_point(std::chrono::seconds(start)));
}

std::string KnownKey(std::string_view member, std::string_view feed_name, std::string_view tlp,
                     std::string_view period) {
  std::string key;
  key.reserve(member.size() + feed_name.size() + tlp.size() + period.size() + 3);
  key.append(member).append(1, '\x1F').append(feed_name).append(1, '\x1F');
  key.append(tlp).append(1, '\x1F').append(period);
  return key;
}

}  // namespace

DigestOpener::DigestOpener(store::Transaction& tx, const DigestPeriod& period, std::string now)
    : tx_(tx), period_(period), period_start_(PeriodText(period.start)), now_(std::move(now)) {}

Status DigestOpener::LoadFeed(const std::string& feed_name) {
  BAKEN_ASSIGN_OR_RETURN(const std::vector<store::DigestState> digests,
                         tx_.Digests().OfFeedFrom(feed_name, period_start_));
  for (const store::DigestState& digest : digests) {
    known_.insert_or_assign(
        KnownKey(digest.key.member, digest.key.feed_name, digest.key.tlp, digest.key.period),
        std::pair(digest.id, digest.open));
  }
  loaded_feeds_.insert(feed_name);
  return {};
}

Result<int64_t> DigestOpener::For(const store::EventRecord& record) {
  // Asked for every routed event: the key is built in a kept buffer, not a new string.
  std::string& given_key = given_key_buffer_;
  given_key.assign(*record.member).append(1, '\x1F').append(record.feed_name);
  given_key.append(1, '\x1F').append(record.tlp);
  if (const auto it = given_.find(given_key); it != given_.end()) return it->second;
  if (!loaded_feeds_.contains(record.feed_name)) {
    BAKEN_RETURN_IF_ERROR(LoadFeed(record.feed_name));
  }
  for (int64_t start = period_.start;; start += period_.seconds) {
    const std::string period = start == period_.start ? period_start_ : PeriodText(start);
    const std::string known_key = KnownKey(*record.member, record.feed_name, record.tlp, period);
    if (const auto it = known_.find(known_key); it != known_.end()) {
      if (!it->second.second) continue;  // closed: its message is planned
      given_.emplace(given_key, it->second.first);
      return it->second.first;
    }
    const store::DigestKey key{*record.member, record.feed_name, record.tlp, period};
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, tx_.Digests().Create(key, period, now_));
    opened_.push_back(id);
    known_.emplace(known_key, std::pair(id, true));
    given_.emplace(given_key, id);
    return id;
  }
}

}  // namespace baken::service
