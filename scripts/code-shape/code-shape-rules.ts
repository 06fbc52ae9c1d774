// The code-shape rules of #12, run by test/unit/scripts/code-shape.test.ts and `npm run check:shape`: no import
// circle among the project's modules, each top-level folder imports only the folders below it in the data flow,
// and no function over 80 lines outside test/ (a few listed exceptions).
import { type LongFunction, longFunctions } from './function-length.ts';
import { buildImportGraph, findImportCycles, type ImportGraph, listSourceFiles } from './import-graph.ts';

/** The folders whose code the rules cover: everything but test/, training/ and data. */
export const SOURCE_FOLDERS = [
  'shared',
  'edge',
  'bridges',
  'cloud',
  'simulators',
  'evaluation',
  'scripts',
] as const;

/** Longest function a reader should have to hold in mind at once; longer ones get split into named steps. */
export const MAX_FUNCTION_LINES = 80;

/**
 * What each top-level folder may import besides itself (docs/architecture.md, "Where new code goes"): the edge
 * and the cloud meet only through shared/ schemas; device simulation knows nothing of what it is scored by.
 * Folders not listed (scripts/) may import anything.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  shared: [],
  edge: ['shared'],
  // device-side adapters (camera-bridge/): they stand in for a device, so they know only the wire contract
  bridges: ['shared'],
  cloud: ['shared'],
  simulators: ['shared'],
  evaluation: ['shared', 'edge', 'bridges', 'cloud', 'simulators'],
};

export interface LayerBreach {
  file: string;
  imports: string;
}

export interface AllowedLongFunction {
  file: string;
  name: string;
}

/**
 * Long functions left alone on purpose, by file and name (not line, so edits around them do not matter).
 * Remove an entry when its function is split; an entry that no longer matches is reported too.
 */
export const ALLOWED_LONG_FUNCTIONS: readonly AllowedLongFunction[] = [];

export interface CodeShape {
  cycles: string[][];
  layerBreaches: LayerBreach[];
  longFunctions: LongFunction[];
  /** allowed entries that match no long function any more */
  staleAllowances: AllowedLongFunction[];
}

const topFolder = (file: string) => file.split('/')[0] ?? '';

/** Imports that leave a folder for one its layer does not list. */
export function findLayerBreaches(graph: ImportGraph, layers = LAYERS): LayerBreach[] {
  const breaches: LayerBreach[] = [];
  for (const [file, targets] of graph) {
    const allowed = layers[topFolder(file)];
    if (allowed === undefined) continue;
    for (const target of targets) {
      const to = topFolder(target);
      if (to !== topFolder(file) && !allowed.includes(to)) breaches.push({ file, imports: target });
    }
  }
  return breaches;
}

function isAllowed(found: LongFunction, allowed: AllowedLongFunction): boolean {
  return found.file === allowed.file && found.name === allowed.name;
}

export function checkCodeShape(
  root: string,
  allowances: readonly AllowedLongFunction[] = ALLOWED_LONG_FUNCTIONS,
): CodeShape {
  const files = listSourceFiles(root, SOURCE_FOLDERS);
  const graph = buildImportGraph(root, files);
  const cycles = findImportCycles(graph);
  const everyLong = files.flatMap((file) => longFunctions(root, file, MAX_FUNCTION_LINES));
  return {
    cycles,
    layerBreaches: findLayerBreaches(graph),
    longFunctions: everyLong.filter((found) => !allowances.some((allowed) => isAllowed(found, allowed))),
    staleAllowances: allowances.filter((allowed) => !everyLong.some((found) => isAllowed(found, allowed))),
  };
}

/** One line per problem, saying where it is and what to do; empty when the code has the right shape. */
export function describeProblems(shape: CodeShape): string[] {
  const cycles = shape.cycles.map(
    (files) =>
      `import circle: ${files.join(' ↔ ')} — move what they share into a module both import, or turn one ` +
      'dependency around (pass a function or a typed event instead of importing back)',
  );
  const layers = shape.layerBreaches.map(
    (breach) =>
      `${breach.file} imports ${breach.imports}: ${topFolder(breach.file)}/ may import only ` +
      `${[topFolder(breach.file), ...(LAYERS[topFolder(breach.file)] ?? [])].map((f) => `${f}/`).join(', ')} — ` +
      'move the shared part to shared/ (a schema or pure helper), or the importing code to the folder that may use both',
  );
  const long = shape.longFunctions.map(
    (found) =>
      `${found.file}:${found.line} ${found.name} is ${found.lines} lines (max ${MAX_FUNCTION_LINES}) — split it ` +
      (/Routes$/.test(found.name) ? 'into one route plugin per resource' : 'into well-named steps'),
  );
  const stale = shape.staleAllowances.map(
    (allowed) =>
      `${allowed.file} ${allowed.name} is listed in ALLOWED_LONG_FUNCTIONS (scripts/code-shape/code-shape-rules.ts) ` +
      'but is no longer over the limit — remove its entry',
  );
  return [...cycles, ...layers, ...long, ...stale];
}
