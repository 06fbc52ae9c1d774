// `npm run scenarios:schema`: writes docs/scenario.schema.json, the JSON Schema of scenario files, from the
// TypeBox schema the loader validates with (one truth; a unit test fails when the file is stale).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../simulators/scenario/scenario-schema.ts';
import { commandLine } from './cli/command-line.ts';

commandLine({
  command: 'scenarios:schema',
  usage:
    'usage: npm run scenarios:schema\n  writes docs/scenario.schema.json from the scenario TypeBox schema',
  options: {},
});

writeFileSync('docs/scenario.schema.json', `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
console.log('wrote docs/scenario.schema.json');
