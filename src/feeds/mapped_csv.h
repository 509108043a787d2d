#ifndef BAKEN_FEEDS_MAPPED_CSV_H_
#define BAKEN_FEEDS_MAPPED_CSV_H_

// Plain CSV lists, as researchers send them, read with a small mapping file that says which
// column holds which IntelMQ field and which values every event gets:
//
//   {"feed": {"name": "Citrix scan by J. Jansen", "provider": "J. Jansen"},
//    "columns": {"source.ip": "ip", "source.port": "port", "time.source": "seen",
//                "product.vulnerabilities": "cve"},
//    "constants": {"classification.type": "vulnerable-system",
//                  "classification.identifier": "citrix-netscaler"},
//    "delimiter": ","}
//
// Columns the mapping does not name are kept as extra.<column>. Every event needs a source
// (source.ip, source.fqdn or source.url); a row without one is refused.

#include <string>
#include <utility>
#include <vector>

#include "common/byte_source.h"
#include "common/error.h"
#include "feeds/parse_sink.h"

namespace baken::feeds {

struct CsvMapping {
  std::string feed_name;
  std::string feed_provider;
  std::vector<std::pair<std::string, std::string>> columns;    // IntelMQ key -> CSV column
  std::vector<std::pair<std::string, std::string>> constants;  // IntelMQ key -> value
  char delimiter = ',';
};

// Parses and checks a mapping file's text; `source` names it in errors.
Result<CsvMapping> ParseCsvMapping(std::string_view json_text, std::string_view source);
Result<CsvMapping> LoadCsvMapping(const std::string& path);

// Fails (nothing delivered) when the header lacks a mapped column.
Status ParseMappedCsv(ByteSource& input, const CsvMapping& mapping, const ParseContext& context,
                      ParseSink& sink);

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_MAPPED_CSV_H_
