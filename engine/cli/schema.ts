/** `roadtwin schema`: the JSON Schema of scenario files, e.g. `roadtwin schema > scenario.schema.json`. */
import { scenarioJsonSchema } from '../io/scenario/index.js';

export function printSchema(): void {
  process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
}
