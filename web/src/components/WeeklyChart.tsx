// Findings per week as bars (uPlot, loaded only on the pages that show a chart), with the same
// figures as a table beside it for screen readers and for anyone who wants the numbers.
//
// Under the server's CSP (style-src 'self') nothing may put a style attribute or a <style>
// element into the page: uPlot sizes its elements through CSSOM (element.style.x = …), which the
// CSP allows, and its stylesheet is a file of the build. The canvas follows its box's width
// (ResizeObserver), so the chart never makes a phone's page scroll sideways.
import { useEffect, useRef } from "react";
import type uPlotType from "uplot";
import "uplot/dist/uPlot.min.css";
import { useI18n } from "../i18n";
import { DataTable } from "./Table";

export interface WeekCount {
  week: string;
  events: number;
}

const kHeight = 220;

function themeColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export function WeeklyChart({ weeks, caption }: { weeks: WeekCount[]; caption: string }) {
  const { t, language, formatDate, formatNumber } = useI18n();
  const box = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    let plot: uPlotType | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    void import("uplot").then(({ default: uPlot }) => {
      const element = box.current;
      if (cancelled || !element) return;
      const colour = themeColour("--baken-color-blue-500", "#154273");
      // Short labels under the bars ("30 nov."): the table has the full dates.
      const short = new Intl.DateTimeFormat(language === "nl" ? "nl-NL" : "en-GB", {
        day: "numeric",
        month: "short",
        timeZone: "UTC",
      });
      const labels = weeks.map((week) => short.format(new Date(`${week.week}T00:00:00Z`)));
      const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 48] }) : undefined;
      plot = new uPlot(
        {
          width: Math.max(element.clientWidth, 1),
          height: kHeight,
          legend: { show: false },
          cursor: { show: false },
          scales: { x: { time: false, range: [-0.5, weeks.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
          axes: [
            {
              splits: () => weeks.map((_, index) => index),
              values: (_u, splits) => splits.map((index) => labels[index] ?? ""),
              // Every other label on a narrow chart, so that they do not run into each other.
              filter: (u, splits) => splits.map((index) => (u.width < 600 && index % 2 === 1 ? null : index)),
            },
            { values: (_u, splits) => splits.map((value) => (Number.isInteger(value) ? formatNumber(value) : "")) },
          ],
          series: [{}, { label: caption, stroke: colour, fill: colour, paths: bars, points: { show: false } }],
        },
        [weeks.map((_, index) => index), weeks.map((week) => week.events)],
        element,
      );
      observer = new ResizeObserver(() => {
        if (plot && element.clientWidth > 0) plot.setSize({ width: element.clientWidth, height: kHeight });
      });
      observer.observe(element);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [weeks, caption, language, formatNumber]);

  return (
    <>
      <div ref={box} className="baken-chart" role="img" aria-label={t("dashboard.chartLabel")} />
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
