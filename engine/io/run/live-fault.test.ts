/**
 * A live run whose worker fails ends like any failed run: the viewer is told the run ended
 * incomplete, the server stops and the process exits with the fault's code (it is not left serving
 * a run that has no complete directory).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('a live run that fails', () => {
  it('tells the viewer, stops serving and exits 2', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'roadtwin-live-fault-')), 'run');
    const child = spawn(
      process.execPath,
      ['bin/roadtwin.js', 'run', 'scenarios/grid.yaml', '--duration', '200', '--workers', '3', '--out', out, '--quiet', '--live', '--port', '0'],
      { cwd: root, env: { ...process.env, ROADTWIN_INLINE_BELOW: '0', ROADTWIN_FAULT: 'throw:2:300:decide' } },
    );
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /live at (http:\/\/[^\s]+)/.exec(stderr);
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`exited before serving:\n${stderr}`)));
    });
    const texts: { type?: string; complete?: boolean }[] = [];
    const ws = new WebSocket(`${url.replace(/^http/, 'ws').replace(/\/$/, '')}/live`);
    ws.on('message', (data, binary) => {
      if (!binary) texts.push(JSON.parse(data.toString()));
    });
    ws.on('error', () => {});
    ws.on('open', () => ws.send(JSON.stringify({ type: 'ready' })));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    ws.terminate();
    expect(code, stderr).toBe(2);
    expect(stderr).toContain('tick 300, phase decide');
    expect(texts.some((t) => t.type === 'end' && t.complete === false)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).complete).toBe(false);
  }, 60_000);
});
