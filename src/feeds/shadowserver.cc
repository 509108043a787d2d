#include "feeds/shadowserver.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "common/csv_reader.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "common/text.h"
#include "feeds/harmonization.h"

namespace baken::feeds {

namespace {

// Whether two short texts are equal, without a call: a row compares most of its values with
// the row before's, and memcmp's call cost more than its work.
inline bool SameShortText(std::string_view a, std::string_view b) {
  const size_t size = a.size();
  if (size != b.size()) return false;
  if (size > 16) return a == b;
  const auto load = [](const char* at, size_t n) {
    uint64_t word = 0;
    std::memcpy(&word, at, n);
    return word;
  };
  if (size >= 8) {
    return load(a.data(), 8) == load(b.data(), 8) &&
           load(a.data() + size - 8, 8) == load(b.data() + size - 8, 8);
  }
  if (size >= 4) {
    return load(a.data(), 4) == load(b.data(), 4) &&
           load(a.data() + size - 4, 4) == load(b.data() + size - 4, 4);
  }
  for (size_t i = 0; i < size; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

struct ConversionName {
  std::string_view name;
  Conversion conversion;
};

constexpr ConversionName kConversions[] = {
    {"add_UTC_to_timestamp", Conversion::kAddUtcToTimestamp},
    {"convert_bool", Conversion::kConvertBool},
    {"validate_to_none", Conversion::kValidateToNone},
    {"convert_int", Conversion::kConvertInt},
    {"convert_float", Conversion::kConvertFloat},
    {"invalidate_zero", Conversion::kInvalidateZero},
    {"validate_ip", Conversion::kValidateIp},
    {"validate_network", Conversion::kValidateNetwork},
    {"validate_fqdn", Conversion::kValidateFqdn},
    {"convert_date", Conversion::kConvertDate},
    {"convert_date_utc", Conversion::kConvertDateUtc},
    {"force_base64", Conversion::kForceBase64},
    {"convert_http_host_and_url", Conversion::kConvertHttpHostAndUrl},
    {"scan_exchange_taxonomy", Conversion::kScanExchangeTaxonomy},
    {"scan_exchange_type", Conversion::kScanExchangeType},
    {"scan_exchange_identifier", Conversion::kScanExchangeIdentifier},
    {"category_or_detail", Conversion::kCategoryOrDetail},
    {"extract_cve_from_tag", Conversion::kExtractCveFromTag},
};

// True when `text`, in lower case, is `lower`.
bool EqualsLower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c =
        text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != lower[i]) return false;
  }
  return true;
}

bool IsInteger(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool IsFloat(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

Result<ReportSpec> ParseReport(const std::string& name, const nlohmann::json& entry,
                               std::string_view source) {
  const auto fail = [&](std::string_view problem) {
    return InvalidArgument(fmt::format("{}: report {}: {}", source, Quote(name), problem));
  };
  if (!entry.is_object()) return fail("is not an object");
  ReportSpec report;
  report.report_type = entry.value("file_name", name);
  report.feed_name = entry.value("feed_name", "");
  report.documentation_url = entry.value("url", "");
  if (report.feed_name.empty()) return fail("has no feed_name");
  if (const auto it = entry.find("constant_fields"); it != entry.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) return fail("has a constant field that is not a string");
      report.constants.emplace_back(key, value.get<std::string>());
    }
  }
  for (const bool required : {true, false}) {
    const auto it = entry.find(required ? "required_fields" : "optional_fields");
    if (it == entry.end()) continue;
    if (!it->is_array()) return fail("has a field list that is not an array");
    for (const auto& item : *it) {
      if (!item.is_array() || item.size() < 2 || !item[1].is_string()) {
        return fail("has a field mapping that is not [key, column, conversion]");
      }
      ColumnMapping mapping;
      mapping.required = required;
      mapping.column = item[1].get<std::string>();
      if (item[0].is_string()) {
        mapping.key = item[0].get<std::string>();
      } else if (!item[0].is_boolean() || item[0].get<bool>()) {
        return fail("has a field key that is neither a string nor false");
      }
      if (item.size() > 2 && item[2].is_string()) {
        const std::string conversion = item[2].get<std::string>();
        const auto found = std::find_if(std::begin(kConversions), std::end(kConversions),
                                        [&](const auto& c) { return c.name == conversion; });
        if (found == std::end(kConversions)) {
          return fail(fmt::format("uses the conversion {}, which this version of Baken lacks",
                                  Quote(conversion)));
        }
        mapping.conversion = found->conversion;
      }
      report.columns.push_back(std::move(mapping));
    }
  }
  return report;
}

// What a column of a particular file does: each schema mapping that reads it. Everything that
// depends only on the header is worked out here, once per file, so that a row costs little
// more than copying its values.
struct Action {
  const ColumnMapping* mapping;
  std::string key;           // resolved key ("extra.<column>" for "extra.")
  const FieldSpec* spec;     // nullptr for extra keys
  std::string fallback_key;  // extra.<column>, where an invalid optional value goes
  OnExisting on_existing = OnExisting::kAppend;  // kKeep when another source may set the key
  // For an IP column (validate_ip into source.ip or destination.ip): the network field that a
  // network in the column goes to instead ("198.51.100.0/24" in `ip` is source.network).
  const FieldSpec* network_spec = nullptr;
};

struct Binding {
  std::vector<std::vector<Action>> actions;  // per column
  std::vector<std::string> leftover_keys;    // per column: extra.<column>, or empty if consumed
  std::vector<OnExisting> leftover_on_existing;
  std::vector<std::string> header;
};

std::optional<size_t> ColumnIndex(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

Result<Binding> Bind(const std::vector<std::string>& header, const ReportSpec& report) {
  Binding binding;
  binding.header = header;
  for (std::string& name : binding.header) {
    const size_t begin = name.find_first_not_of(' ');
    name = begin == std::string::npos ? ""
                                      : name.substr(begin, name.find_last_not_of(' ') - begin + 1);
  }
  binding.actions.resize(header.size());
  binding.leftover_keys.resize(header.size());
  binding.leftover_on_existing.resize(header.size(), OnExisting::kAppend);
  std::vector<bool> consumed(header.size(), false);
  for (const ColumnMapping& mapping : report.columns) {
    const std::optional<size_t> index = ColumnIndex(binding.header, mapping.column);
    if (!index) {
      if (mapping.required) {
        return InvalidArgument(fmt::format("the column {} that report {} requires is missing",
                                           Quote(mapping.column), report.report_type));
      }
      continue;
    }
    consumed[*index] = true;
    if (mapping.key.empty()) continue;  // the schema drops this column
    Action action{&mapping, mapping.key, nullptr, ExtraKeyForColumn(mapping.column)};
    if (action.key == "extra.") action.key = action.fallback_key;
    action.spec = FindField(action.key);
    if (mapping.conversion == Conversion::kValidateIp &&
        (action.key == "source.ip" || action.key == "destination.ip")) {
      action.network_spec =
          FindField(action.key == "source.ip" ? "source.network" : "destination.network");
    }
    if (action.spec == nullptr && !IsExtraKey(action.key)) {
      // A field this harmonization does not know: IntelMQ keeps it under extra.
      action.key = "extra." + action.key;
      if (!IsExtraKey(action.key)) action.key = action.fallback_key;
    }
    binding.actions[*index].push_back(std::move(action));
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (!consumed[i] && !binding.header[i].empty()) {
      binding.leftover_keys[i] = ExtraKeyForColumn(binding.header[i]);
    }
  }
  // A key that more than one source may set (two mappings, a mapping and a fallback, two
  // columns whose names become the same key, a constant) keeps its first value; all others
  // are appended without looking.
  std::map<std::string, int> sources;
  for (const auto& actions : binding.actions) {
    for (const Action& action : actions) {
      ++sources[action.key];
      if (action.fallback_key != action.key) ++sources[action.fallback_key];
      if (action.network_spec != nullptr) ++sources[std::string(action.network_spec->name)];
    }
  }
  for (const std::string& key : binding.leftover_keys) {
    if (!key.empty()) ++sources[key];
  }
  for (const auto& [key, value] : report.constants) ++sources[key];
  for (auto& actions : binding.actions) {
    for (Action& action : actions) {
      if (sources[action.key] > 1) action.on_existing = OnExisting::kKeep;
    }
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (!binding.leftover_keys[i].empty() && sources[binding.leftover_keys[i]] > 1) {
      binding.leftover_on_existing[i] = OnExisting::kKeep;
    }
  }
  return binding;
}

// Writes the base64 form of `bytes` into *out, reusing its memory.
void Base64Into(std::string_view bytes, std::string* out) {
  out->resize(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL));
  sodium_bin2base64(out->data(), out->size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out->pop_back();  // the terminating NUL
}

// The target of an HTTP request line, which some reports put in their URL column:
// "GET /path HTTP/1.1" -> "/path". Other text is returned unchanged.
std::string_view RequestTarget(std::string_view value) {
  std::string_view text = TrimBlanks(value);
  bool request_line = false;
  size_t method_end = 0;
  while (method_end < text.size() && text[method_end] >= 'A' && text[method_end] <= 'Z') {
    ++method_end;
  }
  if (method_end > 0 && method_end < text.size() &&
      (text[method_end] == ' ' || text[method_end] == '\t')) {
    text = TrimBlanks(text.substr(method_end));
    request_line = true;
  }
  if (const size_t version = text.rfind(" HTTP/"); version != std::string_view::npos) {
    text = TrimBlanks(text.substr(0, version));
    request_line = true;
  }
  return request_line ? text : value;
}

bool HasSystem(const Event& event) {
  static const FieldSpec& ip = KnownField("source.ip");
  static const FieldSpec& fqdn = KnownField("source.fqdn");
  static const FieldSpec& url = KnownField("source.url");
  static const FieldSpec& network = KnownField("source.network");
  return event.Has(ip) || event.Has(fqdn) || event.Has(url) || event.Has(network);
}

class RowParser {
 public:
  RowParser(const ReportSpec& report, Binding binding, const ParseContext& context)
      : binding_(std::move(binding)) {
    // Values that are the same on every row, sanitised once; rows borrow them. Constants come
    // after the columns (a column such as scan_exchange's tag may set the classification).
    for (const auto& [key, value] : report.constants) {
      if (const Status status = fixed_.Add(key, value, OnExisting::kKeep); !status) {
        constant_problem_ = Error(ErrorCode::kInvalidArgument, status.error().message);
      }
    }
    (void)fixed_.Add("feed.provider", "Shadowserver", OnExisting::kKeep);
    (void)fixed_.Add("feed.name", report.feed_name, OnExisting::kKeep);
    (void)fixed_.Add("feed.documentation", report.documentation_url, OnExisting::kKeep);
    (void)fixed_.Add("time.observation", context.observation_time, OnExisting::kKeep);
    for (const EventField& field : fixed_) {
      // Appended without a look when no column maps to the same key.
      bool column_may_set = false;
      for (const auto& actions : binding_.actions) {
        for (const Action& action : actions) {
          column_may_set |= action.key == field.key || action.fallback_key == field.key;
        }
      }
      fixed_on_existing_.push_back(column_may_set ? OnExisting::kKeep : OnExisting::kAppend);
      taxonomy_fixed_ |= field.key == "classification.taxonomy";
    }
    for (size_t column = 0; column < binding_.actions.size(); ++column) {
      for (const Action& action : binding_.actions[column]) {
        Step step;
        step.column = column;
        step.conversion = action.mapping->conversion;
        step.action = &action;
        step.on_existing = action.on_existing;
        step.remembers = OnlyReadsItsValue(step.conversion);
        steps_.push_back(std::move(step));
      }
      if (!binding_.leftover_keys[column].empty()) {
        Step step;
        step.column = column;
        step.leftover = EventField{binding_.leftover_keys[column], {}, ValueKind::kString, nullptr};
        step.on_existing = binding_.leftover_on_existing[column];
        steps_.push_back(std::move(step));
      }
    }
  }

  // Its steps point into its binding.
  RowParser(const RowParser&) = delete;
  RowParser& operator=(const RowParser&) = delete;

  // Fills `event` from `fields`; returns the reason when the row is refused. The event may
  // borrow from `fields` and from the parser until the next call.
  std::optional<Error> Parse(const std::vector<std::string_view>& fields, Event& event) {
    if (constant_problem_) return constant_problem_;
    event.Clear();
    fields_ = &fields;
    for (Step& step : steps_) {
      const std::string_view value = fields[step.column];
      if (step.action == nullptr) {
        // Kept as it came: borrowed from the record, made valid UTF-8 when written as JSON.
        EventField kept = step.leftover;
        kept.value = value;
        event.AddBorrowed(kept, step.on_existing);
      } else if (step.remembers) {
        if (auto problem = ApplyRemembering(step, value, event)) return problem;
      } else if (auto problem = Apply(*step.action, step.conversion, value, event)) {
        return problem;
      }
    }
    size_t i = 0;
    for (const EventField& field : fixed_) {
      event.AddBorrowed(field, fixed_on_existing_[i++]);
    }
    // Like IntelMQ, "required" means the column must exist; a row may leave it empty. But an
    // event must name a system, or there is nothing to route or report.
    if (!HasSystem(event)) {
      return Coded(ErrorCode::kInvalidArgument, problems::feed_row_no_system);
    }
    if (!taxonomy_fixed_ && !event.Has("classification.taxonomy") &&
        event.Has("classification.type")) {
      (void)event.Add("classification.taxonomy", TaxonomyOfType(event.Get("classification.type")));
    }
    return std::nullopt;
  }

 private:
  std::string_view Column(std::string_view name) const {
    const std::optional<size_t> index = ColumnIndex(binding_.header, name);
    return index ? (*fields_)[*index] : std::string_view();
  }

  // The converted value, or nullopt when the conversion says "no value". The view points into
  // `value` or into scratch_.
  std::optional<std::string_view> Convert(Conversion conversion, std::string_view value) {
    switch (conversion) {
      case Conversion::kNone:
      case Conversion::kAddUtcToTimestamp:
      case Conversion::kConvertInt:
      case Conversion::kConvertFloat:
      case Conversion::kValidateFqdn:
        return value;
      case Conversion::kValidateNetwork:
        // As in IntelMQ, only a network is one: a plain address in the same column (blocklist's
        // `ip`) is source.ip, not a /32.
        if (value.find('/') == std::string::npos) return std::nullopt;
        return value;
      case Conversion::kConvertBool: {
        // IntelMQ's words, and t/f; anything else stays as it came.
        const std::string_view text = TrimBlanks(value);
        for (std::string_view word : {"true", "yes", "y", "t", "1", "enabled"}) {
          if (EqualsLower(text, word)) return "true";
        }
        for (std::string_view word : {"false", "no", "n", "f", "0", "disabled"}) {
          if (EqualsLower(text, word)) return "false";
        }
        return value;
      }
      case Conversion::kValidateToNone:
        if (value.empty() || value == "0" || EqualsLower(value, "unknown")) return std::nullopt;
        return value;
      case Conversion::kInvalidateZero:
        if (value.find_first_not_of('0') == std::string::npos) return std::nullopt;
        return value;
      case Conversion::kValidateIp:
        if (value == "0.0.0.0") return std::nullopt;
        return value;
      case Conversion::kConvertDate:
      case Conversion::kConvertDateUtc:
        // ISO 8601, or the form of an HTTP Date header (http_date).
        if (NormalizeDateTimeInto(value, &scratch_) || NormalizeHttpDateInto(value, &scratch_)) {
          return scratch_;
        }
        return value;
      case Conversion::kForceBase64:
        // Values Shadowserver already encoded stay as they are, as in IntelMQ.
        if (IsBase64(value)) return value;
        Base64Into(value, &scratch_);
        return scratch_;
      case Conversion::kConvertHttpHostAndUrl: {
        // The column holds a URL, a path, or a whole request line ("GET /path HTTP/1.1"), of
        // which only the target belongs in the URL.
        const std::string_view target = RequestTarget(value);
        request_line_ = target.size() != value.size();
        if (target.starts_with("http://") || target.starts_with("https://")) return target;
        std::string_view host;
        for (std::string_view column : {"http_host", "cc_dns", "hostname", "dst_ip", "ip"}) {
          host = Column(column);
          if (!IsIgnoredValue(host)) break;
        }
        if (IsIgnoredValue(host) || IsIgnoredValue(target)) return std::nullopt;
        // A request line without a path (CONNECT host:443, OPTIONS *) makes no URL; the value
        // is then kept in extra.
        if (request_line_ && !target.starts_with('/')) return value;
        const std::string_view port = Column("port").empty() ? Column("dst_port") : Column("port");
        scratch_.assign(port == "443" ? "https://" : "http://");
        scratch_.append(host);
        if (!target.starts_with('/')) scratch_.push_back('/');
        scratch_.append(target);
        return scratch_;
      }
      case Conversion::kScanExchangeTaxonomy:
        return value.find("webshell") != std::string::npos ? "intrusions" : "vulnerable";
      case Conversion::kScanExchangeType:
        return value.find("webshell") != std::string::npos ? "system-compromise"
                                                           : "vulnerable-system";
      case Conversion::kScanExchangeIdentifier:
        return value.find("webshell") != std::string::npos ? "exchange-server-webshell"
                                                           : "vulnerable-exchange-server";
      case Conversion::kCategoryOrDetail: {
        if (!IsIgnoredValue(value)) return value;
        const std::string_view detail = Column("detail");
        if (IsIgnoredValue(detail)) return std::nullopt;
        return detail;
      }
      case Conversion::kExtractCveFromTag: {
        std::vector<std::string> cves;
        std::string_view rest = value;
        while (!rest.empty()) {
          const size_t end = rest.find_first_of(";,");
          const std::string tag = AsciiLower(rest.substr(0, end));
          if (tag.starts_with("cve-") && tag.size() > 4) cves.push_back(tag);
          rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        }
        if (cves.empty()) return std::nullopt;
        std::sort(cves.begin(), cves.end());
        cves.erase(std::unique(cves.begin(), cves.end()), cves.end());
        scratch_.clear();
        for (const std::string& cve : cves) {
          if (!scratch_.empty()) scratch_.push_back(';');
          scratch_ += cve;
        }
        return scratch_;
      }
    }
    return value;
  }

  bool InScratch(std::string_view text) const {
    return !scratch_.empty() && text.data() >= scratch_.data() &&
           text.data() < scratch_.data() + scratch_.size();
  }

  std::optional<Error> Apply(const Action& action, Conversion conversion, std::string_view value,
                             Event& event) {
    request_line_ = false;
    const bool absent = IsIgnoredValue(value) && conversion != Conversion::kConvertHttpHostAndUrl &&
                        conversion != Conversion::kCategoryOrDetail;
    if (absent) return std::nullopt;
    const std::optional<std::string_view> converted = Convert(conversion, value);
    if (!converted) return std::nullopt;
    if (action.spec == nullptr) {
      const ValueKind kind = ExtraKind(conversion, *converted);
      if (InScratch(*converted)) {
        // scratch_ is reused for the next value: the event keeps a copy.
        if (kind == ValueKind::kJson) {
          (void)event.AddExtraJson(action.key, *converted, action.on_existing);
        } else {
          (void)event.AddExtra(action.key, *converted, action.on_existing);
        }
      } else {
        // The record's value, or a literal: borrowed. The key is extra.*: it has no spec.
        event.AddBorrowed(EventField{action.key, *converted, kind, nullptr}, action.on_existing);
      }
      return std::nullopt;
    }
    const Status status = event.Add(*action.spec, *converted, action.on_existing);
    if (status) {
      if (request_line_) {
        // The URL came from a request line: its method and version stay in extra.
        event.AddBorrowed(action.fallback_key, value, ValueKind::kString, OnExisting::kKeep);
        request_line_ = false;
      }
      return std::nullopt;
    }
    request_line_ = false;
    if (action.network_spec != nullptr && converted->find('/') != std::string_view::npos &&
        event.Add(*action.network_spec, *converted, OnExisting::kKeep)) {
      // A network where an address was expected: the event is about the network.
      return std::nullopt;
    }
    if (action.mapping->required) {
      return InColumn(action.mapping->column, status.error());
    }
    // An optional value that does not fit its field is kept as it came, under extra.
    (void)event.AddExtra(action.fallback_key, value, OnExisting::kKeep);
    return std::nullopt;
  }

  struct Step;

  // Conversions that read nothing but the column's own value: the same value then always
  // gives the same outcome, so a step may remember it.
  static bool OnlyReadsItsValue(Conversion conversion) {
    return conversion != Conversion::kConvertHttpHostAndUrl &&
           conversion != Conversion::kCategoryOrDetail;
  }

  // Numbers and booleans stay numbers and booleans in extra, as IntelMQ writes them.
  static ValueKind ExtraKind(Conversion conversion, std::string_view converted) {
    const bool number =
        (conversion == Conversion::kConvertInt || conversion == Conversion::kInvalidateZero) &&
        IsInteger(converted);
    const bool real = conversion == Conversion::kConvertFloat && IsFloat(converted);
    const bool boolean =
        conversion == Conversion::kConvertBool && (converted == "true" || converted == "false");
    return number || real || boolean ? ValueKind::kJson : ValueKind::kString;
  }

  // Apply, remembering the outcome of the column's last value: most columns of a report repeat
  // from row to row (the port, the tag, the country, the region, a certificate's dates), and
  // converting and sanitising them again was most of a row's work. Only the common outcomes
  // are remembered (nothing to add, a sanitised value, a value for extra); a value its field
  // refuses goes through Apply every time, so that its error or fallback is exactly Apply's.
  std::optional<Error> ApplyRemembering(Step& step, std::string_view value, Event& event) {
    Remembered& last = step.last;
    const Action& action = *step.action;
    if (last.valid && SameShortText(value, last.raw)) {
      ++last.hits;
    } else {
      // A column whose values seldom repeat (an address, a host name, a time) is not worth
      // the copy and the compare.
      if (++last.misses >= 64 && last.hits * 8 < last.misses) step.remembers = false;
      last.valid = false;
      last.adds = false;
      if (!IsIgnoredValue(value)) {
        const std::optional<std::string_view> converted = Convert(step.conversion, value);
        if (!converted) {
          // no value
        } else if (action.spec == nullptr) {
          last.kind = ExtraKind(step.conversion, *converted);
          last.value.assign(*converted);
          last.adds = true;
        } else if (!IsIgnoredValue(*converted)) {
          if (Sanitize(*action.spec, *converted, &last.value)) {
            return Apply(action, step.conversion, value, event);  // refused: Apply says how
          }
          last.adds = true;
        }
      }
      last.raw.assign(value);
      last.valid = true;
    }
    if (!last.adds) return std::nullopt;
    if (action.spec == nullptr) {
      // An extra value of the parser's own, as Apply borrows a value of the record.
      event.AddBorrowed(EventField{action.key, last.value, last.kind, nullptr}, step.on_existing);
      return std::nullopt;
    }
    if (event.AddSanitized(*action.spec, last.value, step.on_existing)) return std::nullopt;
    return Apply(action, step.conversion, value, event);
  }

  // One thing a row does with one of its values, in the order of the columns: a schema
  // mapping that reads the column, or, for a column no mapping reads, keeping the value as it
  // came under extra.<column>. Worked out once per file and laid out flat, so that a row is
  // one pass over them with everything at hand.
  // The outcome of a step's last value. Events borrow `value` until the next row.
  struct Remembered {
    bool valid = false;
    bool adds = false;  // false: the value adds nothing (ignored, or converted to no value)
    std::string raw;    // the column's value
    std::string value;  // sanitised (converted, for extra), when it adds
    ValueKind kind = ValueKind::kString;  // for extra
    uint64_t hits = 0;
    uint64_t misses = 0;
  };

  struct Step {
    size_t column = 0;
    Conversion conversion = Conversion::kNone;  // the mapping's
    const Action* action = nullptr;             // nullptr: keep the value as `leftover`
    EventField leftover;                        // the key to keep it under, without a value
    OnExisting on_existing = OnExisting::kAppend;
    bool remembers = false;  // ApplyRemembering rather than Apply
    Remembered last;
  };

  Binding binding_;
  std::vector<Step> steps_;  // point into binding_
  Event fixed_;              // owns the constant values that rows borrow
  std::vector<OnExisting> fixed_on_existing_;
  bool taxonomy_fixed_ = false;
  std::optional<Error> constant_problem_;
  const std::vector<std::string_view>* fields_ = nullptr;
  std::string scratch_;
  bool request_line_ = false;  // the last URL conversion read a request line
};

}  // namespace

Result<ShadowserverSchema> ShadowserverSchema::Parse(std::string_view json_text,
                                                     std::string_view source) {
  const nlohmann::json document = nlohmann::json::parse(json_text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return InvalidArgument(fmt::format("{}: is not a Shadowserver schema (a JSON object)", source));
  }
  ShadowserverSchema schema;
  for (const auto& [name, entry] : document.items()) {
    if (name == "_meta") {
      if (entry.is_object()) schema.date_created_ = entry.value("date_created", "");
      continue;
    }
    BAKEN_ASSIGN_OR_RETURN(ReportSpec report, ParseReport(name, entry, source));
    const std::string type = report.report_type;
    schema.reports_.insert_or_assign(type, std::move(report));
  }
  if (schema.reports_.empty()) {
    return InvalidArgument(fmt::format("{}: the schema describes no reports", source));
  }
  return schema;
}

Result<ShadowserverSchema> ShadowserverSchema::Load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return NotFound(fmt::format("{}: cannot open the schema file", path));
  std::ostringstream text;
  text << file.rdbuf();
  return Parse(text.str(), path);
}

