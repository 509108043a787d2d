#ifndef BAKEN_FEEDS_SHADOWSERVER_H_
#define BAKEN_FEEDS_SHADOWSERVER_H_

// Shadowserver CSV reports, parsed the way IntelMQ's schema-driven parser does: Shadowserver
// publishes, per report type, which CSV column becomes which IntelMQ field and with which
// conversion (../shared/fixtures/shadowserver/schema/intelmq.json). Baken ships a copy of that
// schema (data/shadowserver-schema.json, compiled in) and can load a newer one at run time.
//
// Columns are matched by header name, so old and new layouts of a report both parse: a
// missing optional column is fine, a column the schema does not know goes to `extra.<column>`,
// and an optional value that does not fit its field is kept as `extra.<column>` rather than
// lost. A row is refused only when a required value (time, IP, port) is missing or invalid.
// A network in an IP column (`ip` = "198.51.100.0/24") makes the event about that network
// (source.network).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/byte_source.h"
#include "common/error.h"
#include "feeds/parse_sink.h"

namespace baken::feeds {

// The conversion functions named in the schema (IntelMQ's shadowserver/_config.py).
enum class Conversion {
  kNone,
  kAddUtcToTimestamp,
  kConvertBool,
  kValidateToNone,
  kConvertInt,
  kConvertFloat,
  kInvalidateZero,
  kValidateIp,
  kValidateNetwork,
  kValidateFqdn,
  kConvertDate,
  kConvertDateUtc,
  kForceBase64,
  kConvertHttpHostAndUrl,
  kScanExchangeTaxonomy,
  kScanExchangeType,
  kScanExchangeIdentifier,
  kCategoryOrDetail,
  kExtractCveFromTag,
};

struct ColumnMapping {
  std::string key;     // an IntelMQ key; "extra." means extra.<column>; empty: drop the column
  std::string column;  // CSV header name
  Conversion conversion = Conversion::kNone;
  bool required = false;
};

struct ReportSpec {
  std::string report_type;  // the schema's file_name, e.g. "scan_http"
  std::string feed_name;    // e.g. "Accessible-HTTP"
  std::string documentation_url;
  std::vector<std::pair<std::string, std::string>> constants;
  std::vector<ColumnMapping> columns;
};

class ShadowserverSchema {
 public:
  // Parses the schema JSON. `source` names it in errors. Unknown conversion names are refused,
  // so a newer schema that needs code Baken lacks says so instead of mis-parsing.
  static Result<ShadowserverSchema> Parse(std::string_view json_text, std::string_view source);
  static Result<ShadowserverSchema> Load(const std::string& path);
  // The copy shipped with Baken.
  static const ShadowserverSchema& BuiltIn();

  const ReportSpec* Find(std::string_view report_type) const;
  // The report whose columns fit a header: every required column present and the largest share
  // of the header's columns known. Fails, naming the candidates, when none or several fit.
  // When the only candidates are a report and its IPv6 twin (scan_dns, scan6_dns), the address
  // in `first_row` (the first data row, if given) decides.
  Result<const ReportSpec*> MatchHeader(
      const std::vector<std::string>& header,
      const std::vector<std::string_view>* first_row = nullptr) const;
  size_t size() const { return reports_.size(); }
  const std::string& date_created() const { return date_created_; }

 private:
  std::unordered_map<std::string, ReportSpec> reports_;
  std::string date_created_;
};

// The report type in a Shadowserver file name: "2026-11-23-scan_http-nl-geo.csv" -> "scan_http";
// also a bare "scan_http.csv". A ".gz" suffix is ignored. nullopt when the name has no type.
std::optional<std::string> ReportTypeFromFileName(std::string_view file_name);

// Parses one report of type `report_type` (recognised from the header when empty). Fails
// (nothing delivered) for an unknown report type, a missing header or a missing required
// column; row problems go to sink.OnReject and the other rows go on.
//
// Rows are read as their senders meant them (docs/decisions/0011-lenient-feeds.md): a row
// short of trailing fields has them empty; quotes that break the CSV rules are read
// leniently (CsvReader::set_lenient_quotes) and the event keeps the line in `raw`; each of
// these is named once in a note (sink.OnNote).
//
// `type_from_file_name`: a report type the file name gives that the schema does not have
// (an older name such as dns_openresolver). The header then decides: the error names the
// type when no current type fits, and a note does when one does.
Status ParseShadowserver(ByteSource& input, const ShadowserverSchema& schema,
                         std::string_view report_type, const ParseContext& context, ParseSink& sink,
                         std::string_view type_from_file_name = {});

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_SHADOWSERVER_H_
