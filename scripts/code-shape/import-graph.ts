// Import circles among the project's own modules (#12): the graph of relative imports between source files,
// and the circles in it (strongly connected components), type-only imports included.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/** by file, relative to the project root with '/' separators: the project files it imports */
export type ImportGraph = Map<string, string[]>;

const SOURCE_FILE = /\.(ts|js)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'var', 'test-results']);

function toProjectPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

function collectFiles(folder: string, into: string[]): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) collectFiles(path, into);
    else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) into.push(path);
  }
}

/** The .ts and .js files under the given folders of root, as project paths, sorted. */
export function listSourceFiles(root: string, folders: readonly string[]): string[] {
  const absolute: string[] = [];
  for (const folder of folders) {
    if (existsSync(join(root, folder))) collectFiles(join(root, folder), absolute);
  }
  return absolute.map((path) => toProjectPath(root, path)).sort();
}

/** Where a relative specifier lands among the project's files (a '.js' specifier may name a '.ts' file). */
function resolveSpecifier(
  root: string,
  importer: string,
  specifier: string,
  known: Set<string>,
): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = toProjectPath(root, join(root, dirname(importer), specifier));
  const candidates = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, `${target}/index.ts`];
  return candidates.find((candidate) => known.has(candidate)) ?? null;
}

/** Every static, re-export, type-only and dynamic import between the listed files. */
export function buildImportGraph(root: string, files: readonly string[]): ImportGraph {
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((imported) => resolveSpecifier(root, file, imported.fileName, known))
      .filter((target): target is string => target !== null);
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/** Each circle as its files, sorted; circles sorted by their first file (Tarjan's components, iterative). */
export function findImportCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  const visit = (start: string): void => {
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    lowLink.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: number };
      const targets = graph.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++] as string;
        if (!index.has(target)) {
          index.set(target, counter);
          lowLink.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.node, Math.min(lowLink.get(frame.node) ?? 0, index.get(target) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        lowLink.set(parent.node, Math.min(lowLink.get(parent.node) ?? 0, lowLink.get(frame.node) ?? 0));
      if (lowLink.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const importsItself = (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || importsItself) cycles.push(component.sort());
      }
    }
  };

  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}
