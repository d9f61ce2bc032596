import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/*
 * Charts are uPlot (≈ 22 KB gzip, canvas, no inline <style>; it sets sizes through the DOM, which the CSP allows).
 * Every chart has its numbers in a table beside it: the canvas is decoration for people who can see it.
 */

const css = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** Keeps a chart as wide as its box when the window (or a phone's orientation) changes. */
function fitWidth(el: HTMLElement, plot: uPlot, height: number, min: number): () => void {
  const observer = new ResizeObserver(() => {
    const width = Math.max(min, el.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height });
  });
  observer.observe(el);
  return () => observer.disconnect();
}

export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || values.every((v) => v === null)) return;
    const xs = values.map((_, i) => i);
    const plot = new uPlot(
      {
        width: Math.max(60, el.clientWidth),
        height: 32,
        cursor: { show: false },
        legend: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false } },
        series: [{}, { stroke: css('--accent'), width: 1.5, points: { show: false }, spanGaps: true }],
      },
      [xs, values],
      el,
    );
    const unfit = fitWidth(el, plot, 32, 60);
    return () => {
      unfit();
      plot.destroy();
    };
  }, [values]);
  return <div ref={ref} className="sparkline" role="img" aria-label={label} />;
}

export function WeeklyChart({
  labels,
  values,
  format,
  title,
}: {
  labels: string[];
  values: (number | null)[];
  format: (v: number) => string;
  title: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 260,
        legend: { show: false },
        // From zero: a week-to-week wobble should look like one, not like a cliff.
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          {
            stroke: css('--muted'),
            grid: { stroke: css('--grid') },
            values: (_u, splits) => splits.map((i) => labels[Math.round(i)] ?? ''),
          },
          {
            stroke: css('--muted'),
            grid: { stroke: css('--grid') },
            size: 70,
            values: (_u, splits) => splits.map((v) => format(v)),
          },
        ],
        series: [
          {},
          {
            label: title,
            stroke: css('--accent'),
            width: 2,
            fill: css('--accent-soft'),
            points: { size: 6 },
            spanGaps: false,
            value: (_u, v) => (v === null ? 'not measured' : format(v)),
          },
        ],
      },
      [labels.map((_, i) => i), values],
      el,
    );
    const unfit = fitWidth(el, plot, 260, 240);
    return () => {
      unfit();
      plot.destroy();
    };
  }, [labels, values, format, title]);
  return (
    <div
      ref={ref}
      className="chart"
      role="img"
      aria-label={`${title}, week by week; the table below has the numbers`}
    />
  );
}
