// The block-list writers (export_formats.h): plain lists, CSV, a DNS response-policy zone and
// Suricata rules.

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/csv_writer.h"
#include "common/text.h"
#include "intel/export_formats.h"
#include "intel/export_internal.h"
#include "net/domain.h"
#include "net/ip_address.h"

namespace baken::intel {

namespace {

using export_detail::CheckedValue;
using export_detail::IndicatorTlp;
using export_detail::LeftOut;

// Networks larger than these would block a good part of the Internet: one wrong (or hostile)
// value should not do that to every member's firewall.
constexpr int kShortestV4Prefix = 8;
constexpr int kShortestV6Prefix = 16;

bool IsAddressKind(std::string_view kind) { return kind == "ip" || kind == "cidr"; }
bool IsDomainKind(std::string_view kind) { return kind == "domain" || kind == "host"; }

// Letters, digits and . : / - _ only: what canonical addresses, networks and host names are
// made of. Checked again here, after CheckedValue, because these lists end up in other programs'
// parsers, where one stray byte is a new line, record or rule option.
bool PlainToken(std::string_view value) {
  return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == ':' || c == '/' || c == '-' || c == '_';
  });
}

// The value of an indicator for a block list of `kind`: nullopt (and said) when it is not safe
// to block; nullopt (and not said) when the indicator belongs on another list.
std::optional<std::string> BlockValue(const IntelEvent& event, const Indicator& indicator,
                                      BlockListKind kind, std::vector<std::string>& left_out) {
  const bool wanted = kind == BlockListKind::kAddresses ? IsAddressKind(indicator.kind)
                                                        : IsDomainKind(indicator.kind);
  if (!wanted) return std::nullopt;
  auto value = CheckedValue(indicator);
  if (!value) {
    left_out.push_back(LeftOut(event, indicator, value.error().message));
    return std::nullopt;
  }
  if (!PlainToken(*value)) {
    left_out.push_back(LeftOut(event, indicator, "holds characters a block list cannot hold"));
    return std::nullopt;
  }
  if (indicator.kind == "cidr") {
    const auto prefix = net::ParsePrefix(*value);
    const int shortest = prefix && prefix->network.is_v4() ? kShortestV4Prefix : kShortestV6Prefix;
    if (!prefix || prefix->length < shortest) {
      left_out.push_back(
          LeftOut(event, indicator,
                  fmt::format("a network larger than /{} blocks too much to be taken from a list",
                              shortest)));
      return std::nullopt;
    }
  }
  if (IsDomainKind(indicator.kind) && value->find('.') == std::string::npos) {
    left_out.push_back(LeftOut(event, indicator, "a top-level name: it would block a whole TLD"));
    return std::nullopt;
  }
  return std::move(*value);
}

// Values in the order first met, each once, with the first event and indicator that gave it.
struct Listed {
  std::string value;
  const IntelEvent* event;
  const Indicator* indicator;
  bool subdomains = false;  // a domain (not a host): everything under it too
};

std::vector<Listed> Collect(const std::vector<IntelEvent>& events, BlockListKind kind,
                            std::vector<std::string>& left_out) {
  std::vector<Listed> listed;
  std::map<std::string, size_t> seen;
  for (const IntelEvent& event : events) {
    for (const Indicator& indicator : event.indicators) {
      auto value = BlockValue(event, indicator, kind, left_out);
      if (!value) continue;
      const bool subdomains = indicator.kind == "domain";
      if (const auto found = seen.find(*value); found != seen.end()) {
        listed[found->second].subdomains = listed[found->second].subdomains || subdomains;
        continue;
      }
      seen.emplace(*value, listed.size());
      listed.push_back(Listed{*value, &event, &indicator, subdomains});
    }
  }
  return listed;
}

// An absolute DNS name ("localhost.", "rpz.baken.local.") in lower case; an error otherwise.
Result<std::string> AbsoluteName(std::string_view name, std::string_view what) {
  if (name.size() < 2 || name.back() != '.') {
    return InvalidArgument(fmt::format("the RPZ {} must be an absolute name ending in '.'", what));
  }
  auto normalized = net::NormalizeDomain(name.substr(0, name.size() - 1));
  if (!normalized) {
    return InvalidArgument(fmt::format("the RPZ {}: {}", what, normalized.error().message));
  }
  return *normalized + ".";
}

// Text inside a Suricata option's double quotes: '"', ';' and '\' escaped; line breaks and other
// control bytes as spaces, and anything outside ASCII as '?', so that nothing in it can end the
// option or the rule, whatever the sensor's parser makes of other bytes.
std::string SuricataText(std::string_view text, size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max) break;
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == ';' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += ' ';
    } else if (byte >= 0x80) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}