namespace {

// The built-in reports in the order of their names, as a JSON object's members are read: where
// two give the same type, the later one counts, as in Parse.
const std::vector<const BuiltInReportText*>& BuiltInReportsInOrder() {
  static const std::vector<const BuiltInReportText*> kOrder = [] {
    std::vector<const BuiltInReportText*> order;
    for (const BuiltInReportText& text : BuiltInShadowserverReports()) order.push_back(&text);
    std::sort(order.begin(), order.end(),
              [](const auto* a, const auto* b) { return a->name < b->name; });
    return order;
  }();
  return kOrder;
}

// The shipped copy is tested (ShadowserverSchemaTest): failing here means the build itself is
// broken.
ReportSpec ParseBuiltInReport(const BuiltInReportText& text) {
  const nlohmann::json entry = nlohmann::json::parse(text.json, nullptr, false);
  Result<ReportSpec> report =
      ParseReport(std::string(text.name), entry, "built-in Shadowserver schema");
  if (!report) std::abort();
  return std::move(*report);
}

std::string BuiltInDateCreated() {
  const nlohmann::json meta = nlohmann::json::parse(BuiltInShadowserverMeta(), nullptr, false);
  return meta.is_object() ? meta.value("date_created", "") : "";
}

}  // namespace

const ShadowserverSchema& ShadowserverSchema::BuiltIn() {
  static const ShadowserverSchema* const kSchema = [] {
    auto* schema = new ShadowserverSchema;
    schema->date_created_ = BuiltInDateCreated();
    for (const BuiltInReportText* text : BuiltInReportsInOrder()) {
      ReportSpec report = ParseBuiltInReport(*text);
      const std::string type = report.report_type;
      schema->reports_.insert_or_assign(type, std::move(report));
    }
    return schema;
  }();
  return *kSchema;
}

