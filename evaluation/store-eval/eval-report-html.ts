// The evaluation report as one self-contained HTML page: it opens from disk with no network, Chart.js's UMD
// build and the chart data inlined. Text comes from eval-report-sections.ts, plots from eval-report-charts.ts.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { escapeHtml, jsonForScript, scriptForInline } from './escape-html.ts';
import { CHARTS_SCRIPT, reportChartData } from './eval-report-charts.ts';
import { decisionListHtml, familyTableHtml, headerHtml, scenarioTableHtml } from './eval-report-sections.ts';
import type { EvalReport } from './eval-report-types.ts';

let chartJsSource: string | undefined;

/** Chart.js's UMD build (defines the global `Chart`), from the installed package, read once. */
function chartJs(): string {
  if (chartJsSource === undefined) {
    // the package's exports do not list the UMD file; it sits beside the CommonJS entry
    const entry = createRequire(import.meta.url).resolve('chart.js');
    chartJsSource = scriptForInline(readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8'));
  }
  return chartJsSource;
}

const STYLE = `
  :root { color-scheme: light; --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --wrong: #b91c1c; --staff: #b45309; }
  * { box-sizing: border-box; }
  body { margin: 0 auto; max-width: 1320px; padding: 24px 32px 64px; color: var(--ink);
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
  h1 { font-size: 24px; margin: 0 0 12px; }
  h2 { font-size: 17px; margin: 28px 0 10px; }
  summary h2 { display: inline; }
  .facts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0; padding: 12px 16px; background: #f8fafc;
    border: 1px solid var(--line); border-radius: 8px; }
  .facts div { min-width: 90px; }
  .facts dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  .facts dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
  table { border-collapse: collapse; width: 100%; }
  th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
  thead th { background: #f1f5f9; font-weight: 600; }
  #decision-table td:nth-child(n+3):nth-child(-n+7), #decision-table td:nth-child(10),
  #decision-table td:nth-child(12), .verdict { white-space: nowrap; }
  tfoot th, tfoot td { font-weight: 700; border-top: 2px solid #cbd5e1; }
  .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  tr.has-wrong td[data-col="wrong-confident"] { color: var(--wrong); font-weight: 700; }
  .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
  .chart { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px 14px; }
  .chart.wide { grid-column: 1 / -1; }
  .chart h3 { font-size: 14px; margin: 0 0 6px; }
  .chart p { margin: 0 0 8px; color: var(--muted); font-size: 12px; }
  .plot { position: relative; height: 300px; }
  #decision-table { font-size: 12.5px; }
  .verdict { font-weight: 700; font-size: 11px; text-transform: uppercase; }
  .verdict.wrong { color: var(--wrong); }
  .verdict.staff { color: var(--staff); }
  .verdict.doubt { color: var(--muted); }
  tr.wrong { background: #fef2f2; }
  pre { margin: 4px 0 0; max-width: 520px; max-height: 320px; overflow: auto; font-size: 11.5px;
    background: #f8fafc; padding: 6px 8px; border-radius: 4px; }
  details > summary { cursor: pointer; }
  i { color: var(--muted); }
`;

function chartsHtml(report: EvalReport): string {
  const automatic = report.overall.calibration.reduce((n, b) => n + b.lines, 0);
  return `<section><h2>Plots</h2><div class="charts">
<div class="chart wide"><h3>Visits exactly right, per family</h3>
<p>Bars: share of visits whose receipt was exactly right with no staff; dark whiskers: Wilson 95 % interval.</p>
<div class="plot"><canvas id="chart-exact" role="img" aria-label="exact visits per family"></canvas></div></div>
<div class="chart"><h3>Calibration of automatic billing</h3>
<p>${automatic} decisions billed without staff: share right per confidence bin (red, dot size by lines);
dashed: perfect calibration; grey bars: lines per bin (right axis).</p>
<div class="plot"><canvas id="chart-calibration" role="img" aria-label="calibration curve"></canvas></div></div>
<div class="chart"><h3>Receipt latency</h3><p>Exit scan to receipt, every visit.</p>
<div class="plot"><canvas id="chart-latency" role="img" aria-label="receipt latency histogram"></canvas></div></div>
</div></section>`;
}

/** The whole page: header, tables, plots, the wrong or doubtful decisions. */
export function renderEvalReportHtml(report: EvalReport): string {
  const title = `Walkout evaluation — ${report.mode}, ${report.seeds} seeds, ${report.startedAt}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${headerHtml(report)}
${familyTableHtml(report)}
${chartsHtml(report)}
${scenarioTableHtml(report)}
${decisionListHtml(report)}
<script type="application/json" id="eval-data">${jsonForScript(reportChartData(report))}</script>
<script>${chartJs()}</script>
<script>${CHARTS_SCRIPT}</script>
</body>
</html>
`;
}

/** Renders the report to `path`, creating its folder. */
export async function writeEvalReport(report: EvalReport, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderEvalReportHtml(report), 'utf8');
}
