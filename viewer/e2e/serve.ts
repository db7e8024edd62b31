/** Starts `roadtwin view` on a run directory (any free port), for the end-to-end tests and benchmarks; resolves with its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export async function serveRun(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/roadtwin.js', 'view', dir, '--port', '0'], { cwd: root });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /open (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (c) => reject(new Error(`roadtwin view exited ${c}: ${out}`)));
  });
  return { url, child };
}
