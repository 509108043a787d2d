#ifndef BAKEN_FEEDS_DEDUP_H_
#define BAKEN_FEEDS_DEDUP_H_

// When two events are "the same finding": the same member, the same problem
// (classification.identifier, else classification.type), the same system (source.ip, else
// source.fqdn, source.url or source.network), the same port, on the same UTC day of
// time.source. A day is the bucket because feeds report once a day (Shadowserver's reports are
// daily scans) and members want one notice per problem per day, not one per scan; an event
// without time.source falls in one "undated" bucket, so re-reading an undated list adds
// nothing either. docs/decisions/0004-event-model.md says more.

#include <string>
#include <string_view>

#include "feeds/event.h"

namespace baken::feeds {

// "GM0363|open-rdp|192.0.2.1|3389|2026-11-22"; `member` is empty for an unrouted event ("-").
std::string DedupKey(std::string_view member, const Event& event);
// The same into *key, reusing its memory: ingest builds one for every row.
void DedupKeyInto(std::string_view member, const Event& event, std::string* key);

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_DEDUP_H_
