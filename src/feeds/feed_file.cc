#include "feeds/feed_file.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/quote.h"
#include "feeds/input.h"
#include "feeds/intelmq_json.h"

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

// Shadowserver's own naming, "YYYY-MM-DD-<report type>-<suffix>.csv": the part after the date
// is meant as a report type, unlike the words of a name such as "upload.csv".
bool HasShadowserverName(std::string_view name) {
  if (const size_t slash = name.find_last_of('/'); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  const auto digits = [&](size_t from, size_t count) {
    return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(from),
                       name.begin() + static_cast<std::ptrdiff_t>(from + count),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  return name.size() > 11 && digits(0, 4) && name[4] == '-' && digits(5, 2) && name[7] == '-' &&
         digits(8, 2) && name[10] == '-';
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
      // The built-in schema is read one report at a time where the type is known: the whole
      // of it only to recognise a file by its header.
      const auto schema_with = [&](std::string_view type) -> const ShadowserverSchema* {
        if (options.schema == nullptr) return ShadowserverSchema::BuiltInFor(type);
        return options.schema->Find(type) != nullptr ? options.schema : nullptr;
      };
      const ShadowserverSchema* schema = nullptr;
      std::string report = options.report;
      std::string type_not_in_schema;
      if (!report.empty()) {
        schema = schema_with(report);
      } else if (std::optional<std::string> from_name = ReportTypeFromFileName(name)) {
        if ((schema = schema_with(*from_name)) != nullptr) {
          report = std::move(*from_name);
        } else if (HasShadowserverName(name)) {
          // Named like a Shadowserver report, but with a type the schema no longer has.
          type_not_in_schema = std::move(*from_name);
        }
      }
      if (schema == nullptr) {
        schema = options.schema != nullptr ? options.schema : &ShadowserverSchema::BuiltIn();
      }
      BAKEN_RETURN_IF_ERROR(
          ParseShadowserver(*input, *schema, report, context, sink, type_not_in_schema));
      break;
    }
  }
  if (const auto error = input->error()) {
    return InvalidArgument(fmt::format("reading stopped early: {}", *error));
  }
  return {};
}

}  // namespace baken::feeds
