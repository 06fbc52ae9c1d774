// npm run check:shape: the code-shape rules of #12 (no import circle, no function over 80 lines outside test/);
// prints each offender with what to do and exits 1 when there is any.
import { resolve } from 'node:path';
import { commandLine } from './cli/command-line.ts';
import { checkCodeShape, describeProblems } from './code-shape/code-shape-rules.ts';

commandLine({
  command: 'check:shape',
  usage:
    'usage: npm run check:shape\n  no import circle, no function over 80 lines outside test/; exit 1 on any',
  options: {},
});

const problems = describeProblems(checkCodeShape(resolve(import.meta.dirname, '..')));
for (const problem of problems) console.log(problem);
console.log(problems.length === 0 ? 'code shape: ok' : `code shape: ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
