#include "feeds/feed_file.h"

#include <fmt/format.h>

#include "feeds/input.h"
#include "feeds/intelmq_json.h"
#include "net/quote.h"

namespace baken::feeds {

std::string_view Name(FeedKind kind) {
  switch (kind) {
    case FeedKind::kShadowserver:
      return "shadowserver";
    case FeedKind::kIntelMq:
      return "intelmq";
    case FeedKind::kCsv:
      return "csv";
  }
  return "";
}

std::optional<FeedKind> ParseFeedKind(std::string_view text) {
  for (FeedKind kind : {FeedKind::kShadowserver, FeedKind::kIntelMq, FeedKind::kCsv}) {
    if (Name(kind) == text) return kind;
  }
  return std::nullopt;
}

namespace {

bool HasJsonName(std::string_view name) {
  if (name.ends_with(".gz")) name.remove_suffix(3);
  return name.ends_with(".json") || name.ends_with(".jsonl") || name.ends_with(".ndjson");
}

}  // namespace

Status ParseFeed(std::string_view name, std::unique_ptr<ByteSource> input,
                 const FeedOptions& options, const ParseContext& context, ParseSink& sink) {
  std::optional<FeedKind> kind = options.kind;
  if (!kind) {
    const std::string head = Peek(&input, 512);
    const size_t first = head.find_first_not_of(" \t\r\n");
    const bool starts_with_brace = first != std::string::npos && head[first] == '{';
    if (HasJsonName(name) || starts_with_brace) {
      kind = FeedKind::kIntelMq;
    } else {
      kind = options.mapping != nullptr ? FeedKind::kCsv : FeedKind::kShadowserver;
    }
  }
  switch (*kind) {
    case FeedKind::kIntelMq:
      ParseIntelMqJsonLines(*input, context, sink);
      break;
    case FeedKind::kCsv:
      if (options.mapping == nullptr) {
        return InvalidArgument("a CSV list needs a mapping file (--mapping FILE)");
      }
      BAKEN_RETURN_IF_ERROR(ParseMappedCsv(*input, *options.mapping, context, sink));
      break;
    case FeedKind::kShadowserver: {
      const ShadowserverSchema& schema =
          options.schema != nullptr ? *options.schema : ShadowserverSchema::BuiltIn();
      std::string report = options.report;
      if (report.empty()) {
        const std::optional<std::string> from_name = ReportTypeFromFileName(name);
        if (from_name && schema.Find(*from_name) != nullptr) report = *from_name;
      }
      BAKEN_RETURN_IF_ERROR(ParseShadowserver(*input, schema, report, context, sink));
      break;
    }
  }
  if (const auto error = input->error()) {
    return InvalidArgument(fmt::format("reading stopped early: {}", *error));
  }
  return {};
}

}  // namespace baken::feeds
