/** Scenario files: loading with located errors, overrides, the schema and its JSON Schema. */
export { loadScenario, parseScenario, scenarioHash, canonicalJson, type LoadedScenario, type LoadOptions } from './load.js';
export { ScenarioError, formatProblem, sortProblems, OVERRIDE_FILE_PREFIX, type LocatedProblem } from './errors.js';
export { parseOverride, applyOverrides, type Override, type AppliedOverride } from './overrides.js';
export { scenarioJsonSchema, SCENARIO_SCHEMA_ID } from './jsonSchema.js';
export * from '../../spec/schema.js';
