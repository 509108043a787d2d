#include "store/advisory_repository.h"

#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace baken::store {

using sql::Connection;
using sql::Statement;

namespace {

constexpr std::string_view kColumns =
    "id, publisher_namespace, tracking_id, format, version, current_release, title, tlp, sha256, "
    "imported_at, imported_by";

StoredAdvisory ReadRow(const Statement& row, bool with_document) {
  StoredAdvisory advisory;
  advisory.id = row.ColumnInt(0);
  advisory.publisher_namespace = row.ColumnText(1);
  advisory.tracking_id = row.ColumnText(2);
  advisory.format = row.ColumnText(3);
  advisory.version = row.ColumnText(4);
  advisory.current_release = row.ColumnText(5);
  advisory.title = row.ColumnText(6);
  advisory.tlp = row.ColumnOptionalText(7);
  advisory.sha256 = row.ColumnText(8);
  advisory.imported_at = row.ColumnText(9);
  advisory.imported_by = row.ColumnText(10);
  if (with_document) advisory.document = std::string(row.ColumnBlob(11));
  return advisory;
}

// The one condition that lists and counts advisories. A CVE id (?6) is looked for in the
// documents themselves, which name every vulnerability they cover (as bytes: they are BLOBs).
constexpr std::string_view kAdvisoryWhere =
    "(?1 IS NULL OR instr(lower(tracking_id), lower(?1)) > 0 "
    "OR instr(lower(title), lower(?1)) > 0 OR (length(?6) > 0 AND instr(document, ?6) > 0)) "
    "AND (?2 IS NULL OR publisher_namespace = ?2) "
    "AND (?3 IS NULL OR current_release >= ?3) AND (?4 IS NULL OR current_release < ?4) "
    "AND (?5 = 0 OR EXISTS (SELECT 1 FROM warnings w WHERE w.advisory_id = advisories.id))";

std::string_view AdvisoryOrder(AdvisoryQuery::Order order) {
  switch (order) {
    case AdvisoryQuery::Order::kOldest:
      return "current_release, id";
    case AdvisoryQuery::Order::kId:
      return "tracking_id, publisher_namespace";
    case AdvisoryQuery::Order::kIdDescending:
      return "tracking_id DESC, publisher_namespace";
    case AdvisoryQuery::Order::kNewest:
      break;
  }
  return "current_release DESC, id DESC";
}

// "CVE-2024-0001" in any case, as documents write it; nullopt for any other text.
std::optional<std::string> CveId(const std::optional<std::string>& text) {
  if (!text || text->size() < 9) return std::nullopt;
  std::string upper = *text;
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (!upper.starts_with("CVE-")) return std::nullopt;
  return upper;
}

void BindAdvisoryQuery(Statement& select, const AdvisoryQuery& query) {
  select.Bind(1, query.text)
      .Bind(2, query.publisher)
      .Bind(3, query.released_since)
      .Bind(4, query.released_until)
      .Bind(5, int64_t{query.with_warnings ? 1 : 0})
      .BindBlob(6, CveId(query.text).value_or(""));  // empty: no CVE id to look for
}

// A JSON array of strings as stored; anything else in it is skipped.
std::vector<std::string> Texts(const std::string& json) {
  std::vector<std::string> out;
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_array()) {
    for (const auto& item : parsed) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

class SqlAdvisoryRepository final : public AdvisoryRepository {
 public:
  explicit SqlAdvisoryRepository(Connection& db) : db_(db) {}

  Result<std::optional<StoredAdvisory>> Find(std::string_view publisher_namespace,
                                             std::string_view tracking_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(std::string("SELECT ") + std::string(kColumns) +
                    ", document FROM advisories WHERE publisher_namespace = ?1 AND "
                    "tracking_id = ?2"));
    select.Bind(1, publisher_namespace).Bind(2, tracking_id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<StoredAdvisory>();
    return ReadRow(select, true);
  }

  Result<std::vector<StoredAdvisory>> FindById(std::string_view tracking_id) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare(std::string("SELECT ") + std::string(kColumns) +
                                       ", document FROM advisories WHERE tracking_id = ?1 "
                                       "ORDER BY publisher_namespace"));
    select.Bind(1, tracking_id);
    return Collect(select, true);
  }

