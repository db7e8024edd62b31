// Input that could exhaust memory or block is refused in one line before it is read: devices,
// pipes, files over their bound (engine/io/limits.ts), gzip bombs, entity declarations and
// giant attribute values in SUMO files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, maxBytes, readFileBounded } from './limits.js';
import { loadScenario, ScenarioError } from './scenario/index.js';
import { readXml } from './sumo/xml.js';
import { loadSweep, SweepError } from '../sweep/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-limits-'));
const fifo = join(dir, 'fifo.yaml');
spawnSync('mkfifo', [fifo]);

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof ScenarioError || err instanceof SweepError) return err.format();
    return (err as Error).message;
  }
  return 'no error';
};

afterEach(() => {
  delete process.env.ROADTWIN_MAX_SCENARIO_BYTES;
  delete process.env.ROADTWIN_MAX_SUMO_BYTES;
});

describe('bounded reading', () => {
  it('refuses devices and pipes without reading or blocking', () => {
    expect(() => readFileBounded('/dev/zero', LIMITS.scenario)).toThrow(/not a regular file \(a device\)/);
    expect(() => readFileBounded(fifo, LIMITS.scenario)).toThrow(/not a regular file \(a pipe\)/);
    expect(message(() => loadScenario('/dev/zero'))).toBe('/dev/zero:1:1: cannot read the scenario: not a regular file (a device); give a file');
    expect(message(() => loadScenario(fifo))).toMatch(/fifo\.yaml:1:1: cannot read the scenario: not a regular file \(a pipe\)/);
    expect(message(() => loadSweep('/dev/zero'))).toMatch(/^\/dev\/zero:1:1: .*not a regular file/);
    expect(message(() => readXml('/dev/zero', ['net']))).toMatch(/^\/dev\/zero: cannot read: not a regular file/);
    expect(message(() => loadScenario(dir))).toMatch(/directory/);
  });

  it('refuses a file over its bound, which an environment variable sets', () => {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `name: x\n# ${'x'.repeat(2000)}\n`);
    process.env.ROADTWIN_MAX_SCENARIO_BYTES = '1000';
    expect(message(() => loadScenario(file))).toMatch(/big\.yaml:1:1: cannot read the scenario: 2011 bytes, larger than the 1000 bytes allowed for a scenario \(set ROADTWIN_MAX_SCENARIO_BYTES to raise it\)/);
    process.env.ROADTWIN_MAX_SCENARIO_BYTES = 'lots';
    expect(message(() => loadScenario(file))).toMatch(/ROADTWIN_MAX_SCENARIO_BYTES=lots is not a whole number of bytes/);
    expect(maxBytes(LIMITS.scenario, {})).toBe(16 * 1024 * 1024);
    expect(() => maxBytes(LIMITS.sumo, { ROADTWIN_MAX_SUMO_BYTES: String(2 ** 31) })).toThrow(/is more than 536870848, the most a file read as text can hold/);
  });

  it('bounds gunzipped SUMO input, and refuses entities and giant values', () => {
    const bomb = join(dir, 'bomb.net.xml');
    writeFileSync(bomb, gzipSync(Buffer.alloc(50_000_000, 0x20)));
    process.env.ROADTWIN_MAX_SUMO_BYTES = '1000000';
    expect(message(() => readXml(bomb, ['net']))).toMatch(/bomb\.net\.xml: cannot read: gunzipped, more than 976\.6\d* KiB|bomb\.net\.xml: cannot read: gunzipped, more than/);
    delete process.env.ROADTWIN_MAX_SUMO_BYTES;
    const ent = join(dir, 'ent.net.xml');
    writeFileSync(ent, '<?xml version="1.0"?>\n<!DOCTYPE net [\n  <!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n<net>&x;</net>\n');
    expect(message(() => readXml(ent, ['net']))).toBe(`${ent}:3:3: XML entity declarations are not supported (SUMO files do not use them)`);
    const param = join(dir, 'param.net.xml');
    writeFileSync(param, '<!DOCTYPE net [<!ENTITY % p "x">]><net/>');
    expect(message(() => readXml(param, ['net']))).toMatch(/param\.net\.xml:1:16: XML entity declarations/);
    const huge = join(dir, 'huge.net.xml');
    writeFileSync(huge, `<net>\n<edge id="e" shape="${'1'.repeat(17 * 1024 * 1024)}"/></net>`);
    expect(message(() => readXml(huge, ['net']))).toMatch(/huge\.net\.xml:2:21: a value of 17825792 characters; at most 16777216/);
  });
});
