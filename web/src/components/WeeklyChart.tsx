// Findings per week as bars (BarChart), with the same figures as a table beside it for screen
// readers and for anyone who wants the numbers.
import { useI18n } from "../i18n";
import { BarChart } from "./BarChart";
import { DataTable } from "./Table";

export interface WeekCount {
  week: string;
  events: number;
}

export function WeeklyChart({ weeks, caption }: { weeks: WeekCount[]; caption: string }) {
  const { t, language, formatDate, formatNumber } = useI18n();
  // Short labels under the bars ("30 nov."): the table has the full dates.
  const short = new Intl.DateTimeFormat(language === "nl" ? "nl-NL" : "en-GB", {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  return (
    <>
      <BarChart
        labels={weeks.map((week) => short.format(new Date(`${week.week}T00:00:00Z`)))}
        values={weeks.map((week) => week.events)}
        label={t("dashboard.chartLabel")}
        series={caption}
      />
      <DataTable
        caption={caption}
        rows={weeks}
        rowKey={(week) => week.week}
        columns={[
          { key: "week", header: t("dashboard.week"), cell: (week) => formatDate(week.week) },
          { key: "events", header: t("dashboard.count"), numeric: true, cell: (week) => formatNumber(week.events) },
        ]}
      />
    </>
  );
}
