// The report page's text parts as HTML: the run's header, the score tables per family and per scenario,
// and the list of wrong or doubtful decisions with their evidence. Every string from the report is escaped.

import { countsText } from './counts.ts';
import { escapeHtml as esc } from './escape-html.ts';
import type { Decision, EvalReport, ScoreBlock } from './eval-report-types.ts';

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

export function formatExact(score: ScoreBlock): string {
  const [lo, hi] = score.visitsExactCi95;
  return `${percent(score.visitsExact)} (${(lo * 100).toFixed(1)}–${(hi * 100).toFixed(1)})`;
}

/** The score columns every table shares, in order; each cell carries data-col for readers and tests. */
const SCORE_COLUMNS: Array<{ col: string; head: string; title: string; cell: (s: ScoreBlock) => string }> = [
  { col: 'visits', head: 'Visits', title: 'visits scored', cell: (s) => String(s.visits) },
  {
    col: 'exact',
    head: 'Exact (95 % CI)',
    title: 'receipt exactly right with no staff involvement; Wilson 95 % interval in brackets',
    cell: formatExact,
  },
  { col: 'line-f1', head: 'Line F1', title: 'receipt-line F1 over units', cell: (s) => s.lineF1.toFixed(3) },
  {
    col: 'to-staff',
    head: 'To staff',
    title: 'share of taken lines staff had to decide (exceptions sent)',
    cell: (s) => `${percent(s.linesToStaffShare)} (${s.toStaff})`,
  },
  {
    col: 'to-staff-why',
    head: 'Why to staff',
    title: 'the lines sent to staff by the rule that refused them (docs/fusion.md), the commonest first',
    cell: (s) => countsText(s.toStaffWhy) || '–',
  },
  {
    col: 'wrong-confident',
    head: 'Wrong-confident',
    title: 'receipt lines billed wrongly without asking staff',
    cell: (s) => String(s.wrongConfident),
  },
  {
    col: 'receipt-p99',
    head: 'Receipt p99',
    title: 'exit → receipt latency, 99th percentile',
    cell: (s) => ms(s.receiptLatencyP99Ms),
  },
];

const scoreHeads = () =>
  SCORE_COLUMNS.map((c) => `<th class="num" title="${esc(c.title)}">${esc(c.head)}</th>`).join('');
const scoreCells = (s: ScoreBlock) =>
  SCORE_COLUMNS.map((c) => `<td class="num" data-col="${c.col}">${esc(c.cell(s))}</td>`).join('');
const flagged = (s: ScoreBlock) => (s.wrongConfident > 0 ? ' class="has-wrong"' : '');

export function headerHtml(report: EvalReport): string {
  const o = report.overall;
  const facts: Array<[string, string]> = [
    ['mode', report.mode],
    ['seeds', String(report.seeds)],
    ['started', report.startedAt],
    ['duration', duration(report.durationS)],
    ['commit', report.commit ?? 'not in a git checkout'],
    ['visits', String(o.visits)],
    ['exact', formatExact(o)],
    ['wrong-confident', String(o.wrongConfident)],
    ['to staff', `${percent(o.linesToStaffShare)} of ${o.linesTaken} lines`],
    ['receipt p99', ms(o.receiptLatencyP99Ms)],
  ];
  const items = facts
    .map(([k, v]) => `<div data-fact="${esc(k)}"><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`)
    .join('');
  return `<header><h1>Walkout evaluation</h1><dl class="facts">${items}</dl></header>`;
}

export function familyTableHtml(report: EvalReport): string {
  const rows = report.families
    .map(
      (f) =>
        `<tr data-family="${esc(f.family)}"${flagged(f)}><th scope="row">${esc(f.family)}</th>${scoreCells(f)}</tr>`,
    )
    .join('');
  return `<section><h2>Per family</h2><table id="family-table"><thead><tr><th>Family</th>${scoreHeads()}</tr></thead>
<tbody>${rows}</tbody><tfoot><tr data-family="overall"><th scope="row">overall</th>${scoreCells(report.overall)}</tr></tfoot></table></section>`;
}

