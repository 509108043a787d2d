// Bars (uPlot, loaded only on the pages that show a chart): the findings per week of the
// overview, the incidents per RSIT class of the statistics. The page shows the same figures as
// a table beside it, for screen readers and for anyone who wants the numbers.
//
// Under the server's CSP (style-src 'self') nothing may put a style attribute or a <style>
// element into the page: uPlot sizes its elements through CSSOM (element.style.x = …), which the
// CSP allows, and its stylesheet is a file of the build. The canvas follows its box's width
// (ResizeObserver), so the chart never makes a phone's page scroll sideways.
import { useEffect, useRef } from "react";
import type uPlotType from "uplot";
import "uplot/dist/uPlot.min.css";
import { useI18n } from "../i18n";

const kHeight = 220;

function themeColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

// `labels` are short (under each bar); `label` says what the chart shows, for screen readers.
// `everyOther`: on a narrow chart only every other bar is labelled, so that labels do not run
// into each other; `rotate`: long labels slant instead.
export function BarChart({
  labels,
  values,
  label,
  series,
  rotate = false,
}: {
  labels: string[];
  values: number[];
  label: string;
  series: string;
  rotate?: boolean;
}) {
  const { formatNumber } = useI18n();
  const box = useRef<HTMLDivElement | null>(null);
  const key = JSON.stringify([labels, values]);

  useEffect(() => {
    let plot: uPlotType | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    void import("uplot").then(({ default: uPlot }) => {
      const element = box.current;
      if (cancelled || !element) return;
      const colour = themeColour("--baken-color-blue-500", "#154273");
      const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 48] }) : undefined;
      plot = new uPlot(
        {
          width: Math.max(element.clientWidth, 1),
          height: kHeight + (rotate ? 80 : 0),
          legend: { show: false },
          cursor: { show: false },
          scales: {
            x: { time: false, range: [-0.5, values.length - 0.5] },
            y: { range: (_u, _min, max) => [0, Math.max(max, 1)] },
          },
          axes: [
            {
              splits: () => values.map((_, index) => index),
              values: (_u, splits) => splits.map((index) => labels[index] ?? ""),
              ...(rotate
                ? { rotate: -40, size: 110 }
                : {
                    filter: (u: uPlotType, splits: number[]) =>
                      splits.map((index) => (u.width < 600 && index % 2 === 1 ? null : index)),
                  }),
            },
            { values: (_u, splits) => splits.map((value) => (Number.isInteger(value) ? formatNumber(value) : "")) },
          ],
          series: [{}, { label: series, stroke: colour, fill: colour, paths: bars, points: { show: false } }],
        },
        [values.map((_, index) => index), values],
        element,
      );
      observer = new ResizeObserver(() => {
        if (plot && element.clientWidth > 0) plot.setSize({ width: element.clientWidth, height: kHeight + (rotate ? 80 : 0) });
      });
      observer.observe(element);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
    // `key` holds labels and values; a page passes new arrays with the same figures on each render.
  }, [key, series, rotate, formatNumber]);

  return <div ref={box} className="baken-chart" role="img" aria-label={label} />;
}
