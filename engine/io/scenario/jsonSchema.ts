/**
 * The JSON Schema of scenario files, for editors (yaml-language-server) and other tools. It is
 * generated from the zod schema, so it cannot drift from what `validate` accepts structurally;
 * references between fields (edges, types) are beyond JSON Schema and only `validate` checks them.
 */
import { z } from 'zod';
import { ENGINE_VERSION } from '../../core/version.js';
import { scenarioSchema } from '../../spec/schema.js';

export const SCENARIO_SCHEMA_ID = 'urn:roadtwin:scenario';

export function scenarioJsonSchema(): Record<string, unknown> {
  // io 'input': what a user may write, so fields with defaults are optional
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: 'roadtwin scenario',
    description: `A roadtwin scenario file (engine ${ENGINE_VERSION}). Check one with \`roadtwin validate <file>\`.`,
    ...rest,
  };
}