export function scenarioTableHtml(report: EvalReport): string {
  const rows = report.scenarios
    .map(
      (s) =>
        `<tr data-scenario="${esc(s.name)}" data-seed="${s.seed}"${flagged(s)}><th scope="row">${esc(s.name)}</th>` +
        `<td>${esc(s.family)}</td><td class="num">${s.seed}</td>${scoreCells(s)}</tr>`,
    )
    .join('');
  return `<details id="scenarios"><summary><h2>Per scenario and seed (${report.scenarios.length})</h2></summary>
<table id="scenario-table"><thead><tr><th>Scenario</th><th>Family</th><th class="num">Seed</th>${scoreHeads()}</tr></thead>
<tbody>${rows}</tbody></table></details>`;
}

/** Billed wrongly, or not billed by the edge at all (sent to staff, or nobody to bill). */
export function isWrongOrDoubtful(d: Decision): boolean {
  return d.correct !== true || d.attribution === 'staff';
}

function verdict(d: Decision): { label: string; css: string } {
  if (d.correct === false) return { label: 'wrong', css: 'wrong' };
  if (d.attribution === 'staff') return { label: 'to staff', css: 'staff' };
  return { label: d.attribution === 'unattributed' ? 'unattributed' : 'no verdict', css: 'doubt' };
}

function evidenceJson(evidence: unknown): string {
  return JSON.stringify(evidence ?? null, null, 2) ?? 'null';
}

function decisionRow(d: Decision): string {
  const v = verdict(d);
  const who = (id: string | null, none: string) => (id === null ? `<i>${none}</i>` : esc(id));
  const confidence = d.confidence === null ? '' : ` ${d.confidence.toFixed(2)}`;
  const cells = [
    `<td><span class="verdict ${v.css}">${v.label}</span></td>`,
    `<td>${esc(d.scenario)}</td>`,
    `<td class="num">${d.seed}</td>`,
    `<td class="num">${d.atS.toFixed(1)} s</td>`,
    `<td>${esc(d.kind)}</td>`,
    `<td>${esc(d.lane)}</td>`,
    `<td>${d.sku === null ? '<i>unknown</i>' : esc(d.sku)} ×${d.count}</td>`,
    `<td data-col="truth">${who(d.truthShopper, 'no true event')}</td>`,
    `<td data-col="billed">${who(d.billedTo, 'nobody')}</td>`,
    `<td>${esc(d.attribution)}${confidence}</td>`,
    `<td>${esc(d.candidates.join(', '))}</td>`,
    `<td><code>${d.rule === null ? '' : esc(d.rule)}</code></td>`,
    `<td><details><summary>evidence</summary><pre>${esc(evidenceJson(d.evidence))}</pre></details></td>`,
  ];
  return `<tr class="${v.css}">${cells.join('')}</tr>`;
}

export function decisionListHtml(report: EvalReport): string {
  const listed = report.decisions
    .filter(isWrongOrDoubtful)
    .sort((a, b) => a.scenario.localeCompare(b.scenario) || a.seed - b.seed || a.atS - b.atS);
  const wrong = listed.filter((d) => d.correct === false).length;
  const heads = [
    'Verdict',
    'Scenario',
    'Seed',
    'Time',
    'Kind',
    'Lane',
    'SKU',
    'Truth',
    'Billed to',
    'Attribution',
    'Candidates',
    'Rule',
    'Evidence',
  ];
  const body =
    listed.length === 0
      ? `<p class="none">Every one of the ${report.decisions.length} decisions was billed right by the edge.</p>`
      : `<table id="decision-table"><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>${listed.map(decisionRow).join('\n')}</tbody></table>`;
  return `<section id="decisions"><h2>Wrong or doubtful decisions (${wrong} wrong, ${listed.length - wrong} not billed by the edge, of ${report.decisions.length})</h2>
${body}</section>`;
}
