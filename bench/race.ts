/**
 * The gate's race: one benchmark case run by this build and by a reference build of the engine
 * (bench/reference.ts) at the same time, in two processes that take turns slice by slice, so that
 * both meet the same machine. This machine is shared: the same build measured twice in a row
 * differs by up to 25 %, so a figure compared with one recorded another day (even divided by a
 * calibration kernel) cannot tell a 15 % loss from a busy neighbour. Two builds stepped in turns
 * of a fraction of a second each see the same neighbours; each slice gives one ratio of
 * throughputs, and the median of the slices is the gate's figure. The order within a pair of
 * slices alternates, so that going first or second evens out.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MacroResult } from './macro.js';
import type { RaceCommand, RaceReply } from './race-child.js';

export interface RaceCase {
  name: string;
  duration?: number;
  workers: number;
}

export interface RaceResult {
  /** this build's throughput ÷ the reference's, the median over the slices (1 = the same) */
  ratio: number;
  /** the lower and upper quartiles of the slices' ratios (how much the machine moved) */
  quartiles: [number, number];
  slices: number;
  current: MacroResult;
  reference: MacroResult;
}

/** slices per race: enough for a median that one disturbed slice cannot move */
export const RACE_SLICES = 24;

const childFile = fileURLToPath(new URL('./race-child.js', import.meta.url));

/** One side: a forked race-child on the build under `root`, answering one command at a time. */
class Side {
  private readonly child: ChildProcess;
  private readonly replies: RaceReply[] = [];
  private waiting: ((r: RaceReply) => void) | null = null;
  private exited: string | null = null;

  constructor(
    readonly label: string,
    root: string,
    c: RaceCase,
  ) {
    this.child = fork(childFile, [root, c.name, c.duration !== undefined ? String(c.duration) : '-', String(c.workers)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    this.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    this.child.on('message', (m: RaceReply) => this.deliver(m));
    this.child.on('exit', (code) => {
      this.exited = `the ${label} side of the race exited (code ${code})${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`;
      this.deliver({ error: this.exited });
    });
  }

  private deliver(m: RaceReply): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(m);
    } else this.replies.push(m);
  }

  async next(): Promise<RaceReply> {
    const m = this.replies.shift() ?? (await new Promise<RaceReply>((resolve) => (this.waiting = resolve)));
    if ('error' in m) throw new Error(`${this.label}: ${m.error}`);
    return m;
  }

  async ask(cmd: RaceCommand): Promise<RaceReply> {
    if (this.exited) throw new Error(this.exited);
    this.child.send(cmd);
    return this.next();
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

export async function race(c: RaceCase, currentRoot: string, referenceRoot: string, slices = RACE_SLICES): Promise<RaceResult> {
  const current = new Side('current', currentRoot, c);
  const reference = new Side('reference', referenceRoot, c);
  try {
    const [a, b] = await Promise.all([current.next(), reference.next()]);
    if (!('ready' in a) || !('ready' in b)) throw new Error('a side of the race did not start');
    if (a.warmUpEnd !== b.warmUpEnd || a.end !== b.end)
      throw new Error(`the two builds time different spans of ${c.name} (${a.warmUpEnd}–${a.end} s against ${b.warmUpEnd}–${b.end} s)`);
    const ratios: number[] = [];
    for (let k = 1; k <= slices; k++) {
      const until = k === slices ? a.end : a.warmUpEnd + ((a.end - a.warmUpEnd) * k) / slices;
      const order = k % 2 ? [current, reference] : [reference, current];
      const times = new Map<Side, { ms: number; updates: number }>();
      for (const side of order) {
        const r = await side.ask({ advance: until });
        if (!('ms' in r)) throw new Error('a side of the race answered out of turn');
        times.set(side, r);
      }
      const cur = times.get(current)!;
      const ref = times.get(reference)!;
      // throughput ratios, so that a reference with other physics (other work per slice) still compares
      if (cur.updates > 0 && ref.updates > 0 && cur.ms > 0 && ref.ms > 0) ratios.push(cur.updates / cur.ms / (ref.updates / ref.ms));
    }
    if (ratios.length === 0) throw new Error(`${c.name}: no slice moved a vehicle`);
    const cr = await current.ask({ finish: true, calibrate: true });
    const rr = await reference.ask({ finish: true, calibrate: false });
    if (!('result' in cr) || !('result' in rr)) throw new Error('a side of the race gave no result');
    const sorted = [...ratios].sort((x, y) => x - y);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))];
    return { ratio: median(sorted), quartiles: [q(0.25), q(0.75)], slices: ratios.length, current: cr.result, reference: rr.result };
  } finally {
    current.kill();
    reference.kill();
  }
}

function median(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