const ShadowserverSchema* ShadowserverSchema::BuiltInFor(std::string_view report_type) {
  const BuiltInReportText* found = nullptr;
  for (const BuiltInReportText* text : BuiltInReportsInOrder()) {
    if (text->type == report_type) found = text;
  }
  if (found == nullptr) return nullptr;  // not kept: file names are the caller's to choose
  // Never freed, like BuiltIn's: a thread may still read a report while the process exits.
  static auto* const mutex = new std::mutex;
  static auto* const read =
      new std::map<std::string_view, std::unique_ptr<const ShadowserverSchema>>;
  const std::lock_guard lock(*mutex);
  std::unique_ptr<const ShadowserverSchema>& schema = (*read)[found->type];
  if (schema == nullptr) {
    auto alone = std::make_unique<ShadowserverSchema>();
    alone->date_created_ = BuiltInDateCreated();
    alone->reports_.emplace(found->type, ParseBuiltInReport(*found));
    schema = std::move(alone);
  }
  return schema.get();
}

const ReportSpec* ShadowserverSchema::Find(std::string_view report_type) const {
  const auto it = reports_.find(std::string(report_type));
  return it == reports_.end() ? nullptr : &it->second;
}

std::optional<std::string> ReportTypeFromFileName(std::string_view file_name) {
  if (const size_t slash = file_name.find_last_of('/'); slash != std::string_view::npos) {
    file_name.remove_prefix(slash + 1);
  }
  if (file_name.ends_with(".gz")) file_name.remove_suffix(3);
  if (!file_name.ends_with(".csv")) return std::nullopt;
  file_name.remove_suffix(4);
  // An optional date "YYYY-MM-DD-" in front.
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (file_name.size() > 11 && file_name[4] == '-' && file_name[7] == '-' && file_name[10] == '-' &&
      std::all_of(file_name.begin(), file_name.begin() + 4, is_digit)) {
    file_name.remove_prefix(11);
  }
  const std::string_view type = file_name.substr(0, file_name.find('-'));
  if (type.empty() || !std::all_of(type.begin(), type.end(), [&](char c) {
        return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      })) {
    return std::nullopt;
  }
  return std::string(type);
}

