// `roadtwin view` as a user runs it (the compiled CLI in a child process): it checks the run
// directory first and serves the viewer and the run's files with byte ranges.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange } from '../io/view/http.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'viewer', 'index.html'));

const roadtwin = (...args: string[]) => spawnSync(process.execPath, ['bin/roadtwin.js', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

/** Starts `roadtwin view` on a free port and resolves with its URL. */
export function startView(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/roadtwin.js', 'view', dir, '--port', '0'], { cwd: root });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /open (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`roadtwin view exited ${code}: ${out}`)));
  });
}

describe('parseRange', () => {
  it('reads single byte ranges, refuses unsatisfiable ones and ignores what it cannot read', () => {
    expect(parseRange('bytes=0-39', 100)).toEqual({ start: 0, end: 39 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});

describe.skipIf(!built)('roadtwin view', () => {
  let base: string;
  let run: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'roadtwin-view-'));
    run = join(base, 'ring');
    expect(roadtwin('run', join(root, 'scenarios', 'ring.yaml'), '--out', run, '--quiet', '--duration', '30').status).toBe(0);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('refuses a missing, non-run or damaged directory with one line and exit 1', () => {
    const cases: [string, RegExp][] = [[join(base, 'nope'), /no such directory/], [base, /not a run directory \(no manifest\.json/]];
    const damaged = join(base, 'damaged');
    cpSync(run, damaged, { recursive: true });
    truncateSync(join(damaged, 'trace.bin'), statSync(join(damaged, 'trace.bin')).size - 5);
    cases.push([damaged, /trace\.bin: truncated/]);
    const badJson = join(base, 'bad-json');
    cpSync(run, badJson, { recursive: true });
    writeFileSync(join(badJson, 'network.json'), '{"lanes": [');
    cases.push([badJson, /network\.json is not valid JSON/]);
    const notTrace = join(base, 'not-trace');
    cpSync(run, notTrace, { recursive: true });
    writeFileSync(join(notTrace, 'trace.bin'), 'x'.repeat(100));
    cases.push([notTrace, /bad magic/]);
    for (const [dir, message] of cases) {
      const r = roadtwin('view', dir, '--port', '0');
      expect(r.status, dir).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    expect(roadtwin('view', run, '--port', 'eighty').stderr).toMatch(/--port: expected a port number/);
  });

  it('serves the viewer, the session and the run files with byte ranges, and nothing else', async () => {
    const { url, child } = await startView(run);
    try {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<canvas id="view"/);
      const session = await (await fetch(`${url}api/session`)).json();
      expect(session).toMatchObject({ mode: 'replay', run: '/run/' });
      expect(session.files).toContain('signals.bin');
      expect(session.files).not.toContain('entities.json');
      const bin = readFileSync(join(run, 'trace.bin'));
      const r = await fetch(`${url}run/trace.bin`, { headers: { Range: 'bytes=40-95' } });
      expect(r.status).toBe(206);
      expect(r.headers.get('content-range')).toBe(`bytes 40-95/${bin.length}`);
      expect(Buffer.from(await r.arrayBuffer()).equals(bin.subarray(40, 96))).toBe(true);
      expect((await fetch(`${url}run/trace.bin`, { headers: { Range: `bytes=${bin.length}-` } })).status).toBe(416);
      expect((await fetch(`${url}run/manifest.json`)).status).toBe(200);
      // only the run's own files, never a path out of it or out of the viewer build
      for (const p of ['run/../package.json', 'run/scenario.yaml', '..%2F..%2Fpackage.json', 'run/entities.json']) expect((await fetch(`${url}${p}`)).status, p).toBe(404);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
    }
  });
});
