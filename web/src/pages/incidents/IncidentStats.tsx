// The threat report's figures (dreigingsbeeld): the incidents created in a period, by RSIT
// class and type, by cause ("door wie"), by impact and by member kind, each with its share, as
// tables, the classes as a bar chart too, and the whole as a CSV file. The period is in the
// address, so that a period's figures can be linked; the end date counts as a whole day.
import { Alert, Button, Heading2, Paragraph } from "@utrecht/component-library-react";
import { csvText } from "../../csv.js";
import { downloadText } from "../../download";
import { kStatsColumns, statsRows } from "../../incidentTables.js";
import type { IncidentStats as Stats, StatsCount, StatsTableName } from "../../incidentTables.js";
import { useI18n } from "../../i18n";
import { incidentLabel, rsitTypeLabel } from "../../labels";
import type { IncidentWordKind } from "../../labels";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { BarChart } from "../../components/BarChart";
import { PageHeading } from "../../components/PageHeading";
import { Empty, ProblemText, Show } from "../../components/States";
import { StatsPeriodForm, usePeriodText, useStatsPeriod } from "../../components/StatsPeriod";
import type { StatsPeriod } from "../../components/StatsPeriod";
import { DataTable } from "../../components/Table";

const kTables: { name: StatsTableName; title: MessageKey; kind: IncidentWordKind | null }[] = [
  { name: "by_classification", title: "incidents.statsByClass", kind: "class" },
  { name: "by_type", title: "incidents.statsByType", kind: null },
  { name: "by_cause", title: "incidents.statsByCause", kind: "cause" },
  { name: "by_impact", title: "incidents.statsByImpact", kind: "impact" },
  { name: "by_member_kind", title: "incidents.statsByMemberKind", kind: "member_kind" },
];

export function IncidentStats() {
  const { t } = useI18n();
  const period = useStatsPeriod();
  const [stats] = useResource<Stats>(`/stats/incidents${period.query ? `?${period.query}` : ""}`);
  return (
    <>
      <PageHeading title={t("incidents.statsTitle")} />
      <Paragraph>{t("incidents.statsIntro")}</Paragraph>
      <StatsPeriodForm period={period} />
      {stats.status === "error" && stats.error.status === 400 ? (
        <Alert type="error" role="alert">
          <ProblemText error={stats.error} />
        </Alert>
      ) : (
        <Show resource={stats} render={(data) => <StatsTables stats={data} period={period} />} />
      )}
    </>
  );
}

function StatsTables({ stats, period: chosen }: { stats: Stats; period: StatsPeriod }) {
  const { t, language, formatNumber } = useI18n();
  const { from, to } = chosen;
  const period = usePeriodText(chosen);
  const notSet = t("incidents.statsNotSet");
  const name = (table: StatsTableName, row: StatsCount): string => {
    if (table === "by_type") {
      return row.classification && row.type ? rsitTypeLabel(language, row.classification, row.type) : t("incidents.unclassified");
    }
    const spec = kTables.find((entry) => entry.name === table)!;
    const field = table === "by_classification" ? row.classification : table === "by_cause" ? row.cause : table === "by_impact" ? row.impact : row.member_kind;
    if (!field) return table === "by_classification" ? t("incidents.unclassified") : notSet;
    return incidentLabel(language, spec.kind!, field);
  };

  function download() {
    const rows = statsRows(stats, (table) => t(kTables.find((entry) => entry.name === table)!.title), name, t("incidents.statsTotalLabel"));
    const file = `incidenten-${from || "begin"}-${to || "nu"}.csv`;
    downloadText(file, csvText(kStatsColumns, rows as unknown as Record<string, unknown>[]));
  }

  const share = (value: number) => `${formatNumber(value)} %`;
  return (
    <>
      <section aria-labelledby="stats-total" className="baken-section">
        <Heading2 id="stats-total">
          {stats.total === 1 ? t("incidents.statsTotalOne", { period }) : t("incidents.statsTotal", { total: formatNumber(stats.total), period })}
        </Heading2>
        <Button appearance="secondary-action-button" onClick={download} disabled={stats.total === 0}>
          {t("incidents.statsDownload")}
        </Button>
      </section>
      {stats.total === 0 ? (
        <Empty>{t("incidents.statsNone")}</Empty>
      ) : (
        kTables.map((table) => {
          const rows = stats[table.name];
          return (
            <section key={table.name} aria-labelledby={`stats-${table.name}`} className="baken-section">
              <Heading2 id={`stats-${table.name}`}>{t(table.title)}</Heading2>
              {table.name === "by_classification" && (
                <BarChart
                  labels={rows.map((row) => name(table.name, row))}
                  values={rows.map((row) => row.count)}
                  label={t("incidents.statsChartLabel")}
                  series={t(table.title)}
                  rotate
                />
              )}
              <DataTable
                caption={t(table.title)}
                rows={rows}
                rowKey={(_row, index) => index}
                columns={[
                  { key: "name", header: t("incidents.statsName"), cell: (row) => name(table.name, row) },
                  { key: "count", header: t("incidents.statsCount"), numeric: true, cell: (row) => formatNumber(row.count) },
                  { key: "share", header: t("incidents.statsShare"), numeric: true, cell: (row) => share(row.share) },
                ]}
              />
            </section>
          );
        })
      )}
    </>
  );
}
