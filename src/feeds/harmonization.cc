#include "feeds/harmonization.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "common/json_text.h"
#include "common/quote.h"
#include "common/text.h"
#include "common/time.h"
#include "net/domain.h"
#include "net/ip_address.h"

namespace baken::feeds {

namespace {

// Sorted by name.
constexpr FieldSpec kFields[] = {
    {"classification.identifier", FieldType::kString, Constraint::kNone, 0},
    {"classification.taxonomy", FieldType::kClassificationTaxonomy, Constraint::kNone, 100},
    {"classification.type", FieldType::kClassificationType, Constraint::kNone, 0},
    {"comment", FieldType::kString, Constraint::kNone, 0},
    {"destination.abuse_contact", FieldType::kLowercaseString, Constraint::kNone, 0},
    {"destination.account", FieldType::kString, Constraint::kNone, 0},
    {"destination.allocated", FieldType::kDateTime, Constraint::kNone, 0},
    {"destination.as_name", FieldType::kString, Constraint::kNone, 0},
    {"destination.asn", FieldType::kAsn, Constraint::kNone, 0},
    {"destination.domain_suffix", FieldType::kFqdn, Constraint::kNone, 0},
    {"destination.fqdn", FieldType::kFqdn, Constraint::kNone, 0},
    {"destination.geolocation.cc", FieldType::kUppercaseString, Constraint::kCountryCode, 2},
    {"destination.geolocation.city", FieldType::kString, Constraint::kNone, 0},
    {"destination.geolocation.country", FieldType::kString, Constraint::kNone, 0},
    {"destination.geolocation.latitude", FieldType::kFloat, Constraint::kNone, 0},
    {"destination.geolocation.longitude", FieldType::kFloat, Constraint::kNone, 0},
    {"destination.geolocation.region", FieldType::kString, Constraint::kNone, 0},
    {"destination.geolocation.state", FieldType::kString, Constraint::kNone, 0},
    {"destination.ip", FieldType::kIpAddress, Constraint::kNone, 0},
    {"destination.local_hostname", FieldType::kString, Constraint::kNone, 0},
    {"destination.local_ip", FieldType::kIpAddress, Constraint::kNone, 0},
    {"destination.network", FieldType::kIpNetwork, Constraint::kNone, 0},
    {"destination.port", FieldType::kInteger, Constraint::kPort, 0},
    {"destination.registry", FieldType::kRegistry, Constraint::kNone, 7},
    {"destination.reverse_dns", FieldType::kFqdn, Constraint::kNone, 0},
    {"destination.tor_node", FieldType::kBoolean, Constraint::kNone, 0},
    {"destination.url", FieldType::kUrl, Constraint::kNone, 0},
    {"destination.urlpath", FieldType::kString, Constraint::kNone, 0},
    {"event_description.target", FieldType::kString, Constraint::kNone, 0},
    {"event_description.text", FieldType::kString, Constraint::kNone, 0},
    {"event_description.url", FieldType::kUrl, Constraint::kNone, 0},
    {"event_hash", FieldType::kUppercaseString, Constraint::kEventHash, 40},
    {"feed.accuracy", FieldType::kAccuracy, Constraint::kNone, 0},
    {"feed.code", FieldType::kString, Constraint::kNone, 100},
    {"feed.documentation", FieldType::kString, Constraint::kNone, 0},
    {"feed.name", FieldType::kString, Constraint::kNone, 0},
    {"feed.provider", FieldType::kString, Constraint::kNone, 0},
    {"feed.url", FieldType::kUrl, Constraint::kNone, 0},
    {"malware.hash.md5", FieldType::kString, Constraint::kPrintable, 200},
    {"malware.hash.sha1", FieldType::kString, Constraint::kPrintable, 200},
    {"malware.hash.sha256", FieldType::kString, Constraint::kPrintable, 200},
    {"malware.name", FieldType::kLowercaseString, Constraint::kPrintable, 0},
    {"malware.version", FieldType::kString, Constraint::kPrintable, 0},
    {"misp.attribute_uuid", FieldType::kLowercaseString, Constraint::kUuid, 36},
    {"misp.event_uuid", FieldType::kLowercaseString, Constraint::kUuid, 36},
    {"output", FieldType::kJson, Constraint::kNone, 0},
    {"product.name", FieldType::kString, Constraint::kNone, 0},
    {"product.vendor", FieldType::kString, Constraint::kNone, 0},
    {"product.version", FieldType::kString, Constraint::kNone, 0},
    {"product.vulnerabilities", FieldType::kLowercaseString, Constraint::kNone, 0},
    {"protocol.application", FieldType::kLowercaseString, Constraint::kPrintable, 100},
    {"protocol.transport", FieldType::kLowercaseString, Constraint::kTransport, 11},
    {"raw", FieldType::kBase64, Constraint::kNone, 0},
    {"rtir_id", FieldType::kInteger, Constraint::kNone, 0},
    {"screenshot_url", FieldType::kUrl, Constraint::kNone, 0},
    {"severity", FieldType::kLowercaseString, Constraint::kNone, 0},
    {"source.abuse_contact", FieldType::kLowercaseString, Constraint::kNone, 0},
    {"source.account", FieldType::kString, Constraint::kNone, 0},
    {"source.allocated", FieldType::kDateTime, Constraint::kNone, 0},
    {"source.as_name", FieldType::kString, Constraint::kNone, 0},
    {"source.asn", FieldType::kAsn, Constraint::kNone, 0},
    {"source.domain_suffix", FieldType::kFqdn, Constraint::kNone, 0},
    {"source.fqdn", FieldType::kFqdn, Constraint::kNone, 0},
    {"source.geolocation.cc", FieldType::kUppercaseString, Constraint::kCountryCode, 2},
    {"source.geolocation.city", FieldType::kString, Constraint::kNone, 0},
    {"source.geolocation.country", FieldType::kString, Constraint::kNone, 0},
    {"source.geolocation.cymru_cc", FieldType::kUppercaseString, Constraint::kCountryCode, 2},
    {"source.geolocation.geoip_cc", FieldType::kUppercaseString, Constraint::kCountryCode, 2},
    {"source.geolocation.latitude", FieldType::kFloat, Constraint::kNone, 0},
    {"source.geolocation.longitude", FieldType::kFloat, Constraint::kNone, 0},
    {"source.geolocation.region", FieldType::kString, Constraint::kNone, 0},
    {"source.geolocation.state", FieldType::kString, Constraint::kNone, 0},
    {"source.ip", FieldType::kIpAddress, Constraint::kNone, 0},
    {"source.local_hostname", FieldType::kString, Constraint::kNone, 0},
    {"source.local_ip", FieldType::kIpAddress, Constraint::kNone, 0},
    {"source.network", FieldType::kIpNetwork, Constraint::kNone, 0},
    {"source.port", FieldType::kInteger, Constraint::kPort, 0},
    {"source.registry", FieldType::kRegistry, Constraint::kNone, 7},
    {"source.reverse_dns", FieldType::kFqdn, Constraint::kNone, 0},
    {"source.tor_node", FieldType::kBoolean, Constraint::kNone, 0},
    {"source.url", FieldType::kUrl, Constraint::kNone, 0},
    {"source.urlpath", FieldType::kString, Constraint::kNone, 0},
    {"status", FieldType::kString, Constraint::kNone, 0},
    {"time.observation", FieldType::kDateTime, Constraint::kNone, 0},
    {"time.source", FieldType::kDateTime, Constraint::kNone, 0},
    {"tlp", FieldType::kTlp, Constraint::kNone, 0},
};

struct TypeTaxonomy {
  std::string_view type;
  std::string_view taxonomy;
};

// RSIT classification types and the taxonomy each belongs to (intelmq.md §2.4), sorted by type.
constexpr TypeTaxonomy kTypes[] = {
    {"application-compromise", "intrusions"},
    {"blacklist", "other"},
    {"brute-force", "intrusion-attempts"},
    {"burglary", "intrusions"},
    {"c2-server", "malicious-code"},
    {"copyright", "fraud"},
    {"data-leak", "information-content-security"},
    {"data-loss", "information-content-security"},
    {"ddos", "availability"},
    {"ddos-amplifier", "vulnerable"},
    {"dga-domain", "other"},
    {"dos", "availability"},
    {"exploit", "intrusion-attempts"},
    {"harmful-speech", "abusive-content"},
    {"ids-alert", "intrusion-attempts"},
    {"infected-system", "malicious-code"},
    {"information-disclosure", "vulnerable"},
    {"malware", "other"},
    {"malware-configuration", "malicious-code"},
    {"malware-distribution", "malicious-code"},
    {"masquerade", "fraud"},
    {"misconfiguration", "availability"},
    {"other", "other"},
    {"outage", "availability"},
    {"phishing", "fraud"},
    {"potentially-unwanted-accessible", "vulnerable"},
    {"privileged-account-compromise", "intrusions"},
    {"proxy", "other"},
    {"sabotage", "availability"},
    {"scanner", "information-gathering"},
    {"sniffing", "information-gathering"},
    {"social-engineering", "information-gathering"},
    {"spam", "abusive-content"},
    {"system-compromise", "intrusions"},
    {"test", "test"},
    {"tor", "other"},
    {"unauthorised-information-access", "information-content-security"},
    {"unauthorised-information-modification", "information-content-security"},
    {"unauthorized-use-of-resources", "fraud"},
    {"undetermined", "other"},
    {"unprivileged-account-compromise", "intrusions"},
    {"violence", "abusive-content"},
    {"vulnerable-system", "vulnerable"},
    {"weak-crypto", "vulnerable"},
};

constexpr std::string_view kTaxonomies[] = {"abusive-content",
                                            "availability",
                                            "fraud",
                                            "information-content-security",
                                            "information-gathering",
                                            "intrusion-attempts",
                                            "intrusions",
                                            "malicious-code",
                                            "other",
                                            "test",
                                            "vulnerable"};

struct Rename {
  std::string_view from;
  std::string_view to;
};

// Older spellings that IntelMQ still accepts and rewrites.
constexpr Rename kLegacyTypes[] = {
    {"backdoor", "system-compromise"},
    {"botnet drone", "infected-system"},
    {"c&c", "c2-server"},
    {"c2server", "c2-server"},
    {"compromised", "system-compromise"},
    {"defacement", "unauthorised-information-modification"},
    {"dropzone", "other"},
    {"leak", "data-leak"},
    {"malware configuration", "malware-configuration"},
    {"ransomware", "infected-system"},
    {"unauthorized-command", "system-compromise"},
    {"unauthorized-login", "system-compromise"},
    {"unknown", "undetermined"},
    {"vulnerable client", "vulnerable-system"},
    {"vulnerable service", "vulnerable-system"},
};

constexpr Rename kLegacyTaxonomies[] = {
    {"abusive content", "abusive-content"},
    {"information content security", "information-content-security"},
    {"information gathering", "information-gathering"},
    {"intrusion attempts", "intrusion-attempts"},
    {"malicious code", "malicious-code"},
};

bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z'); }
bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= ' ' && c <= '~'; });
}
bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

