/**
 * Headless Chromium for the viewer's end-to-end tests and benchmarks, driven by playwright-core
 * (no browser download: Debian's /usr/bin/chromium). The flags keep it off the network (this
 * machine has none and Chromium would wait on it) and give WebGL through SwiftShader.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.ROADTWIN_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumPresent = (): boolean => existsSync(CHROMIUM);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export interface Browser {
  context: BrowserContext;
  /** the profile directory (it names this browser's processes: --user-data-dir) */
  profile: string;
  close(): Promise<void>;
}

/** A fresh browser with its own profile directory (removed on close). */
export async function launchBrowser(width = 1280, height = 800): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'roadtwin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width, height },
    timeout: 60_000,
  });
  return {
    context,
    profile,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * CPU seconds (user + system) used so far by a browser's processes (Linux /proc): the one started
 * with its profile directory and all of that one's descendants (renderers, the GPU process that
 * runs SwiftShader, utilities). NaN where /proc is not there.
 */
export function browserCpuSeconds(b: Browser): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return NaN;
  }
  const parent = new Map<string, string>();
  const ticks = new Map<string, number>();
  const roots = new Set<string>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // fields after the command name (which may hold spaces) in parentheses
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, f[1]);
      ticks.set(pid, Number(f[11]) + Number(f[12]));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--user-data-dir=${b.profile}`)) roots.add(pid);
    } catch {
      // the process ended meanwhile
    }
  }
  const mine = (pid: string): boolean => {
    for (let p: string | undefined = pid; p && p !== '0'; p = parent.get(p)) if (roots.has(p)) return true;
    return false;
  };
  let sum = 0;
  for (const [pid, t] of ticks) if (mine(pid)) sum += t;
  return sum / 100; // USER_HZ is 100 on Linux
}
