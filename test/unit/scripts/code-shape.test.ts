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
});

describe('the project', () => {
  it('has no import circle and no function over 80 lines outside the listed exceptions', () => {
    expect(describeProblems(checkCodeShape(resolve(import.meta.dirname, '../../..')))).toEqual([]);
  });
});