template <typename Table>
std::string_view Renamed(const Table& table, std::string_view value) {
  for (const Rename& rename : table) {
    if (rename.from == value) return rename.to;
  }
  return value;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<double> ParseFloat(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp + (mp < 10 ? 3 : -9);
  *y = yoe + era * 400 + (*m <= 2);
}

int DaysInMonth(int64_t year, int64_t month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Reads exactly `count` digits at text[*pos].
std::optional<int> Digits(std::string_view text, size_t* pos, size_t count) {
  if (*pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[*pos + i];
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  *pos += count;
  return value;
}

// Writes `number` into *out without a temporary string: every row has a port or two.
void AssignNumber(int64_t number, std::string* out) {
  char digits[24];
  const std::to_chars_result written = std::to_chars(std::begin(digits), std::end(digits), number);
  out->assign(std::begin(digits), written.ptr);
}

std::optional<std::string> SanitizeIpAddress(std::string_view value, std::string* out) {
  std::string_view text = value;
  // IntelMQ drops an IPv6 zone ("%eth0") and accepts a single-address network ("/32", "/128").
  if (const size_t percent = text.find('%'); percent != std::string_view::npos) {
    text = text.substr(0, percent);
  }
  if (const size_t slash = text.find('/'); slash != std::string_view::npos) {
    const std::string_view length = text.substr(slash + 1);
    text = text.substr(0, slash);
    const bool v6 = text.find(':') != std::string_view::npos;
    if (length != (v6 ? "128" : "32")) return "is a network, not an IP address";
  }
  const std::optional<net::IpAddress> address = net::IpAddress::Parse(text);
  if (!address) return "is not an IP address";
  if (address->is_v4() && address->v4() == 0) return "is the unspecified address 0.0.0.0";
  *out = address->ToString();
  return std::nullopt;
}

std::optional<std::string> SanitizeIpNetwork(std::string_view value, std::string* out) {
  const size_t slash = value.find('/');
  const std::string_view address_text = value.substr(0, slash);
  const std::optional<net::IpAddress> address = net::IpAddress::Parse(address_text);
  if (!address) return "is not an IP network";
  const bool v4 = address->is_v4() && address_text.find(':') == std::string_view::npos;
  int length = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::optional<int64_t> parsed = ParseInteger(value.substr(slash + 1));
    if (!parsed || *parsed < 0 || *parsed > length) return "has an invalid prefix length";
    length = static_cast<int>(*parsed);
  }
  // Like ipaddress.ip_network(strict=False): host bits are cleared.
  net::Prefix prefix;
  if (v4) {
    const uint32_t mask = length == 0 ? 0 : ~uint32_t{0} << (32 - length);
    prefix = {net::IpAddress::V4(address->v4() & mask), length};
  } else {
    const uint64_t high = address->is_v4() ? 0 : address->v6_high();
    const uint64_t low =
        address->is_v4() ? (uint64_t{0xFFFF} << 32) | address->v4() : address->v6_low();
    const auto mask64 = [](int bits) -> uint64_t {
      if (bits <= 0) return 0;
      if (bits >= 64) return ~uint64_t{0};
      return ~uint64_t{0} << (64 - bits);
    };
    prefix = {net::IpAddress::V6(high & mask64(length), low & mask64(length - 64)), length};
    if (prefix.network.is_v4()) prefix.length = length - 96;
  }
  *out = prefix.ToString();
  return std::nullopt;
}

std::optional<std::string> SanitizeUrl(std::string_view value, std::string* out) {
  std::string url(value);
  const std::string lower = AsciiLower(value.substr(0, 8));
  if (lower.starts_with("hxxps://")) {
    url.replace(0, 5, "https");
  } else if (lower.starts_with("hxxp://")) {
    url.replace(0, 4, "http");
  }
  if (HasControl(url)) return "contains control characters";
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0) return "is not a URL with a host";
  for (size_t i = 0; i < scheme_end; ++i) {
    const char c = url[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (i > 0 && (IsDigit(c) || c == '+' || c == '-' || c == '.'));
    if (!ok) return "is not a URL with a host";
  }
  const size_t host_begin = scheme_end + 3;
  const size_t host_end = url.find_first_of("/?#", host_begin);
  if (host_end == host_begin || host_begin >= url.size()) return "is not a URL with a host";
  *out = std::move(url);
  return std::nullopt;
}

bool IsBase64Text(std::string_view text) {
  size_t count = 0;
  size_t padding = 0;
  for (const char c : text) {
    if (c == '\n' || c == '\r') continue;
    const bool alphabet =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '+' || c == '/';
    if (c == '=') {
      ++padding;
    } else if (!alphabet || padding > 0) {
      return false;
    }
    ++count;
  }
  return count % 4 == 0 && padding <= 2;
}

std::optional<std::string> CheckConstraint(const FieldSpec& spec, const std::string& value) {
  switch (spec.constraint) {
    case Constraint::kNone:
    case Constraint::kPort:
      break;
    case Constraint::kCountryCode:
      if (value.size() != 2 || !std::all_of(value.begin(), value.end(), [](char c) {
            return IsDigit(c) || (c >= 'A' && c <= 'Z');
          })) {
        return "is not a two-letter country code";
      }
      break;
    case Constraint::kPrintable:
      if (!IsPrintableAscii(value)) return "contains characters other than printable ASCII";
      break;
    case Constraint::kTransport:
      if (!std::all_of(value.begin(), value.end(), [](char c) {
            return IsLowerAlnum(c) || c == '-' || c == '.' || c == '+';
          })) {
        return "is not a transport protocol name";
      }
      break;
    case Constraint::kEventHash:
      if (!std::all_of(value.begin(), value.end(), [](char c) {
            return IsDigit(c) || (c >= 'A' && c <= 'F') || c == '.' || c == '/';
          })) {
        return "is not an upper-case hexadecimal hash";
      }
      break;
    case Constraint::kUuid: {
      static constexpr size_t kDashes[] = {8, 13, 18, 23};
      if (value.size() != 36) return "is not a UUID";
      for (size_t i = 0; i < value.size(); ++i) {
        const bool dash = std::find(std::begin(kDashes), std::end(kDashes), i) != std::end(kDashes);
        if (dash ? value[i] != '-' : !IsLowerAlnum(value[i])) return "is not a UUID";
      }
      break;
    }
  }
  if (spec.max_length > 0 && value.size() > spec.max_length) {
    return fmt::format("is longer than {} characters", spec.max_length);
  }
  return std::nullopt;
}

}  // namespace

namespace {

// FindField's table: open addressing over a cheap mix of the key's length and two of its
// bytes. Ingest looks up a dozen keys of every event; a binary search, or std::hash over the
// whole key, cost more than the look-up it served.
constexpr size_t kFieldSlots = 256;  // a power of two, three times kFieldCount

size_t FieldSlot(std::string_view key) {
  const auto byte = [&](size_t i) {
    return static_cast<size_t>(static_cast<unsigned char>(key[i]));
  };
  return (key.size() * 37 + byte(key.size() - 1) * 11 + byte(key.size() / 2)) & (kFieldSlots - 1);
}

}  // namespace

const FieldSpec* FindField(std::string_view key) {
  static const std::array<const FieldSpec*, kFieldSlots> kTable = [] {
    std::array<const FieldSpec*, kFieldSlots> table{};
    for (const FieldSpec& spec : kFields) {
      size_t slot = FieldSlot(spec.name);
      while (table[slot] != nullptr) slot = (slot + 1) & (kFieldSlots - 1);
      table[slot] = &spec;
    }
    return table;
  }();
  if (key.empty()) return nullptr;
  for (size_t slot = FieldSlot(key); kTable[slot] != nullptr;
       slot = (slot + 1) & (kFieldSlots - 1)) {
    if (kTable[slot]->name == key) return kTable[slot];
  }
  return nullptr;
}

static_assert(std::size(kFields) == kFieldCount, "kFieldCount must count kFields");
static_assert(kFieldSlots >= 2 * kFieldCount, "FieldSlot needs free slots to stay short");

const FieldSpec* const internal::kFieldTable = kFields;

std::span<const FieldSpec> AllFields() { return kFields; }

const FieldSpec& KnownField(std::string_view name) {
  const FieldSpec* spec = FindField(name);
  if (spec == nullptr) std::abort();
  return *spec;
}

bool IsValidKey(std::string_view key) {
  // ^[a-z_][a-z_0-9]+(\.[a-z_0-9]+)*$
  if (key.size() < 2 || !(key[0] == '_' || (key[0] >= 'a' && key[0] <= 'z'))) return false;
  size_t i = 1;
  size_t first_run = 1;
  while (i < key.size() && key[i] != '.') {
    if (!(IsLowerAlnum(key[i]) || key[i] == '_')) return false;
    ++i;
    ++first_run;
  }
  if (first_run < 2) return false;
  while (i < key.size()) {
    ++i;  // the dot
    const size_t start = i;
    while (i < key.size() && key[i] != '.') {
      if (!(IsLowerAlnum(key[i]) || key[i] == '_')) return false;
      ++i;
    }
    if (i == start) return false;
  }
  return true;
}

bool IsExtraKey(std::string_view key) {
  return key.starts_with("extra.") && key.size() > 6 && IsValidKey(key);
}

std::string ExtraKeyForColumn(std::string_view column) {
  std::string part;
  for (char c : column) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    part.push_back(IsLowerAlnum(c) || c == '_' ? c : '_');
  }
  if (part.size() < 2) part = "column_" + part;
  return "extra." + part;
}

