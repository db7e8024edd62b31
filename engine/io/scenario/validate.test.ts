// The `validate` and `schema` commands called as functions, their output captured.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runValidate } from '../../cli/validate.js';
import { printSchema } from '../../cli/schema.js';
const contractDir = fileURLToPath(new URL('../../../scenarios', import.meta.url));

const bad = fileURLToPath(new URL('./fixtures/bad/', import.meta.url));

function capture(fn: () => unknown): { result: unknown; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { result: fn(), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('runValidate', () => {
  it('prints ok and returns 0 for a valid scenario', () => {
    expect(capture(() => runValidate(join(contractDir, 'ring.yaml'), []))).toEqual({ result: 0, stdout: 'ok\n', stderr: '' });
  });

  it('prints every problem to stderr and returns 1', () => {
    const file = join(bad, 'many-problems.yaml');
    const { result, stdout, stderr } = capture(() => runValidate(file, []));
    expect(result).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(`${file}:2:11: duration: must be greater than 0, got -1`);
  });

  it('takes overrides', () => {
    const file = join(bad, 'zero-duration.yaml');
    expect(capture(() => runValidate(file, ['duration=5'])).result).toBe(0);
    expect(capture(() => runValidate(file, ['duration=x'])).stderr).toBe(
      '--set duration=x:1:1: duration: expected a number, got string "x"\n',
    );
  });

  it('reports an unreadable file like any other problem', () => {
    const { result, stderr } = capture(() => runValidate(bad, []));
    expect(result).toBe(1);
    expect(stderr).toBe(`${bad}:1:1: cannot read the scenario: this is a directory, not a scenario file\n`);
  });
});

describe('printSchema', () => {
  it('prints the JSON Schema as pretty JSON', () => {
    const { stdout } = capture(() => printSchema());
    expect(stdout).toContain('\n  "');
    const schema = JSON.parse(stdout);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'duration', 'network']));
  });
});
