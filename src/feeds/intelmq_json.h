#ifndef BAKEN_FEEDS_INTELMQ_JSON_H_
#define BAKEN_FEEDS_INTELMQ_JSON_H_

// IntelMQ events as JSON lines: one flat JSON object per line with dotted keys, as IntelMQ's
// file output writes them. Every value is checked against the harmonization, as IntelMQ does
// when it reads a message; `extra` may be a nested object or flattened `extra.*` keys.

#include "common/byte_source.h"
#include "common/error.h"
#include "feeds/parse_sink.h"

namespace baken::feeds {

// Parses one line into `event` (cleared first).
Status ParseIntelMqLine(std::string_view line, Event& event);

// Parses a JSON-lines stream. Empty lines are skipped; a bad line is rejected and the rest go
// on. time.observation is kept when the event has one, else taken from the context.
void ParseIntelMqJsonLines(ByteSource& input, const ParseContext& context, ParseSink& sink);

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_INTELMQ_JSON_H_