ValueKind KindOf(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
    case FieldType::kFloat:
    case FieldType::kAccuracy:
    case FieldType::kAsn:
      return ValueKind::kNumber;
    case FieldType::kBoolean:
      return ValueKind::kBoolean;
    case FieldType::kJsonDict:
      return ValueKind::kJson;
    default:
      return ValueKind::kString;
  }
}

bool IsIgnoredAfterTrimming(std::string_view value) {
  value = Trim(value);
  return value.empty() || value == "-" || value == "N/A";
}

std::string_view TaxonomyOfType(std::string_view type) {
  const auto it = std::lower_bound(
      std::begin(kTypes), std::end(kTypes), type,
      [](const TypeTaxonomy& entry, std::string_view t) { return entry.type < t; });
  return it != std::end(kTypes) && it->type == type ? it->taxonomy : "other";
}

std::string FormatIntelMqTime(std::chrono::system_clock::time_point when) {
  // FormatUtc writes "…T10:00:00Z"; IntelMQ writes the zone as an offset.
  std::string text = FormatUtc(when);
  text.pop_back();
  return text + "+00:00";
}

std::optional<std::string> NormalizeDateTime(std::string_view value) {
  std::string out;
  if (!NormalizeDateTimeInto(value, &out)) return std::nullopt;
  return out;
}

