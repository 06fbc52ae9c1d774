// The code-shape rules of #12, run by test/unit/scripts/code-shape.test.ts and `npm run check:shape`: no import
// circle among the project's modules, no function over 80 lines outside test/ (a few listed exceptions).

import { type LongFunction, longFunctions } from './function-length.ts';
import { buildImportGraph, findImportCycles, listSourceFiles } from './import-graph.ts';

/** The folders whose code the rules cover: everything but test/, training/ and data. */
export const SOURCE_FOLDERS = ['shared', 'edge', 'cloud', 'simulators', 'evaluation', 'scripts'] as const;

/** Longest function a reader should have to hold in mind at once; longer ones get split into named steps. */
export const MAX_FUNCTION_LINES = 80;

export interface AllowedLongFunction {
  file: string;
  name: string;
}

/**
 * Long functions left alone on purpose, by file and name (not line, so edits around them do not matter).
 * Remove an entry when its function is split; an entry that no longer matches is reported too.
 */
export const ALLOWED_LONG_FUNCTIONS: readonly AllowedLongFunction[] = [
  // split pending, #12: edge/fusion, edge/tracking and edge/vision are being changed by their owner right now.
  { file: 'edge/fusion/attributor.ts', name: 'attributeEvent' },
];

export interface CodeShape {
  cycles: string[][];
  longFunctions: LongFunction[];
  /** allowed entries that match no long function any more */
  staleAllowances: AllowedLongFunction[];
}

function isAllowed(found: LongFunction, allowed: AllowedLongFunction): boolean {
  return found.file === allowed.file && found.name === allowed.name;
}

export function checkCodeShape(
  root: string,
  allowances: readonly AllowedLongFunction[] = ALLOWED_LONG_FUNCTIONS,
): CodeShape {
  const files = listSourceFiles(root, SOURCE_FOLDERS);
  const cycles = findImportCycles(buildImportGraph(root, files));
  const everyLong = files.flatMap((file) => longFunctions(root, file, MAX_FUNCTION_LINES));
  return {
    cycles,
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
  return [...cycles, ...long, ...stale];
}
