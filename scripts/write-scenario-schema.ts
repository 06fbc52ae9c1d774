// `npm run scenarios:schema`: writes docs/scenario.schema.json, the JSON Schema of scenario files, from the
// TypeBox schema the loader validates with (one truth; a unit test fails when the file is stale).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../simulators/scenario/scenario-schema.ts';

writeFileSync('docs/scenario.schema.json', `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
console.log('wrote docs/scenario.schema.json');