bool IsBase64(std::string_view text) { return IsBase64Text(text); }

namespace {

// The month named by the first three letters of `name` (any case), 1..12; 0 for none.
int MonthFromName(std::string_view name) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return 0;
  char lower[3];
  for (size_t i = 0; i < 3; ++i) {
    const char c = name[i];
    lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (int m = 0; m < 12; ++m) {
    if (kMonths[m] == std::string_view(lower, 3)) return m + 1;
  }
  return 0;
}

// "2026-11-22 01:02:03" or "2026-11-22T01:02:03Z", the form of nearly every feed's time, is
// checked and written in place; false for anything else, which the general reading takes.
// Every row of a feed has a time, and the general reading was a twentieth of a row's work.
bool NormalizeCommonUtcTimeInto(std::string_view text, std::string* out) {
  if (text.size() != 19 && !(text.size() == 20 && (text[19] == 'Z' || text[19] == 'z'))) {
    return false;
  }
  if (text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':' ||
      (text[10] != ' ' && text[10] != 'T' && text[10] != 't')) {
    return false;
  }
  static constexpr size_t kDigitsAt[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
  for (size_t i : kDigitsAt) {
    if (!IsDigit(text[i])) return false;
  }
  const auto two = [&](size_t i) { return (text[i] - '0') * 10 + (text[i + 1] - '0'); };
  const int year = two(0) * 100 + two(2);
  const int month = two(5);
  const int day = two(8);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
      two(11) > 23 || two(14) > 59 || two(17) > 59) {
    return false;
  }
  char written[25];
  std::memcpy(written, text.data(), 19);
  written[10] = 'T';
  std::memcpy(written + 19, "+00:00", 6);
  out->assign(written, sizeof written);
  return true;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsDigit);
}

