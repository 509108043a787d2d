#ifndef BAKEN_FEEDS_FEED_FILE_H_
#define BAKEN_FEEDS_FEED_FILE_H_

// One entry point for every feed format: recognises the format (unless told) and hands the
// stream to its parser.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/byte_source.h"
#include "common/error.h"
#include "feeds/mapped_csv.h"
#include "feeds/parse_sink.h"
#include "feeds/shadowserver.h"

namespace baken::feeds {

enum class FeedKind { kShadowserver, kIntelMq, kCsv };
std::string_view Name(FeedKind kind);
std::optional<FeedKind> ParseFeedKind(std::string_view text);

struct FeedOptions {
  std::optional<FeedKind> kind;  // recognised when not given
  std::string report;            // Shadowserver report type; from the name or header if empty
  const ShadowserverSchema* schema = nullptr;  // the built-in one when null
  const CsvMapping* mapping = nullptr;         // needed for kCsv
};

// Parses one input. `name` is the file name (for recognising the format and report type).
// Recognition: a .json/.jsonl/.ndjson name or a first character '{' is IntelMQ JSON lines;
// otherwise CSV with a mapping when one is given, else a Shadowserver report, whose type comes
// from --report, the file name, or the header (when exactly one report fits it).
// Fails when the whole input cannot be read (unknown report, missing columns); row problems go
// to the sink.
Status ParseFeed(std::string_view name, std::unique_ptr<ByteSource> input,
                 const FeedOptions& options, const ParseContext& context, ParseSink& sink);

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_FEED_FILE_H_
