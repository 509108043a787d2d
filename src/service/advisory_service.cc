#include "service/advisory_service.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "advisories/reader.h"
#include "common/hash.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "common/time.h"
#include "service/audit.h"

namespace baken::service {

namespace {

std::string FileLabel(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

Result<std::string> ReadLimited(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return InvalidArgument(fmt::format("cannot read: {}", error.message()));
  if (size > advisories::kMaxAdvisoryBytes) {
    return InvalidArgument(fmt::format("larger than {} MiB", advisories::kMaxAdvisoryBytes >> 20));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// CVE-YYYY-NNNN…, the only form that is put into a link.
bool IsCveId(std::string_view text) {
  if (text.size() < 13 || text.size() > 24 || !text.starts_with("CVE-") || text[8] != '-') {
    return false;
  }
  for (size_t i = 4; i < text.size(); ++i) {
    if (i != 8 && (text[i] < '0' || text[i] > '9')) return false;
  }
  return true;
}

}  // namespace

registry::Json ImportSummaryToJson(const AdvisoryImportSummary& summary) {
  registry::Json refused = registry::Json::array();
  for (const auto& item : summary.refused) {
    refused.push_back({{"file", item.file}, {"reasons", item.reasons}});
  }
  registry::Json flagged = registry::Json::array();
  for (const auto& item : summary.flagged) {
    flagged.push_back({{"file", item.file}, {"where", item.where}, {"problem", item.what}});
  }
  return {{"imported", summary.imported},
          {"updated", summary.updated},
          {"unchanged", summary.unchanged},
          {"refused", std::move(refused)},
          {"flagged", std::move(flagged)}};
}

registry::Json MatchToJson(const advisories::Match& match) {
  registry::Json json = {{"member", match.member},
                         {"asset", match.asset},
                         {"product_id", match.product_id},
                         {"tier", advisories::Name(match.tier)},
                         {"outcome", advisories::Name(match.outcome)},
                         {"cves", match.cves}};
  if (match.risk) {
    json["risk"] = advisories::Name(match.risk->level);
    json["risk_points"] = match.risk->points;
    json["risk_reasons"] = match.risk->reasons;
  }
  json["reasons"] = match.reasons;
  json["remediations"] = match.remediations;
  return json;
}

Result<AdvisoryImportSummary> AdvisoryService::ImportFiles(const auth::Principal& who,
                                                           const std::vector<std::string>& paths) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may import advisories");
  AdvisoryImportSummary summary;
  std::vector<std::filesystem::path> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> found;
      for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
          found.push_back(entry.path());
        }
      }
      if (error) {
        summary.refused.push_back({path, {fmt::format("cannot list: {}", error.message())}});
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.emplace_back(path);
    }
  }
  for (const std::filesystem::path& file : files) {
    auto bytes = ReadLimited(file);
    if (!bytes) {
      summary.refused.push_back({file.string(), {bytes.error().message}});
      continue;
    }
    BAKEN_RETURN_IF_ERROR(ImportOne(who, file.filename().string(), *bytes, &summary));
  }
  return summary;
}

Result<AdvisoryImportSummary> AdvisoryService::ImportDocument(const auth::Principal& who,
                                                              std::string_view name,
                                                              std::string_view bytes) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may import advisories");
  AdvisoryImportSummary summary;
  BAKEN_RETURN_IF_ERROR(ImportOne(who, FileLabel(std::string(name)), bytes, &summary));
  return summary;
}

Status AdvisoryService::ImportInto(const auth::Principal& who, const std::string& label,
                                   std::string_view bytes, AdvisoryImportSummary* summary) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may import advisories");
  return ImportOne(who, label, bytes, summary);
}