bool AllLetters(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

}  // namespace

bool NormalizeHttpDateInto(std::string_view value, std::string* out) {
  // Split into at most eight words at blanks and commas; "06-Nov-94" is split at its dashes.
  std::string_view words[8];
  size_t count = 0;
  std::string_view rest = Trim(value);
  while (!rest.empty()) {
    const size_t end = rest.find_first_of(" \t,");
    const std::string_view word = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (word.empty()) continue;
    if (count == std::size(words)) return false;
    words[count++] = word;
  }
  size_t at = 0;
  if (at < count && AllLetters(words[at]) && MonthFromName(words[at]) == 0) ++at;  // weekday
  int64_t year = 0;
  int month = 0;
  int day = 0;
  std::string_view time;
  const auto parse_year = [&](std::string_view text) {
    if (!AllDigits(text) || (text.size() != 2 && text.size() != 4)) return false;
    std::from_chars(text.data(), text.data() + text.size(), year);
    // Two-digit years of RFC 850: 70..99 are 19xx, as RFC 9110 reads them at the latest.
    if (text.size() == 2) year += year >= 70 ? 1900 : 2000;
    return true;
  };
  const auto parse_day = [&](std::string_view text) {
    if (!AllDigits(text) || text.size() > 2) return false;
    std::from_chars(text.data(), text.data() + text.size(), day);
    return true;
  };
  if (at < count && std::count(words[at].begin(), words[at].end(), '-') == 2) {
    // RFC 850: 06-Nov-94 08:49:37 GMT
    const std::string_view date = words[at++];
    const size_t first = date.find('-');
    const size_t second = date.find('-', first + 1);
    month = MonthFromName(date.substr(first + 1, second - first - 1));
    if (second - first - 1 != 3 || !parse_day(date.substr(0, first)) ||
        !parse_year(date.substr(second + 1))) {
      return false;
    }
    if (at < count) time = words[at++];
  } else if (at < count && AllLetters(words[at])) {
    // asctime: Nov  6 08:49:37 1994
    if (at + 4 > count || words[at].size() != 3 || (month = MonthFromName(words[at])) == 0 ||
        !parse_day(words[at + 1]) || words[at + 3].size() != 4 || !parse_year(words[at + 3])) {
      return false;
    }
    time = words[at + 2];
    at += 4;
  } else {
    // RFC 5322: 06 Nov 1994 08:49:37 GMT
    if (at + 4 > count || !parse_day(words[at]) || words[at + 1].size() != 3 ||
        (month = MonthFromName(words[at + 1])) == 0 || !parse_year(words[at + 2])) {
      return false;
    }
    time = words[at + 3];
    at += 4;
  }
  std::string_view zone;
  if (at < count) zone = words[at++];
  if (at != count || month == 0 || day < 1 || day > DaysInMonth(year, month) ||
      (time.size() != 8 && time.size() != 5)) {
    return false;
  }
  if (!zone.empty() && zone != "GMT" && zone != "UTC" && zone != "UT" && zone != "Z" &&
      !((zone[0] == '+' || zone[0] == '-') && zone.size() == 5 && AllDigits(zone.substr(1)))) {
    return false;
  }
  // Rewritten as "YYYY-MM-DD HH:MM:SS+HHMM" for the ISO reader, which checks the rest.
  char iso[32];
  const auto written =
      fmt::format_to_n(iso, sizeof iso - 1, "{:04}-{:02}-{:02} {}{}", year, month, day, time,
                       zone.empty() || !(zone[0] == '+' || zone[0] == '-') ? "Z" : zone);
  return NormalizeDateTimeInto(std::string_view(iso, written.size), out);
}

