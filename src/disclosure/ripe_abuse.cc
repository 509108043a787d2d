#include "disclosure/ripe_abuse.h"

#include <algorithm>
#include <array>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/line_reader.h"
#include "common/text.h"
#include "feeds/input.h"
#include "net/email.h"
#include "net/url.h"
#include "service/audit.h"
#include "store/disclosure_repository.h"

namespace baken::disclosure {

namespace {

constexpr size_t kMaxProblems = 20;
constexpr size_t kMaxHandleBytes = 64;

// The maintainers of RIPE's registration services: RIPE's AbuseCFinder does not look past a
// range they maintain (its allocation), because what lies above is RIPE's, not the holder's.
constexpr std::array<std::string_view, 3> kRegistryMaintainers = {
    "RIPE-NCC-HM-MNT", "RIPE-NCC-END-MNT", "RIPE-NCC-LEGACY-MNT"};

// A handle such as "OPS4-RIPE" or "ORG-RNCC1-RIPE", upper-case; nullopt when it is not one.
std::optional<std::string> Handle(std::optional<std::string_view> text) {
  if (!text || text->empty() || text->size() > kMaxHandleBytes) return std::nullopt;
  for (const char c : *text) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!allowed) return std::nullopt;
  }
  return AsciiUpper(*text);
}

// The last address of a CIDR prefix.
net::IpAddress LastOf(const net::Prefix& prefix) {
  if (prefix.network.is_v4()) {
    const uint32_t hosts =
        prefix.length == 0 ? ~uint32_t{0} : (uint32_t{1} << (32 - prefix.length)) - 1;
    return net::IpAddress::V4(prefix.network.v4() | hosts);
  }
  const auto hosts = [](int bits) -> uint64_t {  // the low `bits` bits of a half set
    return bits <= 0 ? 0 : bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  };
  const int host_bits = 128 - prefix.length;
  return net::IpAddress::V6(prefix.network.v6_high() | hosts(host_bits - 64),
                            prefix.network.v6_low() | hosts(host_bits));
}

// "193.0.0.0 - 193.0.7.255" or a prefix "2001:db8::/32": the first and last address.
Result<std::pair<net::IpAddress, net::IpAddress>> ParseRange(std::string_view key) {
  if (const size_t dash = key.find('-'); dash != std::string_view::npos) {
    const auto first = net::IpAddress::Parse(TrimBlanks(key.substr(0, dash)));
    const auto last = net::IpAddress::Parse(TrimBlanks(key.substr(dash + 1)));
    if (!first || !last) return InvalidArgument("the range's addresses do not parse");
    if (first->family() != last->family()) {
      return InvalidArgument("the range begins and ends in different address families");
    }
    if (*last < *first) return InvalidArgument("the range ends before it begins");
    return std::make_pair(*first, *last);
  }
  BAKEN_ASSIGN_OR_RETURN(const net::Prefix prefix, net::ParsePrefix(key));
  const net::IpAddress last = LastOf(prefix);
  if (last.family() != prefix.network.family()) {
    // Such as ::/80, whose end IpAddress reads as an IPv4-mapped address.
    return InvalidArgument("the prefix reaches into the IPv4-mapped addresses");
  }
  return std::make_pair(prefix.network, last);
}

bool MaintainedByTheRegistry(const RpslObject& object) {
  for (const std::string_view attribute : {"mnt-by", "mnt-lower"}) {
    for (const std::string_view value : object.All(attribute)) {
      // One maintainer per attribute as a rule; a list separated by commas is allowed.
      size_t at = 0;
      while (at <= value.size()) {
        size_t comma = value.find(',', at);
        if (comma == std::string_view::npos) comma = value.size();
        const std::string maintainer = AsciiUpper(TrimBlanks(value.substr(at, comma - at)));
        if (std::find(kRegistryMaintainers.begin(), kRegistryMaintainers.end(), maintainer) !=
            kRegistryMaintainers.end()) {
          return true;
        }
        at = comma + 1;
      }
    }
  }
  return false;
}

