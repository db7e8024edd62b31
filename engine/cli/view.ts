/**
 * `roadtwin view <runDir> [--port N] [--host H] [--open]`: checks the run directory, then serves
 * the built viewer and the run's files until Ctrl-C. A missing or damaged run, a missing viewer
 * build or a busy port is one line on stderr and exit 1.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkRunDir, RunDirError } from '../io/view/run-check.js';
import { createViewServer, listen, viewerDistDir } from '../io/view/http.js';
import { exposedWarning, isLoopback } from '../io/limits.js';

export interface ViewOptions {
  port?: string;
  host?: string;
  open?: boolean;
}

const fail = (msg: string): number => {
  process.stderr.write(`roadtwin view: ${msg}\n`);
  return 1;
};

export function parsePort(text: string | undefined, fallback: number): number | string {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) > 65535) return `--port: expected a port number from 0 to 65535, got '${text}'`;
  return Number(text);
}

/** The viewer build, or a message saying how to make it. */
export function findViewer(): { dir: string } | { error: string } {
  const dir = viewerDistDir();
  if (!existsSync(join(dir, 'index.html'))) return { error: `the viewer is not built (${dir} has no index.html); run \`npm run build\` in the roadtwin folder` };
  return { dir };
}

/** Opens `url` in the desktop's browser, if there is one; failing quietly is fine (the URL is printed). */
export function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`roadtwin view: could not start a browser (${cmd}); open ${url} yourself\n`));
  child.unref();
}

export async function runView(runDir: string, opts: ViewOptions): Promise<number> {
  const port = parsePort(opts.port, 8080);
  if (typeof port === 'string') return fail(port);
  const host = opts.host ?? '127.0.0.1';
  const dir = resolve(runDir);
  let summary;
  try {
    summary = checkRunDir(dir);
  } catch (err) {
    if (err instanceof RunDirError) return fail(err.message);
    throw err;
  }
  const viewer = findViewer();
  if ('error' in viewer) return fail(viewer.error);

  const server = createViewServer({ viewerDir: viewer.dir, runDir: dir, session: { mode: 'replay', run: '/run/', live: null } });
  let url: string;
  try {
    url = await listen(server, port, host);
  } catch (err) {
    return fail((err as Error).message);
  }
  process.stdout.write(`roadtwin view: ${summary.name}, ${summary.frames} frames to t = ${summary.lastTime} s\n  open ${url}   (Ctrl-C to stop)\n`);
  if (!isLoopback(host)) process.stderr.write(`roadtwin view: ${exposedWarning(host)}\n`);
  if (opts.open) openBrowser(url);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => done());
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