bool NormalizeDateTimeInto(std::string_view value, std::string* out) {
  const std::string_view text = Trim(value);
  if (NormalizeCommonUtcTimeInto(text, out)) return true;
  size_t pos = 0;
  const auto year = Digits(text, &pos, 4);
  if (!year || pos >= text.size() || text[pos++] != '-') return false;
  const auto month = Digits(text, &pos, 2);
  if (!month || pos >= text.size() || text[pos++] != '-') return false;
  const auto day = Digits(text, &pos, 2);
  if (!day || *month < 1 || *month > 12 || *day < 1 || *day > DaysInMonth(*year, *month)) {
    return false;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  char fraction[7] = {};
  size_t fraction_digits = 0;
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return false;
    ++pos;
    const auto h = Digits(text, &pos, 2);
    if (!h || pos >= text.size() || text[pos++] != ':') return false;
    const auto m = Digits(text, &pos, 2);
    if (!m) return false;
    hour = *h;
    minute = *m;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      const auto s = Digits(text, &pos, 2);
      if (!s) return false;
      second = *s;
    }
    if (hour > 23 || minute > 59 || second > 59) return false;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      const size_t first_digit = pos;
      while (pos < text.size() && IsDigit(text[pos])) {
        if (fraction_digits < 6) fraction[fraction_digits++] = text[pos];
        ++pos;
      }
      if (pos == first_digit) return false;
      while (fraction_digits < 6) fraction[fraction_digits++] = '0';
    }
    std::string_view zone = text.substr(pos);
    if (zone.starts_with(' ')) zone.remove_prefix(1);
    if (zone.empty() || zone == "Z" || zone == "z" || zone == "UTC" || zone == "GMT") {
      offset_minutes = 0;
    } else if (zone[0] == '+' || zone[0] == '-') {
      size_t zpos = 1;
      const auto oh = Digits(zone, &zpos, 2);
      if (!oh) return false;
      int om = 0;
      if (zpos < zone.size() && zone[zpos] == ':') ++zpos;
      if (zpos < zone.size()) {
        const auto parsed = Digits(zone, &zpos, 2);
        if (!parsed) return false;
        om = *parsed;
      }
      if (zpos != zone.size() || *oh > 23 || om > 59) return false;
      offset_minutes = (zone[0] == '-' ? -1 : 1) * (*oh * 60 + om);
    } else {
      return false;
    }
  }
  int64_t seconds = hour * 3600 + minute * 60 + second;
  int64_t y = *year;
  int64_t mo = *month;
  int64_t d = *day;
  if (offset_minutes != 0) {
    // Another zone may move the time to another day: through days since the epoch.
    seconds += DaysFromCivil(*year, *month, *day) * 86400 - offset_minutes * 60;
    const int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    seconds -= days * 86400;
    CivilFromDays(days, &y, &mo, &d);
  }
  if (y < 1 || y > 9999) return false;
  // Written into a buffer and given to `out` at once: every row of a feed has a time, and
  // twenty appends to a string cost more than parsing it.
  char text_out[40];
  char* at = text_out;
  const auto put = [&](int64_t number, int width, char after) {
    for (int i = width - 1; i >= 0; --i) {
      at[i] = static_cast<char>('0' + number % 10);
      number /= 10;
    }
    at += width;
    if (after != '\0') *at++ = after;
  };
  put(y, 4, '-');
  put(mo, 2, '-');
  put(d, 2, 'T');
  put(seconds / 3600, 2, ':');
  put(seconds / 60 % 60, 2, ':');
  put(seconds % 60, 2, '\0');
  if (fraction_digits > 0) {
    *at++ = '.';
    std::memcpy(at, fraction, 6);
    at += 6;
  }
  std::memcpy(at, "+00:00", 6);
  at += 6;
  out->assign(text_out, static_cast<size_t>(at - text_out));
  return true;
}