Status AdvisoryService::ImportOne(const auth::Principal& who, const std::string& file,
                                  std::string_view bytes, AdvisoryImportSummary* summary) {
  auto advisory = advisories::ReadAdvisory(bytes);
  if (!advisory) {
    summary->refused.push_back({file, std::move(advisory.error().reasons)});
    return {};
  }
  for (const advisories::Problem& problem : advisory->problems) {
    summary->flagged.push_back({file, problem.where, problem.what});
  }
  const std::string now = FormatUtc(std::chrono::system_clock::now());
  store::StoredAdvisory stored;
  stored.publisher_namespace = advisory->publisher_namespace;
  stored.tracking_id = advisory->id;
  stored.format = advisory->format == advisories::Format::kCsaf ? "csaf" : "cve";
  stored.version = advisory->version;
  stored.current_release = advisory->current_release;
  stored.title = advisory->title;
  if (advisory->tlp) stored.tlp = std::string(Name(*advisory->tlp));
  stored.sha256 = Sha256Hex(bytes);
  stored.document = std::string(bytes);
  stored.imported_at = now;
  stored.imported_by = who.actor;
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto current,
                         tx->Advisories().Find(stored.publisher_namespace, stored.tracking_id));
  std::string_view action;
  if (!current) {
    BAKEN_RETURN_IF_ERROR(tx->Advisories().Add(stored));
    ++summary->imported;
    action = "advisory.import";
  } else if (current->sha256 == stored.sha256) {
    ++summary->unchanged;
    return {};
  } else {
    // Newer when its version is higher (integers and semver both order as versions), or, at
    // the same version, when it was released later: publishers do fix documents in place.
    const auto order =
        advisories::CompareVersions(advisories::Scheme::kGeneric, stored.version, current->version);
    const bool newer =
        order ? (order->order > 0 ||
                 (order->order == 0 && stored.current_release > current->current_release))
              : stored.current_release > current->current_release;
    if (!newer) {
      ++summary->unchanged;
      summary->flagged.push_back(
          {file, "/",
           fmt::format("an older revision ({}) of {}; the stored one ({}) is kept", stored.version,
                       stored.tracking_id, current->version)});
      return {};
    }
    BAKEN_RETURN_IF_ERROR(tx->Advisories().Replace(current->id, stored, now));
    ++summary->updated;
    action = "advisory.update";
  }
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, action, stored.tracking_id,
                                    {{"version", stored.version}, {"file", file}}));
  return tx->Commit();
}

Result<std::vector<store::StoredAdvisory>> AdvisoryService::List(const auth::Principal& who) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may list advisories");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Advisories().List();
}

Result<AdvisoryPage> AdvisoryService::Find(const auth::Principal& who,
                                           const store::AdvisoryQuery& query) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may list advisories");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  AdvisoryPage page;
  BAKEN_ASSIGN_OR_RETURN(page.advisories, tx->Advisories().Search(query));
  BAKEN_ASSIGN_OR_RETURN(page.total, tx->Advisories().Count(query));
  return page;
}

registry::Json StoredAdvisoryToJson(const store::StoredAdvisory& advisory) {
  return {{"id", advisory.tracking_id},
          {"publisher", advisory.publisher_namespace},
          {"format", advisory.format},
          {"version", advisory.version},
          {"current_release", advisory.current_release},
          {"title", advisory.title},
          {"tlp", advisory.tlp ? registry::Json(*advisory.tlp) : registry::Json()},
          {"sha256", advisory.sha256},
          {"imported_at", advisory.imported_at}};
}

registry::Json WarningToJson(const store::WarningRecord& warning) {
  return {
      {"id", warning.id},
      {"member", warning.member},
      {"advisory", warning.tracking_id},
      {"version", warning.version},
      {"title", warning.title},
      {"tlp", warning.tlp},
      {"risk", warning.risk},
      {"affected", warning.affected},
      {"unknown", warning.unknown},
      {"revised", warning.revised},
      {"changes", warning.changes},
      {"issued_at", warning.issued_at},
      {"state", warning.state},
      {"state_by", warning.state_by ? registry::Json(*warning.state_by) : registry::Json()},
      {"state_at", warning.state_at ? registry::Json(*warning.state_at) : registry::Json()},
      {"state_note", warning.state_note ? registry::Json(*warning.state_note) : registry::Json()}};
}

bool IsWarningState(std::string_view state) {
  return state == "open" || state == "handled" || state == "not_applicable";
}

Result<store::WarningPage> AdvisoryService::PageWarnings(const auth::Principal& who,
                                                         store::WarningQuery query) {
  if (query.state && !IsWarningState(*query.state)) {
    return InvalidInput(problems::warning_state_unknown, {{"value", *query.state}});
  }
  if (!query.since.empty() && !IsValidDateOrUtcTimestamp(query.since)) {
    return InvalidArgument(
        fmt::format("since {} is not a date (YYYY-MM-DD) or UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)",
                    Quote(query.since)));
  }
  query.with_red = who.IsStaff();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Advisories().PageWarnings(auth::ScopeFor(who), query);
}

