#include "service/advisory_service.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "advisories/reader.h"
#include "common/hash.h"
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
  return {{"id", warning.id},
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
          {"issued_at", warning.issued_at}};
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
  registry::Json rows = registry::Json::array();
  for (const store::AdvisoryFinding& finding : findings) {
    rows.push_back({{"asset", finding.asset},
                    {"product_id", finding.product_id},
                    {"outcome", finding.outcome},
                    {"risk", finding.risk},
                    {"cves", finding.cves},
                    {"remediations", finding.remediations}});
  }
  json["findings"] = std::move(rows);
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
