// The browser pages (the edge's floor view, the cloud's shopper app) as ES modules: every import names a
// module of the same page, no module imports itself through others (a circle makes load order matter and
// hides who owns what), every module is loaded from the page's entry, each starts with `// @ts-check` and
// a line saying its job, and none writes HTML from strings (the DOM is built from text and nodes).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface Page {
  name: string;
  dir: string;
  /** The module index.html loads. */
  entry: string;
}

const PAGES: Page[] = [
  { name: 'floor view', dir: 'edge/floor/public', entry: 'floor.js' },
  { name: 'shopper app', dir: 'cloud/app/static', entry: 'app.js' },
];

/** by module file name: the modules it imports (static, re-exported or dynamic), as written */
type ImportGraph = Map<string, string[]>;

function importGraph(dir: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    // JSDoc @import is for types only: the browser never loads it, so it cannot close a circle
    const { importedFiles } = ts.preProcessFile(source, true, true);
    graph.set(
      file,
      importedFiles.map((f) => f.fileName),
    );
  }
  return graph;
}

/** Every circle of imports, each as the path that closes it (a.js → b.js → a.js). */
function importCircles(graph: ImportGraph): string[][] {
  const circles: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]) => {
    const at = path.indexOf(file);
    if (at >= 0) {
      circles.push([...path.slice(at), file]);
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next.replace(/^\.\//, ''), [...path, file]);
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) visit(file, []);
  return circles;
}

function reachable(graph: ImportGraph, entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of graph.get(file) ?? []) walk(next.replace(/^\.\//, ''));
  };
  walk(entry);
  return seen;
}

describe('the circle finder', () => {
  it('finds a circle through three modules and none in a chain', () => {
    const circle: ImportGraph = new Map([
      ['a.js', ['./b.js']],
      ['b.js', ['./c.js']],
      ['c.js', ['./a.js']],
    ]);
    expect(importCircles(circle)).toEqual([['a.js', 'b.js', 'c.js', 'a.js']]);
    const chain: ImportGraph = new Map([
      ['a.js', ['./b.js', './c.js']],
      ['b.js', ['./c.js']],
      ['c.js', []],
    ]);
    expect(importCircles(chain)).toEqual([]);
  });
});

describe.each(PAGES)('$name modules', ({ dir, entry }) => {
  const graph = importGraph(dir);
  const files = [...graph.keys()].sort();

  it('import only modules of the same page, by relative path', () => {
    const strays = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((i) => !/^\.\/[a-z0-9-]+\.js$/.test(i) || !graph.has(i.slice(2)))
        .map((i) => `${file} → ${i}`),
    );
    expect(strays).toEqual([]);
  });

  it('have no import circle', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it(`are all loaded from ${entry}, the one script index.html loads`, () => {
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(new RegExp(`type="module"[^>]*src="[^"]*/${entry}"`));
    expect([...reachable(graph, entry)].sort()).toEqual(files);
  });

  it('start with // @ts-check and a line saying their job', () => {
    const unmarked = files.filter((file) => {
      const [first, second] = readFileSync(join(dir, file), 'utf8').split('\n');
      return first !== '// @ts-check' || !/^\/\/ \S/.test(second ?? '');
    });
    expect(unmarked).toEqual([]);
  });

  it('never write HTML from strings', () => {
    const writers = files.filter((file) =>
      /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write)\b/.test(
        readFileSync(join(dir, file), 'utf8'),
      ),
    );
    expect(writers).toEqual([]);
  });
});