namespace {

// Whether `v6` names the IPv6 twin of the report `v4`: "scan6_dns" of "scan_dns",
// "event6_sinkhole" of "event4_sinkhole", "compromised_website6" of "compromised_website".
bool IsIpv6Twin(std::string_view v6, std::string_view v4) {
  for (size_t i = 0; i < v6.size(); ++i) {
    if (v6[i] != '6') continue;
    const std::string_view before = v6.substr(0, i);
    const std::string_view after = v6.substr(i + 1);
    if (v4.size() == v6.size() - 1 && v4.starts_with(before) && v4.ends_with(after)) return true;
    if (v4.size() == v6.size() && v4[i] == '4' && v4.starts_with(before) && v4.ends_with(after)) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<const ReportSpec*> ShadowserverSchema::MatchHeader(
    const std::vector<std::string>& header, const std::vector<std::string_view>* first_row) const {
  double best = 0;
  std::vector<const ReportSpec*> candidates;
  for (const auto& [type, report] : reports_) {
    bool fits = true;
    size_t known = 0;
    for (const ColumnMapping& mapping : report.columns) {
      const bool present = std::find(header.begin(), header.end(), mapping.column) != header.end();
      if (mapping.required && !present) fits = false;
    }
    if (!fits) continue;
    for (const std::string& column : header) {
      known += std::any_of(report.columns.begin(), report.columns.end(),
                           [&](const ColumnMapping& m) { return m.column == column; });
    }
    const double share =
        header.empty() ? 0 : static_cast<double>(known) / static_cast<double>(header.size());
    if (share > best) {
      best = share;
      candidates.clear();
    }
    if (share == best && share > 0) candidates.push_back(&report);
  }
  if (candidates.size() == 2 && best >= 0.5 && first_row != nullptr) {
    // A report and its IPv6 twin share their columns: the address family tells them apart.
    const ReportSpec* v4 = candidates[0];
    const ReportSpec* v6 = candidates[1];
    if (IsIpv6Twin(v4->report_type, v6->report_type)) std::swap(v4, v6);
    if (IsIpv6Twin(v6->report_type, v4->report_type)) {
      for (std::string_view column : {"ip", "src_ip"}) {
        const auto at = std::find(header.begin(), header.end(), column);
        const auto index = static_cast<size_t>(at - header.begin());
        if (at == header.end() || index >= first_row->size()) continue;
        return (*first_row)[index].find(':') != std::string::npos ? v6 : v4;
      }
    }
  }
  if (candidates.size() == 1 && best >= 0.5) return candidates.front();
  if (candidates.empty() || best < 0.5) {
    return InvalidInput(problems::feed_unrecognised);
  }
  std::vector<std::string> names;
  for (const ReportSpec* report : candidates) names.push_back(report->report_type);
  std::sort(names.begin(), names.end());
  if (names.size() > 5) names.resize(5);
  return InvalidInput(problems::feed_ambiguous,
                      {{"types", fmt::format("{}", fmt::join(names, ", "))}});
}

Status ParseShadowserver(ByteSource& input, const ShadowserverSchema& schema,
                         std::string_view report_type, const ParseContext& context, ParseSink& sink,
                         std::string_view type_from_file_name) {
  const ReportSpec* found = nullptr;
  if (!report_type.empty()) {
    found = schema.Find(report_type);
    if (found == nullptr) {
      return InvalidArgument(
          fmt::format("{} is not a Shadowserver report type in the schema", Quote(report_type)));
    }
  }
  CsvReader reader(input);
  reader.set_lenient_quotes(true);  // partners' files, and Shadowserver's own, bend the rules
  CsvRecord record;
  if (!reader.Next(&record) || record.problem) {
    return InvalidArgument("the file has no header line naming the columns");
  }
  const std::vector<std::string> header(record.fields.begin(), record.fields.end());
  bool more_rows = reader.Next(&record);
  if (found == nullptr) {
    Result<const ReportSpec*> matched =
        schema.MatchHeader(header, more_rows && !record.problem ? &record.fields : nullptr);
    if (!type_from_file_name.empty()) {
      const std::string named = fmt::format(
          "the file name gives the report type {}, which the current Shadowserver schema does "
          "not have (an older or unknown type)",
          Quote(type_from_file_name));
      if (!matched) return InvalidArgument(fmt::format("{}; {}", named, matched.error().message));
      sink.OnNoteError(
          Error(ErrorCode::kInvalidArgument,
                fmt::format("{}; the header fits the current type {}, so it was read as that",
                            named, (*matched)->report_type),
                std::string(problems::feed_note_retired_type.key),
                ProblemParams{{"named", std::string(type_from_file_name)},
                              {"type", std::string((*matched)->report_type)}}));
    }
    BAKEN_ASSIGN_OR_RETURN(found, std::move(matched));
  }
  const ReportSpec& report = *found;
  BAKEN_ASSIGN_OR_RETURN(Binding binding, Bind(header, report));
  const size_t columns = binding.header.size();
  RowParser parser(report, std::move(binding), context);
  const FieldSpec& raw_spec = *FindField("raw");
  std::string raw_base64;
  Event event;
  size_t short_rows = 0;
  size_t first_short_row = 0;
  size_t repaired_rows = 0;
  size_t first_repaired_row = 0;
  for (; more_rows; more_rows = reader.Next(&record)) {
    if (record.problem) {
      sink.OnReject(record.line, *record.problem);
      continue;
    }
    if (record.fields.size() != columns) {
      // A row short of trailing fields is read with them empty, as csv readers elsewhere do;
      // but not the last line of a file that seems cut off, whose last value may be cut too.
      if (record.fields.size() > columns || record.unterminated) {
        sink.OnReject(record.line,
                      fmt::format("the row has {} fields but the header has {}{}",
                                  record.fields.size(), columns,
                                  record.unterminated ? " (the file seems cut off)"
                                  : record.repaired   ? " (its quotes do not follow the CSV rules)"
                                                      : ""));
        continue;
      }
      if (short_rows++ == 0) first_short_row = record.line;
      record.fields.resize(columns);
    }
    if (auto problem = parser.Parse(record.fields, event)) {
      sink.OnRejectError(record.line, std::move(*problem));
      continue;
    }
    if (record.repaired) [[unlikely]] {
      // Read by the lenient rules: the line as it came stays with the event, like IntelMQ's raw.
      if (repaired_rows++ == 0) first_repaired_row = record.line;
      Base64Into(record.raw, &raw_base64);
      (void)event.Add(raw_spec, raw_base64, OnExisting::kReplace);
    }
    sink.OnEvent(event, record.line);
  }
  if (short_rows > 0) {
    sink.OnNoteError(
        Error(ErrorCode::kInvalidArgument,
              fmt::format("{} {} fewer fields than the header (the first on line {}); the missing "
                          "trailing fields were read as empty",
                          short_rows, short_rows == 1 ? "row has" : "rows have", first_short_row),
              std::string(problems::feed_note_short_rows.key),
              {{"count", std::to_string(short_rows)}, {"first", std::to_string(first_short_row)}}));
  }
  if (repaired_rows > 0) {
    sink.OnNoteError(Error(
        ErrorCode::kInvalidArgument,
        fmt::format("{} {} quotes that do not follow the CSV rules (the first on line {}); {} read "
                    "leniently, and {} the line as it came in `raw`",
                    repaired_rows, repaired_rows == 1 ? "row has" : "rows have", first_repaired_row,
                    repaired_rows == 1 ? "it was" : "they were",
                    repaired_rows == 1 ? "keeps" : "each keeps"),
        std::string(problems::feed_note_repaired_rows.key),
        {{"count", std::to_string(repaired_rows)}, {"first", std::to_string(first_repaired_row)}}));
  }
  return {};
}

}  // namespace baken::feeds