RipeObject ReadObject(const RpslObject& object) {
  RipeObject read;
  const auto source = object.First("source");
  if (!source || AsciiUpper(*source) != "RIPE") return read;
  const std::string_view kind = object.class_name();
  if (kind == "inetnum" || kind == "inet6num") {
    auto range = ParseRange(object.key());
    if (!range) {
      read.problem =
          fmt::format("{} '{}': {}", kind, object.key().substr(0, 100), range.error().message);
      return read;
    }
    const auto& [first, last] = *range;
    if ((kind == "inetnum") != first.is_v4()) {
      read.problem = fmt::format("{} '{}': not of the {} family", kind, object.key().substr(0, 100),
                                 kind == "inetnum" ? "IPv4" : "IPv6");
      return read;
    }
    const bool root = first.is_v4()
                          ? first.v4() == 0 && last.v4() == ~uint32_t{0}
                          : first.v6_high() == 0 && first.v6_low() == 0 &&
                                last.v6_high() == ~uint64_t{0} && last.v6_low() == ~uint64_t{0};
    store::RipeRange kept;
    kept.first = first;
    kept.last = last;
    kept.object = fmt::format("{} {}", kind, object.key());
    kept.abuse_c = Handle(object.First("abuse-c"));
    kept.org = Handle(object.First("org"));
    kept.registry = MaintainedByTheRegistry(object);
    if (!root && (kept.abuse_c || kept.org || kept.registry)) read.range = std::move(kept);
    return read;
  }
  if (kind == "role") {
    const auto mailbox = object.First("abuse-mailbox");
    if (!mailbox) return read;  // a role that is no abuse contact
    const auto handle = Handle(object.First("nic-hdl"));
    if (!handle) {
      read.problem = fmt::format("role '{}': no usable nic-hdl", object.key().substr(0, 100));
    } else if (!net::IsValidEmailAddress(*mailbox)) {
      read.problem = fmt::format("role {}: abuse-mailbox '{}' is not an e-mail address", *handle,
                                 mailbox->substr(0, 100));
    } else {
      read.role = std::make_pair(*handle, std::string(*mailbox));
    }
    return read;
  }
  if (kind == "organisation") {
    const auto handle = Handle(object.key());
    const auto abuse_c = Handle(object.First("abuse-c"));
    if (handle && abuse_c) read.organisation = std::make_pair(*handle, *abuse_c);
  }
  return read;
}

}  // namespace

RipeObject ReadRipeObject(const RpslObject& object) {
  RipeObject read = ReadObject(object);
  // The dump is ISO-8859-1, and a broken object may hold anything: a problem is told in UTF-8.
  if (!read.problem.empty()) read.problem = RepairUtf8(read.problem);
  return read;
}

