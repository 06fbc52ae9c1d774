// The scenario files an evaluation command plays: the files and folders named (folders searched recursively,
// in name order), or its default folder, keeping those whose path contains one of the filters (`--filter`,
// given once or more: `--filter crossing --filter same` plays both families).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Throws with a message for the user when a path does not exist or nothing matched. */
export function scenarioFiles(paths: readonly string[], filters: readonly string[] = []): string[] {
  const files = paths
    .flatMap(filesBelow)
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
  if (files.length === 0) throw new Error('no scenario files (*.json) matched');
  return files;
}

function filesBelow(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) throw new Error(`no such file or folder: ${path}`);
  if (stat.isDirectory())
    return readdirSync(path)
      .sort()
      .flatMap((f) => filesBelow(join(path, f)));
  return path.endsWith('.json') ? [path] : [];
}
