// What the report's three plots show, computed here from the report (pure, testable), and the page
// script that hands it to Chart.js: exact rate per family with its interval, calibration, receipt latency.
import type { EvalReport } from './eval-report-types.ts';
import { percentile } from './percentile.ts';

export interface LatencyHistogram {
  /** Bin edges (ms), one more than counts; bin i is [edges[i], edges[i+1]). */
  edges: number[];
  counts: number[];
  n: number;
  p50Ms: number;
  p99Ms: number;
}

/** The data embedded in the page as JSON, all the charts are drawn from. */
export interface ReportChartData {
  /** Percent (0–100). */
  families: Array<{ family: string; visits: number; exactPct: number; loPct: number; hiPct: number }>;
  /** Overall calibration, non-empty bins only (an empty bin has no accuracy). */
  calibration: Array<{ bin: string; mid: number; accuracy: number; lines: number }>;
  latency: LatencyHistogram;
}

/** Roughly this many histogram bins, fewer when there are few distinct latencies. */
const LATENCY_BINS = 24;

/** The 1, 2 or 5 × 10^k at or above `raw`, so bin edges read as round numbers. */
function roundStep(raw: number): number {
  const base = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (m * base >= raw * (1 - 1e-12)) return m * base;
  return 10 * base;
}

/** Histogram with round-numbered bins of equal width covering every value; the maximum is in the last bin. */
export function latencyHistogram(valuesMs: readonly number[], bins = LATENCY_BINS): LatencyHistogram {
  const n = valuesMs.length;
  const p50Ms = percentile(valuesMs, 0.5);
  const p99Ms = percentile(valuesMs, 0.99);
  if (n === 0) return { edges: [], counts: [], n, p50Ms, p99Ms };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of valuesMs) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const step = roundStep(max > min ? (max - min) / bins : Math.max(1, Math.abs(max) / 10));
  const start = Math.floor(min / step) * step;
  const count = Math.floor((max - start) / step + 1e-9) + 1;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const edges = Array.from({ length: count + 1 }, (_, i) => Number((start + i * step).toFixed(decimals)));
  const counts = new Array<number>(count).fill(0);
  for (const v of valuesMs) {
    const i = Math.min(count - 1, Math.floor((v - start) / step + 1e-9));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return { edges, counts, n, p50Ms, p99Ms };
}

export function reportChartData(report: EvalReport): ReportChartData {
  return {
    families: report.families.map((f) => ({
      family: f.family,
      visits: f.visits,
      exactPct: f.visitsExact * 100,
      loPct: f.visitsExactCi95[0] * 100,
      hiPct: f.visitsExactCi95[1] * 100,
    })),
    calibration: report.overall.calibration
      .filter((b) => b.lines > 0)
      .map((b) => ({ bin: b.bin, mid: (b.lo + b.hi) / 2, accuracy: b.correct / b.lines, lines: b.lines })),
    latency: latencyHistogram(report.receiptLatenciesMs),
  };
}

/**
 * Runs in the page, after Chart.js's UMD build defined `Chart`: draws the three charts from the JSON in
 * #eval-data without animation, then marks the body so a reader (or a test) knows the charts are drawn.
 */
export const CHARTS_SCRIPT = `(() => {
  const data = JSON.parse(document.getElementById('eval-data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#334155';
  const pct = (v) => v.toFixed(1) + ' %';
  const title = (text) => ({ display: true, text });

  const families = data.families;
  new Chart(document.getElementById('chart-exact'), {
    type: 'bar',
    data: {
      labels: families.map((f) => f.family),
      datasets: [
        { label: '95 % interval', data: families.map((f) => [f.loPct, f.hiPct]), grouped: false, order: 1,
          barThickness: 2, backgroundColor: '#0f172a' },
        ...['loPct', 'hiPct'].map((end) => ({ type: 'line', label: 'cap', data: families.map((f) => f[end]),
          showLine: false, pointStyle: 'line', pointRadius: 9, pointHoverRadius: 9, borderWidth: 2,
          borderColor: '#0f172a', order: 0, clip: false })),
        { label: 'visits exactly right', data: families.map((f) => f.exactPct), grouped: false, order: 2,
          backgroundColor: 'rgba(37, 99, 235, 0.55)', borderColor: '#2563eb', borderWidth: 1 },
      ],
    },
    options: {
      scales: { y: { min: 0, max: 100, title: title('visits exactly right (%)') } },
      plugins: {
        legend: { labels: { filter: (item) => item.text !== 'cap' } },
        tooltip: { filter: (c) => c.dataset.label !== 'cap', callbacks: { label: (c) => {
          const f = families[c.dataIndex];
          return c.dataset.label === 'visits exactly right' ? 'exact ' + pct(f.exactPct) + ' of ' + f.visits
            + ' visits' : '95 % interval ' + pct(f.loPct) + ' – ' + pct(f.hiPct);
        } } },
      },
    },
  });

  const cal = data.calibration;
  new Chart(document.getElementById('chart-calibration'), {
    data: {
      datasets: [
        { type: 'line', label: 'perfectly calibrated', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }],
          borderColor: '#94a3b8', borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, yAxisID: 'y' },
        { type: 'line', label: 'observed accuracy', data: cal.map((b) => ({ x: b.mid, y: b.accuracy })),
          borderColor: '#dc2626', backgroundColor: '#dc2626', yAxisID: 'y', clip: false,
          pointRadius: cal.map((b) => 3 + 7 * Math.sqrt(b.lines / Math.max(1, ...cal.map((c) => c.lines)))) },
        { type: 'bar', label: 'lines billed', data: cal.map((b) => ({ x: b.mid, y: b.lines })),
          yAxisID: 'lines', backgroundColor: 'rgba(100, 116, 139, 0.25)', barThickness: 'flex',
          barPercentage: 0.9, categoryPercentage: 1 },
      ],
    },
    options: {
      scales: {
        x: { type: 'linear', min: 0, max: 1, title: title('confidence (bin midpoint)') },
        y: { min: 0, max: 1, title: title('observed accuracy') },
        lines: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
          title: title('lines billed automatically') },
      },
      plugins: { tooltip: { callbacks: { label: (c) => {
        if (c.datasetIndex === 0) return 'perfect calibration';
        const b = cal[c.dataIndex];
        return b.bin + ': ' + pct(b.accuracy * 100) + ' right of ' + b.lines + ' lines';
      } } } },
    },
  });

  const lat = data.latency;
  new Chart(document.getElementById('chart-latency'), {
    type: 'bar',
    data: {
      labels: lat.counts.map((_, i) => lat.edges[i] + '–' + lat.edges[i + 1]),
      datasets: [{ label: 'visits', data: lat.counts, backgroundColor: 'rgba(5, 150, 105, 0.6)',
        borderColor: '#047857', borderWidth: 1, barPercentage: 1, categoryPercentage: 1 }],
    },
    options: {
      scales: { x: { title: title('exit → receipt (ms, bin start)'),
        ticks: { maxRotation: 0, callback: (_, i) => lat.edges[i] } },
        y: { beginAtZero: true, title: title('visits'),
        ticks: { precision: 0 } } },
      plugins: { legend: { display: false }, title: title(lat.n + ' receipts, p50 ' + Math.round(lat.p50Ms)
        + ' ms, p99 ' + Math.round(lat.p99Ms) + ' ms') },
    },
  });

  requestAnimationFrame(() => { document.body.dataset.chartsReady = 'true'; });
})();
`;