Result<RipeLoadSummary> LoadRipeDump(store::Store& store, const std::vector<std::string>& paths,
                                     const auth::Principal& who, std::string_view now) {
  RipeLoadSummary summary;
  std::vector<store::RipeRange> ranges;
  std::vector<std::pair<std::string, std::string>> roles;
  std::vector<std::pair<std::string, std::string>> organisations;
  const auto problem = [&summary](std::string_view text) {
    if (summary.problems.size() < kMaxProblems) summary.problems.push_back(RepairUtf8(text));
  };
  for (const std::string& path : paths) {
    BAKEN_ASSIGN_OR_RETURN(auto input, feeds::OpenFeedFile(path));
    LineReader lines(*input);
    RpslReader reader(path);
    const auto take = [&](const RpslObject& object) {
      ++summary.objects;
      RipeObject read = ReadRipeObject(object);
      if (!read.problem.empty()) {
        ++summary.refused;
        problem(fmt::format("{}:{}: {}", path, object.line, read.problem));
      }
      if (read.range) ranges.push_back(std::move(*read.range));
      if (read.role) roles.push_back(std::move(*read.role));
      if (read.organisation) organisations.push_back(std::move(*read.organisation));
    };
    std::string line;
    size_t number = 0;
    bool too_long = false;
    while (lines.Next(&line, &number, &too_long)) {
      if (too_long) {
        reader.RefuseLine("a line longer than 1 MiB");
      } else if (auto object = reader.Line(line)) {
        take(*object);
      }
    }
    if (auto object = reader.Finish()) take(*object);
    if (const auto error = input->error()) {
      return InvalidArgument(fmt::format("{}: {}; nothing was loaded", path, *error));
    }
    summary.refused += reader.dropped();
    summary.objects += reader.dropped();
    for (const std::string& text : reader.problems()) problem(text);
  }

  // The data is replaced whole: files that give no ranges or no roles (one file given alone, a
  // wrong file) would leave every address without a contact, and each waiting report's items
  // would be recorded as having none.
  if (ranges.empty() || roles.empty()) {
    return InvalidArgument(fmt::format(
        "the files give {} ranges and {} roles with an abuse mailbox; give the inetnum, "
        "inet6num, organisation and role files together; nothing was loaded",
        ranges.size(), roles.size()));
  }
  // Containing ranges before what they contain, so that each range's parent is at hand.
  std::sort(ranges.begin(), ranges.end(), [](const store::RipeRange& a, const store::RipeRange& b) {
    if (a.first.family() != b.first.family()) return a.first.is_v4();
    if (a.first != b.first) return a.first < b.first;
    return b.last < a.last;
  });
  BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kWrite));
  store::RipeRepository& ripe = tx->Ripe();
  BAKEN_RETURN_IF_ERROR(ripe.Clear());
  for (const auto& [handle, mailbox] : roles) BAKEN_RETURN_IF_ERROR(ripe.PutRole(handle, mailbox));
  for (const auto& [handle, abuse_c] : organisations) {
    BAKEN_RETURN_IF_ERROR(ripe.PutOrganisation(handle, abuse_c));
  }
  // The ranges still open: each holds the ones after it until one ends outside it. Ranges that
  // overlap without nesting (the RIPE database refuses them) lose a parent rather than get a
  // wrong one.
  struct Open {
    net::IpAddress last;
    int64_t id;
  };
  std::vector<Open> open;
  for (const store::RipeRange& range : ranges) {
    while (!open.empty() &&
           (open.back().last.family() != range.last.family() || open.back().last < range.last)) {
      open.pop_back();
    }
    const std::optional<int64_t> parent =
        open.empty() ? std::nullopt : std::optional<int64_t>(open.back().id);
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, ripe.AddRange(range, parent));
    open.push_back({range.last, id});
  }
  summary.ranges = static_cast<int64_t>(ranges.size());
  summary.roles = static_cast<int64_t>(roles.size());
  summary.organisations = static_cast<int64_t>(organisations.size());
  store::RipeLoad load;
  load.loaded_at = std::string(now);
  for (const std::string& path : paths) {
    if (!load.files.empty()) load.files += ", ";
    load.files += std::filesystem::path(path).filename().string();
  }
  load.ranges = summary.ranges;
  load.organisations = summary.organisations;
  load.roles = summary.roles;
  BAKEN_RETURN_IF_ERROR(ripe.RecordLoad(load));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "ripe.load", "ripe",
                                             {{"files", load.files},
                                              {"ranges", load.ranges},
                                              {"organisations", load.organisations},
                                              {"roles", load.roles}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return summary;
}

Result<int64_t> SuggestRipeContacts(store::Store& store, const std::string& now, int64_t limit) {
  std::optional<store::RipeLoad> load;
  std::vector<store::ReportItem> items;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(load, tx->Ripe().LastLoad());
    if (!load) return int64_t{0};
    BAKEN_ASSIGN_OR_RETURN(items, tx->Disclosure().ItemsToLookUp("ripe", limit));
  }
  for (const store::ReportItem& item : items) {
    std::optional<net::IpAddress> address;
    if (item.kind == "ip") {
      address = net::IpAddress::Parse(item.value);
    } else if (item.kind == "url") {
      if (const auto url = net::ParseHttpUrl(item.value); url && url->host_is_ip) {
        address = net::IpAddress::Parse(url->host);
      }
    }
    store::ReportSuggestion suggestion;
    suggestion.report_id = item.report_id;
    suggestion.item = item.value;
    suggestion.source = "ripe";
    suggestion.location = "RIPE database";
    suggestion.found_at = now;
    BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kWrite));
    if (!address) {
      // Coded, so that the portal says it in the reader's language (reports.suggestionProblem.*).
      suggestion.detail = nlohmann::json{{"problem", "no_address"}}.dump();
    } else {
      BAKEN_ASSIGN_OR_RETURN(const auto contact, tx->Ripe().AbuseContactFor(*address));
      if (!contact) {
        suggestion.detail = nlohmann::json{
            {"problem", "not_in_ripe"},
            {"address", address->ToString()},
            {"data_of",
             load->loaded_at}}.dump();
      } else {
        suggestion.location = contact->object;
        suggestion.contacts = {contact->mailbox};
        nlohmann::json detail = {{"abuse_c", contact->role}, {"data_of", load->loaded_at}};
        if (contact->org) detail["org"] = *contact->org;
        suggestion.detail = detail.dump();
      }
    }
    BAKEN_RETURN_IF_ERROR(tx->Disclosure().AddSuggestion(suggestion));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return static_cast<int64_t>(items.size());
}

}  // namespace baken::disclosure
