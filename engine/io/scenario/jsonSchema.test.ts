import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema, SCENARIO_SCHEMA_ID } from './index.js';

describe('scenarioJsonSchema', () => {
  const schema = scenarioJsonSchema() as {
    $id: string;
    title: string;
    type: string;
    required: string[];
    additionalProperties: unknown;
    properties: Record<string, { type?: string; default?: unknown }>;
  };

  it('names itself', () => {
    expect(schema.$id).toBe(SCENARIO_SCHEMA_ID);
    expect(schema.title).toBe('roadtwin scenario');
  });

  it('describes the scenario fields of the contract', () => {
    expect(schema.type).toBe('object');
    for (const key of ['name', 'seed', 'duration', 'step', 'network', 'vehicleTypes', 'demand', 'detectors'])
      expect(schema.properties).toHaveProperty(key);
    expect(schema.additionalProperties).toBe(false);
  });

  it('describes what a user writes: fields with defaults are optional', () => {
    expect([...schema.required].sort()).toEqual(['duration', 'name', 'network', 'vehicleTypes']);
    expect(schema.properties.step.default).toBe(0.1);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