  Status Add(const StoredAdvisory& advisory) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO advisories (publisher_namespace, tracking_id, format, version, "
                    "current_release, title, tlp, sha256, document, imported_at, imported_by) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    insert.Bind(1, advisory.publisher_namespace)
        .Bind(2, advisory.tracking_id)
        .Bind(3, advisory.format)
        .Bind(4, advisory.version)
        .Bind(5, advisory.current_release)
        .Bind(6, advisory.title)
        .Bind(7, advisory.tlp)
        .Bind(8, advisory.sha256)
        .BindBlobView(9, advisory.document)
        .Bind(10, advisory.imported_at)
        .Bind(11, advisory.imported_by);
    return insert.Run();
  }

  Status Replace(int64_t id, const StoredAdvisory& newer, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement keep,
        db_.Prepare("INSERT INTO advisory_revisions (advisory_id, version, current_release, "
                    "sha256, document, imported_at, replaced_at) SELECT id, version, "
                    "current_release, sha256, document, imported_at, ?2 FROM advisories "
                    "WHERE id = ?1"));
    keep.Bind(1, id).Bind(2, now);
    BAKEN_RETURN_IF_ERROR(keep.Run());
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE advisories SET format = ?2, version = ?3, current_release = ?4, "
                    "title = ?5, tlp = ?6, sha256 = ?7, document = ?8, imported_at = ?9, "
                    "imported_by = ?10 WHERE id = ?1"));
    update.Bind(1, id)
        .Bind(2, newer.format)
        .Bind(3, newer.version)
        .Bind(4, newer.current_release)
        .Bind(5, newer.title)
        .Bind(6, newer.tlp)
        .Bind(7, newer.sha256)
        .BindBlobView(8, newer.document)
        .Bind(9, newer.imported_at)
        .Bind(10, newer.imported_by);
    return update.Run();
  }

  Result<std::vector<StoredAdvisory>> List() override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare(std::string("SELECT ") + std::string(kColumns) +
                                       " FROM advisories ORDER BY current_release DESC, id"));
    return Collect(select, false);
  }

  Result<std::vector<StoredAdvisory>> Search(const AdvisoryQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format(
            "SELECT {}, (SELECT count(*) FROM warnings w WHERE w.advisory_id = advisories.id) "
            "FROM advisories WHERE {} ORDER BY {} LIMIT ?7 OFFSET ?8",
            kColumns, kAdvisoryWhere, AdvisoryOrder(query.order))));
    BindAdvisoryQuery(select, query);
    select.Bind(7, sql::Limit(query.limit)).Bind(8, query.offset);
    std::vector<StoredAdvisory> advisories;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      advisories.push_back(ReadRow(select, false));
      advisories.back().warnings = select.ColumnInt(11);
    }
    return advisories;
  }

  Result<int64_t> Count(const AdvisoryQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT count(*) FROM advisories WHERE {}", kAdvisoryWhere)));
    BindAdvisoryQuery(select, query);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    return has_row ? select.ColumnInt(0) : int64_t{0};
  }

  Result<int64_t> CountRevisions(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement count,
        db_.Prepare("SELECT count(*) FROM advisory_revisions WHERE advisory_id = ?1"));
    count.Bind(1, id);
    BAKEN_RETURN_IF_ERROR(count.Step());
    return count.ColumnInt(0);
  }

  Result<std::vector<StoredAdvisory>> Unwarned() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(
            std::string("SELECT ") + std::string(kColumns) +
            ", document FROM advisories WHERE warned_sha256 IS DISTINCT FROM sha256 ORDER BY id"));
    return Collect(select, true);
  }

  Status MarkWarned(int64_t id, std::string_view sha256) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE advisories SET warned_sha256 = ?2 WHERE id = ?1"));
    update.Bind(1, id).Bind(2, sha256);
    return update.Run();
  }

  Result<std::vector<AdvisoryFinding>> Findings(std::string_view member,
                                                int64_t advisory_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT asset, product_id, outcome, risk, cves, remediations FROM "
                    "advisory_findings WHERE member_code = ?1 AND advisory_id = ?2 "
                    "ORDER BY asset, product_id"));
    select.Bind(1, member).Bind(2, advisory_id);
    std::vector<AdvisoryFinding> findings;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      findings.push_back({select.ColumnText(0), select.ColumnText(1), select.ColumnText(2),
                          select.ColumnText(3), Texts(select.ColumnText(4)),
                          Texts(select.ColumnText(5))});
    }
    return findings;
  }

  Status ReplaceFindings(std::string_view member, int64_t advisory_id,
                         const std::vector<AdvisoryFinding>& findings) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement erase,
        db_.Prepare("DELETE FROM advisory_findings WHERE member_code = ?1 AND advisory_id = ?2"));
    erase.Bind(1, member).Bind(2, advisory_id);
    BAKEN_RETURN_IF_ERROR(erase.Run());
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO advisory_findings (member_code, advisory_id, asset, "
                    "product_id, outcome, risk, cves, remediations) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                    "ON CONFLICT (member_code, advisory_id, asset, product_id) DO UPDATE SET "
                    "outcome = excluded.outcome, risk = excluded.risk, cves = excluded.cves, "
                    "remediations = excluded.remediations"));
    for (const AdvisoryFinding& finding : findings) {
      insert.Reset();
      insert.Bind(1, member)
          .Bind(2, advisory_id)
          .Bind(3, finding.asset)
          .Bind(4, finding.product_id)
          .Bind(5, finding.outcome)
          .Bind(6, finding.risk)
          .Bind(7, nlohmann::json(finding.cves).dump())
          .Bind(8, nlohmann::json(finding.remediations).dump());
      BAKEN_RETURN_IF_ERROR(insert.Run());
    }
    return {};
  }

  Result<int64_t> AddWarning(const WarningRecord& warning) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO warnings (member_code, advisory_id, tracking_id, version, title, "
                    "tlp, risk, affected, unknown, revised, changes, issued_at) VALUES "
                    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id"));
    insert.Bind(1, warning.member)
        .Bind(2, warning.advisory_id)
        .Bind(3, warning.tracking_id)
        .Bind(4, warning.version)
        .Bind(5, warning.title)
        .Bind(6, warning.tlp)
        .Bind(7, warning.risk)
        .Bind(8, warning.affected)
        .Bind(9, warning.unknown)
        .Bind(10, int64_t{warning.revised ? 1 : 0})
        .Bind(11, nlohmann::json(warning.changes).dump())
        .Bind(12, warning.issued_at);
    return sql::InsertedId(insert);
  }

  Result<std::vector<WarningRecord>> Warnings(const registry::Scope& scope, std::string_view from,
                                              std::string_view until, int64_t limit,
                                              bool with_red) override {
    return SelectWarnings(scope, from, until, limit, with_red, std::nullopt);
  }

  Result<std::string> NewestWarningTlp(std::string_view member, int64_t advisory_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT tlp FROM warnings WHERE member_code = ?1 AND advisory_id = ?2 "
                    "ORDER BY issued_at DESC, id DESC LIMIT 1"));
    select.Bind(1, member).Bind(2, advisory_id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    return has_row ? select.ColumnText(0) : std::string();
  }

  Result<std::optional<WarningRecord>> FindWarning(const registry::Scope& scope, int64_t id,
                                                   bool with_red) override {
    BAKEN_ASSIGN_OR_RETURN(auto found, SelectWarnings(scope, "", "", 1, with_red, id));
    if (found.empty()) return std::optional<WarningRecord>();
    return std::optional<WarningRecord>(std::move(found.front()));
  }

  Result<WarningPage> PageWarnings(const registry::Scope& scope,
                                   const WarningQuery& query) override {
    WarningPage page;
    BAKEN_ASSIGN_OR_RETURN(Statement count,
                           db_.Prepare(std::string("SELECT COUNT(*) FROM warnings WHERE ") +
                                       std::string(kWarningWhere)));
    BindWarningFilter(count, scope, query.since, "", query.with_red, std::nullopt, query.member,
                      query.state);
    BAKEN_ASSIGN_OR_RETURN(bool counted, count.Step());
    page.total = counted ? count.ColumnInt(0) : 0;
    BAKEN_ASSIGN_OR_RETURN(page.warnings, SelectWarnings(scope, query.since, "", query.limit,
                                                         query.with_red, std::nullopt, query.member,
                                                         query.state, query.by_risk, query.offset));
    return page;
  }

  Result<bool> SetWarningState(const registry::Scope& scope, int64_t id, bool with_red,
                               std::string_view state, std::string_view by, std::string_view at,
                               std::string_view note) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare(std::string("UPDATE warnings SET state = ?20, state_by = ?21, state_at = ?22, "
                                "state_note = NULLIF(?23, '') WHERE ") +
                    std::string(kWarningWhere)));
    BindWarningFilter(update, scope, "", "", with_red, id, std::nullopt, std::nullopt);
    update.Bind(20, state).Bind(21, by).Bind(22, at).Bind(23, note);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() > 0;
  }

  // The scope is applied here, in the one condition every read and change of warnings uses.
  static constexpr std::string_view kWarningWhere =
      "(?1 IS NULL OR member_code = ?1) AND (?2 = '' OR issued_at >= ?2) "
      "AND (?3 = '' OR issued_at < ?3) AND (?5 = 1 OR tlp <> 'RED') "
      "AND (?6 IS NULL OR id = ?6) AND (?7 IS NULL OR member_code = ?7) "
      "AND (?8 IS NULL OR state = ?8)";

  static void BindWarningFilter(Statement& statement, const registry::Scope& scope,
                                std::string_view from, std::string_view until, bool with_red,
                                std::optional<int64_t> id, const std::optional<std::string>& member,
                                const std::optional<std::string>& state) {
    statement.Bind(1, scope.member())
        .Bind(2, from)
        .Bind(3, until)
        .Bind(5, int64_t{with_red ? 1 : 0})
        .Bind(6, id)
        .Bind(7, member)
        .Bind(8, state);
  }

  Result<std::vector<WarningRecord>> SelectWarnings(
      const registry::Scope& scope, std::string_view from, std::string_view until, int64_t limit,
      bool with_red, std::optional<int64_t> id,
      const std::optional<std::string>& member = std::nullopt,
      const std::optional<std::string>& state = std::nullopt, bool by_risk = false,
      int64_t offset = 0) {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(std::string("SELECT id, member_code, advisory_id, tracking_id, version, title, "
                                "tlp, risk, affected, unknown, revised, changes, issued_at, state, "
                                "state_by, state_at, state_note FROM warnings WHERE ") +
                    std::string(kWarningWhere) +
                    (by_risk ? " ORDER BY CASE risk WHEN 'Urgent' THEN 0 WHEN 'Hoog' THEN 1 "
                               "WHEN 'Normaal' THEN 2 ELSE 3 END, issued_at DESC, id DESC"
                             : " ORDER BY issued_at DESC, id DESC") +
                    " LIMIT ?4 OFFSET ?9"));
    BindWarningFilter(select, scope, from, until, with_red, id, member, state);
    select.Bind(4, limit).Bind(9, offset);
    std::vector<WarningRecord> warnings;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      WarningRecord warning;
      warning.id = select.ColumnInt(0);
      warning.member = select.ColumnText(1);
      warning.advisory_id = select.ColumnInt(2);
      warning.tracking_id = select.ColumnText(3);
      warning.version = select.ColumnText(4);
      warning.title = select.ColumnText(5);
      warning.tlp = select.ColumnText(6);
      warning.risk = select.ColumnText(7);
      warning.affected = select.ColumnInt(8);
      warning.unknown = select.ColumnInt(9);
      warning.revised = select.ColumnInt(10) != 0;
      warning.changes = Texts(select.ColumnText(11));
      warning.issued_at = select.ColumnText(12);
      warning.state = select.ColumnText(13);
      warning.state_by = select.ColumnOptionalText(14);
      warning.state_at = select.ColumnOptionalText(15);
      warning.state_note = select.ColumnOptionalText(16);
      warnings.push_back(std::move(warning));
    }
    return warnings;
  }

  Result<std::optional<int64_t>> AddOverview(std::string_view member, std::string_view week,
                                             std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO warning_overviews (member_code, week, created_at) "
                    "VALUES (?1, ?2, ?3) ON CONFLICT (member_code, week) DO NOTHING RETURNING id"));
    insert.Bind(1, member).Bind(2, week).Bind(3, now);
    // Nothing comes back when the overview already existed.
    return sql::InsertedIdIfAny(insert);
  }

  Result<std::string> SyncCursor(std::string_view listing_url) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT cursor FROM advisory_sync_cursors WHERE listing_url = ?1"));
    select.Bind(1, listing_url);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    return has_row ? select.ColumnText(0) : std::string();
  }

  Status SaveSyncCursor(std::string_view listing_url, std::string_view cursor,
                        std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO advisory_sync_cursors (listing_url, cursor, synced_at) "
                    "VALUES (?1, ?2, ?3) ON CONFLICT (listing_url) DO UPDATE SET "
                    "cursor = excluded.cursor, synced_at = excluded.synced_at"));
    upsert.Bind(1, listing_url).Bind(2, cursor).Bind(3, now);
    return upsert.Run();
  }

  Result<std::vector<SyncDocument>> SyncDocuments(std::string_view listing_url) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT document_url, updated, state, attempts, last_error FROM "
                    "advisory_sync_documents WHERE listing_url = ?1 ORDER BY updated"));
    select.Bind(1, listing_url);
    std::vector<SyncDocument> documents;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      documents.push_back({select.ColumnText(0), select.ColumnText(1), select.ColumnText(2),
                           select.ColumnInt(3), select.ColumnOptionalText(4)});
    }
    return documents;
  }

  Status SaveSyncDocument(std::string_view listing_url, const SyncDocument& document) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO advisory_sync_documents (listing_url, document_url, updated, "
                    "state, attempts, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                    "ON CONFLICT (listing_url, document_url, updated) DO UPDATE SET "
                    "state = excluded.state, attempts = excluded.attempts, "
                    "last_error = excluded.last_error"));
    upsert.Bind(1, listing_url)
        .Bind(2, document.document_url)
        .Bind(3, document.updated)
        .Bind(4, document.state)
        .Bind(5, document.attempts)
        .Bind(6, document.last_error);
    return upsert.Run();
  }

  Status ForgetSyncDocument(std::string_view listing_url, std::string_view document_url,
                            std::string_view updated) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement erase,
        db_.Prepare("DELETE FROM advisory_sync_documents WHERE listing_url = ?1 AND "
                    "document_url = ?2 AND updated = ?3"));
    erase.Bind(1, listing_url).Bind(2, document_url).Bind(3, updated);
    return erase.Run();
  }

 private:
  static Result<std::vector<StoredAdvisory>> Collect(Statement& select, bool with_document) {
    std::vector<StoredAdvisory> advisories;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      advisories.push_back(ReadRow(select, with_document));
    }
    return advisories;
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<AdvisoryRepository> MakeAdvisoryRepository(Connection& db) {
  return std::make_unique<SqlAdvisoryRepository>(db);
}

}  // namespace baken::store
