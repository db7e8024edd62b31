// resume goes on with the scenario stored in the run; when the file on disk has changed since,
// it says so (one line on stderr) and the result is still the run as it began.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../bin/roadtwin.js', import.meta.url));
const grid = fileURLToPath(new URL('../../scenarios/grid.yaml', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'rt-resume-note-'));
const roadtwin = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

/** A checkpointed run of `file` stopped with Ctrl-C once its first checkpoint exists. */
const stoppedRun = (file: string, dir: string) =>
  new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'run', file, '--out', dir, '--quiet', '--workers', '1', '--duration', '600', '--checkpoint-every', '60'], { stdio: 'ignore' });
    const poll = setInterval(() => {
      if (existsSync(join(dir, 'checkpoints', `ckpt-${String(600).padStart(12, '0')}.snap`))) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 5);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve(code);
    });
    child.on('error', reject);
  });

describe('resume after the scenario file changed', () => {
  it('says the file differs, and resumes with the stored copy to the same state', async () => {
    const file = join(base, 'grid.yaml');
    copyFileSync(grid, file);
    const whole = join(base, 'whole');
    expect(roadtwin(['run', file, '--out', whole, '--quiet', '--workers', '1', '--duration', '600']).status).toBe(0);

    const dir = join(base, 'stopped');
    expect(await stoppedRun(file, dir)).toBe(130);
    writeFileSync(file, readFileSync(file, 'utf8').replace('seed: ', 'seed: 9') );
    const r = roadtwin(['resume', dir, '--workers', '1', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stderr.trim()).toBe(`note: ${file} has changed since the run started; resuming with the copy stored in the run (start a new run to use the new file)`);
    const hash = (d: string) => JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')).stateHash;
    expect(hash(dir)).toBe(hash(whole));

    // unchanged file: no note
    const again = join(base, 'again');
    copyFileSync(grid, file);
    expect(await stoppedRun(file, again)).toBe(130);
    expect(roadtwin(['resume', again, '--workers', '1', '--quiet']).stderr).toBe('');
  }, 120_000);
});
