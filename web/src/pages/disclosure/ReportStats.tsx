// The figures of researchers' reports (decision 0020) received in a period: per month and the
// state each is in now (also as a bar chart of the month's totals), per channel, what the
// members answered, and the median hours from notice to acknowledgement and to fix. The period
// is in the address, as on the incidents' statistics.
import { Alert, DataList, DataListItem, DataListKey, DataListValue, Heading2, Paragraph } from "@utrecht/component-library-react";
import type { NotificationState, ReportChannel, ReportStats as Stats } from "../../api";
import { useI18n } from "../../i18n";
import { useResource } from "../../resource";
import { BarChart } from "../../components/BarChart";
import { PageHeading } from "../../components/PageHeading";
import { Empty, ProblemText, Show } from "../../components/States";
import { StatsPeriodForm, usePeriodText, useStatsPeriod } from "../../components/StatsPeriod";
import type { StatsPeriod } from "../../components/StatsPeriod";
import { DataTable } from "../../components/Table";
import { kReportStates, useReportWords } from "./shared";

// The answers the figures count, in the order a notification goes through them.
const kAnswers: readonly NotificationState[] = ["notified", "seen", "acknowledged", "fixed", "not_affected", "disputed", "no_response"];

export function ReportStats() {
  const { t } = useI18n();
  const period = useStatsPeriod();
  const [stats] = useResource<Stats>(`/stats/vulnerability-reports${period.query ? `?${period.query}` : ""}`);
  return (
    <>
      <PageHeading title={t("reports.statsTitle")} />
      <Paragraph>{t("reports.statsIntro")}</Paragraph>
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

function StatsTables({ stats, period }: { stats: Stats; period: StatsPeriod }) {
  const { t, formatNumber, formatMonth } = useI18n();
  const words = useReportWords();
  const periodText = usePeriodText(period);
  const channels = Object.entries(stats.by_channel) as [ReportChannel, number][];
  const hours = (figure: Stats["hours_to_fix"]) =>
    figure.median === null
      ? t("reports.statsNoHours")
      : t(figure.count === 1 ? "reports.statsHoursOne" : "reports.statsHours", {
          hours: formatNumber(figure.median),
          count: formatNumber(figure.count),
        });
  return (
    <>
      <section aria-labelledby="stats-total" className="baken-section">
        <Heading2 id="stats-total">
          {stats.reports === 1
            ? t("reports.statsTotalOne", { period: periodText })
            : t("reports.statsTotal", { total: formatNumber(stats.reports), period: periodText })}
        </Heading2>
      </section>
      {stats.reports === 0 ? (
        <Empty>{t("reports.statsNone")}</Empty>
      ) : (
        <>
          <section aria-labelledby="stats-by-month" className="baken-section">
            <Heading2 id="stats-by-month">{t("reports.statsByMonth")}</Heading2>
            <Paragraph>{t("reports.statsByMonthIntro")}</Paragraph>
            <BarChart
              labels={stats.by_month.map((row) => formatMonth(row.month))}
              values={stats.by_month.map((row) => row.total)}
              label={t("reports.statsChartLabel")}
              series={t("reports.statsByMonth")}
              rotate
            />
            <DataTable
              caption={t("reports.statsByMonth")}
              rows={stats.by_month}
              rowKey={(row) => row.month}
              columns={[
                { key: "month", header: t("reports.statsMonth"), cell: (row) => formatMonth(row.month) },
                ...kReportStates.map((state) => ({
                  key: state,
                  header: words.state(state),
                  numeric: true,
                  cell: (row: Stats["by_month"][number]) => formatNumber(row[state]),
                })),
                { key: "total", header: t("incidents.statsTotalLabel"), numeric: true, cell: (row) => formatNumber(row.total) },
              ]}
            />
          </section>
          <section aria-labelledby="stats-by-channel" className="baken-section">
            <Heading2 id="stats-by-channel">{t("reports.statsByChannel")}</Heading2>
            <DataTable
              caption={t("reports.statsByChannel")}
              rows={channels}
              rowKey={([channel]) => channel}
              columns={[
                { key: "channel", header: t("incidents.source"), cell: ([channel]) => words.channel(channel) },
                { key: "count", header: t("incidents.statsCount"), numeric: true, cell: ([, count]) => formatNumber(count) },
              ]}
            />
          </section>
          <section aria-labelledby="stats-answers" className="baken-section">
            <Heading2 id="stats-answers">{t("reports.statsAnswers")}</Heading2>
            <Paragraph>
              {stats.notifications.total === 1
                ? t("reports.statsNotificationsOne")
                : t("reports.statsNotifications", { total: formatNumber(stats.notifications.total) })}
            </Paragraph>
            <DataTable
              caption={t("reports.statsAnswers")}
              rows={kAnswers}
              rowKey={(state) => state}
              columns={[
                { key: "state", header: t("incidents.state"), cell: (state) => words.notification(state) },
                {
                  key: "count",
                  header: t("incidents.statsCount"),
                  numeric: true,
                  cell: (state) => formatNumber(stats.notifications.by_state[state] ?? 0),
                },
              ]}
            />
          </section>
          <section aria-labelledby="stats-hours" className="baken-section">
            <Heading2 id="stats-hours">{t("reports.statsSpeed")}</Heading2>
            <DataList>
              <DataListItem>
                <DataListKey>{t("reports.statsToAcknowledge")}</DataListKey>
                <DataListValue>{hours(stats.hours_to_acknowledge)}</DataListValue>
              </DataListItem>
              <DataListItem>
                <DataListKey>{t("reports.statsToFix")}</DataListKey>
                <DataListValue>{hours(stats.hours_to_fix)}</DataListValue>
              </DataListItem>
            </DataList>
          </section>
        </>
      )}
    </>
  );
}