std::optional<std::string> Sanitize(const FieldSpec& spec, std::string_view raw, std::string* out) {
  const std::string_view value = Trim(raw);
  if (value.empty()) return "is empty";
  switch (spec.type) {
    case FieldType::kString:
    case FieldType::kLowercaseString:
    case FieldType::kUppercaseString:
      // Into the caller's buffer, which keeps its memory from row to row.
      if (IsValidUtf8(value)) {
        out->assign(value);
      } else {
        *out = RepairUtf8(value);
      }
      if (spec.type == FieldType::kLowercaseString) {
        for (char& c : *out) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
      } else if (spec.type == FieldType::kUppercaseString) {
        for (char& c : *out) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
      }
      break;
    case FieldType::kInteger: {
      const auto number = ParseInteger(value);
      if (!number) return "is not a whole number";
      if (spec.constraint == Constraint::kPort && (*number < 0 || *number > 65535)) {
        return "is not a port number (0 to 65535)";
      }
      AssignNumber(*number, out);
      break;
    }
    case FieldType::kFloat:
    case FieldType::kAccuracy: {
      const auto number = ParseFloat(value);
      if (!number) return "is not a number";
      if (spec.type == FieldType::kAccuracy && (*number < 0 || *number > 100)) {
        return "is not between 0 and 100";
      }
      *out = fmt::format("{}", *number);
      break;
    }
    case FieldType::kBoolean: {
      const std::string lower = AsciiLower(value);
      if (lower == "true" || lower == "1") {
        *out = "true";
      } else if (lower == "false" || lower == "0") {
        *out = "false";
      } else {
        return "is not true or false";
      }
      break;
    }
    case FieldType::kAsn: {
      std::string_view digits = value;
      if (digits.size() > 2 && (digits[0] == 'A' || digits[0] == 'a') &&
          (digits[1] == 'S' || digits[1] == 's')) {
        digits.remove_prefix(2);
      }
      const auto number = ParseInteger(digits);
      if (!number || *number < 1 || *number > 4294967295) return "is not an AS number";
      AssignNumber(*number, out);
      break;
    }
    case FieldType::kIpAddress:
      if (auto problem = SanitizeIpAddress(value, out)) return problem;
      break;
    case FieldType::kIpNetwork:
      if (auto problem = SanitizeIpNetwork(value, out)) return problem;
      break;
    case FieldType::kFqdn: {
      std::string_view name = value;
      while (name.starts_with('.')) name.remove_prefix(1);
      while (name.ends_with('.')) name.remove_suffix(1);
      // A URL or an address with a port, not a name (a loop: find_first_of calls memchr for
      // every byte of the value).
      if (std::any_of(name.begin(), name.end(), [](char c) {
            return c == ':' || c == '/' || c == '?' || c == '#' || c == '@' || c == ' ';
          })) {
        return "is not a domain name";
      }
      if (!net::NormalizeDomainInto(name, out)) return "is not a domain name";
      break;
    }
    case FieldType::kUrl:
      if (auto problem = SanitizeUrl(value, out)) return problem;
      break;
    case FieldType::kDateTime:
      if (!NormalizeDateTimeInto(value, out)) {
        return "is not a date and time (such as 2026-11-23T10:00:00Z)";
      }
      break;
    case FieldType::kBase64:
      if (!IsBase64Text(value)) return "is not base64";
      *out = std::string(value);
      break;
    case FieldType::kJson:
    case FieldType::kJsonDict: {
      auto checked = ParseJson<nlohmann::json>(value);
      if (!checked) return "is not JSON";
      const nlohmann::json& parsed = *checked;
      if (spec.type == FieldType::kJsonDict && (!parsed.is_object() || parsed.empty())) {
        return "is not a JSON object with at least one member";
      }
      *out = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      break;
    }
    case FieldType::kRegistry: {
      std::string upper = AsciiUpper(value);
      if (upper == "RIPE-NCC" || upper == "RIPENCC") upper = "RIPE";
      static constexpr std::string_view kRegistries[] = {"AFRINIC", "APNIC", "ARIN", "LACNIC",
                                                         "RIPE"};
      if (std::find(std::begin(kRegistries), std::end(kRegistries), upper) ==
          std::end(kRegistries)) {
        return "is not a regional internet registry (AFRINIC, APNIC, ARIN, LACNIC, RIPE)";
      }
      *out = std::move(upper);
      break;
    }
    case FieldType::kTlp: {
      std::string upper = AsciiUpper(value);
      if (upper.starts_with("TLP:")) upper.erase(0, 4);
      upper = std::string(Trim(upper));
      if (upper == "YELLOW") upper = "AMBER";
      static constexpr std::string_view kLevels[] = {"WHITE", "CLEAR",        "GREEN",
                                                     "AMBER", "AMBER+STRICT", "RED"};
      if (std::find(std::begin(kLevels), std::end(kLevels), upper) == std::end(kLevels)) {
        return "is not a TLP level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)";
      }
      *out = std::move(upper);
      break;
    }
    case FieldType::kClassificationTaxonomy: {
      const std::string lower = AsciiLower(value);
      const std::string_view renamed = Renamed(kLegacyTaxonomies, lower);
      if (std::find(std::begin(kTaxonomies), std::end(kTaxonomies), renamed) ==
          std::end(kTaxonomies)) {
        return "is not an RSIT taxonomy";
      }
      *out = std::string(renamed);
      break;
    }
    case FieldType::kClassificationType: {
      const std::string lower = AsciiLower(value);
      const std::string_view renamed = Renamed(kLegacyTypes, lower);
      const auto it = std::lower_bound(
          std::begin(kTypes), std::end(kTypes), renamed,
          [](const TypeTaxonomy& entry, std::string_view t) { return entry.type < t; });
      if (it == std::end(kTypes) || it->type != renamed) return "is not a classification type";
      *out = std::string(renamed);
      break;
    }
  }
  return CheckConstraint(spec, *out);
}

}  // namespace baken::feeds