Result<store::WarningRecord> AdvisoryService::SetWarningState(const auth::Principal& who,
                                                              int64_t id, std::string_view state,
                                                              std::string_view note) {
  if (!IsWarningState(state)) {
    return InvalidInput(problems::warning_state_unknown, {{"value", std::string(state)}});
  }
  const bool control = std::any_of(note.begin(), note.end(), [](char c) {
    return (static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f;
  });
  if (note.size() > kMaxWarningNoteLength || control) {
    return InvalidInput(problems::warning_note_too_long,
                        {{"max", std::to_string(kMaxWarningNoteLength)}});
  }
  const registry::Scope scope = auth::ScopeFor(who);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  const std::string now = FormatUtc(std::chrono::system_clock::now());
  BAKEN_ASSIGN_OR_RETURN(
      const bool changed,
      tx->Advisories().SetWarningState(scope, id, who.IsStaff(), state, who.actor, now, note));
  if (!changed) return NotFound(fmt::format("no warning {}", id));
  BAKEN_ASSIGN_OR_RETURN(auto warning, tx->Advisories().FindWarning(scope, id, who.IsStaff()));
  if (!warning) return NotFound(fmt::format("no warning {}", id));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "warning.state", fmt::format("warning:{}", id),
                                    {{"member", warning->member},
                                     {"advisory", warning->tracking_id},
                                     {"state", std::string(state)},
                                     {"note", std::string(note)}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return std::move(*warning);
}

Result<std::vector<store::WarningRecord>> AdvisoryService::Warnings(const auth::Principal& who,
                                                                    std::string_view since,
                                                                    int64_t limit) {
  if (!since.empty() && !IsValidDateOrUtcTimestamp(since)) {
    return InvalidArgument(
        fmt::format("since {} is not a date (YYYY-MM-DD) or UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)",
                    Quote(since)));
  }
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Advisories().Warnings(auth::ScopeFor(who), since, "", limit, who.IsStaff());
}

Result<registry::Json> AdvisoryService::DescribeWarning(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto warning,
                         tx->Advisories().FindWarning(auth::ScopeFor(who), id, who.IsStaff()));
  if (!warning) return NotFound(fmt::format("no warning {}", id));
  // What the member was last warned of for this advisory: the assets as they stand after the
  // newest revision, which is what the member has to act on.
  BAKEN_ASSIGN_OR_RETURN(auto findings,
                         tx->Advisories().Findings(warning->member, warning->advisory_id));
  registry::Json json = WarningToJson(*warning);
  if (!who.IsStaff()) {
    // The findings kept are those of the newest warning; when that one is TLP:RED, they stay
    // with the analysts even under an older AMBER warning's id.
    BAKEN_ASSIGN_OR_RETURN(const std::string newest, tx->Advisories().NewestWarningTlp(
                                                         warning->member, warning->advisory_id));
    if (newest == "RED") {
      findings.clear();
      json["findings_withheld"] = true;
    }
  }
  // What the advisory says beyond the outcome (description, CVSS, exploitation, fixed
  // versions), read from its current revision, and what the member runs (the version found).
  std::optional<advisories::Advisory> advisory;
  BAKEN_ASSIGN_OR_RETURN(auto stored, tx->Advisories().FindById(warning->tracking_id));
  for (const store::StoredAdvisory& candidate : stored) {
    if (candidate.id != warning->advisory_id) continue;
    auto read = advisories::ReadAdvisory(candidate.document);
    if (read) advisory = std::move(*read);
  }
  std::vector<registry::Asset> assets;
  if (!findings.empty()) {
    auto member = tx->Members().Get(auth::ScopeFor(who), warning->member);
    if (member) assets = std::move(member->assets);
  }
  registry::Json links = registry::Json::array();
  std::vector<std::string> linked_cves;
  if (advisory) {
    for (const advisories::Reference& reference : advisory->references) {
      if (reference.category == "self" && reference.url.starts_with("https://")) {
        links.push_back({{"kind", "advisory"}, {"url", reference.url}});
        break;
      }
    }
    if (advisory->format == advisories::Format::kCve) {
      linked_cves.push_back(advisory->id);
    }
  }
  registry::Json rows = registry::Json::array();
  bool exploited = false;
  std::optional<double> highest_cvss;
  std::string description;
  for (const store::AdvisoryFinding& finding : findings) {
    registry::Json row = {{"asset", finding.asset},     {"product_id", finding.product_id},
                          {"outcome", finding.outcome}, {"risk", finding.risk},
                          {"cves", finding.cves},       {"remediations", finding.remediations}};
    const auto asset = std::find_if(assets.begin(), assets.end(), [&](const registry::Asset& a) {
      return a.name == finding.asset;
    });
    row["version_found"] =
        asset != assets.end() ? registry::Json(asset->version) : registry::Json();
    row["fixed_versions"] = registry::Json::array();
    row["cvss"] = registry::Json();
    row["actively_exploited"] = false;
    if (advisory && asset != assets.end()) {
      const advisories::MatchFacts facts =
          advisories::FactsOf(*advisory, finding.product_id, finding.cves, *asset);
      row["fixed_versions"] = facts.fixed_versions;
      if (facts.cvss) {
        row["cvss"] = *facts.cvss;
        if (!highest_cvss || *facts.cvss > *highest_cvss) highest_cvss = facts.cvss;
      }
      row["actively_exploited"] = facts.actively_exploited;
      exploited = exploited || facts.actively_exploited;
      if (description.empty()) description = facts.description;
    }
    for (const std::string& cve : finding.cves) {
      if (std::find(linked_cves.begin(), linked_cves.end(), cve) == linked_cves.end()) {
        linked_cves.push_back(cve);
      }
    }
    rows.push_back(std::move(row));
  }
  if (advisory && description.empty()) {
    description = advisories::FactsOf(*advisory, "", {}, registry::Asset{}).description;
  }
  for (const std::string& cve : linked_cves) {
    // Only what has the form of a CVE id becomes a link: the text comes from outside.
    if (IsCveId(cve)) {
      links.push_back(
          {{"kind", "cve"}, {"id", cve}, {"url", "https://www.cve.org/CVERecord?id=" + cve}});
    }
  }
  json["findings"] = std::move(rows);
  json["description"] = description;
  json["cvss"] = highest_cvss ? registry::Json(*highest_cvss) : registry::Json();
  json["actively_exploited"] = exploited;
  json["links"] = std::move(links);
  return json;
}

Result<registry::Json> AdvisoryService::Describe(const auth::Principal& who, std::string_view id) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may see advisories");
  std::vector<store::StoredAdvisory> stored;
  std::vector<int64_t> revisions;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(stored, tx->Advisories().FindById(id));
    for (const store::StoredAdvisory& advisory : stored) {
      BAKEN_ASSIGN_OR_RETURN(const int64_t count, tx->Advisories().CountRevisions(advisory.id));
      revisions.push_back(count);
    }
  }
  if (stored.empty()) return NotFound(fmt::format("no advisory {}", id));
  BAKEN_ASSIGN_OR_RETURN(std::vector<advisories::Match> matches, Matches(who, id));
  registry::Json documents = registry::Json::array();
  for (size_t i = 0; i < stored.size(); ++i) {
    registry::Json json = StoredAdvisoryToJson(stored[i]);
    json["earlier_revisions"] = revisions[i];
    auto read = advisories::ReadAdvisory(stored[i].document);
    if (read) {
      registry::Json vulnerabilities = registry::Json::array();
      for (const advisories::Vulnerability& vulnerability : read->vulnerabilities) {
        vulnerabilities.push_back({{"cve", vulnerability.cve},
                                   {"title", vulnerability.title},
                                   {"cwe", vulnerability.cwe}});
      }
      registry::Json problems = registry::Json::array();
      for (const advisories::Problem& problem : read->problems) {
        problems.push_back({{"where", problem.where}, {"problem", problem.what}});
      }
      json["products"] = read->products.size();
      json["vulnerabilities"] = std::move(vulnerabilities);
      json["problems"] = std::move(problems);
    }
    documents.push_back(std::move(json));
  }
  registry::Json rows = registry::Json::array();
  for (const advisories::Match& match : matches) rows.push_back(MatchToJson(match));
  return registry::Json{{"advisories", std::move(documents)}, {"matches", std::move(rows)}};
}

Result<std::vector<advisories::Match>> AdvisoryService::Matches(const auth::Principal& who,
                                                                std::string_view id) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may see matches");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(std::vector<store::StoredAdvisory> stored, tx->Advisories().FindById(id));
  if (stored.empty()) return NotFound(fmt::format("no advisory {}", id));
  BAKEN_ASSIGN_OR_RETURN(std::vector<registry::Member> members,
                         tx->Members().List(auth::ScopeFor(who)));
  std::vector<advisories::MemberAssets> assets;
  for (registry::Member& member : members) {
    assets.push_back({member.code, std::move(member.assets)});
  }
  const advisories::Inventory inventory(std::move(assets));
  std::vector<advisories::Match> matches;
  for (const store::StoredAdvisory& advisory : stored) {
    auto read = advisories::ReadAdvisory(advisory.document);
    if (!read) {
      return Internal(fmt::format("stored advisory {} no longer reads: {}", advisory.tracking_id,
                                  read.error().reasons.front()));
    }
    std::vector<advisories::Match> found = advisories::MatchAdvisory(*read, inventory);
    matches.insert(matches.end(), std::make_move_iterator(found.begin()),
                   std::make_move_iterator(found.end()));
  }
  return matches;
}

}  // namespace baken::service
