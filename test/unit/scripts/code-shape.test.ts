// The code-shape rules of #12: the checkers find what they should on small inputs, and the project passes them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCodeShape, describeProblems } from '../../../scripts/code-shape/code-shape-rules.ts';
import { longFunctions } from '../../../scripts/code-shape/function-length.ts';
import {
  buildImportGraph,
  findImportCycles,
  listSourceFiles,
} from '../../../scripts/code-shape/import-graph.ts';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'code-shape-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import circles', () => {
  it('finds a circle through a type-only import and leaves a chain alone', () => {
    const root = project({
      'a/one.ts': "import { two } from './two.ts';\nexport const one = two;\n",
      'a/two.ts': "import type { Three } from '../b/three.ts';\nexport const two = 2;\n",
      'b/three.ts': "import type { one } from '../a/one.ts';\nexport type Three = typeof one;\n",
      'b/four.ts': "import { two } from '../a/two.ts';\nexport const four = two;\n",
    });
    const graph = buildImportGraph(root, listSourceFiles(root, ['a', 'b']));
    expect(findImportCycles(graph)).toEqual([['a/one.ts', 'a/two.ts', 'b/three.ts']]);
  });

  it('follows re-exports and dynamic imports, and a .js page importing itself is a circle', () => {
    const root = project({
      'a/one.ts': "export * from './two.ts';\n",
      'a/two.ts': "export const load = () => import('./one.ts');\n",
      'p/page.js': "import { x } from './page.js';\nexport const x = 1;\n",
    });
    expect(findImportCycles(buildImportGraph(root, listSourceFiles(root, ['a', 'p'])))).toEqual([
      ['a/one.ts', 'a/two.ts'],
      ['p/page.js'],
    ]);
  });

  it('finds none in a tree', () => {
    const root = project({
      'a/one.ts': "export * from './two.ts';\n",
      'a/two.ts': 'export const two = 2;\n',
    });
    expect(findImportCycles(buildImportGraph(root, listSourceFiles(root, ['a'])))).toEqual([]);
  });
});

describe('function length', () => {
  it('counts from the first token to the closing brace and names the holder', () => {
    const body = Array.from({ length: 5 }, (_, i) => `    const v${i} = ${i};`).join('\n');
    const root = project({
      'a/long.ts': `/** doc */\nexport class Shop {\n  open(): void {\n${body}\n  }\n}\nexport const short = () => 1;\n`,
    });
    expect(longFunctions(root, 'a/long.ts', 6)).toEqual([
      { file: 'a/long.ts', name: 'Shop.open', line: 3, lines: 7 },
    ]);
    expect(longFunctions(root, 'a/long.ts', 7)).toEqual([]);
  });

  it('names arrows by their variable and callbacks by the call they are passed to', () => {
    const root = project({
      'a/routes.ts': [
        'export const routes = async (app) => {',
        "  app.get('/x', async () => {",
        '    return 1;',
        '  });',
        '};',
        '',
      ].join('\n'),
    });
    expect(longFunctions(root, 'a/routes.ts', 2)).toEqual([
      { file: 'a/routes.ts', name: 'routes', line: 1, lines: 5 },
      { file: 'a/routes.ts', name: 'routes → callback of app.get', line: 2, lines: 3 },
    ]);
  });
});

describe('the rules', () => {
  it('say where each problem is and what to do: circles, layers, long functions and an allowance that matches nothing', () => {
    const body = Array.from({ length: 85 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const root = project({
      'edge/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
      'edge/b.ts': "import { a } from './a.ts';\nexport const b = 1;\nexport const c = () => a;\n",
      'shared/s.ts': "import { a } from '../edge/a.ts';\nexport const s = a;\n",
      'evaluation/e.ts': "import { a } from '../edge/a.ts';\nexport const e = a;\n",
      'cloud/long-routes.ts': `export async function shopRoutes(): Promise<void> {\n${body}\n}\n`,
      'test/long.test.ts': `export function longTest(): void {\n${body}\n}\n`,
    });
    const problems = describeProblems(checkCodeShape(root, [{ file: 'edge/gone.ts', name: 'gone' }]));
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^import circle: edge\/a\.ts ↔ edge\/b\.ts — /);
    expect(problems[1]).toMatch(/^shared\/s\.ts imports edge\/a\.ts: shared\/ may import only shared\/ — /);
    expect(problems[2]).toMatch(
      /^cloud\/long-routes\.ts:1 shopRoutes is 87 lines \(max 80\) — .*per resource/,
    );
    expect(problems[3]).toMatch(
      /^edge\/gone\.ts gone is listed in ALLOWED_LONG_FUNCTIONS .* remove its entry/,
    );
  });
});

describe('the project', () => {
  it('has no import circle, no import across layers and no function over 80 lines outside the listed exceptions', () => {
    expect(describeProblems(checkCodeShape(resolve(import.meta.dirname, '../../..')))).toEqual([]);
  });
});
