/**
 * The live part of a run session (`roadtwin run --live`): start the live server before the first
 * tick and wait for a viewer, then after the run keep serving its directory until Ctrl-C. What the
 * user is told goes to `notice` (one line, without a command's prefix): the library prints nothing.
 */
import type { World } from '../../sim/world.js';
import { viewerDistDir } from '../view/http.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LiveServer } from './server.js';
import { parseOrigins } from './guard.js';
import { exposedWarning, isLoopback } from '../limits.js';

export interface LiveRunOptions {
  port?: string;
  host?: string;
  /** `--allow-origin` values: origins whose pages may connect besides the server's own */
  allowOrigins?: string[];
}

/** Starts the server and waits for the first viewer; a message string when it cannot start. */
export async function startLive(world: World, opts: LiveRunOptions, notice: (text: string) => void): Promise<LiveServer | string> {
  const viewerDir = viewerDistDir();
  if (!existsSync(join(viewerDir, 'index.html'))) return `--live: the viewer is not built (${viewerDir} has no index.html); run \`npm run build\``;
  const port = opts.port === undefined ? 8080 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port: expected a port number from 0 to 65535, got '${opts.port}'`;
  const allowOrigins = parseOrigins(opts.allowOrigins ?? []);
  if (typeof allowOrigins === 'string') return allowOrigins;
  const host = opts.host ?? '127.0.0.1';
  let live: LiveServer;
  try {
    live = await LiveServer.start(world, { port, host, viewerDir, allowOrigins });
  } catch (err) {
    return `--live: ${(err as Error).message}`;
  }
  if (!isLoopback(host)) notice(exposedWarning(host));
  notice(`live at ${live.url}  (the run starts when a viewer connects)`);
  // Ctrl-C while waiting goes on to the run, which sees it at once and writes its directory
  await new Promise<void>((go) => {
    const onInterrupt = () => go();
    process.once('SIGINT', onInterrupt);
    void live.waitForViewer().then(() => {
      process.off('SIGINT', onInterrupt);
      go();
    });
  });
  return live;
}

/** After the run: the viewers are told, the run directory is served; returns on Ctrl-C / SIGTERM. */
export async function finishLive(live: LiveServer, dir: string, complete: boolean, notice: (text: string) => void): Promise<void> {
  live.finished(dir, complete);
  notice(`live stream ended (${live.framesSent} frames sent, ${live.framesCoalesced} skipped by the ${live.maxFps} frames/s limit, ${live.framesDropped} dropped for slow viewers); still serving the run at ${live.url} — Ctrl-C to stop`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await live.close();
}