// A content match: bytes that mean something in content (" ; \ |) and anything not printable as
// |hex|.
std::string SuricataContent(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == ';' || c == '\\' || c == '|' || byte < 0x20 || byte >= 0x7f) {
      out += fmt::format("|{:02X}|", byte);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

ExportOutput WritePlainBlockList(const std::vector<IntelEvent>& events, BlockListKind kind) {
  ExportOutput out;
  for (const Listed& listed : Collect(events, kind, out.left_out)) {
    out.content += listed.value + "\n";
    ++out.written;
  }
  return out;
}

ExportOutput WriteCsvList(const std::vector<IntelEvent>& events) {
  ExportOutput out;
  out.content = "kind,value,tlp,valid_until,event\r\n";
  for (const IntelEvent& event : events) {
    for (const Indicator& indicator : event.indicators) {
      if (!Detectable(indicator.kind)) {
        out.left_out.push_back(LeftOut(event, indicator, "not a value to detect"));
        continue;
      }
      auto value = CheckedValue(indicator);
      if (!value) {
        out.left_out.push_back(LeftOut(event, indicator, value.error().message));
        continue;
      }
      out.content += fmt::format("{},{},{},{},{}\r\n", CsvCell(indicator.kind), CsvCell(*value),
                                 CsvCell(Name(IndicatorTlp(event, indicator))),
                                 CsvCell(indicator.valid_until.value_or("")), CsvCell(event.title));
      ++out.written;
    }
  }
  return out;
}

Result<ExportOutput> WriteRpzZone(const std::vector<IntelEvent>& events,
                                  const RpzOptions& options) {
  BAKEN_ASSIGN_OR_RETURN(const std::string origin, AbsoluteName(options.origin, "origin"));
  BAKEN_ASSIGN_OR_RETURN(const std::string name_server,
                         AbsoluteName(options.name_server, "name server"));
  BAKEN_ASSIGN_OR_RETURN(const std::string contact, AbsoluteName(options.contact, "contact"));
  ExportOutput out;
  out.content = fmt::format(
      "; DNS response-policy zone written by Baken: NXDOMAIN for each name and what is under it.\n"
      "$TTL {}\n"
      "{} IN SOA {} {} {} 3600 600 604800 {}\n"
      "{} IN NS {}\n",
      options.ttl, origin, name_server, contact, options.serial, options.ttl, origin, name_server);
  for (const Listed& listed : Collect(events, BlockListKind::kDomains, out.left_out)) {
    // A name in the zone is the trigger's name followed by the origin; with "*." in front it
    // must still fit in a DNS name (255 bytes on the wire: 254 written, with the final dot).
    const std::string owner = listed.value + "." + origin;
    if (owner.size() + (listed.subdomains ? 2 : 0) > net::kMaxDomainLength + 1) {
      out.left_out.push_back(LeftOut(*listed.event, *listed.indicator,
                                     "too long for a DNS name below the zone's origin"));
      continue;
    }
    out.content += fmt::format("{} CNAME .\n", owner);
    if (listed.subdomains) out.content += fmt::format("*.{} CNAME .\n", owner);
    ++out.written;
  }
  return out;
}

Result<ExportOutput> WriteSuricataRules(const std::vector<IntelEvent>& events,
                                        const SuricataOptions& options) {
  ExportOutput out;
  std::vector<Listed> addresses = Collect(events, BlockListKind::kAddresses, out.left_out);
  std::vector<Listed> domains = Collect(events, BlockListKind::kDomains, out.left_out);
  const uint64_t count = addresses.size() + domains.size();
  if (options.sid_base == 0 ||
      options.sid_base + count - 1 > std::numeric_limits<uint32_t>::max()) {
    return InvalidArgument(
        fmt::format("{} rules do not fit in sids from {}", count, options.sid_base));
  }
  if (options.rev == 0) return InvalidArgument("a Suricata rule's rev starts at 1");
  uint64_t sid = options.sid_base;
  const auto message = [](const Listed& listed) {
    return SuricataText(
        fmt::format("Baken intel TLP:{} {} ({} {})",
                    Name(IndicatorTlp(*listed.event, *listed.indicator)),
                    TrimBlanks(listed.event->title), listed.indicator->kind, listed.value),
        300);
  };
  out.content = "# Suricata rules written by Baken from threat intelligence.\n";
  for (const Listed& listed : addresses) {
    out.content += fmt::format("alert ip any any <> {} any (msg:\"{}\"; sid:{}; rev:{};)\n",
                               listed.value, message(listed), sid++, options.rev);
    ++out.written;
  }
  for (const Listed& listed : domains) {
    // dotprefix puts a '.' before the query name, so ".evil.example" at its end matches the name
    // and every name under it, and not "notevil.example".
    const std::string content =
        SuricataContent(listed.subdomains ? "." + listed.value : listed.value);
    out.content += fmt::format(
        "alert dns any any -> any any (msg:\"{}\"; dns.query; {}content:\"{}\"; nocase; {}sid:{}; "
        "rev:{};)\n",
        message(listed), listed.subdomains ? "dotprefix; " : "", content,
        listed.subdomains ? "endswith; " : "startswith; endswith; ", sid++, options.rev);
    ++out.written;
  }
  return out;
}

}  // namespace baken::intel