namespace baken::feeds {

const ProblemCode* ValueProblemCode(std::string_view phrase) {
  // The table's English sentence is "Column '{column}': '{value}' " and the phrase.
  constexpr std::string_view kPrefix = "feed.value.";
  constexpr std::string_view kLead = "Column '{column}': '{value}' ";
  for (const ProblemCode& code : AllProblemCodes()) {
    if (code.key.starts_with(kPrefix) && code.english.size() == kLead.size() + phrase.size() &&
        code.english.starts_with(kLead) && code.english.ends_with(phrase)) {
      return &code;
    }
  }
  return nullptr;
}

Error ValueProblem(const FieldSpec& spec, std::string_view value, std::string_view phrase) {
  std::string message = fmt::format("{} {} {}", spec.name, Quote(value), phrase);
  const ProblemCode* code = ValueProblemCode(phrase);
  if (code == nullptr) return Error(ErrorCode::kInvalidArgument, std::move(message));
  // Until a parser names the column the value came from, the field is the place.
  return Error(ErrorCode::kInvalidArgument, std::move(message), std::string(code->key),
               {{"column", std::string(spec.name)}, {"value", std::string(value)}});
}

Error InColumn(std::string_view column, Error error) {
  for (auto& [name, value] : error.params) {
    if (name == "column") value = std::string(column);
  }
  return At(fmt::format("column {}", Quote(column)), std::move(error));
}

}  // namespace baken::feeds
