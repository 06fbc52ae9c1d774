import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../../../evaluation/store-eval/escape-html.ts';
import { latencyHistogram, reportChartData } from '../../../../evaluation/store-eval/eval-report-charts.ts';
import { renderEvalReportHtml } from '../../../../evaluation/store-eval/eval-report-html.ts';
import type { EvalReport } from '../../../../evaluation/store-eval/eval-report-types.ts';
import { evalReportFixture, KNOWN_WRONG } from '../../../support/eval-report-fixture.ts';

const HOSTILE = '<script>alert("x")</script>';

/** The fixture with markup in every kind of string the page shows. */
function hostileReport(): EvalReport {
  const report = evalReportFixture(1);
  const family = report.families[0];
  const scenario = report.scenarios[0];
  if (family === undefined || scenario === undefined) throw new Error('fixture has no family');
  family.family = `</script><script>alert('family')</script>`;
  scenario.name = `scenario ${HOSTILE}`;
  report.commit = `"><img src=x onerror=alert(1)>`;
  report.decisions.push({
    ...KNOWN_WRONG,
    scenario: `scenario ${HOSTILE}`,
    lane: '<b>lane</b>',
    sku: "SKU-'&'",
    truthShopper: '<i>erin</i>',
    billedTo: 'dan & co',
    candidates: ['<u>dan</u>'],
    rule: '<rule>',
    evidence: { note: `${HOSTILE} <!-- & --> </script>` },
  });
  return report;
}

describe('escapeHtml', () => {
  it('escapes the five characters that can start markup or end an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml('plain text 0.9-1.0')).toBe('plain text 0.9-1.0');
  });
});

describe('jsonForScript', () => {
  it('cannot end its script block, and parses back to the same value', () => {
    const value = { name: '</script><script>alert(1)</script>', comment: '<!-- x -->' };
    const text = jsonForScript(value);
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('renderEvalReportHtml', () => {
  const html = renderEvalReportHtml(hostileReport());

  it('puts no markup from the report into the page', () => {
    // the page's own three scripts (data, Chart.js, charts) and nothing else
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html).not.toContain('alert("x")</script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>lane');
    expect(html).not.toContain('<rule>');
    expect(html).toContain('scenario &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;lane&lt;/b&gt;');
    expect(html).toContain('SKU-&#39;&amp;&#39;');
    expect(html).toContain('dan &amp; co');
    expect(html).toContain(
      'data-family="&lt;/script&gt;&lt;script&gt;alert(&#39;family&#39;)&lt;/script&gt;"',
    );
    // evidence is shown as escaped, pretty JSON
    expect(html).toContain('&quot;note&quot;: &quot;&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt;');
  });

  it('embeds the chart data as JSON that parses back to the family names as given', () => {
    const match = html.match(/<script type="application\/json" id="eval-data">(.*?)<\/script>/s);
    expect(match).not.toBeNull();
    const data = JSON.parse(match?.[1] ?? 'null');
    expect(data.families[0].family).toBe(`</script><script>alert('family')</script>`);
  });

  it('inlines Chart.js and names the three canvases', () => {
    expect(html).toContain('Chart.js v4');
    for (const id of ['chart-exact', 'chart-calibration', 'chart-latency'])
      expect(html).toContain(`<canvas id="${id}"`);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });
});

describe('reportChartData', () => {
  it('gives each family its exact rate and interval in percent, and only bins with lines', () => {
    const data = reportChartData(evalReportFixture());
    expect(data.families[2]).toMatchObject({ family: 'crowded', visits: 36, exactPct: 75 });
    expect(data.families[2]?.loPct).toBeCloseTo(58.93, 2);
    expect(data.families[2]?.hiPct).toBeCloseTo(86.25, 2);
    expect(data.calibration.length).toBeGreaterThan(1);
    for (const b of data.calibration) {
      expect(b.lines).toBeGreaterThan(0);
      expect(b.accuracy).toBeGreaterThanOrEqual(0);
      expect(b.accuracy).toBeLessThanOrEqual(1);
    }
    expect(data.calibration.at(-1)).toMatchObject({ bin: '0.9-1.0', mid: 0.95 });
  });
});

describe('latencyHistogram', () => {
  it('uses round bin edges and counts every value once, the maximum in the last bin', () => {
    const h = latencyHistogram([430, 480, 510, 900, 1210, 2400], 10);
    // (2400 - 430) / 10 = 197 → bins of 200 ms from 400
    expect(h.edges[0]).toBe(400);
    expect(h.edges[1]).toBe(600);
    expect(h.edges.at(-1)).toBe(2600);
    expect(h.counts).toEqual([3, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1]);
    expect(h.n).toBe(6);
    expect(h.p99Ms).toBe(2400);
  });

  it('has no bins for no values, and one for values all alike', () => {
    expect(latencyHistogram([])).toEqual({ edges: [], counts: [], n: 0, p50Ms: 0, p99Ms: 0 });
    const same = latencyHistogram([700, 700, 700]);
    expect(same.counts).toEqual([3]);
    expect(same.edges).toEqual([700, 800]);
  });
});
